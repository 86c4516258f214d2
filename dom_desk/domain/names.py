"""Finding one record by the words a user types on the command line."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from dom_desk.errors import ValidationError

Named = TypeVar("Named")


def one_named(
    rows: Sequence[Named], words: str, name_of: Callable[[Named], str], kind: str
) -> Named:
    """The row whose name is ``words`` (ignoring case and spacing) or, failing that, the
    only one containing every word; none or several are refused with a sentence that
    lists what was found."""
    wanted = " ".join(words.split()).casefold()
    exact = [r for r in rows if " ".join(name_of(r).split()).casefold() == wanted]
    if len(exact) == 1:
        return exact[0]
    parts = wanted.split()
    matched = [r for r in rows if all(p in name_of(r).casefold() for p in parts)]
    if len(matched) == 1:
        return matched[0]
    if not matched:
        raise ValidationError(f"No {kind} matches '{words}'", kind.capitalize())
    names = "; ".join(sorted(name_of(r) for r in matched))
    raise ValidationError(f"'{words}' fits several: {names}", kind.capitalize())
