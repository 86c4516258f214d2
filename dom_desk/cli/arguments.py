"""One check of every parsed command-line value, before any command runs.

Why central: each command module adds its own options, and a check each must remember
is a check one will forget. Here every value of the command actually given is looked
at once: text must be valid UTF-8 (a mis-encoded terminal gives Python lone surrogates,
which SQLite and the console cannot store or print), a required option must not be
blank, and every whole number must be one a DOM could mean. Money is bounded where it
is parsed (``domain.money.parse_pounds``), for the window and imports as well.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

from dom_desk.domain.limits import check_count
from dom_desk.errors import ValidationError


def _active_actions(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> Iterator[argparse.Action]:
    """The actions of ``parser`` and of each sub-command chosen in ``args``."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            chosen = action.choices.get(getattr(args, action.dest, None) or "")
            if chosen is not None:
                yield from _active_actions(chosen, args)
        else:
            yield action


def _name(action: argparse.Action) -> str:
    if action.option_strings:
        return max(action.option_strings, key=len)  # --value-change, not -v
    return str(action.metavar or action.dest).upper()


def _check_text(text: str, name: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(
            "is not valid text (it holds bytes that are not UTF-8; is the terminal set to "
            "UTF-8?), so nothing was done",
            name,
        ) from None


def check_values(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Raises ValidationError, naming the option, for the first value no command may take."""
    for action in _active_actions(parser, args):
        if action.dest in (argparse.SUPPRESS, "help", "handler"):
            continue
        value = getattr(args, action.dest, None)
        name = _name(action)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str | Path):
                _check_text(str(item), name)
            if isinstance(item, str) and action.required and not item.strip():
                raise ValidationError("needs a value, and it was given empty", name)
            if isinstance(item, int) and not isinstance(item, bool):
                check_count(item, name, item)
