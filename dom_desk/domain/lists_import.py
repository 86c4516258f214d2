"""Milestones and risks from spreadsheets laid out as the plans print them.

The sheet is read by ``readers.list_sheets`` (the header found, the rows as values, the
file through the checks every spreadsheet reader shares); this module says what each row
means against the workbook and writes it. Section heading rows ("Managing Offenders in
Custody", "1  Contributing to ...") and repeated header rows are allowed and skipped; a
milestone takes its section heading as its owner when the sheet has no owner column.

Every other kind (providers, services, measures, priorities, targets, envelope,
agreements) is read and written by its own module in ``domain.lists``, through the
same entry points here: ``preview_list``, ``import_list`` and ``apply_list``.

Reading gives a :class:`ListPreview`: every row with what will happen to it and any
problem, named by file, sheet and cell. Nothing is written until ``apply_list``, which
refuses a preview with errors and otherwise writes everything in the caller's one
transaction (new rows added, rows whose reference already exists updated).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain.fuzzy_dates import parse_fuzzy
from dom_desk.domain.periods import parse_date
from dom_desk.domain.region import current_year, risk_matrix
from dom_desk.domain.risks import parse_level
from dom_desk.errors import ValidationError
from dom_desk.models import Milestone, Priority, Risk
from dom_desk.models.base import string_length, too_long
from dom_desk.readers.list_sheets import (
    FIELDS,
    HEADER_SEARCH_ROWS,
    FieldSpec,
    ListKind,
    read_list_sheet,
)
from dom_desk.readers.list_sheets import cell_text as _cell_text
from dom_desk.readers.list_sheets import column_letter as _letter
from dom_desk.readers.list_sheets import normal as _normal
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook

__all__ = [
    "FIELDS",
    "FieldSpec",
    "ImportSummary",
    "ListKind",
    "ListPreview",
    "PreviewRow",
    "RowStatus",
    "apply_list",
    "fields_of",
    "import_list",
    "kind_module",
    "preview_list",
    "read_list",
]


class RowStatus(enum.Enum):
    NEW = "New"
    UPDATE = "Update"
    HEADING = "Section heading"
    HEADER = "Header"
    #: Already in the workbook as the file has it: importing it changes nothing.
    UNCHANGED = "Unchanged"
    #: A part of the multi-part measure on an earlier row (measures only).
    PART = "Part"
    ERROR = "Error"


@dataclass
class PreviewRow:
    number: int
    status: RowStatus
    values: dict[str, Any] = field(default_factory=dict)
    #: Problems that block the import, each naming its cell.
    errors: list[str] = field(default_factory=list)
    #: Things worth knowing that do not block it.
    warnings: list[str] = field(default_factory=list)
    #: The text of a section heading row.
    heading: str = ""
    #: What the row is, in a few words, for the preview ("PT 1", "HMP Leeds").
    what: str = ""
    #: For an update: the fields that will change (their words), empty if none will.
    changed: tuple[str, ...] = ()


@dataclass
class ListPreview:
    kind: ListKind
    path: Path
    sheet: str
    #: Field key -> column letter, as found in the header.
    columns: dict[str, str]
    rows: list[PreviewRow]
    #: The financial year the list was read for, when its kind is per year.
    year: str = ""
    #: What a kind module keeps between read and apply (the measures' framework).
    extra: Any = None

    @property
    def errors(self) -> list[str]:
        return [e for r in self.rows for e in r.errors]

    @property
    def warnings(self) -> list[str]:
        return [w for r in self.rows for w in r.warnings]

    @property
    def records(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.status in (RowStatus.NEW, RowStatus.UPDATE)]

    def counts(self) -> dict[RowStatus, int]:
        found: dict[RowStatus, int] = {}
        for row in self.rows:
            found[row.status] = found.get(row.status, 0) + 1
        return found

    def summary(self) -> str:
        counts = self.counts()
        noun = self.kind.value
        text = (
            f"{self.path.name}, sheet '{self.sheet}': {counts.get(RowStatus.NEW, 0)} new "
            f"and {counts.get(RowStatus.UPDATE, 0)} updated {noun}"
        )
        if counts.get(RowStatus.UNCHANGED):
            text += f", {counts[RowStatus.UNCHANGED]} unchanged"
        if self.errors:
            text += f"; {len(self.errors)} error(s), nothing will be imported"
        if self.warnings:
            text += f"; {len(self.warnings)} warning(s)"
        return text


@dataclass(frozen=True)
class ImportSummary:
    added: int
    updated: int


def read_list(
    session: Session,
    path: Path,
    kind: ListKind,
    sheet: str | None = None,
    year_label: str | None = None,
) -> ListPreview:
    """Reads and checks a list without writing anything: the preview."""
    path = Path(path)
    if kind not in OLDER_KINDS:
        return kind_module(kind).read(session, path, sheet, year_label)
    found = read_list_sheet(path, kind, sheet)
    if found is None:
        specs = FIELDS[kind]
        wanted = ", ".join(s.title for s in specs if s.required)
        where = f"sheet '{sheet}'" if sheet else "any sheet"
        raise ValidationError(
            f"no header row naming {wanted} was found in {where} (within "
            f"the first {HEADER_SEARCH_ROWS} rows)",
            path.name,
        )
    columns = found.columns
    preview = ListPreview(kind, path, found.name, {k: _letter(i) for k, i in columns.items()}, [])
    reader = _RowReader(session, preview, columns, found.header_rows)
    reader.heading = _heading_above(found.above)
    for number, row in found.rows:
        result = reader.read(number, row)
        if result is not None:
            preview.rows.append(result)
    return preview


#: The kinds this module reads itself; every other kind has its own module (domain.lists).
OLDER_KINDS = (ListKind.MILESTONES, ListKind.RISKS)


def kind_module(kind: ListKind) -> ModuleType:
    """The module reading ``kind``; a kind whose importer this version does not have yet
    is refused by sentence."""
    # By name: the kind modules build on this one's shapes (an import would be a cycle).
    name = import_module("dom_desk.domain.lists").KIND_MODULES[kind]
    try:
        return import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        raise ValidationError(
            f"importing {kind.value} from a spreadsheet is not available in this version yet"
        ) from None


def fields_of(kind: ListKind) -> tuple[FieldSpec, ...]:
    """A kind's columns, in the template's order."""
    if kind in OLDER_KINDS:
        return FIELDS[kind]
    return tuple(kind_module(kind).FIELDS)


def preview_list(
    wb: Workbook,
    path: Path,
    kind: ListKind,
    sheet: str | None = None,
    year_label: str | None = None,
) -> ListPreview:
    """The preview of a list file, read against the workbook, writing nothing."""
    with wb.session() as session:
        return read_list(session, path, kind, sheet, year_label)


def _heading_above(rows: list[tuple[Any, ...]]) -> str:
    """A section heading just above the header ("Managing Offenders in Custody")."""
    if rows:
        filled = [_cell_text(v) for v in rows[-1] if _cell_text(v)]
        if len(filled) == 1:
            return filled[0]
    return ""


class _RowReader:
    """Turns sheet rows into preview rows, remembering headings and references seen."""

    def __init__(
        self,
        session: Session,
        preview: ListPreview,
        columns: dict[str, int],
        header_rows: list[tuple[Any, ...]],
    ) -> None:
        self.session = session
        self.preview = preview
        self.columns = columns
        self.header_texts = [{_normal(v) for v in r if v is not None} for r in header_rows]
        self.heading = ""
        self.seen: dict[str, int] = {}
        self.titles_seen: dict[str, int] = {}
        self.specs = {s.key: s for s in FIELDS[preview.kind]}
        if preview.kind is ListKind.RISKS:
            self.matrix = risk_matrix(session)
            year = current_year(session)
            self.priorities = {
                p.number: p
                for p in session.scalars(select(Priority).where(Priority.year_id == year.id))
            }
            self.existing = {r.reference: r for r in session.scalars(select(Risk))}
        else:
            milestones = list(session.scalars(select(Milestone)))
            self.existing = {m.reference: m for m in milestones if m.reference}
            self.by_title = {_normal(m.title): m for m in milestones}

    def where(self, number: int, key: str) -> str:
        return (
            f"{self.preview.path.name}, sheet '{self.preview.sheet}', cell "
            f"{_letter(self.columns[key])}{number}"
        )

    def read(self, number: int, row: tuple[Any, ...]) -> PreviewRow | None:
        texts = {k: _cell_text(row[i]) if i < len(row) else "" for k, i in self.columns.items()}
        filled = [_cell_text(v) for v in row if _cell_text(v)]
        if not filled:
            return None
        if any({_normal(v) for v in row if v is not None} >= h and h for h in self.header_texts):
            return PreviewRow(number, RowStatus.HEADER)
        if self._is_heading(texts, filled):
            self.heading = max(filled, key=len)
            return PreviewRow(number, RowStatus.HEADING, heading=self.heading)
        result = PreviewRow(number, RowStatus.NEW)
        if self.preview.kind is ListKind.RISKS:
            self._risk(number, texts, result)
        else:
            self._milestone(number, texts, result)
        self._check_lengths(number, result)
        if result.errors:
            result.status = RowStatus.ERROR
        return result

    def _check_lengths(self, number: int, result: PreviewRow) -> None:
        """An error for each text longer than its column holds (PostgreSQL refuses it;
        SQLite would keep it): a milestone's due text over 60 characters, say."""
        entity = Risk if self.preview.kind is ListKind.RISKS else Milestone
        for key, value in result.values.items():
            length = string_length(entity, key)
            reason = too_long(length, value) if length and isinstance(value, str) else None
            if reason:
                column = "due" if key == "due_text" else key
                where = (
                    self.where(number, column)
                    if column in self.columns
                    else f"{self.preview.path.name}, sheet '{self.preview.sheet}', row {number}"
                )
                title = self.specs[column].title if column in self.specs else key
                result.errors.append(f"{where}: {title} {reason}")

    def _is_heading(self, texts: dict[str, str], filled: list[str]) -> bool:
        if self.preview.kind is ListKind.RISKS:
            return not (texts["description"] or texts["likelihood"] or texts["impact"])
        return not texts["due"] and len(filled) == 1

    def _required(self, number: int, texts: dict[str, str], result: PreviewRow) -> None:
        for key, spec in self.specs.items():
            if spec.required and key in self.columns and not texts[key]:
                hint = " (write Tbc if it is not known)" if key == "due" else ""
                result.errors.append(f"{self.where(number, key)}: {spec.title} is empty{hint}")

    def _reference(self, number: int, reference: str, result: PreviewRow) -> None:
        if not reference:
            return
        if reference in self.seen:
            result.errors.append(
                f"{self.where(number, 'reference')}: reference {reference} "
                f"is also used on row {self.seen[reference]}"
            )
        self.seen.setdefault(reference, number)

    def _date(self, number: int, key: str, text: str, result: PreviewRow) -> date | None:
        if not text:
            return None
        try:
            return parse_date(text, self.where(number, key))
        except ValidationError as exc:
            result.errors.append(str(exc))
            return None

    def _risk(self, number: int, texts: dict[str, str], result: PreviewRow) -> None:
        self._required(number, texts, result)
        reference = texts["reference"]
        self._reference(number, reference, result)
        # Only what the sheet has: a re-import without an Owner column keeps the owners.
        values: dict[str, Any] = {"reference": reference, "description": texts["description"]}
        values.update({k: texts[k] for k in ("owner", "mitigations") if k in self.columns})
        for key in ("likelihood", "impact"):
            if texts[key]:
                try:
                    values[key] = parse_level(texts[key], self.where(number, key))
                except ValidationError as exc:
                    result.errors.append(str(exc))
        if "review" in self.columns:
            values["review"] = self._date(number, "review", texts["review"], result)
        priority = texts.get("priority", "")
        if "priority" in self.columns:
            found = self.priorities.get(int(priority)) if priority.isdigit() else None
            if priority and found is None:
                result.warnings.append(
                    f"{self.where(number, 'priority')}: priority "
                    f"'{priority}' is not one of this year's numbered "
                    "priorities; the risk is imported without one"
                )
            values["priority"] = found
        score = texts.get("score", "")
        if score and "likelihood" in values and "impact" in values:
            matrix_score = self.matrix.get((values["likelihood"], values["impact"]))
            if score != str(matrix_score):
                result.warnings.append(
                    f"{self.where(number, 'score')}: the sheet scores this risk {score}; the "
                    f"workbook's matrix gives {matrix_score}, which is what will be shown"
                )
        result.values = values
        if reference in self.existing:
            result.status = RowStatus.UPDATE

    def _milestone(self, number: int, texts: dict[str, str], result: PreviewRow) -> None:
        self._required(number, texts, result)
        reference = texts.get("reference", "")
        self._reference(number, reference, result)
        if not reference and texts["title"]:
            # Without references a milestone is known by its title: a second row with the
            # same title would silently overwrite the first, so the preview says so.
            title = _normal(texts["title"])
            if title in self.titles_seen:
                result.errors.append(
                    f"{self.where(number, 'title')}: the same milestone is also on row "
                    f"{self.titles_seen[title]}; give the rows references to keep both"
                )
            self.titles_seen.setdefault(title, number)
        due = parse_fuzzy(texts["due"]) if texts["due"] else None
        if due is not None and due.best is None:
            result.warnings.append(
                f"{self.where(number, 'due')}: '{due.text}' names no "
                "date; the milestone is kept without one"
            )
        values: dict[str, Any] = {
            "title": texts["title"],
            "due": due.best if due else None,
            "due_text": "" if due is None or due.precision.name == "DAY" else due.text,
        }
        if "reference" in self.columns:
            values["reference"] = reference
        # The section heading stands in for an owner column the sheet does not have.
        if "owner" in self.columns or self.heading:
            values["owner"] = texts.get("owner", "") or self.heading
        if "notes" in self.columns:
            values["notes"] = texts["notes"]
        if "done" in self.columns:
            values["done"] = self._date(number, "done", texts["done"], result)
        result.values = values
        if (reference and reference in self.existing) or (
            not reference and _normal(texts["title"]) in self.by_title
        ):
            result.status = RowStatus.UPDATE


