"""Killing DOM Desk mid-work loses nothing committed and leaves nothing half-written.

A file's (file_only): SQLite's WAL and its journal after a kill. On the team server a
crash mid-edit is tests/test_server_concurrency.py's.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dom_desk.storage.workbook import open_workbook

EDITOR = textwrap.dedent("""
    import sys
    from dom_desk.models import Provider, ProviderKind, Sector
    from dom_desk.storage.workbook import open_workbook

    wb = open_workbook(sys.argv[1])
    n = 0
    while True:
        with wb.session() as session:
            session.add(Provider(name=f"Provider {n:05d}", kind=ProviderKind.VCS,
                                 sector=Sector.THIRD))
        print(n, flush=True)  # only after the commit returned
        n += 1
""")

BULK_WRITER = textwrap.dedent("""
    import sys
    from dom_desk.models import Provider, ProviderKind, Sector
    from dom_desk.storage.workbook import open_workbook

    wb = open_workbook(sys.argv[1])
    with wb.session() as session:
        for n in range(10_000_000):
            session.add(Provider(name=f"Batch {n:08d}", kind=ProviderKind.VCS,
                                 sector=Sector.THIRD))
            if n % 2000 == 1999:
                session.flush()
                if n == 5999:
                    print("flushed", flush=True)
""")

pytestmark = pytest.mark.file_only


def run_until(script: str, path: Path, lines: int) -> list[str]:
    """Starts ``script`` on the workbook, reads ``lines`` lines, then SIGKILLs it."""
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(path)], stdout=subprocess.PIPE, text=True
    )
    seen = [process.stdout.readline().strip() for _ in range(lines)]
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return seen


def integrity(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def test_every_commit_before_a_kill_is_there_afterwards(workbook) -> None:
    path = workbook.path
    workbook.close()
    seen = run_until(EDITOR, path, 40)

    assert integrity(path) == "ok"
    reopened = open_workbook(path)
    with reopened.engine.connect() as connection:
        names = {r[0] for r in connection.exec_driver_sql("SELECT name FROM provider")}
    reopened.close()
    assert {f"Provider {int(n):05d}" for n in seen} <= names


def test_a_transaction_killed_half_way_leaves_nothing(workbook) -> None:
    path = workbook.path
    workbook.close()
    run_until(BULK_WRITER, path, 1)

    assert integrity(path) == "ok"
    reopened = open_workbook(path)
    with reopened.engine.connect() as connection:
        batch = connection.exec_driver_sql(
            "SELECT count(*) FROM provider WHERE name LIKE 'Batch %'"
        ).scalar()
        audit = connection.exec_driver_sql(
            "SELECT count(*) FROM audit_entry WHERE entity = 'provider'"
        ).scalar()
    reopened.close()
    assert (batch, audit) == (0, 0)


IMPORTER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from dom_desk.domain.returns import import_files
    from dom_desk.storage.workbook import open_workbook

    def progress(number, count, row):
        if number == 3 and row == 0:
            print("file 3", flush=True)
            sys.stdin.readline()  # held here, mid-import, until killed

    wb = open_workbook(Path(sys.argv[1]))
    import_files(wb, sorted(Path(sys.argv[2]).glob("*.xlsx")), progress=progress)
""")


def test_an_import_killed_half_way_leaves_no_part_of_it(workbook, tmp_path: Path) -> None:
    from returns_support import fill, populate, row_of

    from dom_desk.domain.returns import import_files
    from dom_desk.exports.template_files import make_template
    from dom_desk.readers import returns_format as fmt

    populate(workbook)
    folder = tmp_path / "returns"
    folder.mkdir()
    for quarter in ("Q1", "Q2", "Q3", "Q4"):
        template = make_template(
            workbook, "HMP Manchester", f"2009-10-{quarter}", tmp_path / f"{quarter}.xlsx"
        )

        def figures(book) -> None:
            sheet = book[fmt.RETURN_SHEET]
            sheet.cell(row_of(sheet, "PT 2"), 5).value = 7

        fill(template, folder / f"{quarter}.xlsx", figures)
    (folder / "Q1.xlsx").rename(tmp_path / "earlier.xlsx")
    assert import_files(workbook, [tmp_path / "earlier.xlsx"]).ok  # committed before
    path = workbook.path
    workbook.close()

    process = subprocess.Popen(
        [sys.executable, "-c", IMPORTER, str(path), str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "file 3"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    assert integrity(path) == "ok"
    reopened = open_workbook(path)
    with reopened.engine.connect() as connection:
        files = [r[0] for r in connection.exec_driver_sql("SELECT file_name FROM submission")]
        results = connection.exec_driver_sql("SELECT count(*) FROM result").scalar()
    reopened.close()
    assert files == ["earlier.xlsx"]
    assert results == 1
