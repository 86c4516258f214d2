"""The NOMS Agency KPIs 2009-10 as published (seed 000); floors illustrative.

Paragraph numbers in the notes are those of seed 000 (NOMS Agency Strategic and Business
Plans 2009-10 to 2010-11), which prints the 2008-09 targets in paras 96 to 102.
"""

from __future__ import annotations

from dom_desk.demo.measures.rows import (
    BOTH,
    COUNT,
    DAYS,
    DECENCY,
    HI,
    LATEST,
    LO,
    LOC,
    NAT,
    ORGANISATION,
    PCT,
    PRISON,
    PRISONER_YEARS,
    PROBATION,
    PROTECTION,
    RATIO,
    REG,
    REOFFENDING,
    SENTENCE,
    SUM,
    MeasureRow,
    kpi,
)
from dom_desk.models import MeasureUnit

NOMS_MEASURES: tuple[MeasureRow, ...] = (
    kpi(
        1,
        "Reduce re-offending (PSA 23)",
        REOFFENDING,
        PCT,
        HI,
        BOTH,
        NAT,
        LATEST,
        national_value="10",
        notes="This is the National PSA. Target guidance: 10% "
        "reduction. Measured nationally on annual cohorts, not in provider returns.",
    ),
    kpi(
        2,
        "No Category A escapes",
        PROTECTION,
        COUNT,
        LO,
        PRISON,
        NAT,
        SUM,
        national_value="0",
        notes="Prison only.",
    ),
    kpi(
        3,
        "Rate of escapes from prison and prison escorts to be no more than x% of the "
        "average prison population",
        PROTECTION,
        PCT,
        LO,
        PRISON,
        NAT,
        RATIO,
        national_value="0.05",
        notes="Prison only. 0.05% is the 2008-09 target (NOMS plan 2009-10, para 102); "
        "2009-10's is not printed, and the demo's 0.05% for 2009-10 is illustrative. "
        + PRISONER_YEARS,
    ),
    kpi(
        4,
        "Fewer than 1 in x escapes from contractor escorts",
        PROTECTION,
        MeasureUnit.ONE_IN_X,
        HI,
        PRISON,
        NAT,
        RATIO,
        national_value="20000",
        notes="Prison only. 2008-09: fewer than 1 escape for every 20,000 movements. "
        "Escort contracts are managed nationally, so no establishment targets.",
    ),
    kpi(
        5,
        "% of orders or licences successfully completed",
        SENTENCE,
        PCT,
        HI,
        PROBATION,
        REG,
        RATIO,
        floor="70",
        notes="Probation only. 2008-09: 70% of orders or licences completed successfully "
        "(NOMS plan 2009-10, para 96). The North West minimum of 70% for 2009-10 carries "
        "it forward and is illustrative.",
    ),
    kpi(
        6,
        "The rate of drug misuse in prisons is less than x% as reflected by those testing "
        "positive in mandatory drug tests",
        REOFFENDING,
        PCT,
        LO,
        PRISON,
        LOC,
        RATIO,
        notes="In 2009-10 includes buprenorphine (target will reflect this). Prison only. "
        "2008-09 national target: less than 9.3% (NOMS plan 2009-10, para 98), every "
        "prison's 2008-09 target here; the 2009-10 targets, re-baselined, are illustrative.",
    ),
    kpi(
        7,
        "The proportion of accredited programme starts that meet the OGRS/Risk of Serious "
        "Harm eligibility criteria where relevant to be at least x%",
        REOFFENDING,
        PCT,
        HI,
        BOTH,
        NAT,
        RATIO,
        national_value="81",
        notes="Ensuring the right offenders are on programmes. 81% is the 2008-09 target "
        "for programme starts in the community (NOMS plan 2009-10, para 96); for prisons, "
        "and for 2009-10, the demo's 81% is illustrative.",
    ),
    kpi(
        8,
        "The percentage of offenders in employment at termination of their sentence, "
        "order or licence to be at least x% (PSA 16)",
        REOFFENDING,
        PCT,
        HI,
        BOTH,
        LOC,
        RATIO,
        notes="Integrated agency indicator. 2008-09: 40% (probation), 26% of "
        "prisoners entering employment on release.",
    ),
    kpi(
        9,
        "The percentage of offenders in settled and suitable accommodation at the end of "
        "their sentence, order or licence to be at least x% (PSA 16)",
        REOFFENDING,
        PCT,
        HI,
        BOTH,
        LOC,
        RATIO,
        notes="Integrated agency indicator. 2008-09: 71% "
        "(probation), 80% of prisoners moving to settled accommodation on release.",
    ),
    kpi(
        10,
        "The rate of serious assaults is less than x.x% of the prison population",
        DECENCY,
        PCT,
        LO,
        PRISON,
        LOC,
        RATIO,
        notes="Prison only. " + PRISONER_YEARS,
    ),
    kpi(
        11,
        "The percentage of prisoners held in overcrowded accommodation is less than x% "
        "across the prison system",
        DECENCY,
        PCT,
        LO,
        PRISON,
        NAT,
        RATIO,
        national_value="26",
        notes="Proxy for capacity measure. Prison only. National <26%.",
    ),
    kpi(
        12,
        "Staff sickness does not exceed an average of x.x days per annum in public sector",
        ORGANISATION,
        DAYS,
        LO,
        BOTH,
        NAT,
        LATEST,
        notes="Integrated agency indicator. Returns give the rolling 12-month average. The "
        "national figure is not printed; the demo's targets are illustrative.",
    ),
    kpi(
        13,
        "Ethnic minority staff for the NOMS Agency, expressed as a proportion of the "
        "workforce who have declared their ethnicity, is at least x.x% by April 2010",
        ORGANISATION,
        PCT,
        HI,
        BOTH,
        REG,
        LATEST,
        floor="4.5",
        notes="Assuming a joint prison and probation target. The North West minimum of "
        "4.5% is illustrative.",
    ),
)
