"""Targets for a year in bulk, for one provider or for every provider measures apply to.

For each provider and each measure that applies to it in the year (``applicability``:
its scope, the measure's years, whether providers report it; and any measure it was
set a target for last year, when copying), the missing target is created by guidance:

- **National**: the national value (none recorded: left not yet set).
- **Regional Minimum**: last year's agreed value when copying and it is not worse than
  the floor, else the floor. Either is an *offer*, and the target's notes say so
  (``sla.basis``), until the DOM types a value or the agreement is agreed.
- **Locally Set**: last year's value when copying, else left not yet set (the
  documents' "[x]") until negotiated.

A target that has a value is never overwritten; a provider whose agreement is agreed or
signed is left alone, and said so. Last year's value below its floor is not copied (the
rule a typed value meets, ``sla.floor_problem``), and said so. The whole fill is one
transaction, audited target by target, and running it again changes nothing.

:func:`fill_targets` opens its own transaction; :func:`fill_targets_in` and
:func:`unfill_in` run inside one the caller has open (the window's undo step).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain.applicability import code_order, in_year_clause, measures_for
from dom_desk.domain.region import year_by_label
from dom_desk.domain.sla.basis import copied_note, offered_note
from dom_desk.domain.sla.editing import primary_agreement_in
from dom_desk.domain.sla.grid import _locked_error, floor_problem
from dom_desk.domain.sla.reading import find_provider_in, previous_year_in
from dom_desk.errors import ConflictError
from dom_desk.models import FinancialYear, Guidance, Measure, Provider, Target
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook

#: The audit trail's name for a target written by a fill, and for one taken back.
FILL_ACTION = "fill targets"
UNFILL_ACTION = "undo fill targets"


class Outcome(enum.Enum):
    CREATED = "created"
    COPIED = "copied from last year"
    KEPT = "left as it was"
    NOT_SET = "left not yet set"


@dataclass(frozen=True)
class TargetFill:
    """What the fill did with one provider's target for one measure, and why."""

    provider: str
    code: str
    guidance: Guidance
    outcome: Outcome
    #: The value written (created or copied), or the value already held (kept).
    value: Decimal | None
    why: str


@dataclass(frozen=True)
class Written:
    """A target the fill wrote, with what it held before, so the fill can be undone."""

    target_id: int
    new: bool
    #: The value the fill wrote.
    value: Decimal
    old_value: Decimal | None
    old_minimum: Decimal | None
    old_notes: str


@dataclass(frozen=True)
class LockedProvider:
    """A provider left alone because the agreement its targets belong to is locked."""

    provider: str
    agreement: str
    status: str

    def sentence(self) -> str:
        return (
            f"{self.provider}: '{self.agreement}' is {self.status} and locked, so its "
            "targets were left as they were (unlock it to fill them)"
        )


@dataclass(frozen=True)
class FillResult:
    year: str
    #: The year copied from ("" when not copying, or the workbook holds no year before).
    last_year: str
    fills: tuple[TargetFill, ...]
    #: Providers left alone, their agreements agreed or signed.
    locked: tuple[LockedProvider, ...]
    #: One sentence each: last year's value not copied, as it is worse than the floor.
    not_copied: tuple[str, ...]
    written: tuple[Written, ...]

    @property
    def refusals(self) -> tuple[str, ...]:
        """Every refusal in words: the locked providers, then the values not copied."""
        return tuple(x.sentence() for x in self.locked) + self.not_copied

    def _of(self, outcome: Outcome) -> tuple[TargetFill, ...]:
        return tuple(f for f in self.fills if f.outcome is outcome)

    @property
    def created(self) -> tuple[TargetFill, ...]:
        return self._of(Outcome.CREATED)

    @property
    def copied(self) -> tuple[TargetFill, ...]:
        return self._of(Outcome.COPIED)

    @property
    def kept(self) -> tuple[TargetFill, ...]:
        return self._of(Outcome.KEPT)

    @property
    def not_set(self) -> tuple[TargetFill, ...]:
        return self._of(Outcome.NOT_SET)

    @property
    def changed(self) -> bool:
        return bool(self.written)

    @property
    def providers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.provider for f in self.fills))

    def summary(self) -> str:
        """One line: ``12 targets created, 3 copied from 2008-09, 4 left as they were,
        9 left not yet set``."""
        parts = [
            f"{len(self.created)} {'target' if len(self.created) == 1 else 'targets'} created",
            f"{len(self.copied)} copied from {self.last_year}" if self.last_year else "",
            f"{len(self.kept)} left as {'it was' if len(self.kept) == 1 else 'they were'}",
            f"{len(self.not_set)} left not yet set",
        ]
        return ", ".join(p for p in parts if p)

    def by_provider(self, kept: bool = True) -> tuple[str, ...]:
        """One line per provider naming the measures by outcome: ``HMP Cardiff: KPI 2,
        KPI 11 created; KPI 6 copied from 2008-09; KPI 1, KPI 8 left not yet set``.
        Without ``kept``, targets left as they were are not named, nor a provider whose
        targets all were."""
        lines = []
        outcomes = [o for o in Outcome if kept or o is not Outcome.KEPT]
        for provider in self.providers:
            mine = [f for f in self.fills if f.provider == provider]
            parts = []
            for outcome in outcomes:
                codes = ", ".join(f.code for f in mine if f.outcome is outcome)
                if codes:
                    words = (
                        f"copied from {self.last_year}"
                        if outcome is Outcome.COPIED
                        else outcome.value
                    )
                    parts.append(f"{codes} {words}")
            if parts:
                lines.append(f"{provider}: " + "; ".join(parts))
        return tuple(lines)


