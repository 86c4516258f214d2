"""The demo's Scenarios tab on first look: both Liverpool options listed, the one at the
table shown with its changes, and Compare setting the two side by side."""

from __future__ import annotations

from typing import Any

from dom_desk.ui.allocations_page import AllocationsPage

OPTION_A = "Liverpool SLA option A: £250,000 to Lancashire programmes"
OPTION_B = "Liverpool SLA option B: £150,000 to Lancashire programmes"
DECISION = "Resource decision of 29/10/2009"


def test_the_scenarios_tab_lists_both_demo_scenarios_and_compares_them(
    window: Any, answers: Any
) -> None:
    window.show_area("allocations")
    page = window.view.current_page()
    assert isinstance(page, AllocationsPage)
    page.tabs.setCurrentWidget(page.scenarios)
    view = page.scenarios
    view.ensure_loaded()

    listed = [view.chooser.itemText(i) for i in range(view.chooser.count())]
    assert listed == [
        f"{OPTION_B} (draft, 4 changes)",
        f"{DECISION} (draft, 2 changes)",
        f"{OPTION_A} (draft, 5 changes)",
    ]
    # It opens on option A, the one in progress, and says what it does to the money.
    assert view.info is not None and view.info.name == OPTION_A
    assert view.accept_button.isEnabled()
    assert "5 figures changed" in view.effect.text()
    assert "Envelope £472,800,000 (unchanged)" in view.effect.text()
    assert "in scenario £463,984,400 (+£33,000)" in view.effect.text()
    assert view.tabs.tabText(view.tabs.indexOf(view.warnings)) == "Warnings (0)"

    view.only_changed.setChecked(True)
    allocations = view.views["allocation"]
    assert allocations.proxy.rowCount() == 3  # Liverpool's two lines, Lancashire's programmes

    view.other.setCurrentIndex(
        view.other.findData(next(i.id for i in view.infos if i.name == OPTION_B))
    )
    rows = [row.values for row in view.pair.rows]
    assert len(rows) == 5 and all(r[4] == "Differs" for r in rows)
    custody = next(r for r in rows if "Custody places" in r[0])
    assert custody[1:4] == ("£39,900,000", "£39,650,000", "£39,750,000")
    assert OPTION_B in view.pair_summary.text()
    assert answers.errors == []
