"""Changes other people saved: what a shared (server) workbook's window needs to know.

On the team server several people edit a region at once. The window asks
``changes_since(wb, mark)`` now and then: whether anyone else has saved a change since
the audit entry ``mark`` (the audit trail's ids only grow), and who. A write refused
because someone else changed the record first names them: ``last_change_in``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, func, not_, select
from sqlalchemy.orm import Session

from dom_desk.models import AuditEntry
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook


@dataclass(frozen=True)
class OthersChanges:
    """What the audit trail holds past a mark."""

    #: The newest audit entry's id: the mark to ask from next time.
    mark: int
    #: Who else saved changes since the mark ("alice on LAPTOP-7"), in the order first seen.
    by: tuple[str, ...] = ()
    #: When the last of them was saved, local time; None if nobody else saved anything.
    at: datetime | None = None

    @property
    def any(self) -> bool:
        return bool(self.by)


def _local(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def _who(user: str, machine: str) -> str:
    return f"{user} on {machine}" if machine else user


def _not_mine() -> object:
    return not_(
        and_(AuditEntry.user == audit.current_user(), AuditEntry.machine == audit.current_machine())
    )


def current_mark(wb: Workbook) -> int:
    """The newest audit entry's id (0 for none): a number that grows with every change."""
    with wb.session() as session:
        return session.scalar(select(func.max(AuditEntry.id))) or 0


def changes_since(wb: Workbook, mark: int) -> OthersChanges:
    """Whether anyone but this user on this computer saved a change after audit entry
    ``mark``, who, and when the last was saved; one read-only transaction."""
    with wb.session() as session:
        newest = session.scalar(select(func.max(AuditEntry.id))) or 0
        if newest <= mark:
            return OthersChanges(newest)
        rows = session.execute(
            select(AuditEntry.user, AuditEntry.machine, func.max(AuditEntry.at))
            .where(AuditEntry.id > mark, _not_mine())
            .group_by(AuditEntry.user, AuditEntry.machine)
            .order_by(func.min(AuditEntry.id))
        ).all()
    if not rows:
        return OthersChanges(newest)
    who = tuple(_who(user, machine) for user, machine, _at in rows)
    return OthersChanges(newest, who, _local(max(at for _user, _machine, at in rows)))


def last_change_in(session: Session, table: str, entity_id: int) -> str:
    """Who last changed a record and when, as words to end a sentence with
    (" by alice on LAPTOP-7 at 10:42 on 03/12/2026"), or "" when the trail has nothing."""
    entry = session.execute(
        select(AuditEntry.user, AuditEntry.machine, AuditEntry.at)
        .where(AuditEntry.entity == table, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()
    if entry is None:
        return ""
    at = _local(entry.at)
    return f" by {_who(entry.user, entry.machine)} at {at:%H:%M} on {at:%d/%m/%Y}"
