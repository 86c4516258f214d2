"""Who has a workbook open: a small lock file beside it, readable over a shared drive.

SQLite already keeps the file consistent with two writers; the lock is about people:
the second person to open a workbook is told who has it and gets a read-only view (or
waits), instead of two people negotiating from diverging figures.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dom_desk.errors import WorkbookError
from dom_desk.storage.audit import current_user


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
    return workbook.with_name(f".~lock.{workbook.name}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def owner(workbook: Path) -> LockOwner | None:
    """Who holds the workbook, or None when nobody does (stale locks are ignored)."""
    try:
        data = json.loads(lock_path(workbook).read_text(encoding="utf-8"))
        found = LockOwner(
            data["user"], data["host"], int(data["pid"]), datetime.fromisoformat(data["since"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if found.host == socket.gethostname() and not _alive(found.pid):
        return None  # left behind by a crash on this machine
    return found


def held_elsewhere(holder: LockOwner) -> bool:
    """True when the lock is another computer's: this one cannot tell whether it is
    still in use (a laptop that crashed or was switched off leaves its lock behind)."""
    return holder.host != socket.gethostname()


def take_over(workbook: Path) -> LockOwner | None:
    """Removes another computer's lock on ``workbook`` (after the user said its holder
    no longer has it open) and returns whose it was; None if there was none.

    A live lock on this computer is never taken over. Should the other person still be
    working after all, nothing is lost: every write checks the row versions it read,
    so their later changes and ours are each refused rather than overwritten.
    """
    holder = owner(workbook)
    if holder is None:
        return None
    if not held_elsewhere(holder):
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


#: Locks this process holds, by lock file, with how many open workbooks share each: the
#: window and a command it runs may open one file twice, and the first close must not
#: release the lock the other still relies on.
_held: dict[Path, int] = {}


class WorkbookLock:
    """Held while a window (or a command that writes) has the workbook open."""

    def __init__(self, workbook: Path) -> None:
        self.path = lock_path(workbook)
        self.workbook = workbook
        self._key = self.path.absolute()
        self._holding = False

    def acquire(self) -> None:
        """Creates the lock file exclusively; a stale one (its process is gone) is replaced.

        Raises WorkbookInUse, naming who has it, when another live process holds it.
        """
        if self._holding:
            return
        if self._key in _held and self._still_ours():
            _held[self._key] += 1
            self._holding = True
            return
        me = (socket.gethostname(), os.getpid())
        record = json.dumps(
            {
                "user": current_user(),
                "host": me[0],
                "pid": me[1],
                "since": datetime.now().isoformat(timespec="seconds"),
            }
        )
        for _attempt in range(2):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                holder = owner(self.workbook)
                if holder is not None and (holder.host, holder.pid) != me:
                    raise WorkbookInUse(self.workbook, holder) from None
                self.path.unlink(missing_ok=True)  # stale, or our own
                continue
            except OSError:
                return  # a read-only folder: nobody else can edit here either
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(record)
            _held[self._key] = _held.get(self._key, 0) + 1
            self._holding = True
            return

    def _still_ours(self) -> bool:
        holder = owner(self.workbook)
        return holder is not None and (holder.host, holder.pid) == (
            socket.gethostname(),
            os.getpid(),
        )

    def release(self) -> None:
        if not self._holding:
            return
        self._holding = False
        _held[self._key] = _held.get(self._key, 1) - 1
        if _held[self._key] > 0:
            return
        del _held[self._key]
        if self._still_ours():
            self.path.unlink(missing_ok=True)
