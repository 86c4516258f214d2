"""How a demo measure is written down: its row, the sources and areas, and the short
names (units, scopes, guidance; a NOMS KPI, an NPS measure) the catalogues are written in.
"""

from __future__ import annotations

from typing import NamedTuple

from dom_desk.models import Aggregation, Direction, Guidance, MeasureUnit, Scope

NOMS_KPIS = "NOMS KPIs 2009-10"
NPS_ANNEX_B = "NPS Business Plan 2005-06, Annex B"

PROTECTION = "Public protection"
REOFFENDING = "Reducing re-offending"
SENTENCE = "Delivering the sentence"
DECENCY = "Decency and capacity"
ORGANISATION = "Organisation"


class MeasureRow(NamedTuple):
    code: str
    title: str
    area: str
    unit: MeasureUnit
    direction: Direction
    scope: Scope
    guidance: Guidance
    aggregation: Aggregation
    source: str
    national_value: str | None = None
    floor: str | None = None
    weighting: int | None = None
    notes: str = ""


PCT, COUNT, DAYS = MeasureUnit.PERCENT, MeasureUnit.COUNT, MeasureUnit.DAYS
HI, LO = Direction.HIGHER, Direction.LOWER
PRISON, PROBATION, BOTH = Scope.PRISON, Scope.PROBATION, Scope.INTEGRATED
NAT, REG, LOC = Guidance.NATIONAL, Guidance.REGIONAL_MINIMUM, Guidance.LOCALLY_SET
SUM, RATIO, LATEST = Aggregation.SUM, Aggregation.RATIO, Aggregation.LATEST

#: Rates "of the prison population" are returned monthly over prisoner-years (average
#: population / 12), so a month's rate is an annual equivalent and months add up.
PRISONER_YEARS = (
    "Monthly returns give the denominator in prisoner-years (average "
    "population / 12), so rates are annual equivalents and add up over months."
)


def kpi(
    number: int,
    title: str,
    area: str,
    unit: MeasureUnit,
    direction: Direction,
    scope: Scope,
    guidance: Guidance,
    aggregation: Aggregation,
    *,
    national_value: str | None = None,
    floor: str | None = None,
    notes: str = "",
) -> MeasureRow:
    return MeasureRow(
        f"KPI {number}",
        title,
        area,
        unit,
        direction,
        scope,
        guidance,
        aggregation,
        NOMS_KPIS,
        national_value,
        floor,
        None,
        notes,
    )


def nps(
    code: str,
    title: str,
    area: str,
    unit: MeasureUnit,
    guidance: Guidance,
    aggregation: Aggregation,
    *,
    national_value: str | None = None,
    weighting: int | None = None,
    direction: Direction = HI,
    notes: str = "",
) -> MeasureRow:
    """NPS measures are all probation only."""
    return MeasureRow(
        code,
        title,
        area,
        unit,
        direction,
        PROBATION,
        guidance,
        aggregation,
        NPS_ANNEX_B,
        national_value,
        None,
        weighting,
        notes,
    )
