"""Current results as a flat table (CSV or xlsx): one row per provider, measure and period."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import aliased

from dom_desk.domain.applicability import code_order
from dom_desk.domain.region import year_by_label
from dom_desk.domain.status import compare
from dom_desk.domain.values import Kind
from dom_desk.errors import ValidationError
from dom_desk.exports.xlsx_tables import Sheet, write_sheets
from dom_desk.files import atomic_path
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


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _csv_lines(rows: list[Row]) -> Iterator[list[str]]:
    yield list(HEADERS)
    for row in rows:
        yield [_csv_text(v) for v in row]


def export_results(
    wb: Workbook, path: Path, year: str | None = None, file_format: str | None = None
) -> int:
    """Writes the results to ``path`` as CSV or xlsx (from the suffix unless given);
    returns the number of rows written."""
    path = Path(path)
    chosen = (file_format or path.suffix.lstrip(".") or "csv").casefold()
    if chosen not in FORMATS:
        raise ValidationError(
            f"'{chosen}' is not a format for results (use csv or xlsx)", "--format"
        )
    rows = result_rows(wb, year)
    if chosen == "xlsx":
        title = f"Results {year}" if year else "Results"
        write_sheets(path, [Sheet(title, HEADERS, KINDS, rows)])
    else:
        with (
            atomic_path(path) as temporary,
            temporary.open("w", newline="", encoding="utf-8") as handle,
        ):
            csv.writer(handle, lineterminator="\n").writerows(_csv_lines(rows))
    return len(rows)
