"""A year's position: the envelope and allocation figures, their variances and totals,
read in one transaction (``position(wb)``; ``position_in(session, year)`` for domain
code already in one)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain.allocations.envelope import EnvelopeTable, envelope_table_in
from dom_desk.domain.money import format_pounds, variance_percent
from dom_desk.domain.overview import committed_figure
from dom_desk.domain.region import current_year, get_setting, set_setting, year_by_label
from dom_desk.domain.values import format_decimal
from dom_desk.errors import ValidationError
from dom_desk.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Allocation,
    EnvelopeLine,
    FinancialYear,
    Pathway,
    ProviderKind,
    Sector,
    ServiceLine,
)
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook

NO_PATHWAY = "Not assigned to a pathway"
THRESHOLD_KEY = "variance_threshold_percent"
DEFAULT_THRESHOLD = Decimal(5)
#: Committed at or above this share of the envelope, the envelope is nearly used up.
WARNING_KEY = "envelope_warning_percent"
DEFAULT_WARNING = Decimal(95)


# -- the figures --------------------------------------------------------------------------


class EnvelopeState(Enum):
    """How far the committed allocations have used the envelope."""

    NONE = "none"  # no envelope entered
    WITHIN = "within"
    NEARLY = "nearly"  # at or above the DOM's warning share, not over
    OVER = "over"


def envelope_state(committed: int, envelope: int, warning: Decimal) -> EnvelopeState:
    """Over is exact (one penny over is over); nearly is at or above ``warning`` per cent."""
    if envelope <= 0:
        return EnvelopeState.NONE
    if committed > envelope:
        return EnvelopeState.OVER
    if Decimal(committed) * 100 >= warning * envelope:
        return EnvelopeState.NEARLY
    return EnvelopeState.WITHIN


def envelope_words(committed: int, envelope: int, warning: Decimal) -> str:
    """The state in words, not colour: "108.6% of the envelope committed: £38,000,000 over"."""
    state = envelope_state(committed, envelope, warning)
    if state is EnvelopeState.NONE:
        return "No envelope entered"
    share = f"{Decimal(committed) * 100 / envelope:.1f}% of the envelope committed"
    if state is EnvelopeState.OVER:
        return f"{share}: {format_pounds(committed - envelope)} over"
    left = format_pounds(envelope - committed) or "£0"
    if state is EnvelopeState.NEARLY:
        return f"{share}: {left} left, nearly used"
    return f"{share}: {left} left"


@dataclass(frozen=True)
class AllocationLine:
    """One allocation with what it is for, as the allocations table shows it."""

    id: int
    version: int
    provider_id: int
    provider: str
    provider_kind: ProviderKind
    sector: Sector
    agreement_id: int
    agreement: str
    agreement_kind: AgreementKind
    status: AgreementStatus
    service_line_id: int | None
    service: str
    pathway: str
    funding_source: str
    baseline: int
    provisional: int | None
    agreed: int | None

    @property
    def committed(self) -> int:
        return committed_figure(self.baseline, self.provisional, self.agreed)

    @property
    def variance(self) -> int | None:
        """Agreed less provisional, in pence; None until both are known."""
        if self.agreed is None or self.provisional is None:
            return None
        return self.agreed - self.provisional

    @property
    def variance_percent(self) -> Decimal | None:
        return variance_percent(self.agreed, self.provisional)

    @property
    def locked(self) -> bool:
        return self.status.locked

    @property
    def label(self) -> str:
        parts = [self.provider, self.agreement] + ([self.service] if self.service else [])
        return ", ".join(parts)

    def beyond(self, threshold: Decimal) -> bool:
        """Whether agreed is further from provisional than ``threshold`` per cent (exact)."""
        variance = self.variance
        if variance is None or variance == 0:
            return False
        assert self.provisional is not None
        if self.provisional == 0:
            return True
        return Decimal(abs(variance)) * 100 > threshold * self.provisional

    def with_figures(self, **figures: int | None) -> AllocationLine:
        return replace(self, **figures)


@dataclass(frozen=True)
class GroupTotal:
    """Exact totals of the allocations in one group (a provider, a sector...)."""

    name: str
    count: int
    baseline: int
    provisional: int
    agreed: int
    committed: int


@dataclass(frozen=True)
class EnvelopeItem:
    id: int
    version: int
    funding_source: str
    amount: int
    illustrative: bool
    notes: str
    #: The line as the budget table prints it ("" : named by its funding source).
    name: str = ""
    group_id: int | None = None

    @property
    def label(self) -> str:
        return self.name or self.funding_source


def _grouped(
    lines: Iterable[AllocationLine], key: Callable[[AllocationLine], str], order: Sequence[str] = ()
) -> tuple[GroupTotal, ...]:
    sums: dict[str, list[int]] = {}
    for line in lines:
        figures = sums.setdefault(key(line), [0, 0, 0, 0, 0])
        figures[0] += 1
        figures[1] += line.baseline
        figures[2] += line.provisional or 0
        figures[3] += line.agreed or 0
        figures[4] += line.committed
    rank = {name: i for i, name in enumerate(order)}
    names = sorted(sums, key=lambda n: (rank.get(n, len(rank)), n.casefold()))
    return tuple(GroupTotal(n, *sums[n]) for n in names)


@dataclass(frozen=True)
class Position:
    """A year's envelope and allocations, with every total and warning derived from them.

    Built from the stored figures, or from a scenario's figures (``with_lines``), so the
    live "what if" and the real position are added up by the same code.
    """

    year: str
    envelope_lines: tuple[EnvelopeItem, ...]
    lines: tuple[AllocationLine, ...]
    threshold: Decimal
    #: The envelope as its budget table prints it (groups, subtotals, printed totals).
    table: EnvelopeTable | None = None
    #: The DOM's "nearly used" share of the envelope, in per cent.
    warning: Decimal = DEFAULT_WARNING

    def with_lines(self, lines: Iterable[AllocationLine]) -> Position:
        return replace(self, lines=tuple(lines))

    @property
    def envelope(self) -> int:
        """Every envelope line once, negative ones included; printed totals never count."""
        return sum(e.amount for e in self.envelope_lines)

    @cached_property
    def total(self) -> GroupTotal:
        totals = _grouped(self.lines, lambda _line: "Total")
        return totals[0] if totals else GroupTotal("Total", 0, 0, 0, 0, 0)

    @property
    def baseline(self) -> int:
        return self.total.baseline

    @property
    def provisional(self) -> int:
        return self.total.provisional

    @property
    def agreed(self) -> int:
        return self.total.agreed

    @property
    def committed(self) -> int:
        return self.total.committed

    @property
    def headroom(self) -> int:
        return self.envelope - self.committed

    @property
    def over_envelope(self) -> bool:
        return self.committed > self.envelope

    @property
    def envelope_state(self) -> EnvelopeState:
        return envelope_state(self.committed, self.envelope, self.warning)

    @property
    def envelope_words(self) -> str:
        return envelope_words(self.committed, self.envelope, self.warning)

    @cached_property
    def by_provider(self) -> tuple[GroupTotal, ...]:
        return _grouped(self.lines, lambda line: line.provider)

    @cached_property
    def by_kind(self) -> tuple[GroupTotal, ...]:
        return _grouped(
            self.lines, lambda line: line.provider_kind.label, [k.label for k in ProviderKind]
        )

    @cached_property
    def by_sector(self) -> tuple[GroupTotal, ...]:
        return _grouped(self.lines, lambda line: line.sector.label, [s.label for s in Sector])

    @cached_property
    def by_pathway(self) -> tuple[GroupTotal, ...]:
        return _grouped(
            self.lines, lambda line: line.pathway, [p.label for p in Pathway] + [NO_PATHWAY]
        )

    def totals(self, dimension: str) -> tuple[GroupTotal, ...]:
        """Totals by ``provider``, ``kind``, ``sector`` or ``pathway``."""
        return {
            "provider": self.by_provider,
            "kind": self.by_kind,
            "sector": self.by_sector,
            "pathway": self.by_pathway,
        }[dimension]

    @property
    def beyond_threshold(self) -> list[AllocationLine]:
        return [line for line in self.lines if line.beyond(self.threshold)]

    @property
    def warnings(self) -> list[str]:
        """Each problem as one sentence a DOM can act on."""
        found: list[str] = []
        if self.lines and not self.envelope_lines:
            found.append(
                f"No envelope is set for {self.year}: allocations cannot be checked against it."
            )
        elif self.over_envelope:
            found.append(
                f"Allocations of {format_pounds(self.committed)} exceed the {self.year} "
                f"envelope of {format_pounds(self.envelope)} by "
                f"{format_pounds(self.committed - self.envelope)}."
            )
        if self.table is not None:
            found.extend(self.table.warnings)
        for line in self.beyond_threshold:
            assert line.variance is not None
            direction = "above" if line.variance > 0 else "below"
            pct = line.variance_percent
            how_far = f"{format_decimal(abs(pct))}%" if pct is not None else "infinitely"
            found.append(
                f"{line.label}: agreed {format_pounds(line.agreed)} is {how_far} {direction} "
                f"provisional {format_pounds(line.provisional)}, beyond the "
                f"{format_decimal(self.threshold)}% threshold."
            )
        return found


# -- reading ------------------------------------------------------------------------------


def _year(session: Session, label: str | None) -> FinancialYear:
    return year_by_label(session, label) if label else current_year(session)


def variance_threshold_in(session: Session) -> Decimal:
    """The DOM's variance threshold in per cent (5 unless set)."""
    text = get_setting(session, THRESHOLD_KEY)
    try:
        return Decimal(text) if text else DEFAULT_THRESHOLD
    except InvalidOperation:
        return DEFAULT_THRESHOLD


