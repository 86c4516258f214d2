"""Dated extension options and break clauses: recorded, listed, exercised or waived.

Exercising an extension is a change of duration, so it is recorded as a variation: the
contract's current end moves and its history shows the step.

In-transaction layer: every function here takes the ``Session`` of a transaction the
caller has open (a window undo step run by ``tables.run_action``); the window reads
options through :func:`dom_desk.domain.contract_views.contract_detail`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain import contracts
from dom_desk.domain.periods import add_months
from dom_desk.errors import ValidationError
from dom_desk.models import ContractOption, OptionKind, Variation, VariationKind
from dom_desk.storage import audit


def options_of(session: Session, agreement_id: int) -> list[ContractOption]:
    return list(
        session.scalars(
            select(ContractOption)
            .where(ContractOption.agreement_id == agreement_id)
            .order_by(ContractOption.falls_on)
        )
    )


def add_option(
    session: Session,
    agreement_id: int,
    kind: OptionKind,
    falls_on: date,
    decide_by: date | None = None,
    months: int | None = None,
    description: str = "",
) -> ContractOption:
    """Records an extension option (``months`` long, from ``falls_on``) or a break."""
    agreement = contracts.get_contract(session, agreement_id)
    if kind is OptionKind.EXTENSION and not months:
        raise ValidationError("An extension option needs its length in months", "Months")
    if months is not None and months <= 0:
        raise ValidationError("The extension must be at least one month", "Months")
    if decide_by is not None and decide_by > falls_on:
        raise ValidationError("The decision date must come before the option falls", "Decide by")
    if agreement.start is not None and falls_on < agreement.start:
        raise ValidationError("The option falls before the contract starts", "Falls on")
    option = ContractOption(
        agreement_id=agreement.id,
        kind=kind,
        falls_on=falls_on,
        decide_by=decide_by,
        months=months if kind is OptionKind.EXTENSION else None,
        description=description.strip(),
    )
    session.add(option)
    session.flush()
    return option


def _option(session: Session, option_id: int) -> ContractOption:
    option = session.get(ContractOption, option_id)
    if option is None:
        raise ValidationError("That option no longer exists")
    if option.decided is not None:
        raise ValidationError(
            f"That {option.kind.label.lower()} was already decided on {option.decided:%d/%m/%Y}"
        )
    return option


def exercise(session: Session, option_id: int, on: date) -> Variation:
    """Takes the option: an extension becomes a change-of-duration variation; a break
    becomes the contract's new end. Returns the variation recorded."""
    option = _option(session, option_id)
    if option.kind is OptionKind.EXTENSION:
        assert option.months is not None
        end = contracts.current_end(option.agreement) or option.falls_on
        new_end = add_months(end, option.months)
        text = f"Extension option exercised: {option.months} months"
    else:
        new_end = option.falls_on
        text = "Break clause exercised"
    variation = contracts.record_variation(
        session,
        option.agreement_id,
        VariationKind.DURATION,
        on,
        f"{text}. {option.description}".strip(),
        new_end=new_end,
    )
    option.decided = on
    return variation


def waive(session: Session, option_id: int, on: date) -> None:
    """Lets the option pass: its key date is done, the contract is unchanged."""
    option = _option(session, option_id)
    option.decided = on
    audit.record(
        session, "waive", "contract_option", option.id, "decided", None, on, option.kind.label
    )


def undecide(session: Session, option_id: int, variation_id: int | None = None) -> None:
    """Reopens a decided option (undo); withdraws the variation exercising it recorded."""
    option = session.get(ContractOption, option_id)
    if option is None:
        raise ValidationError("That option no longer exists")
    if variation_id is not None:
        contracts.withdraw_variation(session, variation_id, "Option decision undone")
    option.decided = None
    audit.record(
        session, "reopen", "contract_option", option.id, "decided", None, None, option.kind.label
    )


def remove_option(session: Session, option_id: int) -> None:
    """Removes an option entered in error (undo of adding it); decided ones stay."""
    option = session.get(ContractOption, option_id)
    if option is None:
        return
    if option.decided is not None:
        raise ValidationError("That option was already decided; reopen it first")
    session.delete(option)
