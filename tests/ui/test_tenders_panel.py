"""Competitions through to award in the window (issue 15 item 4): the Bids and evaluation
tab of the Competitions area adds criteria and bidders, takes scores in its grid (a
refused score explained, nothing stored), says when the weights do not add to 100 and
refuses the award, and awards the contract: listed in the Contracts area with the bid's
value, and opened from the award's line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from negotiation_data import build, pounds
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit

from dom_desk.domain import tenders
from dom_desk.domain.competitions import create_competition
from dom_desk.domain.kinds import CompetitionKind, CriterionKind
from dom_desk.domain.tables import AREAS, load_rows
from dom_desk.ui.tenders_dialogs import (
    AwardDialog,
    BidDialog,
    CriterionDialog,
    CriterionInput,
)
from dom_desk.ui.tenders_panel import FIRST_CRITERION, PRICE, RANK, TOTAL

SUBJECT = "Resettlement advice (Merseyside)"


@pytest.fixture
def tender(make_window: Any, workbook: Any, answers: Any) -> Any:
    """Nacro's resettlement contract (250 cases at £350 a case, ending 31/03/2012) out to
    competition, open in the window on its Bids and evaluation tab."""
    ids = build(workbook)
    with workbook.session() as session:
        competition = create_competition(
            session,
            SUBJECT,
            CompetitionKind.MARKET_TEST,
            expiry="31/03/2012",
            agreement_id=ids.charity_contract,
        ).id
    window = make_window()
    assert window.open_location(workbook.location), answers.errors
    window.view.show_area("competitions")
    page = window.view.pages["competitions"]
    assert page.select_id(competition)
    page.lower.setCurrentWidget(page.tenders)
    return window, page, page.tenders, workbook, ids, competition


def _accepting(monkeypatch: Any, dialog_class: type, fill: Any) -> list[Any]:
    """Replaces the dialog's exec: ``fill`` types into the shown dialog, then OK."""
    shown: list[Any] = []

    def run(dialog: Any) -> int:
        shown.append(dialog)
        fill(dialog)
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(dialog_class, "exec", run)
    return shown


def _criterion(panel: Any, monkeypatch: Any, name: str, weight: int, price: bool = False) -> None:
    def fill(dialog: CriterionDialog) -> None:
        dialog.name.setText(name)
        kind = CriterionKind.PRICE if price else CriterionKind.QUALITY
        dialog.kind.setCurrentIndex(dialog.kind.findData(kind.name))
        dialog.weight.setValue(weight)

    _accepting(monkeypatch, CriterionDialog, fill)
    panel.add_criterion_button.click()


def _bidders(panel: Any, wb: Any, competition: int) -> dict[str, int]:
    for name in ("Nacro", "St Giles Trust"):
        assert panel.add_bidder(name) is not None
    return {b.name: b.id for b in tenders.evaluation(wb, competition).bidders}


def _price(panel: Any, wb: Any, bidder: int, unit_pounds: int) -> None:
    service = tenders.bid(wb, bidder).lines[0].service_id
    assert panel.save_bid(bidder, [(service, 250, pounds(unit_pounds))])


def _cell(panel: Any, bidder: int, column: int) -> Any:
    model = panel.scores_model
    row = next(at for at, b in enumerate(model.bidders) if b.id == bidder)
    return model.index(row, column)


def _type_score(panel: Any, qtbot: Any, bidder: int, criterion: int, text: str) -> None:
    """Types a score into the grid's cell as a user does: F2, the text, Enter."""
    index = _cell(panel, bidder, panel.scores_model.column_of(criterion))
    panel.scores.setFocus()
    panel.scores.setCurrentIndex(index)
    qtbot.keyClick(panel.scores, Qt.Key.Key_F2)
    editor = panel.scores.indexWidget(index)
    assert isinstance(editor, QLineEdit), "the cell is not editable"
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.scores.indexWidget(index) is None, timeout=2000)


def _contracts(wb: Any) -> list[dict[str, Any]]:
    """The Contracts area's rows as the domain reads them, by column key."""
    keys = ["id", *(c.key for c in AREAS["contracts"].columns)]
    return [dict(zip(keys, [r.id, *r.values], strict=True)) for r in load_rows(wb, "contracts")]


