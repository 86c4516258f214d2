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
"""

from __future__ import annotations

import gc
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dom_desk.domain.applicability import measure_ids_for
from dom_desk.domain.periods import format_date, month_code
from dom_desk.domain.provider_match import match_provider, remember_alias
from dom_desk.domain.region import period_by_code, region
from dom_desk.domain.returns_outcome import (
    MAX_PROBLEMS,
    FilePreview,
    FileState,
    ImportCancelled,
    ImportSummary,
)
from dom_desk.domain.returns_rows import MeasureInfo, PreviewRow, RowChecker, RowStatus
from dom_desk.errors import ValidationError
from dom_desk.models import Measure, Period, PeriodKind, Provider, Result, Submission, Target
from dom_desk.readers import returns_format as fmt
from dom_desk.readers.returns_reader import (
    DEFAULT_LIMITS,
    Limits,
    ReturnBook,
    ReturnFileError,
    check_container,
    open_return,
    read_failure,
    sha256_of,
    text_of,
)
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook

#: Files a folder import picks up.
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
#: Rows inserted per statement (small batches: fewer objects outlive the cyclic garbage
#: collector's young generations, which keeps its full passes rare).
CHUNK = 500
#: The columns every stored figure is written with: those the file sets, then the rest.
_ROW_COLUMNS = ("measure_id", "actual", "numerator", "denominator", "commentary", "source_row")
_FILE_COLUMNS = (
    "provider_id",
    "period_id",
    "submission_id",
    "source",
    "entered_at",
    "entered_by",
    "superseded",
    "row_version",
)
#: Rows between progress reports and cancel checks.
PROGRESS_EVERY = 1000

#: What a damaged or hostile xlsx raises part-way through reading (zip CRC errors, XML
#: syntax errors, defusedxml's refusals, which are ValueErrors).
_DAMAGED = (zipfile.BadZipFile, zlib.error, SyntaxError, ValueError, KeyError, EOFError, OSError)

#: ``progress(file_number, file_count, rows_read_in_this_file)``
Progress = Callable[[int, int, int], None]
#: Asked about a provider name that is close but not exact; True imports the file.
Confirm = Callable[[FilePreview], bool]

__all__ = [
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


# -- reading one file ---------------------------------------------------------------------


@dataclass
class _Context:
    """What every file in one import is checked against, looked up once."""

    session: Session
    limits: Limits
    region_name: str
    workbook_uuid: str
    measures: dict[str, MeasureInfo]
    user: str
    now: datetime
    _providers: dict[tuple[int, int], tuple[set[int], dict[int, Decimal | None]]] = field(
        default_factory=dict
    )
    _titles: dict[str, str] | None = None
    max_measure_id: int = 0
    #: Files already seen in this import, by SHA-256 and by (provider, period).
    seen_files: dict[str, str] = field(default_factory=dict)
    seen_slots: dict[tuple[int, int], str] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, limits: Limits) -> _Context:
        home = region(session)
        # Core rather than ORM: a national workbook has tens of thousands of measures.
        table = Measure.__table__.c
        rows = session.connection().execute(
            select(
                table.id,
                table.code,
                table.code_key,
                table.title,
                table.unit,
                table.national_value,
                table.floor,
            )
        )
        measures = {
            code_key: MeasureInfo(id_, code, title, unit, national or floor)
            for id_, code, code_key, title, unit, national, floor in rows
        }
        return cls(
            session,
            limits,
            home.name,
            home.workbook_uuid,
            measures,
            audit.current_user(),
            audit.now(),
            max_measure_id=max((m.id for m in measures.values()), default=0),
        )

    def code_for_title(self, title: str) -> str | None:
        """The code of the measure worded ``title`` (for rows whose code was left out);
        the index is built on first use, as most returns keep their codes."""
        if self._titles is None:
            self._titles = {}
            for key, info in self.measures.items():
                self._titles.setdefault(fmt.normal_title(info.title), key)
        return self._titles.get(fmt.normal_title(title))

    def provider_measures(
        self, provider: Provider, period: Period
    ) -> tuple[set[int], dict[int, Decimal | None]]:
        key = (provider.id, period.year_id)
        if key not in self._providers:
            targets = dict(
                self.session.execute(
                    select(Target.measure_id, Target.value).where(
                        Target.provider_id == provider.id, Target.year_id == period.year_id
                    )
                ).all()
            )
            self._providers[key] = (measure_ids_for(self.session, provider, period.year), targets)
        return self._providers[key]


@dataclass
class _Opened:
    """A file past its header checks: the sheet and header to stream rows from."""

    book: ReturnBook
    sheet: Any
    checker: RowChecker


def _where(preview: FilePreview, sheet: str, cell: str) -> str:
    return f"'{preview.name}', {sheet}!{cell}"


def _identity(book: ReturnBook, ctx: _Context) -> dict[str, str]:
    pairs = book.pairs(fmt.IDENTITY_SHEET)
    if not pairs or fmt.ID_WORKBOOK not in pairs:
        raise ReturnFileError(
            f"'{book.name}' is not a return template made by DOM Desk (its hidden "
            f"'{fmt.IDENTITY_SHEET}' sheet is missing); send the provider a template from "
            "this workbook."
        )
    identity = {key: text_of(value) for key, (value, _) in pairs.items()}
    version = identity.get(fmt.ID_VERSION, "")
    if version not in fmt.SUPPORTED_VERSIONS:
        raise ReturnFileError(
            f"'{book.name}' was made with template version '{version}', which this version "
            "of DOM Desk does not read; update DOM Desk or send a new template."
        )
    if identity[fmt.ID_WORKBOOK] != ctx.workbook_uuid:
        their_region = identity.get(fmt.ID_REGION, "")
        if their_region and their_region.casefold() != ctx.region_name.casefold():
            raise ReturnFileError(
                f"'{book.name}' is a template from the {their_region} region, not "
                f"{ctx.region_name}; nothing was imported from it."
            )
        raise ReturnFileError(
            f"'{book.name}' was made from a different {ctx.region_name} workbook, not this "
            "one; nothing was imported from it. Send the provider a template made from "
            "this workbook."
        )
    return identity


def _cover_value(cover: dict[str, tuple[Any, str]] | None, label: str) -> tuple[Any, str]:
    if not cover:
        return None, ""
    return cover.get(fmt.normal_title(label), (None, ""))


def _period_text(value: Any) -> str:
    """A period as written; a cell Excel turned into a date (``2009-04``) means that month."""
    if isinstance(value, datetime | date):
        return month_code(value.year, value.month)
    return text_of(value)


def _read_head(
    ctx: _Context, preview: FilePreview, book: ReturnBook, confirm: Confirm | None
) -> _Opened | None:
    """Checks identity, cover, provider, period and header; None if the file stops here.

    A close provider name that ``confirm`` does not accept leaves the file to confirm.
    """
    identity = _identity(book, ctx)
    cover = book.pairs(fmt.COVER_SHEET)
    written, cell = _cover_value(cover, fmt.COVER_PERIOD)
    period_code = _period_text(written) or identity.get(fmt.ID_PERIOD, "")
    if period_code != identity.get(fmt.ID_PERIOD, period_code):
        preview.notes.append(
            f"{_where(preview, fmt.COVER_SHEET, cell)}: the period was "
            f"changed from {identity[fmt.ID_PERIOD]} to {period_code}"
        )
    try:
        period = period_by_code(ctx.session, period_code)
    except ValidationError as exc:
        place = _where(preview, fmt.COVER_SHEET, cell) if cell else f"'{preview.name}'"
        preview.refuse(f"{place}: {exc.reason}.")
        return None
    preview.period_id, preview.period_code = period.id, period.code

    name, cell = _cover_value(cover, fmt.COVER_PROVIDER)
    preview.provider_written = text_of(name) or identity.get(fmt.ID_PROVIDER, "")
    match = match_provider(ctx.session, preview.provider_written)
    preview.match = match
    if not match.found:
        place = _where(preview, fmt.COVER_SHEET, cell) if cell else f"'{preview.name}'"
        preview.refuse(f"{place}: {match.describe()}.")
        return None
    provider = ctx.session.get(Provider, match.provider_id)
    assert provider is not None
    preview.provider_id, preview.provider_name = provider.id, provider.name
    if identity.get(fmt.ID_PROVIDER_ID) not in ("", str(provider.id)):
        preview.notes.append(
            f"'{preview.name}': the template was made for "
            f"{identity.get(fmt.ID_PROVIDER)}, but the cover names "
            f"{provider.name}"
        )
    completed, _ = _cover_value(cover, fmt.COVER_COMPLETED_BY)
    preview.completed_by = text_of(completed)[:120]
    confirmed, cell = _cover_value(cover, fmt.COVER_CONFIRMED)
    if cover is not None and fmt.normal_title(fmt.COVER_CONFIRMED) in cover:
        preview.declared = text_of(confirmed).casefold() in ("yes", "y", "true", "confirmed")
        if not preview.declared:
            preview.notes.append(
                f"{_where(preview, fmt.COVER_SHEET, cell)}: the declaration is not confirmed"
            )

    slot = (provider.id, period.id)
    if slot in ctx.seen_slots:
        preview.refuse(
            f"'{preview.name}' is a second return for {provider.name}, "
            f"{period.code} in this import (after '{ctx.seen_slots[slot]}'); "
            "import corrections on their own."
        )
        return None
    preview.replaces = [
        f"'{s.file_name or 'keyed-in figures'}' received {format_date(s.received_at.date())}"
        for s in _current_submissions(ctx.session, provider.id, period.id)
    ]
    note = _cadence_note(ctx.session, provider, period)
    if note:
        preview.notes.append(f"'{preview.name}': {note}")

    if not match.exact:
        if confirm is not None and confirm(preview):
            preview.notes.append(
                f"'{preview.name}': provider name '{match.written}' confirmed as {provider.name}"
            )
        else:
            # Rows are still read, so every other problem is reported too.
            preview.state = FileState.CONFIRM

    sheet = book.sheet(fmt.RETURN_SHEET)
    if sheet is None:
        preview.refuse(f"'{preview.name}' has no sheet called '{fmt.RETURN_SHEET}'.")
        return None
    header = book.header(sheet)
    if header is None:
        preview.refuse(
            f"'{preview.name}', sheet {sheet.title}: no header row with "
            f"'{fmt.CODE}' and '{fmt.ACTUAL}' columns in the first rows."
        )
        return None
    applicable, targets = ctx.provider_measures(provider, period)
    checker = RowChecker(
        header,
        ctx.measures,
        ctx.code_for_title,
        applicable,
        targets,
        provider.name,
        ctx.max_measure_id,
    )
    ctx.seen_slots[slot] = preview.name
    return _Opened(book, sheet, checker)


def _current_submissions(session: Session, provider_id: int, period_id: int) -> list[Submission]:
    return list(
        session.scalars(
            select(Submission)
            .where(
                Submission.provider_id == provider_id,
                Submission.period_id == period_id,
                Submission.superseded_by_id.is_(None),
            )
            .order_by(Submission.id)
        )
    )


def _start(ctx: _Context, path: Path) -> FilePreview:
    """The checks made before the file is opened: the container, and have we seen it."""
    preview = FilePreview(path)
    if not path.exists():
        preview.refuse(f"'{path}' does not exist.")
        return preview
    if path.is_dir():
        preview.refuse(f"'{path}' is a folder.")
        return preview
    try:
        check_container(path, ctx.limits)
    except ReturnFileError as exc:
        preview.refuse(str(exc))
        return preview
    preview.sha256 = sha256_of(path)
    _check_duplicate(ctx, preview)
    return preview


#: Finest first, as the performance figures use them.
_FINER = {PeriodKind.YEAR: 0, PeriodKind.QUARTER: 1, PeriodKind.MONTH: 2}


def _cadence_note(session: Session, provider: Provider, period: Period) -> str:
    """Says when the provider already has figures for overlapping periods of another
    length: where a provider has both, the year-to-date and matrix use the finest (the
    months), so a quarterly return over monthly ones would otherwise vanish unseen."""
    kinds = set(
        session.scalars(
            select(Period.kind)
            .join(Result, Result.period_id == Period.id)
            .where(
                Result.provider_id == provider.id,
                Result.superseded.is_(False),
                Period.id != period.id,
                Period.kind != period.kind,
                Period.start <= period.end,
                Period.end >= period.start,
            )
            .distinct()
        )
    )
    if not kinds:
        return ""
    finest = max(kinds, key=_FINER.__getitem__)
    held = f"{finest.label.lower()}ly"  # monthly, quarterly, yearly
    if _FINER[finest] > _FINER[period.kind]:
        return (
            f"{provider.name} already has {held} figures for {period.code}; where "
            f"both are held the performance figures use the {held} ones, so this "
            f"{period.kind.label.lower()}'s figures show only among the results"
        )
    return (
        f"{provider.name} already has {held} figures covering {period.code}; from now "
        f"on the performance figures use these {period.kind.label.lower()}ly ones"
    )


def _check_duplicate(ctx: _Context, preview: FilePreview) -> None:
    earlier_name = ctx.seen_files.get(preview.sha256)
    if earlier_name is not None:
        preview.state = FileState.DUPLICATE
        preview.notes.append(
            f"'{preview.name}' is the same file as '{earlier_name}' in this "
            "import; nothing changed."
        )
        return
    earlier = ctx.session.scalars(
        select(Submission).where(Submission.sha256 == preview.sha256).order_by(Submission.id)
    ).first()
    if earlier is not None:
        preview.state = FileState.DUPLICATE
        preview.provider_id, preview.period_id = earlier.provider_id, earlier.period_id
        preview.provider_name, preview.period_code = earlier.provider.name, earlier.period.code
        superseded = " (since superseded)" if earlier.superseded_by_id else ""
        preview.notes.append(
            f"'{preview.name}' was already imported on {format_date(earlier.received_at.date())}"
            f" by {earlier.received_by} as '{earlier.file_name}' ({earlier.provider.name}, "
            f"{earlier.period.code}){superseded}; nothing changed."
        )
        return
    ctx.seen_files[preview.sha256] = preview.name


def _checked_rows(
    preview: FilePreview, opened: _Opened, on_row: Callable[[int], None]
) -> Iterator[PreviewRow]:
    """Streams the file's rows, checked; problems and counts go onto ``preview``."""
    sheet = opened.sheet.title
    check, counts = opened.checker.check, preview.counts
    for raw in opened.book.rows(opened.sheet, opened.checker.header):
        checked = check(raw)
        on_row(raw.row)
        if checked is None:
            continue
        counts[checked.status] += 1
        for issue in checked.issues:
            line = f"{_where(preview, sheet, issue.cell)}: {issue.message}."
            if issue.error:
                preview.refuse(line)
            elif len(preview.row_notes) < MAX_PROBLEMS:
                preview.row_notes.append(line)
        yield checked


