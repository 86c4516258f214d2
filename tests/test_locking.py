"""The editing lock: real second processes on this OS, and the Windows answers stubbed.

A second program that opens a workbook for editing is refused, naming who has it, for
as long as the first has it open; the moment the first ends (closed, or killed) it is
free. Two opening at the same instant: exactly one gets it, every time.

The editing lock is a file's (file_only): a server region has no lock, many edit at once
(tests/test_server_concurrency.py).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import portalocker
import psutil
import pytest
from filesystems import full_filesystem, read_only_copy, snapshot

from dom_desk.errors import StorageError
from dom_desk.storage import locking
from dom_desk.storage.audit import current_user
from dom_desk.storage.locking import (
    WorkbookInUse,
    WorkbookLock,
    held_elsewhere,
    lock_path,
    open_here,
    owner,
    take_over,
)
from dom_desk.storage.workbook import open_workbook

#: Opens the workbook for editing, says so, and holds it until its stdin closes.
HOLDER = """
import sys
from pathlib import Path
from dom_desk.storage.workbook import open_workbook
wb = open_workbook(Path(sys.argv[1]))
print("open", flush=True)
sys.stdin.readline()
wb.close()
"""

#: Each "go" line: tries to open the workbook, says "won" or "refused"; each "done"
#: line: closes it (if won) and says "closed". One process serves every round.
RACER = """
import sys
from pathlib import Path
from dom_desk.storage.locking import WorkbookInUse
from dom_desk.storage.workbook import open_workbook
path = Path(sys.argv[1])
print("ready", flush=True)
while sys.stdin.readline().strip() == "go":
    try:
        wb = open_workbook(path)
    except WorkbookInUse:
        wb = None
    print("refused" if wb is None else "won", flush=True)
    sys.stdin.readline()
    if wb is not None:
        wb.close()
    print("closed", flush=True)
"""

#: Tries once to open the workbook for editing and prints what happened.
TRY_ONCE = """
import sys
from pathlib import Path
from dom_desk.storage.locking import WorkbookInUse
from dom_desk.storage.workbook import open_workbook
try:
    open_workbook(Path(sys.argv[1])).close()
except WorkbookInUse as exc:
    print("refused:", exc)
else:
    print("opened")
