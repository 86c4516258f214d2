"""The commissioning cycle in the plan (issue 15): need and demand, value for money, acting
on performance, competitions to award and payment by results, each a section the plan
can include, its figures as the domain works them out, read back from the PDF."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from pdf_reading import layout_text, page_count, raw_text
from sqlalchemy import select

from dom_desk.domain import demand, payments, performance_actions, resource_decisions, tenders
from dom_desk.domain.competitions import create_competition
from dom_desk.domain.kinds import DemandKind, PaymentRuleKind
from dom_desk.domain.money import format_pounds
from dom_desk.domain.periods import format_date
from dom_desk.domain.region import year_by_label
from dom_desk.domain.vfm import value_for_money
from dom_desk.models import (
    Agreement,
    Allocation,
    CompetitionKind,
    CriterionKind,
    Provider,
    ProviderKind,
    Sector,
    Service,
    ServiceLine,
)
from dom_desk.plan import export_plan, save_template
from dom_desk.plan.data import gather
from dom_desk.plan.template import SPECS, SectionChoice, default_template

HOSTILE = "St Giles' Trust <North> & Co"
CYCLE = ("need_demand", "value_for_money", "acting_on_performance", "tender_awards", "payments")
TITLES = {key: SPECS[key].title for key in CYCLE}
YEAR = "2009-10"


def only(wb, *keys: str) -> None:
    """The year's plan with just these sections (a short plan is quick to export)."""
    save_template(
        wb,
        [SectionChoice(s.key, s.key in keys, s.title, s.body) for s in default_template()],
        YEAR,
    )


def text_of(pdf: Path, mode: str = "layout") -> str:
    read = layout_text if mode == "layout" else raw_text
    return " ".join(" ".join(read(pdf, n).split()) for n in range(1, page_count(pdf) + 1))


def add_cycle(wb) -> dict[str, int]:
    """Records of each part of the cycle, made through the domain functions, with a
    hostile name in each."""
    with wb.session() as s:
        charity = Provider(name=HOSTILE, kind=ProviderKind.VCS, sector=Sector.THIRD)
        s.add(charity)
        s.flush()
        charity_id = charity.id
        liverpool = s.scalar(select(Provider.id).where(Provider.name == "HMP Liverpool"))
        garth = s.scalar(select(Provider.id).where(Provider.name == "HMP Garth"))
        year_id = year_by_label(s, YEAR).id
        line = s.scalar(
            select(ServiceLine)
            .join(Agreement, ServiceLine.agreement_id == Agreement.id)
            .where(Agreement.provider_id == liverpool, ServiceLine.year_id == year_id)
            .order_by(ServiceLine.id)
        )
        custody_id, bought = line.service_id, line.volume
        allocations = s.scalars(
            select(Allocation.id)
            .where(Allocation.year_id == year_id)
            .order_by(Allocation.baseline.desc(), Allocation.id)
            .limit(2)
        ).all()
    # Need and demand: Liverpool's demand for places beyond what is bought (forecast from
    # two earlier years), its population beyond capacity, a caseload for the charity.
    demand.set_figure(wb, liverpool, "2007-08", DemandKind.SERVICE, bought + 10, custody_id)
    demand.set_figure(wb, liverpool, "2008-09", DemandKind.SERVICE, bought + 30, custody_id)
    demand.set_figure(wb, liverpool, YEAR, DemandKind.PRISON_POPULATION, 1_310)
    demand.set_figure(wb, liverpool, YEAR, DemandKind.CAPACITY, 1_200)
    demand.set_figure(wb, charity_id, YEAR, DemandKind.CASELOAD_COMMUNITY, "2,345")
    demand.set_figure(wb, garth, YEAR, DemandKind.OGRS_HIGH, 420)
    # Acting on performance: an action on Liverpool's drug testing, one on the charity.
    drugs = performance_actions.find_measure(wb, "KPI 3")
    action = performance_actions.open_action(
        wb,
        liverpool,
        "Drug testing below target <two months>",
        drugs,
        "2009-09",
        owner="Head of Performance",
        due=date(2009, 12, 15),
    )
    performance_actions.open_action(
        wb, charity_id, "Caseload & <quality> concern", owner="DOM", due=date(2009, 10, 1)
    )
    resource_decisions.decide(
        wb,
        allocations[0],
        allocations[1],
        25_000_050,
        "Reinvest in resettlement; <b>not bold</b> &amp; kept",
        decided=date(2009, 10, 20),
        action_id=action,
    )
    # A competition with two bidders, scored and awarded.
    with wb.session() as s:
        competition = create_competition(
            s, f"Mentoring for {HOSTILE}", CompetitionKind.MARKET_TEST, expiry="31/03/2011"
        ).id
    quality = tenders.add_criterion(wb, competition, "Quality <of> service", 60)
    tenders.add_criterion(wb, competition, "Price", 40, CriterionKind.PRICE)
    first = tenders.add_bidder(wb, competition, "Nacro")
    second = tenders.add_bidder(wb, competition, "Bidder <script>x</script>")
    with wb.session() as s:
        mentoring = s.scalar(select(Service.id).order_by(Service.id))
    tenders.set_bid_line(wb, first, mentoring, 100, 350_00)
    tenders.set_bid_line(wb, second, mentoring, 100, 300_01)
    tenders.set_score(wb, first, quality, 8)
    tenders.set_score(wb, second, quality, "6.5")
    awarded = tenders.award(
        wb, competition, first, date(2009, 10, 30), date(2010, 4, 1), date(2013, 3, 31)
    )
    # Payment by results on Cumbria's SLA (its annual value split three ways).
    cumbria = payments.find_agreement(wb, "Cumbria Probation Area SLA 2009-10")
    payments.set_rule(
        wb, cumbria, PaymentRuleKind.PROPORTIONAL, 4_000_000_00, 1_290_000_00, 200_000_00
    )
    return {"competition": competition, "contract": awarded.agreement_id}


