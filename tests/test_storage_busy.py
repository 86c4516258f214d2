"""A busy workbook: a write waits for another connection's write (up to the documented
busy timeout), also when its own transaction has already read.

A file's (file_only): SQLite's busy timeout between connections to one file; the server
waits on row locks (lock_timeout) instead.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from dom_desk.errors import StorageError
from dom_desk.models import Provider, ProviderKind, Sector
from dom_desk.storage import sqlite_file
from dom_desk.storage.workbook import open_workbook

HOLDER = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")  # the write lock, held until told to let go
print("held", flush=True)
sys.stdin.readline()
con.execute("COMMIT")
print("released", flush=True)
"""


class Holder:
    """A second process holding the workbook's write lock until ``release``."""

    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "held"

    def release(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("go\n")
        self.process.stdin.flush()

    def close(self) -> None:
        if self.process.poll() is None:
            self.release()
        self.process.wait(timeout=30)


pytestmark = pytest.mark.file_only


def _read_then_write(wb) -> None:
    with wb.session() as session:
        session.scalars(select(Provider)).all()  # the transaction reads first...
        session.add(Provider(name="Nacro", kind=ProviderKind.VCS, sector=Sector.THIRD))


@pytest.fixture
def holder(workbook) -> Holder:
    held = Holder(workbook.path)
    yield held
    held.close()


def test_a_write_after_a_read_waits_for_the_other_writer(workbook, holder: Holder) -> None:
    """Before, SQLite refused this write at once (SQLITE_BUSY, busy handler not called
    for a read transaction upgrading to write) although the timeout is 5 s."""
    # Let go while our write is waiting; it must then go through, not fail.
    threading.Timer(0.5, holder.release).start()
    _read_then_write(workbook)
    with workbook.session() as session:
        assert session.scalars(select(Provider.name)).all() == ["Nacro"]


def test_a_write_still_busy_after_the_timeout_is_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dom_desk.domain.region import create_region
    from dom_desk.storage.workbook import create_workbook

    monkeypatch.setattr(sqlite_file, "BUSY_TIMEOUT_MS", 300)  # the rule, not the 5 s
    path = tmp_path / "busy.domdesk"
    wb = create_workbook(path)
    with wb.session() as session:
        create_region(session, "North West", "2009-10")
    wb.close()
    wb = open_workbook(path)
    held = Holder(path)
    try:
        with pytest.raises(StorageError, match="busy for too long"):
            _read_then_write(wb)
    finally:
        held.close()
    with wb.session() as session:
        assert session.scalars(select(Provider.name)).all() == []
    wb.close()


def test_the_documented_busy_timeout_is_the_one_connections_use(workbook) -> None:
    with workbook.engine.connect() as connection:
        (timeout,) = connection.exec_driver_sql("PRAGMA busy_timeout").one()
    assert timeout == sqlite_file.BUSY_TIMEOUT_MS == 5000


def test_a_command_waits_for_another_program_writing(
    demo_file: Path, tmp_path: Path, capsys
) -> None:
    """``dom-desk tolerance`` (it reads the measure, then writes) while another process
    holds the write lock: it waits, and its change is saved once the other lets go."""
    import shutil

    from dom_desk.cli import main

    path = tmp_path / "region.domdesk"
    shutil.copyfile(demo_file, path)
    held = Holder(path)
    try:
        threading.Timer(0.5, held.release).start()
        code = main(["tolerance", "--db", str(path), "--measure", "PT 1", "--percent", "7.5"])
        out, err = capsys.readouterr()
    finally:
        held.close()
    assert code == 0, err
    main(["tolerance", "--db", str(path)])
    listed, _ = capsys.readouterr()
    assert "PT 1,7.5" in listed.splitlines()
