"""The matrix: filters, drill-down with sources and history, exports, trends and charts."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from performance_data import add_result, build_region
from sqlalchemy import select

from dom_desk import charts
from dom_desk.cli import main
from dom_desk.domain.matrix import MatrixFilter, build_matrix, open_cell
from dom_desk.domain.status import Status
from dom_desk.domain.trends import trend
from dom_desk.exports.performance_export import export_matrix
from dom_desk.models import (
    Guidance,
    Provider,
    ProviderKind,
    Result,
    Scope,
    Sector,
    Submission,
)


@pytest.fixture
def ids(workbook):
    return build_region(workbook)


def _names(view) -> list[str]:
    return [p.name for p in view.providers]


def _codes(view) -> list[str]:
    return [m.code for m in view.measures]


def test_matrix_lists_providers_down_and_measures_across(workbook, ids) -> None:
    view = build_matrix(workbook).view()
    assert _names(view) == ["Gamma Probation Trust", "HMP Alpha", "HMP Beta"]
    assert _codes(view) == ["DRUG", "ESC", "POP", "PT 1", "UPW"]
    # A prison-only measure never shows the probation trust.
    assert view.cell(0, _codes(view).index("DRUG")) is None


def test_filter_by_provider_kind_scope_guidance_and_name(workbook, ids) -> None:
    matrix = build_matrix(workbook)
    prisons = matrix.view(
        MatrixFilter(kinds=frozenset({ProviderKind.PUBLIC_PRISON, ProviderKind.CONTRACTED_PRISON}))
    )
    assert _names(prisons) == ["HMP Alpha", "HMP Beta"]
    assert "UPW" not in _codes(prisons)  # applies to none of them
    probation = matrix.view(MatrixFilter(scopes=frozenset({Scope.PROBATION})))
    assert (_names(probation), _codes(probation)) == (["Gamma Probation Trust"], ["UPW"])
    regional = matrix.view(MatrixFilter(guidance=frozenset({Guidance.REGIONAL_MINIMUM})))
    assert _codes(regional) == ["DRUG"] and _names(regional) == ["HMP Alpha", "HMP Beta"]
    assert _names(matrix.view(MatrixFilter(text="beta"))) == ["HMP Beta"]


def test_problems_only_keeps_providers_with_a_miss_or_a_missing_return(workbook, ids) -> None:
    matrix = build_matrix(workbook, "2009-10-M")
    view = matrix.view(MatrixFilter(problems_only=True))
    assert _names(view) == ["HMP Beta"]
    assert all(
        c.status in (Status.MISSED, Status.MISSING)
        for p, m, c in view.iter_cells()
        if m.code == "PT 1"
    )
    counts = view.counts()
    # Beta sent no October return: the three measures it reports are missing; POP, which
    # it has never reported, is "no figures".
    assert counts[Status.MISSING] == 3 and counts[Status.NO_FIGURES] == 1


def test_cell_text_says_the_status_in_words(workbook, ids) -> None:
    matrix = build_matrix(workbook)
    cell = matrix.cell(ids.providers["HMP Beta"], ids.measures["PT 1"])
    assert cell is not None
    assert "Missed" in cell.text and "80.0%" in cell.text
    assert "Target 90.0%" in cell.sentence


def test_drill_down_shows_source_files_and_superseded_history(workbook, ids) -> None:
    beta, pt1, june = ids.providers["HMP Beta"], ids.measures["PT 1"], ids.periods["2009-06"]
    with workbook.session() as session:
        first = Submission(
            provider_id=beta,
            period_id=june,
            file_name="beta-june.xlsx",
            received_at=datetime(2009, 7, 8, 10),
            received_by="test",
        )
        second = Submission(
            provider_id=beta,
            period_id=june,
            file_name="beta-june-corrected.xlsx",
            received_at=datetime(2009, 7, 20, 10),
            received_by="test",
        )
        session.add_all([first, second])
        session.flush()
        first.superseded_by_id = second.id
        old = session.scalars(
            select(Result).where(
                Result.provider_id == beta, Result.measure_id == pt1, Result.period_id == june
            )
        ).one()
        old.submission_id, old.source, old.source_row = first.id, "beta-june.xlsx", 4
        old.superseded = True
        session.flush()
        add_result(
            session,
            ids,
            "HMP Beta",
            "PT 1",
            "2009-06",
            "88",
            "88",
            "100",
            source="beta-june-corrected.xlsx",
            submission=second,
        )

    matrix = build_matrix(workbook, "2009-06")
    detail = open_cell(workbook, matrix, beta, pt1)
    assert [line.file_name for line in detail.lines] == [
        "beta-june-corrected.xlsx",
        "beta-june.xlsx",
    ]
    assert [line.superseded for line in detail.lines] == [False, True]
    assert (
        detail.history[0].actual == 80 and detail.history[0].source_text == "beta-june.xlsx, row 4"
    )
    assert detail.cell is not None and detail.cell.value == 88
    assert detail.cell.status is Status.NEAR  # 88 against 90, within 5%
    assert matrix.cell(beta, pt1).status is Status.NEAR  # the matrix uses the corrected one
    # June's return was due on 10 July: the first came on 8 July, the correction after.
    assert not detail.history[0].received_late
    assert detail.current[0].received_late


def test_drill_down_lists_missing_returns_and_edits(workbook, ids) -> None:
    beta, pt1 = ids.providers["HMP Beta"], ids.measures["PT 1"]
    with workbook.session() as session:
        result = session.scalars(
            select(Result).where(
                Result.provider_id == beta,
                Result.measure_id == pt1,
                Result.period_id == ids.periods["2009-05"],
            )
        ).one()
        result.actual = Decimal(81)
    detail = open_cell(workbook, build_matrix(workbook), beta, pt1)
    assert [code for code, _due in detail.missing] == ["2009-10-M"]
    assert [(e.period, e.field, e.old, e.new) for e in detail.edits] == [
        ("2009-05", "actual", "80", "81")
    ]
    assert "/ 600 x 100" in detail.working


def test_matrix_and_drill_down_agree_on_every_demo_cell(demo) -> None:
    """The matrix totals in SQL; the drill-down recombines single results in Python."""
    matrix = build_matrix(demo)
    checked = 0
    for provider, measure, cell in matrix.view().iter_cells():
        if provider.name.startswith(("HMP L", "Cumbria", "Merseyside", "Shelter")):
            detail = open_cell(demo, matrix, provider.id, measure.id)
            assert detail.cell is not None
            assert (detail.cell.status, detail.cell.value, detail.cell.late) == (
                cell.status,
                cell.value,
                cell.late,
            ), (provider.name, measure.code)
            checked += 1
    assert checked > 40


def test_export_matrix_to_xlsx(workbook, ids, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    view = build_matrix(workbook).view()
    path = export_matrix(tmp_path / "matrix.xlsx", view, region="North West")
    book = load_workbook(path)
    assert book.sheetnames == ["Matrix", "Cells", "Measures", "About"]
    rows = list(book["Matrix"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Provider", "Kind", "Issues")
    beta = next(r for r in rows if r[0] == "HMP Beta")
    assert beta[2] == 2  # ESC and PT 1 missed (DRUG is near)
    assert beta[rows[0].index("PT 1")].startswith("✗ Missed")
    cells = list(book["Cells"].iter_rows(values_only=True))
    pt1 = next(r for r in cells if r[0] == "HMP Beta" and r[2] == "PT 1")
    assert (pt1[6], pt1[7], pt1[9]) == (80, 90, "Missed")
    rules = {r[0]: r[6] for r in book["Measures"].iter_rows(min_row=2, values_only=True)}
    assert "summed numerators over summed denominators" in rules["PT 1"]


def test_cli_exports_the_matrix(demo, tmp_path: Path, capsys) -> None:
    from openpyxl import load_workbook

    path = demo.location
    demo.close()
    out = tmp_path / "matrix.xlsx"
    assert main(["export", "matrix", "--db", str(path), "--period", "2009-09", "-o", str(out)]) == 0
    assert "15 missing" in capsys.readouterr().out
    book = load_workbook(out)
    assert "Scorecard" in book.sheetnames
    assert main(["export", "matrix", "--db", str(path), "--period", "2009-13", "-o", str(out)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "2009-13" in error


def test_trend_for_a_provider_and_across_providers(workbook, ids) -> None:
    alpha = trend(workbook, ids.measures["PT 1"], ids.providers["HMP Alpha"])
    assert alpha.labels[:3] == ("Apr", "May", "Jun")
    assert alpha.actual.values[:2] == (Decimal(90), Decimal(90))
    assert alpha.actual.values[7:] == (None,) * 5
    assert alpha.target is not None and set(alpha.target.values) == {Decimal(90)}
    everyone = trend(workbook, ids.measures["PT 1"])
    # April: 9/10 + 80/100 + 91/100 = 180/210, a ratio of sums.
    assert everyone.actual.values[0] == Decimal(180) / Decimal(210) * 100
    assert [s.name for s in everyone.providers] == [
        "Gamma Probation Trust",
        "HMP Alpha",
        "HMP Beta",
    ]
    upw = trend(workbook, ids.measures["UPW"], ids.providers["Gamma Probation Trust"])
    assert upw.target is not None and upw.target.values[0] == 100  # 1,200 a year


def test_trend_chart_saves_png_and_svg(workbook, ids, tmp_path: Path) -> None:
    data = trend(workbook, ids.measures["DRUG"], ids.providers["HMP Beta"])
    figure = charts.trend_figure(data)
    png = charts.save_figure(figure, tmp_path / "drug.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = charts.save_figure(figure, tmp_path / "drug.svg")
    assert b"<svg" in svg.read_bytes()[:400]
    assert not list(tmp_path.glob(".*partial"))


def test_matplotlib_is_not_loaded_until_a_chart_is_drawn() -> None:
    code = (
        "import sys, dom_desk.charts, dom_desk.ui.performance_page; "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.strip() == "False"


def test_trend_chart_prints_names_with_dollar_signs_as_written(tmp_path: Path) -> None:
    """A name that reads like mathtext would otherwise fail to draw (or print as maths)."""
    from dom_desk.domain.trends import Series, TrendData
    from dom_desk.models import Direction, MeasureUnit

    odd = r"Cost $\nocommand{x}$ & <Co>"
    values = (Decimal(90), Decimal(85), None)
    data = TrendData(
        title=f"{odd} measure",
        subtitle=odd,
        unit=MeasureUnit.PERCENT,
        direction=Direction.HIGHER,
        labels=("Apr", "May", "Jun"),
        actual=Series(odd, values),
        previous=None,
        target=None,
        providers=(Series(odd, values), Series("$5 a day", values)),
    )
    figure = charts.trend_figure(data)
    png = charts.save_figure(figure, tmp_path / "odd.png")  # raised ValueError before
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert odd in legend and "$5 a day" in legend


def _delta(workbook, ids) -> int:
    """A fourth provider, HMP Delta, added to the small region."""
    with workbook.session() as session:
        delta = Provider(name="HMP Delta", kind=ProviderKind.PUBLIC_PRISON, sector=Sector.PUBLIC)
        session.add(delta)
        session.flush()
        ids.providers["HMP Delta"] = delta.id
    return delta.id


def test_figures_with_many_places_or_fractions_are_combined_exactly(workbook, ids) -> None:
    """Sums SQLite can only add as binary floats are added again exactly: the matrix
    shows what the figures make, to the last place, and agrees with the drill-down."""
    delta = _delta(workbook, ids)
    with workbook.session() as session:
        add_result(session, ids, "HMP Delta", "ESC", "2009-04", "0.1234567")
        add_result(session, ids, "HMP Delta", "ESC", "2009-05", "0.0000001")
        add_result(session, ids, "HMP Delta", "PT 1", "2009-04", "52.5", "10.5", "20")
        add_result(session, ids, "HMP Delta", "PT 1", "2009-05", "0.83", "0.25", "30.125")
        add_result(session, ids, "HMP Delta", "POP", "2009-04", "512")
        add_result(session, ids, "HMP Delta", "POP", "2009-07", "498.12345678")
    matrix = build_matrix(workbook)
    esc = matrix.cell(delta, ids.measures["ESC"])
    pt1 = matrix.cell(delta, ids.measures["PT 1"])
    pop = matrix.cell(delta, ids.measures["POP"])
    assert esc is not None and esc.value == Decimal("0.1234568")
    assert pt1 is not None and pt1.value == Decimal("10.75") / Decimal("50.125") * 100
    assert pop is not None and pop.value == Decimal("498.12345678")
    for code, cell in (("ESC", esc), ("PT 1", pt1), ("POP", pop)):
        detail = open_cell(workbook, matrix, delta, ids.measures[code])
        assert detail.cell is not None and detail.cell.value == cell.value, code


def test_a_rate_counts_only_the_periods_giving_numerator_and_denominator(workbook, ids) -> None:
    """A period with half its working (or none) is left out of the rate and flagged."""
    delta = _delta(workbook, ids)
    with workbook.session() as session:
        add_result(session, ids, "HMP Delta", "PT 1", "2009-04", "50", "10", "20")
        add_result(session, ids, "HMP Delta", "PT 1", "2009-05", "90", "27", None)
        add_result(session, ids, "HMP Delta", "PT 1", "2009-06", "75", "30", "40")
        add_result(session, ids, "HMP Delta", "PT 1", "2009-07", "60", None, None)
    matrix = build_matrix(workbook)
    cell = matrix.cell(delta, ids.measures["PT 1"])
    assert cell is not None
    assert (cell.value, cell.partial, cell.returned) == (Decimal(40) / Decimal(60) * 100, True, 4)
    assert "lack a numerator or denominator" in cell.sentence
    detail = open_cell(workbook, matrix, delta, ids.measures["PT 1"])
    assert detail.cell is not None
    assert (detail.cell.value, detail.cell.partial) == (cell.value, cell.partial)


def test_one_period_shows_its_own_figure_as_stored(workbook, ids) -> None:
    delta = _delta(workbook, ids)
    with workbook.session() as session:
        add_result(session, ids, "HMP Delta", "PT 1", "2009-06", "87.123456789012345678")
    cell = build_matrix(workbook, "2009-06").cell(delta, ids.measures["PT 1"])
    assert cell is not None and cell.value == Decimal("87.123456789012345678")


def test_a_provider_returning_quarters_and_months_is_read_by_its_months(workbook, ids) -> None:
    """A group that mixes kinds of period keeps the finest, as the drill-down does."""
    delta = _delta(workbook, ids)
    with workbook.session() as session:
        add_result(session, ids, "HMP Delta", "ESC", "2009-04", "2")
        add_result(session, ids, "HMP Delta", "ESC", "2009-05", "3")
        add_result(session, ids, "HMP Delta", "ESC", "2009-10-Q1", "40")
        add_result(session, ids, "HMP Delta", "POP", "2009-10-Q1", "300")
        add_result(session, ids, "HMP Delta", "POP", "2009-10-Q2", "310")
    matrix = build_matrix(workbook)
    esc = matrix.cell(delta, ids.measures["ESC"])
    pop = matrix.cell(delta, ids.measures["POP"])
    assert esc is not None and (esc.value, esc.returned) == (Decimal(5), 2)
    assert pop is not None and (pop.value, pop.returned) == (Decimal(310), 2)
    for measure_id, cell in ((ids.measures["ESC"], esc), (ids.measures["POP"], pop)):
        detail = open_cell(workbook, matrix, delta, measure_id)
        assert detail.cell is not None
        assert (detail.cell.value, detail.cell.status) == (cell.value, cell.status)


def test_the_totals_sql_has_no_sqlite_only_construct(workbook, ids) -> None:
    """Portable to PostgreSQL: no instr(), decimals cast before summing, no bare columns."""
    from sqlalchemy.dialects import postgresql

    from dom_desk.domain.matrix import totals
    from dom_desk.domain.performance import resolve_window

    with workbook.session() as session:
        window = resolve_window(session)
        periods = totals.window_periods(session, window)
    query = totals.totals_query(periods, window.today)
    text = str(query.compile(dialect=postgresql.dialect())).lower()
    assert "instr" not in text
    assert "sum(cast(result.actual as numeric))" in text
    assert "sum(cast(result.numerator as numeric))" in text
    assert "sum(cast(result.denominator as numeric))" in text
    grouped = {"result.provider_id", "result.measure_id"}
    for column in query.selected_columns:
        shown = str(column.compile(dialect=postgresql.dialect())).lower()
        assert shown in grouped or "(" in shown or shown == "null", shown


def test_building_the_matrix_leaves_the_garbage_collector_as_it_found_it(
    workbook, ids, monkeypatch
) -> None:
    """The build pauses Python's cycle collector while it runs, and only while it runs,
    even when it fails partway."""
    import gc

    from dom_desk.domain.matrix import totals

    assert gc.isenabled()
    build_matrix(workbook)
    assert gc.isenabled()
    gc.disable()
    try:
        build_matrix(workbook)
        assert not gc.isenabled()
    finally:
        gc.enable()

    def fail(*_args):
        raise RuntimeError("the file went away")

    monkeypatch.setattr(totals, "load_targets", fail)
    with pytest.raises(RuntimeError, match="went away"):
        build_matrix(workbook)
    assert gc.isenabled()
