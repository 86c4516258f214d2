"""Return templates: what a provider receives, and which measures it is asked about."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from returns_support import TARGETS, populate
from sqlalchemy import select

from dom_desk.domain.applicability import measures_for
from dom_desk.domain.region import region, year_by_label
from dom_desk.errors import ValidationError
from dom_desk.exports.template_files import make_template, make_templates
from dom_desk.models import Provider
from dom_desk.readers import returns_format as fmt


@pytest.fixture
def region_wb(workbook):
    populate(workbook)
    return workbook


def _codes(session, name: str) -> list[str]:
    provider = session.scalars(select(Provider).where(Provider.name == name)).one()
    return [m.code for m in measures_for(session, provider, year_by_label(session, "2009-10"))]


def test_measures_apply_by_scope_and_provider_kind(region_wb) -> None:
    with region_wb.session() as session:
        # prisons: prison-only and integrated; in code order (PT 10 after PT 7)
        assert _codes(session, "HMP Manchester") == ["PT 1", "PT 2", "PT 3", "PT 6", "PT 7"]
        # probation: probation-only and integrated
        assert _codes(session, "Lancashire Probation Trust") == [
            "PM 1",
            "PT 3",
            "PT 4",
            "PT 6",
            "PT 7",
            "PT 10",
        ]
        # voluntary sector and private: only what they have a target for
        assert _codes(session, "Shelter North West") == ["PT 3", "PT 10"]
        assert _codes(session, "Acme Resettlement Ltd") == []


def test_template_has_cover_return_table_and_hidden_identity(region_wb, tmp_path) -> None:
    path = make_template(region_wb, "HMP Manchester", "2009-10-Q1", tmp_path / "t.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == [fmt.COVER_SHEET, fmt.RETURN_SHEET, fmt.IDENTITY_SHEET]

    sheet = book[fmt.RETURN_SHEET]
    assert [c.value for c in sheet[1]] == list(fmt.COLUMNS)
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == ["PT 1", "PT 2", "PT 3", "PT 6", "PT 7"]
    for code, _title, unit, target, *inputs in rows:
        expected = TARGETS.get(("HMP Manchester", code))
        assert (Decimal(str(target)) if target is not None else None) == expected
        assert unit in ("%", "days", "rate per 1,000")
        assert inputs == [None, None, None, None]

    cover = {
        r[0].value: r[1].value for r in book[fmt.COVER_SHEET].iter_rows(max_col=2) if r[0].value
    }
    assert cover[fmt.COVER_PROVIDER] == "HMP Manchester"
    assert cover[fmt.COVER_PERIOD] == "Q1 2009-10"  # the code stays in the hidden sheet
    assert cover[fmt.COVER_PERIOD_TEXT] == "April to June 2009"
    assert cover[fmt.COVER_REGION] == "North West"
    assert cover[fmt.COVER_DUE].date().isoformat() == "2009-07-10"

    hidden = book[fmt.IDENTITY_SHEET]
    assert hidden.sheet_state == "veryHidden"
    identity = {r[0].value: r[1].value for r in hidden.iter_rows()}
    with region_wb.session() as session:
        assert identity[fmt.ID_WORKBOOK] == region(session).workbook_uuid
    assert identity[fmt.ID_VERSION] == fmt.TEMPLATE_VERSION
    assert identity[fmt.ID_REGION] == "North West"
    assert identity[fmt.ID_PERIOD] == "2009-10-Q1"


def test_only_input_cells_are_unlocked_and_they_carry_hints(region_wb, tmp_path) -> None:
    path = make_template(region_wb, "HMP Manchester", "2009-10-Q1", tmp_path / "t.xlsx")
    book = load_workbook(path)
    sheet = book[fmt.RETURN_SHEET]
    assert sheet.protection.sheet
    for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row):
        for cell, title in zip(row, fmt.COLUMNS, strict=True):
            unlocked = cell.row > 1 and title in fmt.INPUT_COLUMNS
            assert cell.protection.locked is not unlocked, cell.coordinate

    validations = sheet.data_validations.dataValidation
    actual_hints = [v for v in validations if "E2" in v.sqref or "E3" in v.sqref]
    assert actual_hints and all(v.showInputMessage and v.prompt for v in actual_hints)
    percent = next(v for v in validations if "E2" in v.sqref)
    assert "90%" in percent.prompt and percent.type == "decimal"

    cover = book[fmt.COVER_SHEET]
    assert cover.protection.sheet
    lists = [v for v in cover.data_validations.dataValidation if v.type == "list"]
    assert lists and lists[0].formula1 == '"Yes,No"'
    confirmed = next(r[1] for r in cover.iter_rows(max_col=2) if r[0].value == fmt.COVER_CONFIRMED)
    assert confirmed.coordinate in lists[0].sqref
    assert confirmed.protection.locked is False
    provider = next(r[1] for r in cover.iter_rows(max_col=2) if r[0].value == fmt.COVER_PROVIDER)
    assert provider.protection.locked is True


def test_counts_get_a_whole_number_check(region_wb, tmp_path) -> None:
    path = make_template(region_wb, "Lancashire Probation Trust", "2009-10-Q1", tmp_path / "t.xlsx")
    sheet = load_workbook(path)[fmt.RETURN_SHEET]
    row = next(r[0].row for r in sheet.iter_rows(min_row=2) if r[0].value == "PT 4")
    whole = [v for v in sheet.data_validations.dataValidation if v.type == "whole"]
    assert len(whole) == 1 and f"E{row}" in whole[0].sqref


def test_batch_writes_one_template_per_provider(region_wb, tmp_path) -> None:
    out = tmp_path / "out" / "2009-10-Q2"  # made by the batch
    batch = make_templates(region_wb, "2009-10-Q2", out)
    assert sorted(p.name for p in batch.written) == [
        "Q2 2009-10 HMP Kirkham.xlsx",
        "Q2 2009-10 HMP Manchester.xlsx",
        "Q2 2009-10 Lancashire Probation Trust.xlsx",
        "Q2 2009-10 Shelter North West.xlsx",
    ]
    assert len(batch.skipped) == 1 and "Acme Resettlement Ltd" in batch.skipped[0]
    for path in batch.written:
        book = load_workbook(path, read_only=True)
        identity = {r[0]: r[1] for r in book[fmt.IDENTITY_SHEET].iter_rows(values_only=True)}
        assert Path(path).name.endswith(f"{identity[fmt.ID_PROVIDER]}.xlsx")
        assert identity[fmt.ID_PERIOD] == "2009-10-Q2"
        book.close()


def test_unknown_provider_or_period_is_refused_without_writing(region_wb, tmp_path) -> None:
    with pytest.raises(ValidationError, match="Did you mean 'HMP Manchester'"):
        make_template(region_wb, "HMP Manchster", "2009-10-Q1", tmp_path / "a.xlsx")
    with pytest.raises(ValidationError, match="no period Q1 2011-12"):
        make_template(region_wb, "HMP Manchester", "2011-12-Q1", tmp_path / "b.xlsx")
    with pytest.raises(ValidationError, match="No measures apply"):
        make_template(region_wb, "Acme Resettlement Ltd", "2009-10-Q1", tmp_path / "c.xlsx")
    assert list(tmp_path.glob("*.xlsx")) == []
