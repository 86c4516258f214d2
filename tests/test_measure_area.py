"""The Measures area through the domain: every measure listed with its years and parts,
each field written through the measure checks (one transaction, audited, refused by
sentence naming the field with nothing written), New for the shown year, Delete refused
while targets or results use a measure, and Retire from a year on."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from dom_desk.domain import measures, records
from dom_desk.domain.measures import PartView
from dom_desk.domain.region import ensure_year, year_by_label
from dom_desk.domain.tables import AREAS, FieldEdit, load_rows, update_field, update_fields
from dom_desk.errors import DomDeskError, ValidationError
from dom_desk.models import (
    AuditEntry,
    Guidance,
    Measure,
    MeasureUnit,
    Provider,
    ProviderKind,
    Sector,
    Target,
)
from dom_desk.models.performance import MeasurePart, MeasureYear


def _values(wb: Any, row_id: int, year: str | None = None) -> dict[str, Any]:
    keys = [c.key for c in AREAS["measures"].columns]
    for row in load_rows(wb, "measures", year):
        if row.id == row_id:
            return dict(zip(keys, row.values, strict=True))
    raise AssertionError(f"no measure {row_id}")


def _measure(wb: Any, code: str = "KPI 1", **values: Any) -> int:
    return measures.create_measure(wb, code, "Escapes", "count", **values).id


def _audit(wb: Any, entity: str) -> list[tuple[str, str]]:
    with wb.session() as session:
        return list(
            session.execute(
                select(AuditEntry.action, AuditEntry.field).where(AuditEntry.entity == entity)
            ).all()
        )


def _target(wb: Any, measure_id: int, year: str) -> None:
    with wb.session() as session:
        provider = session.scalar(select(Provider)) or Provider(
            name="HMP Garth", kind=ProviderKind.PUBLIC_PRISON, sector=Sector.PUBLIC
        )
        session.add(provider)
        session.flush()
        session.add(
            Target(
                measure_id=measure_id,
                provider_id=provider.id,
                year_id=year_by_label(session, year).id,
                value=Decimal(1),
            )
        )


def _with_2010(wb: Any) -> None:
    with wb.session() as session:
        ensure_year(session, "2010-11")


def test_the_area_shows_each_measures_years_parts_and_whether_it_is_in_the_year(
    workbook,
) -> None:
    _with_2010(workbook)
    every = _measure(workbook, "KPI 1")
    later = _measure(workbook, "KPI 2", years=["2010-11"])
    parted = measures.create_measure(
        workbook,
        "PT 9",
        "Programme completions",
        "count",
        parts=[PartView("(a)", "All programmes"), PartView("(b)", "Of which sex offenders")],
        years=["2009-10", "2010-11"],
    ).id
    assert [r.id for r in load_rows(workbook, "measures", "2009-10")] == [every, later, parted]
    shown = _values(workbook, parted, "2009-10")
    assert shown["years"] == "2009-10, 2010-11"
    assert shown["parts"] == "(a), (b)"
    assert shown["part_wordings"] == "(a) All programmes\n(b) Of which sex offenders"
    assert _values(workbook, every, "2009-10")["years"] == "Every year"
    assert [_values(workbook, i, "2009-10")["in_year"] for i in (every, later, parted)] == [
        True,
        False,
        True,
    ]
    assert _values(workbook, later, "2010-11")["in_year"] is True
    # The window never shows the flag it filters by.
    assert "in_year" not in [c.key for c in AREAS["measures"].table_columns]
    assert "in_year" not in [c.key for c in AREAS["measures"].shown_columns]


def test_every_field_of_a_measure_is_written_and_audited(workbook) -> None:
    row_id = _measure(workbook, guidance=Guidance.REGIONAL_MINIMUM)
    edits = {
        "title": "No escapes from closed prisons",
        "area": "Public protection",
        "unit": MeasureUnit.PERCENT,
        "national_value": Decimal("0.05"),
        "floor": Decimal("0.1"),
        "weighting": 12,
        "tolerance": Decimal("2.5"),
        "reported_by_providers": False,
        "source": "NOMS KPIs 2009-10",
        "outcome": "Public protection",
        "driver": "Security",
        "notes": "Prison only",
    }
    for key, value in edits.items():
        update_field(workbook, "measures", row_id, key, value)
    shown = _values(workbook, row_id)
    assert {k: shown[k] for k in edits} == edits
    assert {field for action, field in _audit(workbook, "measure") if action == "update"} >= set(
        edits
    )


def test_a_new_code_keeps_the_code_key_in_step(workbook) -> None:
    row_id = _measure(workbook, "KPI 1")
    change = update_field(workbook, "measures", row_id, "code", "KPI 1a")
    assert (change.old, change.new) == ("KPI 1", "KPI 1a")
    assert measures.measure_with_parts(workbook, "kpi1A").id == row_id
    with pytest.raises(ValidationError):
        measures.measure_with_parts(workbook, "KPI 1")


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("floor", Decimal(70), "only for a Regional Minimum measure"),
        ("weighting", 0, "whole number from 1 to 100"),
        ("weighting", 101, "whole number from 1 to 100"),
        ("tolerance", Decimal(-1), "cannot be negative"),
        ("code", "KPI 2", "already used by 'KPI 2'"),
        ("code", "K" * 21, "longer than 20 characters"),
        ("title", "", "cannot be empty"),
    ],
)
def test_a_refused_value_names_the_measure_and_field_and_writes_nothing(
    workbook, key: str, value: Any, words: str
) -> None:
    row_id = _measure(workbook, "KPI 1")
    _measure(workbook, "KPI 2")
    before = _values(workbook, row_id)
    title = AREAS["measures"].column(key).title
    with pytest.raises(ValidationError) as refused:
        update_field(workbook, "measures", row_id, key, value)
    assert refused.value.where == f"Measures, 'KPI 1', {title}"
    assert words in str(refused.value)
    assert _values(workbook, row_id) == before


def test_guidance_cannot_leave_regional_minimum_while_a_floor_is_set(workbook) -> None:
    row_id = _measure(workbook, guidance="Regional Minimum", floor="70")
    with pytest.raises(ValidationError, match="empty the floor first"):
        update_field(workbook, "measures", row_id, "guidance", Guidance.LOCALLY_SET)
    update_field(workbook, "measures", row_id, "floor", None)
    update_field(workbook, "measures", row_id, "guidance", Guidance.LOCALLY_SET)
    assert _values(workbook, row_id)["guidance"] is Guidance.LOCALLY_SET
    # The same rule for the domain function the command line calls.
    with pytest.raises(ValidationError, match="only for a Regional Minimum"):
        measures.edit_measure(workbook, "KPI 1", {"floor": "5"})
    with pytest.raises(ValidationError, match="only for a Regional Minimum"):
        measures.create_measure(workbook, "KPI 9", "Other", "%", floor="5")


def test_a_paste_with_one_bad_cell_writes_none_of_it(workbook) -> None:
    first, second = _measure(workbook, "KPI 1"), _measure(workbook, "KPI 2")
    with pytest.raises(ValidationError, match="KPI 2"):
        update_fields(
            workbook,
            "measures",
            [FieldEdit(first, "weighting", 10), FieldEdit(second, "weighting", 500)],
        )
    assert _values(workbook, first)["weighting"] is None
    update_fields(
        workbook, "measures", [FieldEdit(first, "weighting", 10), FieldEdit(second, "weighting", 5)]
    )
    assert [_values(workbook, i)["weighting"] for i in (first, second)] == [10, 5]


def test_a_new_measure_from_the_form_belongs_to_the_shown_years_set(workbook) -> None:
    _with_2010(workbook)
    new_id = records.create(
        workbook,
        "measures",
        {
            "code": " PT  20 ",
            "title": "Victim contact",
            "unit": MeasureUnit.PERCENT,
            "direction": "Higher is better",
            "guidance": "National",
        },
        "2010-11",
    )
    shown = _values(workbook, new_id, "2010-11")
    assert (shown["code"], shown["years"], shown["in_year"]) == ("PT 20", "2010-11", True)
    assert _values(workbook, new_id, "2009-10")["in_year"] is False
    assert any(action == "insert" for action, _f in _audit(workbook, "measure"))
    with pytest.raises(ValidationError) as refused:
        records.create(
            workbook,
            "measures",
            {"code": "pt20", "title": "Again", "unit": "%", "guidance": "National"},
        )
    assert refused.value.where == "New measure, Code"
    with pytest.raises(ValidationError) as unchosen:
        records.create(workbook, "measures", {"code": "PT 21", "title": "x", "unit": None})
    assert unchosen.value.where == "New measure, Unit"


def test_an_unused_measure_is_deleted_with_its_years_and_parts_and_put_back(workbook) -> None:
    row_id = measures.create_measure(
        workbook,
        "PT 9",
        "Programmes",
        "count",
        years=["2009-10"],
        parts=[PartView("(a)", "All"), PartView("(b)", "Sex offenders", weighting=3)],
    ).id
    before = measures.measure_with_parts(workbook, "PT 9")
    deleted = records.delete(workbook, "measures", row_id)
    with workbook.session() as session:
        assert session.scalar(select(func.count()).select_from(MeasurePart)) == 0
        assert session.scalar(select(func.count()).select_from(MeasureYear)) == 0
    assert [r.id for r in load_rows(workbook, "measures")] == []
    records.restore(workbook, deleted)
    assert measures.measure_with_parts(workbook, "PT 9") == before
    actions = [action for action, _f in _audit(workbook, "measure")]
    assert "delete record" in actions and "restore record" in actions


def test_a_measure_with_targets_or_results_is_not_deleted(workbook) -> None:
    row_id = _measure(workbook)
    _target(workbook, row_id, "2009-10")
    with pytest.raises(DomDeskError) as refused:
        records.check_delete(workbook, "measures", row_id)
    assert "Measure 'KPI 1' cannot be deleted: it has 1 target" in str(refused.value)
    assert "Retire it" in str(refused.value)
    with pytest.raises(DomDeskError):
        records.delete(workbook, "measures", row_id)
    with workbook.session() as session:
        assert session.get(Measure, row_id) is not None


def test_retiring_from_a_year_takes_it_out_of_that_and_later_years_sets(workbook) -> None:
    _with_2010(workbook)
    with workbook.session() as session:
        ensure_year(session, "2011-12")
    row_id = _measure(workbook)  # every year
    assert measures.years_after_retiring(workbook, "KPI 1", "2010-11") == ("2009-10",)
    retired = measures.retire_from(workbook, "KPI 1", "2010-11")
    assert retired.years == ("2009-10",)
    assert [m.code for m in measures.measures_of_year(workbook, "2010-11")] == []
    assert _values(workbook, row_id, "2011-12")["in_year"] is False
    # A later year holding its targets keeps it; the year retired from cannot hold any.
    other = _measure(workbook, "KPI 2")
    _target(workbook, other, "2011-12")
    assert measures.retire_from(workbook, "KPI 2", "2010-11").years == ("2009-10", "2011-12")
    with pytest.raises(ValidationError, match="targets or results in 2011-12"):
        measures.retire_from(workbook, "KPI 2", "2011-12")


def test_retiring_a_measure_from_its_first_year_is_refused_in_favour_of_delete(workbook) -> None:
    _measure(workbook, years=["2009-10"])
    with pytest.raises(ValidationError, match="delete it instead"):
        measures.retire_from(workbook, "KPI 1", "2009-10")
    assert measures.measure_with_parts(workbook, "KPI 1").years == ("2009-10",)