def _shown(page: Any, row_id: int, key: str) -> str:
    """The text the Contracts table shows for one record and column."""
    model = page.model
    column = next(at for at, c in enumerate(model.columns) if c.key == key)
    return model.data(model.index(model.position_of(row_id), column))


def test_criteria_are_added_and_weights_not_adding_to_100_are_said_and_refuse_the_award(
    tender: Any, monkeypatch: Any, answers: Any
) -> None:
    _window, _page, panel, wb, _ids, competition = tender
    assert panel.weights.text().startswith("No criteria yet")
    _criterion(panel, monkeypatch, "Quality of service", 60)
    _criterion(panel, monkeypatch, "Price", 30, price=True)
    assert answers.errors == []
    criteria = tenders.evaluation(wb, competition).criteria
    assert [(c.name, c.kind, c.weight) for c in criteria] == [
        ("Quality of service", CriterionKind.QUALITY, 60),
        ("Price", CriterionKind.PRICE, 30),
    ]
    assert panel.weights.text() == (
        "Weights total 90%, not 100%: 10% still to give before there is a result or an award."
    )
    bidders = _bidders(panel, wb, competition)
    _price(panel, wb, bidders["Nacro"], 350)
    _price(panel, wb, bidders["St Giles Trust"], 300)
    quality = criteria[0].id
    assert panel.set_score(bidders["Nacro"], quality, "8")
    assert panel.set_score(bidders["St Giles Trust"], quality, "6")
    assert "The criteria's weights add to 90%, not 100%" in panel.state.text()
    # No total, no rank while the weights are short.
    for bidder in bidders.values():
        assert panel.scores_model.data(_cell(panel, bidder, TOTAL)) == ""
        assert panel.scores_model.data(_cell(panel, bidder, RANK)) == ""

    # The award is refused before its dialog opens...
    assert panel.select_bidder(bidders["Nacro"])
    assert panel.award_button.isEnabled() and panel.award_button.text() == "&Award to Nacro…"
    opened = _accepting(monkeypatch, AwardDialog, lambda _d: None)
    panel.award_button.click()
    assert opened == []
    assert answers.errors[-1].startswith("Weights total 90%, not 100%")
    # ...and by the domain, reason or not, when asked directly: nothing is stored.
    contracts_before = len(_contracts(wb))
    answers.queue("confirm", True)
    spec = _award_input(reason="Preferred by the panel")
    assert panel.award(bidders["Nacro"], spec) is None
    assert answers.errors[-1].startswith("Weight: The criteria's weights add to 90%, not 100%")
    assert len(_contracts(wb)) == contracts_before
    assert tenders.evaluation(wb, competition).award is None

    # Typing the price weight up to 40 in the criteria table completes the result.
    weight_cell = panel.criteria_model.index(1, 2)
    assert panel.criteria_model.flags(weight_cell) & Qt.ItemFlag.ItemIsEditable
    assert panel.criteria_model.setData(weight_cell, "40")
    assert panel.weights.text() == "Weights total 100% over 2 criteria."
    # Recomputed: Nacro 8/10 x 60 + 300/350 x 40 = 82.29; St Giles 6/10 x 60 + 40 = 76.
    assert panel.scores_model.data(_cell(panel, bidders["Nacro"], TOTAL)) == "82.29"
    assert panel.scores_model.data(_cell(panel, bidders["St Giles Trust"], TOTAL)) == "76.00"
    assert panel.scores_model.data(_cell(panel, bidders["Nacro"], RANK)) == "1"
    assert panel.state.text() == "Nacro ranks first with 82.29 of 100 (£87,500 a year)."


def _award_input(**changes: Any) -> Any:
    from dom_desk.ui.tenders_dialogs import AwardInput

    values = dict(
        decided=date(2010, 1, 20),
        start=date(2012, 4, 1),
        end=date(2015, 3, 31),
        title="Merseyside resettlement advice 2012-15",
        reference="NOMS/NW/2012/04",
        reason="",
    )
    values.update(changes)
    return AwardInput(**values)


