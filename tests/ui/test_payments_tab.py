"""Allocations ▸ Payment by Results, and the line under the envelope bar saying what of
the money committed is paid on results (issue 15 item 5)."""

from __future__ import annotations

from dom_desk.domain.allocations import position
from dom_desk.domain.money import format_pounds
from dom_desk.domain.payments import payments


def _page(window):
    window.show_area("allocations")
    page = window.view.current_page()
    page.ensure_loaded()
    return page


def test_the_line_under_the_bar_says_what_is_paid_on_results(window) -> None:
    page = _page(window)
    wb = window.view.workspace.wb
    found = payments(wb, "2009-10")
    # Recomputed from the rules: everything at risk but the scorecard bonus is in price.
    in_price = sum(p.at_risk for p in found if "scorecard" not in p.kind.label.lower())
    bonus = sum(p.at_risk for p in found if "scorecard" in p.kind.label.lower())
    committed = position(wb, "2009-10").committed
    assert page.at_risk.isVisible()
    assert page.at_risk.text() == (
        f"Of {format_pounds(committed)} committed, {format_pounds(in_price)} is paid on "
        f"results; scorecard bonuses of up to {format_pounds(bonus)} are on top of it."
    )
    assert (in_price, bonus) == (1_458_660_00, 100_000_00)


def test_the_tab_lists_each_rule_with_earned_and_still_at_risk(window) -> None:
    page = _page(window)
    page.tabs.setCurrentWidget(page.payments)
    tab = page.payments
    found = payments(window.view.workspace.wb, "2009-10")
    assert tab.model.rowCount() == len(found) == 3
    headings = [title for title, _text, _figure in tab.model.columns]
    for row, p in enumerate(found):
        cell = {h: tab.model.index(row, c).data() for c, h in enumerate(headings)}
        assert cell["Provider"] == p.provider
        assert cell["At risk"] == format_pounds(p.at_risk)
        # Earned and still at risk add back to the money at risk, to the penny.
        assert p.earned_to_date + p.still_at_risk == p.at_risk
        assert cell["Still at risk"] == format_pounds(p.still_at_risk)
    assert "still at risk" in tab.summary_label.text()
    assert tab.chart.accessibleDescription().startswith("Money at risk by agreement: ")
    assert "HMP Forest Bank: £335,580 earned, £335,580 still at risk" in (
        tab.chart.accessibleDescription()
    )
