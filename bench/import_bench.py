"""Importing a national-scale return against openpyxl alone reading the same file, in the
same run.

    .venv/bin/python bench/import_bench.py [--rows 50000] [--repeats 3] [--keep DIR]

Builds a fresh workbook in a temporary folder (``--rows`` measures added in bulk, a
prison they all apply to, with targets for a third of them), makes the prison's template
with the template generator (timed), and fills it by script the untidy ways providers do
(percentages as 90, "90%" and 0.9, thousands separators, stray spaces, numerators and
denominators, codes retyped as "nm 5" or "NM7", a note below the table); a second copy
keeps only the first fifth of the rows. Then, interleaved and taking the best of the
repeats:

* baseline: openpyxl alone, read-only, every row of every sheet (``values_only``);
* floor: python-calamine alone, every row of every sheet (what the import reads with);
* import: ``import_files`` into a fresh copy of the workbook, already open: container
  and zip-bomb checks, SHA-256, streaming read, checks of every row, bulk insert and
  commit in one transaction.

``ratio to calamine`` is the import against the floor. Both wall-clock and CPU
(process) time are printed: on a shared machine the CPU ratio is the steadier figure.
Peak memory (tracemalloc, measured apart from the timing as it slows Python down) is
printed for the bare read and the import, of the full return and of the short one: the
import keeps no rows, so what it adds to the read's own peak is the workbook's measures,
the same for both files. ``--keep DIR`` builds in DIR and
reuses what is there on the next run.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, insert, select

from dom_desk.domain.region import create_region, year_by_label
from dom_desk.domain.returns import import_files
from dom_desk.exports.template_files import make_template
from dom_desk.models import (
    Measure,
    MeasureUnit,
    Provider,
    ProviderKind,
    Result,
    Scope,
    Sector,
    Target,
)
from dom_desk.readers import returns_format as fmt
from dom_desk.storage.workbook import create_workbook, open_workbook

PROVIDER = "HMP Manchester"
PERIOD = "2009-10-Q1"
UNITS = [MeasureUnit.PERCENT, MeasureUnit.COUNT, MeasureUnit.RATE_PER_1000, MeasureUnit.DAYS]


def build_workbook(path: Path, measures: int) -> None:
    """A prison to which every measure applies (integrated scope), with targets for a
    third of them."""
    wb = create_workbook(path)
    with wb.session() as session:
        create_region(session, "North West", "2009-10")
        session.add(
            Provider(
                name=PROVIDER, kind=ProviderKind.PUBLIC_PRISON, sector=Sector.PUBLIC, capacity=1269
            )
        )
    with wb.session() as session:
        session.execute(
            insert(Measure),
            [
                {
                    "code": f"NM {i}",
                    "code_key": f"NM{i}",
                    "title": f"National measure {i}",
                    "unit": UNITS[i % len(UNITS)],
                    "scope": Scope.INTEGRATED,
                    "row_version": 1,
                }
                for i in range(1, measures + 1)
            ],
        )
        prison = session.scalars(select(Provider.id)).one()
        year_id = year_by_label(session, "2009-10").id
        ids = session.scalars(select(Measure.id).order_by(Measure.id)).all()
        session.execute(
            insert(Target),
            [
                {
                    "measure_id": m,
                    "provider_id": prison,
                    "year_id": year_id,
                    "value": Decimal(90),
                    "row_version": 1,
                }
                for m in ids[::3]
            ],
        )
    wb.close()


def _figures(i: int, unit: str, rng: random.Random) -> list[object]:
    """Actual, numerator, denominator for a row, written as providers write them."""
    if unit == MeasureUnit.PERCENT.label:
        style = i % 4
        if style == 0:
            return [rng.randint(50, 99), None, None]
        if style == 1:
            return [f" {rng.randint(50, 99)}% ", None, None]
        if style == 2:
            return [round(rng.uniform(0.5, 0.99), 3), None, None]
        denominator = rng.randint(100, 5000)
        return [None, rng.randint(1, denominator), f"{denominator:,}"]
    if unit == MeasureUnit.COUNT.label:
        return [f"{rng.randint(1000, 90000):,}", None, None]
    if unit == MeasureUnit.RATE_PER_1000.label:
        return [None, rng.randint(1, 300), rng.randint(1000, 9000)]
    return [round(rng.uniform(1, 15), 1), None, None]


def fill_template(template: Path, target: Path, rows: int | None = None) -> None:
    """Fills a generated template the way a provider's analyst would, by script, in
    openpyxl's normal mode (so the file has what Excel writes: shared strings, styles, the
    sheet's dimension): figures in every row, some codes retyped ("nm 5", "NM7"), notes."""
    from openpyxl import load_workbook

    rng = random.Random(2009)
    book = load_workbook(template)
    sheet = book[fmt.RETURN_SHEET]
    for i, row in enumerate(sheet.iter_rows(min_row=2), start=1):
        code, _, unit = row[0], row[1], row[2].value
        if i % 5 == 0:
            code.value = code.value.lower()
        elif i % 7 == 0:
            code.value = code.value.replace(" ", "")
        for cell, value in zip(row[4:7], _figures(i, unit, rng), strict=True):
            cell.value = value
        if i % 10 == 0:
            row[7].value = "Below target: staffing shortfall in the quarter"
    if rows is not None:  # a shorter return from the same provider
        sheet.delete_rows(rows + 2, sheet.max_row)
    sheet.append([])
    sheet.append([None, "Signed off by the governor"])
    cover = book[fmt.COVER_SHEET]
    for row in cover.iter_rows(max_col=2):
        if row[0].value == fmt.COVER_COMPLETED_BY:
            row[1].value = "Performance lead"
        if row[0].value == fmt.COVER_CONFIRMED:
            row[1].value = "Yes"
    book.save(target)