@pytest.fixture
def scored(tender: Any) -> Any:
    """Quality 60% (out of 10) and price 40%; Nacro bids £350 a case, St Giles £300."""
    _window, _page, panel, wb, _ids, competition = tender
    panel.add_criterion(CriterionInput("Quality of service", CriterionKind.QUALITY, 60, 10))
    panel.add_criterion(CriterionInput("Price", CriterionKind.PRICE, 40, 10))
    bidders = _bidders(panel, wb, competition)
    _price(panel, wb, bidders["Nacro"], 350)
    _price(panel, wb, bidders["St Giles Trust"], 300)
    quality = tenders.evaluation(wb, competition).criteria[0].id
    return (*tender, bidders, quality)


def test_a_score_above_the_maximum_is_refused_with_the_sentence_and_nothing_stored(
    scored: Any, qtbot: Any, answers: Any
) -> None:
    _window, _page, panel, wb, _ids, competition, bidders, quality = scored
    nacro = bidders["Nacro"]
    _type_score(panel, qtbot, nacro, quality, "11")
    assert answers.errors == ["Score of Nacro for Quality of service: a score is 0 to 10, not 11"]
    _type_score(panel, qtbot, nacro, quality, "eight")
    assert answers.errors[-1] == "Score of Nacro for Quality of service: 'eight' is not a number"
    result = tenders.evaluation(wb, competition)
    assert all(b.scores == {} for b in result.bidders)
    assert panel.scores_model.data(_cell(panel, nacro, panel.scores_model.column_of(quality))) == ""

    # A good score is stored and shown with its weighted points: 7.5 / 10 x 60 = 45.
    _type_score(panel, qtbot, nacro, quality, "7.5")
    assert len(answers.errors) == 2
    by_id = {b.id: b for b in tenders.evaluation(wb, competition).bidders}
    assert by_id[nacro].scores == {quality: Decimal("7.5")}
    column = panel.scores_model.column_of(quality)
    assert panel.scores_model.data(_cell(panel, nacro, column)) == "7.5  (45.00)"
    # The price column is worked out, never typed.
    price_column = FIRST_CRITERION + 1
    assert not panel.scores_model.flags(_cell(panel, nacro, price_column)) & (
        Qt.ItemFlag.ItemIsEditable
    )
    # St Giles Trust's lower price earns the full 40; Nacro 300/350 x 40 = 34.29.
    assert panel.scores_model.data(_cell(panel, nacro, price_column)) == "34.29"
    assert panel.scores_model.data(_cell(panel, bidders["St Giles Trust"], price_column)) == (
        "40.00"
    )


def test_bid_prices_are_edited_in_their_dialog(scored: Any, monkeypatch: Any, answers: Any) -> None:
    _window, _page, panel, wb, _ids, _competition, bidders, _quality = scored
    giles = bidders["St Giles Trust"]
    assert panel.select_bidder(giles)

    def bad(dialog: BidDialog) -> None:
        model = dialog.model
        assert model.data(model.index(0, 0)) == "Resettlement advice (per case)"
        assert model.data(model.index(0, 1)) == "250"
        assert model.data(model.index(0, 2)) == "300"
        assert model.data(model.index(0, 3)) == "£75,000"
        assert model.setData(model.index(0, 2), "three hundred")

    shown = _accepting(monkeypatch, BidDialog, bad)
    panel.bid_button.click()
    assert shown[0].result() == QDialog.DialogCode.Rejected  # kept open, nothing written
    assert answers.errors[-1].startswith("Unit price of Resettlement advice:")
    assert tenders.bid(wb, giles).price == 250 * pounds(300)

    def good(dialog: BidDialog) -> None:
        model = dialog.model
        model.setData(model.index(0, 1), "240")
        model.setData(model.index(0, 2), "£310.50")
        at = dialog.service.findText("Drug treatment in custody")
        dialog.service.setCurrentIndex(at)
        dialog.add_button.click()
        model.setData(model.index(1, 1), "10")
        model.setData(model.index(1, 2), "1,100")
        # 240 x £310.50 + 10 x £1,100 = £74,520 + £11,000
        assert dialog.total.text() == "Bid total: £85,520 a year"

    _accepting(monkeypatch, BidDialog, good)
    panel.bid_button.click()
    bid = tenders.bid(wb, giles)
    assert {(x.service, x.volume, x.unit_price) for x in bid.lines} == {
        ("Resettlement advice", 240, 31_050),
        ("Drug treatment in custody", 10, pounds(1_100)),
    }
    assert panel.scores_model.data(_cell(panel, giles, PRICE)) == "£85,520"