@pytest.fixture
def cycle(demo, tmp_path: Path):
    ids = add_cycle(demo)
    only(demo, "contents", *CYCLE)
    pdf = tmp_path / "plan.pdf"
    export_plan(demo, YEAR, pdf)
    return demo, ids, pdf


def test_every_part_of_the_cycle_is_a_section_with_its_contents_entry(cycle) -> None:
    _wb, _ids, pdf = cycle
    contents = " ".join(layout_text(pdf, 1).split())
    for title in TITLES.values():
        assert title in contents, title
        assert re.search(re.escape(title) + r"[ .]+\d+", contents), title


def test_need_and_demand_prints_the_domains_figures(cycle) -> None:
    wb, _ids, pdf = cycle
    text = text_of(pdf)
    found = demand.demand_position(wb, YEAR)
    assert found.pressures
    for sentence in found.pressures:
        assert " ".join(sentence.split()) in text_of(pdf, "raw"), sentence
    # Liverpool's place demand: forecast from 2007-08 and 2008-09 on their trend, by hand.
    (row,) = [r for r in found.rows if r.provider == "HMP Liverpool" and r.service]
    expected = row.commissioned + 50  # +10, +30: the line through them reaches +50
    assert row.figure.value == expected
    assert f"{expected:,}* {row.commissioned:,} 50" in text
    assert "1,310 1,200" in text  # population and capacity, side by side
    assert f"{HOSTILE} 2,345" in text_of(pdf, "raw")
    assert (
        "forecast from earlier years where none was entered: 1 figure from the trend of "
        "2007-08 to 2008-09." in text
    )


def test_value_for_money_lists_the_lines_furthest_above_target(cycle) -> None:
    wb, _ids, pdf = cycle
    text = text_of(pdf)
    # Independently: every 2009-10 line with volume, its price against its target.
    with wb.session() as s:
        rows = s.execute(
            select(ServiceLine.volume, ServiceLine.unit_price, Service.target_unit_cost)
            .join(Service, ServiceLine.service_id == Service.id)
            .where(ServiceLine.year_id == year_by_label(s, YEAR).id)
        ).all()
    above = [(v, p, t) for v, p, t in rows if v > 0 and t and p > t]
    assert f"{len(above):,} of the {len(rows):,} service lines for {YEAR}" in text
    worst = max(above, key=lambda r: Decimal(r[1] - r[2]) / r[2])
    share = (Decimal(worst[1] - worst[2]) * 100 / worst[2]).quantize(Decimal("0.1"))
    excess = (worst[1] - worst[2]) * worst[0]
    pence = any(p % 100 for _v, p, _t in above)
    assert f"{share}%" in text
    assert format_pounds(excess, always_pence=bool(excess % 100)) in text
    assert format_pounds(worst[1], always_pence=pence) in text
    # The pathway totals: what the costed lines cost beyond their target prices, the
    # table's over the lines with a pathway, the note's over every line.
    with wb.session() as s:
        pathway = dict(
            s.execute(
                select(ServiceLine.id, Service.pathway).join(
                    Service, ServiceLine.service_id == Service.id
                )
            ).all()
        )
        costed = s.execute(
            select(
                ServiceLine.id, ServiceLine.volume, ServiceLine.unit_price, Service.target_unit_cost
            )
            .join(Service, ServiceLine.service_id == Service.id)
            .where(ServiceLine.year_id == year_by_label(s, YEAR).id, ServiceLine.volume > 0)
            .where(Service.target_unit_cost.is_not(None))
        ).all()
    overall = sum((p - t) * v for _i, v, p, t in costed)
    assigned = sum((p - t) * v for i, v, p, t in costed if pathway[i] is not None)
    assert value_for_money(wb, YEAR).total_excess == overall
    assert re.search(
        r"Total [\d,]+ £[\d,.]+ [\d,]+ £[\d,.]+ £[\d,.]+ "
        + re.escape(format_pounds(assigned, always_pence=False)),
        text,
    )
    overall_words = f"{format_pounds(abs(overall))} {'above' if overall >= 0 else 'below'}."
    assert f"all the year's costed lines {overall_words}" in text


