"""The raw, read-only looks at a workbook file that ``dom-desk check`` needs.

Why here: SQLite is opened only by the storage layer; ``domain.check`` decides what the
answers mean and words them for a DOM. Nothing here changes the file (read-only
connections), so a check can run on a workbook open in the window.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing
from pathlib import Path

from dom_desk.storage.sqlite_file import connect_read_only


def integrity_problems(path: Path) -> list[str]:
    """SQLite's ``integrity_check`` lines for damage in the file; empty when it is sound."""
    with closing(connect_read_only(path)) as con:
        lines = [row[0] for row in con.execute("PRAGMA integrity_check")]
    return [] if lines == ["ok"] else lines


def dangling_references(path: Path) -> list[tuple[str, int, str]]:
    """Rows that refer to a missing record: (table, rowid, table referred to)."""
    with closing(connect_read_only(path)) as con:
        return [(table, rowid, parent) for table, rowid, parent, _ in _foreign_keys(con)]


def _foreign_keys(con: sqlite3.Connection) -> list[tuple]:
    return list(con.execute("PRAGMA foreign_key_check"))


def stored_rows(path: Path, table: str, columns: Sequence[str]) -> Iterator[tuple]:
    """Every row of ``table`` as stored, (rowid, *columns), without the ORM converting
    values (so a value of the wrong kind can be reported rather than crashed on)."""
    names = ", ".join(f'"{name}"' for name in columns)
    with closing(connect_read_only(path)) as con:
        yield from con.execute(f'SELECT rowid, {names} FROM "{table}"')
