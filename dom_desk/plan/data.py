"""Everything the plan prints, read from the workbook in one go into plain data.

Figures come from the same domain functions the window uses (allocations, the matrix,
the risk register, the competitions timetable), so the plan and the window cannot
disagree. No reportlab here: layout is separate, so it can be timed on its own.

``gather`` takes the session ``export_plan`` opened rather than a workbook: every section
is read in that one transaction, so the whole document shows one moment of the workbook
(and the version it prints is the one the same export records).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain import contracts
from dom_desk.domain.allocations import Position, position_in
from dom_desk.domain.competitions import TimetableRow, timetable
from dom_desk.domain.measure_wording import worded
from dom_desk.domain.overview import allocation_totals_in
from dom_desk.domain.performance import format_measure_value, resolve_window
from dom_desk.domain.periods import format_date
from dom_desk.domain.region import issued_by_in, region, today, year_by_label, years
from dom_desk.domain.risks import HeatMap, RiskRow, heat_map, register
from dom_desk.domain.timeline import Timeline, timeline_in
from dom_desk.errors import DomDeskError
from dom_desk.models import (
    Agreement,
    AgreementKind,
    Allocation,
    EnvelopeLine,
    FinancialYear,
    Measure,
    Milestone,
    Priority,
    Provider,
    ProviderKind,
    Risk,
    RiskStatus,
    Target,
)
from dom_desk.plan.data_cycle import CycleData, gather_cycle
from dom_desk.plan.template import SectionChoice, read_template
from dom_desk.plan.versions import ExportRecord, history, next_version


@dataclass(frozen=True)
class PriorityText:
    number: int
    title: str
    rationale: str
    response: str


@dataclass(frozen=True)
class ScheduleLine:
    """One SLA or contract in the schedule."""

    provider: str
    provider_kind: ProviderKind
    title: str
    reference: str
    kind: AgreementKind
    annual_value: int | None
    term: str
    status: str
    committed: int
    #: Why a contract's annual value is not all committed to the year: its term runs
    #: only part of it ("starts 01/10/2009"); empty when the term covers the year.
    part_year: str = ""


@dataclass(frozen=True)
class TargetLine:
    area: str
    code: str
    measure: str
    guidance: str
    target: str
    minimum: str
    weighting: str
    #: The measure's wording as the framework writes it, blank and all ("less than
    #: x.x%"): the targets matrix prints it where providers' targets differ.
    template: str = ""


@dataclass(frozen=True)
class ProviderTargets:
    provider: str
    kind: ProviderKind
    lines: tuple[TargetLine, ...]


@dataclass(frozen=True)
class Contact:
    role: str
    who: str
    contact: str


@dataclass
class PlanData:
    region: str
    dom_title: str
    year: str
    previous_year: str | None
    today: date
    version: str
    final: bool
    sections: list[SectionChoice]
    history: list[ExportRecord]
    priorities: list[PriorityText]
    position: Position
    schedule: list[ScheduleLine]
    targets: list[ProviderTargets]
    timetable: list[TimetableRow]
    timeline: Timeline
    risks: list[RiskRow]
    heat: HeatMap
    contacts: list[Contact]
    #: The previous year's matrix (dom_desk.domain.matrix.Matrix), or None.
    matrix: object | None = None
    #: Measure ids worth a trend chart, most missed first.
    trend_measures: list[int] = field(default_factory=list)
    #: (title, PNG bytes, (width, height) in inches) of the trend charts drawn.
    trend_images: list[tuple[str, bytes, tuple[float, float]]] = field(default_factory=list)
    #: Why there are no trend charts, when there are none.
    trend_note: str = ""
    #: Some of the year's money is marked illustrative (sample data).
    illustrative: bool = False
    reason: str = ""
    #: Who exported it (the login, for the export record and the audit trail).
    exported_by: str = ""
    #: Who issues the plan as the DOM entered it ("Name, Role"): printed on the cover,
    #: in the version table and under the foreword, never the login.
    issued_by: str = ""
    #: The same issuer's name and role, for the foreword's sign-off.
    issuer_name: str = ""
    issuer_role: str = ""
    #: The commissioning cycle's parts (need and demand, value for money, acting on
    #: performance, competitions to award, payment by results) the chosen sections print.
    cycle: CycleData = field(default_factory=CycleData)

    @property
    def title(self) -> str:
        return f"{self.region} Regional Commissioning Plan {self.year}"


def _previous(session: Session, year: FinancialYear) -> FinancialYear | None:
    earlier = [y for y in years(session) if y.start < year.start]
    return earlier[-1] if earlier else None


def _priorities(session: Session, year: FinancialYear) -> list[PriorityText]:
    rows = session.scalars(
        select(Priority).where(Priority.year_id == year.id).order_by(Priority.number)
    )
    return [PriorityText(p.number, p.title, p.rationale, p.provider_response) for p in rows]


def _schedule(session: Session, year: FinancialYear, position: Position) -> list[ScheduleLine]:
    """The year's SLAs and every contract whose term touches the year."""
    committed: dict[int, int] = defaultdict(int)
    for line in position.lines:
        committed[line.agreement_id] += line.committed
    query = (
        select(Agreement)
        .options(
            selectinload(Agreement.provider),
            selectinload(Agreement.lines),
            selectinload(Agreement.variations),
        )
        .where(or_(Agreement.year_id == year.id, Agreement.kind == AgreementKind.CONTRACT))
    )
    found: list[ScheduleLine] = []
    for a in session.scalars(query):
        if a.kind is AgreementKind.CONTRACT:
            end = contracts.current_end(a)
            if (a.start and a.start > year.end) or (end and end < year.start):
                continue
            term = f"{format_date(a.start) or 'n/a'} to\n{format_date(end) or 'n/a'}"
            value = contracts.current_value(a)
            part = []
            if a.start and a.start > year.start:
                part.append(f"starts {format_date(a.start)}")
            if end and end < year.end:
                part.append(f"ends {format_date(end)}")
        else:
            term = year.label
            part = []
            value = a.annual_value
            if value is None:
                value = sum(ln.value for ln in a.lines if ln.year_id == year.id) or None
        found.append(
            ScheduleLine(
                a.provider.name,
                a.provider.kind,
                a.title,
                a.reference,
                a.kind,
                value,
                term,
                a.status.label,
                committed[a.id],
                " and ".join(part),
            )
        )
    kinds = list(ProviderKind)
    found.sort(
        key=lambda s: (kinds.index(s.provider_kind), s.provider.casefold(), s.title.casefold())
    )
    return found


