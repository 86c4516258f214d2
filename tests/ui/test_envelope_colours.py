"""The envelope's bars (the Overview's and the Allocations area's): red and "over" once
allocations pass the envelope, amber and "nearly used" from the DOM's warning share, in
words on the bar as well as in colour; the warning share is the DOM's setting."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from dom_desk.domain import allocations as al
from dom_desk.domain.allocations.position import envelope_warning
from dom_desk.domain.money import format_pounds
from dom_desk.domain.tables import FieldEdit
from dom_desk.models import AuditEntry
from dom_desk.ui.allocations_page import AllocationsPage
from dom_desk.ui.overview_page import OverviewPage
from dom_desk.ui.workspace import Workspace


@pytest.fixture
def workspace(demo: Any, answers: Any) -> Workspace:
    return Workspace(demo)


def shown(qtbot: Any, widget: Any) -> Any:
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    widget.ensure_loaded()
    return widget


def raise_over(demo: Any) -> al.Position:
    """Puts an open allocation £38,000,000 past the envelope."""
    pos = al.position(demo)
    line = next(x for x in pos.lines if not x.locked)
    raised = line.committed + pos.headroom + 38_000_000 * 100
    al.update_allocations(demo, [FieldEdit(line.id, "provisional", raised, line.version)])
    return al.position(demo)


def test_over_the_envelope_both_bars_are_over_and_say_by_how_much(
    qtbot: Any, demo: Any, workspace: Workspace
) -> None:
    pos = raise_over(demo)
    assert pos.headroom == -38_000_000 * 100
    share = f"{Decimal(pos.committed) * 100 / pos.envelope:.1f}%"
    words = f"{share} of the envelope committed: £38,000,000 over"
    overview = shown(qtbot, OverviewPage(workspace))
    assert overview.used.property("envelopeState") == "over"
    assert overview.used.text() == words
    assert "#b3261e" in overview.used.styleSheet()  # the red chunk
    allocations = shown(qtbot, AllocationsPage(workspace))
    assert allocations.bar.state == "over"
    assert allocations.bar.used.text() == words
    assert allocations.bar.verdict.text() == "Warning: over the envelope by £38,000,000"


def test_between_the_warning_and_the_envelope_the_bars_are_nearly(
    qtbot: Any, demo: Any, workspace: Workspace
) -> None:
    pos = al.position(demo)  # the demo commits 98.1%: past the default 95% warning
    assert pos.warning == Decimal(95) and not pos.over_envelope
    overview = shown(qtbot, OverviewPage(workspace))
    assert overview.used.property("envelopeState") == "nearly"
    left = format_pounds(pos.headroom)
    assert overview.used.text() == f"98.1% of the envelope committed: {left} left, nearly used"
    assert "95% warning" in overview.money_note.text()
    allocations = shown(qtbot, AllocationsPage(workspace))
    assert allocations.bar.state == "nearly"
    assert allocations.bar.verdict.text() == f"Nearly used: {left} left"


def test_the_warning_is_set_on_the_allocations_tab_persisted_audited_and_undone(
    qtbot: Any, demo: Any, workspace: Workspace
) -> None:
    page = shown(qtbot, AllocationsPage(workspace))
    box = page.allocations.warning
    assert box.text() == "95"
    with demo.session() as session:
        before = len(session.scalars(select(AuditEntry)).all())
    box.setText("99")
    box.editingFinished.emit()
    assert envelope_warning(demo) == Decimal(99)
    assert page.bar.state == "within"  # 98.1% is under the 99% warning
    assert page.bar.verdict.text() == "Within the envelope"
    with demo.session() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.id > 0)).all()[before:]
    named = [e for e in entries if e.field == "envelope_warning_percent"]
    assert [(e.old, e.new) for e in named] == [(None, "99")]
    assert workspace.undo_stack.count() == 1
    workspace.undo_stack.undo()
    assert envelope_warning(demo) == Decimal(95)
    assert page.bar.state == "nearly"


def test_a_warning_out_of_range_is_refused_by_name_and_not_stored(
    qtbot: Any, demo: Any, workspace: Workspace, answers: Any
) -> None:
    page = shown(qtbot, AllocationsPage(workspace))
    box = page.allocations.warning
    box.setText("150")
    box.editingFinished.emit()
    assert envelope_warning(demo) == Decimal(95)
    assert box.text() == "95"
    assert any(e.startswith("Envelope warning") for e in answers.errors), answers.errors
    assert workspace.undo_stack.count() == 0


def test_in_the_window_a_new_warning_reaches_the_overview(window: Any) -> None:
    window.show_area("overview")
    assert window.view.overview.used.property("envelopeState") == "nearly"
    window.show_area("allocations")
    box = window.view.pages["allocations"].allocations.warning
    box.setText("99")
    box.editingFinished.emit()
    window.show_area("overview")
    assert window.view.overview.used.property("envelopeState") == "within"
    assert window.view.overview.used.text().endswith(" left")