"""

pytestmark = pytest.mark.file_only


def _python(script: str, path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", script, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _stop(process: subprocess.Popen) -> None:
    process.kill()
    process.wait()
    for pipe in (process.stdin, process.stdout):
        if pipe is not None and not pipe.closed:
            pipe.close()


def _try_once(path: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", TRY_ONCE, str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _lock_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".~lock"))


@pytest.fixture
def path(workbook) -> Path:
    workbook.close()
    return workbook.path


@pytest.fixture
def holder(path: Path):
    """A second process that has the workbook open for editing."""
    process = _python(HOLDER, path)
    assert process.stdout.readline().strip() == "open"
    yield process
    _stop(process)


def _write_record(path: Path, host: str, pid: int, os_lock: bool | None = True) -> None:
    data = {"user": "deputy.dom", "host": host, "pid": pid, "since": "2009-11-02T09:30:00"}
    if os_lock is not None:
        data["os_lock"] = os_lock
    lock_path(path).write_text(json.dumps(data), encoding="utf-8")


# -- a real second process on this OS ----------------------------------------------------


def test_a_second_process_is_refused_naming_the_holder(path: Path, holder) -> None:
    with pytest.raises(WorkbookInUse, match=f"{current_user()} on {socket.gethostname()}"):
        open_workbook(path)
    assert owner(path).pid == holder.pid
    viewer = open_workbook(path, read_only=True)  # reading is never refused
    viewer.close()


def test_the_lock_is_free_once_the_holder_closes(path: Path, holder) -> None:
    holder.stdin.close()
    assert holder.wait(timeout=60) == 0
    assert owner(path) is None
    assert _lock_files(path.parent) == []
    open_workbook(path).close()


def test_a_killed_holder_leaves_the_lock_free_even_if_its_pid_is_reused(
    path: Path, holder, monkeypatch
) -> None:
    holder.kill()
    holder.wait()
    assert lock_path(path).exists()  # a kill gives no chance to tidy up
    monkeypatch.setattr(psutil, "pid_exists", lambda pid: True)  # as if reused
    assert owner(path) is None  # its OS lock went with it
    wb = open_workbook(path)
    assert owner(path).pid == os.getpid()
    wb.close()
    assert _lock_files(path.parent) == []


def test_two_processes_opening_at_the_same_instant_one_wins_every_round(path: Path) -> None:
    racers = [_python(RACER, path), _python(RACER, path)]
    try:
        for racer in racers:
            assert racer.stdout.readline().strip() == "ready"
        for _round in range(20):
            for racer in racers:
                racer.stdin.write("go\n")
                racer.stdin.flush()
            results = sorted(racer.stdout.readline().strip() for racer in racers)
            assert results == ["refused", "won"]
            for racer in racers:
                racer.stdin.write("done\n")
                racer.stdin.flush()
            assert [racer.stdout.readline().strip() for racer in racers] == ["closed"] * 2
    finally:
        for racer in racers:
            _stop(racer)
    assert _lock_files(path.parent) == []


def test_opening_twice_in_one_process_holds_the_lock_until_the_last_close(path: Path) -> None:
    window = open_workbook(path)
    command = open_workbook(path)  # a command the window runs, on the same file
    command.close()
    assert open_here(path)
    assert _try_once(path).startswith("refused:")
    window.close()
    assert not open_here(path)
    assert _try_once(path) == "opened"


def test_a_lock_from_an_older_dom_desk_counts_while_its_process_lives(
    path: Path, monkeypatch
) -> None:
    _write_record(path, socket.gethostname(), 4242, os_lock=None)  # no OS lock behind it
    monkeypatch.setattr(psutil, "pid_exists", lambda pid: pid == 4242)
    with pytest.raises(WorkbookInUse, match="deputy.dom"):
        open_workbook(path)
    monkeypatch.setattr(psutil, "pid_exists", lambda pid: False)
    open_workbook(path).close()
    assert _lock_files(path.parent) == []


# -- the Windows answers, stubbed where this OS cannot give them -------------------------


@pytest.fixture
def windows(monkeypatch) -> str:
    """This process behaves as DOM Desk on a Windows laptop; returns its computer name."""
    monkeypatch.setattr(locking, "_WINDOWS", True)
    monkeypatch.setattr(socket, "gethostname", lambda: "DOM-LAPTOP-3")

    def no_kill(*_args: object) -> None:
        raise AssertionError("os.kill must not be used to judge a lock")

    monkeypatch.setattr(os, "kill", no_kill)
    return "DOM-LAPTOP-3"


@pytest.fixture
def range_locked(monkeypatch) -> None:
    """Another process holds the lock's byte range: what portalocker raises on Windows
    (msvcrt.locking fails with errno 36, which it turns into AlreadyLocked)."""

    def locked(fd: int, flags: portalocker.LockFlags) -> None:
        raise portalocker.AlreadyLocked(
            portalocker.LockException.LOCK_FAILED, "[Errno 36] Resource deadlock avoided", fh=fd
        )

    monkeypatch.setattr(portalocker, "lock", locked)
    monkeypatch.setattr(locking, "_PATIENCE", 0.2)  # how long a record may take to appear


def test_on_windows_the_record_readers_need_is_never_under_the_os_lock(
    path: Path, windows: str, monkeypatch
) -> None:
    """Windows byte-range locks are mandatory: locked bytes cannot be read by others, so
    the file the OS lock is taken on must not be the record a second opener reads."""
    locked, real_lock = [], portalocker.lock

    def lock(handle, flags: portalocker.LockFlags) -> None:
        locked.append(Path(handle.name).resolve())
        real_lock(handle, flags)

    monkeypatch.setattr(portalocker, "lock", lock)
    wb = open_workbook(path)
    assert locked and lock_path(path).resolve() not in locked
    assert owner(path).pid == os.getpid()
    wb.close()


def test_on_windows_a_locked_range_refuses_whatever_the_pid_says(
    path: Path, windows: str, range_locked: None, monkeypatch
) -> None:
    _write_record(path, windows, 4242)
    monkeypatch.setattr(psutil, "pid_exists", lambda pid: False)  # the OS lock decides
    with pytest.raises(WorkbookInUse, match=f"deputy.dom on {windows}"):
        open_workbook(path)
    assert owner(path).user == "deputy.dom"
    assert not held_elsewhere(owner(path))
    with pytest.raises(WorkbookInUse):
        take_over(path)


def test_on_windows_an_empty_record_under_a_held_lock_is_never_taken_for_stale(
    path: Path, windows: str, range_locked: None, monkeypatch
) -> None:
    lock_path(path).write_text("", encoding="utf-8")  # its writer has not written it yet
    with pytest.raises(WorkbookInUse, match="is open for editing"):
        open_workbook(path)
    assert lock_path(path).read_text(encoding="utf-8") == ""  # left to its writer


def test_on_windows_a_crashed_holders_record_is_stale_even_if_its_pid_is_reused(
    path: Path, windows: str, monkeypatch
) -> None:
    _write_record(path, windows, 4242)
    monkeypatch.setattr(psutil, "pid_exists", lambda pid: True)
    assert owner(path) is None
    wb = open_workbook(path)
    assert owner(path).host == windows and owner(path).pid == os.getpid()
    wb.close()
    assert _lock_files(path.parent) == []  # let go first, then removed


def test_on_windows_a_record_being_read_is_replaced_once_the_reader_lets_go(
    path: Path, windows: str, monkeypatch
) -> None:
    real_replace, refusals = os.replace, [PermissionError(13, "Access is denied")] * 3

    def replace(source: object, target: object) -> None:
        if refusals:  # a reader has the record open (Windows sharing violation)
            raise refusals.pop()
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    wb = open_workbook(path)
    assert not refusals and owner(path).pid == os.getpid()
    wb.close()
    assert _lock_files(path.parent) == []


def test_a_second_computer_on_a_shared_drive_is_refused_and_cannot_take_over(
    path: Path, holder, monkeypatch
) -> None:
    """The holder's OS lock is real; this process pretends to be another computer, to
    which an SMB server gives the same answer: the range is locked."""
    monkeypatch.setattr(socket, "gethostname", lambda: "OTHER-PC")
    with pytest.raises(WorkbookInUse, match=f"{current_user()} on") as refused:
        open_workbook(path)
    assert held_elsewhere(refused.value.owner)
    with pytest.raises(WorkbookInUse):
        take_over(path)  # its DOM Desk still runs: the OS lock says so
    assert owner(path).pid == holder.pid


def test_another_computers_record_refuses_until_taken_over(path: Path) -> None:
    _write_record(path, "laptop-7", 1)
    with pytest.raises(WorkbookInUse, match="deputy.dom on laptop-7"):
        open_workbook(path)
    assert take_over(path).host == "laptop-7"
    wb = open_workbook(path)
    assert owner(path).pid == os.getpid()
    wb.close()


# -- full disk and read-only places ------------------------------------------------------


def test_a_full_disk_refuses_editing_in_one_sentence_and_leaves_nothing(
    path: Path, tmp_path: Path
) -> None:
    with full_filesystem(tmp_path / "disk", keep=(path,)) as disk:
        before = snapshot(disk)
        with pytest.raises(StorageError, match=r"'region.domdesk' .*\(the disk is full\)\.$"):
            open_workbook(disk / path.name)
        assert snapshot(disk) == before
        assert not open_here(disk / path.name)


def test_a_full_disk_through_the_command_line_is_one_sentence(path: Path, tmp_path: Path) -> None:
    with full_filesystem(tmp_path / "disk", keep=(path,)) as disk:
        before = snapshot(disk)
        done = subprocess.run(
            [sys.executable, "-m", "dom_desk", "tolerance", "--db", str(disk / path.name)]
            + ["--measure", "PT 1", "--percent", "5"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode != 0
        assert "Traceback" not in done.stderr
        assert (
            done.stderr.strip().splitlines() == [done.stderr.strip()]
            and "the disk is full" in done.stderr
        )
        assert snapshot(disk) == before


def test_a_read_only_folder_takes_no_lock_and_leaves_nothing(path: Path, tmp_path: Path) -> None:
    with read_only_copy(tmp_path / "ro", files=(path,)) as place:
        lock = WorkbookLock(place / path.name)
        lock.acquire()  # as before: nobody can edit here, so there is nothing to hold
        assert not open_here(place / path.name)
        lock.release()
        assert _lock_files(place) == []