def _finish(preview: FilePreview) -> None:
    figures = preview.counts[RowStatus.READY] + preview.counts[RowStatus.NOTE]
    if preview.state in (FileState.READY, FileState.CONFIRM) and not figures:
        preview.refuse(f"'{preview.name}' has no figures on its {fmt.RETURN_SHEET} sheet.")


# -- storing --------------------------------------------------------------------------------


def _store(ctx: _Context, preview: FilePreview, rows: Iterable[PreviewRow]) -> None:
    """Writes one file's submission and figures; the caller rolls back if it is refused."""
    session = ctx.session
    provider = session.get(Provider, preview.provider_id)
    assert provider is not None and preview.match is not None
    if not preview.match.exact:
        remember_alias(provider, preview.match.written)
    submission = Submission(
        provider_id=provider.id,
        period_id=preview.period_id,
        file_name=preview.name[:260],
        sha256=preview.sha256,
        received_at=ctx.now,
        received_by=ctx.user,
        completed_by=preview.completed_by,
        declared=preview.declared,
    )
    session.add(submission)
    session.flush()
    for earlier in _current_submissions(session, provider.id, preview.period_id or 0):
        if earlier.id != submission.id:
            earlier.superseded_by_id = submission.id
    outcome = session.execute(
        update(Result)
        .where(
            Result.provider_id == provider.id,
            Result.period_id == preview.period_id,
            Result.superseded.is_(False),
        )
        .values(superseded=True, row_version=Result.row_version + 1)
    )
    preview.superseded_figures = outcome.rowcount or 0  # type: ignore[attr-defined]

    write = _result_writer(
        session,
        {
            "provider_id": provider.id,
            "period_id": preview.period_id,
            "submission_id": submission.id,
            "source": preview.name[:260],
            "entered_at": ctx.now,
            "entered_by": ctx.user,
            "superseded": False,
            "row_version": 1,
        },
    )
    batch: list[tuple[Any, ...]] = []
    stored = 0
    for row in rows:
        if preview.state is FileState.REFUSED:
            batch.clear()  # keep reading to report every problem, but write no more
            continue
        if not row.status.stored:
            continue
        batch.append(
            (row.measure_id, row.actual, row.numerator, row.denominator, row.commentary, row.row)
        )
        if len(batch) >= CHUNK:
            stored += write(batch)
    _finish(preview)
    if preview.state is FileState.REFUSED:
        return
    stored += write(batch)
    preview.figures = stored
    preview.submission_id = submission.id
    preview.state = FileState.IMPORTED
    audit.record(
        session,
        "import",
        "submission",
        submission.id,
        "sha256",
        None,
        preview.sha256,
        note=f"{preview.name}: {stored} figures for {provider.name}, "
        f"{preview.period_code}; {preview.superseded_figures} earlier figures "
        "superseded",
    )


