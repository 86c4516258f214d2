"""Who has a workbook open for editing, decided by the operating system.

(Just over 400 lines on purpose: taking, judging and releasing the lock are one design
whose races are only visible when read together.)

SQLite already keeps the file consistent with two writers; this lock is about people:
the second person to open a workbook is told who has it and gets a read-only view (or
waits), instead of two people negotiating from diverging figures.

Two small files sit beside ``region.domdesk`` while it is open for editing:

- ``.~lock.region.domdesk.os`` carries an **operating-system lock** (portalocker:
  ``flock`` on Linux and macOS, a byte-range lock on Windows), held from open to
  close. It is the authority on whether the holder is alive: the OS drops it the
  moment the holding process ends, however it ends (closed, crashed, killed), and
  taking it is atomic, so of two programs opening at the same instant exactly one gets
  it (a lock taken on a file its holder removed meanwhile is noticed and taken again).
  Nothing judges liveness from the record's content or from ``os.kill(pid, 0)``
  (which, on Windows, sends a console Ctrl+C instead of testing anything).
- ``.~lock.region.domdesk`` is the **owner record** (user, computer, process, since),
  for people: it is what the second opener reads to say who has the file. It is a
  separate file because Windows byte-range locks are mandatory, so bytes under the OS
  lock could not be read by anyone else. It is written complete, to a temporary name
  renamed into place, only while the OS lock is held, and removed before the lock is
  let go, so an empty or half-written record never stands for a live holder.

A record without an OS lock behind it is judged as follows: one from this computer
that says its writer held the OS lock is stale (that lock is gone); one written by an
older DOM Desk (which kept no OS lock) is alive while ``psutil.pid_exists`` says its
process is. One from **another computer** always refuses: on a shared drive (SMB) the
server enforces the OS lock between computers, but a laptop that crashed or was
switched off leaves a record this computer cannot judge, so the user is asked before
``take_over`` removes it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import portalocker
import psutil

from dom_desk.errors import StorageError, WorkbookError
from dom_desk.storage.audit import current_user

#: Where deleting a file that another process has open fails (Windows), the lock file
#: is let go before it is removed; elsewhere it is removed while still held.
_WINDOWS = os.name == "nt"
#: How long a second opener waits for a holder's record to appear (the holder writes it
#: straight after taking the OS lock), and for a file a reader has open to be replaced.
_PATIENCE = 2.0
_POLL = 0.02


@dataclass(frozen=True)
class LockOwner:
    user: str
    host: str
    pid: int
    since: datetime

    def describe(self) -> str:
        return f"{self.user} on {self.host} (since {self.since:%d/%m/%Y %H:%M})"


class WorkbookInUse(WorkbookError):
    """The workbook is open for editing elsewhere."""

    def __init__(self, path: Path, owner: LockOwner) -> None:
        super().__init__(
            f"'{path.name}' is open for editing by {owner.describe()}. "
            "You can open it read-only, or wait until they close it."
        )
        self.owner = owner


def lock_path(workbook: Path) -> Path:
    """The owner record beside ``workbook`` (the name older DOM Desk versions use)."""
    return workbook.with_name(f".~lock.{workbook.name}")


def _os_lock_path(workbook: Path) -> Path:
    return workbook.with_name(f".~lock.{workbook.name}.os")


@dataclass(frozen=True)
class _Record:
    owner: LockOwner
    os_locked: bool  # written by a holder of the OS lock (not an older DOM Desk)


def _read_record(workbook: Path) -> _Record | None:
    """The owner record, or None when there is none or it cannot be read whole."""
    try:
        data = json.loads(lock_path(workbook).read_text(encoding="utf-8"))
        found = LockOwner(
            str(data["user"]),
            str(data["host"]),
            int(data["pid"]),
            datetime.fromisoformat(data["since"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return _Record(found, bool(data.get("os_lock", False)))


def _me() -> tuple[str, int]:
    return socket.gethostname(), os.getpid()


def _is_mine(found: LockOwner) -> bool:
    return (found.host, found.pid) == _me()


def _unheld_record_alive(record: _Record) -> bool:
    """Whether a record with no OS lock behind it still stands for a live holder."""
    if record.owner.host != socket.gethostname():
        return True  # another computer's: only its user can say (see take_over)
    if record.os_locked:
        return False  # its writer held the OS lock, and that lock is gone
    return psutil.pid_exists(record.owner.pid)  # an older DOM Desk, without OS lock


def _try_os_lock(handle: BinaryIO) -> bool:
    """Takes the OS lock on ``handle`` without waiting; False if another process has it.

    A filesystem that cannot lock at all (some network drives) raises LockException;
    that counts as taken, so the owner record is then the only guard, as it always was.
    """
    try:
        portalocker.lock(
            handle, portalocker.LockFlags.EXCLUSIVE | portalocker.LockFlags.NON_BLOCKING
        )
    except portalocker.AlreadyLocked:
        return False
    except portalocker.LockException:
        return True
    return True


def _os_lock_held(workbook: Path) -> bool:
    """True when some process (this one included) holds the OS lock on ``workbook``."""
    path = _os_lock_path(workbook)
    try:
        handle = open(path, "r+b")  # noqa: SIM115 (closed below, after the lock)
    except OSError:
        try:
            handle = open(path, "rb")  # noqa: SIM115
        except OSError:
            return False  # no lock file: nobody holds the lock
    with handle:
        if not _try_os_lock(handle):
            return True
        with contextlib.suppress(portalocker.LockException):
            portalocker.unlock(handle)
        return False


def owner(workbook: Path) -> LockOwner | None:
    """Who holds the workbook, or None when nobody does (stale records are ignored)."""
    workbook = Path(workbook)
    record = _read_record(workbook)
    if record is None:
        return None
    if _is_mine(record.owner) or record.owner.host != socket.gethostname():
        return record.owner
    if _os_lock_held(workbook) or _unheld_record_alive(record):
        return record.owner
    return None  # left behind by a crash on this machine


def held_elsewhere(holder: LockOwner) -> bool:
    """True when the lock is another computer's: this one cannot tell whether it is
    still in use (a laptop that crashed or was switched off leaves its lock behind)."""
    return holder.host != socket.gethostname()


def take_over(workbook: Path) -> LockOwner | None:
    """Removes another computer's lock on ``workbook`` (after the user said its holder
    no longer has it open) and returns whose it was; None if there was none.

    A live lock is never taken over: not one on this computer, nor one whose OS lock
    is still held (a shared drive keeps it for as long as the other computer's DOM
    Desk runs). Should the other person still be working after all, nothing is lost:
    every write checks the row versions it read, so their later changes and ours are
    each refused rather than overwritten.
    """
    workbook = Path(workbook)
    holder = owner(workbook)
    if holder is None:
        return None
    if not held_elsewhere(holder) or _os_lock_held(workbook):
        raise WorkbookInUse(workbook, holder)
    try:
        lock_path(workbook).unlink(missing_ok=True)
    except OSError as exc:
        raise WorkbookError(
            f"Could not remove the lock on '{workbook.name}': {exc.strerror}."
        ) from exc
    return holder


def open_here(workbook: Path) -> bool:
    """True while this process has ``workbook`` open for editing."""
    return lock_path(Path(workbook)).absolute() in _held


@dataclass
class _Hold:
    handle: BinaryIO  # the open lock file the OS lock is on; closing it lets it go
    count: int


#: Locks this process holds, by owner record, with how many open workbooks share each:
#: the window and a command it runs may open one file twice, and the first close must
#: not release the lock the other still relies on.
_held: dict[Path, _Hold] = {}
_held_guard = threading.Lock()

#: errno values meaning the folder cannot be written at all (not a passing failure).
_READ_ONLY = {errno.EACCES, errno.EPERM, errno.EROFS}
_REASONS = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up"}


def _storage_failed(workbook: Path, exc: OSError) -> StorageError:
    reason = _REASONS.get(exc.errno or 0, (exc.strerror or str(exc)).lower())
    return StorageError(
        f"'{workbook.name}' was not opened for editing: its lock file could not be "
        f"written beside it ({reason})."
    )


class WorkbookLock:
    """Held while a window (or a command that writes) has the workbook open."""

    def __init__(self, workbook: Path) -> None:
        self.path = lock_path(workbook)
        self.workbook = workbook
        self._os_path = _os_lock_path(workbook)
        self._key = self.path.absolute()
        self._holding = False

    def acquire(self) -> None:
        """Takes the OS lock and writes the owner record beside the workbook.

        Raises WorkbookInUse, naming who has it, when another live process holds it;
        StorageError (one sentence, nothing left behind) when the lock cannot be
        written. In a folder that cannot be written at all it returns without a lock:
        nobody else can edit there either.
        """
        if self._holding:
            return
        with _held_guard:
            hold = _held.get(self._key)
            if hold is not None:
                hold.count += 1
                self._holding = True
                return
            handle = self._take_os_lock()
            if handle is None:  # a read-only folder: only an older record can say who has it
                holder = owner(self.workbook)
                if holder is not None and not _is_mine(holder):
                    raise WorkbookInUse(self.workbook, holder)
                return
            try:
                self._claim_record()
            except BaseException:
                self._let_go(handle)
                raise
            _held[self._key] = _Hold(handle, 1)
            self._holding = True

    def _open_lock_file(self) -> BinaryIO | None:
        """The lock file, created if missing; None in a folder that cannot be written."""
        for attempt in range(5):
            try:
                # Binary append: created if missing, never truncated, nothing written.
                return open(self._os_path, "a+b")  # held until release
            except OSError as exc:
                if exc.errno not in _READ_ONLY:
                    raise _storage_failed(self.workbook, exc) from exc
                if attempt == 4:
                    # Editing without a lock only where nobody can write at all.
                    if exc.errno != errno.EROFS and os.access(self._os_path.parent, os.W_OK):
                        raise _storage_failed(self.workbook, exc) from exc
                    return None
                # Windows also refuses, for a moment, a file another process is deleting.
                time.sleep(_POLL)
        return None

    def _take_os_lock(self) -> BinaryIO | None:
        """Returns the open lock file with the OS lock held, or raises
        WorkbookInUse naming the holder; None in a folder that cannot be written."""
        deadline = time.monotonic() + _PATIENCE
        while True:
            handle = self._open_lock_file()
            if handle is None:
                return None
            if _try_os_lock(handle):
                if self._still_in_place(handle):
                    return handle
                handle.close()  # a holder removed it as we opened it: take the new one
                continue
            handle.close()
            record = _read_record(self.workbook)
            if record is not None and not self._left_by_a_crash(record):
                raise WorkbookInUse(self.workbook, record.owner)
            if time.monotonic() > deadline:  # held all along: the record is all we have
                raise WorkbookInUse(self.workbook, record.owner if record else _unknown_holder())
            time.sleep(_POLL)  # its holder is about to write the record, or to close

    def _still_in_place(self, handle: BinaryIO) -> bool:
        try:
            now, ours = os.stat(self._os_path), os.fstat(handle.fileno())
        except OSError:
            return False
        return (now.st_dev, now.st_ino) == (ours.st_dev, ours.st_ino)

    def _left_by_a_crash(self, record: _Record) -> bool:
        """A record that the live holder of the OS lock is about to replace."""
        found = record.owner
        return found.host == socket.gethostname() and not psutil.pid_exists(found.pid)

    def _claim_record(self) -> None:
        """With the OS lock held: refuses a record that stands for a live holder (another
        computer's, or an older DOM Desk's), else writes ours whole in its place."""
        record = _read_record(self.workbook)
        if record is None and self.path.exists():
            time.sleep(_POLL * 5)  # an older DOM Desk creates the file, then writes it
            record = _read_record(self.workbook)
        if record is not None and not _is_mine(record.owner) and _unheld_record_alive(record):
            raise WorkbookInUse(self.workbook, record.owner)
        host, pid = _me()
        text = json.dumps(
            {
                "user": current_user(),
                "host": host,
                "pid": pid,
                "since": datetime.now().isoformat(timespec="seconds"),
                "os_lock": True,
            }
        )
        self._write_record(text)

    def _write_record(self, text: str) -> None:
        folder = self.path.parent
        try:
            fd, temporary = tempfile.mkstemp(prefix=f"{self.path.name}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise _storage_failed(self.workbook, exc) from exc
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            _retrying(lambda: os.replace(temporary, self.path))
        except OSError as exc:
            Path(temporary).unlink(missing_ok=True)
            raise _storage_failed(self.workbook, exc) from exc

    def _let_go(self, handle: BinaryIO) -> None:
        """Lets the OS lock go and removes its file, without ever removing a file that
        another opener may already hold (see the module docstring)."""
        if _WINDOWS:
            handle.close()
            with contextlib.suppress(OSError):  # fails if another opener has it: theirs now
                self._os_path.unlink(missing_ok=True)
            return
        with contextlib.suppress(OSError):
            self._os_path.unlink(missing_ok=True)  # while held: openers see it gone
        handle.close()

    def _still_ours(self) -> bool:
        record = _read_record(self.workbook)
        return record is not None and _is_mine(record.owner)

    def release(self) -> None:
        if not self._holding:
            return
        self._holding = False
        with _held_guard:
            hold = _held.get(self._key)
            if hold is None:
                return
            hold.count -= 1
            if hold.count > 0:
                return
            del _held[self._key]
            if self._still_ours():  # a take-over from elsewhere may have replaced it
                # Should it stay behind, it says its OS lock is gone: read as stale.
                with contextlib.suppress(OSError):
                    _retrying(lambda: self.path.unlink(missing_ok=True))
            self._let_go(hold.handle)


def _retrying(action: Callable[[], object]) -> None:
    """Runs ``action``; on Windows a file another process is reading cannot be replaced
    or removed for a moment, so a refusal is retried for a short while."""
    deadline = time.monotonic() + _PATIENCE
    while True:
        try:
            action()
            return
        except PermissionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(_POLL)


def _unknown_holder() -> LockOwner:
    return LockOwner("another user", "a computer that did not say which", 0, datetime.now())
