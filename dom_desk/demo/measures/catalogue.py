"""Every demo measure, those that are not set or returned by every provider, and the
years a measure applies to where it is not every year."""

from __future__ import annotations

from dom_desk.demo.data import PREVIOUS_YEAR
from dom_desk.demo.measures.noms_2008_09 import NOMS_2008_09_MEASURES
from dom_desk.demo.measures.noms_kpis import NOMS_MEASURES
from dom_desk.demo.measures.nps_measures import NPS_MEASURES
from dom_desk.demo.measures.rows import MeasureRow

MEASURES: tuple[MeasureRow, ...] = NOMS_MEASURES + NPS_MEASURES + NOMS_2008_09_MEASURES

#: Measured for the system as a whole: no provider targets or returns.
SYSTEM_ONLY = frozenset({"KPI 1", "KPI 4"})
#: Measures of the public-sector workforce: not set for contracted prisons.
PUBLIC_SECTOR_ONLY = frozenset({"KPI 12", "KPI 13"})

#: Counts of programmes and interventions delivered: 2008-09 national targets that stop
#: being measures in 2009-10. Seed 000, para 124: "Indicators on the total number of
#: programmes delivered will no longer be reported as national KPIs but will be managed
#: by DOMs through contract management", and the same paragraph revises the indicators
#: for education and employment (KPI 8, a percentage, replaces the counts); the 2009-10
#: KPI table that follows has no count of delivery. In 2009-10 the volumes are what the
#: SLAs' and contracts' service lines buy.
PROGRAMME_COUNTS = frozenset(
    {"PT 4", "PT 8", "PT 9a", "PT 9b", "PT 10", "PT 11", "PT 12", "PM 5", "DV"}
)
#: The years a measure applies to, where not every year. A measure listed nowhere here is
#: linked to no year: it applies in both demo years and in any year a user adds. So do the
#: 2009-10 KPIs, each the successor of a 2008-09 target seed 000 prints (paras 96 to 102:
#: escapes, completions, drug tests, employment, accommodation, assaults, overcrowding,
#: sickness, race), and the NPS rates the demo uses as its probation measures (seed 001
#: prints them for 2005-06; applying them here is the demo's illustration).
YEARS_OF: dict[str, tuple[str, ...]] = dict.fromkeys(PROGRAMME_COUNTS, (PREVIOUS_YEAR,))


def applies_in(code: str, label: str) -> bool:
    """Whether the measure coded ``code`` applies in the year ``label``."""
    years = YEARS_OF.get(code)
    return years is None or label in years
