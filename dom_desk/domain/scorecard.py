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

from collections import Counter
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
from dom_desk.models import Direction, ProviderKind
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
    #: Another provider has the same score (and so the same rank).
    tied: bool = False

    @property
    def rank_text(self) -> str:
        """ "3", or "=1" where providers tie; "" when unranked."""
        if self.rank is None:
            return ""
        return f"={self.rank}" if self.tied else str(self.rank)

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
    #: Why the providers left off the card are not scored, one sentence per kind:
    #: "15 public prisons not scored: no weighted measure applies to them in 2009-10."
    not_scored: tuple[str, ...] = ()

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


#: Why a provider has no place on the card.
NOT_APPLICABLE = "no weighted measure applies to them"
NO_FIGURES = "no figures returned on a weighted measure"

#: One provider of a kind and several, as a sentence counts them.
_NOUNS: dict[ProviderKind, tuple[str, str]] = {
    ProviderKind.PUBLIC_PRISON: ("public prison", "public prisons"),
    ProviderKind.CONTRACTED_PRISON: ("contracted prison", "contracted prisons"),
    ProviderKind.PRISON_CLUSTER: ("prison cluster", "prison clusters"),
    ProviderKind.PROBATION_BOARD: ("probation board", "probation boards"),
    ProviderKind.PROBATION_TRUST: ("probation trust", "probation trusts"),
    ProviderKind.CRC: ("community rehabilitation company", "community rehabilitation companies"),
    ProviderKind.NPS_DIVISION: ("NPS division", "NPS divisions"),
    ProviderKind.VCS: ("voluntary sector provider", "voluntary sector providers"),
    ProviderKind.PRIVATE_COMPANY: ("private company", "private companies"),
}


def _provider_scores(
    matrix: Matrix, spec: MatrixFilter
) -> tuple[list[ProviderScore], list[tuple[ProviderInfo, str]]]:
    """The providers of the kind and name chosen that can be scored, and those that
    cannot with the reason (every provider is one or the other)."""
    weighted = [c for c in range(len(matrix.measures)) if matrix.measures[c].weighting]
    wanted = spec.text.strip().casefold()
    scores: list[ProviderScore] = []
    skipped: list[tuple[ProviderInfo, str]] = []
    for row, provider in enumerate(matrix.providers):
        if spec.kinds is not None and provider.kind not in spec.kinds:
            continue
        if wanted and wanted not in provider.name.casefold():
            continue
        cells = matrix.cells[row]
        if all(cells[c] is None for c in weighted):
            skipped.append((provider, NOT_APPLICABLE))
        elif all((cell := cells[c]) is None or cell.status is Status.NO_FIGURES for c in weighted):
            skipped.append((provider, NO_FIGURES))
        else:
            lines = tuple(score_line(matrix.measures[c], cells[c]) for c in weighted)
            scores.append(ProviderScore(provider, lines))
    return scores, skipped


def not_scored_sentences(skipped: list[tuple[ProviderInfo, str]], year: str) -> tuple[str, ...]:
    """One sentence per reason, the kinds counted: "22 providers not scored: no weighted
    measure applies to them in 2009-10 (15 public prisons, 4 voluntary sector providers,
    2 contracted prisons, 1 private company)."; one kind is named outright ("15 public
    prisons not scored: ...")."""
    sentences = []
    for reason in (NOT_APPLICABLE, NO_FIGURES):
        kinds = Counter(provider.kind for provider, why in skipped if why == reason)
        if not kinds:
            continue
        total = sum(kinds.values())
        said = reason if total > 1 else reason.replace("them", "it")
        counted = [
            _counted(kind, n)
            for kind, n in sorted(kinds.items(), key=lambda kn: (-kn[1], kn[0].label))
        ]
        if len(counted) == 1:
            sentences.append(f"{counted[0]} not scored: {said} in {year}.")
        else:
            noun = "providers" if total > 1 else "provider"
            sentences.append(f"{total} {noun} not scored: {said} in {year} ({', '.join(counted)}).")
    return tuple(sentences)


def _counted(kind: ProviderKind, count: int) -> str:
    """ "15 public prisons", "1 private company"."""
    one, many = _NOUNS.get(kind, (kind.label.lower(), kind.label.lower()))
    return f"{count} {one if count == 1 else many}"


def scorecard_from(
    matrix: Matrix, previous: Matrix | None, spec: MatrixFilter = EVERYTHING
) -> Scorecard:
    """The scorecard of an already built matrix, compared with the previous one's."""
    now, skipped = _provider_scores(matrix, spec)
    ranks = _rank(now)
    shared = Counter(ranks.values())
    before: dict[int, ProviderScore] = {}
    before_ranks: dict[int, int] = {}
    if previous is not None:
        earlier, _skipped = _provider_scores(previous, spec)
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
                shared[ranks[entry.provider.id]] > 1 if entry.provider.id in ranks else False,
            )
        )
    result.sort(key=lambda s: (s.rank is None, s.rank or 0, s.provider.name.casefold()))
    measures = tuple(m for m in matrix.measures if m.weighting)
    return Scorecard(
        matrix.window,
        previous.window if previous else None,
        measures,
        tuple(result),
        not_scored_sentences(skipped, matrix.window.year_label),
    )


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