def _result_writer(
    session: Session, constants: dict[str, Any]
) -> Callable[[list[tuple[Any, ...]]], int]:
    """A bulk insert of figures, one executemany per batch of ``_ROW_COLUMNS`` tuples.

    The driver is given values already converted by the columns' own SQLAlchemy types
    (exact decimal text, the dialect's date format), as a Core insert would store them,
    without building a dict per row: on a national return that cost as much as SQLite's
    own work. The batch is emptied once written; returns how many rows it held.
    """
    connection = session.connection()
    dialect = connection.dialect
    columns = Result.__table__.c
    fixed = tuple(_bound(columns[name].type, dialect, constants[name]) for name in _FILE_COLUMNS)
    decimal = columns.actual.type.bind_processor(dialect) or (lambda value: value)
    names = _ROW_COLUMNS + _FILE_COLUMNS
    sql = (
        f"INSERT INTO {Result.__tablename__} ({', '.join(names)}) "
        f"VALUES ({', '.join('?' * len(names))})"
    )

    def write(batch: list[tuple[Any, ...]]) -> int:
        if not batch:
            return 0
        count = len(batch)
        connection.exec_driver_sql(
            sql,
            [
                (
                    measure_id,
                    decimal(actual),
                    decimal(numerator),
                    decimal(denominator),
                    commentary,
                    source_row,
                    *fixed,
                )
                for measure_id, actual, numerator, denominator, commentary, source_row in batch
            ],
        )
        batch.clear()
        return count

    return write


