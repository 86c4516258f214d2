"""Writing files safely: a temporary name beside the target, renamed into place.

A crash, a full disk or a locked target never leaves half a file where the user
expects a whole one.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from dom_desk.errors import DomDeskError


class WriteError(DomDeskError):
    """A file could not be written; the message names it and says why."""


_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission was refused (is the file open in another program?)",
    errno.EPERM: "permission was refused",
    errno.EROFS: "the folder is read-only",
    errno.ENOENT: "the folder does not exist",
}


def describe_os_reason(exc: OSError) -> str:
    """Why an operation on a file failed, in a few words ("the disk is full")."""
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def describe_os_error(exc: OSError, path: Path) -> str:
    """One sentence a user can act on."""
    return f"Could not write '{path}': {describe_os_reason(exc)}."


def describe_os_failure(exc: OSError) -> str:
    """One sentence for a file or folder that could not be used, read or written."""
    reason = describe_os_reason(exc)
    if exc.errno == errno.ENOENT:
        reason = "it does not exist"
    where = f"'{exc.filename}'" if exc.filename else "a file"
    return f"Could not use {where}: {reason}."


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yields a temporary path to write; on success it replaces ``target`` in one step."""
    target = Path(target)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        yield temporary
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        raise WriteError(describe_os_error(exc, target)) from exc
    finally:
        _discard(temporary)


def _discard(temporary: Path) -> None:
    """Removes a temporary file if it is there. On a read-only filesystem even removing
    a file that was never made fails (EROFS): that must not hide the real error."""
    with suppress(OSError):
        temporary.unlink(missing_ok=True)
