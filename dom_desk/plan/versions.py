"""Plan versions: drafts numbered 0.1, 0.2 ... before the first final 1.0, then 1.1 ...

Every export is recorded (what version, why, when, by whom, the file and its SHA-256),
and the plan's version control table prints that record.

These take a session: they run inside the export's transaction (the version it prints
is the one it records). Callers above use ``plan.export``'s ``plan_history`` and
``next_plan_version``, which take the workbook.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.errors import ConflictError
from dom_desk.models import PlanExport


@dataclass(frozen=True)
class ExportRecord:
    version: str
    final: bool
    reason: str
    plan_date: date
    exported_at: datetime
    exported_by: str
    file_name: str
    sha256: str


def _number(version: str) -> tuple[int, int]:
    major, _, minor = version.partition(".")
    return int(major), int(minor or 0)


def history(session: Session, year_id: int) -> list[ExportRecord]:
    """The year's exports, oldest first."""
    rows = session.scalars(select(PlanExport).where(PlanExport.year_id == year_id))
    records = [
        ExportRecord(
            r.version,
            r.final,
            r.reason,
            r.plan_date,
            r.exported_at,
            r.exported_by,
            r.file_name,
            r.sha256,
        )
        for r in rows
    ]
    return sorted(records, key=lambda r: _number(r.version))


def next_version(session: Session, year_id: int, final: bool) -> str:
    """The version the next export gets: a final is the next whole number."""
    done = [_number(r.version) for r in history(session, year_id)]
    major, minor = max(done, default=(0, 0))
    return f"{major + 1}.0" if final else f"{major}.{minor + 1}"


def default_reason(version: str, final: bool) -> str:
    if final:
        return "First publication." if version == "1.0" else "Revised publication."
    return "Draft for comment."


def record_export(
    session: Session,
    year_id: int,
    version: str,
    final: bool,
    reason: str,
    plan_date: date,
    by: str,
    file_name: str,
    sha256: str,
    at: datetime,
) -> None:
    """Adds the export to the record; refused if someone took this version meanwhile."""
    if next_version(session, year_id, final) != version:
        raise ConflictError(
            f"Version {version} of the plan was exported by someone else while this one "
            "was being written; export again to take the next version."
        )
    session.add(
        PlanExport(
            year_id=year_id,
            version=version,
            final=final,
            reason=reason,
            plan_date=plan_date,
            exported_at=at,
            exported_by=by,
            file_name=file_name,
            sha256=sha256,
        )
    )
    session.flush()
