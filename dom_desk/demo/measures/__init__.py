"""The demo's measures as printed in the plans, and the rules that set its targets.

Wording, scope, guidance and weightings are the published ones (seed 000: NOMS Agency
KPIs 2009-10 and one 2008-09 target; seed 001: NPS Business Plan 2005-06, Annex B).
2008-09 targets are seed 000's where it prints them; every other provider target and
the regional minimum floors are illustrative, and each target's notes say which.

``rows`` (how a measure is written), ``noms_kpis``, ``nps_measures`` and
``noms_2008_09`` (the catalogues), ``catalogue`` (all of them, and the years each
applies to), ``targets``, ``returns``.
"""

from dom_desk.demo.measures.catalogue import (
    MEASURES,
    PROGRAMME_COUNTS,
    PUBLIC_SECTOR_ONLY,
    SYSTEM_ONLY,
    YEARS_OF,
    applies_in,
)
from dom_desk.demo.measures.noms_2008_09 import NOMS_2008_09, NOMS_2008_09_MEASURES
from dom_desk.demo.measures.noms_kpis import NOMS_MEASURES
from dom_desk.demo.measures.nps_measures import NPS_MEASURES
from dom_desk.demo.measures.returns import (
    DISCHARGES_PER_PLACE,
    ESCAPES,
    LATE_RETURNS,
    MISSES,
    MISSING_RETURN,
    NEAR_ONE_IN,
    PRISON_CASES,
    PRISON_RETURNS,
    PRISONER_YEAR_MEASURES,
    PROBATION_CASES,
    PROBATION_RETURNS,
    RETURN_MONTHS,
    SEED,
    MissRow,
)
from dom_desk.demo.measures.rows import (
    DECENCY,
    NOMS_KPIS,
    NPS_ANNEX_B,
    ORGANISATION,
    PROTECTION,
    REOFFENDING,
    SENTENCE,
    MeasureRow,
)
from dom_desk.demo.measures.targets import (
    COUNT_FROM_LINE,
    COUNT_PER_CASELOAD,
    GROUP_TARGETS,
    PREVIOUS_COUNT_PERCENT,
    PREVIOUS_GROUP_TARGETS,
    PRINTED,
    PROVIDER_TARGETS,
    UNSET_TARGETS,
    Printed,
    target_note,
)

__all__ = [
    "COUNT_FROM_LINE",
    "COUNT_PER_CASELOAD",
    "DECENCY",
    "DISCHARGES_PER_PLACE",
    "ESCAPES",
    "GROUP_TARGETS",
    "LATE_RETURNS",
    "MEASURES",
    "MISSES",
    "MISSING_RETURN",
    "MeasureRow",
    "MissRow",
    "NEAR_ONE_IN",
    "NOMS_2008_09",
    "NOMS_2008_09_MEASURES",
    "NOMS_KPIS",
    "NOMS_MEASURES",
    "NPS_ANNEX_B",
    "NPS_MEASURES",
    "ORGANISATION",
    "PREVIOUS_COUNT_PERCENT",
    "PREVIOUS_GROUP_TARGETS",
    "PRINTED",
    "PRISONER_YEAR_MEASURES",
    "PRISON_CASES",
    "PRISON_RETURNS",
    "PROGRAMME_COUNTS",
    "PROBATION_CASES",
    "PROBATION_RETURNS",
    "PROTECTION",
    "PROVIDER_TARGETS",
    "Printed",
    "PUBLIC_SECTOR_ONLY",
    "REOFFENDING",
    "RETURN_MONTHS",
    "SEED",
    "SENTENCE",
    "SYSTEM_ONLY",
    "UNSET_TARGETS",
    "YEARS_OF",
    "applies_in",
    "target_note",
]
