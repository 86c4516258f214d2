"""The North West demo region: real providers and published measures, illustrative figures.

``write_demo(path)`` writes a complete demo workbook; ``build_demo(session)`` fills an
empty workbook's session (tests and the window use either).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from dom_desk.demo.builder import build_demo
from dom_desk.errors import WorkbookError
from dom_desk.storage.workbook import create_workbook

__all__ = ["build_demo", "write_demo"]


def _remove(path: Path) -> None:
    """The file and SQLite's companions, wherever they exist."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def write_demo(path: Path) -> Path:
    """Writes the demo region to a new workbook at ``path``; refuses an existing file.

    The workbook is built under a temporary name in one transaction, checkpointed and
    closed, then renamed into place: a failure or crash never leaves half a demo behind.
    """
    path = Path(path)
    if path.exists():
        raise WorkbookError(f"'{path.name}' already exists; choose another name.")
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")
    workbook = create_workbook(partial)
    try:
        with workbook.session() as session:
            build_demo(session)
        with workbook.engine.connect() as connection:
            # Fold the write-ahead log into the file so the one file is the whole workbook.
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        workbook.close()
        _remove(partial)
        raise
    workbook.close()
    if path.exists():
        _remove(partial)
        raise WorkbookError(f"'{path.name}' already exists; choose another name.")
    partial.replace(path)
    _remove(partial)  # an emptied -wal or -shm may outlive the connection
    return path