def test_the_award_creates_the_contract_listed_in_contracts_with_the_bids_value(
    scored: Any, monkeypatch: Any, answers: Any
) -> None:
    window, page, panel, wb, _ids, competition, bidders, quality = scored
    panel.set_score(bidders["Nacro"], quality, "8")
    panel.set_score(bidders["St Giles Trust"], quality, "6")
    # Nacro: 48 + 300/350 x 40 = 82.29, first; St Giles Trust: 36 + 40 = 76.
    assert panel.select_bidder(bidders["Nacro"])

    def fill(dialog: AwardDialog) -> None:
        # Decided on the working date, here the computer's: the contract then starts
        # the first of the next month, for three years.
        assert dialog.decided.text() == date.today().strftime("%d/%m/%Y")
        dialog.decided.setText("20/01/2010")
        dialog.start.setText("01/04/2012")
        dialog.end.setText("31/03/2015")
        dialog.reference.setText("NOMS/NW/2012/04")
        dialog.title.setText("Merseyside resettlement advice 2012-15")

    _accepting(monkeypatch, AwardDialog, fill)
    answers.queue("confirm", True)
    panel.award_button.click()
    assert answers.errors == []
    [question] = answers.of("confirm")
    assert question.text.startswith(f"Award {SUBJECT} to Nacro?")
    assert (
        "A contract 'Merseyside resettlement advice 2012-15' (NOMS/NW/2012/04) is created "
        "with Nacro: £87,500 a year from 01/04/2012 to 31/03/2015, with the bid's 1 "
        "service line." in question.text
    )
    assert (
        "Nacro resettlement contract already ends on 31/03/2012." in question.text
    )  # the day before the new one starts: nothing to vary
    assert "service starts 01/04/2012" in question.text

    award = tenders.evaluation(wb, competition).award
    assert award is not None and award.bidder == "Nacro"
    assert panel.state.text() == (
        "<b>Awarded to Nacro on 20/01/2010: contract NOMS/NW/2012/04, "
        "Merseyside resettlement advice 2012-15</b> "
        "(<a href='contract'>open</a>)"
    )
    # The bids are closed: no more scores, bidders or criteria from the window.
    cell = _cell(panel, bidders["Nacro"], panel.scores_model.column_of(quality))
    assert not panel.scores_model.flags(cell) & Qt.ItemFlag.ItemIsEditable
    assert not panel.add_bidder_button.isEnabled() and not panel.award_button.isEnabled()

    # In the book: the Contracts area lists it, at the bid's value (250 x £350).
    [contract] = [r for r in _contracts(wb) if r["reference"] == "NOMS/NW/2012/04"]
    assert contract["id"] == award.agreement_id
    panel.state.linkActivated.emit("contract")
    assert window.view.current_key() == "contracts"
    contracts_page = window.view.pages["contracts"]
    assert contracts_page.current_id() == award.agreement_id
    assert contract["current_value"] == pounds(87_500) == 250 * pounds(350)
    assert _shown(contracts_page, award.agreement_id, "current_value") == "£87,500"
    assert _shown(contracts_page, award.agreement_id, "provider") == "Nacro"
    assert _shown(contracts_page, award.agreement_id, "current_end") == "31/03/2015"
    # The Award stage of the timetable is done on the decision's date.
    award_stage = next(s for s in page.stages_model.stages if s.stage == "Award")
    assert award_stage.actual == date(2010, 1, 20)


