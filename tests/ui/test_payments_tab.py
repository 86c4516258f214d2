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


def test_a_rule_set_in_the_tab_is_one_undo_step_and_bad_ones_are_refused(window, answers):
    from dom_desk.domain.kinds import PaymentRuleKind
    from dom_desk.domain.payments import find_agreement, rule_choices, rule_held

    page = _page(window)
    page.tabs.setCurrentWidget(page.payments)
    tab = page.payments
    wb = window.view.workspace.wb
    nacro = find_agreement(wb, "Resettlement and accommodation advice")  # £1,260,000 a year
    assert nacro in [c.agreement_id for c in rule_choices(wb, "2009-10")]
    before = page.at_risk.text()

    # Parts not adding to the annual value: the domain's sentence, nothing stored.
    assert not tab.set_rule(nacro, PaymentRuleKind.PROPORTIONAL, 1_000_000_00, 0, 100_000_00)
    assert "annual value is £1,260,000" in answers.errors[-1]
    assert rule_held(wb, nacro) is None

    assert tab.set_rule(
        nacro, PaymentRuleKind.BANDED, 1_134_000_00, 0, 126_000_00, [(50, 50), (80, 100)]
    )
    assert "Nacro" in [p.provider for p in tab.found]
    assert page.at_risk.text() != before and "£1,584,660 is paid on results" in page.at_risk.text()
    window.view.workspace.undo_stack.undo()
    assert rule_held(wb, nacro) is None and page.at_risk.text() == before


def test_a_rule_removed_comes_back_on_undo(window, answers):
    from dom_desk.domain.payments import find_agreement, rule_held

    page = _page(window)
    page.tabs.setCurrentWidget(page.payments)
    wb = window.view.workspace.wb
    forest = find_agreement(wb, "HMP Forest Bank operating contract")
    held = rule_held(wb, forest)
    assert page.payments.remove_rule(forest) and rule_held(wb, forest) is None
    window.view.workspace.undo_stack.undo()
    assert rule_held(wb, forest) == held
