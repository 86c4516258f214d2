"""The checks a return passes before its rows are read: the container, a file seen before,
the hidden identity sheet (this region, this workbook), the cover's period and provider,
and the Return sheet's header. A file that stops here changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain.periods import canonical_code, format_date, month_code, period_label
from dom_desk.domain.provider_match import match_provider
from dom_desk.domain.region import period_by_code
from dom_desk.domain.returns_context import (
    ImportContext,
    OpenedReturn,
    cell_place,
    current_submissions,
)
from dom_desk.domain.returns_outcome import (
    FilePreview,
    FileState,
)
from dom_desk.domain.returns_rows import RowChecker
from dom_desk.errors import ValidationError
from dom_desk.models import Period, PeriodKind, Provider, Result, Submission
from dom_desk.readers import returns_format as fmt
from dom_desk.readers.returns_reader import (
    ReturnBook,
    ReturnFileError,
    check_container,
    sha256_of,
    text_of,
)

#: Asked about a provider name that is close but not exact; True imports the file.
Confirm = Callable[[FilePreview], bool]


def _identity(book: ReturnBook, ctx: ImportContext) -> dict[str, str]:
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
    return canonical_code(text_of(value))


def read_head(
    ctx: ImportContext, preview: FilePreview, book: ReturnBook, confirm: Confirm | None
) -> OpenedReturn | None:
    """Checks identity, cover, provider, period and header; None if the file stops here.

    A close provider name that ``confirm`` does not accept leaves the file to confirm.
    """
    identity = _identity(book, ctx)
    cover = book.pairs(fmt.COVER_SHEET)
    written, cell = _cover_value(cover, fmt.COVER_PERIOD)
    period_code = _period_text(written) or identity.get(fmt.ID_PERIOD, "")
    if period_code != identity.get(fmt.ID_PERIOD, period_code):
        preview.notes.append(
            f"{cell_place(preview, fmt.COVER_SHEET, cell)}: the period was "
            f"changed from {period_label(identity[fmt.ID_PERIOD])} to {period_label(period_code)}"
        )
    try:
        period = period_by_code(ctx.session, period_code)
    except ValidationError as exc:
        place = cell_place(preview, fmt.COVER_SHEET, cell) if cell else f"'{preview.name}'"
        preview.refuse(f"{place}: {exc.reason}.")
        return None
    preview.period_id, preview.period_code = period.id, period.code

    name, cell = _cover_value(cover, fmt.COVER_PROVIDER)
    preview.provider_written = text_of(name) or identity.get(fmt.ID_PROVIDER, "")
    match = match_provider(ctx.session, preview.provider_written)
    preview.match = match
    if not match.found:
        place = cell_place(preview, fmt.COVER_SHEET, cell) if cell else f"'{preview.name}'"
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
                f"{cell_place(preview, fmt.COVER_SHEET, cell)}: the declaration is not confirmed"
            )

    slot = (provider.id, period.id)
    if slot in ctx.seen_slots:
        preview.refuse(
            f"'{preview.name}' is a second return for {provider.name}, "
            f"{period_label(period.code)} in this import (after '{ctx.seen_slots[slot]}'); "
            "import corrections on their own."
        )
        return None
    preview.replaces = [
        f"'{s.file_name or 'keyed-in figures'}' received {format_date(s.received_at.date())}"
        for s in current_submissions(ctx.session, provider.id, period.id)
    ]
    note = cadence_note(ctx.session, provider, period)
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
    return OpenedReturn(book, sheet, checker)


def start_file(ctx: ImportContext, path: Path) -> FilePreview:
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
    check_duplicate(ctx, preview)
    return preview


#: Finest first, as the performance figures use them.
_FINER = {PeriodKind.YEAR: 0, PeriodKind.QUARTER: 1, PeriodKind.MONTH: 2}


def cadence_note(session: Session, provider: Provider, period: Period) -> str:
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
            f"{provider.name} already has {held} figures for {period_label(period.code)}; where "
            f"both are held the performance figures use the {held} ones, so this "
            f"{period.kind.label.lower()}'s figures show only among the results"
        )
    return (
        f"{provider.name} already has {held} figures covering {period_label(period.code)}; "
        "from now "
        f"on the performance figures use these {period.kind.label.lower()}ly ones"
    )


def check_duplicate(ctx: ImportContext, preview: FilePreview) -> None:
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
            f"{period_label(earlier.period.code)}){superseded}; nothing changed."
        )
        return
    ctx.seen_files[preview.sha256] = preview.name
