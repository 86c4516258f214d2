"""The weighted scorecard: score per provider, ranking and movement."""

from __future__ import annotations

from decimal import Decimal

import pytest
from performance_data import build_region
from sqlalchemy import select

from dom_desk.domain.matrix import MatrixFilter
from dom_desk.domain.scorecard import achievement, build_scorecard
from dom_desk.domain.status import Status
from dom_desk.models import Direction, Measure, ProviderKind, Result


def test_achievement_is_capped_and_honours_direction() -> None:
    assert achievement(Direction.HIGHER, Decimal(80), Decimal(90)) == Decimal(80) / 90
    assert achievement(Direction.HIGHER, Decimal(99), Decimal(90)) == 1  # capped
    assert achievement(Direction.LOWER, Decimal(12), Decimal(9)) == Decimal(9) / 12
    assert achievement(Direction.LOWER, Decimal(4), Decimal(9)) == 1
    assert achievement(Direction.LOWER, Decimal(0), Decimal(0)) == 1
    assert achievement(Direction.HIGHER, Decimal(5), None) is None


@pytest.fixture
def ids(workbook):
    return build_region(workbook)


def test_score_is_weight_times_capped_achievement_over_counted_weights(workbook, ids) -> None:
    card = build_scorecard(workbook)
    assert card.total_weight == 100 and card.warning == ""
    scores = {s.provider.name: s for s in card.scores}
    # Beta: PT 1 (weight 60) at 80% against 90%; UPW (weight 40) does not apply.
    beta = scores["HMP Beta"]
    assert beta.counted_weight == 60
    assert beta.score == (Decimal(80) / 90 * 100).quantize(Decimal("0.1"))
    # Gamma meets both PT 1 and UPW.
    assert scores["Gamma Probation Trust"].score == 100
    assert scores["Gamma Probation Trust"].counted_weight == 100


def test_ranking_shares_places_for_equal_scores(workbook, ids) -> None:
    card = build_scorecard(workbook)
    ranks = [(s.provider.name, s.rank) for s in card.scores]
    assert ranks == [("Gamma Probation Trust", 1), ("HMP Alpha", 1), ("HMP Beta", 3)]


def test_a_missing_return_scores_nothing_and_movement_is_shown(workbook, ids) -> None:
    card = build_scorecard(workbook, "2009-10-M")
    # The month before, named as people read it; its code stays what files hold.
    assert card.previous is not None and card.previous.period_code == "2009-09"
    assert card.previous.label == "Sep 2009"
    beta = next(s for s in card.scores if s.provider.name == "HMP Beta")
    line = next(line for line in beta.lines if line.measure.code == "PT 1")
    assert line.status is Status.MISSING and line.achievement == 0
    assert beta.score == 0
    assert beta.previous_score == (Decimal(80) / 90 * 100).quantize(Decimal("0.1"))
    assert beta.rank_change == 0 and beta.movement == "= no change"  # last both times
    assert "PT 1: Missed -> Missing" in beta.changes


def test_rank_moves_when_scores_change(workbook, ids) -> None:
    with workbook.session() as session:
        pt1 = session.scalar(select(Measure.id).where(Measure.code == "PT 1"))
        result = session.scalars(
            select(Result).where(
                Result.provider_id == ids.providers["HMP Alpha"],
                Result.measure_id == pt1,
                Result.period_id == ids.periods["2009-10-M"],
            )
        ).one()
        result.actual, result.numerator, result.denominator = (Decimal(50), Decimal(5), Decimal(10))
    card = build_scorecard(workbook, "2009-10-M")
    alpha = next(s for s in card.scores if s.provider.name == "HMP Alpha")
    assert alpha.rank == 2 and alpha.previous_rank == 1
    assert alpha.rank_change == -1 and alpha.movement == "▼ down 1"
    assert alpha.score_change is not None and alpha.score_change < 0


def test_scorecard_follows_the_kind_filter(workbook, ids) -> None:
    spec = MatrixFilter(kinds=frozenset({ProviderKind.PROBATION_TRUST}))
    card = build_scorecard(workbook, spec=spec)
    assert [s.provider.name for s in card.scores] == ["Gamma Probation Trust"]


def test_demo_scorecard_uses_the_nps_weights(demo) -> None:
    card = build_scorecard(demo, "2009-09")
    assert card.total_weight == 100 and not card.warning
    assert {s.provider.kind for s in card.scores} <= {
        ProviderKind.PROBATION_BOARD,
        ProviderKind.PROBATION_TRUST,
    }
    ranked = [s for s in card.scores if s.rank is not None]
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)
    cumbria = next(s for s in card.scores if s.provider.name == "Cumbria Probation Area")
    # Its September return is missing: every counted weighted measure earns nothing.
    assert cumbria.score == 0 and cumbria.rank_change is not None and cumbria.rank_change < 0
