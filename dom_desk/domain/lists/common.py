"""What every list importer shares: finding the sheet, reading cells, naming them.

A kind module (``providers``, ``targets``...) reads its file like this::

    FIELDS = (
        FieldSpec("name", "Name", ("name", "provider"), required=True, help="..."),
        FieldSpec("cost", "Target unit cost (£)", ("target unit cost", "unit cost"),
                  value_type="money", help="..."),
        FieldSpec("kind", "Kind", ("kind", "type"), True, value_type="choice",
                  choices=choice_labels(ProviderKind)),
    )

    def read(session, path, sheet=None, year_label=None) -> ListPreview:
        found = open_sheet(path, ListKind.PROVIDERS, FIELDS, sheet)
        same_name = Duplicates("name", "provider")
        for row in found.rows():                      # blank rows skipped
            name = row.text("name")                   # "" if empty or no such column
            kind = row.choice("kind", ProviderKind)   # None, and an error, if not a label
            cost = row.money("cost")                  # pence, the header's unit applied
            same_name.check(row, name)                # a second row with it: an error
            ...
            changed = changes(held, {"kind": kind, ...})  # () for a new record
            row.done(status_of(held, changed), values={...}, what=name,
                     changed=titles(FIELDS, changed))  # errors make it RowStatus.ERROR
        return found.preview

    def apply(session, preview) -> ImportSummary:
        refuse_errors(preview)                        # a preview with errors: refused
        ...                                           # add with add_new(session, record)
        return record_import(session, preview, added, updated)

- ``open_sheet(path, kind, fields, sheet)`` -> :class:`FoundSheet`: the sheet with a
  header naming the required fields (headers compared case- and space-insensitively, in
  any order; "Amount (£m)", "Cost £k", "Amount (£)" give the column's unit; a trailing
  " *", the template's mark of a required column, is ignored). A file that is not a
  sound xlsx, or has no such header, is refused by ValidationError naming the file.
- :class:`SheetRow` reads one row's cells: ``text``, ``money`` (integer pence, exact,
  with the header's unit: "Amount (£m)" 1.5 is 150,000,000 pence; "(2.5)" is negative;
  ``negative=True`` allows it), ``integer``, ``decimal``, ``date``, ``choice`` (via
  ``Labelled.from_label``), ``yes_no``, ``year`` (a financial year "2009-10"). A bad
  value adds an error naming "FILE, sheet 'S', cell C7" and returns None; ``where(key)``
  gives that text, ``error(key, reason)`` and ``warn(key, reason)`` add one, ``has(key)``
  says whether the sheet has the column at all (a column left out changes nothing).
- :class:`Duplicates` refuses a second row with the same key, naming both rows.
- ``refuse_errors(preview)`` raises the one-sentence refusal ``apply`` gives for a
  preview with errors; ``record_import`` writes the import's audit line and returns the
  :class:`ImportSummary`; ``add_new(session, record)`` adds a record with a fresh id.
- ``parse_money(value, unit, where, negative=False)`` and ``choice_labels(enum)`` are
  there for values that do not come from a row.

- ``status_of(record, changed)`` is NEW, UPDATE or UNCHANGED (importing the same file
  twice: every row UNCHANGED, and ``preview.records``, the rows ``apply`` writes, are
  only NEW and UPDATE); ``changes(record, values)`` lists the fields whose values differ
  from a held record's; ``titles(FIELDS, keys)`` names them for the preview.
- ``row.lines(key)`` keeps a cell's line breaks (wording, notes); ``row.text(key,
  limit=160)`` refuses a longer text. ``found.preview.year`` holds the year a per-year
  list was read for, and ``preview.extra`` anything ``read`` hands to ``apply``.

The entry points (``domain.lists_import.preview_list``, ``import_list``, ``apply_list``),
the CLI (``dom-desk import-list KIND``), the templates (``exports.list_templates``) and
File ▸ Import List… all go through a kind's FIELDS, ``read`` and ``apply`` alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from dom_desk.domain.limits import check_pence
from dom_desk.domain.lists_import import (
    ImportSummary,
    ListKind,
    ListPreview,
    PreviewRow,
    RowStatus,
)
from dom_desk.domain.periods import parse_date, parse_year, year_label
from dom_desk.errors import DomDeskError, ValidationError
from dom_desk.models import (
    Agreement,
    Base,
    DemandFigure,
    Measure,
    Priority,
    Provider,
    Service,
    Target,
)
from dom_desk.models.base import Labelled, string_length, too_long
from dom_desk.readers.list_sheets import (
    HEADER_SEARCH_ROWS,
    FieldSpec,
    ListSheet,
    cell_text,
    column_letter,
    normal,
    read_list_sheet,
    split_unit,
)
from dom_desk.storage import audit

__all__ = [
    "Duplicates",
    "FieldSpec",
    "FoundSheet",
    "ImportSummary",
    "ListKind",
    "ListPreview",
    "PreviewRow",
    "RowStatus",
    "SheetRow",
    "add_new",
    "changes",
    "choice_labels",
    "open_sheet",
    "parse_money",
    "record_import",
    "refuse_errors",
    "status_of",
    "titles",
]

#: The record each kind's row values are written to: a text value must fit its column.
#: (Envelope rows name their fields differently and check their own lengths.)
RECORDS: dict[ListKind, type[Base]] = {
    ListKind.PROVIDERS: Provider,
    ListKind.SERVICES: Service,
    ListKind.MEASURES: Measure,
    ListKind.PRIORITIES: Priority,
    ListKind.TARGETS: Target,
    ListKind.AGREEMENTS: Agreement,
    ListKind.DEMAND: DemandFigure,
}

_SCALE = {"£m": Decimal(1_000_000), "£k": Decimal(1000), "£": Decimal(1), "": Decimal(1)}
_FLOAT_NOISE = Decimal("0.000001")
_YES = frozenset({"yes", "y", "true", "1", "x", "✓"})
_NO = frozenset({"no", "n", "false", "0", ""})


def choice_labels(enum: type[Labelled]) -> tuple[str, ...]:
    """The words a choice column accepts, as the window shows them."""
    return tuple(member.label for member in enum)


def parse_money(value: Any, unit: str, where: str, negative: bool = False) -> int | None:
    """Integer pence from a cell, exactly: ``unit`` is the header's ("£m", "£k", "£" or
    ""); text may carry its own "£", commas, "m"/"k" (only without a header unit) and
    brackets for a negative amount. None for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool | datetime | date):
        raise ValidationError(f"'{cell_text(value)}' is not an amount of money", where)
    scale = _SCALE[unit]
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        # repr is the shortest text that reads back as the same float: 1.5, not 1.4999...
        amount = Decimal(repr(value))
    else:
        raw = " ".join(str(value).split())
        text = raw
        minus = text.startswith("(") and text.endswith(")")
        text = text.strip("()").replace("£", "").replace(",", "").replace(" ", "")
        if text[-1:].lower() in ("m", "k") and unit in ("", "£"):
            scale = _SCALE["£m" if text[-1].lower() == "m" else "£k"]
            text = text[:-1]
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValidationError(f"'{raw}' is not an amount of money", where) from None
        if not amount.is_finite():
            raise ValidationError(f"'{raw}' is not an amount of money", where)
        if minus:
            amount = -amount
    if not amount.is_finite():
        raise ValidationError(f"'{cell_text(value)}' is not an amount of money", where)
    if amount and amount.adjusted() > 15:  # before scaling: 1e999999 is never expanded
        check_pence(10**20, where, cell_text(value))
    pence = amount * scale * 100
    if isinstance(value, float) and abs(pence - pence.to_integral_value()) < _FLOAT_NOISE:
        # A figure Excel worked out (=A1*1.1) carries binary noise, not a fraction of a
        # penny anyone meant: 0.30000000000000004 is 30p.
        pence = pence.to_integral_value()
    if pence != pence.to_integral_value():
        raise ValidationError(f"'{cell_text(value)}' has a fraction of a penny", where)
    if pence < 0 and not negative:
        raise ValidationError(f"'{cell_text(value)}' is below £0", where)
    return check_pence(int(pence), where, cell_text(value))


