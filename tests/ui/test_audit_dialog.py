"""The Audit Trail window: lists who changed what, filters, exports; changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView

from dom_desk.domain.audit_trail import HEADINGS
from dom_desk.domain.money import format_pounds
from dom_desk.domain.tables import AREAS, load_rows, update_field
from dom_desk.storage import audit
from dom_desk.ui.audit_dialog import AuditDialog


def _column(area_key: str, key: str) -> int:
    return [c.key for c in AREAS[area_key].columns].index(key)


def _texts(dialog: AuditDialog, row: int) -> dict[str, str]:
    model = dialog.model
    return {HEADINGS[c]: model.index(row, c).data() for c in range(model.columnCount())}


def _rows(dialog: AuditDialog) -> list[dict[str, str]]:
    return [_texts(dialog, r) for r in range(dialog.model.rowCount())]


@pytest.fixture
def edited(demo: Any) -> dict[str, Any]:
    """An editable allocation's provisional set to £1,234,567, as the window would."""
    status = _column("agreements", "status")
    open_titles = {
        r.values[0] for r in load_rows(demo, "agreements") if not r.values[status].locked
    }
    agreement = _column("allocations", "agreement")
    row = next(r for r in load_rows(demo, "allocations") if r.values[agreement] in open_titles)
    update_field(demo, "allocations", row.id, "provisional", 123_456_700)
    return {"row": row, "old": row.values[_column("allocations", "provisional")]}


def _dialog(qtbot: Any, wb: Any, **kwargs: Any) -> AuditDialog:
    dialog = AuditDialog(wb, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_dialog_lists_the_edit_first_with_who_and_the_figures(
    qtbot: Any, qtmodeltester: Any, answers: Any, demo: Any, edited: dict
) -> None:
    dialog = _dialog(qtbot, demo)
    qtmodeltester.check(dialog.model, force_py=True)

    first = _texts(dialog, 0)
    assert first["User"] == audit.current_user()
    assert (first["Action"], first["Record type"], first["Field"]) == (
        "Changed",
        "Allocation",
        "Provisional",
    )
    assert (first["Old value"], first["New value"]) == (format_pounds(edited["old"]), "£1,234,567")
    assert first["When"][2] == "/" and first["When"][5] == "/"
    assert not answers.errors


def test_the_filter_keeps_matching_changes_and_clearing_it_brings_all_back(
    qtbot: Any, qtmodeltester: Any, answers: Any, demo: Any, edited: dict
) -> None:
    dialog = _dialog(qtbot, demo)
    everything = dialog.model.rowCount()

    qtbot.keyClicks(dialog.filter, "£1,234,567")
    qtbot.waitUntil(lambda: dialog.model.rowCount() < everything)
    assert [(r["Field"], r["New value"]) for r in _rows(dialog)] == [("Provisional", "£1,234,567")]
    assert dialog.count.text() == "1 change matches the filter"
    qtmodeltester.check(dialog.model, force_py=True)

    dialog.filter.clear()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == everything)

    qtbot.keyClicks(dialog.filter, "no such words anywhere")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0)
    assert "No change matches" in dialog.count.text()
    assert not dialog.export_button.isEnabled()


def test_a_records_history_shows_only_that_record(
    qtbot: Any, answers: Any, demo: Any, edited: dict
) -> None:
    row = edited["row"]
    spec = AREAS["allocations"]
    dialog = _dialog(qtbot, demo, entity=spec.entity.__tablename__, entity_id=row.id)

    rows = _rows(dialog)
    assert rows[0]["New value"] == "£1,234,567"
    assert rows[-1]["Action"] == "Added"  # the record's history goes back to its insert
    assert {r["Record"] for r in rows} == {rows[0]["Record"]}
    assert row.values[_column("allocations", "agreement")] in dialog.windowTitle()


def test_the_table_is_read_only(qtbot: Any, answers: Any, demo: Any, edited: dict) -> None:
    dialog = _dialog(qtbot, demo)
    index = dialog.model.index(0, HEADINGS.index("New value"))
    assert not dialog.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not dialog.model.setData(index, "£1")
    dialog.table.setCurrentIndex(index)
    qtbot.keyClick(dialog.table, Qt.Key.Key_F2)
    assert dialog.table.state() is not QAbstractItemView.State.EditingState
    assert index.data() == "£1,234,567"


def test_export_to_excel_writes_the_changes_listed(
    qtbot: Any, answers: Any, demo: Any, edited: dict, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    dialog = _dialog(qtbot, demo)
    qtbot.keyClicks(dialog.filter, "£1,234,567")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    answers.queue("save_path", tmp_path / "audit")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(answers.of("info")) or bool(answers.errors))
    assert not answers.errors

    written = tmp_path / "audit.xlsx"
    sheet = load_workbook(written).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:3] == ("Date", "Time", "User")
    assert len(rows) == 1
    values = dict(zip(header, rows[0], strict=True))
    assert values["User"] == audit.current_user()
    assert (values["Old value"], values["New value"]) == (
        format_pounds(edited["old"]),
        "£1,234,567",
    )
    assert values["Date"].date() == dialog.model.lines[0].at.date()
    assert str(written) in answers.of("info")[0].text
