"""Matrix headings a DOM reads: a measure's short name (derived, since measures carry only
a code and a long wording) over its code, and cells that read as their unit does."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dom_desk.domain.matrix import build_matrix
from dom_desk.domain.matrix.cells import Cell
from dom_desk.domain.matrix.names import MAX_CHARS, derived_name, short_name
from dom_desk.domain.status import Status
from dom_desk.models import MeasureUnit


def test_every_demo_measure_has_a_short_name_over_its_code(demo: Any) -> None:
    matrix = build_matrix(demo)
    by_code = {m.code: m for m in matrix.measures}
    assert by_code["KPI 6"].heading == "Drug misuse\nKPI 6"
    assert by_code["PM 5"].heading == "Drug treatment starts\nPM 5"
    assert by_code["PT 8"].short_name == "Unpaid work completions"
    for measure in matrix.measures:
        name, code = measure.heading.split("\n")
        assert code == measure.code
        assert name != measure.code and "rate of totals" not in name and "latest" not in name
        assert len(name) <= 30, name
    # The full wording (and the rule) stays where a reader asks for it: the tooltip.
    assert by_code["KPI 3"].title in by_code["KPI 3"].describe()


def test_an_unknown_wording_is_shortened_on_whole_words() -> None:
    # The figure and the condition dropped, then whole words within MAX_CHARS.
    assert derived_name("90% of pre-sentence reports delivered to court within 15 days") == (
        "Pre-sentence reports"
    )
    assert (
        derived_name("Performance Target 4 (c): 1,200 hostel beds filled") == "Hostel beds filled"
    )
    assert derived_name("The percentage of victims offered a meeting to be at least x%") == (
        "Victims offered a meeting"
    )
    long = derived_name("Extraordinarily comprehensive rehabilitative interventions delivered")
    assert len(long) <= MAX_CHARS and long in "Extraordinarily comprehensive rehabilitative"
    # Nothing left of the wording: the code stands.
    assert short_name("LM 9", "90%") == "LM 9"


def _cell(unit: MeasureUnit, value: str) -> Cell:
    return Cell(Status.MET, Decimal(value), Decimal(0), Decimal(0), 6, 0, unit)


def test_a_nought_reads_as_its_unit_never_0_00_percent() -> None:
    assert _cell(MeasureUnit.COUNT, "0").text == "✓ Met 0"
    assert _cell(MeasureUnit.PERCENT, "0").text == "✓ Met 0%"
    assert _cell(MeasureUnit.PERCENT, "0.32").text == "✓ Met 0.32%"
    assert _cell(MeasureUnit.PERCENT, "81.26").short_text == "✓ 81.3%"


def test_no_demo_cell_reads_0_00_percent(demo: Any) -> None:
    matrix = build_matrix(demo)
    texts = [cell.text for line in matrix.cells for cell in line if cell is not None]
    assert texts and not [t for t in texts if "0.00%" in t]
    counts = [
        cell.text
        for line in matrix.cells
        for measure, cell in zip(matrix.measures, line, strict=True)
        if cell is not None and measure.unit is MeasureUnit.COUNT and cell.value is not None
    ]
    assert counts and not [t for t in counts if "%" in t]


def test_the_results_behind_a_cell_read_0_percent_too(demo: Any) -> None:
    from dom_desk.domain.matrix import open_cell

    matrix = build_matrix(demo)
    provider = next(p for p in matrix.providers if p.name == "HMP Liverpool")
    measure = next(m for m in matrix.measures if m.code == "KPI 3")
    detail = open_cell(demo, matrix, provider.id, measure.id)
    shown = [line.actual_text for line in detail.lines]
    assert "0%" in shown and "0.00%" not in shown