def test_who_won_buckley_hall_and_is_the_contract_in_the_book(window: Any, demo: Any) -> None:
    """The demo's question, answered from the window and checked by recomputing the
    weighted totals from the bids' prices and the scores."""
    competition = tenders.find(demo, "Buckley Hall").competition_id
    result = tenders.evaluation(demo, competition)
    assert result.award is not None, "the demo awards the Buckley Hall competition"
    window.view.show_area("competitions")
    page = window.view.pages["competitions"]
    assert page.select_id(competition)
    page.lower.setCurrentWidget(page.tenders)
    panel = page.tenders

    bidding = [b for b in result.bidders if b.status.label == "Bidding"]
    lowest = min(b.price for b in bidding)
    recomputed = {}
    for b in bidding:
        total = Decimal(0)
        for c in result.criteria:
            if c.kind is CriterionKind.PRICE:
                total += Decimal(c.weight) * lowest / b.price
            else:
                total += Decimal(c.weight) * b.scores[c.id] / c.max_score
        recomputed[b.name] = total.quantize(Decimal("0.01"))
    winner = max(recomputed, key=lambda name: recomputed[name])
    assert result.award.bidder == winner
    assert panel.state.text().startswith(f"<b>Awarded to {winner} on ")
    for b in bidding:
        shown = panel.scores_model.data(_cell(panel, b.id, TOTAL))
        assert shown == f"{recomputed[b.name]:.2f}"

    contracts = {r["id"]: r for r in _contracts(demo)}
    assert result.award.agreement_id in contracts
    price = next(b.price for b in result.bidders if b.name == winner)
    assert contracts[result.award.agreement_id]["current_value"] == price


def test_a_withdrawn_bidder_stays_listed_but_is_not_ranked(scored: Any, answers: Any) -> None:
    _window, _page, panel, wb, _ids, competition, bidders, quality = scored
    panel.set_score(bidders["Nacro"], quality, "8")
    panel.set_score(bidders["St Giles Trust"], quality, "6")
    assert panel.select_bidder(bidders["Nacro"])
    answers.queue("choose", 1)  # Bidding, Withdrawn, Excluded
    panel.status_button.click()
    [asked] = answers.of("choose")
    assert asked.text == "Nacro is bidding. Mark it:"
    assert asked.extra["choices"] == ["Bidding", "Withdrawn", "Excluded"]
    nacro = _cell(panel, bidders["Nacro"], 0)
    assert panel.scores_model.data(nacro.siblingAtColumn(1)) == "Withdrawn"
    assert panel.scores_model.data(nacro.siblingAtColumn(RANK)) == ""
    # Alone, St Giles Trust has the lowest price: 6/10 x 60 + 40 = 76.
    giles = _cell(panel, bidders["St Giles Trust"], TOTAL)
    assert (
        panel.scores_model.data(giles),
        panel.scores_model.data(giles.siblingAtColumn(RANK)),
    ) == (
        "76.00",
        "1",
    )
    assert panel.scores_model.bidders[0].name == "St Giles Trust"  # best first
    assert panel.select_bidder(bidders["Nacro"])
    assert not panel.award_button.isEnabled()  # a withdrawn bidder cannot be awarded
    assert {b.name: b.rank for b in tenders.evaluation(wb, competition).bidders} == {
        "St Giles Trust": 1,
        "Nacro": None,
    }


def test_a_read_only_workbook_shows_the_evaluation_but_changes_nothing(
    make_window: Any, workbook: Any, answers: Any
) -> None:
    ids = build(workbook)
    with workbook.session() as session:
        competition = create_competition(
            session, SUBJECT, CompetitionKind.MARKET_TEST, agreement_id=ids.charity_contract
        ).id
    quality = tenders.add_criterion(workbook, competition, "Quality of service", 100)
    nacro = tenders.add_bidder(workbook, competition, "Nacro")
    tenders.set_score(workbook, nacro, quality, 9)
    path = workbook.location
    workbook.close()
    window = make_window()
    assert window.open_location(path, read_only=True), answers.errors
    window.view.show_area("competitions")
    page = window.view.pages["competitions"]
    assert page.select_id(competition)
    panel = page.tenders
    assert panel.scores_model.data(_cell(panel, nacro, TOTAL)) == "90.00"
    for button in (
        panel.add_bidder_button,
        panel.add_criterion_button,
        panel.status_button,
        panel.award_button,
    ):
        assert not button.isEnabled(), button.text()
    assert panel.bid_button.isEnabled()  # the prices can be read
    score = _cell(panel, nacro, panel.scores_model.column_of(quality))
    assert not panel.scores_model.flags(score) & Qt.ItemFlag.ItemIsEditable
    assert not panel.criteria_model.flags(panel.criteria_model.index(0, 2)) & (
        Qt.ItemFlag.ItemIsEditable
    )


