"""What the contracts screen and the command line read and do, each call one transaction
of a ``Workbook``: a contract's history and options as plain rows, finding a contract by
what a user typed, and recording a variation.

The session-taking functions of :mod:`contracts` and :mod:`contract_options` are the
in-transaction layer these (and the window's undo steps) compose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from dom_desk.domain import contract_options, contracts
from dom_desk.domain.contracts import Step
from dom_desk.domain.region import today
from dom_desk.errors import ValidationError
from dom_desk.models import Agreement, AgreementKind, OptionKind, VariationKind
from dom_desk.storage.workbook import Workbook


@dataclass(frozen=True)
class OptionRow:
    """An extension option or break of a contract."""

    id: int
    kind: OptionKind
    falls_on: date
    decide_by: date | None
    months: int | None
    decided: date | None
    description: str


@dataclass(frozen=True)
class ContractDetail:
    """A contract's terms now, its history (original first) and its options."""

    id: int
    title: str
    value: int | None
    end: date | None
    steps: tuple[Step, ...]
    options: tuple[OptionRow, ...]
    today: date


def contract_detail(wb: Workbook, contract_id: int) -> ContractDetail:
    with wb.session() as session:
        agreement = contracts.get_contract(session, contract_id)
        options = tuple(
            OptionRow(o.id, o.kind, o.falls_on, o.decide_by, o.months, o.decided, o.description)
            for o in contract_options.options_of(session, contract_id)
        )
        return ContractDetail(
            agreement.id,
            agreement.title,
            contracts.current_value(agreement),
            contracts.current_end(agreement),
            tuple(contracts.history(agreement)),
            options,
            today(session),
        )


def find_contract(wb: Workbook, written: str) -> int:
    """The id of the one contract whose reference or title is ``written``."""
    with wb.session() as session:
        found = session.scalars(
            select(Agreement.id).where(
                Agreement.kind == AgreementKind.CONTRACT,
                or_(Agreement.reference == written, Agreement.title == written),
            )
        ).all()
    if len(found) != 1:
        raise ValidationError(
            f"{'No' if not found else 'More than one'} contract has "
            f"the reference or title '{written}'"
        )
    return found[0]


def vary(
    wb: Workbook,
    contract_id: int,
    kind: VariationKind,
    effective: date,
    description: str = "",
    value_change: int | None = None,
    new_end: date | None = None,
) -> ContractDetail:
    """Records one variation (all or nothing) and returns the contract as it now is."""
    with wb.session() as session:
        contracts.record_variation(
            session, contract_id, kind, effective, description, value_change, new_end
        )
    return contract_detail(wb, contract_id)
