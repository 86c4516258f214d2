"""Lists import and key dates against their baselines, in the same run.

    .venv/bin/python bench/planning_bench.py [--rows 2000] [--contracts 500] [--repeats 3]

* lists import: a milestones sheet of ``--rows`` rows laid out like seed 004's Annex B
  (section headings every 20 rows, fuzzy dates), read, checked and written in one
  transaction, against openpyxl alone reading every row of the same file (read-only).
* key dates: every key date of a workbook with ``--contracts`` contracts (each with a
  variation and an option), the competitions and the milestones above, against a plain
  SELECT of the same rows (the floor for any query-based derivation).

Best of the repeats; prints both timings and the ratio.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from openpyxl import Workbook as Xlsx
from openpyxl import load_workbook
from sqlalchemy import select

from dom_desk.domain import competitions, keydates
from dom_desk.domain.lists_import import ListKind, import_list
from dom_desk.domain.periods import add_months
from dom_desk.domain.region import create_region
from dom_desk.models import (
    Agreement,
    AgreementKind,
    CompetitionKind,
    ContractOption,
    Milestone,
    OptionKind,
    Provider,
    ProviderKind,
    Sector,
    Variation,
    VariationKind,
)
from dom_desk.storage.workbook import create_workbook, open_workbook

FUZZY = (
    "June 2018",
    "Summer 2018",
    "Through 2018",
    "Ongoing",
    "March 2019",
    "Autumn 2018",
    "Ongoing through 2018-19",
    "31/03/2019",
)


def best(repeats: int, fn) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def make_sheet(path: Path, rows: int) -> None:
    book = Xlsx()
    sheet = book.active
    for number in range(rows):
        if number % 20 == 0:
            sheet.append([f"Directorate {number // 20 + 1}"])
            sheet.append(["Milestone", "Delivery date"])
        sheet.append([f"Deliver item {number} of the programme", FUZZY[number % len(FUZZY)]])
    book.save(path)


def make_workbook(path: Path, contracts: int) -> None:
    wb = create_workbook(path)
    with wb.session() as session:
        create_region(session, "North West", "2009-10")
        for number in range(contracts):
            start = date(2000 + number % 10, 1 + number % 12, 1)
            agreement = Agreement(
                provider=Provider(
                    name=f"Provider {number}",
                    kind=ProviderKind.PRIVATE_COMPANY,
                    sector=Sector.PRIVATE,
                ),
                kind=AgreementKind.CONTRACT,
                title=f"Contract {number}",
                start=start,
                end=add_months(start, 60),
                annual_value=1_000_000_00,
                notice_months=3,
            )
            session.add(agreement)
            session.flush()
            session.add(
                Variation(
                    agreement_id=agreement.id,
                    kind=VariationKind.VALUE,
                    effective=add_months(start, 12),
                    value_change=10_000_00,
                    recorded_at=start,
                    recorded_by="bench",
                )
            )
            session.add(
                ContractOption(
                    agreement_id=agreement.id,
                    kind=OptionKind.EXTENSION,
                    falls_on=add_months(start, 60),
                    months=24,
                )
            )
        for number in range(contracts // 10):
            competitions.create_competition(
                session,
                f"Prison {number}",
                CompetitionKind.RECOMPETE,
                expiry=f"June {2010 + number % 5}",
            )
    wb.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--contracts", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="planning-bench-"))
    try:
        sheet = folder / "milestones.xlsx"
        make_sheet(sheet, args.rows)
        master = folder / "master.domdesk"
        make_workbook(master, args.contracts)

        def read_only() -> None:
            book = load_workbook(sheet, read_only=True, data_only=True)
            for ws in book.worksheets:
                for _row in ws.iter_rows(values_only=True):
                    pass
            book.close()

        def do_import() -> None:
            copy = folder / "copy.domdesk"
            shutil.copyfile(master, copy)
            wb = open_workbook(copy)
            try:
                _preview, summary = import_list(wb, sheet, ListKind.MILESTONES)
                assert summary is not None and summary.added == args.rows
            finally:
                wb.close()
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{copy}{suffix}").unlink(missing_ok=True)

        base = best(args.repeats, read_only)
        full = best(args.repeats, do_import)
        print(
            f"lists import, {args.rows} rows: openpyxl read {base:.3f}s, "
            f"import {full:.3f}s, ratio {full / base:.1f}x"
        )

        wb = open_workbook(master, read_only=True)
        try:

            def plain() -> None:
                with wb.session() as session:
                    session.execute(select(Agreement)).all()
                    session.execute(select(Variation)).all()
                    session.execute(select(ContractOption)).all()
                    session.execute(select(Milestone)).all()

            def derived() -> None:
                with wb.session() as session:
                    keydates.key_dates(session)

            with wb.session() as session:
                count = len(keydates.key_dates(session))
            base = best(args.repeats, plain)
            full = best(args.repeats, derived)
        finally:
            wb.close()
        print(
            f"key dates, {args.contracts} contracts ({count} dates): plain select "
            f"{base:.3f}s, key_dates {full:.3f}s, ratio {full / base:.1f}x"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
