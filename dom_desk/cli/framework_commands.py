"""Commands on the published measure frameworks shipped with DOM Desk."""

from __future__ import annotations

import argparse
import csv
import sys

HEADINGS = ("name", "year", "measures", "file", "source")


def register(commands: argparse._SubParsersAction, _exports: argparse._SubParsersAction) -> None:
    frameworks = commands.add_parser(
        "frameworks",
        help="list the published measure frameworks shipped with DOM Desk, as CSV",
        description="Lists each framework shipped in resources/frameworks: its name, the "
        "financial year it applies to, how many measures it has, its file and the "
        "document it was transcribed from.",
    )
    frameworks.set_defaults(handler=_frameworks)


def _frameworks(_args: argparse.Namespace) -> int:
    from dom_desk.readers.frameworks import shipped_frameworks

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(HEADINGS)
    for framework in shipped_frameworks():
        writer.writerow(
            (
                framework.name,
                framework.year,
                len(framework.measures),
                framework.path.stem,
                framework.source,
            )
        )
    return 0