def fill_targets(
    wb: Workbook, year_label: str, provider_name: str | None = None, copy_last_year: bool = True
) -> FillResult:
    """Fills the year's missing targets (see the module docstring), in one transaction."""
    with wb.session() as session:
        return fill_targets_in(session, year_label, provider_name, copy_last_year)


def fill_targets_in(
    session: Session,
    year_label: str,
    provider: int | str | None = None,
    copy_last_year: bool = True,
) -> FillResult:
    """The fill inside an open transaction. One named provider whose agreement is locked
    is refused (:class:`LockedError`, nothing written); across every provider, a locked
    one is left alone and named in ``locked``."""
    year = year_by_label(session, year_label)
    last = previous_year_in(session, year) if copy_last_year else None
    if provider is not None:
        chosen = [find_provider_in(session, provider)]
    else:
        chosen = list(session.scalars(select(Provider).order_by(Provider.name)))
    fill = _Fill(session, year, last)
    for found in chosen:
        measures = _measures(session, found, year, last)
        if not measures:
            continue
        agreement = primary_agreement_in(session, found.id, year)
        if agreement is not None and agreement.status.locked:
            if provider is not None:
                raise _locked_error(agreement, f"{found.name}, targets for {year.label}")
            fill.locked.append(
                LockedProvider(found.name, agreement.title, agreement.status.label.lower())
            )
            continue
        for measure in measures:
            fill.one(found, measure)
    session.flush()
    return FillResult(
        year=year.label,
        last_year=last.label if last else "",
        fills=tuple(fill.fills),
        locked=tuple(fill.locked),
        not_copied=tuple(fill.not_copied),
        written=tuple(fill.written),
    )


def unfill_in(session: Session, result: FillResult) -> None:
    """Takes back what a fill wrote: new targets deleted, filled ones as they were.

    Refused if an agreement was locked since (:class:`LockedError`: undo never edits an
    agreed or signed agreement behind the DOM's back) or a filled value was changed
    since by other means than this window's undo (:class:`ConflictError`: theirs is kept).
    """
    year = year_by_label(session, result.year)
    for written in result.written:
        target = session.get(Target, written.target_id)
        if target is None:
            continue
        where = f"{target.provider.name}, {target.measure.code}, Target"
        agreement = primary_agreement_in(session, target.provider_id, year)
        if agreement is not None and agreement.status.locked:
            raise _locked_error(agreement, where)
        if target.value != written.value:
            raise ConflictError(
                f"{where} was changed since the targets were filled; the fill was not "
                "undone, so that change is kept"
            )
        audit.record(
            session,
            UNFILL_ACTION,
            "target",
            target.id,
            "value",
            target.value,
            None if written.new else written.old_value,
        )
        if written.new:
            session.delete(target)
        else:
            target.value = written.old_value
            target.minimum = written.old_minimum
            target.notes = written.old_notes
    session.flush()


# -- the fill -----------------------------------------------------------------------------


def _measures(
    session: Session, provider: Provider, year: FinancialYear, last: FinancialYear | None
) -> list[Measure]:
    """The measures that apply to the provider in the year, and (when copying) those it
    had a target for last year that still apply this year and that providers report."""
    found = {m.id: m for m in measures_for(session, provider, year)}
    if last is not None:
        carried = session.scalars(
            select(Measure).where(
                Measure.id.in_(
                    select(Target.measure_id).where(
                        Target.provider_id == provider.id,
                        Target.year_id == last.id,
                        Target.value.is_not(None),
                    )
                ),
                Measure.reported_by_providers.is_(True),
                in_year_clause(year),
            )
        )
        for measure in carried:
            found.setdefault(measure.id, measure)
    return sorted(found.values(), key=lambda m: code_order(m.code))


