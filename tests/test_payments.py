"""Payment by results and bonuses (issue 15, item 5): the price split into fixed,
variable and at-risk money, and what results so far in the year earn of it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from dom_desk.cli import main
from dom_desk.domain import payments
from dom_desk.domain.kinds import PaymentRuleKind
from dom_desk.domain.matrix.build import build_matrix
from dom_desk.domain.money import format_pounds
from dom_desk.domain.payments import Band, paid_share
from dom_desk.domain.scorecard import build_scorecard
from dom_desk.domain.status import Status
from dom_desk.errors import ValidationError

K = PaymentRuleKind
BANDS = (
    Band(Decimal(50), Decimal(25)),
    Band(Decimal(70), Decimal(60)),
    Band(Decimal(85), Decimal(100)),
)


@pytest.mark.parametrize(
    ("kind", "achieved", "paid"),
    [
        (K.PROPORTIONAL, Decimal("77.8"), Decimal("77.8")),
        (K.PROPORTIONAL, Decimal(120), Decimal(100)),
        (K.BANDED, Decimal(49), Decimal(0)),
        (K.BANDED, Decimal(50), Decimal(25)),
        (K.BANDED, Decimal("84.9"), Decimal(60)),
        (K.SCORECARD_BONUS, Decimal(100), Decimal(100)),
    ],
)
def test_what_an_achievement_pays(kind, achieved, paid) -> None:
    assert paid_share(kind, achieved, BANDS) == paid


def _cumbria(wb) -> int:
    return payments.find_agreement(wb, "Cumbria Probation Area SLA 2009-10")


def _rule_of(wb, agreement: int, year: str | None = "2009-10"):
    """The agreement's payment (the demo holds rules of its own for others)."""
    (found,) = [p for p in payments.payments(wb, year) if p.agreement_id == agreement]
    return found


def _rules(wb) -> list[tuple[int, int, int, int]]:
    return [(p.agreement_id, p.fixed, p.variable, p.at_risk) for p in payments.payments(wb)]


def test_a_proportional_rule_pays_the_share_of_targets_met(demo) -> None:
    agreement = _cumbria(demo)
    payments.set_rule(
        demo, agreement, K.PROPORTIONAL, pounds(4_000_000), pounds(1_290_000), pounds(200_000)
    )
    found = _rule_of(demo, agreement)
    # Independently: Cumbria's judged cells in the year-to-date matrix.
    matrix = build_matrix(demo, year="2009-10")
    row = next(i for i, p in enumerate(matrix.providers) if p.name == "Cumbria Probation Area")
    judged = [
        c for c in matrix.cells[row] if c and c.status in (Status.MET, Status.NEAR, Status.MISSED)
    ]
    met = sum(c.status is Status.MET for c in judged)
    share = (Decimal(met) * 100 / len(judged)).quantize(Decimal("0.1"))
    assert found.basis == f"{met} of {len(judged)} judged targets met ({share}%)"
    assert found.paid_share == share
    expected = (Decimal(pounds(200_000)) * share / 100 * found.months / 12).quantize(
        1, ROUND_HALF_UP
    )
    assert found.earned_to_date == int(expected)
    assert found.still_at_risk == pounds(200_000) - found.earned_to_date
    assert isinstance(found.earned_to_date, int)


def test_a_scorecard_bonus_follows_the_weighted_score(demo) -> None:
    agreement = _cumbria(demo)
    payments.set_rule(
        demo,
        agreement,
        K.SCORECARD_BONUS,
        0,
        pounds(5_490_000),
        pounds(100_000),
        [(t, p) for t, p in ((50, 25), (70, 60), (85, 100))],
    )
    found = _rule_of(demo, agreement)
    card = build_scorecard(demo, year="2009-10")
    score = next(s.score for s in card.scores if s.provider.name == "Cumbria Probation Area")
    assert found.basis == f"scorecard {score} of 100"
    assert found.paid_share == paid_share(K.SCORECARD_BONUS, score, BANDS)


def test_rules_are_checked_before_anything_is_written(demo) -> None:
    esf = payments.find_agreement(demo, "ESF co-financed")  # annual value £3,150,000
    before = _rules(demo)
    with pytest.raises(
        ValidationError, match="add to £3,000,000 but .* annual value is £3,150,000"
    ):
        payments.set_rule(demo, esf, K.PROPORTIONAL, 0, pounds(2_000_000), pounds(1_000_000))
    with pytest.raises(ValidationError, match="needs at least one band"):
        payments.set_rule(demo, esf, K.BANDED, 0, pounds(2_362_500), pounds(787_500))
    with pytest.raises(ValidationError, match="higher band must pay at least as much"):
        payments.set_rule(
            demo, esf, K.BANDED, 0, pounds(2_362_500), pounds(787_500), [(50, 60), (80, 40)]
        )
    with pytest.raises(ValidationError, match="cannot be negative"):
        payments.set_rule(demo, esf, K.PROPORTIONAL, -1, 0, 0)
    assert _rules(demo) == before
    payments.set_rule(demo, esf, K.PROPORTIONAL, 0, pounds(2_362_500), pounds(787_500))
    found = _rule_of(demo, esf, None)
    assert (found.fixed, found.variable, found.at_risk) == (0, pounds(2_362_500), pounds(787_500))
    assert payments.remove_rule(demo, esf)
    assert [r for r in _rules(demo) if r[0] == esf] == []


def test_the_command_line_sets_and_reports(demo, capsys) -> None:
    esf = payments.find_agreement(demo, "ESF co-financed")
    payments.remove_rule(demo, esf)
    others = sum(p.at_risk for p in payments.payments(demo))
    demo.close()
    db = ["--db", demo.location]
    assert main(["payments", *db]) == 0
    assert "ESF co-financed" not in capsys.readouterr().out
    rule = [
        "--agreement",
        "ESF co-financed",
        "--rule",
        "banded",
        "--variable",
        "£2,362,500",
        "--at-risk",
        "£787,500",
        "--band",
        "50:40",
        "--band",
        "80:100",
    ]
    assert main(["payments", *db, *rule]) == 0
    assert main(["payments", *db]) == 0
    out = capsys.readouterr().out
    assert "fixed £0, variable £2,362,500, at risk £787,500" in out
    assert f"In all: {format_pounds(others + pounds(787_500))} at risk" in out


def pounds(amount: int) -> int:
    return amount * 100


def test_a_rule_set_again_with_the_same_bands_replaces_them(demo) -> None:
    forest = payments.find_agreement(demo, "HMP Forest Bank operating contract")
    rule = _rule_of(demo, forest)
    bands = [(90, 100), (60, 40)]  # 90% is one of the demo's own thresholds
    payments.set_rule(demo, forest, rule.kind, rule.fixed, rule.variable, rule.at_risk, bands)
    again = _rule_of(demo, forest)
    assert sorted((b.threshold, b.paid) for b in again.bands) == [(60, 40), (90, 100)]
