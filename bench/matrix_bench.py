"""Opening and re-filtering the performance matrix on a national dataset, against a
plain SQL aggregate over the same rows, measured in the same run.

    .venv/bin/python bench/matrix_bench.py [--providers 1000] [--measures 40] [--repeats 5]

Builds a fresh workbook in a temporary folder with bulk inserts: 1,000 providers, 40
measures (counts, rates and snapshots), a target for each pair and 12 monthly returns
(480,000 results, about 2% of returns missing and 1% resubmitted, the earlier figure
kept as superseded). Then times, taking the median of the repeats:

* baseline: one ``GROUP BY provider, measure`` over the year's current results with
  the sqlite3 module, rows fetched into Python (what any matrix must at least read);
* open: ``build_matrix`` for the year to date and for one month (query, totals, status of
  every cell, plain dataclasses out); ``matrix ratio`` is the year to date's time over
  the baseline's;
* re-filter: ``Matrix.view`` for provider kind, scope, guidance, name and problems-only
  filters (no file access);
* the window: the Performance page loading the matrix on a worker thread while a 10 ms
  timer ticks on the GUI thread; the longest gap between ticks is how long the window
  stops answering. Then each change of filter in the page, and showing the scorecard
  tab, timed on the GUI thread until the table has repainted: that is how long the
  window is busy after a click (skipped with --no-window).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from dom_desk.domain.matrix import MatrixFilter, build_matrix
from dom_desk.domain.region import create_region, set_setting
from dom_desk.models import (
    Aggregation,
    Direction,
    Guidance,
    Measure,
    MeasureUnit,
    Period,
    PeriodKind,
    Provider,
    ProviderKind,
    Result,
    Scope,
    Sector,
    Submission,
    Target,
)
from dom_desk.storage.workbook import Workbook, create_workbook

KINDS = [
    ProviderKind.PUBLIC_PRISON,
    ProviderKind.CONTRACTED_PRISON,
    ProviderKind.PROBATION_TRUST,
    ProviderKind.CRC,
    ProviderKind.VCS,
]
SECTOR = {
    ProviderKind.PUBLIC_PRISON: Sector.PUBLIC,
    ProviderKind.CONTRACTED_PRISON: Sector.PRIVATE,
    ProviderKind.PROBATION_TRUST: Sector.PUBLIC,
    ProviderKind.CRC: Sector.PRIVATE,
    ProviderKind.VCS: Sector.THIRD,
}
#: (unit, aggregation, direction) cycled across the measures.
SHAPES = [
    (MeasureUnit.PERCENT, Aggregation.RATIO, Direction.HIGHER),
    (MeasureUnit.COUNT, Aggregation.SUM, Direction.HIGHER),
    (MeasureUnit.PERCENT, Aggregation.RATIO, Direction.LOWER),
    (MeasureUnit.COUNT, Aggregation.LATEST, Direction.HIGHER),
    (MeasureUnit.RATE_PER_1000, Aggregation.RATIO, Direction.LOWER),
]


def build_dataset(folder: Path, providers: int, measures: int, seed: int = 1) -> Workbook:
    """A national workbook for 2009-10 with every month's returns due."""
    rng = random.Random(seed)
    wb = create_workbook(folder / "national.domdesk")
    with wb.session() as session:
        create_region(session, "National (synthetic)", "2009-10")
        set_setting(session, "as_of", "2010-04-20")
    with wb.engine.begin() as con:
        con.execute(
            insert(Provider),
            [
                {
                    "name": f"Provider {i:04d}",
                    "kind": KINDS[i % len(KINDS)],
                    "sector": SECTOR[KINDS[i % len(KINDS)]],
                }
                for i in range(providers)
            ],
        )
        con.execute(
            insert(Measure),
            [
                {
                    "code": f"M {j + 1}",
                    "code_key": f"M{j + 1}",
                    "title": f"Synthetic measure {j + 1}",
                    "unit": SHAPES[j % 5][0],
                    "aggregation": SHAPES[j % 5][1],
                    "direction": SHAPES[j % 5][2],
                    "scope": list(Scope)[j % 3],
                    "guidance": list(Guidance)[j % 3],
                    "weighting": 10 if j < 10 else None,
                }
                for j in range(measures)
            ],
        )
        provider_ids = list(con.scalars(select(Provider.id)))
        measure_rows = con.execute(select(Measure.id, Measure.unit, Measure.aggregation)).all()
        (year_id,) = con.execute(select(Period.year_id).limit(1)).one()
        months = con.execute(
            select(Period.id, Period.due)
            .where(Period.kind == PeriodKind.MONTH)
            .order_by(Period.start)
        ).all()
        con.execute(
            insert(Target),
            [
                {
                    "measure_id": m,
                    "provider_id": p,
                    "year_id": year_id,
                    "value": Decimal(90 if unit is MeasureUnit.PERCENT else 120),
                }
                for p in provider_ids
                for m, unit, _agg in measure_rows
            ],
        )
        stamp = datetime(2010, 4, 1)
        submissions = [
            {
                "provider_id": p,
                "period_id": period_id,
                "file_name": f"return-{p}-{period_id}.xlsx",
                "received_at": stamp,
                "received_by": "bench",
            }
            for p in provider_ids
            for period_id, _due in months
        ]
        con.execute(insert(Submission), submissions)
        submission_of = {
            (p, per): s
            for s, p, per in con.execute(
                select(Submission.id, Submission.provider_id, Submission.period_id)
            )
        }
        batch: list[dict] = []
        for p in provider_ids:
            for m, unit, _agg in measure_rows:
                for period_id, _due in months:
                    if rng.random() < 0.02:
                        continue  # a missing return
                    den = rng.randint(50, 500)
                    num = rng.randint(int(den * 0.7), den)
                    actual = (
                        Decimal(num) / den * 100
                        if unit is MeasureUnit.PERCENT
                        else Decimal(num) / den * 1000
                        if unit is not MeasureUnit.COUNT
                        else Decimal(rng.randint(5, 15))
                    )
                    row = {
                        "provider_id": p,
                        "measure_id": m,
                        "period_id": period_id,
                        "submission_id": submission_of[(p, period_id)],
                        "actual": actual.quantize(Decimal("0.000001")),
                        "numerator": Decimal(num),
                        "denominator": Decimal(den),
                        "source": "bench",
                        "entered_at": stamp,
                        "entered_by": "bench",
                        "superseded": False,
                    }
                    if rng.random() < 0.01:
                        batch.append({**row, "superseded": True, "actual": Decimal(1)})
                    batch.append(row)
                    if len(batch) >= 50_000:
                        con.execute(insert(Result), batch)
                        batch.clear()
        if batch:
            con.execute(insert(Result), batch)
    return wb


