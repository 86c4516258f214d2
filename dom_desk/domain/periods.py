"""Financial years (April to March, ``2009-10``), quarters and months, and date arithmetic."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from dom_desk.errors import ValidationError
from dom_desk.models.base import PeriodKind

_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-M)?$", re.IGNORECASE)
_MONTH_NAME = re.compile(r"^([A-Za-z]{3,9})\s+(\d{4})$")
#: A quarter as its label reads, ``Q1 2009-10``.
_QUARTER_LABEL = re.compile(r"^Q([1-4])\s+(\d{4}-\d{2})$", re.IGNORECASE)
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
#: Days after a period ends by which its return is due.
RETURN_DUE_DAYS = 10


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's end (31 Aug - 6 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def year_label(start_year: int) -> str:
    """``2009`` -> ``2009-10``."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def year_of(day: date) -> str:
    """The financial year a date falls in."""
    return year_label(day.year if day.month >= 4 else day.year - 1)


def parse_year(label: str) -> int:
    """``2009-10`` -> 2009; refuses labels whose halves are not consecutive years."""
    match = _YEAR.match(label.strip())
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValidationError(f"'{label}' is not a financial year (write it like 2009-10)")
    return int(match.group(1))


@dataclass(frozen=True)
class PeriodSpec:
    code: str
    kind: PeriodKind
    start: date
    end: date

    @property
    def due(self) -> date:
        return date.fromordinal(self.end.toordinal() + RETURN_DUE_DAYS)


def month_code(year: int, month: int) -> str:
    """``2009-04``; the one month a year whose code reads as a financial year (October
    2009 would be ``2009-10``) is written ``2009-10-M`` instead."""
    code = f"{year}-{month:02d}"
    return f"{code}-M" if (year + 1) % 100 == month else code


def _month(year: int, month: int) -> PeriodSpec:
    return PeriodSpec(
        month_code(year, month), PeriodKind.MONTH, date(year, month, 1), month_end(year, month)
    )


def parse_period(code: str) -> PeriodSpec:
    """``2009-10`` (a year), ``2009-10-Q1`` (April to June) or ``2009-04`` (a month).

    Months may also be written ``Apr 2009`` and quarters ``Q1 2009-10``, as
    ``period_label`` shows them; ``2009-10`` is always the financial year, so October 2009
    is ``2009-10-M`` or ``Oct 2009``.
    """
    text = code.strip()
    labelled = _QUARTER_LABEL.match(text)
    if labelled:
        text = f"{labelled.group(2)}-Q{labelled.group(1)}"
    quarter = _QUARTER.match(text)
    if quarter:
        start_year = parse_year(f"{quarter.group(1)}-{quarter.group(2)}")
        q = int(quarter.group(3))
        start = add_months(date(start_year, 4, 1), 3 * (q - 1))
        end_month = add_months(start, 2)
        return PeriodSpec(
            f"{year_label(start_year)}-Q{q}",
            PeriodKind.QUARTER,
            start,
            month_end(end_month.year, end_month.month),
        )
    year = _YEAR.match(text)
    if year and (int(year.group(1)) + 1) % 100 == int(year.group(2)):
        first = int(year.group(1))
        return PeriodSpec(text, PeriodKind.YEAR, date(first, 4, 1), date(first + 1, 3, 31))
    month = _MONTH.match(text)
    if month and 1 <= int(month.group(2)) <= 12:
        return _month(int(month.group(1)), int(month.group(2)))
    named = _MONTH_NAME.match(text)
    if named and named.group(1)[:3].lower() in _MONTHS:
        return _month(int(named.group(2)), _MONTHS[named.group(1)[:3].lower()])
    raise ValidationError(
        f"'{code}' is not a period (write 2009-10 for a year, 2009-10-Q1 for a quarter "
        "or 2009-04 for a month)"
    )


def spec_label(spec: PeriodSpec) -> str:
    """What a person reads for a period: ``Oct 2009`` for a month, ``Q1 2009-10`` for a
    quarter, ``2009-10`` for a year."""
    if spec.kind is PeriodKind.MONTH:
        return f"{calendar.month_abbr[spec.start.month]} {spec.start.year}"
    if spec.kind is PeriodKind.QUARTER:
        return f"{spec.code[-2:].upper()} {year_of(spec.start)}"
    return year_of(spec.start)


def period_label(code: str) -> str:
    """The label a person reads for a period code; codes stay what the command line
    accepts and files store. ``2009-04`` -> ``Apr 2009``; ``2009-10-M`` (the month of
    October 2009, written so because ``2009-10`` is the year) -> ``Oct 2009``;
    ``2009-10-Q1`` -> ``Q1 2009-10``; ``2009-10`` -> ``2009-10``. Text that is not a
    period code is returned as it is, so a label is never lost."""
    try:
        return spec_label(parse_period(code))
    except ValidationError:
        return code


def canonical_code(text: str) -> str:
    """The code of a period written either way (``Q1 2009-10`` -> ``2009-10-Q1``, ``Oct
    2009`` -> ``2009-10-M``); text that is not a period is returned as it is."""
    try:
        return parse_period(text).code
    except ValidationError:
        return text


def periods_of_year(start_year: int) -> list[PeriodSpec]:
    """The year itself, its four quarters and its twelve months."""
    label = year_label(start_year)
    specs = [parse_period(label)]
    specs += [parse_period(f"{label}-Q{q}") for q in range(1, 5)]
    for offset in range(12):
        first = add_months(date(start_year, 4, 1), offset)
        specs.append(_month(first.year, first.month))
    return specs


def format_date(day: date | None) -> str:
    """UK style, ``31/03/2010``; empty for no date."""
    return day.strftime("%d/%m/%Y") if day else ""


def parse_date(text: str, where: str = "") -> date | None:
    """A date typed the UK way (``31/03/2010``, ``31/3/10``) or ISO; empty gives None."""
    raw = text.strip()
    if not raw:
        return None
    for pattern in (r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$", r"^(\d{1,2})-(\d{1,2})-(\d{4})$"):
        match = re.match(pattern, raw)
        if match:
            d, m, y = (int(g) for g in match.groups())
            y = y + 2000 if y < 100 else y
            try:
                return date(y, m, d)
            except ValueError:
                break
    else:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise ValidationError(f"'{raw}' is not a date (write it like 31/03/2010)", where)
