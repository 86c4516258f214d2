"""Key dates gathered from contracts, SLAs, competitions, milestones, risk reviews, open
performance actions' next steps and the working year's returns (one date per month's
returns, done once all are in).

A key date stays visible once past until it is marked done. Where the record has a
natural "done" (a competition stage's actual date, a milestone's done date, an option
decided) marking done sets it; otherwise (a contract's end or notice deadline, an SLA
negotiation deadline, a risk review) a ``KeyDateDone`` row remembers it, keyed by the
date too, so a date that moves later is due again.

In-transaction layer: every function here takes the ``Session`` of a transaction the
caller has open (the Overview, the calendar export, a window undo step run by
``tables.run_action``). The command line reads through
:func:`dom_desk.domain.planning_views.open_buckets`.
"""

from __future__ import annotations

import enum
import textwrap
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain import contracts
from dom_desk.domain.matrix.names import short_name
from dom_desk.domain.values import counted
from dom_desk.errors import ValidationError
from dom_desk.models import (
    ActionStage,
    Agreement,
    AgreementKind,
    Competition,
    CompetitionStage,
    ContractOption,
    KeyDateDone,
    Milestone,
    OptionKind,
    PerformanceAction,
    Risk,
    RiskStatus,
)
from dom_desk.storage import audit


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
    #: What sort of date: "end", "notice", "option", "break", "negotiation", "stage",
    #: "milestone", "review", "action" (a performance action's next step), "returns" (a
    #: month's returns, the record its Period).
    kind: str = ""
    #: The row that holds it when that is not the record itself (a stage, an option).
    detail_id: int | None = None

    def overdue(self, today: date) -> bool:
        return not self.done and self.when < today

    @property
    def key(self) -> str:
        """Stable identity: what it is and when (used for done marks and calendar UIDs)."""
        return (
            f"{self.area}:{self.record_id}:{self.kind}:{self.detail_id or 0}:"
            f"{self.when.isoformat()}"
        )


class Bucket(enum.Enum):
    """Where a key date sits on the Overview."""

    OVERDUE = "Overdue"
    DAYS_30 = "Within 30 days"
    DAYS_90 = "In 31 to 90 days"
    DAYS_180 = "In 91 to 180 days"
    LATER = "Later"


#: The Overview's horizons, in days, with the bucket each closes.
HORIZONS: tuple[tuple[int, Bucket], ...] = (
    (30, Bucket.DAYS_30),
    (90, Bucket.DAYS_90),
    (180, Bucket.DAYS_180),
)


def bucket_of(key: KeyDate, today: date) -> Bucket:
    if key.overdue(today):
        return Bucket.OVERDUE
    days = (key.when - today).days
    for limit, bucket in HORIZONS:
        if days <= limit:
            return bucket
    return Bucket.LATER


def _done_keys(session: Session) -> set[str]:
    return set(session.scalars(select(KeyDateDone.key)))


def _contract_dates(session: Session) -> list[KeyDate]:
    found: list[KeyDate] = []
    query = select(Agreement).options(
        selectinload(Agreement.variations), selectinload(Agreement.provider)
    )
    options: dict[int, list[ContractOption]] = {}
    for option in session.scalars(select(ContractOption)):
        options.setdefault(option.agreement_id, []).append(option)
    for agreement in session.scalars(query):
        if agreement.kind is AgreementKind.CONTRACT:
            end = contracts.current_end(agreement)
            if end:
                found.append(
                    KeyDate(
                        end,
                        f"Contract ends: {agreement.title}",
                        "contracts",
                        agreement.id,
                        kind="end",
                    )
                )
            notice = contracts.notice_date(agreement)
            if notice:
                found.append(
                    KeyDate(
                        notice,
                        f"Last day for notice: {agreement.title}",
                        "contracts",
                        agreement.id,
                        kind="notice",
                    )
                )
            for option in options.get(agreement.id, ()):
                kind = "option" if option.kind is OptionKind.EXTENSION else "break"
                verb = "decide by" if option.decide_by else "falls"
                found.append(
                    KeyDate(
                        option.decide_by or option.falls_on,
                        f"{option.kind.label} ({verb}): {agreement.title}",
                        "contracts",
                        agreement.id,
                        done=option.decided is not None,
                        kind=kind,
                        detail_id=option.id,
                    )
                )
        if agreement.negotiation_deadline and not agreement.status.locked:
            found.append(
                KeyDate(
                    agreement.negotiation_deadline,
                    f"SLA negotiation deadline: {agreement.title}",
                    "agreements",
                    agreement.id,
                    kind="negotiation",
                )
            )
    return found