def target_text(measure: Measure, value: object) -> str:
    """A target as the plan prints it; ``[x]`` while not yet agreed, as the documents do."""
    if value is None:
        if measure.national_value is not None:
            return format_measure_value(measure.unit, measure.national_value)
        return "[x]"
    return format_measure_value(measure.unit, value)  # type: ignore[arg-type]


def _targets(session: Session, year: FinancialYear) -> list[ProviderTargets]:
    rows = session.execute(
        select(Target, Measure, Provider)
        .join(Measure, Target.measure_id == Measure.id)
        .join(Provider, Target.provider_id == Provider.id)
        .where(Target.year_id == year.id)
    )
    grouped: dict[int, tuple[Provider, list[tuple[Measure, Target]]]] = {}
    for target, measure, provider in rows:
        grouped.setdefault(provider.id, (provider, []))[1].append((measure, target))
    kinds = list(ProviderKind)
    result: list[ProviderTargets] = []
    for provider, pairs in sorted(
        grouped.values(), key=lambda g: (kinds.index(g[0].kind), g[0].name.casefold())
    ):
        pairs.sort(key=lambda mt: ((mt[0].area or "~").casefold(), mt[0].code_key))
        lines = tuple(
            TargetLine(
                m.area or "Other measures",
                m.code,
                # The wording with the printed target in its blank, as agreed.
                worded(m.title, t.value if t.value is not None else m.national_value, m.unit),
                m.guidance.label,
                target_text(m, t.value),
                format_measure_value(m.unit, t.minimum) if t.minimum is not None else "",
                f"{m.weighting}" if m.weighting is not None else "",
                m.title,
            )
            for m, t in pairs
        )
        result.append(ProviderTargets(provider.name, provider.kind, lines))
    return result


