"""The demo's measures as printed in the plans, and the rules that set its targets.

Wording, scope, guidance and weightings are the published ones (seed 000: NOMS Agency
KPIs 2009-10; seed 001: NPS Business Plan 2005-06, Annex B). Provider targets and the
regional minimum floors are illustrative.
"""

from __future__ import annotations

from typing import NamedTuple

from dom_desk.demo.data import DRR, PROGRAMMES, UNPAID_WORK
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


_PCT, _COUNT, _DAYS = MeasureUnit.PERCENT, MeasureUnit.COUNT, MeasureUnit.DAYS
_HI, _LO = Direction.HIGHER, Direction.LOWER
_PRISON, _PROBATION, _BOTH = Scope.PRISON, Scope.PROBATION, Scope.INTEGRATED
_NAT, _REG, _LOC = Guidance.NATIONAL, Guidance.REGIONAL_MINIMUM, Guidance.LOCALLY_SET
_SUM, _RATIO, _LATEST = Aggregation.SUM, Aggregation.RATIO, Aggregation.LATEST

#: Rates "of the prison population" are returned monthly over prisoner-years (average
#: population / 12), so a month's rate is an annual equivalent and months add up.
_PRISONER_YEARS = (
    "Monthly returns give the denominator in prisoner-years (average "
    "population / 12), so rates are annual equivalents and add up over months."
)