def _competition_dates(session: Session) -> list[KeyDate]:
    found: list[KeyDate] = []
    for competition in session.scalars(
        select(Competition).options(selectinload(Competition.stages))
    ):
        for stage in competition.stages:
            if stage.planned is not None:
                found.append(
                    KeyDate(
                        stage.planned,
                        f"{competition.subject}: {stage.stage.label}",
                        "competitions",
                        competition.id,
                        stage.planned_text,
                        done=stage.actual is not None,
                        kind="stage",
                        detail_id=stage.id,
                    )
                )
    return found


def _milestone_dates(session: Session) -> list[KeyDate]:
    return [
        KeyDate(
            m.due,
            f"Milestone: {m.title}",
            "milestones",
            m.id,
            m.due_text,
            done=m.done is not None,
            kind="milestone",
        )
        for m in session.scalars(select(Milestone))
        if m.due is not None
    ]


def _short(text: str) -> str:
    """A long description cut at a word, marked as cut, so lists and calendars read."""
    return textwrap.shorten(text, 70, placeholder="…")


def _risk_reviews(session: Session) -> list[KeyDate]:
    return [
        KeyDate(
            r.review,
            f"Risk review: {r.reference} {_short(r.description)}",
            "risks",
            r.id,
            kind="review",
        )
        for r in session.scalars(select(Risk).where(Risk.status == RiskStatus.OPEN))
        if r.review is not None
    ]


def _action_dates(session: Session) -> list[KeyDate]:
    """Open performance actions' next steps ("Action due: HMP Liverpool, KPI 6 Drug misuse
    (Improvement plan agreed)"), opening the Performance page; a closed action or one
    with no due date is not listed."""
    query = (
        select(PerformanceAction)
        .where(PerformanceAction.stage != ActionStage.CLOSED, PerformanceAction.due.is_not(None))
        .options(selectinload(PerformanceAction.provider), selectinload(PerformanceAction.measure))
    )
    found: list[KeyDate] = []
    for action in session.scalars(query):
        assert action.due is not None
        what = f"Action due: {action.provider.name}"
        if action.measure:
            name = short_name(action.measure.code, action.measure.title)
            what += f", {action.measure.code}" + ("" if name == action.measure.code else f" {name}")
        what += f" ({action.stage.label})"
        # A suggested action's title repeats the provider and measure: said once.
        if not action.title.startswith(action.provider.name):
            what += f": {_short(action.title)}"
        found.append(
            KeyDate(
                action.due,
                what,
                "performance",
                action.id,
                kind="action",
            )
        )
    return found


#: Providers named in an overdue returns date; the rest are counted.
RETURNS_NAMED = 5


def _returns_dates(session: Session) -> list[KeyDate]:
    """One date per month of the working year, kind "returns": its returns due ("October
    2009 returns due (22 providers)"), done once every one is in, naming who is missing
    once overdue. The record is the month (a ``Period``)."""
    from dom_desk.domain import returns_schedule  # holidays: loaded when dates are read
    from dom_desk.domain.region import current_year, today

    year = current_year(session)
    periods = {p.code: p.id for p in year.periods}
    months: dict[str, list[returns_schedule.ReturnDue]] = {}
    for row in returns_schedule.schedule_in(session, year):
        months.setdefault(row.period_code, []).append(row)
    on = today(session)
    found: list[KeyDate] = []
    for code, rows in months.items():
        due = rows[0].due
        missing = [r.provider_name for r in rows if r.received_on is None]
        what = f"{rows[0].period_end:%B %Y} returns due ({counted(len(rows), 'provider')})"
        if missing and due < on:
            more = len(missing) - RETURNS_NAMED
            what += f": overdue from {', '.join(missing[:RETURNS_NAMED])}"
            what += f" and {more:,} more" if more > 0 else ""
        found.append(
            KeyDate(due, what, "performance", periods[code], done=not missing, kind="returns")
        )
    return found


