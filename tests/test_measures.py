"""Measures through the domain: per-year measure sets, multi-part measures, edits,
retiring, and the years rule honoured by the templates' and SLAs' measures_for."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dom_desk.domain import measures as api
from dom_desk.domain.applicability import measures_for
from dom_desk.domain.measures import PartView
from dom_desk.domain.region import ensure_year, year_by_label
from dom_desk.errors import ConflictError, ValidationError
from dom_desk.models import (
    AuditEntry,
    Direction,
    FinancialYear,
    Guidance,
    Measure,
    MeasureUnit,
    Provider,
    ProviderKind,
    Scope,
    Sector,
    Target,
)
from dom_desk.storage.workbook import open_workbook

FIXTURE = Path(__file__).parent / "fixtures" / "schema-0001.domdesk"


def _with_2010(wb) -> None:
    with wb.session() as session:
        ensure_year(session, "2010-11")


def _prison(wb) -> int:
    with wb.session() as session:
        prison = Provider(
            name="HMP Manchester", kind=ProviderKind.PUBLIC_PRISON, sector=Sector.PUBLIC
        )
        session.add(prison)
        session.flush()
        return prison.id


def _codes_for(wb, provider_id: int, year: str) -> list[str]:
    with wb.session() as session:
        provider = session.get(Provider, provider_id)
        return [m.code for m in measures_for(session, provider, year_by_label(session, year))]


def _audit_count(wb) -> int:
    with wb.session() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry))


def test_a_multi_part_measure_is_stored_and_read_back_with_its_parts(workbook) -> None:
    parts = [
        PartView("(a)", "Accredited programme completions", weighting=3),
        PartView("(b)", "Of which sex offenders", unit="count", national_value="1,250"),
    ]
    made = api.create_measure(
        workbook,
        "PT 9",
        "Programme completions",
        "%",
        parts=parts,
        guidance="National",
        outcome="Reduce reoffending",
        driver="Offender management",
    )
    read = api.measure_with_parts(workbook, "pt9")
    assert read == made
    assert (read.code, read.unit, read.guidance) == ("PT 9", MeasureUnit.PERCENT, Guidance.NATIONAL)
    assert (read.outcome, read.driver) == ("Reduce reoffending", "Offender management")
    assert [(p.label, p.wording, p.weighting) for p in read.parts] == [
        ("(a)", "Accredited programme completions", 3),
        ("(b)", "Of which sex offenders", None),
    ]
    assert read.parts[1].unit is MeasureUnit.COUNT
    assert read.parts[1].national_value == Decimal(1250)
    assert read.parts[0].unit is None  # takes the measure's
    assert read.every_year


def test_a_measure_applies_only_in_its_years_and_one_without_years_in_every_year(
    workbook,
) -> None:
    _with_2010(workbook)
    prison = _prison(workbook)
    api.create_measure(workbook, "KPI 1", "Escapes", "count", scope="Prison only")
    api.create_measure(workbook, "KPI 2", "Programme starts", "count", scope=Scope.INTEGRATED)
    api.set_measure_years(workbook, "KPI 2", ["2009-10"])

    assert [m.code for m in api.measures_of_year(workbook, "2009-10")] == ["KPI 1", "KPI 2"]
    assert [m.code for m in api.measures_of_year(workbook, "2010-11")] == ["KPI 1"]
    assert _codes_for(workbook, prison, "2009-10") == ["KPI 1", "KPI 2"]
    assert _codes_for(workbook, prison, "2010-11") == ["KPI 1"]

    assert api.set_measure_years(workbook, "KPI 2", []).every_year
    assert _codes_for(workbook, prison, "2010-11") == ["KPI 1", "KPI 2"]


def test_a_target_agreed_in_a_year_keeps_the_measure_applying_there(workbook) -> None:
    _with_2010(workbook)
    prison = _prison(workbook)
    api.create_measure(workbook, "T 1", "Local target", "count", years=["2009-10"])
    with workbook.session() as session:
        measure = session.scalars(select(Measure)).one()
        year = year_by_label(session, "2010-11")
        session.add(Target(measure_id=measure.id, provider_id=prison, year_id=year.id))
    assert _codes_for(workbook, prison, "2010-11") == ["T 1"]


def test_an_edit_changes_only_the_named_field_and_is_audited(workbook) -> None:
    made = api.create_measure(
        workbook, "PT 1", "Orders completed", "%", national_value="70", guidance="Regional Minimum"
    )
    before = _audit_count(workbook)
    edited = api.edit_measure(workbook, "PT 1", {"floor": "65", "direction": "Higher is better"})
    assert edited.floor == Decimal(65)
    assert (edited.title, edited.national_value) == (made.title, made.national_value)
    with workbook.session() as session:
        updates = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "measure", AuditEntry.action == "update")
        ).all()
    assert [(u.field, u.old, u.new) for u in updates] == [("floor", None, "65")]
    assert _audit_count(workbook) == before + 1


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"unit": "furlongs"}, "unit"),
        ({"national_value": "seventy"}, "national value"),
        ({"national_value": 70.5}, "national value"),
        ({"weighting": 120}, "weighting"),
        ({"title": "  "}, "wording"),
        ({"area": "x" * 121}, "area"),
        ({"tolerance": "-1"}, "tolerance"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_value_is_refused_naming_the_field_and_changes_nothing(
    workbook, changes: dict, words: str
) -> None:
    made = api.create_measure(workbook, "PT 1", "Orders completed", "%")
    with pytest.raises(ValidationError, match=words):
        api.edit_measure(workbook, "PT 1", changes)
    assert api.measure_with_parts(workbook, "PT 1") == made


def test_codes_stay_unique_and_a_stale_edit_is_refused(workbook) -> None:
    made = api.create_measure(workbook, "PT 1", "Orders completed", "%")
    api.create_measure(workbook, "PT 2", "Licences completed", "%")
    with pytest.raises(ValidationError, match="already used"):
        api.create_measure(workbook, "pt 1", "Again", "%")
    with pytest.raises(ValidationError, match="already used"):
        api.edit_measure(workbook, "PT 2", {"code": "PT1"})
    api.edit_measure(workbook, "PT 1", {"notes": "first"}, row_version=made.row_version)
    with pytest.raises(ConflictError):
        api.edit_measure(workbook, "PT 1", {"notes": "second"}, row_version=made.row_version)
    assert api.measure_with_parts(workbook, "PT 1").notes == "first"


def test_parts_with_the_same_label_or_a_single_part_are_refused(workbook) -> None:
    api.create_measure(workbook, "T 20", "Two parts", "%")
    with pytest.raises(ValidationError, match="label"):
        api.set_measure_parts(workbook, "T 20", [PartView("(a)", "x"), PartView("(A)", "y")])
    with pytest.raises(ValidationError, match="two parts"):
        api.set_measure_parts(workbook, "T 20", [PartView("(a)", "x")])
    both = api.set_measure_parts(workbook, "T 20", [PartView("i", "x"), PartView("ii", "y")])
    assert [p.label for p in both.parts] == ["i", "ii"]
    assert api.set_measure_parts(workbook, "T 20", []).parts == ()


def test_retiring_deletes_an_unused_measure_and_keeps_a_used_one_for_its_years(
    workbook,
) -> None:
    _with_2010(workbook)
    prison = _prison(workbook)
    api.create_measure(workbook, "OLD", "Never used", "count")
    api.create_measure(workbook, "USED", "Targets agreed", "count", scope="Prison only")
    with workbook.session() as session:
        measure = session.scalars(select(Measure).where(Measure.code == "USED")).one()
        year = year_by_label(session, "2009-10")
        session.add(Target(measure_id=measure.id, provider_id=prison, year_id=year.id))

    assert api.retire_measure(workbook, "OLD") == api.Retired("OLD", True, ())
    assert api.retire_measure(workbook, "USED") == api.Retired("USED", False, ("2009-10",))
    assert [m.code for m in api.all_measures(workbook)] == ["USED"]
    assert _codes_for(workbook, prison, "2010-11") == []
    assert _codes_for(workbook, prison, "2009-10") == ["USED"]


def test_a_schema_0001_workbook_upgrades_and_its_measures_apply_to_every_year(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.domdesk"
    shutil.copyfile(FIXTURE, path)
    wb = open_workbook(path)
    try:
        everything = api.all_measures(wb)
        assert everything, "the fixture holds measures"
        assert all(m.every_year and m.parts == () and m.outcome == "" for m in everything)
        with wb.session() as session:
            labels = [y.label for y in session.scalars(select(FinancialYear))]
        for label in labels:
            assert api.measures_of_year(wb, label) == everything
        # And the upgraded file takes the new fields.
        code = everything[0].code
        api.set_measure_years(wb, code, labels[:1])
        assert api.edit_measure(wb, code, {"direction": Direction.LOWER}).years == tuple(labels[:1])
    finally:
        wb.close()
