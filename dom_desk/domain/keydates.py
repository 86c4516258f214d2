"""Key dates gathered from contracts, SLAs, competitions, milestones and risk reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain import contracts
from dom_desk.models import (
    Agreement,
    AgreementKind,
    Competition,
    Milestone,
    Risk,
    RiskStatus,
)


@dataclass(frozen=True)
class KeyDate:
    when: date
    what: str
    #: The area and record it comes from, so the window can open it.
    area: str
    record_id: int
    #: Fuzzy wording kept beside the best date ("Summer 2009").
    text: str = ""
    done: bool = False

    def overdue(self, today: date) -> bool:
        return not self.done and self.when < today


def _contract_dates(session: Session) -> list[KeyDate]:
    found: list[KeyDate] = []
    query = select(Agreement).options(selectinload(Agreement.variations),
                                      selectinload(Agreement.provider))
    for agreement in session.scalars(query):
        if agreement.kind is AgreementKind.CONTRACT:
            end = contracts.current_end(agreement)
            if end:
                found.append(KeyDate(end, f"Contract ends: {agreement.title}", "contracts",
                                     agreement.id))
            notice = contracts.notice_date(agreement)
            if notice:
                found.append(KeyDate(notice, f"Last day for notice: {agreement.title}",
                                     "contracts", agreement.id))
        if agreement.negotiation_deadline and not agreement.status.locked:
            found.append(KeyDate(agreement.negotiation_deadline,
                                 f"SLA negotiation deadline: {agreement.title}",
                                 "agreements", agreement.id))
    return found


def _competition_dates(session: Session) -> list[KeyDate]:
    found: list[KeyDate] = []
    for competition in session.scalars(select(Competition).options(
            selectinload(Competition.stages))):
        for stage in competition.stages:
            if stage.planned is not None:
                found.append(KeyDate(stage.planned, f"{competition.subject}: {stage.stage.label}",
                                     "competitions", competition.id, stage.planned_text,
                                     done=stage.actual is not None))
    return found


def _milestone_dates(session: Session) -> list[KeyDate]:
    return [
        KeyDate(m.due, f"Milestone: {m.title}", "milestones", m.id, m.due_text,
                done=m.done is not None)
        for m in session.scalars(select(Milestone)) if m.due is not None
    ]


def _risk_reviews(session: Session) -> list[KeyDate]:
    return [
        KeyDate(r.review, f"Risk review: {r.reference} {r.description[:60]}", "risks", r.id)
        for r in session.scalars(select(Risk).where(Risk.status == RiskStatus.OPEN))
        if r.review is not None
    ]


def key_dates(session: Session) -> list[KeyDate]:
    """Every key date in the workbook, earliest first."""
    found = (_contract_dates(session) + _competition_dates(session)
             + _milestone_dates(session) + _risk_reviews(session))
    return sorted(found, key=lambda k: (k.when, k.what))


def upcoming(session: Session, today: date, days: int) -> list[KeyDate]:
    """What is overdue (until done) or falls due within ``days`` of ``today``."""
    horizon = date.fromordinal(today.toordinal() + days)
    return [k for k in key_dates(session)
            if not k.done and k.when <= horizon]