def _bound(column_type: Any, dialect: Any, value: Any) -> Any:
    processor = column_type.bind_processor(dialect)
    return value if processor is None else processor(value)


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
    ctx: _Context,
    paths: Sequence[Path],
    confirm: Confirm | None,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    handle: Callable[[FilePreview, _Opened, Callable[[int], None]], None],
) -> list[FilePreview]:
    previews: list[FilePreview] = []
    with _frozen_heap():
        for number, path in enumerate(paths, start=1):
            previews.append(
                _one_file(ctx, path, number, len(paths), confirm, progress, cancelled, handle)
            )
    return previews


def _one_file(
    ctx: _Context,
    path: Path,
    number: int,
    count: int,
    confirm: Confirm | None,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    handle: Callable[[FilePreview, _Opened, Callable[[int], None]], None],
) -> FilePreview:
    """Checks (and, through ``handle``, previews or stores) one file."""
    if progress is not None:
        progress(number, count, 0)
    preview = _start(ctx, path)
    if preview.state is not FileState.READY:
        return preview
    try:
        book = open_return(path, ctx.limits)
    except ReturnFileError as exc:
        preview.refuse(str(exc))
        return preview
    try:
        opened = _read_head(ctx, preview, book, confirm)
        if opened is not None:
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
) -> list[FilePreview]:
    """Reads and checks files (or folders of them) without writing; keeps every row."""
    files = collect_files(paths)

    def keep(preview: FilePreview, opened: _Opened, on_row: Callable[[int], None]) -> None:
        preview.rows = list(_checked_rows(preview, opened, on_row))
        _finish(preview)

    with wb.session() as session:
        ctx = _Context.load(session, limits)
        # Close names are left for the user to confirm in the preview.
        return _each_file(ctx, files, None, progress, cancelled, keep)


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
        ctx = _Context.load(session, limits)
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
        notes=list(preview.notes),
        row_notes=list(preview.row_notes),
        replaces=list(preview.replaces),
        counts=Counter(preview.counts),
    )


