"""Allocations, scenarios and paste on the demo, against baselines in the same run.

    .venv/bin/python bench/negotiation_bench.py [--repeats 5]

* position: the year's envelope, allocations and every total (``allocations.position``),
  against the generic allocations area load (``tables.load_rows``) of the same rows.
* scenario compare: a scenario's changed cells and live effect (``scenarios.compare``)
  and every figure side by side (``scenarios.tables_of``, what the window redraws after
  each keystroke), against ``allocations.position`` (the floor: compare must read it).
* paste: planning a 52 x 3 block of money into the allocations table (parse and check
  every cell), against ``paste.parse_tsv`` of the same text alone.
* export: the allocations workbook (7 sheets) against one plain sheet of the same rows.

Best of the repeats; prints both timings and the ratio.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from dom_desk.demo import write_demo
from dom_desk.domain import allocations as al
from dom_desk.domain import scenarios as sc
from dom_desk.domain import tables
from dom_desk.domain.paste import Selection, parse_tsv, plan_paste
from dom_desk.exports.allocation_sheets import allocation_sheets
from dom_desk.exports.table_sheets import table_sheet
from dom_desk.exports.xlsx_tables import write_sheets
from dom_desk.storage.workbook import open_workbook


def best(repeats: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def report(name: str, measured: float, baseline: float, baseline_name: str) -> None:
    print(
        f"{name:<28} {measured * 1000:8.1f} ms   {baseline_name:<26} "
        f"{baseline * 1000:8.1f} ms   ratio {measured / baseline:5.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    wb = open_workbook(write_demo(folder / "demo.domdesk"))
    r = args.repeats

    load = best(r, lambda: tables.load_rows(wb, "allocations"))
    report("position", best(r, lambda: al.position(wb)), load, "load_rows(allocations)")

    pos = al.position(wb)
    liverpool = next(x for x in pos.lines if x.provider == "HMP Liverpool")
    sova = next(x for x in pos.lines if x.provider == "Sova")
    sid = sc.create_scenario(wb, "Bench")
    sc.move_money(wb, sid, liverpool.id, sova.id, 25_000_000)
    floor = best(r, lambda: al.position(wb))
    report("scenario compare", best(r, lambda: sc.compare(wb, sid)), floor, "position")
    report("scenario tables_of", best(r, lambda: sc.tables_of(wb, sid)), floor, "position")

    rows = al.table_rows(pos)
    left = [c.key for c in al.COLUMNS].index("baseline")
    text = "".join(f"{row.values[left] // 100}\t1000\t\r\n" for row in rows)
    selection = Selection(0, left, 0, left)
    report(
        "plan 52 x 3 paste",
        best(r, lambda: plan_paste(al.COLUMNS, rows, selection, text, label=al.row_label)),
        best(r, lambda: parse_tsv(text)),
        "parse_tsv alone",
    )

    plain = [table_sheet("Allocations", al.COLUMNS, rows)]
    report(
        "export allocations xlsx",
        best(r, lambda: write_sheets(folder / "a.xlsx", allocation_sheets(pos))),
        best(r, lambda: write_sheets(folder / "b.xlsx", plain)),
        "one plain sheet",
    )
    wb.close()


if __name__ == "__main__":
    main()
