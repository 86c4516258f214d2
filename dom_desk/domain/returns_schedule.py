"""The returns schedule: which provider owes which month's return, when it is due, and
whether it came in on time, late, or not at all, judged on the workbook's working date.

Who owes returns: the providers with an agreement in the year (an SLA for the year, or a
contract running at some point in it) that report at least one measure themselves
(measures reported nationally, ``reported_by_providers`` false, are owed by nobody).
Returns are monthly: the workbook records no reporting frequency per measure, and
prisons and probation areas send one return a month. Voluntary-sector and private
providers report only against targets set in their agreement, not on the monthly return
(see domain/applicability.py), so they are on the schedule only once they have sent a
return in the year.

When a return is due: a rule the region sets, ``N`` working days after the period ends
(default 10), weekends and England and Wales bank holidays not counted. A return counts
as received on the day its first file came in; a corrected resubmission does not make it
late. Days late are working days, counted the same way as the due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache

import holidays
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain import contracts
from dom_desk.domain.applicability import measures_for, scopes_for
from dom_desk.domain.periods import period_label
from dom_desk.domain.region import (
    current_year,
    get_setting,
    set_setting,
    today,
    year_by_label,
)
from dom_desk.errors import ValidationError
from dom_desk.models import (
    Agreement,
    AgreementKind,
    FinancialYear,
    Period,
    PeriodKind,
    Provider,
    Submission,
)
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook

#: The region setting holding the rule, in working days after the period ends.
DUE_RULE_KEY = "returns_due_working_days"
DEFAULT_DUE_DAYS = 10
MIN_DUE_DAYS, MAX_DUE_DAYS = 1, 60
#: Where the rule is set, for refusals ("Returns schedule, Due ...").
DUE_RULE_FIELD = "Returns schedule, Due (working days after the period ends)"


class ReturnState(StrEnum):
    RECEIVED = "Received"
    LATE = "Received late"
    #: The due date has passed and nothing has come in: the return is missing.
    OVERDUE = "Overdue"
    #: The period has ended and the due date is today or ahead.
    DUE = "Due"
    #: The period has not ended yet.
    NOT_DUE = "Not yet due"


@dataclass(frozen=True)
class ReturnDue:
    provider_id: int
    provider_name: str
    period_code: str
    period_label: str
    period_end: date
    due: date
    state: ReturnState
    received_on: date | None
    #: Working days past the due date (received late: when it came; overdue: by the
    #: workbook's date); 0 otherwise.
    days_late: int


# -- dates -----------------------------------------------------------------------------------


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.UK(subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an England and Wales bank holiday."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def due_date(period_end: date, working_days: int) -> date:
    """The ``working_days``-th working day after ``period_end`` (31/10/2009, 10 -> 13/11/2009)."""
    day, counted = period_end, 0
    while counted < working_days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if ``end`` is not later)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


# -- the rule --------------------------------------------------------------------------------


def due_rule_in(session: Session) -> int:
    text = get_setting(session, DUE_RULE_KEY)
    return int(text) if text.strip().isdigit() else DEFAULT_DUE_DAYS


def due_rule(wb: Workbook) -> int:
    """Working days after a period ends by which its returns are due (default 10)."""
    with wb.session() as session:
        return due_rule_in(session)


def check_due_rule(working_days: object) -> int:
    """The rule as a whole number of working days, or a refusal naming the field."""
    if isinstance(working_days, bool) or not isinstance(working_days, int | str):
        raise ValidationError(f"{DUE_RULE_FIELD}: write a whole number of working days")
    text = str(working_days).strip()
    if not text.lstrip("-").isdigit():
        raise ValidationError(f"{DUE_RULE_FIELD}: '{text}' is not a whole number of working days")
    days = int(text)
    if not MIN_DUE_DAYS <= days <= MAX_DUE_DAYS:
        raise ValidationError(
            f"{DUE_RULE_FIELD}: must be from {MIN_DUE_DAYS} to {MAX_DUE_DAYS} working days "
            f"(this is {days})"
        )
    return days


def set_due_rule(wb: Workbook, working_days: int) -> None:
    """Sets the rule (validated first: a refused value writes nothing), audited, in one
    transaction."""
    days = check_due_rule(working_days)
    with wb.session() as session:
        old = get_setting(session, DUE_RULE_KEY)
        if old == str(days) or (not old and days == DEFAULT_DUE_DAYS):
            return
        set_setting(session, DUE_RULE_KEY, str(days))
        audit.record(
            session,
            "set",
            "setting",
            None,
            DUE_RULE_KEY,
            old or None,
            str(days),
            "Returns due (working days after the period ends)",
        )


# -- who owes what ---------------------------------------------------------------------------


def _agreed_provider_ids(session: Session, year: FinancialYear) -> set[int]:
    """Providers with an SLA for the year or a contract running at some point in it."""
    query = (
        select(Agreement)
        .where(or_(Agreement.year_id == year.id, Agreement.kind == AgreementKind.CONTRACT))
        .options(selectinload(Agreement.variations))
    )
    found: set[int] = set()
    for agreement in session.scalars(query):
        if agreement.year_id == year.id:
            found.add(agreement.provider_id)
            continue
        if agreement.kind is not AgreementKind.CONTRACT:
            continue
        end = contracts.current_end(agreement)
        starts_in_time = agreement.start is None or agreement.start <= year.end
        if starts_in_time and (end is None or end >= year.start):
            found.add(agreement.provider_id)
    return found


def owing_providers(session: Session, year: FinancialYear) -> list[Provider]:
    """The providers that owe returns in ``year``, by name."""
    agreed = _agreed_provider_ids(session, year)
    if not agreed:
        return []
    providers = session.scalars(
        select(Provider).where(Provider.id.in_(agreed)).order_by(Provider.name)
    )
    sent = set(
        session.scalars(
            select(Submission.provider_id)
            .join(Period, Period.id == Submission.period_id)
            .where(Period.year_id == year.id)
        )
    )
    return [
        p
        for p in providers
        if (scopes_for(p.kind) or p.id in sent)
        and any(m.reported_by_providers for m in measures_for(session, p, year))
    ]


def _first_received(session: Session, year: FinancialYear) -> dict[tuple[int, int], date]:
    """The day each provider's return for each period of the year first came in."""
    rows = session.execute(
        select(Submission.provider_id, Submission.period_id, func.min(Submission.received_at))
        .join(Period, Period.id == Submission.period_id)
        .where(Period.year_id == year.id)
        .group_by(Submission.provider_id, Submission.period_id)
    ).all()
    return {(p, q): received.date() for p, q, received in rows}


