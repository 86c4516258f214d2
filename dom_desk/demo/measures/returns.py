"""The demo's monthly returns: which months, which figures each provider sends, the
misses, late and missing returns that make the screens worth looking at (illustrative).
"""

from __future__ import annotations

from typing import NamedTuple

# -- monthly returns ----------------------------------------------------------------------

#: Months with returns: all of 2008-09, and April to September 2009 (as of November).
RETURN_MONTHS: tuple[tuple[int, int], ...] = tuple((2008, m) for m in range(4, 13)) + tuple(
    (2009, m) for m in range(1, 10)
)

PRISON_RETURNS = (
    "KPI 2",
    "KPI 3",
    "KPI 6",
    "KPI 7",
    "KPI 8",
    "KPI 9",
    "KPI 10",
    "KPI 11",
    "KPI 12",
    "KPI 13",
)
PROBATION_RETURNS = (
    "KPI 5",
    "KPI 7",
    "KPI 8",
    "KPI 9",
    "KPI 12",
    "KPI 13",
    "PT 1",
    "PT 2",
    "PT 3",
    "PT 5",
    "PT 6",
    "PT 7",
    "PT 8",
    "PT 9b",
    "PT 11",
    "PT 12",
    "PT 14",
    "PM 1",
    "PM 2",
    "DV",
)

#: A month's denominator per place (prisons): tests, programme starts, staff.
PRISON_CASES: dict[str, str] = {
    "KPI 6": "0.07",
    "KPI 7": "0.008",
    "KPI 11": "0.97",
    "KPI 13": "0.45",
}
#: Prisoners discharged a month per place, by prison function (KPI 8 and KPI 9).
DISCHARGES_PER_PLACE: dict[str, str] = {
    "local": "0.20",
    "cat_b": "0.04",
    "cat_c": "0.08",
    "open": "0.10",
    "women": "0.20",
    "yoi": "0.15",
    "yoi_open": "0.10",
    "contracted": "0.20",
}
#: A month's denominator per offender supervised (probation).
PROBATION_CASES: dict[str, str] = {
    "KPI 5": "0.05",
    "KPI 7": "0.012",
    "KPI 8": "0.05",
    "KPI 9": "0.05",
    "KPI 13": "0.065",
    "PT 1": "0.004",
    "PT 2": "0.0025",
    "PT 3": "0.003",
    "PT 5": "0.08",
    "PT 6": "0.025",
    "PT 7": "0.05",
    "PT 14": "0.06",
    "PM 1": "0.9",
    "PM 2": "0.9",
}
#: Rates per cent of the population, returned over prisoner-years.
PRISONER_YEAR_MEASURES = frozenset({"KPI 3", "KPI 10"})


class MissRow(NamedTuple):
    """A provider that clearly misses a target in every month returned."""

    provider: str
    code: str
    #: How far from the target, as a fraction of it.
    severity: str
    commentary: str


MISSES: tuple[MissRow, ...] = (
    MissRow(
        "HMP Liverpool",
        "KPI 6",
        "0.45",
        "Buprenorphine finds up since inclusion in testing; supply reduction plan agreed.",
    ),
    MissRow(
        "HMP Liverpool",
        "KPI 11",
        "0.5",
        "Doubling in cells on the main wings while population is above operational capacity.",
    ),
    MissRow("HMP Manchester", "KPI 11", "0.3", "Population pressure from the courts."),
    MissRow("HMP Preston", "KPI 10", "0.6", "Rise in assaults on the first night centre."),
    MissRow("HMP Wymott", "KPI 12", "0.25", "Long-term sickness cases; attendance plan in place."),
    MissRow("HMP Haverigg", "KPI 13", "0.6", "Local labour market; recruitment outreach planned."),
    MissRow(
        "Lancashire Probation Area",
        "KPI 5",
        "0.12",
        "Breach and recall rates rising; completions action plan requested.",
    ),
    MissRow(
        "Greater Manchester Probation Trust",
        "PT 5",
        "0.1",
        "Report writer vacancies in two offices.",
    ),
    MissRow(
        "Merseyside Probation Trust",
        "PT 8",
        "0.22",
        "Community Payback stand-downs after supervisor shortages.",
    ),
    MissRow(
        "Merseyside Probation Trust",
        "PM 2",
        "0.15",
        "Appointments missed while Community Payback supervisors are short.",
    ),
    MissRow("Cumbria Probation Area", "KPI 13", "0.65", "Very small ethnic minority population."),
)

#: Escapes in a month (KPI 3), by provider and month.
ESCAPES: dict[tuple[str, tuple[int, int]], int] = {("HMP Haverigg", (2009, 7)): 1}
#: A return not yet received: shows as missing in the latest month.
MISSING_RETURN = ("Cumbria Probation Area", (2009, 9))
#: Returns received after their due date: provider, month, days late.
LATE_RETURNS: dict[tuple[str, tuple[int, int]], int] = {
    ("HMP Preston", (2009, 9)): 9,
    ("Lancashire Probation Area", (2009, 8)): 4,
}
#: One result in this many comes in just short of its target ("near").
NEAR_ONE_IN = 12
#: Deterministic variation: the same demo every time.
SEED = 2009