def test_acting_on_performance_lists_open_actions_and_decisions(cycle) -> None:
    wb, _ids, pdf = cycle
    raw = text_of(pdf, "raw")
    open_actions = performance_actions.actions(wb, open_only=True)
    assert len(open_actions) >= 2
    for action in open_actions:
        assert action.title in raw
        assert format_date(action.due) in raw
    # The workbook's date is 02/11/2009: the charity's action (due 01/10/2009) is late.
    late = [a for a in open_actions if a.due is not None and a.due < date(2009, 11, 2)]
    assert f"{len(open_actions)} performance actions open, {len(late)} of them overdue" in raw
    assert "01/10/2009 overdue" in raw
    assert "KPI 3 Sep 2009 Concern raised Head of Performance 15/12/2009" in raw
    assert "20/10/2009" in raw and "£250,000.50" in raw
    assert "Reinvest in resettlement; <b>not bold</b> &amp; kept" in raw
    assert "Awaiting acceptance" in raw  # its scenario is still a draft
    (decision,) = [
        d for d in resource_decisions.decisions(wb, YEAR) if d.decided == date(2009, 10, 20)
    ]
    assert decision.behind.startswith("Action #") and decision.behind in raw


def test_the_competition_prints_its_ranking_and_award(cycle) -> None:
    wb, ids, pdf = cycle
    raw = text_of(pdf, "raw")
    # Independently: quality score / 10 x 60, and the lowest price / the price x 40.
    nacro = Decimal(8) / 10 * 60 + Decimal(100 * 300_01) / (100 * 350_00) * 40
    other = Decimal("6.5") / 10 * 60 + 40
    nacro, other = (x.quantize(Decimal("0.01"), ROUND_HALF_UP) for x in (nacro, other))
    assert nacro > other
    assert f"1 Nacro Bidding £35,000 48.00 {(nacro - 48):.2f} {nacro}" in raw
    assert f"2 Bidder <script>x</script> Bidding £30,001 39.00 40.00 {other}" in raw
    assert "Quality <of> service 60%, Price 40% (100% in all)" in raw
    with wb.session() as s:
        contract = s.get(Agreement, ids["contract"])
        title, value = contract.title, contract.annual_value
    assert value == 100 * 350_00
    assert (
        f"Awarded to Nacro on 30/10/2009. The contract it created, {title}, £35,000 a year, "
        "runs from 01/04/2010 to 31/03/2013 and is in the book (outside 2009-10, so not in "
        "this plan's schedule)."
    ) in raw
    # The 2010-11 plan's schedule has it: there the award says so.
    with wb.session() as s:
        later = gather(s, "2010-11", final=False).cycle.competitions
    assert later is not None
    (award,) = [r.award for r in later if r.subject == f"Mentoring for {HOSTILE}"]
    assert award is not None and award.in_book and award.in_year
    assert f"Mentoring for {HOSTILE}" in raw


def test_payment_by_results_totals_are_the_domains_to_the_penny(cycle) -> None:
    wb, _ids, pdf = cycle
    text = text_of(pdf)
    found = payments.payments(wb, YEAR)
    total = payments.totals(found)
    assert total.still_at_risk == total.at_risk - total.earned_to_date
    (cumbria,) = [p for p in found if p.provider == "Cumbria Probation Area"]
    share = cumbria.paid_share
    assert share is not None
    earned = int(
        (Decimal(200_000_00) * share / 100 * cumbria.months / 12).quantize(1, ROUND_HALF_UP)
    )
    assert cumbria.earned_to_date == earned
    pence = any(v % 100 for p in found for v in (p.at_risk, p.earned_to_date, p.still_at_risk))
    money = [format_pounds(v, always_pence=pence) for v in (200_000_00, earned)]
    assert f"{money[0]} {money[1]} {format_pounds(200_000_00 - earned, always_pence=pence)}" in (
        text
    )
    assert (
        "Total "
        + " ".join(
            format_pounds(v, always_pence=pence)
            for v in (total.at_risk, total.earned_to_date, total.still_at_risk)
        )
        in text
    )
    said = f"{cumbria.basis[0].upper()}{cumbria.basis[1:]}: pays {share.normalize():f}%"
    assert said in text_of(pdf, "raw")


