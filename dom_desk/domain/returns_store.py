"""A return's rows checked as they stream, and stored: the submission, the earlier figures
superseded, the new figures in bulk, inside a savepoint per file that a refusal rolls back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import Any

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import Session

from dom_desk.domain.periods import period_label
from dom_desk.domain.provider_match import remember_alias
from dom_desk.domain.returns_context import (
    ImportContext,
    OpenedReturn,
    cell_place,
    current_submissions,
)
from dom_desk.domain.returns_outcome import (
    MAX_PROBLEMS,
    FilePreview,
    FileState,
)
from dom_desk.domain.returns_rows import PreviewRow, RowStatus
from dom_desk.models import Provider, Result, Submission, SubmissionAdjustment
from dom_desk.readers import returns_format as fmt
from dom_desk.storage import audit

#: Rows inserted per statement (small batches: fewer objects outlive the cyclic garbage
#: collector's young generations, which keeps its full passes rare).
CHUNK = 500
_READY, _NOTE, _LEFT_OUT = RowStatus.READY, RowStatus.NOTE, RowStatus.LEFT_OUT
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


def checked_rows(
    preview: FilePreview, opened: OpenedReturn, on_row: Callable[[int], None]
) -> Iterator[PreviewRow]:
    """Streams the file's rows, checked; problems and counts go onto ``preview``."""
    sheet = opened.sheet.title
    check = opened.checker.check
    decider = opened.decider
    # The rows a decision in the preview touches (a correction, a row left out).
    touched = decider.rows if decider is not None else frozenset()
    # Counted by the statuses' text (an enumeration member hashes in Python code: on a
    # national return that cost more than the counting) and added up at the end.
    tally: dict[str, int] = dict.fromkeys((status.value for status in RowStatus), 0)
    try:
        for raw in opened.book.rows(opened.sheet, opened.checker.header):
            checked = decider.check(raw) if raw.row in touched else check(raw)  # type: ignore[union-attr]
            on_row(raw.row)
            if checked is None:
                continue
            tally[checked.status._value_] += 1
            if checked.status is _LEFT_OUT:  # shown with its issues, which refuse nothing
                yield checked
                continue
            for issue in checked.issues:
                # A line is worded only where it is kept: a third of a national return's
                # rows have a note, and only the first MAX_PROBLEMS are listed.
                if issue.error:
                    preview.refuse(f"{cell_place(preview, sheet, issue.cell)}: {issue.message}.")
                elif len(preview.row_notes) < MAX_PROBLEMS:
                    line = f"{cell_place(preview, sheet, issue.cell)}: {issue.message}."
                    preview.row_notes.append(line)
            yield checked
        if decider is not None:
            decider.finish()
    finally:
        for text, count in tally.items():
            if count:
                preview.counts[RowStatus(text)] += count


def finish(preview: FilePreview) -> None:
    figures = preview.counts[RowStatus.READY] + preview.counts[RowStatus.NOTE]
    if preview.state in (FileState.READY, FileState.CONFIRM) and not figures:
        preview.refuse(f"'{preview.name}' has no figures on its {fmt.RETURN_SHEET} sheet.")


# -- storing ---------------------------------------------------------------------------------


def store_file(ctx: ImportContext, preview: FilePreview, rows: Iterable[PreviewRow]) -> None:
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
    for earlier in current_submissions(session, provider.id, preview.period_id or 0):
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
        status = row.status
        if status is not _READY and status is not _NOTE:  # RowStatus.stored, inlined
            continue
        batch.append(
            (row.measure_id, row.actual, row.numerator, row.denominator, row.commentary, row.row)
        )
        if len(batch) >= CHUNK:
            stored += write(batch)
    finish(preview)
    if preview.state is FileState.REFUSED:
        return
    stored += write(batch)
    preview.figures = stored
    preview.submission_id = submission.id
    preview.state = FileState.IMPORTED
    # The decisions made in the preview go into the submission's provenance.
    session.add_all(
        SubmissionAdjustment(
            submission_id=submission.id,
            kind=a.kind,
            sheet=a.sheet[:31],
            cell=a.cell,
            source_row=a.row,
            return_column=a.column,
            old_text=a.old_text,
            new_text=a.new_text,
            stored=a.stored[:60],
            reason=a.reason,
        )
        for a in preview.adjustments
    )
    decided = f"; {preview.decided()} in the preview" if preview.adjustments else ""
    audit.record(
        session,
        "import",
        "submission",
        submission.id,
        "sha256",
        None,
        preview.sha256,
        note=f"{preview.name}: {stored} figures for {provider.name}, "
        f"{period_label(preview.period_code)}; {preview.superseded_figures} earlier figures "
        f"superseded{decided}",
    )