def bare_read(path: Path) -> int:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    count = 0
    for sheet in book.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            count += 1
    book.close()
    return count


def calamine_read(path: Path) -> int:
    """The floor of the calamine design: python-calamine alone, every row of every sheet."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    count = 0
    for name in book.sheet_names:
        for _ in book.get_sheet_by_name(name).iter_rows():
            count += 1
    book.close()
    return count


def timed_import(master: Path, folder: Path, return_path: Path) -> tuple[tuple[float, float], int]:
    """Imports into a fresh copy of ``master``, timing ``import_files`` alone (the window
    has the workbook open already); the commit is included."""
    copy = folder / "run.domdesk"
    shutil.copyfile(master, copy)
    wb = open_workbook(copy)
    try:
        start, cpu = time.perf_counter(), time.process_time()
        summary = import_files(wb, [return_path])
        elapsed = (time.perf_counter() - start, time.process_time() - cpu)
        if not summary.ok:
            sys.exit("the import was refused:\n" + "\n".join(summary.problems()[:20]))
        with wb.session() as session:
            stored = int(session.scalar(select(func.count()).select_from(Result)) or 0)
    finally:
        wb.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
    return elapsed, stored


def timed_read(
    return_path: Path, read: Callable[[Path], int] = bare_read
) -> tuple[tuple[float, float], int]:
    start, cpu = time.perf_counter(), time.process_time()
    rows = read(return_path)
    return (time.perf_counter() - start, time.process_time() - cpu), rows


def _traced_peak(run: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def peak_memory(master: Path, folder: Path, return_path: Path) -> tuple[int, int]:
    """Peak Python memory of the bare read and of the import of ``return_path``."""
    copy = folder / "memory.domdesk"
    shutil.copyfile(master, copy)
    wb = open_workbook(copy)
    try:
        return (
            _traced_peak(lambda: bare_read(return_path)),
            _traced_peak(lambda: import_files(wb, [return_path])),
        )
    finally:
        wb.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="build in DIR and keep the workbook and returns (reused if already there)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(exist_ok=True)
        master = folder / "master.domdesk"
        if master.exists():
            run(args, folder, master)
            return
        print("building the workbook and filling the templates (a few minutes)...", file=sys.stderr)
        build_workbook(master, args.rows)
        start = time.perf_counter()
        wb = open_workbook(master, read_only=True)
        make_template(wb, PROVIDER, PERIOD, folder / "template.xlsx")
        template_time = time.perf_counter() - start
        wb.close()

        fill_template(folder / "template.xlsx", folder / "return.xlsx")
        fill_template(folder / "template.xlsx", folder / "return-small.xlsx", args.rows // 5)
        print(f"template for {args.rows:,} measures written in {template_time:.1f} s")
        run(args, folder, master)


def run(args: argparse.Namespace, folder: Path, master: Path) -> None:
    filled = folder / "return.xlsx"
    small = folder / "return-small.xlsx"
    # Interleaved, best of each: other load on the machine hits both alike.
    reads, floors, imports = [], [], []
    for _ in range(args.repeats):
        reads.append(timed_read(filled))
        floors.append(timed_read(filled, calamine_read))
        imports.append(timed_import(master, folder, filled))
    read_rows, stored = reads[0][1], imports[0][1]
    wall = min(r[0][0] for r in reads), min(i[0][0] for i in imports)
    cpu = min(r[0][1] for r in reads), min(i[0][1] for i in imports)
    floor_wall, floor_cpu = min(f[0][0] for f in floors), min(f[0][1] for f in floors)
    big_read, big_import = peak_memory(master, folder, filled)
    small_read, small_import = peak_memory(master, folder, small)

    mb = 1024 * 1024
    print(f"return: {stored:,} result rows, {filled.stat().st_size / mb:.1f} MB xlsx")
    print(f"openpyxl read-only pass ({read_rows:,} rows): {wall[0]:.2f} s wall, {cpu[0]:.2f} s CPU")
    print(
        f"full import (check, validate, commit; {stored:,} figures stored): "
        f"{wall[1]:.2f} s wall, {cpu[1]:.2f} s CPU"
    )
    print(
        f"ratio import / bare read: {wall[1] / wall[0]:.2f}x wall, "
        f"{cpu[1] / cpu[0]:.2f}x CPU (aim: 1.5x or better)"
    )
    print(
        f"python-calamine bare read ({floors[0][1]:,} rows): {floor_wall:.2f} s wall, "
        f"{floor_cpu:.2f} s CPU"
    )
    print(
        f"ratio to calamine: {wall[1] / floor_wall:.2f}x wall, "
        f"{cpu[1] / floor_cpu:.2f}x CPU (aim: 2.0x or better)"
    )
    print(
        f"peak traced memory, bare read / import: {big_read / mb:.1f} / "
        f"{big_import / mb:.1f} MB for the full return, {small_read / mb:.1f} / "
        f"{small_import / mb:.1f} MB for one a fifth of its size; process peak RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