def test_unchecked_cycle_sections_are_neither_printed_nor_read(demo, tmp_path: Path) -> None:
    add_cycle(demo)
    only(demo, "contents", "risks")
    with demo.session() as s:
        data = gather(s, YEAR, final=False)
    assert data.cycle.value is None and data.cycle.payments is None
    assert data.cycle.competitions is None and data.cycle.acting is None
    export_plan(demo, YEAR, tmp_path / "plan.pdf")
    contents = " ".join(layout_text(tmp_path / "plan.pdf", 1).split())
    assert "Risk register" in contents
    for title in TITLES.values():
        assert title not in contents
    text = text_of(tmp_path / "plan.pdf", "raw")
    for heading in ("Beyond commissioned", "Cost beyond target", "Quality points"):
        assert heading not in text
    assert "Still at risk" not in text and "Disinvestment and reinvestment" not in text
    assert HOSTILE not in text


def test_parts_with_nothing_to_say_are_left_out(workbook, tmp_path: Path) -> None:
    """A region with none of the cycle's records: no pages of "none", and need and demand,
    which carries the DOM's text, says in one sentence that it has no figures."""
    only(workbook, "contents", *CYCLE)
    export_plan(workbook, YEAR, tmp_path / "plan.pdf")
    text = text_of(tmp_path / "plan.pdf")
    assert "No demand figures have been recorded or forecast for 2009-10." in text
    for key in CYCLE[1:]:
        assert TITLES[key] not in text
    assert page_count(tmp_path / "plan.pdf") == 2  # contents, need and demand


def test_new_sections_are_in_the_default_template_and_added_to_saved_ones(workbook) -> None:
    from dom_desk.plan.template import load_template

    keys = [s.key for s in default_template() if s.included]
    assert set(CYCLE) <= set(keys)
    # A template saved before these sections existed has them unticked, each after the
    # section the catalogue puts before it.
    older = [s for s in default_template() if s.key not in CYCLE[1:]]
    save_template(workbook, older)
    loaded = load_template(workbook)
    assert [s.key for s in loaded] == list(SPECS)
    assert [s.key for s in loaded if not s.included] == [k for k in SPECS if k in CYCLE[1:]]
    # The saved order is kept: new sections follow their neighbour wherever it went.
    moved = [s for s in older if s.key != "service_mix"] + [
        next(s for s in older if s.key == "service_mix")
    ]
    save_template(workbook, moved)
    assert [s.key for s in load_template(workbook)][-2:] == ["service_mix", "value_for_money"]


def test_a_competition_without_a_result_says_why_and_is_not_awarded(
    workbook, tmp_path: Path
) -> None:
    """On a region set up from nothing: weights that do not add to 100 leave no ranking,
    and the plan says so in the evaluation's own words."""
    from negotiation_data import build

    ids = build(workbook)
    with workbook.session() as s:
        competition = create_competition(
            s,
            "Resettlement advice (Merseyside)",
            CompetitionKind.MARKET_TEST,
            expiry="31/03/2012",
            agreement_id=ids.charity_contract,
        ).id
    quality = tenders.add_criterion(workbook, competition, "Quality of service", 40)
    tenders.add_criterion(workbook, competition, "Price", 20, CriterionKind.PRICE)
    nacro = tenders.add_bidder(workbook, competition, "Nacro")
    with workbook.session() as s:
        service = s.get(tenders.Bidder, nacro).lines[0].service_id
    tenders.set_bid_line(workbook, nacro, service, 250, 350_00)
    tenders.set_score(workbook, nacro, quality, 7)
    only(workbook, "tender_awards")
    export_plan(workbook, YEAR, tmp_path / "plan.pdf")
    raw = text_of(tmp_path / "plan.pdf", "raw")
    (problem,) = tenders.evaluation(workbook, competition).problems
    assert problem == "The criteria's weights add to 60%, not 100%"
    assert f"No result yet: {problem}." in raw
    assert "Quality of service 40%, Price 20% (60% in all)" in raw
    # Nacro's points are shown (7/10 x 40, and the only price earns the price's 20),
    # but no total or rank while the weights are wrong.
    assert "Nacro Bidding £87,500 28.00 20.00" in raw
    assert "Not yet awarded." in raw
