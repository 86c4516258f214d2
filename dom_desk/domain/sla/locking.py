"""An agreement's status: moving it on, and the explicit, audited unlock of an agreed or
signed agreement."""

from __future__ import annotations

from dom_desk.domain.sla.reading import _ORDER
from dom_desk.errors import ConflictError, LockedError, ValidationError
from dom_desk.models import (
    Agreement,
    AgreementStatus,
)
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook

# -- status and locking -------------------------------------------------------------------


def set_status(
    wb: Workbook,
    agreement_id: int,
    status: AgreementStatus,
    unlock_note: str | None = None,
    expected_version: int | None = None,
) -> AgreementStatus:
    """Moves an agreement's status; returns the old one (for undo).

    Forward moves (draft -> in negotiation -> agreed -> signed) and back to draft are
    allowed. Leaving agreed or signed is an unlock: it needs ``unlock_note`` (why) and is
    recorded in the audit trail as an "unlock".
    """
    with wb.session() as session:
        agreement = session.get(Agreement, agreement_id)
        if agreement is None:
            raise ValidationError("That agreement no longer exists")
        where = f"{agreement.title}, Status"
        if expected_version is not None and agreement.row_version != expected_version:
            raise ConflictError(
                f"{where} was changed elsewhere since you opened it; reload before changing it"
            )
        old = agreement.status
        if old is status:
            return old
        backwards = _ORDER.index(status) < _ORDER.index(old)
        if backwards and old.locked:
            if unlock_note is None:
                raise LockedError(
                    f"'{agreement.title}' is {old.label.lower()}: unlock it "
                    "explicitly to reopen it",
                    where,
                )
            audit.record(
                session,
                "unlock",
                "agreement",
                agreement.id,
                "status",
                old,
                status,
                unlock_note or "Unlocked",
            )
        agreement.status = status
        return old


def unlock(wb: Workbook, agreement_id: int, note: str = "") -> AgreementStatus:
    """Reopens an agreed or signed agreement for negotiation, recorded in the audit trail."""
    with wb.session() as session:
        agreement = session.get(Agreement, agreement_id)
        if agreement is None:
            raise ValidationError("That agreement no longer exists")
        if not agreement.status.locked:
            raise ValidationError(
                f"'{agreement.title}' is not locked", f"{agreement.title}, Status"
            )
    return set_status(
        wb,
        agreement_id,
        AgreementStatus.IN_NEGOTIATION,
        unlock_note=note or "Unlocked for negotiation",
    )
