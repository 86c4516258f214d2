"""Contract terms derived from the original agreement plus its dated variations.

In-transaction layer: every function here takes the ``Session`` of a transaction the
caller has open, or an ``Agreement`` already loaded in one. The window and the command
line read and vary contracts through :mod:`dom_desk.domain.contract_views`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from dom_desk.domain.periods import add_months
from dom_desk.errors import ValidationError
from dom_desk.models import Agreement, AgreementKind, Variation, VariationKind
from dom_desk.storage import audit


def current_value(agreement: Agreement, on: date | None = None) -> int | None:
    """Annual value in pence: the original plus every value variation effective by ``on``."""
    if agreement.annual_value is None:
        return None
    value = agreement.annual_value
    for variation in agreement.variations:
        if variation.value_change is not None and (on is None or variation.effective <= on):
            value += variation.value_change
    return value


def current_end(agreement: Agreement, on: date | None = None) -> date | None:
    """The end date after the latest duration variation effective by ``on``."""
    end = agreement.end
    for variation in agreement.variations:
        if variation.new_end is not None and (on is None or variation.effective <= on):
            end = variation.new_end
    return end


def notice_date(agreement: Agreement) -> date | None:
    """The last day notice can be given: the current end less the notice period."""
    end = current_end(agreement)
    if end is None or agreement.notice_months is None:
        return None
    return add_months(end, -agreement.notice_months)


def term_months(start: date, end: date) -> int:
    """Whole months from ``start`` to the day after ``end`` (1/4/2008 to 31/3/2013 is 60)."""
    after = end + timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    return months - (1 if after.day < start.day else 0)


def whole_life_value(agreement: Agreement) -> int | None:
    """What the contract is worth over its whole term (whole months), in pence.

    Each month is paid at the annual value in force when it starts, so a change of value
    counts only from its effective date: the months before it keep the original value.
    """
    end, start = current_end(agreement), agreement.start
    if agreement.annual_value is None or end is None or start is None:
        return None
    monthly = (
        current_value(agreement, on=add_months(start, month)) or 0
        for month in range(term_months(start, end))
    )
    return sum(monthly) // 12


def value_in_period(agreement: Agreement, first: date, last: date) -> int | None:
    """What the contract pays for the months of its term that start from ``first`` to
    ``last`` (a financial year), each month at the annual value then in force, in pence.

    The figure its allocation for that year should match: a contract starting in October
    pays half a year; a change of value counts from its effective date.
    """
    end, start = current_end(agreement), agreement.start
    if agreement.annual_value is None or end is None or start is None:
        return None
    months = (add_months(start, n) for n in range(term_months(start, end)))
    return sum(current_value(agreement, on=m) or 0 for m in months if first <= m <= last) // 12


# -- variations as dated history ---------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One line of a contract's history: the original terms, or a variation and the
    annual value and end date that held from its effective date on."""

    effective: date | None
    kind: str
    description: str
    value_change: int | None
    new_end: date | None
    value_after: int | None
    end_after: date | None
    recorded_by: str = ""
    recorded_at: datetime | None = None
    variation_id: int | None = None


def history(agreement: Agreement) -> list[Step]:
    """The original terms, then every variation in effective order with the running
    value and end: the current terms are the last step."""
    steps = [
        Step(
            agreement.start,
            "Original",
            "Terms as signed",
            None,
            None,
            agreement.annual_value,
            agreement.end,
        )
    ]
    value, end = agreement.annual_value, agreement.end
    for variation in agreement.variations:
        if variation.value_change is not None and value is not None:
            value += variation.value_change
        if variation.new_end is not None:
            end = variation.new_end
        steps.append(
            Step(
                variation.effective,
                variation.kind.label,
                variation.description,
                variation.value_change,
                variation.new_end,
                value,
                end,
                variation.recorded_by,
                variation.recorded_at,
                variation.id,
            )
        )
    return steps