def _result_writer(
    session: Session, constants: dict[str, Any]
) -> Callable[[list[tuple[Any, ...]]], int]:
    """A bulk insert of figures, one executemany per batch of ``_ROW_COLUMNS`` tuples.

    The statement is a Core ``insert()`` compiled for the connection's dialect; the driver
    is given values already converted by the columns' own SQLAlchemy types (exact decimal
    text, the dialect's date format), as a Core insert would store them, without building
    a dict per row where the dialect binds by position: on a national return that cost as
    much as SQLite's own work. The batch is emptied once written; returns how many rows
    it held.
    """
    connection = session.connection()
    dialect = connection.dialect
    columns = Result.__table__.c
    fixed = tuple(_bound(columns[name].type, dialect, constants[name]) for name in _FILE_COLUMNS)
    decimal = _processor(columns.actual.type, dialect) or (lambda value: value)
    names = _ROW_COLUMNS + _FILE_COLUMNS
    # A Core insert compiled for the connection's dialect (its SQL and paramstyle), run
    # by the driver's executemany: positional tuples where the dialect binds by position
    # (SQLite's "?"), dicts where it binds by name.
    statement = insert(Result.__table__).inline()  # no RETURNING: ids are not wanted
    compiled = statement.values({n: bindparam(n) for n in names}).compile(dialect=dialect)
    sql = str(compiled)
    order = [names.index(n) for n in compiled.positiontup or ()] if compiled.positional else []
    shaped: Callable[[list[tuple[Any, ...]]], list[Any]] | None = None
    if not compiled.positional:
        shaped = lambda rows: [dict(zip(names, row, strict=True)) for row in rows]  # noqa: E731
    elif order != list(range(len(names))):
        reorder = itemgetter(*order)  # one C call a row, into the table's column order
        shaped = lambda rows: list(map(reorder, rows))  # noqa: E731

    def write(batch: list[tuple[Any, ...]]) -> int:
        if not batch:
            return 0
        count = len(batch)
        rows = [
            (
                measure_id,
                # None binds as NULL whatever the type: only figures need converting.
                None if actual is None else decimal(actual),
                None if numerator is None else decimal(numerator),
                None if denominator is None else decimal(denominator),
                commentary,
                source_row,
                *fixed,
            )
            for measure_id, actual, numerator, denominator, commentary, source_row in batch
        ]
        connection.exec_driver_sql(sql, rows if shaped is None else shaped(rows))
        batch.clear()
        return count

    return write


def _processor(column_type: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """What the column's type, as the dialect implements it, does to a value bound to it
    (SQLite's DATETIME writes its own text; the generic DateTime has no processor)."""
    return column_type.dialect_impl(dialect).bind_processor(dialect)


def _bound(column_type: Any, dialect: Any, value: Any) -> Any:
    processor = _processor(column_type, dialect)
    return value if processor is None else processor(value)


def store_in_savepoint(
    ctx: ImportContext, preview: FilePreview, rows: Iterable[PreviewRow]
) -> None:
    """Stores one file so that a refusal (or a failure) undoes that file alone."""
    savepoint = ctx.session.begin_nested()
    try:
        store_file(ctx, preview, rows)
    except BaseException:
        savepoint.rollback()
        raise
    if preview.state is FileState.IMPORTED:
        savepoint.commit()
    else:
        savepoint.rollback()
