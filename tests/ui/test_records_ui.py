"""Adding and deleting records from the window: New… asks for the required fields and
names a bad one; Delete… asks first and refuses when others depend on the record; each is
one undo step, and a brand-new region can be filled in from nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select
from ui_helpers import cell

from dom_desk.domain import allocations
from dom_desk.domain.tables import AREAS, load_rows
from dom_desk.models import Agreement, Provider


def _page(window: Any, key: str) -> Any:
    window.show_area(key)
    page = window.view.pages[key]
    page.ensure_loaded()
    return page


def _by_label(wb: Any, area_key: str) -> dict[str, int]:
    area = AREAS[area_key]
    at = [c.key for c in area.columns].index(area.label_key)
    return {row.values[at]: row.id for row in load_rows(wb, area_key)}


def _activate(qtbot: Any, window: Any) -> None:
    """Keys reach a table's own shortcuts only in the active window."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _fill(qtbot: Any, dialog: Any, answers_: dict[str, str]) -> None:
    assert dialog.isVisible()
    for key, text in answers_.items():
        dialog.set_text(key, text)
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )


def _new_provider(qtbot: Any, page: Any, name: str) -> Any:
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.new_dialog
    _fill(
        qtbot, dialog, {"name": name, "kind": "Probation Trust", "sector": "Public", "capacity": ""}
    )
    return dialog


def test_a_new_provider_is_selected_and_is_one_undo_step(
    qtbot: Any, window: Any, answers: Any
) -> None:
    page = _page(window, "providers")
    wb = window.workspace.wb
    dialog = _new_provider(qtbot, page, "Cumbria Probation Trust")
    assert not answers.errors
    assert not dialog.isVisible()
    new_id = _by_label(wb, "providers")["Cumbria Probation Trust"]
    assert page.current_id() == new_id
    assert page.model.position_of(new_id) is not None

    window.undo_action.trigger()
    assert "Cumbria Probation Trust" not in _by_label(wb, "providers")
    assert page.model.position_of(new_id) is None
    window.redo_action.trigger()
    assert _by_label(wb, "providers")["Cumbria Probation Trust"] == new_id
    assert page.model.position_of(new_id) is not None


def test_a_bad_new_provider_is_named_and_the_dialog_stays_open(
    qtbot: Any, window: Any, answers: Any
) -> None:
    page = _page(window, "providers")
    wb = window.workspace.wb
    before = _by_label(wb, "providers")
    taken = next(iter(before))
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.new_dialog
    _fill(
        qtbot,
        dialog,
        {"name": "Somewhere", "kind": "Probation Trust", "sector": "Public", "capacity": "many"},
    )
    (error,) = answers.errors
    assert "Capacity (places)" in error and "many" in error
    assert dialog.isVisible()
    _fill(qtbot, dialog, {"name": taken.upper(), "capacity": ""})
    assert "already a provider" in answers.errors[-1] and "Name" in answers.errors[-1]
    assert dialog.isVisible()  # what was typed is kept, to be corrected
    assert _by_label(wb, "providers") == before
    assert not window.undo_action.isEnabled()


def test_delete_asks_naming_the_record_and_undo_puts_it_back(
    qtbot: Any, window: Any, answers: Any
) -> None:
    page = _page(window, "milestones")
    wb = window.workspace.wb
    row = page.model.rows[0]
    _activate(qtbot, window)
    page.table.setFocus()
    page.table.setCurrentIndex(cell(page, row.id, "title"))

    qtbot.keyClick(page.table, Qt.Key.Key_Delete)  # answered No
    (question,) = answers.of("confirm")
    title = row.values[[c.key for c in page.area.columns].index("title")]
    assert title[:40] in question.text
    assert page.model.position_of(row.id) is not None

    answers.queue("confirm", True)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert not answers.errors
    assert row.id not in {r.id for r in load_rows(wb, "milestones")}
    assert page.model.position_of(row.id) is None

    window.undo_action.trigger()
    (back,) = [r for r in load_rows(wb, "milestones") if r.id == row.id]
    assert back.values == row.values
    assert page.model.position_of(row.id) is not None
    window.redo_action.trigger()
    assert row.id not in {r.id for r in load_rows(wb, "milestones")}


def test_a_provider_others_depend_on_is_not_deleted(qtbot: Any, window: Any, answers: Any) -> None:
    page = _page(window, "providers")
    with window.workspace.wb.session() as session:
        provider = session.scalars(
            select(Provider).join(Agreement, Agreement.provider_id == Provider.id)
        ).first()
        provider_id, name = provider.id, provider.name
    page.table.setCurrentIndex(cell(page, provider_id, "name"))
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    (error,) = answers.errors
    assert name in error and "agreement" in error
    assert not answers.of("confirm")  # not asked to confirm what cannot be done
    assert page.model.position_of(provider_id) is not None
    assert not window.undo_action.isEnabled()


def test_a_read_only_workbook_offers_no_new_or_delete(
    make_window: Any, demo: Any, answers: Any
) -> None:
    window = make_window()
    assert window.open_location(demo.location, read_only=True)
    for key in ("providers", "agreements", "contracts", "milestones", "risks"):
        page = _page(window, key)
        assert not page.new_button.isEnabled(), key
        assert not page.delete_button.isEnabled(), key
        assert page.new_record() is None
    envelope = _page(window, "allocations").allocations
    assert not envelope.add_line_button.isEnabled()
    assert not envelope.remove_line_button.isEnabled()