def _store_in_savepoint(ctx: _Context, preview: FilePreview, rows: Iterable[PreviewRow]) -> None:
    """Stores one file so that a refusal (or a failure) undoes that file alone."""
    savepoint = ctx.session.begin_nested()
    try:
        _store(ctx, preview, rows)
    except BaseException:
        savepoint.rollback()
        raise
    if preview.state is FileState.IMPORTED:
        savepoint.commit()
    else:
        savepoint.rollback()


def _commit_one(ctx: _Context, preview: FilePreview) -> None:
    if not preview.path.exists() or sha256_of(preview.path) != preview.sha256:
        preview.refuse(
            f"'{preview.name}' changed (or went) after it was previewed; preview it again."
        )
        return
    _check_duplicate(ctx, preview)
    if preview.state is FileState.READY:
        _store_in_savepoint(ctx, preview, preview.rows)


def import_files(
    wb: Workbook,
    paths: Iterable[Path],
    *,
    dry_run: bool = False,
    confirm: Confirm | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportSummary:
    """Checks and stores files (or folders of them) in one streaming pass and one
    transaction. ``confirm`` is asked about close provider names (None: they are not
    imported). ``dry_run`` checks everything and writes nothing."""
    files = collect_files(paths)

    def stream(preview: FilePreview, opened: _Opened, on_row: Callable[[int], None]) -> None:
        rows = _checked_rows(preview, opened, on_row)
        if dry_run or preview.state is FileState.CONFIRM:
            for _ in rows:
                pass
            _finish(preview)
        else:
            _store_in_savepoint(ctx, preview, rows)

    with wb.session() as session:
        ctx = _Context.load(session, limits)
        previews = _each_file(ctx, files, confirm, progress, cancelled, stream)
    return ImportSummary(previews, dry_run=dry_run)