class FoundSheet:
    """A list sheet found in a file, with the preview its rows are read into."""

    def __init__(
        self, path: Path, kind: ListKind, fields: tuple[FieldSpec, ...], sheet: ListSheet
    ) -> None:
        self.path = path
        self.fields = {spec.key: spec for spec in fields}
        self.sheet = sheet
        letters = {k: column_letter(i) for k, i in sheet.columns.items()}
        self.preview = ListPreview(kind, path, sheet.name, letters, [])
        self._header_texts = [{normal(v) for v in r if v is not None} for r in sheet.header_rows]

    def where(self, number: int, key: str | None = None) -> str:
        """ "FILE, sheet 'S', cell C7" (or "..., row 7" when the column is not known)."""
        head = f"{self.path.name}, sheet '{self.sheet.name}'"
        if key is not None and key in self.sheet.columns:
            return f"{head}, cell {column_letter(self.sheet.columns[key])}{number}"
        return f"{head}, row {number}"

    def rows(self) -> Iterator[SheetRow]:
        """Every row below the header with something in it; a repeated header row is
        shown in the preview as such and skipped."""
        for number, values in self.sheet.rows:
            if not any(cell_text(v) for v in values):
                continue
            texts = {normal(v) for v in values if v is not None}
            if any(h and texts >= h for h in self._header_texts):
                self.preview.rows.append(PreviewRow(number, RowStatus.HEADER))
                continue
            yield SheetRow(self, number, values)


