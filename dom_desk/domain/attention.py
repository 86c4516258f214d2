"""What needs the DOM's attention now, most urgent first: the Overview's desk list and
``dom-desk attention`` ("what should I chase today?").

Sources, each judged on the workbook's date (``region.today``), never the machine's:

* **Returns** late or due within 14 days (``returns_schedule``). A period's returns for
  up to :data:`GROUP_FROM` - 1 providers are a line each (opening the provider); more
  than that are one line for the period ("22 Oct 2009 returns due by 13/11/2009: …",
  every name in ``detail``), opening the Performance page on its returns schedule.
* **Targets missed** in the latest month with results, a line per provider; the
  measures it missed in the month before too are a line of their own, ranked higher
  ("missed two months running"); a measure with a performance action open says its
  stage ("action on KPI 6: Improvement plan agreed"). The rule is the Overview's
  (``overview.period_status`` month by month), so the list agrees with the Performance
  panel's count.
* **Negotiations, competition stages, milestones and contract decisions** (notice,
  extension options, breaks) overdue or due within :data:`DATES_DAYS` days
  (``keydates``); risk reviews and contract ends stay in the key dates table.
* **Performance actions** whose next step is overdue or due within :data:`ACTIONS_DAYS`
  days (``keydates``' action dates; a closed action is not listed), opening the
  Performance page's Actions tab.
* **Agreements expiring** within :data:`EXPIRING_MONTHS` months with nothing under way:
  a contract (or an SLA given an end date) counts as under way when a competition is
  linked to it, an extension has been taken (a change of duration recorded, an option
  exercised), or a later contract with the same provider exists. SLAs without an end
  date are renewed each year by negotiation, which the dates above cover.
* **The envelope** over, or at or above the DOM's warning share
  (``envelope_warning_percent``).
* **Imports to check**: returns imported with the cover's declaration not confirmed. A
  refused file writes nothing to the workbook (by design), so refused imports leave no
  trace to list; the import dialog and ``dom-desk import`` report them at the time.

Urgency order: by :class:`Severity` (overdue, over the envelope, missed two months
running, due soon, missed, nearly used, expiring, to check), then by date, earliest
first (the longest overdue at the top; lines without a date after those with one), then
by text. One read transaction.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain import contracts, keydates
from dom_desk.domain.allocations.position import (
    EnvelopeState,
    envelope_state,
    envelope_warning_in,
)
from dom_desk.domain.matrix.names import short_name
from dom_desk.domain.money import format_pounds
from dom_desk.domain.overview import (
    MissedTarget,
    allocation_totals_in,
    envelope_total_in,
    months_of_year_in,
)
from dom_desk.domain.periods import add_months, format_date, period_label
from dom_desk.domain.region import current_year, region, today, year_by_label
from dom_desk.domain.returns_schedule import ReturnDue, ReturnState, chase_from, schedule_in
from dom_desk.domain.values import format_decimal
from dom_desk.models import (
    ActionStage,
    Agreement,
    AgreementKind,
    Competition,
    ContractOption,
    FinancialYear,
    OptionKind,
    PerformanceAction,
    Period,
    Provider,
    Submission,
    VariationKind,
)
from dom_desk.storage.workbook import Workbook

#: Returns due within this many days are listed (the chase list's own default).
RETURNS_DAYS = 14
#: Key dates due within this many days are listed (the overdue always are).
DATES_DAYS = 30
#: Performance actions due within this many days are listed (the overdue always are).
ACTIONS_DAYS = 14
#: The tab of the Performance page that lists the actions.
ACTIONS_TAB = "Actions"
#: Agreements ending within this many months with nothing under way are listed.
EXPIRING_MONTHS = 18
#: A period's returns for this many providers or more are one line, not a line each.
GROUP_FROM = 4
#: Names written out in a grouped line before "and N more" (all are in ``detail``).
NAMES_SHOWN = 3
#: The key dates listed, by kind: deadlines a DOM acts on.
DATE_KINDS = frozenset({"negotiation", "stage", "milestone", "notice", "option", "break"})
#: The tab of the Performance page that lists every return and its state.
RETURNS_TAB = "Returns schedule"


class Severity(enum.Enum):
    """How urgent a line is, most urgent first; the value is the word shown."""

    OVERDUE = "Overdue"
    OVER = "Over budget"
    MISSED_TWICE = "Missed twice"
    DUE = "Due soon"
    MISSED = "Missed"
    NEARLY = "Nearly used"
    EXPIRING = "Expiring"
    CHECK = "Check"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)

    @property
    def urgent(self) -> bool:
        """Overdue, over the envelope or missed twice: what to deal with today."""
        return self in (Severity.OVERDUE, Severity.OVER, Severity.MISSED_TWICE)


class Source(enum.Enum):
    RETURNS = "Returns"
    PERFORMANCE = "Performance"
    DATES = "Key dates"
    ACTIONS = "Actions"
    AGREEMENTS = "Agreements"
    ENVELOPE = "Envelope"
    IMPORTS = "Imports"


@dataclass(frozen=True)
class AttentionItem:
    severity: Severity
    #: One line a DOM reads without the screen around it.
    text: str
    source: Source
    #: The window's area key and record to open (0: the area itself).
    area: str
    record_id: int = 0
    when: date | None = None
    #: The date in words beside it ("13 working days late", "in 11 days").
    when_words: str = ""
    #: Everything a grouped line stands for (every provider's name), for a tooltip.
    detail: str = ""
    #: For a performance line: the month and the cell to select.
    period_code: str = ""
    provider_id: int | None = None
    measure_id: int | None = None
    #: A tab of the area's page to show ("Returns schedule"), when it has one.
    tab: str = ""

    @property
    def sort_key(self) -> tuple[int, int, date, str]:
        return (self.severity.rank, self.when is None, self.when or date.max, self.text)


@dataclass(frozen=True)
class Attention:
    region: str
    year: str
    today: date
    items: tuple[AttentionItem, ...]

    def of(self, source: Source) -> list[AttentionItem]:
        return [item for item in self.items if item.source is source]


def attention(wb: Workbook, year_label: str | None = None) -> Attention:
    """Everything that needs attention for the year (the working year unless named), most
    urgent first (the rule is in the module's docstring)."""
    with wb.session() as session:
        year = year_by_label(session, year_label) if year_label else current_year(session)
        return attention_in(session, year)


def attention_in(session: Session, year: FinancialYear) -> Attention:
    now = today(session)
    items = (
        _returns(session, year, now)
        + _performance(session, year)
        + _dates(session, now)
        + _actions(session, now)
        + _expiring(session, now)
        + _envelope(session, year)
        + _imports(session, year)
    )
    return Attention(
        region(session).name, year.label, now, tuple(sorted(items, key=lambda i: i.sort_key))
    )


# -- words --------------------------------------------------------------------------------


def days_words(when: date, on: date) -> str:
    """ "3 days overdue", "due today", "in 1 day", "in 11 days"."""
    days = (when - on).days
    if days < 0:
        return "1 day overdue" if days == -1 else f"{-days} days overdue"
    if days == 0:
        return "due today"
    return "in 1 day" if days == 1 else f"in {days} days"


def _names(names: list[str]) -> str:
    if len(names) <= NAMES_SHOWN + 1:
        return ", ".join(names)
    return f"{', '.join(names[:NAMES_SHOWN])} and {len(names) - NAMES_SHOWN} more"


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


# -- returns ------------------------------------------------------------------------------


def _returns(session: Session, year: FinancialYear, now: date) -> list[AttentionItem]:
    chase = chase_from(schedule_in(session, year), now, RETURNS_DAYS)
    groups: dict[tuple[bool, str, date], list[ReturnDue]] = {}
    for row in chase:
        overdue = row.state is ReturnState.OVERDUE
        groups.setdefault((overdue, row.period_code, row.due), []).append(row)
    items: list[AttentionItem] = []
    for (overdue, code, due), rows in groups.items():
        label = period_label(code)
        severity = Severity.OVERDUE if overdue else Severity.DUE
        if len(rows) < GROUP_FROM:
            items += [_one_return(row, now) for row in rows]
            continue
        names = sorted((r.provider_name for r in rows), key=str.casefold)
        state = f"overdue (due {format_date(due)})" if overdue else f"due by {format_date(due)}"
        worst = max(r.days_late for r in rows)
        items.append(
            AttentionItem(
                severity,
                f"{len(rows)} {label} returns {state}: {_names(names)}",
                Source.RETURNS,
                "performance",
                when=due,
                when_words=_late_words(worst) if overdue else days_words(due, now),
                detail="\n".join(names),
                period_code=code,
                tab=RETURNS_TAB,
            )
        )
    return items


def _late_words(days: int) -> str:
    return "1 working day late" if days == 1 else f"{days} working days late"


def _one_return(row: ReturnDue, now: date) -> AttentionItem:
    overdue = row.state is ReturnState.OVERDUE
    if overdue:
        text = (
            f"{row.provider_name}: {row.period_label} return overdue (due {format_date(row.due)})"
        )
        words = _late_words(row.days_late)
    else:
        text = f"{row.provider_name}: {row.period_label} return due by {format_date(row.due)}"
        words = days_words(row.due, now)
    return AttentionItem(
        Severity.OVERDUE if overdue else Severity.DUE,
        text,
        Source.RETURNS,
        "providers",
        row.provider_id,
        when=row.due,
        when_words=words,
        period_code=row.period_code,
        provider_id=row.provider_id,
    )


# -- performance --------------------------------------------------------------------------


def _measure(missed: MissedTarget) -> str:
    name = short_name(missed.code, missed.title)
    return missed.code if name == missed.code else f"{missed.code} {name}"


def _performance(session: Session, year: FinancialYear) -> list[AttentionItem]:
    months = months_of_year_in(session, year.id)
    if not months.missed_latest or months.latest is None:
        return []
    latest = period_label(months.latest.period_code)
    before = {(m.provider_id, m.measure_id) for m in months.missed_previous}
    previous = period_label(months.previous.period_code) if months.previous else ""
    acting = _acting_on(session)
    by_provider: dict[int, list[MissedTarget]] = {}
    for missed in months.missed_latest:
        by_provider.setdefault(missed.provider_id, []).append(missed)
    items: list[AttentionItem] = []
    for provider_id, missed in by_provider.items():
        provider = missed[0].provider
        twice = [m for m in missed if (provider_id, m.measure_id) in before]
        once = [m for m in missed if (provider_id, m.measure_id) not in before]
        for found, severity in ((twice, Severity.MISSED_TWICE), (once, Severity.MISSED)):
            if not found:
                continue
            measures = _and([_measure(m) for m in found])
            target = "target" if len(found) == 1 else "targets"
            taken = "; ".join(
                f"action on {m.code}: {acting[(provider_id, m.measure_id)]}"
                for m in found
                if (provider_id, m.measure_id) in acting
            )
            if severity is Severity.MISSED_TWICE:
                running = f"two months running; {taken}" if taken else "two months running"
                text = f"{provider} missed {measures} in {previous} and {latest} ({running})"
            else:
                text = f"{provider} missed {len(found)} {target} in {latest}: {measures}"
                text += f" ({taken})" if taken else ""
            items.append(
                AttentionItem(
                    severity,
                    text,
                    Source.PERFORMANCE,
                    "performance",
                    detail="\n".join(f"{m.code}: {m.title}" for m in found),
                    period_code=months.latest.period_code,
                    provider_id=provider_id,
                    measure_id=found[0].measure_id,
                )
            )
    return items


def _acting_on(session: Session) -> dict[tuple[int, int], str]:
    """The stage, in words, of the open action on each provider and measure (the latest
    opened where several are open), so a missed target's line says what is being done."""
    rows = session.execute(
        select(PerformanceAction.provider_id, PerformanceAction.measure_id, PerformanceAction.stage)
        .where(
            PerformanceAction.stage != ActionStage.CLOSED,
            PerformanceAction.measure_id.is_not(None),
        )
        .order_by(PerformanceAction.opened, PerformanceAction.id)
    ).all()
    return {(p, m): stage.label for p, m, stage in rows}


# -- key dates ----------------------------------------------------------------------------


def _dates(session: Session, now: date) -> list[AttentionItem]:
    items: list[AttentionItem] = []
    for key in keydates.upcoming(session, now, DATES_DAYS):
        if key.kind not in DATE_KINDS:
            continue
        what = key.what
        if key.kind == "stage":  # "HMP Buckley Hall: Bids due" from keydates
            what = what.replace(": ", " competition: ", 1)
        if key.text and key.text != format_date(key.when):
            what = f"{what} ({key.text})"
        items.append(
            AttentionItem(
                Severity.OVERDUE if key.overdue(now) else Severity.DUE,
                what,
                Source.DATES,
                key.area,
                key.record_id,
                when=key.when,
                when_words=days_words(key.when, now),
            )
        )
    return items


# -- performance actions ------------------------------------------------------------------


def _actions(session: Session, now: date) -> list[AttentionItem]:
    return [
        AttentionItem(
            Severity.OVERDUE if key.overdue(now) else Severity.DUE,
            key.what,
            Source.ACTIONS,
            "performance",
            key.record_id,
            when=key.when,
            when_words=days_words(key.when, now),
            tab=ACTIONS_TAB,
        )
        for key in keydates.upcoming(session, now, ACTIONS_DAYS)
        if key.kind == "action"
    ]


# -- agreements expiring ------------------------------------------------------------------


def _expiring(session: Session, now: date) -> list[AttentionItem]:
    horizon = add_months(now, EXPIRING_MONTHS)
    competed = set(
        session.scalars(
            select(Competition.agreement_id).where(Competition.agreement_id.is_not(None))
        )
    )
    exercised = set(
        session.scalars(
            select(ContractOption.agreement_id).where(
                ContractOption.kind == OptionKind.EXTENSION, ContractOption.decided.is_not(None)
            )
        )
    )
    agreements = session.scalars(
        select(Agreement).options(
            selectinload(Agreement.variations), selectinload(Agreement.provider)
        )
    ).all()
    starts: dict[int, list[date]] = {}
    for agreement in agreements:
        if agreement.kind is AgreementKind.CONTRACT and agreement.start is not None:
            starts.setdefault(agreement.provider_id, []).append(agreement.start)
    items: list[AttentionItem] = []
    for agreement in agreements:
        end = contracts.current_end(agreement)
        if end is None or not now <= end <= horizon:
            continue
        extended = agreement.id in exercised or any(
            v.kind is VariationKind.DURATION for v in agreement.variations
        )
        successor = agreement.start is not None and any(
            s > agreement.start for s in starts.get(agreement.provider_id, ())
        )
        if agreement.id in competed or extended or successor:
            continue
        contract = agreement.kind is AgreementKind.CONTRACT
        items.append(
            AttentionItem(
                Severity.EXPIRING,
                f"{agreement.title} ({agreement.provider.name}) ends {format_date(end)}: "
                "no competition or renewal under way",
                Source.AGREEMENTS,
                "contracts" if contract else "agreements",
                agreement.id,
                when=end,
                when_words=days_words(end, now),
            )
        )
    return items


# -- the envelope -------------------------------------------------------------------------


def _envelope(session: Session, year: FinancialYear) -> list[AttentionItem]:
    envelope = envelope_total_in(session, year.id)
    committed = allocation_totals_in(session, year.id)[3]
    warning = envelope_warning_in(session)
    state = envelope_state(committed, envelope, warning)
    if state not in (EnvelopeState.OVER, EnvelopeState.NEARLY):
        return []
    share = f"{committed * 100 / envelope:.1f}%"
    if state is EnvelopeState.OVER:
        severity = Severity.OVER
        text = (
            f"Allocations exceed the {year.label} envelope by "
            f"{format_pounds(committed - envelope)} ({share} committed)"
        )
    else:
        severity = Severity.NEARLY
        text = (
            f"{share} of the {year.label} envelope committed: "
            f"{format_pounds(envelope - committed) or '£0'} left "
            f"(warning at {format_decimal(warning)}%)"
        )
    return [AttentionItem(severity, text, Source.ENVELOPE, "allocations")]


# -- imports ------------------------------------------------------------------------------


def _imports(session: Session, year: FinancialYear) -> list[AttentionItem]:
    rows = session.execute(
        select(
            Submission.provider_id,
            Submission.file_name,
            Submission.received_at,
            Period.code,
        )
        .join(Period, Period.id == Submission.period_id)
        .where(
            Period.year_id == year.id,
            Submission.superseded_by_id.is_(None),
            Submission.declared.is_(False),
        )
    ).all()
    if not rows:
        return []
    names = dict(session.execute(select(Provider.id, Provider.name)).tuples().all())
    items: list[AttentionItem] = []
    for provider_id, file_name, received_at, code in rows:
        where = f" ({file_name})" if file_name else ""
        items.append(
            AttentionItem(
                Severity.CHECK,
                f"{names.get(provider_id, '')}: {period_label(code)} return{where} imported "
                "with its declaration not confirmed; check it with the provider",
                Source.IMPORTS,
                "performance",
                when=received_at.date(),
                when_words="imported",
                period_code=code,
                provider_id=provider_id,
            )
        )
    return items


def chase_summary(found: Attention) -> str:
    """One sentence for the top of the list: how many lines, how many urgent."""
    if not found.items:
        return f"Nothing needs attention on {format_date(found.today)}."
    urgent = sum(1 for item in found.items if item.severity.urgent)
    lines = "1 thing needs" if len(found.items) == 1 else f"{len(found.items)} things need"
    return f"{lines} attention on {format_date(found.today)}, {urgent} of them urgent."


def expiring_unreplaced(wb: Workbook) -> list[str]:
    """Agreements ending within 18 months of the workbook's day with no competition,
    extension or successor under way, in words (``dom-desk check`` warns of them)."""
    with wb.session() as session:
        now = today(session)
        return [item.text for item in sorted(_expiring(session, now), key=lambda i: i.when)]