def test_scores_weights_and_bid_prices_are_undone_with_edit_undo(
    scored: Any, qtbot: Any, answers: Any
) -> None:
    window, _page, panel, wb, _ids, competition, bidders, quality = scored
    stack = window.view.workspace.undo_stack
    nacro = bidders["Nacro"]

    def scores() -> dict[int, Decimal]:
        return next(b for b in tenders.evaluation(wb, competition).bidders if b.id == nacro).scores

    _type_score(panel, qtbot, nacro, quality, "8")
    _type_score(panel, qtbot, nacro, quality, "9")
    assert scores() == {quality: Decimal("9")}
    assert stack.undoText() == "score of Nacro for Quality of service"
    stack.undo()
    assert scores() == {quality: Decimal("8")}
    stack.undo()
    assert scores() == {}  # the first score taken out again
    cell = _cell(panel, nacro, panel.scores_model.column_of(quality))
    assert panel.scores_model.data(cell) == ""
    stack.redo()
    assert scores() == {quality: Decimal("8")}
    # Delete empties the cell, as a user clears a spreadsheet cell.
    panel.scores.setFocus()
    panel.scores.setCurrentIndex(_cell(panel, nacro, panel.scores_model.column_of(quality)))
    qtbot.keyClick(panel.scores, Qt.Key.Key_Delete)
    assert scores() == {}

    price = tenders.evaluation(wb, competition).criteria[1].id
    assert panel.set_weight(price, "30")
    assert panel.weights.text().startswith("Weights total 90%, not 100%")
    stack.undo()
    assert panel.weights.text() == "Weights total 100% over 2 criteria."

    before = [(x.service_id, x.volume, x.unit_price) for x in tenders.bid(wb, nacro).lines]
    other = next(s for s, _n in tenders.bid(wb, nacro).services if s != before[0][0])
    assert panel.save_bid(nacro, [(before[0][0], 100, pounds(400)), (other, 3, pounds(50))])
    assert tenders.bid(wb, nacro).price == 100 * pounds(400) + 3 * pounds(50)
    stack.undo()
    assert [(x.service_id, x.volume, x.unit_price) for x in tenders.bid(wb, nacro).lines] == (
        before
    )
    assert panel.scores_model.data(_cell(panel, nacro, PRICE)) == "£87,500"
    assert answers.errors == []


def test_a_criterion_or_bidder_added_by_mistake_is_removed_after_a_confirmation(
    scored: Any, answers: Any
) -> None:
    _window, _page, panel, wb, _ids, competition, bidders, _quality = scored
    social = panel.add_criterion(CriterionInput("Social value", CriterionKind.QUALITY, 0, 5))
    assert social is not None
    panel.criteria.setFocus()
    panel.criteria.setCurrentIndex(panel.criteria_model.index(2, 0))
    panel.remove_button.click()  # the confirmation answered No: nothing removed
    assert answers.of("confirm")[-1].text == (
        "Remove the criterion Social value, with every bidder's score for it? "
        "This cannot be undone."
    )
    assert len(tenders.evaluation(wb, competition).criteria) == 3
    answers.queue("confirm", True)
    panel.remove_button.click()
    assert [c.name for c in tenders.evaluation(wb, competition).criteria] == [
        "Quality of service",
        "Price",
    ]
    assert panel.select_bidder(bidders["St Giles Trust"])
    answers.queue("confirm", True)
    panel.remove_button.click()
    assert [b.name for b in tenders.evaluation(wb, competition).bidders] == ["Nacro"]
    assert [b.name for b in panel.scores_model.bidders] == ["Nacro"]
    assert answers.errors == []
