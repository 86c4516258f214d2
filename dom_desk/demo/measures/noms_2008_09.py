"""The NOMS Agency's 2008-09 targets the demo keeps as measures of their own (seed 000,
para 96), where no measure of the other catalogues counts the same thing."""

from __future__ import annotations

from dom_desk.demo.measures.rows import (
    COUNT,
    HI,
    LOC,
    PROBATION,
    REOFFENDING,
    SUM,
    MeasureRow,
)

NOMS_2008_09 = "NOMS Agency targets 2008-09"

NOMS_2008_09_MEASURES: tuple[MeasureRow, ...] = (
    MeasureRow(
        "DV",
        "The number of accredited domestic violence programme completions in the community "
        "is at least 2,397",
        REOFFENDING,
        COUNT,
        HI,
        PROBATION,
        LOC,
        SUM,
        NOMS_2008_09,
        notes="National total 2,397 in 2008-09 (NOMS Agency Strategic and Business Plans "
        "2009-10 to 2010-11, para 96); area shares are set with the DOM and are illustrative.",
    ),
)