def test_a_new_region_gets_its_first_provider_agreement_and_envelope(
    qtbot: Any, make_window: Any, tmp_path: Path, answers: Any
) -> None:
    from dom_desk.domain.region import create_region_workbook

    path = tmp_path / "wales.domdesk"
    create_region_workbook(path, "Wales", "2009-10").close()
    window = make_window()
    assert window.open_file(path), answers.errors
    _activate(qtbot, window)
    wb = window.workspace.wb

    providers = _page(window, "providers")
    assert providers.delete_button is not None and not providers.delete_button.isEnabled()
    page_dialog = _new_provider(qtbot, providers, "Wales Probation Trust")
    assert not page_dialog.isVisible() and not answers.errors
    assert providers.delete_button.isEnabled()

    page = _page(window, "agreements")
    _activate(qtbot, window)  # back from the dialog
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Insert)
    _fill(
        qtbot,
        page.new_dialog,
        {
            "provider_id": "Wales Probation Trust",
            "title": "Wales Probation Trust SLA 2009-10",
            "kind": "SLA",
        },
    )
    assert not answers.errors
    sla = _by_label(wb, "agreements")["Wales Probation Trust SLA 2009-10"]
    assert page.current_id() == sla

    alloc_page = _page(window, "allocations")
    tab = alloc_page.allocations
    assert [line.agreement_id for line in tab.position.lines] == [sla]
    assert "No envelope entered" in alloc_page.bar.verdict.text()  # not "Within"
    qtbot.mouseClick(tab.add_line_button, Qt.MouseButton.LeftButton)
    _fill(
        qtbot, tab.envelope_dialog, {"funding_source": "NOMS allocation", "amount": "£41,230,000"}
    )
    assert not answers.errors
    assert allocations.position(wb).envelope == 41_230_000_00
    assert tab.envelope.rowCount() == 1
    assert "No envelope" not in " ".join(tab.position.warnings)
    assert alloc_page.bar.verdict.text() == "Within the envelope"

    window.undo_action.trigger()
    assert allocations.position(wb).envelope == 0
    assert tab.envelope.rowCount() == 0
    window.redo_action.trigger()
    assert allocations.position(wb).envelope == 41_230_000_00


def test_an_envelope_line_is_removed_after_asking(qtbot: Any, window: Any, answers: Any) -> None:
    tab = _page(window, "allocations").allocations
    wb = window.workspace.wb
    before = allocations.position(wb)
    line = before.envelope_lines[0]
    view = tab.envelope_view
    _activate(qtbot, window)
    tab.details.setCurrentIndex(tab.details.indexOf(view.parentWidget()))
    view.setFocus()
    view.setCurrentIndex(view.proxy.index(0, 0))
    answers.queue("confirm", True)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert line.funding_source in answers.of("confirm")[0].text
    assert allocations.position(wb).envelope == before.envelope - line.amount
    window.undo_action.trigger()
    assert allocations.position(wb).envelope_lines == before.envelope_lines


def test_a_new_risk_is_counted_in_the_heat_map(qtbot: Any, window: Any, answers: Any) -> None:
    from dom_desk.models import Level

    page = _page(window, "risks")
    before = page.heat_map.heat.cell(Level.VH, Level.VH).count
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    _fill(
        qtbot,
        page.new_dialog,
        {"reference": "NW99", "description": "Prison riot", "likelihood": "VH", "impact": "VH"},
    )
    assert not answers.errors
    assert page.heat_map.heat.cell(Level.VH, Level.VH).count == before + 1
    window.undo_action.trigger()
    assert page.heat_map.heat.cell(Level.VH, Level.VH).count == before


def test_a_contract_added_on_the_contracts_page_is_in_the_agreements_too(
    qtbot: Any, window: Any, answers: Any
) -> None:
    agreements = _page(window, "agreements")  # read before the contract is added
    page = _page(window, "contracts")
    provider = next(iter(_by_label(window.workspace.wb, "providers")))
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    _fill(
        qtbot,
        page.new_dialog,
        {
            "provider_id": provider,
            "title": "Resettlement pilot",
            "start": "01/04/2009",
            "end": "31/03/2011",
        },
    )
    assert not answers.errors
    contract = _by_label(window.workspace.wb, "contracts")["Resettlement pilot"]
    assert page.current_id() == contract
    assert "Resettlement pilot" in page.history_note.text()
    assert _page(window, "agreements") is agreements
    assert agreements.model.position_of(contract) is not None


def test_edits_of_a_new_record_redo_after_it_is_put_back(
    qtbot: Any, window: Any, answers: Any
) -> None:
    from ui_helpers import stored, type_into_cell

    page = _page(window, "providers")
    wb = window.workspace.wb
    _new_provider(qtbot, page, "Cumbria Probation Trust")
    new_id = page.current_id()
    _activate(qtbot, window)
    type_into_cell(qtbot, page, new_id, "operator", "Cumbria Trust Board")
    assert stored(wb, "providers", new_id, "operator") == "Cumbria Trust Board"

    window.undo_action.trigger()
    window.undo_action.trigger()
    assert "Cumbria Probation Trust" not in _by_label(wb, "providers")
    window.redo_action.trigger()
    window.redo_action.trigger()  # the edit finds the record: same id, same version
    assert not answers.errors
    assert stored(wb, "providers", new_id, "operator") == "Cumbria Trust Board"
