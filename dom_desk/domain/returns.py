"""Importing provider returns: read -> validate -> preview -> commit in one transaction.

Two ways in, one set of rules:

- ``preview_files`` reads and checks files without writing anything and keeps every row
  with its status (the import dialog shows it); ``commit`` then stores the previews the
  user accepted.
- ``import_files`` (the command line, scripts) checks and stores in one streaming pass:
  rows go into the database in bulk as they are read, inside a savepoint per file that is
  rolled back if any row turns out to be wrong. Memory stays flat however long the file.

Either way all files go in one transaction; a file with any problem changes nothing and
is reported, one sentence per problem naming the file, sheet and cell. A file imported
before (same SHA-256) changes nothing and says so; a new return for a provider and period
that already has one supersedes it: the earlier submission and its figures are kept,
marked superseded.

The steps live beside this module: ``returns_context`` (what files are checked against),
``returns_checks`` (the file before its rows), ``returns_rows`` (each row),
``returns_store`` (streaming and storing), ``returns_outcome`` (what the caller is told).
"""

from __future__ import annotations

import gc
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from dom_desk.domain.returns_checks import Confirm, check_duplicate, read_head, start_file
from dom_desk.domain.returns_context import ImportContext, OpenedReturn
from dom_desk.domain.returns_decisions import Decisions, RowDecider
from dom_desk.domain.returns_outcome import (
    FilePreview,
    FileState,
    ImportCancelled,
    ImportSummary,
)
from dom_desk.domain.returns_store import checked_rows, finish, store_in_savepoint
from dom_desk.readers.returns_reader import (
    DEFAULT_LIMITS,
    Limits,
    ReturnFileError,
    open_return,
    read_failure,
    sha256_of,
)
from dom_desk.storage.workbook import Workbook

#: Files a folder import picks up.
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
#: Rows between progress reports and cancel checks.
PROGRESS_EVERY = 1000

#: What a damaged or hostile xlsx raises part-way through reading (zip CRC errors, XML
#: syntax errors, defusedxml's refusals, which are ValueErrors).
_DAMAGED = (zipfile.BadZipFile, zlib.error, SyntaxError, ValueError, KeyError, EOFError, OSError)

#: ``progress(file_number, file_count, rows_read_in_this_file)``
Progress = Callable[[int, int, int], None]
#: Each file's decisions from the preview (cells corrected, rows left out), by its path.
FileDecisions = Mapping[Path, Decisions]

__all__ = [
    "Decisions",
    "FilePreview",
    "FileState",
    "ImportCancelled",
    "ImportSummary",
    "collect_files",
    "commit",
    "import_files",
    "preview_files",
]


# -- which files ----------------------------------------------------------------------------


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and the spreadsheets directly inside any folder given (sorted).

    Office's lock files (``~$name.xlsx``) and hidden files in folders are left out.
    """
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and p.suffix.casefold() in SPREADSHEET_SUFFIXES
                and not p.name.startswith(("~$", "."))
            )
        else:
            found.append(path)
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path.resolve(), None)
    return [Path(p) for p in unique]


# -- the public API ---------------------------------------------------------------------------


def _progress_counter(
    progress: Progress | None, cancelled: Callable[[], bool] | None, number: int, count: int
) -> Callable[[int], None]:
    def on_row(row: int) -> None:
        if row % PROGRESS_EVERY == 0:
            if cancelled is not None and cancelled():
                raise ImportCancelled("The import was cancelled; nothing was imported.")
            if progress is not None:
                progress(number, count, row)

    return on_row


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """Keeps the cyclic garbage collector's full passes off what is already in memory (the
    workbook's measures just loaded, the libraries) while rows stream through. A bulk
    import creates no reference cycles, and on a national return those passes, walking
    every object in the process again and again, cost more than checking the figures.
    Objects are frozen, not leaked: ``unfreeze`` hands them back to the collector."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _each_file(
    ctx: ImportContext,
    paths: Sequence[Path],
    confirm: Confirm | None,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    handle: Callable[[FilePreview, OpenedReturn, Callable[[int], None]], None],
    decisions: FileDecisions | None = None,
) -> list[FilePreview]:
    previews: list[FilePreview] = []
    by_path = {Path(p).resolve(): d for p, d in (decisions or {}).items() if d}
    with _frozen_heap():
        for number, path in enumerate(paths, start=1):
            previews.append(
                _one_file(
                    ctx,
                    path,
                    number,
                    len(paths),
                    confirm,
                    progress,
                    cancelled,
                    handle,
                    by_path.get(path.resolve()),
                )
            )
    return previews


