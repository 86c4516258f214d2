"""A measure framework named by the user: a shipped one by name, or a file of their own.

The command line's ``import-framework`` and the window's Import Framework dialog both read
through here: a ``.json`` file as the shipped frameworks are written, a region's ``.xlsx``
through the measures list importer (so the two agree), and anything else as the name of
a shipped framework.
"""

from __future__ import annotations

from pathlib import Path

from dom_desk.domain.frameworks_import import FrameworkImport
from dom_desk.domain.lists_import import ListKind, preview_list
from dom_desk.domain.values import counted
from dom_desk.errors import ValidationError
from dom_desk.readers.frameworks import Framework, find_framework, read_framework
from dom_desk.storage.workbook import Workbook

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")


class FrameworkProblems(ValidationError):
    """A framework spreadsheet with problems: each one, by cell, in ``problems``."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        super().__init__(
            f"{counted(len(problems), 'problem')} in '{path.name}'; nothing was imported "
            f"(the first: {problems[0]})"
        )
        self.problems = problems


def framework_named(
    wb: Workbook, name_or_path: str | Path, year: str, sheet: str | None = None
) -> Framework:
    """The framework ``name_or_path`` names, read against ``wb`` for ``year``; writes
    nothing. Raises FrameworkProblems for a spreadsheet with problems."""
    path = Path(name_or_path)
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        preview = preview_list(wb, path, ListKind.MEASURES, sheet, year)
        if preview.errors:
            raise FrameworkProblems(path, preview.errors)
        return preview.extra
    if path.suffix.lower() == ".json" or path.exists():
        return read_framework(path)
    return find_framework(str(name_or_path))


def summary(framework: Framework, done: FrameworkImport) -> str:
    """One sentence of what an import did, as the command line and the window say it."""
    if done.changed_nothing:
        return (
            f"Nothing changed: the workbook already holds {framework.name} for "
            f"{done.year} as published."
        )
    unchanged = len(done.measures) - len(done.added) - len(done.updated)
    return (
        f"{framework.name} into {done.year}: {counted(len(done.added), 'measure')} added, "
        f"{len(done.updated)} updated, {unchanged} unchanged."
    )
