"""Need and demand from the command line.

dom-desk demand --db PATH [--year Y]          figures for the year, entered or forecast,
                                              and where demand exceeds what is bought
dom-desk demand --db PATH --growth N          forecasts grow by N% a year ('trend': none)
(figures come in with `dom-desk import-list demand`)
"""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation

from dom_desk.cli.workbook_commands import add_db
from dom_desk.errors import ValidationError
from dom_desk.storage.workbook import open_workbook


def register(commands: argparse._SubParsersAction, _exports: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "demand",
        help="need and demand figures, forecasts, and demand beyond what is bought",
        description="Caseloads, prison population and capacity, offenders by OGRS band, "
        "reoffending rates and demand for services, per provider, for a year: entered, or "
        "forecast from earlier years (their trend, or a growth rate set with --growth); "
        "then where demand exceeds the volume commissioned. Import figures with "
        "`dom-desk import-list demand`.",
    )
    add_db(command)
    command.add_argument("--year", help="financial year, e.g. 2009-10 (default: current)")
    command.add_argument(
        "--growth",
        metavar="N",
        help="set forecasts to grow N%% a year; 'trend' to follow the trend",
    )
    command.set_defaults(handler=_demand)


def _demand(args: argparse.Namespace) -> int:
    from dom_desk.domain import demand

    if args.growth is not None:
        return _set_growth(args)
    wb = open_workbook(args.db, read_only=True)
    try:
        position = demand.demand_position(wb, args.year)
    finally:
        wb.close()
    how = (
        "the trend of earlier years"
        if position.growth_percent is None
        else f"{position.growth_percent.normalize():f}% a year"
    )
    print(f"Need and demand {position.year} (forecasts follow {how})")
    if not position.rows:
        print("  No figures yet: import them with `dom-desk import-list demand`.")
    provider = ""
    for row in position.rows:
        if row.provider != provider:
            provider = row.provider
            print(f"  {provider}")
        how = "" if row.figure.entered else f" (forecast: {row.figure.method})"
        bought = "" if row.commissioned is None else f"; {row.commissioned:,} commissioned"
        print(f"    {row.label}: {demand.shown(row.kind, row.figure.value)}{how}{bought}")
    if position.pressures:
        print("Demand beyond what is bought:")
        for line in position.pressures:
            print(f"  {line}")
    return 0


def _set_growth(args: argparse.Namespace) -> int:
    from dom_desk.domain import demand

    text = args.growth.strip().rstrip("%")
    if text.casefold() == "trend":
        percent = None
    else:
        try:
            percent = Decimal(text)
        except InvalidOperation:
            raise ValidationError(
                f"'{args.growth}' is not a number or 'trend'", "--growth"
            ) from None
    wb = open_workbook(args.db)
    try:
        demand.set_growth(wb, percent)
    finally:
        wb.close()
    said = "the trend of earlier years" if percent is None else f"{percent.normalize():f}% a year"
    print(f"Forecasts now follow {said}.")
    return 0
