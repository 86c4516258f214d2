"""Envelope and allocations: exact totals every way, warnings, batch edits, roll forward."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from negotiation_data import build, figures, pounds
from sqlalchemy import select

from dom_desk.domain import allocations as al
from dom_desk.domain.allocations import NO_PATHWAY, AllocationLine, Position
from dom_desk.domain.money import uprate
from dom_desk.domain.overview import allocation_totals_in, overview
from dom_desk.domain.region import year_by_label, years
from dom_desk.domain.tables import FieldEdit
from dom_desk.errors import ConflictError, LockedError, ValidationError
from dom_desk.exports import table_sheets
from dom_desk.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    AuditEntry,
    EnvelopeLine,
    ProviderKind,
    Sector,
)

DIMENSIONS = ("provider", "kind", "sector", "pathway")


def test_totals_every_way_add_up_to_the_overview_totals_to_the_penny(workbook) -> None:
    build(workbook)
    pos = al.position(workbook)
    with workbook.session() as s:
        expected = allocation_totals_in(s, year_by_label(s, "2009-10").id)
    assert (pos.baseline, pos.provisional, pos.agreed, pos.committed) == expected
    for dimension in DIMENSIONS:
        groups = pos.totals(dimension)
        assert sum(g.committed for g in groups) == pos.committed
        assert sum(g.baseline for g in groups) == pos.baseline
        assert sum(g.provisional for g in groups) == pos.provisional
        assert sum(g.agreed for g in groups) == pos.agreed
        assert sum(g.count for g in groups) == len(pos.lines)
    assert pos.envelope == overview(workbook).envelope == pounds(1_200_000)
    assert pos.headroom == pos.envelope - pos.committed


def test_committed_is_agreed_else_provisional_else_baseline(workbook) -> None:
    ids = build(workbook)
    lines = {line.id: line for line in al.position(workbook).lines}
    assert lines[ids.signed_alloc].committed == pounds(240_000)  # agreed
    assert lines[ids.prison_custody_alloc].committed == pounds(660_000)  # provisional
    assert lines[ids.agreement_level_alloc].committed == pounds(1_000)  # baseline


def test_pathway_comes_from_the_service_and_agreement_level_money_has_none(workbook) -> None:
    ids = build(workbook)
    pos = al.position(workbook)
    lines = {line.id: line for line in pos.lines}
    assert lines[ids.charity_alloc].pathway == "Accommodation"
    assert lines[ids.agreement_level_alloc].pathway == NO_PATHWAY
    assert lines[ids.prison_custody_alloc].pathway == NO_PATHWAY  # custody has no pathway
    pathways = {g.name: g.committed for g in pos.by_pathway}
    assert pathways[NO_PATHWAY] == pounds(660_000 + 240_000 + 1_000)
    assert [g.name for g in pos.by_sector] == ["Public", "Third"]


def test_variance_is_agreed_less_provisional_in_pounds_and_per_cent(workbook) -> None:
    ids = build(workbook)
    lines = {line.id: line for line in al.position(workbook).lines}
    risley = lines[ids.signed_alloc]
    assert risley.variance == -pounds(200_000)
    assert risley.variance_percent == Decimal("-45.5")
    assert lines[ids.prison_custody_alloc].variance is None  # not agreed yet


def test_a_variance_beyond_the_dom_threshold_is_warned_about(workbook) -> None:
    ids = build(workbook)
    warnings = al.position(workbook).warnings
    assert len(warnings) == 1
    assert "HMP Risley" in warnings[0] and "beyond the 5% threshold" in warnings[0]
    # A variance exactly at the threshold is within it; just past it is not.
    al.update_allocations(
        workbook, [FieldEdit(ids.prison_custody_alloc, "agreed", pounds(693_000))]
    )  # +5.0% of 660,000
    assert not any("HMP Kennet" in w for w in al.position(workbook).warnings)
    al.update_allocations(
        workbook, [FieldEdit(ids.prison_custody_alloc, "agreed", pounds(693_000) + 1)]
    )
    assert any("HMP Kennet" in w for w in al.position(workbook).warnings)
    al.set_variance_threshold(workbook, Decimal(50))
    assert al.position(workbook).warnings == []


def test_threshold_must_be_a_sensible_percentage(workbook) -> None:
    with pytest.raises(ValidationError, match="Variance threshold"):
        al.set_variance_threshold(workbook, Decimal(-1))


def test_allocations_over_the_envelope_are_warned_about_with_the_amounts(workbook) -> None:
    ids = build(workbook)
    assert not al.position(workbook).over_envelope
    al.update_allocations(
        workbook, [FieldEdit(ids.prison_custody_alloc, "provisional", pounds(761_501))]
    )
    pos = al.position(workbook)
    assert pos.over_envelope and pos.headroom == -pounds(1)
    assert (
        "Allocations of £1,200,001 exceed the 2009-10 envelope of £1,200,000 by £1." in pos.warnings
    )


def test_a_year_without_an_envelope_says_so(workbook) -> None:
    build(workbook)
    with workbook.session() as s:
        for line in s.scalars(select(EnvelopeLine)):
            s.delete(line)
    assert any("No envelope is set for 2009-10" in w for w in al.position(workbook).warnings)


def test_envelope_lines_are_set_by_funding_source(workbook) -> None:
    build(workbook)
    al.set_envelope_line(workbook, "Drug Interventions Programme", pounds(50_000))
    pos = al.position(workbook)
    assert pos.envelope == pounds(1_250_000)
    assert [e.funding_source for e in pos.envelope_lines][0] == "NOMS regional allocation"
    # A central adjustment is a negative line (issue 13 item 7): it reduces the envelope.
    al.set_envelope_line(workbook, "Centrally managed", -pounds(1_000))
    assert al.position(workbook).envelope == pounds(1_249_000)


def test_a_batch_edit_is_all_or_nothing(workbook) -> None:
    ids = build(workbook)
    before = figures(workbook)
    with pytest.raises(LockedError, match="HMP Risley SLA 2009-10"):
        al.update_allocations(
            workbook,
            [
                FieldEdit(ids.prison_custody_alloc, "agreed", pounds(600_000)),
                FieldEdit(ids.signed_alloc, "agreed", pounds(1)),  # a signed SLA: locked
            ],
        )
    assert figures(workbook) == before


def test_a_batch_edit_against_a_stale_row_is_refused(workbook) -> None:
    ids = build(workbook)
    line = next(x for x in al.position(workbook).lines if x.id == ids.prison_custody_alloc)
    al.update_allocations(workbook, [FieldEdit(line.id, "agreed", pounds(600_000))])
    with pytest.raises(ConflictError, match="changed elsewhere"):
        al.update_allocations(
            workbook, [FieldEdit(line.id, "agreed", pounds(500_000), line.version)]
        )


def test_table_rows_follow_the_columns_and_sum_exactly(workbook) -> None:
    build(workbook)
    pos = al.position(workbook)
    rows = al.table_rows(pos)
    totals = table_sheets.totals_row(al.COLUMNS, rows)
    keys = [c.key for c in al.COLUMNS]
    assert totals[0] == "Total"
    assert totals[keys.index("committed")] == pos.committed
    assert totals[keys.index("baseline")] == pos.baseline
    flagged = [r for r in rows if r.values[keys.index("flag")]]
    assert [al.row_label(r) for r in flagged] == [
        "HMP Risley, HMP Risley SLA 2009-10, Custody places"
    ]


# -- roll forward -------------------------------------------------------------------------


def test_roll_forward_makes_next_years_baselines_from_this_years_figures(workbook) -> None:
    build(workbook)
    this_year = al.position(workbook)
    done = al.roll_forward(workbook, "2009-10", Decimal("2.5"))
    assert done.to_year == "2010-11" and done.year_created
    next_year = al.position(workbook, "2010-11")
    assert sorted(line.baseline for line in next_year.lines) == sorted(
        uprate(line.committed, Decimal("2.5")) for line in this_year.lines
    )
    assert next_year.baseline == done.baseline
    assert all(line.provisional is None and line.agreed is None for line in next_year.lines)
    with workbook.session() as s:
        slas = s.scalars(
            select(Agreement).where(
                Agreement.kind == AgreementKind.SLA,
                Agreement.year_id == year_by_label(s, "2010-11").id,
            )
        ).all()
        assert sorted(a.title for a in slas) == ["HMP Kennet SLA 2010-11", "HMP Risley SLA 2010-11"]
        assert {a.status for a in slas} == {AgreementStatus.DRAFT}
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "roll forward")).one()
        assert entry.note == "From 2009-10, uprated by 2.5%"
    # The contract runs on: its allocations stay with the same agreement.
    charity = [line for line in next_year.lines if line.provider == "Nacro"]
    assert {line.agreement_kind for line in charity} == {AgreementKind.CONTRACT}


def test_roll_forward_into_a_year_with_allocations_is_refused_unchanged(workbook) -> None:
    build(workbook)
    al.roll_forward(workbook, "2009-10")
    before = figures(workbook)
    with pytest.raises(ValidationError, match="2010-11 already has allocations"):
        al.roll_forward(workbook, "2009-10")
    assert figures(workbook) == before


def test_roll_forward_is_undone_exactly_and_can_be_redone(workbook) -> None:
    build(workbook)
    before = figures(workbook)
    done = al.roll_forward(workbook, "2009-10", Decimal(3))
    al.undo_roll_forward(workbook, done)
    assert figures(workbook) == before
    with workbook.session() as s:
        assert [y.label for y in years(s)] == ["2009-10"]
    again = al.roll_forward(workbook, "2009-10", Decimal(3))
    assert again.baseline == done.baseline


def test_roll_forward_cannot_be_undone_once_next_years_figures_are_edited(workbook) -> None:
    build(workbook)
    done = al.roll_forward(workbook, "2009-10")
    al.update_allocations(workbook, [FieldEdit(done.allocation_ids[0], "provisional", 5)])
    with pytest.raises(ConflictError, match="changed after the roll forward"):
        al.undo_roll_forward(workbook, done)


# -- properties ---------------------------------------------------------------------------

pence = st.integers(min_value=0, max_value=10**12)
maybe_pence = st.none() | pence


@st.composite
def allocation_lines(draw: st.DrawFn) -> AllocationLine:
    return AllocationLine(
        id=draw(st.integers(1, 10**6)),
        version=1,
        provider_id=1,
        provider=draw(st.sampled_from(["HMP A", "HMP B", "Nacro", "Sova"])),
        provider_kind=draw(st.sampled_from(list(ProviderKind))),
        sector=draw(st.sampled_from(list(Sector))),
        agreement_id=1,
        agreement="A",
        agreement_kind=AgreementKind.SLA,
        status=AgreementStatus.DRAFT,
        service_line_id=None,
        service="",
        pathway=draw(st.sampled_from(["Accommodation", NO_PATHWAY])),
        funding_source="",
        baseline=draw(pence),
        provisional=draw(maybe_pence),
        agreed=draw(maybe_pence),
    )


@given(st.lists(allocation_lines(), max_size=30))
def test_totals_by_any_grouping_always_sum_to_the_grand_totals(lines) -> None:
    pos = Position("2009-10", (), tuple(lines), Decimal(5))
    for dimension in DIMENSIONS:
        groups = pos.totals(dimension)
        assert sum(g.committed for g in groups) == pos.committed
        assert sum(g.provisional for g in groups) == pos.provisional
    assert pos.committed == sum(line.committed for line in lines)


@given(pence, st.decimals(min_value=-50, max_value=50, places=2))
def test_uprating_is_within_half_a_penny_of_exact(amount: int, percent: Decimal) -> None:
    exact = Decimal(amount) * (100 + percent) / 100
    assert abs(Decimal(uprate(amount, percent)) - exact) <= Decimal("0.5")


# -- export -------------------------------------------------------------------------------


def _sheet_rows(path, title: str) -> list[tuple]:
    from openpyxl import load_workbook

    return list(load_workbook(path)[title].iter_rows(min_row=2, values_only=True))


def _pence(value) -> int:
    return int(Decimal(str(value)) * 100)


def test_export_allocations_command_writes_money_as_numbers_matching_the_domain(
    demo_file, tmp_path, capsys
) -> None:
    import shutil

    from openpyxl import load_workbook

    from dom_desk.cli import main
    from dom_desk.exports.xlsx_tables import MONEY_FORMAT
    from dom_desk.storage.workbook import open_workbook

    db = tmp_path / "copy.domdesk"
    shutil.copyfile(demo_file, db)
    out = tmp_path / "allocations.xlsx"
    assert (
        main(["export", "allocations", "--db", str(db), "--year", "2009-10", "-o", str(out)]) == 0
    )
    assert "Wrote 52 allocations for 2009-10" in capsys.readouterr().out
    wb = open_workbook(db, read_only=True)
    pos = al.position(wb, "2009-10")
    wb.close()

    sheet = load_workbook(out)["Allocations 2009-10"]
    committed = [c.value for c in sheet[1]].index("Committed") + 1
    first = sheet.cell(row=2, column=committed)
    assert isinstance(first.value, int | float) and first.number_format == MONEY_FORMAT
    rows = _sheet_rows(out, "By sector")
    sectors = {r[0]: _pence(r[5]) for r in rows if r[0] in ("Public", "Private", "Third")}
    assert sectors == {g.name: g.committed for g in pos.by_sector}
    total = next(r for r in rows if r[0] == "Total")
    assert [_pence(v) for v in total[2:]] == [
        pos.baseline,
        pos.provisional,
        pos.agreed,
        pos.committed,
    ]
    envelope = {r[0]: _pence(r[1]) for r in _sheet_rows(out, "Envelope") if r[1] is not None}
    assert (envelope["Envelope"], envelope["Committed"], envelope["Headroom"]) == (
        pos.envelope,
        pos.committed,
        pos.headroom,
    )


def test_export_allocations_for_a_year_not_held_is_one_line_and_writes_nothing(
    workbook, tmp_path, capsys
) -> None:
    from dom_desk.cli import main

    path = workbook.location
    workbook.close()
    out = tmp_path / "x.xlsx"
    assert (
        main(["export", "allocations", "--db", str(path), "--year", "2012-13", "-o", str(out)]) == 1
    )
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no financial year 2012-13" in err
    assert not out.exists()