BASELINE_SQL = """
SELECT r.provider_id, r.measure_id, count(*), sum(r.actual), sum(r.numerator),
       sum(r.denominator), max(p.start)
FROM result r JOIN period p ON p.id = r.period_id
WHERE r.superseded = 0 AND p.year_id = ? AND p.kind = 'MONTH'
GROUP BY r.provider_id, r.measure_id
"""


def median_time(action: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def baseline(path: Path) -> Callable[[], object]:
    def run() -> object:
        with sqlite3.connect(path) as con:
            return con.execute(BASELINE_SQL, (1,)).fetchall()

    return run


FILTERS = {
    "kind = prisons": MatrixFilter(
        kinds=frozenset({ProviderKind.PUBLIC_PRISON, ProviderKind.CONTRACTED_PRISON})
    ),
    "scope = probation": MatrixFilter(scopes=frozenset({Scope.PROBATION})),
    "guidance = national": MatrixFilter(guidance=frozenset({Guidance.NATIONAL})),
    "name contains '12'": MatrixFilter(text="12"),
    "problems only": MatrixFilter(problems_only=True),
}


def _page_clicks(page: object) -> dict[str, float]:
    """Seconds the GUI thread is busy for each change a user makes on the loaded page,
    up to the repainted table (the filter runs on the GUI thread, on data in memory)."""
    from PySide6.QtCore import Qt

    def timed(change: Callable[[], object], table: Any) -> float:
        start = time.perf_counter()
        change()
        table.viewport().repaint()
        return time.perf_counter() - start

    p: Any = page  # a PerformancePage, imported only when the window is timed
    kind = p.kind.findText("All prisons")
    probation = p.scope.findText("Probation only")
    clicks = {
        "kind = all prisons": lambda: p.kind.setCurrentIndex(kind),
        "scope = probation only": lambda: p.scope.setCurrentIndex(probation),
        "problems only": lambda: p.problems.setChecked(True),
        "name filter '12'": lambda: p.filter.setText("12"),
        "sort by the first measure": lambda: p.table.sortByColumn(1, Qt.SortOrder.AscendingOrder),
        "clear every filter": lambda: (
            p.kind.setCurrentIndex(0),
            p.scope.setCurrentIndex(0),
            p.problems.setChecked(False),
            p.filter.clear(),
        ),
    }
    took = {name: timed(change, p.table) for name, change in clicks.items()}
    took["show the scorecard tab"] = timed(lambda: p.tabs.setCurrentIndex(1), p.score_table)
    took["kind = all probation (scorecard)"] = timed(
        lambda: p.kind.setCurrentIndex(p.kind.findText("All probation")), p.score_table
    )
    return took


def window_stall(wb: Workbook) -> tuple[float, float, dict[str, float]]:
    """(seconds for the page to load the matrix and the previous window's, longest gap
    between 10 ms ticks of a GUI-thread timer meanwhile, the page's clicks timed).

    The wait is one QEventLoop.exec(), not a Python loop of processEvents() calls: under
    PySide6 6.12.0 on Python 3.11 every such call drops a reference to None, and a few
    thousand of them abort the interpreter.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from dom_desk.ui.performance_page import PerformancePage

    app = QApplication.instance() or QApplication(sys.argv)
    page = PerformancePage()
    page.resize(1200, 800)
    page.show()
    loop = QEventLoop()
    clock = QElapsedTimer()
    gaps: list[int] = []
    last = [0]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now
        if page.matrix is not None and not page.loading:
            loop.quit()

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    clock.start()
    timer.start()
    start = time.perf_counter()
    page.set_workbook(wb)
    loop.exec()
    took = time.perf_counter() - start
    timer.stop()
    clicks = _page_clicks(page)
    page.close()
    page.deleteLater()
    app.sendPostedEvents()
    return took, max(gaps, default=0) / 1000, clicks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--providers", type=int, default=1000)
    parser.add_argument("--measures", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-window", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        wb = build_dataset(Path(folder), args.providers, args.measures)
        built = time.perf_counter() - start
        with sqlite3.connect(wb.path) as con:
            results = con.execute("SELECT count(*) FROM result").fetchone()[0]
        print(
            f"dataset: {args.providers:,} providers x {args.measures} measures x 12 months"
            f" = {results:,} result rows, built in {built:.1f} s"
        )
        base = median_time(baseline(wb.path), args.repeats)
        print(f"baseline  plain SQL GROUP BY, rows to Python      {base * 1000:8.0f} ms")
        ytd = median_time(lambda: build_matrix(wb), args.repeats)
        print(
            f"open      matrix, year to date                    {ytd * 1000:8.0f} ms"
            f"   x{ytd / base:.1f} baseline"
        )
        print(f"matrix ratio: {ytd / base:.2f}x")
        month = median_time(lambda: build_matrix(wb, "2010-03"), args.repeats)
        print(
            f"open      matrix, one month (2010-03)             {month * 1000:8.0f} ms"
            f"   x{month / base:.1f} baseline"
        )
        matrix = build_matrix(wb)
        cells = sum(c is not None for row in matrix.cells for c in row)
        print(
            f"          {len(matrix.providers):,} providers x {len(matrix.measures)} measures,"
            f" {cells:,} cells"
        )
        for name, spec in FILTERS.items():
            took = median_time(lambda spec=spec: matrix.view(spec), args.repeats)
            shown = matrix.view(spec)
            print(
                f"re-filter {name:<38}{took * 1000:8.1f} ms   x{took / base:.2f} baseline"
                f"   ({len(shown.rows):,} x {len(shown.cols)})"
            )
        if not args.no_window:
            took, stall, clicks = window_stall(wb)
            print(f"window    page shows the matrix (worker thread)   {took * 1000:8.0f} ms")
            print(f"window    longest GUI pause meanwhile             {stall * 1000:8.0f} ms")
            for name, busy in clicks.items():
                print(f"click     {name:<38}{busy * 1000:8.1f} ms   (GUI thread, to repaint)")
        wb.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
