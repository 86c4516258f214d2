"""Find in Workbook: any record by what someone remembers of its name, code or reference."""

from __future__ import annotations

import dataclasses

import pytest

from dom_desk.domain.search import Hit, search


def _found(hits: tuple[Hit, ...]) -> set[tuple[str, str]]:
    return {(h.area, h.title) for h in hits}


def _buckley(hits: tuple[Hit, ...]) -> None:
    found = _found(hits)
    assert ("providers", "HMP Buckley Hall") in found
    assert ("agreements", "HMP Buckley Hall SLA 2009-10") in found  # the year's SLA
    assert ("competitions", "HMP Buckley Hall") in found


def test_a_name_finds_the_provider_its_agreement_and_its_competition(demo):
    hits = search(demo, "buckley")
    _buckley(hits)
    sla = next(h for h in hits if h.area == "agreements")
    assert sla.what == "SLA 2009-10 · HMP Buckley Hall"
    # The shown year's SLA only: last year's is not offered.
    assert "HMP Buckley Hall SLA 2008-09" not in {h.title for h in hits}
    assert "HMP Buckley Hall SLA 2008-09" in {
        h.title for h in search(demo, "buckley", year_label="2008-09")
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        sla.score = 0  # type: ignore[misc]


def test_case_and_spaces_do_not_count(demo):
    _buckley(search(demo, "BUCKLEY  hall"))
    _buckley(search(demo, "Buckley Hall's"))


def test_a_small_misspelling_still_finds_it(demo):
    hits = search(demo, "Bukley")
    _buckley(hits)
    assert "close to 'buckley'" in hits[0].matched
    _buckley(search(demo, "bucklyhall"))  # two words run together, one letter short


def test_a_kind_of_record_in_the_words_puts_that_kind_first(demo):
    hits = search(demo, "Buckley Hall's contract")
    # The contract awarded from the competition first; the SLA it replaces close behind.
    assert (hits[0].area, hits[0].title) == (
        "contracts",
        "HMP Buckley Hall operating agreement 2010-2020",
    )
    assert ("agreements", "HMP Buckley Hall SLA 2009-10") in [(h.area, h.title) for h in hits[:4]]
    hits = search(demo, "forest bank contract")
    assert (hits[0].area, hits[0].title) == ("contracts", "HMP Forest Bank operating contract")
    assert hits[0].what == "Contract · HMP Forest Bank"


def test_a_contract_is_found_by_its_provider_and_its_reference(demo):
    nacro = search(demo, "nacro")
    assert (
        "contracts",
        "Resettlement and accommodation advice (Merseyside and Greater Manchester)",
    ) in _found(nacro)
    by_reference = search(demo, "nw/dip/2008/003")
    assert by_reference[0].area == "contracts"
    assert by_reference[0].title == "DRR treatment (Cumbria and Lancashire)"
    assert by_reference[0].matched.startswith("reference")


@pytest.mark.parametrize("typed", ["kpi 3", "KPI3", "Kpi  3"])
def test_a_measure_by_its_code_however_spaced(demo, typed):
    hits = search(demo, typed)
    assert hits[0].area == "measures"
    assert hits[0].title.startswith("KPI 3 ")
    assert hits[0].score == 1.0
    # A number is a whole word: "3" does not find KPI 13 or PSA 23.
    assert not any(h.title.startswith(("KPI 13 ", "KPI 1 ")) for h in hits)


def test_a_risk_and_a_milestone_by_reference(demo):
    risk = search(demo, "r03")
    assert [(h.area, h.what) for h in risk] == [("risks", "Risk · R03")]
    milestone = search(demo, "M03")
    assert milestone[0].area == "milestones"
    assert milestone[0].title.startswith("Buckley Hall")


def test_priorities_and_services_by_their_words(demo):
    assert any(h.area == "services" for h in search(demo, "drug treatment"))
    with demo.session() as session:
        from sqlalchemy import select

        from dom_desk.models import FinancialYear, Priority

        title = session.scalars(
            select(Priority.title)
            .join(FinancialYear, FinancialYear.id == Priority.year_id)
            .where(FinancialYear.label == "2009-10")
        ).first()
    assert title
    assert ("priorities", title) in _found(search(demo, title.upper()))


def test_nothing_found_is_an_empty_tuple(demo):
    assert search(demo, "zzqqxx") == ()
    assert search(demo, "   ") == ()
    assert len(search(demo, "a", limit=5)) <= 5


def test_a_new_empty_workbook(workbook):
    assert search(workbook, "buckley") == ()


def test_a_workbook_without_a_year_yet(tmp_path):
    from dom_desk.storage.workbook import create_workbook

    wb = create_workbook(tmp_path / "bare.domdesk")
    try:
        assert search(wb, "kpi 1") == ()
    finally:
        wb.close()


def test_the_kinds_a_query_names():
    from dom_desk.domain.search import named_kinds

    assert named_kinds("Buckley Hall's contracts") == ("contracts",)
    assert named_kinds("SLA risk") == ("agreements", "risks")
    assert named_kinds("kpi 3") == ()