class SheetRow:
    """One row's cells, read by field; a bad value becomes an error naming its cell."""

    def __init__(self, sheet: FoundSheet, number: int, values: tuple[Any, ...]) -> None:
        self.sheet = sheet
        self.number = number
        self.values = values
        self.result = PreviewRow(number, RowStatus.NEW)
        self._checked_required = False

    def has(self, key: str) -> bool:
        """Whether the sheet has the column (a column left out leaves the field alone)."""
        return key in self.sheet.sheet.columns

    def where(self, key: str | None = None) -> str:
        return self.sheet.where(self.number, key)

    def error(self, key: str | None, reason: str) -> None:
        self.result.errors.append(f"{self.where(key)}: {reason}")

    def warn(self, key: str | None, reason: str) -> None:
        self.result.warnings.append(f"{self.where(key)}: {reason}")

    def raw(self, key: str) -> Any:
        index = self.sheet.sheet.columns.get(key)
        if index is None or index >= len(self.values):
            return None
        return self.values[index]

    def text(self, key: str, limit: int | None = None) -> str:
        """The cell as one-spaced text ("" when empty or the column is missing); an empty
        required cell, or one longer than ``limit`` characters, is an error."""
        text = cell_text(self.raw(key))
        spec = self.sheet.fields.get(key)
        if not text and spec is not None and spec.required:
            self.error(key, f"{spec.title.removesuffix(' *')} is empty")
        if limit is not None and len(text) > limit:
            self.error(key, f"the text is longer than {limit} characters")
        return text

    def lines(self, key: str) -> str:
        """A cell that keeps its line breaks (wording, notes), each line one-spaced."""
        value = self.raw(key)
        if value is None:
            return self.text(key)
        if not isinstance(value, str):
            return self.text(key)
        kept = [" ".join(line.split()) for line in str(value).splitlines()]
        text = "\n".join(line for line in kept if line)
        if not text:
            return self.text(key)
        return text

    def _call(self, key: str, parse: Any) -> Any:
        value = self.raw(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.text(key)  # the required check
            return None
        try:
            return parse(value)
        except ValidationError as exc:
            self.result.errors.append(str(exc))
            return None

    def money(self, key: str, negative: bool = False) -> int | None:
        unit = self.sheet.sheet.units.get(key, "")
        return self._call(key, lambda v: parse_money(v, unit, self.where(key), negative))

    def integer(self, key: str, minimum: int | None = 0) -> int | None:
        def parse(value: Any) -> int:
            text = cell_text(value).replace(",", "")
            try:
                number = Decimal(text)
            except InvalidOperation:
                number = Decimal("NaN")
            if not number.is_finite() or number != number.to_integral_value():
                raise ValidationError(
                    f"'{cell_text(value)}' is not a whole number", self.where(key)
                )
            if minimum is not None and number < minimum:
                raise ValidationError(f"'{cell_text(value)}' is below {minimum}", self.where(key))
            if abs(number) > 10**9:
                raise ValidationError(f"'{cell_text(value)}' is too large", self.where(key))
            return int(number)

        return self._call(key, parse)

    def decimal(self, key: str) -> Decimal | None:
        def parse(value: Any) -> Decimal:
            if isinstance(value, bool | datetime | date):
                raise ValidationError(f"'{cell_text(value)}' is not a number", self.where(key))
            # Twelve figures: what a sheet shows, without the binary noise of a formula.
            text = f"{value:.12g}" if isinstance(value, float) else cell_text(value)
            text = text.replace(",", "").removesuffix("%").strip()
            try:
                number = Decimal(text)
            except InvalidOperation:
                raise ValidationError(
                    f"'{cell_text(value)}' is not a number", self.where(key)
                ) from None
            if not number.is_finite() or (number and number.adjusted() > 12):
                raise ValidationError(f"'{cell_text(value)}' is not a number", self.where(key))
            return number

        return self._call(key, parse)

    def date(self, key: str) -> date | None:
        def parse(value: Any) -> date | None:
            if isinstance(value, datetime):
                return value.date()
            if isinstance(value, date):
                return value
            return parse_date(cell_text(value), self.where(key))

        return self._call(key, parse)

    def choice(self, key: str, enum: type[Labelled]) -> Any:
        def parse(value: Any) -> Labelled:
            try:
                return enum.from_label(cell_text(value))
            except ValueError as exc:
                raise ValidationError(str(exc), self.where(key)) from None

        return self._call(key, parse)

    def yes_no(self, key: str) -> bool | None:
        def parse(value: Any) -> bool:
            text = cell_text(value).casefold()
            if isinstance(value, bool):
                return value
            if text in _YES:
                return True
            if text in _NO:
                return False
            raise ValidationError(f"'{cell_text(value)}' is not Yes or No", self.where(key))

        return self._call(key, parse)

    def year(self, key: str) -> str | None:
        """A financial year as the workbook labels it ("2009-10")."""

        def parse(value: Any) -> str:
            try:
                return year_label(parse_year(cell_text(value)))
            except ValidationError as exc:
                raise ValidationError(exc.reason, self.where(key)) from None

        return self._call(key, parse)

    def _check_lengths(self, values: dict[str, Any]) -> None:
        """An error for each text longer than the record's column holds (PostgreSQL
        refuses it; SQLite would keep it), unless its cell is refused already."""
        entity = RECORDS.get(self.sheet.preview.kind)
        if entity is None:
            return
        for key, value in values.items():
            length = string_length(entity, key)
            reason = too_long(length, value) if length and isinstance(value, str) else None
            where = self.where(key)
            if reason and not any(e.startswith(f"{where}:") for e in self.result.errors):
                self.error(key, f"the text {reason}")

    def done(
        self,
        status: RowStatus = RowStatus.NEW,
        values: dict[str, Any] | None = None,
        what: str = "",
        changed: tuple[str, ...] = (),
    ) -> PreviewRow:
        """Adds the row to the preview: an error row if anything was refused (a text
        longer than its record's column holds among them)."""
        result = self.result
        self._check_lengths(values or {})
        result.status = RowStatus.ERROR if result.errors else status
        result.values = dict(values or {})
        result.what = what
        result.changed = changed
        self.sheet.preview.rows.append(result)
        return result


class Duplicates:
    """Refuses a second row with the same key (compared case- and space-insensitively),
    naming both rows: "... cell A9: provider 'HMP Leeds' is also on row 4"."""

    def __init__(self, key: str, noun: str) -> None:
        self.key = key
        self.noun = noun
        self.seen: dict[str, int] = {}

    def check(self, row: SheetRow, value: Any) -> None:
        if value in (None, ""):
            return
        wanted = normal(value).replace(" ", "") if isinstance(value, str) else str(value)
        first = self.seen.setdefault(wanted, row.number)
        if first != row.number:
            row.error(self.key, f"{self.noun} '{value}' is also on row {first}")


def open_sheet(
    path: Path, kind: ListKind, fields: tuple[FieldSpec, ...], sheet: str | None = None
) -> FoundSheet:
    """The sheet of ``path`` (or ``sheet``) whose header names the required fields."""
    path = Path(path)
    try:
        found = read_list_sheet(path, fields, sheet)
    except ValidationError:
        raise
    except DomDeskError as exc:
        raise ValidationError(str(exc)) from None
    if found is None:
        wanted = ", ".join(s.title.removesuffix(" *") for s in fields if s.required)
        where = f"sheet '{sheet}'" if sheet else "any sheet"
        known = ", ".join(s.title for s in fields)
        raise ValidationError(
            f"no header row naming {wanted} was found in {where} (within the first "
            f"{HEADER_SEARCH_ROWS} rows); a {kind.value} list has the columns {known}",
            path.name,
        )
    return FoundSheet(path, kind, fields, found)


def refuse_errors(preview: ListPreview) -> None:
    """The refusal ``apply`` gives for a preview with errors: its first, and how many."""
    errors = preview.errors
    if not errors:
        return
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    raise ValidationError(f"{errors[0]}{more}; nothing was imported")


def changes(record: Any, values: dict[str, Any]) -> tuple[str, ...]:
    """The fields of ``values`` that differ from ``record``'s (None: a new record)."""
    if record is None:
        return ()
    return tuple(k for k, v in values.items() if getattr(record, k) != v)


def status_of(record: Any, changed: tuple[str, ...]) -> RowStatus:
    """NEW without a held record, UPDATE when fields change, else UNCHANGED."""
    if record is None:
        return RowStatus.NEW
    return RowStatus.UPDATE if changed else RowStatus.UNCHANGED


def titles(fields: tuple[FieldSpec, ...], keys: tuple[str, ...]) -> tuple[str, ...]:
    """The columns' titles (without units or marks) for field keys, for a preview."""
    named = {s.key: split_unit(normal(s.title))[0] for s in fields}
    return tuple(named.get(k, k) for k in keys)


def add_new(session: Session, record: Base) -> Base:
    """Adds a new record with an id its table has never used (see audit.fresh_id)."""
    record.id = audit.fresh_id(session, type(record))  # type: ignore[attr-defined]
    session.add(record)
    session.flush()
    return record


def apply_keyed(
    session: Session,
    preview: ListPreview,
    held: dict[Any, Any],
    key: str,
    make: Callable[[dict[str, Any]], Base],
    fold: Callable[[Any], Any] = lambda v: v,
) -> ImportSummary:
    """Writes a checked preview whose rows are known by one field (a provider's or a
    service's name, a priority's number): a row whose key ``held`` lacks is made new by
    ``make``, the others update only the fields that differ. ``fold`` turns a key into
    ``held``'s (case-folded names)."""
    refuse_errors(preview)
    added = updated = 0
    for row in preview.records:
        values = dict(row.values)
        record = held.get(fold(values[key]))
        if record is None:
            held[fold(values[key])] = add_new(session, make(values))
            added += 1
            continue
        changed = changes(record, {k: v for k, v in values.items() if k != key})
        for name in changed:
            setattr(record, name, values[name])
        updated += bool(changed)
    session.flush()
    return record_import(session, preview, added, updated)


def record_import(
    session: Session, preview: ListPreview, added: int, updated: int
) -> ImportSummary:
    """The import's line in the audit trail (when it changed anything), and its summary."""
    if added or updated:
        audit.record(
            session,
            audit.IMPORT,
            preview.kind.value,
            None,
            note=f"{preview.path.name}, sheet '{preview.sheet}': {added} added, {updated} updated",
        )
    return ImportSummary(added, updated)