def set_variance_threshold(wb: Workbook, percent: Decimal) -> None:
    if not percent.is_finite() or percent < 0:
        raise ValidationError(
            "The variance threshold must be a percentage of 0 or more", "Variance threshold"
        )
    with wb.session() as session:
        set_setting(session, THRESHOLD_KEY, format(percent.normalize(), "f"))


def envelope_warning_in(session: Session) -> Decimal:
    """The share of the envelope, in per cent, at which it is nearly used (95 unless set)."""
    text = get_setting(session, WARNING_KEY)
    try:
        found = Decimal(text) if text else DEFAULT_WARNING
    except InvalidOperation:
        return DEFAULT_WARNING
    return found if found.is_finite() else DEFAULT_WARNING


def envelope_warning(wb: Workbook) -> Decimal:
    with wb.session() as session:
        return envelope_warning_in(session)


def set_envelope_warning(wb: Workbook, percent: Decimal) -> None:
    """Sets the "nearly used" share of the envelope (one transaction, audited by name)."""
    if not percent.is_finite() or not 0 < percent <= 100:
        raise ValidationError(
            "The envelope warning must be a percentage above 0 and at most 100",
            "Envelope warning",
        )
    text = format(percent.normalize(), "f")
    with wb.session() as session:
        old = get_setting(session, WARNING_KEY) or None
        set_setting(session, WARNING_KEY, text)
        # The setting row has no id: name the setting so the trail says which it was.
        audit.record(
            session, "set", "setting", None, WARNING_KEY, old, text, "Envelope warning (%)"
        )


