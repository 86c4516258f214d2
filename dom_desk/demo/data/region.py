"""The demo region itself: its name, years, the day it is set on, and how money is written."""

from __future__ import annotations


def pounds(amount: int) -> int:
    """Whole pounds as pence, exactly."""
    return amount * 100


REGION = "North West"
CURRENT_YEAR = "2009-10"
PREVIOUS_YEAR = "2008-09"
YEARS = (PREVIOUS_YEAR, CURRENT_YEAR)
#: The demo is set early in November 2009: September's returns are in (due 10 October),
#: October's are not yet due (10 November), so key dates fall due rather than lie past.
AS_OF = "2009-11-02"
REGION_NOTES = (
    "Demonstration workbook. The providers are real North West prisons, probation areas "
    "and organisations, and the measures, competitions and risks come from published NOMS "
    "and NPS plans; every amount, volume, capacity, target and result is illustrative, "
    "invented for the demo, and is not an actual figure."
)
ILLUSTRATIVE = "Illustrative figures for the demo, not actual."
RECORDED_BY = "demo"
