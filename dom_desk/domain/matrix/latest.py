"""The latest period's figures of the snapshot ("latest value") measures, as stored
(internal, in the caller's session like :mod:`.totals`): a snapshot is never summed, so
its cell shows the figure of each group's latest period, read apart from the totals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from dom_desk.domain.matrix.totals import WindowPeriod, driver_rows, raw
from dom_desk.domain.performance import CURRENT
from dom_desk.models import Period, PeriodKind, Result

#: Providers per statement when results are sought by index: well under any driver's
#: limit on bound parameters.
_CHUNK = 500


def load_latest(
    session: Session, last: Collection[tuple[int, int, int]]
) -> dict[tuple[int, int, int], tuple[Any, Any, Any]]:
    """The (actual, numerator, denominator), as stored, of the given (provider, measure,
    period) results: each group's latest period, as :func:`.totals.totals_query` found them.

    Sought by the current-results index, one statement per latest period (most groups
    share the window's last one) naming its providers and measures, rather than scanning
    every result of the measures."""
    if not last:
        return {}
    r = Result
    by_period: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for provider_id, measure_id, period_id in last:
        by_period[period_id].append((provider_id, measure_id))
    wanted = set(last)
    found: dict[tuple[int, int, int], tuple[Any, Any, Any]] = {}
    for period_id, pairs in by_period.items():
        providers = sorted({p for p, _m in pairs})
        measures = {m for _p, m in pairs}
        for i in range(0, len(providers), _CHUNK):
            rows = driver_rows(
                session,
                select(
                    r.provider_id,
                    r.measure_id,
                    raw(r.actual),
                    raw(r.numerator),
                    raw(r.denominator),
                ).where(
                    CURRENT,
                    r.provider_id.in_(providers[i : i + _CHUNK]),
                    r.measure_id.in_(measures),
                    r.period_id == period_id,
                ),
            )
            for p, m, a, n, d in rows:
                if (p, m, period_id) in wanted:
                    found[(p, m, period_id)] = (a, n, d)
    return found


def latest_by_start(
    session: Session, periods: Collection[WindowPeriod], measure_ids: Collection[int]
) -> dict[tuple[int, PeriodKind, int], tuple[Any, Any, Any]]:
    """The latest period's (actual, numerator, denominator), as stored, of every provider
    on the given measures, keyed by (provider, kind of period, measure): for windows
    whose periods are not :func:`numbered`."""
    if not measure_ids or not periods:
        return {}
    r = Result
    ids = [p.id for p in periods]
    last = (
        select(r.provider_id, r.measure_id, Period.kind, func.max(Period.start).label("start"))
        .join(Period, Period.id == r.period_id)
        .where(CURRENT, r.period_id.in_(ids), r.measure_id.in_(measure_ids))
        .group_by(r.provider_id, r.measure_id, Period.kind)
        .subquery()
    )
    rows = session.connection().execute(
        select(
            r.provider_id,
            Period.kind,
            r.measure_id,
            raw(r.actual),
            raw(r.numerator),
            raw(r.denominator),
        )
        .join(Period, Period.id == r.period_id)
        .join(
            last,
            and_(
                last.c.provider_id == r.provider_id,
                last.c.measure_id == r.measure_id,
                last.c.kind == Period.kind,
                last.c.start == Period.start,
            ),
        )
        .where(CURRENT, r.period_id.in_(ids))
    )
    return {(p, kind, m): (a, n, d) for p, kind, m, a, n, d in rows}
