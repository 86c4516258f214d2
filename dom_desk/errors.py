"""Errors a user can act on. Each carries one clear sentence, shown as it is."""

from __future__ import annotations


class DomDeskError(Exception):
    """Base of every error whose message is meant for the user."""


class WorkbookError(DomDeskError):
    """A workbook file cannot be opened, created or written."""


class DamagedWorkbookError(WorkbookError):
    """The file is a SQLite database whose contents are damaged: restore a backup.

    ``plain`` is the refusal without advice and ``newest`` the newest backup to restore
    (None when there is none), for a window that offers the restore in its own words.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.plain = message
        self.newest: object = None


class StorageError(WorkbookError):
    """The storage under an open workbook failed (disk full, read-only, drive gone).

    Nothing of the change that met it was written and everything committed before is
    safe; the window offers to save a copy elsewhere when it sees one of these.
    """


class ReadOnlyLocationError(StorageError):
    """The workbook's file or folder cannot be written: it can only be opened read-only."""


class ValidationError(DomDeskError):
    """A value was refused; ``where`` names the field or cell it came from."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.reason = message
        self.where = where


class LockedError(ValidationError):
    """An edit to an agreed or signed agreement that was not unlocked first."""


class ConflictError(DomDeskError):
    """Someone else changed the record since it was read: the write is refused."""


class SerializationConflict(ConflictError):
    """The team server refused a change that raced another's; trying again may succeed."""
