"""Texts longer than their column holds are refused by a sentence before the database sees
them: PostgreSQL enforces VARCHAR(n), SQLite would silently keep the text, so the check
is DOM Desk's own and the same on both. Typed in a table, given to a New ... form,
imported from a list, or written by any other path (the last guard at flush)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook as Xlsx
from sqlalchemy import func, select

from dom_desk.domain.lists_import import ListKind, RowStatus, import_list
from dom_desk.domain.records.creating import create_milestone, create_provider, create_risk
from dom_desk.domain.tables.editing import FieldEdit, update_field, update_fields
from dom_desk.errors import ValidationError
from dom_desk.models import Milestone, Provider, ProviderKind, Risk, Sector


def _milestone(wb, reference: str = "M1") -> int:
    return create_milestone(wb, "Open the new approved premises", reference, "DOM", "March 2010")


def _stored(wb, model, *columns):
    with wb.session() as session:
        return session.execute(select(*columns).select_from(model)).all()


def test_a_reference_one_character_too_long_typed_in_is_refused_and_nothing_stored(
    workbook,
) -> None:
    mid = _milestone(workbook)
    with pytest.raises(ValidationError) as refused:
        update_field(workbook, "milestones", mid, "reference", "M" * 31)
    assert str(refused.value) == (
        "Milestones, 'Open the new approved premises', Ref: Ref is at most 30 characters (31 given)"
    )
    assert _stored(workbook, Milestone, Milestone.reference) == [("M1",)]
    # Exactly the column's length is kept.
    update_field(workbook, "milestones", mid, "reference", "R" * 30)
    assert _stored(workbook, Milestone, Milestone.reference) == [("R" * 30,)]


def test_a_paste_with_one_text_too_long_writes_none_of_it(workbook) -> None:
    first, second = _milestone(workbook, "M1"), _milestone(workbook, "M2")
    edits = [FieldEdit(first, "owner", "Head of Reducing Reoffending")]
    edits.append(FieldEdit(second, "owner", "x" * 121))
    with pytest.raises(ValidationError, match=r"Owner is at most 120 characters \(121 given\)"):
        update_fields(workbook, "milestones", edits)
    assert _stored(workbook, Milestone, Milestone.owner) == [("DOM",), ("DOM",)]


def test_a_delivery_date_worded_as_a_sentence_is_kept_whole(workbook) -> None:
    """Plans word delivery dates as sentences, so that column is unlimited text (0010)."""
    wording = (
        "Executive Directors to be in place from late 2017-18, with most PGDs in place "
        "from April 2018. The remainder of PGDs should be in place by autumn 2018."
    )
    mid = _milestone(workbook)
    update_field(workbook, "milestones", mid, "due_text", wording)
    assert _stored(workbook, Milestone, Milestone.due_text) == [(wording,)]


def test_the_new_record_forms_refuse_an_overlong_answer_by_its_field(workbook) -> None:
    with pytest.raises(ValidationError) as refused:
        create_milestone(workbook, "Open the premises", reference="REF-" + "9" * 27)
    assert str(refused.value) == "New milestone, Ref: Ref is at most 30 characters (31 given)"
    with pytest.raises(ValidationError) as refused:
        create_provider(
            workbook,
            "HMP Manchester",
            ProviderKind.PUBLIC_PRISON,
            Sector.PUBLIC,
            operator="HM Prison Service " * 7,  # 125 characters, one-spaced to 125
        )
    assert str(refused.value) == (
        "New provider, Operator: Operator is at most 120 characters (125 given)"
    )
    with pytest.raises(ValidationError, match=r"Owner is at most 120 characters \(130"):
        create_risk(workbook, "R1", "Loss of key skills", "H", "VH", owner="o" * 130)
    with workbook.session() as session:
        for model in (Milestone, Provider, Risk):
            assert session.scalar(select(func.count()).select_from(model)) == 0


def _xlsx(path: Path, rows: list[list]) -> Path:
    book = Xlsx()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_an_imported_text_too_long_is_an_error_naming_its_cell_and_nothing_is_imported(
    workbook, tmp_path
) -> None:
    path = _xlsx(
        tmp_path / "providers.xlsx",
        [
            ["Name", "Kind", "Sector", "Operator"],
            ["HMP Manchester", "Public prison", "Public", "HM Prison Service"],
            ["HMP Forest Bank", "Contracted prison", "Private", "K" * 121],
        ],
    )
    preview, _ = import_list(workbook, path, ListKind.PROVIDERS, dry_run=True)
    assert [r.status for r in preview.rows] == [RowStatus.NEW, RowStatus.ERROR]
    assert preview.rows[1].errors == [
        "providers.xlsx, sheet 'Sheet', cell D3: the text is at most 120 characters (121 given)"
    ]
    with pytest.raises(ValidationError, match="cell D3: the text is at most 120"):
        import_list(workbook, path, ListKind.PROVIDERS)
    assert _stored(workbook, Provider, Provider.name) == []


def test_an_imported_milestone_reference_too_long_names_its_cell(workbook, tmp_path) -> None:
    path = _xlsx(
        tmp_path / "annex.xlsx",
        [
            ["Ref", "Milestone", "Delivery date"],
            ["M1", "Open the premises", "March 2010"],
            ["M" * 31, "Recommission the hostel", "Summer 2010"],
        ],
    )
    with pytest.raises(ValidationError) as refused:
        import_list(workbook, path, ListKind.MILESTONES)
    assert str(refused.value).startswith("annex.xlsx, sheet 'Sheet', cell A3: ")
    assert "is at most 30 characters (31 given)" in str(refused.value)
    assert _stored(workbook, Milestone, Milestone.title) == []


def test_any_other_path_meets_the_last_guard_at_flush(workbook) -> None:
    """A write no entry point checked is still refused by sentence, not by the server."""
    with pytest.raises(ValidationError) as refused, workbook.session() as session:
        session.add(Provider(name="N" * 161, kind=ProviderKind.PUBLIC_PRISON, sector=Sector.PUBLIC))
        session.flush()
    assert str(refused.value) == ("Provider, name: the text is at most 160 characters (161 given)")
    assert _stored(workbook, Provider, Provider.name) == []
