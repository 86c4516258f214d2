"""The weighted scorecard: one score per provider from the measures that carry a weighting.

The NPS scheme (seed 001, Annex B) weights some targets (10, 8, 2...) so that they add up
to 100. A provider's score is worked out from its matrix cells for the same window:

* achievement on a measure = actual / target when higher is better, target / actual when
  lower is better, capped at 1 (beating a target earns no more than meeting it, so one
  outstanding figure cannot hide a failure elsewhere) and never below 0;
* a return that is missing past its due date achieves 0;
* measures with no target yet, or nothing due yet, are left out, and the score is taken
  over the weights that could be counted: score = 100 x sum(weight x achievement) /
  sum(counted weights). The counted weight is shown beside the score.

Providers are ranked by score (equal scores share a rank); movement compares the rank and
score with the previous window (the period before, or the year to date a month earlier).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from dom_desk.domain.matrix import (
    EVERYTHING,
    Cell,
    Matrix,
    MatrixFilter,
    MeasureInfo,
    ProviderInfo,
    build,
)
from dom_desk.domain.performance import Window, previous_window, resolve_window
from dom_desk.domain.status import Status
from dom_desk.models import Direction
from dom_desk.storage.workbook import Workbook

CAP = Decimal(1)
_HUNDRED = Decimal(100)


def achievement(
    direction: Direction, value: Decimal | None, target: Decimal | None
) -> Decimal | None:
    """How much of the target was achieved, 0 to 1; None when it cannot be judged."""
    if value is None or target is None:
        return None
    if direction is Direction.HIGHER:
        share = CAP if target <= 0 else value / target
    else:
        share = CAP if value <= 0 else target / value
    return max(Decimal(0), min(CAP, share))


@dataclass(frozen=True)
class ScoreLine:
    measure: MeasureInfo
    status: Status | None
    #: 0 to 1, or None when the measure is left out of this provider's score.
    achievement: Decimal | None

    @property
    def counted(self) -> bool:
        return self.achievement is not None

    @property
    def points(self) -> Decimal:
        """Weighted points earned (out of the measure's weight)."""
        if self.achievement is None:
            return Decimal(0)
        return self.achievement * (self.measure.weighting or 0)


def score_line(measure: MeasureInfo, cell: Cell | None) -> ScoreLine:
    if cell is None:
        return ScoreLine(measure, None, None)
    if cell.status is Status.MISSING:
        return ScoreLine(measure, cell.status, Decimal(0))
    return ScoreLine(measure, cell.status, achievement(measure.direction, cell.value, cell.target))


@dataclass(frozen=True)
class ProviderScore:
    provider: ProviderInfo
    lines: tuple[ScoreLine, ...]
    rank: int | None = None
    previous_score: Decimal | None = None
    previous_rank: int | None = None
    #: Measures whose status changed since the previous window: "PT 5: Met -> Missed".
    changes: tuple[str, ...] = ()

    @cached_property
    def counted_weight(self) -> int:
        return sum(line.measure.weighting or 0 for line in self.lines if line.counted)

    @cached_property
    def score(self) -> Decimal | None:
        """Out of 100, one decimal place; None when no weighted measure could be judged."""
        weight = self.counted_weight
        if not weight:
            return None
        points = sum((line.points for line in self.lines), Decimal(0))
        return (points * _HUNDRED / weight).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def score_change(self) -> Decimal | None:
        if self.score is None or self.previous_score is None:
            return None
        return self.score - self.previous_score

    @property
    def rank_change(self) -> int | None:
        """Places climbed since the previous window (negative: places fallen)."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank

    @property
    def movement(self) -> str:
        """ "▲ 2", "▼ 1", "=" or "new", in words a screen reader also reads."""
        change = self.rank_change
        if change is None:
            return "new" if self.rank is not None else ""
        if change > 0:
            return f"▲ up {change}"
        if change < 0:
            return f"▼ down {-change}"
        return "= no change"


@dataclass(frozen=True)
class Scorecard:
    window: Window
    previous: Window | None
    measures: tuple[MeasureInfo, ...]
    scores: tuple[ProviderScore, ...]

    @property
    def total_weight(self) -> int:
        return sum(m.weighting or 0 for m in self.measures)

    @property
    def warning(self) -> str:
        """Said when the weights do not make up the 100 the scheme expects."""
        if not self.measures:
            return "No measure carries a scorecard weighting."
        if self.total_weight != 100:
            return f"The scorecard weightings add up to {self.total_weight}, not 100."
        return ""


def _rank(scores: list[ProviderScore]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) by score, best first; unscored providers unranked."""
    scored = sorted(
        ((s.score, s.provider) for s in scores if s.score is not None),
        key=lambda pair: (-pair[0], pair[1].name.casefold()),
    )
    ranks: dict[int, int] = {}
    last_score, last_rank = None, 0
    for position, (score, provider) in enumerate(scored, start=1):
        if score != last_score:
            last_score, last_rank = score, position
        ranks[provider.id] = last_rank
    return ranks


def _provider_scores(matrix: Matrix, spec: MatrixFilter) -> list[ProviderScore]:
    view = matrix.view(MatrixFilter(kinds=spec.kinds, text=spec.text))
    weighted = [c for c in range(len(matrix.measures)) if matrix.measures[c].weighting]
    scores = []
    for row in view.rows:
        cells = matrix.cells[row]
        # Providers with no weighted measure in their returns have no place on the card.
        if all((cell := cells[c]) is None or cell.status is Status.NO_FIGURES for c in weighted):
            continue
        lines = tuple(score_line(matrix.measures[c], cells[c]) for c in weighted)
        scores.append(ProviderScore(matrix.providers[row], lines))
    return scores


def scorecard_from(
    matrix: Matrix, previous: Matrix | None, spec: MatrixFilter = EVERYTHING
) -> Scorecard:
    """The scorecard of an already built matrix, compared with the previous one's."""
    now = _provider_scores(matrix, spec)
    ranks = _rank(now)
    before: dict[int, ProviderScore] = {}
    before_ranks: dict[int, int] = {}
    if previous is not None:
        earlier = _provider_scores(previous, spec)
        before = {s.provider.id: s for s in earlier}
        before_ranks = _rank(earlier)
    result = []
    for entry in now:
        old = before.get(entry.provider.id)
        changes = _changes(entry, old) if old else ()
        result.append(
            ProviderScore(
                entry.provider,
                entry.lines,
                ranks.get(entry.provider.id),
                old.score if old else None,
                before_ranks.get(entry.provider.id),
                changes,
            )
        )
    result.sort(key=lambda s: (s.rank is None, s.rank or 0, s.provider.name.casefold()))
    measures = tuple(m for m in matrix.measures if m.weighting)
    return Scorecard(matrix.window, previous.window if previous else None, measures, tuple(result))


def _changes(now: ProviderScore, before: ProviderScore) -> tuple[str, ...]:
    old = {line.measure.id: line.status for line in before.lines}
    moved = []
    for line in now.lines:
        was = old.get(line.measure.id)
        if line.status is not None and was is not None and was is not line.status:
            moved.append(f"{line.measure.code}: {was.label} -> {line.status.label}")
    return tuple(moved)


def build_scorecard(
    wb: Workbook,
    period: str | None = None,
    year: str | None = None,
    spec: MatrixFilter = EVERYTHING,
) -> Scorecard:
    """The scorecard for a period (or the year to date), with movement since the one before."""
    with wb.session() as session:
        window = resolve_window(session, period, year)
        earlier = previous_window(session, window)
        matrix = build(session, window)
        previous = build(session, earlier) if earlier else None
    return scorecard_from(matrix, previous, spec)
