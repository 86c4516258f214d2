"""Dates as plans write them: wording kept, a best date beside it, fuzzy when coarse."""

from __future__ import annotations

from datetime import date

import pytest

from dom_desk.domain.fuzzy_dates import Precision, is_fuzzy, parse_fuzzy


@pytest.mark.parametrize(
    ("text", "best", "precision"),
    [
        ("June 2010", date(2010, 6, 30), Precision.MONTH),
        ("Sept 2010", date(2010, 9, 30), Precision.MONTH),
        ("Summer 2009", date(2009, 8, 31), Precision.SEASON),
        ("Winter 2009", date(2010, 2, 28), Precision.SEASON),
        ("Q4 2009-10", date(2010, 3, 31), Precision.SEASON),
        ("Through 2018", date(2018, 12, 31), Precision.YEAR),
        ("Ongoing through 2018-19", date(2019, 3, 31), Precision.YEAR),
        ("31/03/2010", date(2010, 3, 31), Precision.DAY),
        ("c. June 2009", date(2009, 6, 30), Precision.SEASON),
        # Seed 004: several dates named, the last is the delivery date.
        (
            "Key worker will be rolled out across all prisons by March 2019. Implementation by "
            "September 2019.",
            date(2019, 9, 30),
            Precision.MONTH,
        ),
        ("Tbc", None, Precision.NONE),
        ("Ongoing", None, Precision.NONE),
    ],
)
def test_wording_gives_a_best_date(text, best, precision) -> None:
    parsed = parse_fuzzy(text)
    assert (parsed.best, parsed.precision, parsed.text) == (best, precision, text)


def test_months_and_days_are_precise_seasons_and_tbc_are_fuzzy() -> None:
    assert not is_fuzzy("June 2009") and not is_fuzzy("") and not is_fuzzy("30/06/2009")
    assert is_fuzzy("Summer 2009") and is_fuzzy("Tbc") and is_fuzzy("Through 2018")
