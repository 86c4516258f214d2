"""Performance from the command line: the matrix to xlsx, a trend chart to PNG.

dom-desk export matrix --db PATH [--period P | --year Y] [--kind K] [--problems-only]
                       -o FILE.xlsx
dom-desk export trend --db PATH --measure CODE [--provider NAME] [--year Y] -o FILE.png
dom-desk tolerance --db PATH [--measure CODE --percent N]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dom_desk.cli.workbook_commands import add_db
from dom_desk.domain.kinds import ProviderKind
from dom_desk.errors import ValidationError
from dom_desk.storage.workbook import open_workbook


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    tolerance = commands.add_parser(
        "tolerance",
        help="list or set how close to target counts as near",
        description="Without --measure, lists every measure's tolerance. With --measure "
        "and --percent, sets it: a figure short of its target by no more than that share "
        "of the target is 'near' rather than 'missed' (the default is 5).",
    )
    add_db(tolerance)
    tolerance.add_argument("--measure", metavar="CODE", help="e.g. 'PT 1'")
    tolerance.add_argument("--percent", metavar="N", help="per cent of the target, 0 to 100")
    tolerance.set_defaults(handler=_tolerance)

    matrix = exports.add_parser(
        "matrix",
        help="the performance matrix (and scorecard) as xlsx",
        description="Every provider against every measure for a period, or the year to "
        "date when no period is given: status, actual and target, with the scorecard.",
    )
    add_db(matrix)
    when = matrix.add_mutually_exclusive_group()
    when.add_argument(
        "--period",
        help=(
            "2009-10 (a year), 'Q1 2009-10' or 2009-10-Q1 (a quarter), 'Oct 2009' or "
            "2009-10-M (a month); default: the year to date"
        ),
    )
    when.add_argument("--year", help="the year to date of this financial year, e.g. 2009-10")
    matrix.add_argument(
        "--kind",
        action="append",
        metavar="KIND",
        help="only providers of this kind (repeat for several), e.g. 'Public prison'",
    )
    matrix.add_argument(
        "--problems-only",
        action="store_true",
        help="only providers with a missed target or a missing return",
    )
    matrix.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.xlsx")
    matrix.set_defaults(handler=_export_matrix)

    trend = exports.add_parser(
        "trend",
        help="a measure's trend chart as PNG (or SVG, PDF)",
        description="Actuals by month against the target line, with the previous year, for "
        "one provider or, without --provider, across all providers.",
    )
    add_db(trend)
    trend.add_argument("--measure", required=True, metavar="CODE", help="e.g. 'PT 1'")
    trend.add_argument("--provider", metavar="NAME")
    trend.add_argument("--year", help="financial year, e.g. 2009-10 (default: current)")
    trend.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.png")
    trend.set_defaults(handler=_export_trend)


def _kinds(labels: list[str] | None) -> frozenset[ProviderKind] | None:
    if not labels:
        return None
    try:
        return frozenset(ProviderKind.from_label(label) for label in labels)
    except ValueError as exc:
        raise ValidationError(str(exc), "--kind") from None


def _tolerance(args: argparse.Namespace) -> int:
    from dom_desk.domain import performance_workbook as api
    from dom_desk.domain.values import Kind, format_decimal, parse_value

    if (args.measure is None) != (args.percent is None):
        raise ValidationError("give both --measure and --percent, or neither to list")
    if args.measure is None:
        wb = open_workbook(args.db, read_only=True)
        try:
            rows = api.measure_tolerances(wb)
        finally:
            wb.close()
        print("code,near_within_percent")
        for code, percent in rows:
            print(f"{code},{format_decimal(percent)}")
        return 0
    percent = parse_value(Kind.DECIMAL, args.percent, "--percent", required=True)
    wb = open_workbook(args.db)
    try:
        measure_id = api.measure_id_of(wb, args.measure)
        old = api.change_tolerance(wb, measure_id, percent)
        code = api.measure_code(wb, measure_id)
    finally:
        wb.close()
    print(f"{code}: near within {format_decimal(percent)}% of target (was {format_decimal(old)}%)")
    return 0


def _export_matrix(args: argparse.Namespace) -> int:
    from dom_desk.domain.matrix import MatrixFilter
    from dom_desk.domain.performance_workbook import matrix_with_previous
    from dom_desk.domain.scorecard import scorecard_from
    from dom_desk.exports.performance_export import export_matrix

    if args.output.suffix.lower() != ".xlsx":
        raise ValidationError("the matrix is written as .xlsx", str(args.output))
    spec = MatrixFilter(kinds=_kinds(args.kind), problems_only=args.problems_only)
    wb = open_workbook(args.db, read_only=True)
    try:
        pair = matrix_with_previous(wb, args.period, args.year)
    finally:
        wb.close()
    view = pair.matrix.view(spec)
    card = scorecard_from(pair.matrix, pair.previous, spec)
    path = export_matrix(args.output, view, card, pair.region_name)
    counts = sorted(view.counts().items(), key=lambda item: item[0].severity)
    summary = ", ".join(f"{n} {status.label.lower()}" for status, n in counts)
    print(
        f"Wrote {len(view.rows)} providers x {len(view.cols)} measures "
        f"({pair.window.label}: {summary or 'no figures'}) to {path}"
    )
    return 0


def _export_trend(args: argparse.Namespace) -> int:
    from dom_desk import charts
    from dom_desk.domain.performance_workbook import measure_id_of, provider_id_of
    from dom_desk.domain.trends import trend

    wb = open_workbook(args.db, read_only=True)
    try:
        measure_id = measure_id_of(wb, args.measure)
        provider_id = provider_id_of(wb, args.provider) if args.provider else None
        data = trend(wb, measure_id, provider_id, args.year)
    finally:
        wb.close()
    path = charts.save_figure(charts.trend_figure(data), args.output)
    print(f"Wrote the trend of {data.title.split(':')[0]} to {path}")
    return 0