def _kpi(
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


def _nps(
    code: str,
    title: str,
    area: str,
    unit: MeasureUnit,
    guidance: Guidance,
    aggregation: Aggregation,
    *,
    national_value: str | None = None,
    weighting: int | None = None,
    direction: Direction = _HI,
    notes: str = "",
) -> MeasureRow:
    """NPS measures are all probation only."""
    return MeasureRow(
        code,
        title,
        area,
        unit,
        direction,
        _PROBATION,
        guidance,
        aggregation,
        NPS_ANNEX_B,
        national_value,
        None,
        weighting,
        notes,
    )


NOMS_MEASURES: tuple[MeasureRow, ...] = (
    _kpi(
        1,
        "Reduce re-offending (PSA 23)",
        REOFFENDING,
        _PCT,
        _HI,
        _BOTH,
        _NAT,
        _LATEST,
        national_value="10",
        notes="This is the National PSA. Target guidance: 10% "
        "reduction. Measured nationally on annual cohorts, not in provider returns.",
    ),
    _kpi(
        2,
        "No Category A escapes",
        PROTECTION,
        _COUNT,
        _LO,
        _PRISON,
        _NAT,
        _SUM,
        national_value="0",
        notes="Prison only.",
    ),
    _kpi(
        3,
        "Rate of escapes from prison and prison escorts to be no more than x% of the "
        "average prison population",
        PROTECTION,
        _PCT,
        _LO,
        _PRISON,
        _NAT,
        _RATIO,
        national_value="0.05",
        notes="Prison only. 0.05% is the 2008-09 target. " + _PRISONER_YEARS,
    ),
    _kpi(
        4,
        "Fewer than 1 in x escapes from contractor escorts",
        PROTECTION,
        MeasureUnit.ONE_IN_X,
        _HI,
        _PRISON,
        _NAT,
        _RATIO,
        national_value="20000",
        notes="Prison only. 2008-09: fewer than 1 escape for every 20,000 movements. "
        "Escort contracts are managed nationally, so no establishment targets.",
    ),
    _kpi(
        5,
        "% of orders or licences successfully completed",
        SENTENCE,
        _PCT,
        _HI,
        _PROBATION,
        _REG,
        _RATIO,
        floor="70",
        notes="Probation only. 2008-09: 70% of orders or licences completed successfully.",
    ),
    _kpi(
        6,
        "The rate of drug misuse in prisons is less than x% as reflected by those testing "
        "positive in mandatory drug tests",
        REOFFENDING,
        _PCT,
        _LO,
        _PRISON,
        _LOC,
        _RATIO,
        notes="In 2009-10 includes buprenorphine (target will reflect this). Prison only. "
        "2008-09 national target: less than 9.3%.",
    ),
    _kpi(
        7,
        "The proportion of accredited programme starts that meet the OGRS/Risk of Serious "
        "Harm eligibility criteria where relevant to be at least x%",
        REOFFENDING,
        _PCT,
        _HI,
        _BOTH,
        _NAT,
        _RATIO,
        national_value="81",
        notes="Ensuring the right offenders are on programmes. 81% is the 2008-09 target "
        "for programme starts in the community.",
    ),
    _kpi(
        8,
        "The percentage of offenders in employment at termination of their sentence, "
        "order or licence to be at least x% (PSA 16)",
        REOFFENDING,
        _PCT,
        _HI,
        _BOTH,
        _LOC,
        _RATIO,
        notes="Integrated agency indicator. 2008-09: 40% (probation), 26% of "
        "prisoners entering employment on release.",
    ),
    _kpi(
        9,
        "The percentage of offenders in settled and suitable accommodation at the end of "
        "their sentence, order or licence to be at least x% (PSA 16)",
        REOFFENDING,
        _PCT,
        _HI,
        _BOTH,
        _LOC,
        _RATIO,
        notes="Integrated agency indicator. 2008-09: 71% "
        "(probation), 80% of prisoners moving to settled accommodation on release.",
    ),
    _kpi(
        10,
        "The rate of serious assaults is less than x.x% of the prison population",
        DECENCY,
        _PCT,
        _LO,
        _PRISON,
        _LOC,
        _RATIO,
        notes="Prison only. " + _PRISONER_YEARS,
    ),
    _kpi(
        11,
        "The percentage of prisoners held in overcrowded accommodation is less than x% "
        "across the prison system",
        DECENCY,
        _PCT,
        _LO,
        _PRISON,
        _NAT,
        _RATIO,
        national_value="26",
        notes="Proxy for capacity measure. Prison only. National <26%.",
    ),
    _kpi(
        12,
        "Staff sickness does not exceed an average of x.x days per annum in public sector",
        ORGANISATION,
        _DAYS,
        _LO,
        _BOTH,
        _NAT,
        _LATEST,
        notes="Integrated agency indicator. Returns give the rolling 12-month average. The "
        "national figure is not printed; the demo's targets are illustrative.",
    ),
    _kpi(
        13,
        "Ethnic minority staff for the NOMS Agency, expressed as a proportion of the "
        "workforce who have declared their ethnicity, is at least x.x% by April 2010",
        ORGANISATION,
        _PCT,
        _HI,
        _BOTH,
        _REG,
        _LATEST,
        floor="4.5",
        notes="Assuming a joint prison and probation target. The North West minimum of "
        "4.5% is illustrative.",
    ),
)

_COUNT_NOTE = "National total {}; area shares are set with the DOM."

NPS_MEASURES: tuple[MeasureRow, ...] = (
    _nps(
        "PT 1",
        "90% of risk of harm assessments, risk management plans and OASys sentence "
        "plans on high risk offenders are completed within five working days of the "
        "commencement of the order or release into the community",
        PROTECTION,
        _PCT,
        _NAT,
        _RATIO,
        national_value="90",
        weighting=10,
    ),
    _nps(
        "PT 2",
        "85% of victims to be contacted within eight weeks of an offender receiving "
        "12 or more months' imprisonment for a serious sexual or violent offence",
        PROTECTION,
        _PCT,
        _NAT,
        _RATIO,
        national_value="85",
    ),
    _nps(
        "PT 3",
        "90% of risk of harm assessments and OASys sentence plans are completed on "
        "Prolific and other Priority Offenders within five working days of commencement of "
        "the order or release into the community",
        PROTECTION,
        _PCT,
        _NAT,
        _RATIO,
        national_value="90",
        weighting=10,
    ),
    _nps(
        "PT 4",
        "350 ICCP completions for offenders sentenced before implementation of the CJA",
        SENTENCE,
        _COUNT,
        _LOC,
        _SUM,
        notes=_COUNT_NOTE.format("350"),
    ),
    _nps(
        "PT 5",
        "90% of reports (\u201cexpedited\u201d and \u201cadjourned\u201d) provided "
        "within the timescale required by the court",
        SENTENCE,
        _PCT,
        _NAT,
        _RATIO,
        national_value="90",
        weighting=10,
    ),
    _nps(
        "PT 6",
        "Initiate breach proceedings in accordance with National Standards within "
        "10 working days in 90% of cases",
        SENTENCE,
        _PCT,
        _NAT,
        _RATIO,
        national_value="90",
        weighting=8,
    ),
    _nps(
        "PT 7",
        "Increase to 85% the proportion of orders or licences in which the offender complies",
        SENTENCE,
        _PCT,
        _NAT,
        _RATIO,
        national_value="85",
        weighting=8,
    ),
    _nps(
        "PT 8",
        "50,000 successful completions of ECP/unpaid work",
        SENTENCE,
        _COUNT,
        _LOC,
        _SUM,
        weighting=10,
        notes=_COUNT_NOTE.format("50,000"),
    ),
    _nps(
        "PT 9a",
        "Performance Target 9 (a): 40,000 Basic Skills starts",
        REOFFENDING,
        _COUNT,
        _LOC,
        _SUM,
        notes=_COUNT_NOTE.format("40,000") + " Part (a) of Performance Target 9.",
    ),
    _nps(
        "PT 9b",
        "Performance Target 9 (b): 8,033 Basic Skills awards (contributing, "
        "alongside the LSC-led partnership target of 1,967 awards, to a total of 10,000 "
        "awards for offenders in the community)",
        REOFFENDING,
        _COUNT,
        _LOC,
        _SUM,
        weighting=10,
        notes=_COUNT_NOTE.format("8,033") + " Part (b) of Performance Target 9.",
    ),
    _nps(
        "PT 10",
        "15,000 unemployed offenders find and keep employment or vocational "
        "training for four weeks or more during the course of their supervision",
        REOFFENDING,
        _COUNT,
        _LOC,
        _SUM,
        notes=_COUNT_NOTE.format("15,000"),
    ),
    _nps(
        "PT 11",
        "4,000 DTTO/DRR completions",
        REOFFENDING,
        _COUNT,
        _LOC,
        _SUM,
        weighting=10,
        notes=_COUNT_NOTE.format("4,000"),
    ),
    _nps(
        "PT 12",
        "15,000 accredited programme completions",
        REOFFENDING,
        _COUNT,
        _LOC,
        _SUM,
        weighting=10,
        notes=_COUNT_NOTE.format("15,000"),
    ),
    _nps(
        "PT 13",
        "Regionally set employment targets for minority ethnic staff",
        ORGANISATION,
        _PCT,
        _LOC,
        _LATEST,
    ),
    _nps(
        "PT 14",
        "95% of race and ethnic monitoring data on staff and offenders is returned "
        "on time and using the correct (Census 2001) classifications",
        ORGANISATION,
        _PCT,
        _NAT,
        _RATIO,
        national_value="95",
        weighting=10,
    ),
    _nps(
        "PT 15",
        "Staff sickness in the NPS not to exceed an average of nine days/annum",
        ORGANISATION,
        _DAYS,
        _NAT,
        _LATEST,
        national_value="9",
        direction=_LO,
    ),
    _nps(
        "PM 1",
        "90% of appointments to be arranged in accordance with National Standards",
        SENTENCE,
        _PCT,
        _NAT,
        _RATIO,
        national_value="90",
        weighting=2,
    ),
    _nps(
        "PM 2",
        "65% of appointments to be attended in accordance with National Standards",
        SENTENCE,
        _PCT,
        _NAT,
        _RATIO,
        national_value="65",
        weighting=2,
    ),
    _nps(
        "PM 3",
        "The proportion of cases where probation staff recommend a Community Order "
        "for offenders flagged by the court as coming within the low seriousness community "
        "order bracket and who have a low OGRS score",
        SENTENCE,
        _PCT,
        _LOC,
        _RATIO,
        direction=_LO,
        notes="Fewer such recommendations keep low-risk cases off caseloads.",
    ),
    _nps(
        "PM 4",
        "Percentage of offenders in suitable accommodation at end of order/licence "
        "compared to start",
        REOFFENDING,
        _PCT,
        _LOC,
        _RATIO,
    ),
    _nps(
        "PM 5",
        "16,000 DTTO/DRR commencements",
        REOFFENDING,
        _COUNT,
        _LOC,
        _SUM,
        notes=_COUNT_NOTE.format("16,000"),
    ),
    _nps(
        "PM 6",
        "90% of first contacts arranged (a) with the probation service for within "
        "one working day and (b) with the treatment provider for within two working days",
        REOFFENDING,
        _PCT,
        _NAT,
        _RATIO,
        national_value="90",
        notes="Both parts returned together: contacts meeting both limits.",
    ),
    _nps(
        "PM 7",
        "Percentage of offenders starting a programme out of the total number of "
        "programme requirements",
        REOFFENDING,
        _PCT,
        _LOC,
        _RATIO,
    ),
    _nps(
        "PM 8",
        "Percentage of offenders completing a programme out of the total who attend "
        "the first session",
        REOFFENDING,
        _PCT,
        _LOC,
        _RATIO,
    ),
)

MEASURES: tuple[MeasureRow, ...] = NOMS_MEASURES + NPS_MEASURES

#: Measured for the system as a whole: no provider targets or returns.
SYSTEM_ONLY = frozenset({"KPI 1", "KPI 4"})
#: Measures of the public-sector workforce: not set for contracted prisons.
PUBLIC_SECTOR_ONLY = frozenset({"KPI 12", "KPI 13"})

# -- targets ------------------------------------------------------------------------------
# 2009-10 targets by provider group (prison function or "probation"); National measures
# take their national value and are not listed. Values are per cent, days or counts.

_PUBLIC_PRISONS = ("local", "cat_b", "cat_c", "open", "women", "yoi", "yoi_open")


def _prisons(*values: str) -> dict[str, str]:
    """Values for each public prison function in order, then contracted prisons if given."""
    groups = (*_PUBLIC_PRISONS, "contracted")[: len(values)]
    return dict(zip(groups, values, strict=True))


GROUP_TARGETS: dict[str, dict[str, str]] = {
    "KPI 5": {"probation": "72"},
    #                 local  cat_b  cat_c  open   women  yoi    yoi_o  contracted
    "KPI 6": _prisons("9.5", "8.0", "8.5", "5.0", "7.0", "5.5", "4.5", "9.5"),
    "KPI 8": _prisons("24", "20", "28", "45", "18", "25", "40", "24") | {"probation": "42"},
    "KPI 9": _prisons("80", "82", "84", "90", "78", "85", "88", "80") | {"probation": "73"},
    "KPI 10": _prisons("1.6", "1.4", "1.0", "0.3", "1.2", "2.8", "0.8", "1.6"),
    "KPI 12": _prisons(*["10.5"] * 7) | {"probation": "9.5"},
    "KPI 13": _prisons("6.0", *["4.5"] * 6) | {"probation": "4.5"},
    "PT 13": {"probation": "4.5"},
    "PM 3": {"probation": "10"},
    "PM 4": {"probation": "75"},
    "PM 7": {"probation": "80"},
    "PM 8": {"probation": "75"},
}

#: Where one provider's target differs from its group's.
PROVIDER_TARGETS: dict[tuple[str, str], str] = {
    ("HMP Manchester", "KPI 13"): "8.0",
    ("Greater Manchester Probation Trust", "KPI 13"): "9.0",
    ("Greater Manchester Probation Trust", "PT 13"): "9.0",
    ("Merseyside Probation Trust", "KPI 13"): "6.5",
    ("Merseyside Probation Trust", "PT 13"): "6.5",
    ("Lancashire Probation Area", "KPI 13"): "6.0",
    ("Lancashire Probation Area", "PT 13"): "6.0",
    ("Merseyside Probation Trust", "KPI 5"): "73",
    ("Lancashire Probation Area", "KPI 5"): "74",
    ("Cheshire Probation Area", "KPI 5"): "75",
    ("Cumbria Probation Area", "KPI 5"): "76",
    # Voluntary and private providers: one or two locally set measures each.
    ("Nacro", "KPI 9"): "75",
    ("Shelter", "KPI 9"): "80",
    ("Shelter", "PM 4"): "70",
    ("Addaction", "PT 11"): "190",
    ("Addaction", "PM 5"): "470",
    ("Sova", "KPI 8"): "30",
    ("A4e", "KPI 8"): "35",
    ("A4e", "PT 10"): "900",
}

#: Yearly counts as a share of the caseload (probation areas), when no service line
#: buys the volume.
COUNT_PER_CASELOAD: dict[str, str] = {
    "PT 4": "0.0015",
    "PT 8": "0.37",
    "PT 9a": "0.28",
    "PT 9b": "0.057",
    "PT 10": "0.10",
    "PT 11": "0.028",
    "PT 12": "0.10",
    "PM 5": "0.11",
}
#: Count targets that equal the volume the SLA buys (service name).
COUNT_FROM_LINE: dict[str, str] = {"PT 8": UNPAID_WORK, "PM 5": DRR, "PT 12": PROGRAMMES}

#: 2008-09 targets where they differed: the 2008-09 national figures (seed 000).
PREVIOUS_GROUP_TARGETS: dict[str, dict[str, str]] = {
    "KPI 5": {"probation": "70"},
    "KPI 6": _prisons("8.5", "7.0", "7.5", "4.0", "6.0", "4.5", "3.5", "8.5"),
    "KPI 8": _prisons(*["26"] * 8) | {"probation": "40"},
    "KPI 9": _prisons(*["80"] * 8) | {"probation": "71"},
    "KPI 12": _prisons(*["11.0"] * 7) | {"probation": "10.0"},
}
#: 2008-09 count targets as a share of 2009-10's (volumes grew).
PREVIOUS_COUNT_PERCENT = 97

#: 2009-10 targets not yet agreed ("[x]%" in the draft SLA): left empty.
UNSET_TARGETS: frozenset[tuple[str, str]] = frozenset(
    {
        ("HMP Lancaster Castle", "KPI 8"),
        ("HMP Lancaster Castle", "KPI 9"),
        ("HMP Kennet", "KPI 6"),
        ("Cumbria Probation Area", "PT 12"),
        ("Cumbria Probation Area", "PM 8"),
        ("Lancashire Probation Area", "PT 9a"),
    }
)

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