class _Fill:
    """The fill's working state: targets held, ids to give, what was done."""

    def __init__(self, session: Session, year: FinancialYear, last: FinancialYear | None) -> None:
        self.session, self.year = session, year
        self.last_label = last.label if last is not None else ""
        self.held = _targets(session, year)
        self.last_held = _targets(session, last) if last is not None else {}
        self.fills: list[TargetFill] = []
        self.locked: list[LockedProvider] = []
        self.not_copied: list[str] = []
        self.written: list[Written] = []
        self._next_ids: Iterator[int] | None = None

    def one(self, provider: Provider, measure: Measure) -> None:
        target = self.held.get((provider.id, measure.id))
        if target is not None and target.value is not None:
            self._note(provider, measure, Outcome.KEPT, target.value, "already set")
            return
        previous = self.last_held.get((provider.id, measure.id))
        if previous is not None and previous.value is None:
            previous = None
        if measure.guidance is Guidance.NATIONAL:
            if measure.national_value is None:
                self._note(
                    provider,
                    measure,
                    Outcome.NOT_SET,
                    None,
                    "set nationally, but no national value is recorded for it",
                )
                return
            self._write(provider, measure, target, measure.national_value, None, "")
            self._note(
                provider, measure, Outcome.CREATED, measure.national_value, "the national value"
            )
            return
        if measure.guidance is Guidance.REGIONAL_MINIMUM and previous is not None:
            problem = floor_problem(measure, "value", previous.value)
            if problem:
                self.not_copied.append(
                    f"{provider.name}, {measure.code}: {self.last_label}'s target "
                    f"was not copied: {problem}"
                    + ("; the floor was offered instead" if measure.floor is not None else "")
                )
                previous = None
        if previous is not None:
            minimum = previous.minimum
            if minimum is not None and floor_problem(measure, "minimum", minimum):
                minimum = None
            label = self.last_label
            self._write(provider, measure, target, previous.value, minimum, copied_note(label))
            self._note(
                provider,
                measure,
                Outcome.COPIED,
                previous.value,
                f"offered: {label}'s agreed target",
            )
            return
        if measure.guidance is Guidance.REGIONAL_MINIMUM:
            if measure.floor is None:
                self._note(
                    provider,
                    measure,
                    Outcome.NOT_SET,
                    None,
                    "Regional Minimum, but no floor is recorded for it",
                )
                return
            self._write(provider, measure, target, measure.floor, None, offered_note(measure.floor))
            self._note(
                provider,
                measure,
                Outcome.CREATED,
                measure.floor,
                "offered: the Regional Minimum floor",
            )
            return
        self._note(provider, measure, Outcome.NOT_SET, None, "locally set: to be negotiated")

    def _note(
        self,
        provider: Provider,
        measure: Measure,
        outcome: Outcome,
        value: Decimal | None,
        why: str,
    ) -> None:
        self.fills.append(
            TargetFill(provider.name, measure.code, measure.guidance, outcome, value, why)
        )

    def _write(
        self,
        provider: Provider,
        measure: Measure,
        target: Target | None,
        value: Decimal,
        minimum: Decimal | None,
        note: str,
    ) -> None:
        new = target is None
        if target is None:
            # An id never used before: a target made again after an undo does not take
            # over the history of the one the undo deleted.
            if self._next_ids is None:
                self._next_ids = audit.new_ids(self.session, Target)
            target = Target(
                id=next(self._next_ids),
                measure_id=measure.id,
                provider_id=provider.id,
                year_id=self.year.id,
                notes="",
            )
            self.session.add(target)
            self.held[(provider.id, measure.id)] = target
        self.written.append(
            Written(
                target_id=target.id,
                new=new,
                value=value,
                old_value=target.value,
                old_minimum=target.minimum,
                old_notes=target.notes or "",
            )
        )
        target.value = value
        if target.minimum is None and minimum is not None:
            target.minimum = minimum
        if note:
            target.notes = f"{target.notes}\n{note}" if target.notes else note
        audit.record(
            self.session,
            FILL_ACTION,
            "target",
            target.id,
            "value",
            None,
            value,
            f"{provider.name}, {measure.code}, {self.year.label}",
        )


def _targets(session: Session, year: FinancialYear) -> dict[tuple[int, int], Target]:
    return {
        (t.provider_id, t.measure_id): t
        for t in session.scalars(select(Target).where(Target.year_id == year.id))
    }


__all__ = [
    "FILL_ACTION",
    "FillResult",
    "LockedProvider",
    "Outcome",
    "TargetFill",
    "Written",
    "fill_targets",
    "fill_targets_in",
    "unfill_in",
]