def key_dates(session: Session) -> list[KeyDate]:
    """Every key date in the workbook, earliest first, with done ones marked done."""
    found = (
        _contract_dates(session)
        + _competition_dates(session)
        + _milestone_dates(session)
        + _risk_reviews(session)
        + _action_dates(session)
        + _returns_dates(session)
    )
    done = _done_keys(session)
    found = [k if k.done or k.key not in done else _with_done(k) for k in found]
    return sorted(found, key=lambda k: (k.when, k.what))


def _with_done(key: KeyDate) -> KeyDate:
    return KeyDate(
        key.when, key.what, key.area, key.record_id, key.text, True, key.kind, key.detail_id
    )


def upcoming(session: Session, today: date, days: int) -> list[KeyDate]:
    """What is overdue (until done) or falls due within ``days`` of ``today``."""
    horizon = today + timedelta(days=days)
    return [k for k in key_dates(session) if not k.done and k.when <= horizon]


def buckets(session: Session, today: date, days: int = 180) -> dict[Bucket, list[KeyDate]]:
    """Open key dates up to ``days`` ahead, by Overview bucket (every bucket present)."""
    grouped: dict[Bucket, list[KeyDate]] = {b: [] for b in Bucket if b is not Bucket.LATER}
    for key in upcoming(session, today, days):
        grouped.setdefault(bucket_of(key, today), []).append(key)
    return grouped


def find(session: Session, key: str) -> KeyDate:
    for found in key_dates(session):
        if found.key == key:
            return found
    raise ValidationError(
        "That key date is no longer in the workbook (its date may have moved); reload the list"
    )


def mark_done(session: Session, key: str, on: date, note: str = "") -> None:
    """Marks a key date dealt with on ``on``; it leaves the overdue list and stays done."""
    found = find(session, key)
    if found.done:
        return
    if found.kind == "stage":
        stage = session.get(CompetitionStage, found.detail_id)
        assert stage is not None
        stage.actual = on
    elif found.kind == "milestone":
        milestone = session.get(Milestone, found.record_id)
        assert milestone is not None
        milestone.done = on
    elif found.kind in ("option", "break"):
        option = session.get(ContractOption, found.detail_id)
        assert option is not None
        option.decided = on
    else:
        session.add(
            KeyDateDone(
                key=key, done_on=on, done_at=audit.now(), done_by=audit.current_user(), note=note
            )
        )
    audit.record(
        session,
        "done",
        found.area,
        found.record_id,
        found.kind,
        None,
        on,
        f"{found.what} ({found.when:%d/%m/%Y}) {note}".strip(),
    )


def reopen(session: Session, key: str) -> None:
    """Undoes ``mark_done``: the key date is open (and overdue, if past) again."""
    found = find(session, key)
    if not found.done:
        return
    if found.kind == "stage":
        stage = session.get(CompetitionStage, found.detail_id)
        assert stage is not None
        stage.actual = None
    elif found.kind == "milestone":
        milestone = session.get(Milestone, found.record_id)
        assert milestone is not None
        milestone.done = None
    elif found.kind in ("option", "break"):
        option = session.get(ContractOption, found.detail_id)
        assert option is not None
        option.decided = None
    else:
        mark = session.scalars(select(KeyDateDone).where(KeyDateDone.key == key)).first()
        if mark is not None:
            session.delete(mark)
    audit.record(
        session,
        "reopen",
        found.area,
        found.record_id,
        found.kind,
        None,
        None,
        f"{found.what} ({found.when:%d/%m/%Y})",
    )
