"""Killing DOM Desk mid-work loses nothing committed and leaves nothing half-written."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from dom_desk.workbook import open_workbook

EDITOR = textwrap.dedent("""
    import sys
    from dom_desk.models import Provider, ProviderKind, Sector
    from dom_desk.workbook import open_workbook

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
    from dom_desk.workbook import open_workbook

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


def run_until(script: str, path: Path, lines: int) -> list[str]:
    """Starts ``script`` on the workbook, reads ``lines`` lines, then SIGKILLs it."""
    process = subprocess.Popen([sys.executable, "-c", script, str(path)],
                               stdout=subprocess.PIPE, text=True)
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
            "SELECT count(*) FROM provider WHERE name LIKE 'Batch %'").scalar()
        audit = connection.exec_driver_sql(
            "SELECT count(*) FROM audit_entry WHERE entity = 'provider'").scalar()
    reopened.close()
    assert (batch, audit) == (0, 0)