def get_contract(session: Session, agreement_id: int) -> Agreement:
    agreement = session.get(Agreement, agreement_id)
    if agreement is None:
        raise ValidationError("That contract no longer exists")
    if agreement.kind is not AgreementKind.CONTRACT:
        raise ValidationError(f"'{agreement.title}' is an SLA: only contracts have variations")
    return agreement


def _check_variation(
    agreement: Agreement,
    kind: VariationKind,
    effective: date,
    value_change: int | None,
    new_end: date | None,
    description: str,
) -> None:
    if kind is VariationKind.VALUE and not value_change:
        raise ValidationError(
            "A change of value needs the change in £ (more or less than the current annual value)",
            "Value change",
        )
    if kind is VariationKind.DURATION and new_end is None:
        raise ValidationError("A change of duration needs the new end date", "New end")
    if kind is VariationKind.TERMS and not description.strip():
        raise ValidationError("Say what terms changed", "Description")
    if agreement.start is not None and effective < agreement.start:
        raise ValidationError(
            f"The variation takes effect before the contract starts ({agreement.start:%d/%m/%Y})",
            "Effective",
        )
    if new_end is not None and agreement.start is not None and new_end <= agreement.start:
        raise ValidationError(
            f"The new end must fall after the contract starts ({agreement.start:%d/%m/%Y})",
            "New end",
        )
    if value_change is not None:
        if agreement.annual_value is None:
            raise ValidationError(
                "Set the contract's original annual value before varying it", "Value change"
            )
        after = (current_value(agreement) or 0) + value_change
        if after < 0:
            raise ValidationError("The change would make the annual value negative", "Value change")


def record_variation(
    session: Session,
    agreement_id: int,
    kind: VariationKind,
    effective: date,
    description: str = "",
    value_change: int | None = None,
    new_end: date | None = None,
) -> Variation:
    """Adds a dated variation to a contract, with a named audit entry saying what the
    value or end was before and after. Runs in the caller's transaction: on any refusal
    nothing is written. Signed contracts are varied this way, never edited."""
    agreement = get_contract(session, agreement_id)
    _check_variation(agreement, kind, effective, value_change, new_end, description)
    old_value, old_end = current_value(agreement), current_end(agreement)
    variation = Variation(
        agreement=agreement,
        kind=kind,
        effective=effective,
        description=description.strip(),
        value_change=value_change,
        new_end=new_end,
        recorded_at=audit.now(),
        recorded_by=audit.current_user(),
    )
    session.add(variation)
    session.flush()
    session.refresh(agreement, ["variations"])
    note = f"{kind.label} effective {effective:%d/%m/%Y}"
    if value_change is not None:
        audit.record(
            session,
            "vary",
            "agreement",
            agreement.id,
            "current_value",
            old_value,
            current_value(agreement),
            note,
        )
    if new_end is not None:
        audit.record(
            session,
            "vary",
            "agreement",
            agreement.id,
            "current_end",
            old_end,
            current_end(agreement),
            note,
        )
    if value_change is None and new_end is None:
        audit.record(
            session, "vary", "agreement", agreement.id, "terms", None, variation.description, note
        )
    return variation


def withdraw_variation(session: Session, variation_id: int, reason: str) -> None:
    """Removes a variation entered in error. The audit trail keeps what it said and why
    it went; the contract's history no longer shows it."""
    variation = session.get(Variation, variation_id)
    if variation is None:
        raise ValidationError("That variation no longer exists")
    if not reason.strip():
        raise ValidationError("Say why the variation is withdrawn", "Reason")
    audit.record(
        session,
        "withdraw",
        "variation",
        variation.id,
        "description",
        variation.description,
        None,
        f"{variation.kind.label} effective {variation.effective:%d/%m/%Y} "
        f"(value change {variation.value_change}, new end {variation.new_end}): "
        f"{reason.strip()}",
    )
    session.delete(variation)