def _contacts(session: Session, region_name: str, dom_title: str) -> list[Contact]:
    """Who to contact, by role: the DOM, then every role the workbook names as managing a
    contract, owning a risk or a milestone, then providers' own contacts.

    ``Contact.who`` is what the role is responsible for in this plan.
    """
    # role -> what kind of duty ("Contract", "Risk", "Milestone") -> which ones
    duties: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, str] = {}

    def add(role: str, kind: str, which: str) -> None:
        role = " ".join(role.split())
        if role:
            key = role.casefold()
            names.setdefault(key, role)
            if which not in duties[key][kind]:
                duties[key][kind].append(which)

    # Risks and milestones name the DOM by title alone: one role, named with the region.
    add(dom_title, "", "This plan; commissioning for the region")
    names[dom_title.casefold()] = f"{dom_title}, {region_name}"
    for a in session.scalars(
        select(Agreement)
        .where(Agreement.kind == AgreementKind.CONTRACT, Agreement.contract_manager != "")
        .order_by(Agreement.title)
    ):
        add(a.contract_manager, "Contract", a.title)
    for risk in session.scalars(
        select(Risk)
        .where(Risk.status == RiskStatus.OPEN, Risk.owner != "")
        .order_by(Risk.reference)
    ):
        add(risk.owner, "Risk", risk.reference)
    for milestone in session.scalars(
        select(Milestone).where(Milestone.owner != "", Milestone.done.is_(None))
    ):
        add(milestone.owner, "Milestone", (milestone.reference or milestone.title).strip())
    found = [Contact(names[k], _duties(v), "") for k, v in duties.items()]
    kinds = list(ProviderKind)
    providers = sorted(
        session.scalars(select(Provider).where(Provider.contact != "")),
        key=lambda p: (kinds.index(p.kind), p.name.casefold()),
    )
    found += [Contact(p.kind.label, p.name, p.contact) for p in providers]
    return found


def _duties(by_kind: dict[str, list[str]]) -> str:
    """'Contracts: A; B. Risks R01, R05. Milestone M02.' from the role's duties."""
    parts = []
    for kind, items in by_kind.items():
        if not kind:
            parts += items
        elif kind == "Contract":
            parts.append(("Contracts: " if len(items) > 1 else "Contract: ") + "; ".join(items))
        else:
            parts.append(f"{kind}{'s' if len(items) > 1 else ''} " + ", ".join(sorted(items)))
    return ". ".join(parts) + "."


def _trend_measures(matrix: object, limit: int = 4) -> list[int]:
    """Measures with the most missed or near cells: the ones a reader will ask about."""
    from dom_desk.domain.status import Status

    scores: dict[int, int] = defaultdict(int)
    measures = matrix.measures  # type: ignore[attr-defined]
    for row in matrix.cells:  # type: ignore[attr-defined]
        for col, cell in enumerate(row):
            if cell is not None and cell.value is not None:
                scores[measures[col].id] += (
                    3 if cell.status is Status.MISSED else (1 if cell.status is Status.NEAR else 0)
                )
    with_figures = [m for m in measures if m.id in scores]
    with_figures.sort(key=lambda m: (-scores[m.id], -(m.weighting or 0), m.code))
    return [m.id for m in with_figures[:limit]]


def gather(session: Session, year_label: str, final: bool) -> PlanData:
    """Reads everything the plan for ``year_label`` needs, inside one open session."""
    from dom_desk.domain import matrix as matrix_module

    year = year_by_label(session, year_label)
    where = region(session)
    previous = _previous(session, year)
    position = position_in(session, year)
    # The plan prints the window's totals; they must also be the Overview's, to the penny.
    totals = allocation_totals_in(session, year.id)
    if totals != (position.baseline, position.provisional, position.agreed, position.committed):
        raise DomDeskError(
            "The allocation totals do not agree between the allocations "
            "table and the Overview; run 'dom-desk check' on the workbook."
        )
    sections = read_template(session, year)  # the year's own text, else the template's
    wanted = {s.key for s in sections if s.included}
    matrix = None
    if previous is not None and "performance" in wanted:  # the costliest read: only if used
        matrix = matrix_module.build(session, resolve_window(session, None, previous.label))
    data = PlanData(
        region=where.name,
        dom_title=where.dom_title,
        year=year.label,
        previous_year=previous.label if previous else None,
        today=today(session),
        version=next_version(session, year.id, final),
        final=final,
        sections=sections,
        history=history(session, year.id),
        priorities=_priorities(session, year),
        position=position,
        schedule=_schedule(session, year, position),
        targets=_targets(session, year),
        timetable=timetable(session),
        timeline=timeline_in(session, groups=("Competitions",)),
        risks=register(session),
        heat=heat_map(session),
        contacts=_contacts(session, where.name, where.dom_title),
        matrix=matrix,
    )
    if matrix is not None:
        data.trend_measures = _trend_measures(matrix)
    data.illustrative = _illustrative(session, year)
    data.cycle = gather_cycle(session, year, wanted)
    issuer = issued_by_in(session)
    data.issued_by, data.issuer_name, data.issuer_role = issuer.text, issuer.name, issuer.role
    return data


def _illustrative(session: Session, year: FinancialYear) -> bool:
    for model in (Allocation, EnvelopeLine):
        found = session.scalar(
            select(model.id).where(model.year_id == year.id, model.illustrative.is_(True)).limit(1)
        )
        if found is not None:
            return True
    return False
