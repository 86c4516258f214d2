"""Allocations ▸ Scenarios ▸ Record Decision…: a decision to move money is kept with the
draft scenario that carries it, shown at once, undoable, and applied on acceptance."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from dom_desk.domain import resource_decisions as rd
from dom_desk.ui.decision_dialog import DecisionDialog

CUSTODY = "HMP Liverpool SLA 2009-10 custody places"
DRUGS = "HMP Liverpool SLA 2009-10 CARAT"


def _view(window):
    window.show_area("allocations")
    page = window.view.current_page()
    page.tabs.setCurrentWidget(page.scenarios)
    page.scenarios.ensure_loaded()
    return page.scenarios


def test_a_decision_recorded_in_the_window_opens_its_scenario_and_undoes(window, answers):
    view = _view(window)
    wb = window.view.workspace.wb
    source, target = rd.find_allocation(wb, CUSTODY), rd.find_allocation(wb, DRUGS)
    before = len(rd.decisions(wb))
    made = view.record_decision(
        source, target, 30_000_00, "Second tranche", date(2009, 11, 2), action_id=1
    )
    assert made is not None and answers.errors == []
    decision = next(d for d in rd.decisions(wb) if d.id == made)
    assert (decision.state, decision.behind) == (rd.AWAITING, "Action #1: HMP Liverpool, KPI 6")
    assert view.info is not None and view.info.id == decision.scenario_id
    assert view.info.name == "Resource decision of 02/11/2009"
    assert view.accept_button.isEnabled()

    window.view.workspace.undo_stack.undo()
    assert len(rd.decisions(wb)) == before
    assert decision.scenario_id not in [i.id for i in view.infos]


def test_a_refused_decision_is_said_and_nothing_is_stored(window, answers):
    view = _view(window)
    wb = window.view.workspace.wb
    source, target = rd.find_allocation(wb, CUSTODY), rd.find_allocation(wb, DRUGS)
    before = rd.decisions(wb)
    assert view.record_decision(source, target, 30_000_00, "   ") is None
    assert answers.errors and "Say why the money moves" in answers.errors[-1]
    assert rd.decisions(wb) == before


def test_the_dialog_offers_the_years_allocations_and_open_actions(window, qtbot):
    view = _view(window)
    seen = {}

    def look() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, DecisionDialog))
        seen["from"] = [dialog.source.itemText(i) for i in range(dialog.source.count())]
        seen["behind"] = [dialog.behind.itemText(i) for i in range(dialog.behind.count())]
        seen["decided"] = dialog.decided.text()
        dialog.done(QDialog.DialogCode.Rejected)

    QTimer.singleShot(0, look)
    view.ask_decision()
    assert any(text.startswith("HMP Liverpool: HMP Liverpool SLA 2009-10") for text in seen["from"])
    assert seen["behind"][0] == "None" and any("HMP Liverpool" in t for t in seen["behind"][1:])
    assert seen["decided"] == "02/11/2009"  # the workbook's working day