def apply_list(session: Session, preview: ListPreview) -> ImportSummary:
    """Writes a checked preview in the caller's transaction; refuses one with errors."""
    if preview.kind not in OLDER_KINDS:
        if preview.errors:
            _refuse(preview)
        return kind_module(preview.kind).apply(session, preview)
    if preview.errors:
        raise ValidationError(
            f"{preview.errors[0]} (and {len(preview.errors) - 1} more "
            "problem(s)); nothing was imported"
            if len(preview.errors) > 1
            else f"{preview.errors[0]}; nothing was imported"
        )
    added = updated = 0
    if preview.kind is ListKind.RISKS:
        existing: dict[str, Any] = {r.reference: r for r in session.scalars(select(Risk))}
    else:
        milestones = list(session.scalars(select(Milestone)))
        existing = {m.reference: m for m in milestones if m.reference}
        titles = {_normal(m.title): m for m in milestones}
    for row in preview.records:
        values = dict(row.values)
        if preview.kind is ListKind.RISKS:
            record = existing.get(values["reference"])
            if record is None:
                record = Risk(**values)
                session.add(record)
                existing[record.reference] = record
                added += 1
                continue
        else:
            record = (
                existing.get(values["reference"])
                if values.get("reference")
                else titles.get(_normal(values["title"]))
            )
            if record is None:
                record = Milestone(**values)
                session.add(record)
                if record.reference:
                    existing[record.reference] = record
                titles[_normal(record.title)] = record
                added += 1
                continue
        for key, value in values.items():
            if getattr(record, key) != value:
                setattr(record, key, value)
        updated += 1
    session.flush()
    audit.record(
        session,
        "import",
        preview.kind.value,
        None,
        "",
        None,
        None,
        f"{preview.path.name}, sheet '{preview.sheet}': {added} added, {updated} updated",
    )
    return ImportSummary(added, updated)


def _refuse(preview: ListPreview) -> None:
    errors = preview.errors
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    raise ValidationError(f"{errors[0]}{more}; nothing was imported")


def import_list(
    wb: Workbook,
    path: Path,
    kind: ListKind,
    dry_run: bool = False,
    sheet: str | None = None,
    year_label: str | None = None,
) -> tuple[ListPreview, ImportSummary | None]:
    """Reads, checks and (unless ``dry_run``) writes a list in one transaction: a file
    with any error writes nothing."""
    with wb.session() as session:
        preview = read_list(session, path, kind, sheet, year_label)
        if dry_run:
            return preview, None
        return preview, apply_list(session, preview)
