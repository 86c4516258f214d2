"""The NPS Business Plan 2005-06 measures, Annex B (seed 001); floors illustrative."""

from __future__ import annotations

from dom_desk.demo.measures.rows import (
    COUNT,
    DAYS,
    LATEST,
    LO,
    LOC,
    NAT,
    ORGANISATION,
    PCT,
    PROTECTION,
    RATIO,
    REOFFENDING,
    SENTENCE,
    SUM,
    MeasureRow,
    nps,
)

_COUNT_NOTE = "National total {}; area shares are set with the DOM."
#: Where seed 000 prints the count's 2008-09 national target: these counts apply in
#: 2008-09 only (``catalogue.PROGRAMME_COUNTS``), worded as the NPS 2005-06 plan printed.
_IN_2008_09 = (
    " 2008-09 national target: {} (NOMS Agency Strategic and Business Plans 2009-10 to "
    "2010-11, para {}); the area shares are illustrative."
)

NPS_MEASURES: tuple[MeasureRow, ...] = (
    nps(
        "PT 1",
        "90% of risk of harm assessments, risk management plans and OASys sentence "
        "plans on high risk offenders are completed within five working days of the "
        "commencement of the order or release into the community",
        PROTECTION,
        PCT,
        NAT,
        RATIO,
        national_value="90",
        weighting=10,
    ),
    nps(
        "PT 2",
        "85% of victims to be contacted within eight weeks of an offender receiving "
        "12 or more months' imprisonment for a serious sexual or violent offence",
        PROTECTION,
        PCT,
        NAT,
        RATIO,
        national_value="85",
    ),
    nps(
        "PT 3",
        "90% of risk of harm assessments and OASys sentence plans are completed on "
        "Prolific and other Priority Offenders within five working days of commencement of "
        "the order or release into the community",
        PROTECTION,
        PCT,
        NAT,
        RATIO,
        national_value="90",
        weighting=10,
    ),
    nps(
        "PT 4",
        "350 ICCP completions for offenders sentenced before implementation of the CJA",
        SENTENCE,
        COUNT,
        LOC,
        SUM,
        notes=_COUNT_NOTE.format("350"),
    ),
    nps(
        "PT 5",
        "90% of reports (\u201cexpedited\u201d and \u201cadjourned\u201d) provided "
        "within the timescale required by the court",
        SENTENCE,
        PCT,
        NAT,
        RATIO,
        national_value="90",
        weighting=10,
    ),
    nps(
        "PT 6",
        "Initiate breach proceedings in accordance with National Standards within "
        "10 working days in 90% of cases",
        SENTENCE,
        PCT,
        NAT,
        RATIO,
        national_value="90",
        weighting=8,
    ),
    nps(
        "PT 7",
        "Increase to 85% the proportion of orders or licences in which the offender complies",
        SENTENCE,
        PCT,
        NAT,
        RATIO,
        national_value="85",
        weighting=8,
    ),
    nps(
        "PT 8",
        "50,000 successful completions of ECP/unpaid work",
        SENTENCE,
        COUNT,
        LOC,
        SUM,
        weighting=10,
        notes=_COUNT_NOTE.format("50,000 in 2005-06")
        + _IN_2008_09.format("at least 47,347 unpaid work completions", 96),
    ),
    nps(
        "PT 9a",
        "Performance Target 9 (a): 40,000 Basic Skills starts",
        REOFFENDING,
        COUNT,
        LOC,
        SUM,
        notes=_COUNT_NOTE.format("40,000") + " Part (a) of Performance Target 9.",
    ),
    nps(
        "PT 9b",
        "Performance Target 9 (b): 8,033 Basic Skills awards (contributing, "
        "alongside the LSC-led partnership target of 1,967 awards, to a total of 10,000 "
        "awards for offenders in the community)",
        REOFFENDING,
        COUNT,
        LOC,
        SUM,
        weighting=10,
        notes=_COUNT_NOTE.format("8,033") + " Part (b) of Performance Target 9.",
    ),
    nps(
        "PT 10",
        "15,000 unemployed offenders find and keep employment or vocational "
        "training for four weeks or more during the course of their supervision",
        REOFFENDING,
        COUNT,
        LOC,
        SUM,
        notes=_COUNT_NOTE.format("15,000 in 2005-06")
        + _IN_2008_09.format(
            "at least 14,430 offenders under supervision find and sustain employment", 100
        ),
    ),
    nps(
        "PT 11",
        "4,000 DTTO/DRR completions",
        REOFFENDING,
        COUNT,
        LOC,
        SUM,
        weighting=10,
        notes=_COUNT_NOTE.format("4,000 in 2005-06")
        + _IN_2008_09.format("at least 5,818 DRR completions", 96),
    ),
    nps(
        "PT 12",
        "15,000 accredited programme completions",
        REOFFENDING,
        COUNT,
        LOC,
        SUM,
        weighting=10,
        notes=_COUNT_NOTE.format("15,000"),
    ),
    nps(
        "PT 13",
        "Regionally set employment targets for minority ethnic staff",
        ORGANISATION,
        PCT,
        LOC,
        LATEST,
    ),
    nps(
        "PT 14",
        "95% of race and ethnic monitoring data on staff and offenders is returned "
        "on time and using the correct (Census 2001) classifications",
        ORGANISATION,
        PCT,
        NAT,
        RATIO,
        national_value="95",
        weighting=10,
    ),
    nps(
        "PT 15",
        "Staff sickness in the NPS not to exceed an average of nine days/annum",
        ORGANISATION,
        DAYS,
        NAT,
        LATEST,
        national_value="9",
        direction=LO,
    ),
    nps(
        "PM 1",
        "90% of appointments to be arranged in accordance with National Standards",
        SENTENCE,
        PCT,
        NAT,
        RATIO,
        national_value="90",
        weighting=2,
    ),
    nps(
        "PM 2",
        "65% of appointments to be attended in accordance with National Standards",
        SENTENCE,
        PCT,
        NAT,
        RATIO,
        national_value="65",
        weighting=2,
    ),
    nps(
        "PM 3",
        "The proportion of cases where probation staff recommend a Community Order "
        "for offenders flagged by the court as coming within the low seriousness community "
        "order bracket and who have a low OGRS score",
        SENTENCE,
        PCT,
        LOC,
        RATIO,
        direction=LO,
        notes="Fewer such recommendations keep low-risk cases off caseloads.",
    ),
    nps(
        "PM 4",
        "Percentage of offenders in suitable accommodation at end of order/licence "
        "compared to start",
        REOFFENDING,
        PCT,
        LOC,
        RATIO,
    ),
    nps(
        "PM 5",
        "16,000 DTTO/DRR commencements",
        REOFFENDING,
        COUNT,
        LOC,
        SUM,
        notes=_COUNT_NOTE.format("16,000 in 2005-06")
        + _IN_2008_09.format("at least 16,277 offenders starting a DRR", 96),
    ),
    nps(
        "PM 6",
        "90% of first contacts arranged (a) with the probation service for within "
        "one working day and (b) with the treatment provider for within two working days",
        REOFFENDING,
        PCT,
        NAT,
        RATIO,
        national_value="90",
        notes="Both parts returned together: contacts meeting both limits.",
    ),
    nps(
        "PM 7",
        "Percentage of offenders starting a programme out of the total number of "
        "programme requirements",
        REOFFENDING,
        PCT,
        LOC,
        RATIO,
    ),
    nps(
        "PM 8",
        "Percentage of offenders completing a programme out of the total who attend "
        "the first session",
        REOFFENDING,
        PCT,
        LOC,
        RATIO,
    ),
)
