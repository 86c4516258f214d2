"""``dom-desk check``: is the file sound, of a schema we know, and do its figures agree?"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from dom_desk.errors import WorkbookError
from dom_desk.workbook import head_revision, inspect_file


def check_file(path: Path) -> list[str]:
    """Problems found in the workbook at ``path``, in plain words; empty when all is well.

    Reads only: the file is opened read-only and never changed.
    """
    path = Path(path)
    if not path.exists():
        return [f"There is no workbook at '{path}'."]
    try:
        revision = inspect_file(path)
    except WorkbookError as exc:
        return [str(exc)]
    problems: list[str] = []
    if revision is None:
        return [f"'{path.name}' is an empty database, not a DOM Desk workbook."]
    if revision != head_revision():
        problems.append(
            f"The workbook's schema ({revision}) is older than this version's "
            f"({head_revision()}); opening it in DOM Desk will upgrade it after a backup."
        )
    with closing(sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)) as con:
        integrity = [row[0] for row in con.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            problems += [f"Storage damage: {line}" for line in integrity[:20]]
        for table, rowid, parent, _fk in con.execute("PRAGMA foreign_key_check"):
            problems.append(
                f"A row of '{table}' (row {rowid}) refers to a missing record in '{parent}'."
            )
    if problems or revision != head_revision():
        return problems
    return problems + _figures(path)


def _figures(path: Path) -> list[str]:
    from dom_desk.domain.consistency import check_figures
    from dom_desk.workbook import open_workbook

    wb = open_workbook(path, read_only=True)
    try:
        with wb.session() as session:
            return check_figures(session)
    finally:
        wb.close()
