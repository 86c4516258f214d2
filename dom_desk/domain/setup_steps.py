"""What a new region still lacks, in the order a DOM's team sets it up.

The Overview shows these as a first-run guide until every step is done: providers, the
year's measures, services, agreements, the envelope, targets and priorities. Each step is
one cheap count (the Overview is on the start-up path), and says in one sentence what is
missing and where it is done.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from dom_desk.domain.region import current_year, year_by_label
from dom_desk.models import (
    Agreement,
    AgreementKind,
    EnvelopeLine,
    FinancialYear,
    Measure,
    Priority,
    Provider,
    Region,
    Service,
    Target,
)
from dom_desk.models.performance import MeasureYear
from dom_desk.storage.workbook import Workbook


@dataclass(frozen=True)
class SetupStep:
    """One thing a region is set up with, for a year."""

    #: Which step ("providers", "measures" ...): the window picks its button by it.
    key: str
    title: str
    count: int
    #: What is missing and where it is done; empty once done.
    missing: str

    @property
    def done(self) -> bool:
        return self.count > 0


@dataclass(frozen=True)
class Setup:
    region: str
    year: str
    steps: tuple[SetupStep, ...]

    @property
    def complete(self) -> bool:
        return all(step.done for step in self.steps)

    @property
    def next_step(self) -> SetupStep | None:
        return next((step for step in self.steps if not step.done), None)


def _count(session: Session, query: object) -> int:
    return int(session.scalar(query) or 0)  # type: ignore[call-overload]


def _measures_of_year(year: FinancialYear) -> object:
    """Measures linked to the year, or to no year (they apply to every year)."""
    linked = exists().where(MeasureYear.measure_id == Measure.id)
    this_year = exists().where(MeasureYear.measure_id == Measure.id, MeasureYear.year_id == year.id)
    return select(func.count(Measure.id)).where(or_(~linked, this_year))


def setup_in(session: Session, year: FinancialYear) -> tuple[SetupStep, ...]:
    """The steps for ``year``, in order, inside the caller's transaction."""
    label = year.label
    counts = {
        "providers": _count(session, select(func.count(Provider.id))),
        "measures": _count(session, _measures_of_year(year)),
        "services": _count(session, select(func.count(Service.id))),
        "agreements": _count(
            session,
            select(func.count(Agreement.id)).where(
                or_(Agreement.year_id == year.id, Agreement.kind == AgreementKind.CONTRACT)
            ),
        ),
        "envelope": _count(
            session, select(func.count(EnvelopeLine.id)).where(EnvelopeLine.year_id == year.id)
        ),
        "targets": _count(
            session,
            select(func.count(Target.id)).where(
                Target.year_id == year.id, Target.value.is_not(None)
            ),
        ),
        "priorities": _count(
            session, select(func.count(Priority.id)).where(Priority.year_id == year.id)
        ),
    }
    wording = {
        "providers": (
            "Providers",
            "No providers yet: add the prisons, probation and other providers you "
            "commission, one by one or from a list.",
        ),
        "measures": (
            f"Measures for {label}",
            f"No measures apply to {label} yet: import a published framework or a list "
            "of your own.",
        ),
        "services": (
            "Services",
            "No services yet: add the Directory of Services with their costed "
            "specifications, or import a list.",
        ),
        "agreements": (
            f"Agreements for {label}",
            f"No SLAs or contracts for {label} yet: add them, or import a list with their "
            "service lines.",
        ),
        "envelope": (
            f"The {label} envelope",
            f"No envelope for {label} yet: enter the budget lines, or import or paste the "
            "budget table as it is printed.",
        ),
        "targets": (
            f"Targets for {label}",
            f"No targets set for {label} yet: fill them from the measures' national values "
            "and floors, or import a list.",
        ),
        "priorities": (
            f"Priorities for {label}",
            f"No priorities for {label} yet: add the region's priorities and commissioning "
            "intentions, or import a list.",
        ),
    }
    return tuple(
        SetupStep(key, wording[key][0], count, "" if count else wording[key][1])
        for key, count in counts.items()
    )


def setup_steps(wb: Workbook, year_label: str | None = None) -> Setup:
    """What the region has and lacks for a year (the working year when none is given)."""
    with wb.session() as session:
        year = year_by_label(session, year_label) if year_label else current_year(session)
        region = session.scalar(select(Region.name).limit(1))
        return Setup(region or "", year.label, setup_in(session, year))
