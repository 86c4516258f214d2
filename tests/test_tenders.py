"""A competition through to award (issue 15, item 4): bidders with priced bids,
weighted quality and price criteria, the ranking, and the award that makes a contract
and ends the one it replaces, all or nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from negotiation_data import build, pounds
from sqlalchemy import func, select

from dom_desk.domain import tenders
from dom_desk.domain.competitions import create_competition
from dom_desk.domain.contracts import current_end
from dom_desk.errors import ValidationError
from dom_desk.models import (
    Agreement,
    BidderStatus,
    CompetitionAward,
    CompetitionKind,
    CompetitionStage,
    CriterionKind,
    Milestone,
    Provider,
    ProviderKind,
    Sector,
    Stage,
)

QUALITY, PRICE = CriterionKind.QUALITY, CriterionKind.PRICE


@pytest.fixture
def tender(workbook):
    """Nacro's resettlement contract (250 cases at £350) put out to competition, with
    Nacro and St Giles Trust bidding: quality 60%, price 40%."""
    ids = build(workbook)
    with workbook.session() as session:
        competition = create_competition(
            session,
            "Resettlement advice (Merseyside)",
            CompetitionKind.MARKET_TEST,
            expiry="31/03/2012",
            agreement_id=ids.charity_contract,
        ).id
    quality = tenders.add_criterion(workbook, competition, "Quality of service", 60)
    price = tenders.add_criterion(workbook, competition, "Price", 40, PRICE)
    nacro = tenders.add_bidder(workbook, competition, "Nacro")
    giles = tenders.add_bidder(workbook, competition, "St Giles Trust")
    return workbook, ids, competition, quality, price, nacro, giles


def _price(wb, bidder_id: int, pence: int) -> None:
    with wb.session() as session:
        service_id = session.get(tenders.Bidder, bidder_id).lines[0].service_id
    tenders.set_bid_line(wb, bidder_id, service_id, 250, pence)


def _scored(tender):
    wb, _ids, competition, quality, _price_id, nacro, giles = tender
    _price(wb, nacro, pounds(350))
    _price(wb, giles, pounds(300))
    tenders.set_score(wb, nacro, quality, "8")
    tenders.set_score(wb, giles, quality, 6)
    return tenders.evaluation(wb, competition)


def test_a_bidder_starts_from_the_incumbents_services_and_volumes(tender) -> None:
    wb, _ids, competition, *_rest, nacro, giles = tender
    result = tenders.evaluation(wb, competition)
    by_name = {b.name: b for b in result.bidders}
    assert by_name["Nacro"].provider_id is not None  # the provider of that name
    assert by_name["St Giles Trust"].provider_id is None
    assert all(b.price == 0 for b in result.bidders)  # volumes copied, no prices yet
    assert "No price yet from Nacro, St Giles Trust" in result.problems
    assert all(b.total is None and b.rank is None for b in result.bidders)


def test_quality_and_price_are_weighted_into_a_ranking(tender) -> None:
    result = _scored(tender)
    assert result.problems == ()
    first, second = result.bidders
    # Nacro: 8/10 x 60 = 48, and 40 x £300 / £350 = 34.2857…: 82.29.
    assert (first.name, first.total, first.rank_text) == ("Nacro", Decimal("82.29"), "1")
    # St Giles Trust: 6/10 x 60 = 36, and the lowest price earns the full 40.
    assert (second.name, second.total, second.rank_text) == (
        "St Giles Trust",
        Decimal("76.00"),
        "2",
    )
    assert second.price == 250 * pounds(300)
    assert result.leader is not None and result.leader.name == "Nacro"


def test_weights_must_add_to_100_before_there_is_a_result(tender) -> None:
    wb, _ids, competition, quality, *_rest = tender
    _scored(tender)
    tenders.set_weight(wb, quality, 50)
    result = tenders.evaluation(wb, competition)
    assert result.problems == ("The criteria's weights add to 90%, not 100%",)
    assert all(b.total is None for b in result.bidders)
    with pytest.raises(ValidationError, match="add to 110%: at most 100%"):
        tenders.add_criterion(wb, competition, "Social value", 20)


def test_equal_totals_share_a_rank(tender) -> None:
    wb, _ids, competition, quality, _price_id, nacro, giles = tender
    _price(wb, nacro, pounds(300))
    _price(wb, giles, pounds(300))
    tenders.set_score(wb, nacro, quality, 7)
    tenders.set_score(wb, giles, quality, "7.0")
    ranks = [b.rank_text for b in tenders.evaluation(wb, competition).bidders]
    assert ranks == ["=1", "=1"]
    assert tenders.evaluation(wb, competition).leader is None


def test_scores_are_checked_and_price_is_never_typed(tender) -> None:
    wb, _ids, _competition, quality, price, nacro, _giles = tender
    with pytest.raises(
        ValidationError, match="Score of Nacro for Quality of service: a score is 0 to 10, not 11"
    ):
        tenders.set_score(wb, nacro, quality, 11)
    with pytest.raises(ValidationError, match="'eight' is not a number"):
        tenders.set_score(wb, nacro, quality, "eight")
    with pytest.raises(ValidationError, match="price is scored from the bids' prices"):
        tenders.set_score(wb, nacro, price, 5)
    result = tenders.evaluation(wb, tender[2])
    assert all(p is None for b in result.bidders for p in b.points.values())


def test_withdrawn_bidders_are_listed_but_not_ranked(tender) -> None:
    wb, _ids, competition, _q, _p, nacro, giles = tender
    _scored(tender)
    tenders.set_bidder_status(wb, nacro, BidderStatus.WITHDRAWN, "Withdrew on 12/01/2010")
    by_name = {b.name: b for b in tenders.evaluation(wb, competition).bidders}
    assert by_name["Nacro"].rank is None and by_name["Nacro"].total is None
    # Alone, St Giles Trust now has the lowest price and earns its full 40.
    assert (by_name["St Giles Trust"].rank, by_name["St Giles Trust"].total) == (
        1,
        Decimal("76.00"),
    )


def test_the_award_creates_the_contract_and_ends_the_one_it_replaces(tender) -> None:
    wb, ids, competition, _q, _p, nacro, giles = tender
    _scored(tender)
    with pytest.raises(ValidationError, match=r"Say why St Giles Trust .*Nacro scored highest"):
        tenders.award(
            wb, competition, giles, date(2010, 1, 20), date(2010, 4, 1), date(2013, 3, 31)
        )

    done = tenders.award(
        wb,
        competition,
        nacro,
        decided=date(2010, 1, 20),
        start=date(2010, 4, 1),
        end=date(2013, 3, 31),
        title="Merseyside resettlement advice 2010-13",
    )
    assert done.annual_value == 250 * pounds(350)
    assert done.incumbent == (
        "Nacro resettlement contract now ends on 31/03/2010, the day before "
        "Merseyside resettlement advice 2010-13 starts."
    )
    with wb.session() as session:
        contract = session.get(Agreement, done.agreement_id)
        assert (contract.start, contract.end, contract.annual_value) == (
            date(2010, 4, 1),
            date(2013, 3, 31),
            pounds(87_500),
        )
        assert [(line.year.label, line.volume, line.unit_price) for line in contract.lines] == [
            ("2010-11", 250, pounds(350))
        ]
        assert current_end(session.get(Agreement, ids.charity_contract)) == date(2010, 3, 31)
        award_stage = session.scalar(
            select(CompetitionStage).where(
                CompetitionStage.competition_id == competition,
                CompetitionStage.stage == Stage.AWARD,
            )
        )
        assert award_stage.actual == date(2010, 1, 20)
        titles = [session.get(Milestone, m).title for m in done.milestones]
        assert (
            titles[-1] == "Mobilisation of Merseyside resettlement advice 2010-13: service starts"
        )
    award = tenders.evaluation(wb, competition).award
    assert award is not None and award.agreement_title == "Merseyside resettlement advice 2010-13"
    with pytest.raises(
        ValidationError, match="awarded to Nacro on 20/01/2010: its bids and scores are closed"
    ):
        tenders.set_score(wb, giles, _q, 9)


def test_a_refused_award_writes_nothing(tender) -> None:
    wb, _ids, competition, _q, _p, _nacro, giles = tender
    _scored(tender)

    def counts() -> tuple[int, int, int, int]:
        with wb.session() as session:
            return tuple(
                session.scalar(select(func.count()).select_from(model))
                for model in (Agreement, CompetitionAward, Milestone, Provider)
            )

    before = counts()
    # St Giles Trust is not yet a provider: its kind and sector are needed.
    with pytest.raises(ValidationError, match="not yet a provider: give its kind and sector"):
        tenders.award(
            wb,
            competition,
            giles,
            date(2010, 1, 20),
            date(2010, 4, 1),
            date(2013, 3, 31),
            reason="Better outcomes in the pilot",
        )
    assert counts() == before
    done = tenders.award(
        wb,
        competition,
        giles,
        date(2010, 1, 20),
        date(2010, 4, 1),
        date(2013, 3, 31),
        reason="Better outcomes in the pilot",
        provider_kind=ProviderKind.VCS,
        sector=Sector.THIRD,
    )
    assert counts() == (before[0] + 1, before[1] + 1, before[2] + 2, before[3] + 1)
    assert done.annual_value == 250 * pounds(300)


def test_the_command_line_runs_a_tender_to_award(workbook, capsys) -> None:
    from dom_desk.cli import main

    build(workbook)
    with workbook.session() as session:
        create_competition(session, "Resettlement advice (Merseyside)", CompetitionKind.MARKET_TEST)
    workbook.close()
    db = ["--db", workbook.location, "--competition", "resettlement"]
    steps = [
        ["criterion", *db, "Quality", "--weight", "70"],
        ["criterion", *db, "Price", "--weight", "30", "--price"],
        ["bidder", *db, "Nacro"],
        [
            "price",
            *db,
            "--bidder",
            "nacro",
            "--service",
            "resettlement",
            "--volume",
            "200",
            "--unit-price",
            "£340",
        ],
        ["score", *db, "--bidder", "nacro", "--criterion", "quality", "9"],
    ]
    for step in steps:
        assert main(["tender", *step]) == 0, capsys.readouterr().err
    assert main(["tender", "score", *db, "--bidder", "nacro", "--criterion", "price", "9"]) == 1
    assert "price is scored from the bids' prices" in capsys.readouterr().err
    assert main(["tender", "show", *db]) == 0
    out = capsys.readouterr().out
    assert "1. Nacro: 93.00 of 100; £68,000; Quality 63.00, Price 30.00" in out
    award = [
        "award",
        *db,
        "--bidder",
        "nacro",
        "--decided",
        "20/01/2010",
        "--start",
        "01/04/2010",
        "--end",
        "31/03/2013",
        "--title",
        "Resettlement 2010-13",
        "--reference",
        "NW/VCS/2010/003",
    ]
    assert main(["tender", *award]) == 0
    assert "Created Resettlement 2010-13, £68,000 a year." in capsys.readouterr().out
    from dom_desk.storage.workbook import open_workbook

    again = open_workbook(workbook.location, read_only=True)
    with again.session() as session:
        made = session.scalar(select(Agreement).where(Agreement.title == "Resettlement 2010-13"))
        assert made.reference == "NW/VCS/2010/003"
    again.close()


def test_weights_not_adding_to_100_refuse_the_award_even_with_a_reason(tender) -> None:
    wb, _ids, competition, quality, _p, nacro, _giles = tender
    _scored(tender)
    tenders.set_weight(wb, quality, 50)
    with wb.session() as session:
        contracts_before = session.scalar(select(func.count()).select_from(Agreement))
    with pytest.raises(ValidationError, match=r"^Weight: The criteria's weights add to 90%"):
        tenders.award(
            wb,
            competition,
            nacro,
            date(2010, 1, 20),
            date(2010, 4, 1),
            date(2013, 3, 31),
            reason="The panel preferred it",
        )
    with wb.session() as session:
        assert session.scalar(select(func.count()).select_from(Agreement)) == contracts_before
        assert session.scalar(select(func.count()).select_from(CompetitionAward)) == 0


def test_a_bids_lines_are_set_together_or_not_at_all(tender) -> None:
    wb, _ids, _competition, _q, _p, nacro, _giles = tender
    bid = tenders.bid(wb, nacro)
    service = bid.lines[0].service_id
    other = next(s for s, _name in bid.services if s != service)
    tenders.set_bid_lines(wb, nacro, [(service, 240, pounds(340)), (other, 10, pounds(95))])
    lines = {
        line.service_id: (line.volume, line.unit_price) for line in tenders.bid(wb, nacro).lines
    }
    assert lines == {service: (240, pounds(340)), other: (10, pounds(95))}
    assert tenders.bid(wb, nacro).price == 240 * pounds(340) + 10 * pounds(95)
    with pytest.raises(ValidationError, match="cannot be negative"):
        tenders.set_bid_lines(wb, nacro, [(service, 100, pounds(1)), (other, -1, pounds(95))])
    assert tenders.bid(wb, nacro).lines[0].volume == 240


def test_the_award_plan_says_what_will_happen_and_the_reference_is_kept(tender) -> None:
    wb, _ids, competition, *_rest, nacro, _giles = tender
    _scored(tender)
    plan = tenders.award_plan(wb, competition, nacro, decided=date(2010, 1, 20))
    # The competition's agreement expires 31/03/2012: the new contract follows it.
    assert (plan.start, plan.end) == (date(2012, 4, 1), date(2015, 3, 31))
    assert plan.leader and not plan.new_provider
    assert plan.price == 250 * pounds(350)
    effects = tenders.award_consequences(
        wb, competition, date(2010, 4, 1), date(2013, 3, 31), date(2010, 1, 20), "New advice"
    )
    assert effects[0] == (
        "Nacro resettlement contract will end on 31/03/2010, the day before New advice starts."
    )
    assert "agreed by 17/02/2010; service starts 01/04/2010" in effects[2]
    tenders.award(
        wb,
        competition,
        nacro,
        date(2010, 1, 20),
        date(2010, 4, 1),
        date(2013, 3, 31),
        title="New advice",
        reference="  NOMS/NW/2010/07 ",
    )
    award = tenders.evaluation(wb, competition).award
    assert award is not None and award.agreement_reference == "NOMS/NW/2010/07"


def test_a_bidder_a_criterion_or_a_score_added_by_mistake_comes_out_again(tender) -> None:
    wb, _ids, competition, quality, price, nacro, giles = tender
    _scored(tender)
    tenders.clear_score(wb, giles, quality)
    by_name = {b.name: b for b in tenders.evaluation(wb, competition).bidders}
    assert by_name["St Giles Trust"].scores == {} and by_name["Nacro"].scores == {
        quality: Decimal("8")
    }
    assert "Quality scores still to enter for St Giles Trust" in (
        tenders.evaluation(wb, competition).problems
    )
    assert tenders.remove_bidder(wb, giles) == "St Giles Trust"
    assert [b.name for b in tenders.evaluation(wb, competition).bidders] == ["Nacro"]
    social = tenders.add_criterion(wb, competition, "Social value", 0)
    tenders.set_score(wb, nacro, social, 5)
    assert tenders.remove_criterion(wb, social) == "Social value"
    result = tenders.evaluation(wb, competition)
    assert [c.name for c in result.criteria] == ["Quality of service", "Price"]
    assert result.bidders[0].scores == {quality: Decimal("8")}
    # Replacing a bid's lines removes the ones not given (how an edit is undone).
    service = tenders.bid(wb, nacro).lines[0].service_id
    other = next(s for s, _n in tenders.bid(wb, nacro).services if s != service)
    tenders.set_bid_lines(wb, nacro, [(other, 5, pounds(10))])
    tenders.set_bid_lines(wb, nacro, [(service, 250, pounds(350))], replace=True)
    assert [(x.service_id, x.volume) for x in tenders.bid(wb, nacro).lines] == [(service, 250)]
    tenders.award(wb, competition, nacro, date(2010, 1, 20), date(2010, 4, 1), date(2013, 3, 31))
    for closed in (
        lambda: tenders.clear_score(wb, nacro, quality),
        lambda: tenders.remove_criterion(wb, price),
        lambda: tenders.remove_bidder(wb, nacro),
    ):
        with pytest.raises(ValidationError, match="its bids and scores are closed"):
            closed()


def test_the_awards_milestones_follow_the_regions_numbering(demo) -> None:
    with demo.session() as session:
        found = {
            m.title: m.reference
            for m in session.scalars(select(Milestone).where(Milestone.title.startswith("Mob")))
        }
    # The demo numbers its milestones M01 to M12; the Buckley Hall award added two.
    assert sorted(found.values()) == ["M13", "M14"]
