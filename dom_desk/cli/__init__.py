"""``dom-desk``: the window, and the jobs that also run without it.

``dom-desk`` opens the window, ``dom-desk --demo`` the demo region, ``dom-desk PATH`` a
workbook; anything else is a command (``dom-desk check --db PATH``). User errors print one
sentence on stderr and exit non-zero; no tracebacks.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from dom_desk import __version__
from dom_desk.cli.arguments import check_values
from dom_desk.errors import DomDeskError
from dom_desk.files import describe_os_failure
from dom_desk.storage.retry import retrying

#: Modules that add commands: each has ``register(commands, exports)``.
COMMAND_MODULES = (
    "dom_desk.cli.workbook_commands",
    "dom_desk.cli.safety_commands",
    "dom_desk.cli.planning_commands",
    "dom_desk.cli.list_commands",
    "dom_desk.cli.allocation_commands",
    "dom_desk.cli.envelope_commands",
    "dom_desk.cli.returns_commands",
    "dom_desk.cli.plan_commands",
    "dom_desk.cli.performance_commands",
    "dom_desk.cli.audit_commands",
    "dom_desk.cli.framework_commands",
    "dom_desk.cli.target_commands",
    "dom_desk.cli.priority_commands",
    "dom_desk.cli.vfm_commands",
    "dom_desk.cli.tender_commands",
    "dom_desk.cli.action_commands",
    "dom_desk.cli.demand_commands",
    "dom_desk.cli.payment_commands",
    "dom_desk.cli.decision_commands",
    "dom_desk.cli.attention_commands",
    "dom_desk.cli.offline_commands",
    "dom_desk.cli.server_commands",
    "dom_desk.cli.national_commands",
)

EXIT_USER_ERROR = 1
EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dom-desk",
        description="DOM Desk: the regional commissioning workbook. "
        "Run with no command to open the window.",
    )
    parser.add_argument("--version", action="version", version=f"DOM Desk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    export = commands.add_parser("export", help="export a table to a file")
    exports = export.add_subparsers(dest="what", metavar="WHAT", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands, exports)
    return parser


def _window_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dom-desk", add_help=False)
    parser.add_argument("--demo", action="store_true")
    # A workbook file's path, or a server region's postgresql:// URL (kept as text).
    parser.add_argument("path", nargs="?", type=_path_or_url)
    return parser


def _path_or_url(text: str) -> Path | str:
    from dom_desk.storage.server_address import is_server_url

    return text if is_server_url(text) else Path(text)


def _open_window(argv: Sequence[str]) -> int:
    args = _window_parser().parse_args(argv)
    from dom_desk.ui.app import run  # Qt only when a window is wanted

    return run(list(sys.argv[:1]), open_path=args.path, demo=args.demo)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    command_names = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    if (
        not argv
        or argv[0] == "--demo"
        or (argv[0] not in command_names and not argv[0].startswith("-"))
    ):
        return _open_window(argv)
    args = parser.parse_args(argv)
    try:
        check_values(parser, args)
        # On the team server a change that raced another is tried again a few times.
        return int(retrying(lambda: args.handler(args)) or 0)
    except DomDeskError as exc:
        print(f"dom-desk: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``dom-desk list ... | head``): stop quietly, as Unix tools
        # do; stdout goes to devnull so the flush at exit does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_USER_ERROR
    except OSError as exc:
        # The last net: a file or folder the command could not reach (permission refused,
        # a drive gone) is still one sentence, never a traceback.
        print(f"dom-desk: {describe_os_failure(exc)}", file=sys.stderr)
        return EXIT_USER_ERROR