def _one_file(
    ctx: ImportContext,
    path: Path,
    number: int,
    count: int,
    confirm: Confirm | None,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    handle: Callable[[FilePreview, OpenedReturn, Callable[[int], None]], None],
    decisions: Decisions | None = None,
) -> FilePreview:
    """Checks (and, through ``handle``, previews or stores) one file, with the decisions
    made about it in the preview."""
    if progress is not None:
        progress(number, count, 0)
    preview = start_file(ctx, path)
    if preview.state is not FileState.READY:
        return preview
    try:
        book = open_return(path, ctx.limits)
    except ReturnFileError as exc:
        preview.refuse(str(exc))
        return preview
    try:
        opened = read_head(ctx, preview, book, confirm)
        if opened is not None:
            preview.sheet = opened.sheet.title
            preview.letters = dict(opened.checker.letters)
            if decisions:
                opened.decider = RowDecider(preview, opened, decisions)
            handle(preview, opened, _progress_counter(progress, cancelled, number, count))
    except ReturnFileError as exc:
        preview.refuse(str(exc))
    except _DAMAGED as exc:
        # A sheet that breaks while it is streamed: refuse the file, keep the others.
        preview.refuse(f"'{preview.name}' {read_failure(exc)}; nothing was imported from it.")
    finally:
        book.close()
    return preview


def preview_files(
    wb: Workbook,
    paths: Iterable[Path],
    *,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    decisions: FileDecisions | None = None,
) -> list[FilePreview]:
    """Reads and checks files (or folders of them) without writing; keeps every row.

    ``decisions`` (by file) correct cells and leave rows out, each checked as it is read:
    a file with refused rows can be imported once each is corrected or left out."""
    files = collect_files(paths)

    def keep(preview: FilePreview, opened: OpenedReturn, on_row: Callable[[int], None]) -> None:
        preview.rows = list(checked_rows(preview, opened, on_row))
        finish(preview)

    with wb.session() as session:
        ctx = ImportContext.load(session, limits)
        # Close names are left for the user to confirm in the preview.
        return _each_file(ctx, files, None, progress, cancelled, keep, decisions)


def commit(
    wb: Workbook,
    previews: Sequence[FilePreview],
    *,
    confirm: Confirm | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportSummary:
    """Stores the previewed files that are ready (and confirmed), in one transaction.

    Each file is checked again first: changed since the preview, or imported meanwhile,
    and it is not stored. The summary holds copies of the previews with what happened;
    the previews passed in are left as they were (a cancelled import changes nothing).
    """
    outcome = [_copy(p) for p in previews]
    with wb.session() as session, _frozen_heap():
        ctx = ImportContext.load(session, limits)
        for number, preview in enumerate(outcome, start=1):
            if preview.state not in (FileState.READY, FileState.CONFIRM):
                continue
            if cancelled is not None and cancelled():
                raise ImportCancelled("The import was cancelled; nothing was imported.")
            if progress is not None:
                progress(number, len(outcome), 0)
            if preview.state is FileState.CONFIRM:
                if confirm is None or not confirm(preview):
                    continue
                preview.state = FileState.READY
            _commit_one(ctx, preview)
    return ImportSummary(outcome)


def _copy(preview: FilePreview) -> FilePreview:
    """A copy whose lists can change without touching the original (rows are shared:
    committing never changes them)."""
    return replace(
        preview,
        problems=list(preview.problems),
        adjustments=list(preview.adjustments),
        notes=list(preview.notes),
        row_notes=list(preview.row_notes),
        replaces=list(preview.replaces),
        counts=Counter(preview.counts),
    )


def _commit_one(ctx: ImportContext, preview: FilePreview) -> None:
    if not preview.path.exists() or sha256_of(preview.path) != preview.sha256:
        preview.refuse(
            f"'{preview.name}' changed (or went) after it was previewed; preview it again."
        )
        return
    check_duplicate(ctx, preview)
    if preview.state is FileState.READY:
        store_in_savepoint(ctx, preview, preview.rows)


def import_files(
    wb: Workbook,
    paths: Iterable[Path],
    *,
    dry_run: bool = False,
    confirm: Confirm | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    decisions: FileDecisions | None = None,
) -> ImportSummary:
    """Checks and stores files (or folders of them) in one streaming pass and one
    transaction. ``confirm`` is asked about close provider names (None: they are not
    imported). ``dry_run`` checks everything and writes nothing. ``decisions`` as for
    ``preview_files``; each is stored with its file's submission."""
    files = collect_files(paths)

    def stream(preview: FilePreview, opened: OpenedReturn, on_row: Callable[[int], None]) -> None:
        rows = checked_rows(preview, opened, on_row)
        if dry_run or preview.state is FileState.CONFIRM:
            for _ in rows:
                pass
            finish(preview)
        else:
            store_in_savepoint(ctx, preview, rows)

    with wb.session() as session:
        ctx = ImportContext.load(session, limits)
        previews = _each_file(ctx, files, confirm, progress, cancelled, stream, decisions)
    return ImportSummary(previews, dry_run=dry_run)
