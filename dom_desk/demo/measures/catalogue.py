"""Every demo measure, and those that are not set or returned by every provider."""

from __future__ import annotations

from dom_desk.demo.measures.noms_kpis import NOMS_MEASURES
from dom_desk.demo.measures.nps_measures import NPS_MEASURES
from dom_desk.demo.measures.rows import MeasureRow

MEASURES: tuple[MeasureRow, ...] = NOMS_MEASURES + NPS_MEASURES

#: Measured for the system as a whole: no provider targets or returns.
SYSTEM_ONLY = frozenset({"KPI 1", "KPI 4"})
#: Measures of the public-sector workforce: not set for contracted prisons.
PUBLIC_SECTOR_ONLY = frozenset({"KPI 12", "KPI 13"})
