"""Contract terms derived from the original agreement plus its dated variations."""

from __future__ import annotations

from datetime import date, timedelta

from dom_desk.domain.periods import add_months
from dom_desk.models import Agreement


def current_value(agreement: Agreement, on: date | None = None) -> int | None:
    """Annual value in pence: the original plus every value variation effective by ``on``."""
    if agreement.annual_value is None:
        return None
    value = agreement.annual_value
    for variation in agreement.variations:
        if variation.value_change is not None and (on is None or variation.effective <= on):
            value += variation.value_change
    return value


def current_end(agreement: Agreement, on: date | None = None) -> date | None:
    """The end date after the latest duration variation effective by ``on``."""
    end = agreement.end
    for variation in agreement.variations:
        if variation.new_end is not None and (on is None or variation.effective <= on):
            end = variation.new_end
    return end


def notice_date(agreement: Agreement) -> date | None:
    """The last day notice can be given: the current end less the notice period."""
    end = current_end(agreement)
    if end is None or agreement.notice_months is None:
        return None
    return add_months(end, -agreement.notice_months)


def term_months(start: date, end: date) -> int:
    """Whole months from ``start`` to the day after ``end`` (1/4/2008 to 31/3/2013 is 60)."""
    after = end + timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    return months - (1 if after.day < start.day else 0)


def whole_life_value(agreement: Agreement) -> int | None:
    """Current annual value over the whole term (whole months), in pence."""
    value, end = current_value(agreement), current_end(agreement)
    if value is None or end is None or agreement.start is None:
        return None
    return value * term_months(agreement.start, end) // 12