def _line(a: Allocation) -> AllocationLine:
    agreement = a.agreement
    provider = agreement.provider
    service_line = a.service_line
    service = service_line.service if service_line else None
    pathway = service.pathway.label if service and service.pathway else NO_PATHWAY
    return AllocationLine(
        id=a.id,
        version=a.row_version,
        provider_id=provider.id,
        provider=provider.name,
        provider_kind=provider.kind,
        sector=provider.sector,
        agreement_id=agreement.id,
        agreement=agreement.title,
        agreement_kind=agreement.kind,
        status=agreement.status,
        service_line_id=a.service_line_id,
        service=service.name if service else "",
        pathway=pathway,
        funding_source=a.funding_source.name if a.funding_source else "",
        baseline=a.baseline,
        provisional=a.provisional,
        agreed=a.agreed,
    )


def position_in(session: Session, year: FinancialYear) -> Position:
    """The year's position, read inside an open session."""
    allocations = session.scalars(
        select(Allocation)
        .options(
            selectinload(Allocation.agreement).selectinload(Agreement.provider),
            selectinload(Allocation.service_line).selectinload(ServiceLine.service),
            selectinload(Allocation.funding_source),
        )
        .where(Allocation.year_id == year.id)
    ).all()
    lines = sorted(
        (_line(a) for a in allocations),
        key=lambda ln: (
            ln.provider.casefold(),
            ln.agreement.casefold(),
            ln.service.casefold(),
            ln.id,
        ),
    )
    envelope = session.scalars(
        select(EnvelopeLine)
        .options(selectinload(EnvelopeLine.funding_source))
        .where(EnvelopeLine.year_id == year.id)
    ).all()
    items = tuple(
        sorted(
            (
                EnvelopeItem(
                    e.id,
                    e.row_version,
                    e.funding_source.name,
                    e.amount,
                    e.illustrative,
                    e.notes,
                    e.name,
                    e.group_id,
                )
                for e in envelope
            ),
            key=lambda e: (-e.amount, e.funding_source),
        )
    )
    return Position(
        year.label,
        items,
        tuple(lines),
        variance_threshold_in(session),
        envelope_table_in(session, year),
        envelope_warning_in(session),
    )


def position(wb: Workbook, year_label: str | None = None) -> Position:
    """The envelope and allocations of a year (the current year when not given)."""
    with wb.session() as session:
        return position_in(session, _year(session, year_label))
