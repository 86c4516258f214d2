"""``dom-desk check``: is the file sound, of a schema we know, and do its figures agree?"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Column, Date, DateTime, Enum, Integer

from dom_desk.errors import DamagedWorkbookError, WorkbookError
from dom_desk.models import Base
from dom_desk.models.base import DecimalText
from dom_desk.storage import backups, file_checks
from dom_desk.storage.schema import head_revision
from dom_desk.storage.sqlite_file import damaged, inspect_file

if TYPE_CHECKING:
    from dom_desk.storage.workbook_base import Workbook

#: Problems of one kind listed before "and N more like it".
MAX_LISTED = 20


def check_file(path: Path) -> list[str]:
    """Problems found in the workbook at ``path``, in plain words; empty when all is well.

    Reads only: the file is opened read-only and never changed, so it can be run on a
    workbook that is open in the window.
    """
    path = Path(path)
    if not path.exists():
        return [f"There is no workbook at '{path}'."]
    try:
        revision = inspect_file(path)
    except DamagedWorkbookError as exc:
        return [str(backups.damaged_advice(path, exc))]
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
    integrity = file_checks.integrity_problems(path)
    if integrity:
        # SQLite's page-level details go to the log; the DOM needs what to do next.
        error = damaged(path.name, "; ".join(integrity[:MAX_LISTED]))
        return problems + [str(backups.damaged_advice(path, error))]
    for table, rowid, parent in file_checks.dangling_references(path):
        problems.append(
            f"A row of '{table}' (row {rowid}) refers to a missing record in '{parent}'."
        )
    if revision == head_revision():
        problems += _unreadable_values(path)
    if problems or revision != head_revision():
        return problems
    return _figures(path)


def check_workbook(wb: Workbook) -> list[str]:
    """Problems in an open workbook: a file's pages, links and figures (``check_file``,
    read from the file itself), or a server region's figures (``check_region``)."""
    return check_region(wb) if wb.is_server else check_file(wb.path)


def check_region(wb: Workbook) -> list[str]:
    """Problems in the figures of an open region on the team server, in plain words.

    Only the domain's consistency checks: there is no file to read page by page, and the
    server checks its own storage (its pages, and every reference by a foreign key).
    """
    from dom_desk.domain.consistency import check_figures

    try:
        with wb.session() as session:
            return check_figures(session)
    except (ArithmeticError, ValueError, LookupError, AttributeError) as exc:
        return [f"Some figures in {wb.name} could not be read to check them ({exc})."]


def _label(name: str) -> str:
    return name.replace("_", " ")


def _bad_value(column: Column, value: object) -> str | None:
    """Why a stored value cannot be what its column holds, or None when it can."""
    kind = column.type
    try:
        if isinstance(kind, DecimalText):
            if isinstance(value, bytes) or not Decimal(str(value)).is_finite():
                return "is not a number"
        elif isinstance(kind, Boolean):
            if value not in (0, 1):
                return "is neither yes nor no"
        elif isinstance(kind, Enum):
            names = {m.name for m in kind.enum_class} if kind.enum_class else set(kind.enums)
            if value not in names:
                return "is not one of the values DOM Desk knows"
        elif isinstance(kind, DateTime):
            datetime.fromisoformat(str(value))
        elif isinstance(kind, Date):
            date.fromisoformat(str(value))
        elif isinstance(kind, Integer) and not isinstance(value, int):
            return "is not a whole number (money is kept in whole pence)"
    except (InvalidOperation, ValueError, TypeError):
        return "is not a number" if isinstance(kind, DecimalText) else "is not a date"
    return None


def _unreadable_values(path: Path) -> list[str]:
    """Values of the wrong kind (text where an amount belongs): reported, not crashed on."""
    problems: list[str] = []
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if not c.primary_key]
        if not columns:
            continue
        for row in file_checks.stored_rows(path, table.name, [c.name for c in columns]):
            for column, value in zip(columns, row[1:], strict=True):
                if value is None:
                    continue
                reason = _bad_value(column, value)
                if reason is not None:
                    problems.append(
                        f"{_label(table.name).capitalize()}, row {row[0]}: the "
                        f"{_label(column.name)} '{value}' {reason}."
                    )
    if len(problems) > MAX_LISTED:
        problems = problems[:MAX_LISTED] + [
            f"... and {len(problems) - MAX_LISTED} more values like these."
        ]
    return problems


def _figures(path: Path) -> list[str]:
    from dom_desk.domain.consistency import check_figures
    from dom_desk.storage.workbook import open_workbook

    wb = open_workbook(path, read_only=True)
    try:
        with wb.session() as session:
            return check_figures(session)
    except (ArithmeticError, ValueError, LookupError, AttributeError) as exc:
        # A figure the checks cannot read: say so rather than stop with a traceback.
        return [f"Some figures in '{path.name}' could not be read to check them ({exc})."]
    finally:
        wb.close()