def _state(end: date, due: date, received: date | None, on: date) -> tuple[ReturnState, int]:
    if received is not None:
        if received <= due:
            return ReturnState.RECEIVED, 0
        return ReturnState.LATE, working_days_between(due, received)
    if on > due:
        return ReturnState.OVERDUE, working_days_between(due, on)
    if on > end:
        return ReturnState.DUE, 0
    return ReturnState.NOT_DUE, 0


def schedule_in(session: Session, year: FinancialYear) -> list[ReturnDue]:
    """:func:`returns_schedule` inside a transaction the caller has open."""
    on = today(session)
    rule = due_rule_in(session)
    received = _first_received(session, year)
    months = [p for p in year.periods if p.kind is PeriodKind.MONTH]
    rows: list[ReturnDue] = []
    for provider in owing_providers(session, year):
        for period in months:
            got = received.get((provider.id, period.id))
            due = due_date(period.end, rule)
            state, late = _state(period.end, due, got, on)
            rows.append(
                ReturnDue(
                    provider.id,
                    provider.name,
                    period.code,
                    period_label(period.code),
                    period.end,
                    due,
                    state,
                    got,
                    late,
                )
            )
    return sorted(rows, key=lambda r: (r.due, r.provider_name.casefold()))


def _year(session: Session, year_label: str | None) -> FinancialYear:
    return year_by_label(session, year_label) if year_label else current_year(session)


def returns_schedule(wb: Workbook, year_label: str | None = None) -> list[ReturnDue]:
    """Every provider's return for every month of the year (the working year unless
    named), by due date then provider."""
    with wb.session() as session:
        return schedule_in(session, _year(session, year_label))


def chase_from(rows: list[ReturnDue], on: date, due_within_days: int = 14) -> list[ReturnDue]:
    """Overdue returns (most days late first), then those due within ``due_within_days``
    calendar days of ``on`` (soonest first)."""
    overdue = [r for r in rows if r.state is ReturnState.OVERDUE]
    overdue.sort(key=lambda r: (-r.days_late, r.due, r.provider_name.casefold()))
    horizon = on + timedelta(days=due_within_days)
    soon = [
        r
        for r in rows
        if r.received_on is None and r.state is not ReturnState.OVERDUE and r.due <= horizon
    ]
    soon.sort(key=lambda r: (r.due, r.provider_name.casefold()))
    return overdue + soon


def chase_list(
    wb: Workbook, year_label: str | None = None, due_within_days: int = 14
) -> list[ReturnDue]:
    """What to chase today: returns overdue, most days late first, then returns due within
    ``due_within_days`` days of the workbook's date."""
    with wb.session() as session:
        rows = schedule_in(session, _year(session, year_label))
        return chase_from(rows, today(session), due_within_days)


@dataclass(frozen=True)
class Schedule:
    """The year's schedule as the window and ``dom-desk returns`` show it: the rows, the
    workbook's date they are judged on and the rule that set the due dates."""

    year: str
    on: date
    due_days: int
    rows: tuple[ReturnDue, ...]

    def chase(self, due_within_days: int = 14) -> list[ReturnDue]:
        return chase_from(list(self.rows), self.on, due_within_days)


def schedule(wb: Workbook, year_label: str | None = None) -> Schedule:
    """:func:`returns_schedule` with the date and rule it was worked out on, in one
    transaction."""
    with wb.session() as session:
        year = _year(session, year_label)
        return Schedule(
            year.label, today(session), due_rule_in(session), tuple(schedule_in(session, year))
        )
