"""Current results as a flat table: one row per provider, measure and period (written out
as CSV or xlsx by ``exports.results_export``)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import aliased

from dom_desk.domain.applicability import code_order
from dom_desk.domain.region import year_by_label
from dom_desk.domain.status import compare
from dom_desk.domain.values import Kind
from dom_desk.models import Measure, Period, Provider, Result, Submission, Target
from dom_desk.storage.workbook import Workbook

HEADERS = (
    "provider",
    "measure_code",
    "period",
    "actual",
    "numerator",
    "denominator",
    "target",
    "status",
    "source_file",
)
KINDS = (
    Kind.TEXT,
    Kind.TEXT,
    Kind.TEXT,
    Kind.DECIMAL,
    Kind.DECIMAL,
    Kind.DECIMAL,
    Kind.DECIMAL,
    Kind.TEXT,
    Kind.TEXT,
)
FORMATS = ("csv", "xlsx")

Row = tuple[str, str, str, Decimal | None, Decimal | None, Decimal | None, Decimal | None, str, str]


def result_rows(wb: Workbook, year: str | None = None) -> list[Row]:
    """Every current (not superseded) result, with its target and status, in the order
    provider, period, measure code."""
    submission = aliased(Submission)
    query = (
        select(
            Provider.name,
            Measure.code,
            Period.code,
            Period.start,
            Result.actual,
            Result.numerator,
            Result.denominator,
            Target.value,
            Measure.direction,
            Measure.tolerance,
            Result.source,
            submission.file_name,
        )
        .join(Result.provider)
        .join(Result.measure)
        .join(Result.period)
        .outerjoin(submission, Result.submission_id == submission.id)
        .outerjoin(
            Target,
            (Target.measure_id == Result.measure_id)
            & (Target.provider_id == Result.provider_id)
            & (Target.year_id == Period.year_id),
        )
        .where(Result.superseded.is_(False))
    )
    with wb.session() as session:
        if year:
            query = query.where(Period.year_id == year_by_label(session, year).id)
        found = session.execute(query).all()
    found.sort(key=lambda r: (r[0].casefold(), r[3], code_order(r[1])))
    return [
        (
            r[0],
            r[1],
            r[2],
            _plain(r[4]),
            _plain(r[5]),
            _plain(r[6]),
            _plain(r[7]),
            compare(r[8], r[9], r[4], r[7]).label,
            r[11] or r[10] or "",
        )
        for r in found
    ]


def _plain(value: Decimal | None) -> Decimal | None:
    """Drops the stored scale's trailing zeros (90.000000 -> 90)."""
    if value is None:
        return None
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal
