"""Dates as plans write them: "June 2010", "Summer 2009", "Through 2018", "Tbc".

The wording is always kept; beside it goes a best-estimate date, the last day the wording
allows (a plan's "March 2019" means "by the end of March 2019"), so that a fuzzy date
still sorts, falls due and draws on the timeline. Wording with no date in it ("Tbc",
"Ongoing", "n/a") has no best date.
"""

from __future__ import annotations

import calendar
import enum
import re
from dataclasses import dataclass
from datetime import date

from dom_desk.domain.periods import format_date, month_end

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
#: Seasons as the last month they cover (winter 2009 is December 2009 to February 2010).
_SEASONS = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11, "winter": 14}
_MONTH_WORD = "|".join(sorted(_MONTHS, key=len, reverse=True))
_SEASON_WORD = "|".join(_SEASONS)
_DAY = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_YEAR = re.compile(rf"\b({_MONTH_WORD})\.?\s+(\d{{4}})\b", re.IGNORECASE)
_SEASON_YEAR = re.compile(rf"\b({_SEASON_WORD})\s+(\d{{4}})\b", re.IGNORECASE)
_FIN_YEAR = re.compile(r"\b(\d{4})-(\d{2})\b")
_QUARTER = re.compile(r"\bQ([1-4])\s+(\d{4})-(\d{2})\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
#: Words that make any date approximate ("c. June 2009", "about March 2010").
_APPROXIMATE = re.compile(
    r"(?:^|\s)(?:c\.|ca\.|circa|about|around|approx\.?|approximately)"
    r"(?:\s|$)",
    re.IGNORECASE,
)


class Precision(enum.IntEnum):
    """How exact the wording is; anything coarser than a month is shown as fuzzy."""

    DAY = 0
    MONTH = 1
    SEASON = 2
    YEAR = 3
    NONE = 4


@dataclass(frozen=True)
class FuzzyDate:
    text: str
    best: date | None
    precision: Precision

    @property
    def fuzzy(self) -> bool:
        return self.precision >= Precision.SEASON

    def display(self) -> str:
        """The wording if there is any, else the date the UK way."""
        return self.text or format_date(self.best)


def _candidates(text: str) -> list[tuple[date, Precision]]:
    found: list[tuple[date, Precision]] = []
    spans: list[tuple[int, int]] = []

    def free(match: re.Match[str]) -> bool:
        start, end = match.span()
        if any(start < e and s < end for s, e in spans):
            return False
        spans.append((start, end))
        return True

    for match in _DAY.finditer(text):
        d, m, y = (int(g) for g in match.groups())
        try:
            day = date(y, m, d)
        except ValueError:
            continue
        if free(match):
            found.append((day, Precision.DAY))
    for match in _ISO.finditer(text):
        try:
            day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            continue
        if free(match):
            found.append((day, Precision.DAY))
    for match in _MONTH_YEAR.finditer(text):
        if free(match):
            month = _MONTHS[match.group(1).lower()]
            found.append((month_end(int(match.group(2)), month), Precision.MONTH))
    for match in _SEASON_YEAR.finditer(text):
        if free(match):
            last = _SEASONS[match.group(1).lower()]
            year = int(match.group(2)) + (last - 1) // 12
            found.append((month_end(year, (last - 1) % 12 + 1), Precision.SEASON))
    for match in _QUARTER.finditer(text):
        first = int(match.group(2))
        if (first + 1) % 100 == int(match.group(3)) and free(match):
            index = first * 12 + 3 + 3 * int(match.group(1)) - 1  # last month of the quarter
            found.append((month_end(index // 12, index % 12 + 1), Precision.SEASON))
    for match in _FIN_YEAR.finditer(text):
        first = int(match.group(1))
        if (first + 1) % 100 == int(match.group(2)) and free(match):
            found.append((date(first + 1, 3, 31), Precision.YEAR))
    for match in _YEAR.finditer(text):
        if free(match):
            found.append((date(int(match.group(1)), 12, 31), Precision.YEAR))
    return found


def parse_fuzzy(text: str) -> FuzzyDate:
    """Reads a plan's date wording. Where it names several dates ("from June 2017 ... by
    March 2019") the latest is the delivery date."""
    raw = " ".join(text.split())
    found = _candidates(raw)
    if not found:
        return FuzzyDate(raw, None, Precision.NONE)
    best, precision = max(found, key=lambda c: c[0])
    if _APPROXIMATE.search(raw):
        precision = max(precision, Precision.SEASON)
    return FuzzyDate(raw, best, precision)


def fuzzy_from(best: date | None, text: str) -> FuzzyDate:
    """A stored pair (best date, wording) as a FuzzyDate, for display and drawing."""
    if not text:
        return FuzzyDate("", best, Precision.DAY if best else Precision.NONE)
    parsed = parse_fuzzy(text)
    return FuzzyDate(text, best if best is not None else parsed.best, parsed.precision)


def is_fuzzy(text: str) -> bool:
    """Whether stored wording is coarser than a month (or names no date at all)."""
    return bool(text) and parse_fuzzy(text).fuzzy


def month_text(day: date) -> str:
    """``June 2009``: how the plans write a month."""
    return f"{calendar.month_name[day.month]} {day.year}"
