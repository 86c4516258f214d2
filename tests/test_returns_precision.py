"""Figures in a return's notes at the precision of their unit, and a typed Actual that its
numerator and denominator contradict beyond rounding flagged (issue 14, item 6)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from returns_support import current_results, fill, populate, row_of

from dom_desk.cli import main
from dom_desk.domain.figures import shown_figure
from dom_desk.domain.returns import FileState, import_files, preview_files
from dom_desk.domain.returns_rows import RowStatus
from dom_desk.exports.template_files import make_template
from dom_desk.models import MeasureUnit
from dom_desk.readers import returns_format as fmt

ACTUAL, NUMERATOR, DENOMINATOR = 5, 6, 7


@pytest.fixture
def region_wb(workbook):
    populate(workbook)
    return workbook


@pytest.fixture
def manchester(region_wb, tmp_path) -> Path:
    return make_template(region_wb, "HMP Manchester", "2009-10-Q1", tmp_path / "mcr.xlsx")


@pytest.fixture
def trust(region_wb, tmp_path) -> Path:
    return make_template(
        region_wb, "Lancashire Probation Trust", "2009-10-Q1", tmp_path / "trust.xlsx"
    )


def _return(template: Path, target: Path, rows: dict[str, tuple], formats: dict | None = None):
    """A filled return: code -> (actual, numerator, denominator); rows of each code noted."""
    places: dict[str, int] = {}

    def edit(book):
        sheet = book[fmt.RETURN_SHEET]
        for code, values in rows.items():
            places[code] = row = row_of(sheet, code)
            for column, value in zip((ACTUAL, NUMERATOR, DENOMINATOR), values, strict=True):
                sheet.cell(row, column).value = value
            if formats and code in formats:
                sheet.cell(row, ACTUAL).number_format = formats[code]

    return fill(template, target, edit), places


def _notes(preview) -> dict[str, list[str]]:
    return {r.measure_code: [i.message for i in r.issues] for r in preview.rows}


def test_shown_figure_is_at_the_precision_of_the_unit() -> None:
    worked = Decimal(800) / Decimal(3010) * 100
    assert shown_figure(worked, MeasureUnit.PERCENT) == "26.58%"
    assert shown_figure(Decimal("12"), MeasureUnit.PERCENT) == "12.00%"
    assert shown_figure(Decimal("0.0333333"), MeasureUnit.PERCENT) == "0.03%"
    assert shown_figure(Decimal("29.98379"), MeasureUnit.RATE_PER_1000) == "29.98 per 1,000"
    assert shown_figure(Decimal("1234.565"), MeasureUnit.RATE_PER_100000) == (
        "1,234.57 per 100,000"
    )
    assert shown_figure(Decimal("9.492308"), MeasureUnit.DAYS) == "9.5 days"
    assert shown_figure(Decimal("12401"), MeasureUnit.COUNT) == "12,401"
    assert shown_figure(Decimal("2034.5"), MeasureUnit.ONE_IN_X) == "1 in 2,035"


def test_worked_out_notes_read_at_the_units_precision_and_store_full_values(
    region_wb, manchester, tmp_path
) -> None:
    filled, rows = _return(
        manchester,
        tmp_path / "f.xlsx",
        {"PT 2": (None, 800, 3010), "PT 6": (None, 1234, 130), "PT 7": (None, 37, 1234)},
    )
    (preview,) = preview_files(region_wb, [filled])
    notes = _notes(preview)
    assert notes["PT 2"] == ["worked out from numerator and denominator (800 / 3,010): 26.58%"]
    assert notes["PT 6"] == ["worked out from numerator and denominator (1,234 / 130): 9.5 days"]
    assert notes["PT 7"] == [
        "worked out from numerator and denominator (37 / 1,234): 29.98 per 1,000"
    ]

    summary = import_files(region_wb, [filled])
    assert summary.ok, summary.problems()
    assert (
        f"'f.xlsx', {fmt.RETURN_SHEET}!E{rows['PT 2']}: worked out from numerator "
        "and denominator (800 / 3,010): 26.58%." in summary.files[0].row_notes
    )
    # Only the words are rounded: what is stored keeps the columns' six places.
    assert current_results(region_wb, "HMP Manchester") == {
        "PT 2": (Decimal("26.578073"), Decimal("800"), Decimal("3010"), ""),
        "PT 6": (Decimal("9.492308"), Decimal("1234"), Decimal("130"), ""),
        "PT 7": (Decimal("29.983793"), Decimal("37"), Decimal("1234"), ""),
    }


def test_a_typed_percentage_its_parts_contradict_is_flagged_and_kept(
    region_wb, manchester, tmp_path
) -> None:
    filled, rows = _return(manchester, tmp_path / "f.xlsx", {"PT 3": (12, 1197, 10000)})
    (preview,) = preview_files(region_wb, [filled])
    (row,) = [r for r in preview.rows if r.measure_code == "PT 3"]
    issue = row.issue_in(fmt.ACTUAL)
    assert issue is not None and not issue.error
    assert issue.cell == f"E{rows['PT 3']}"
    assert issue.message == (
        "the return gives 12% but its numerator and denominator (1,197 / 10,000) give "
        "11.97%; 12% is stored"
    )
    # A warning, not a refusal: the row is imported with the provider's own Actual.
    assert row.status is RowStatus.NOTE and preview.state is FileState.READY

    summary = import_files(region_wb, [filled])
    assert summary.ok, summary.problems()
    assert (
        f"'f.xlsx', {fmt.RETURN_SHEET}!E{rows['PT 3']}: the return gives 12% but "
        "its numerator and denominator (1,197 / 10,000) give 11.97%; 12% is stored."
        in summary.files[0].row_notes
    )
    assert current_results(region_wb, "HMP Manchester")["PT 3"] == (
        Decimal("12"),
        Decimal("1197"),
        Decimal("10000"),
        "",
    )


@pytest.mark.parametrize(
    ("typed", "numerator", "flagged"),
    [
        (12, 12000, False),  # exactly what the parts give
        (11.97, 11974, False),  # 11.974%: reads 11.97% too, within rounding
        (11.97, 11975, False),  # 11.975%: exactly half a place out is still rounding
        (11.97, 11976, True),  # 11.976% reads 11.98%
        (11.97, 11964, True),  # 11.964% reads 11.96%
    ],
)
def test_only_a_difference_beyond_rounding_is_flagged(
    region_wb, manchester, tmp_path, typed, numerator, flagged
) -> None:
    filled, _ = _return(manchester, tmp_path / "f.xlsx", {"PT 3": (typed, numerator, 100000)})
    (preview,) = preview_files(region_wb, [filled])
    (row,) = [r for r in preview.rows if r.measure_code == "PT 3"]
    assert (row.issue_in(fmt.ACTUAL) is not None) is flagged
    assert row.status is (RowStatus.NOTE if flagged else RowStatus.READY)
    assert row.actual == Decimal(str(typed))


def test_a_percent_cell_holding_the_exact_fraction_is_not_flagged(
    region_wb, manchester, tmp_path
) -> None:
    # Typed 11.97% into a cell formatted 0.00%: Excel holds 0.1197.
    filled, _ = _return(
        manchester, tmp_path / "f.xlsx", {"PT 3": (0.1197, 1197, 10000)}, {"PT 3": "0.00%"}
    )
    (preview,) = preview_files(region_wb, [filled])
    (row,) = [r for r in preview.rows if r.measure_code == "PT 3"]
    assert row.issues == () and row.actual == Decimal("11.97")


def test_counts_are_whole_in_the_flag(region_wb, trust, tmp_path) -> None:
    filled, _ = _return(
        trust, tmp_path / "f.xlsx", {"PT 10": (5000, 5001, None), "PT 4": (2401, 2401, None)}
    )
    (preview,) = preview_files(region_wb, [filled])
    notes = _notes(preview)
    assert notes["PT 10"] == [
        "the return gives 5,000 but its numerator (5,001) gives 5,001; 5,000 is stored"
    ]
    assert notes["PT 4"] == []


def test_the_command_line_prints_the_flag(region_wb, manchester, tmp_path, capsys) -> None:
    filled, rows = _return(manchester, tmp_path / "f.xlsx", {"PT 3": (12, 1197, 10000)})
    path = region_wb.location
    region_wb.close()
    code = main(["import", "--db", str(path), "--dry-run", str(filled)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert (
        f"note: 'f.xlsx', {fmt.RETURN_SHEET}!E{rows['PT 3']}: the return gives 12% "
        "but its numerator and denominator (1,197 / 10,000) give 11.97%; 12% is stored." in out
    )
