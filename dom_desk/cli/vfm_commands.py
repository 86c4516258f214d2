"""Value for money from the command line.

dom-desk vfm --db PATH [--year Y] [--all]       the lines furthest above target, printed
dom-desk export vfm --db PATH [--year Y] -o FILE.xlsx
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from dom_desk.cli.workbook_commands import add_db
from dom_desk.domain.money import format_pounds
from dom_desk.domain.sla.unit_costs import against_target
from dom_desk.errors import ValidationError
from dom_desk.storage.workbook import open_workbook

if TYPE_CHECKING:
    from dom_desk.domain.vfm import ValueForMoney

#: Lines printed without --all: enough to see where to look first.
SHOWN = 15


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    vfm = commands.add_parser(
        "vfm",
        help="value for money: unit prices against target cost and other providers",
        description="Each service line's unit price against its service's target unit "
        "cost and against the other providers of the same service (lowest, median, "
        "highest and rank), the lines furthest above target first, then by pathway.",
    )
    add_db(vfm)
    vfm.add_argument("--year", help="financial year, e.g. 2009-10 (default: current)")
    vfm.add_argument("--all", action="store_true", help=f"every line, not the first {SHOWN}")
    vfm.set_defaults(handler=_print)

    export = exports.add_parser(
        "vfm",
        help="value for money as xlsx",
        description="Every service line against target cost and its peers, and the same "
        "by pathway, as an Excel workbook with money in £ formats.",
    )
    add_db(export)
    export.add_argument("--year", help="financial year, e.g. 2009-10 (default: current)")
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.xlsx")
    export.set_defaults(handler=_export)


def _read(args: argparse.Namespace) -> ValueForMoney:
    from dom_desk.domain.vfm import value_for_money

    wb = open_workbook(args.db, read_only=True)
    try:
        return value_for_money(wb, args.year)
    finally:
        wb.close()


def _print(args: argparse.Namespace) -> int:
    vfm = _read(args)
    lines = vfm.lines if args.all else vfm.lines[:SHOWN]
    print(f"Value for money {vfm.year}: {len(vfm.lines)} service lines")
    for line in lines:
        if line.note:
            print(f"  {line.provider}, {line.service}: {line.note}")
            continue
        bench = line.benchmark
        assert bench is not None  # a line with volume and a target has peers
        print(
            f"  {line.provider}, {line.service}: {format_pounds(line.unit_price)} per "
            f"{line.unit or 'unit'}, {_against(line.unit_price, line.target_unit_cost)}"
            f"; median paid {format_pounds(bench.median_pence)}, rank {line.rank_text}"
        )
    if len(lines) < len(vfm.lines):
        print(f"  … and {len(vfm.lines) - len(lines)} more (--all lists them)")
    print("By pathway (paid beyond target prices):")
    for p in vfm.pathways:
        print(f"  {p.pathway}: {format_pounds(p.excess)} on {format_pounds(p.value_of_costed)}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from dom_desk.exports.vfm_export import export_vfm

    if args.output.suffix.lower() != ".xlsx":
        raise ValidationError("value for money is written as .xlsx", str(args.output))
    vfm = _read(args)
    export_vfm(vfm, args.output)
    print(f"Wrote {len(vfm.lines)} service lines for {vfm.year} to {args.output}")
    return 0


def _against(price: int, target: int | None) -> str:
    words = against_target(price, target)
    return words if words == "at target" else f"{words} target"
