"""The risk register: scores from the workbook's configurable matrix, the heat map, reviews.

The score is never stored on a risk: it is read from the matrix (``RiskScore``), so
changing the matrix rescores every risk at once. The default matrix is the NPS 2005-06
register's (``region.DEFAULT_RISK_MATRIX``).

In-transaction layer: every function here takes the ``Session`` of a transaction the
caller has open (the plan, the lists import, a window undo step run by
``tables.run_action``). The window reads the heat map through
:func:`dom_desk.domain.planning_views.risk_heat_map`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain.region import DEFAULT_RISK_MATRIX, risk_matrix
from dom_desk.errors import ValidationError
from dom_desk.models import Level, Priority, Risk, RiskScore, RiskStatus
from dom_desk.storage import audit

LEVELS: tuple[Level, ...] = (Level.L, Level.M, Level.H, Level.VH)
LEVEL_NAMES = {Level.L: "Low", Level.M: "Medium", Level.H: "High", Level.VH: "Very high"}
_LEVEL_WORDS = {
    "l": Level.L,
    "low": Level.L,
    "m": Level.M,
    "med": Level.M,
    "medium": Level.M,
    "h": Level.H,
    "high": Level.H,
    "vh": Level.VH,
    "very high": Level.VH,
    "v high": Level.VH,
    "v/h": Level.VH,
    "veryhigh": Level.VH,
}
#: Bands of the heat map, from the lowest quarter of the matrix's scores to the highest.
BANDS = ("Low", "Medium", "High", "Very high")

Matrix = dict[tuple[Level, Level], int]


def parse_level(text: str, where: str = "") -> Level:
    """``L``, ``M``, ``H``, ``VH`` or the words (``Very high``)."""
    found = _LEVEL_WORDS.get(" ".join(str(text).casefold().split()))
    if found is None:
        raise ValidationError(f"'{text}' is not a rating (use L, M, H or VH)", where)
    return found


def band(score: int, matrix: Matrix) -> str:
    """ "Low" to "Very high": where the score falls among the matrix's scores."""
    scores = sorted(set(matrix.values()))
    if len(scores) < 2:
        return BANDS[0]
    below = sum(1 for s in scores if s < score)
    share = below / (len(scores) - 1)
    return BANDS[min(3, int(share * 4))]


def matrix_problems(matrix: Matrix) -> list[str]:
    """Pairs that score lower than a pair with less likelihood or impact (worth a
    warning: a configurable matrix may still do it on purpose)."""
    problems: list[str] = []
    for li, likelihood in enumerate(LEVELS):
        for ii, impact in enumerate(LEVELS):
            score = matrix.get((likelihood, impact))
            if score is None:
                problems.append(f"{likelihood.label}/{impact.label} has no score")
                continue
            for lower in ([(LEVELS[li - 1], impact)] if li else []) + (
                [(likelihood, LEVELS[ii - 1])] if ii else []
            ):
                if lower in matrix and matrix[lower] > score:
                    problems.append(
                        f"{likelihood.label}/{impact.label} scores {score}, less than "
                        f"{lower[0].label}/{lower[1].label} ({matrix[lower]})"
                    )
    return problems


def set_score(session: Session, likelihood: Level, impact: Level, score: int) -> int | None:
    """Changes one cell of the matrix; returns the old score."""
    if score < 0:
        raise ValidationError("A risk score cannot be negative", "Score")
    cell = session.get(RiskScore, (likelihood, impact))
    old = cell.score if cell else None
    if cell is None:
        session.add(RiskScore(likelihood=likelihood, impact=impact, score=score))
    else:
        cell.score = score
    return old


def reset_matrix(session: Session) -> None:
    """Puts the NPS 2005-06 scores back."""
    for (likelihood, impact), score in DEFAULT_RISK_MATRIX.items():
        set_score(session, Level(likelihood), Level(impact), score)


@dataclass(frozen=True)
class RiskRow:
    id: int
    reference: str
    description: str
    priority: str
    likelihood: Level
    impact: Level
    score: int | None
    band: str
    owner: str
    mitigations: str
    review: date | None
    status: RiskStatus


def register(session: Session, include_closed: bool = False) -> list[RiskRow]:
    """The register, highest score first (then by reference)."""
    matrix = risk_matrix(session)
    query = select(Risk).options(selectinload(Risk.priority))
    if not include_closed:
        query = query.where(Risk.status == RiskStatus.OPEN)
    rows = []
    for risk in session.scalars(query):
        score = matrix.get((risk.likelihood, risk.impact))
        rows.append(
            RiskRow(
                risk.id,
                risk.reference,
                risk.description,
                f"{risk.priority.number}. {risk.priority.title}" if risk.priority else "",
                risk.likelihood,
                risk.impact,
                score,
                band(score, matrix) if score is not None else "",
                risk.owner,
                risk.mitigations,
                risk.review,
                risk.status,
            )
        )
    rows.sort(key=lambda r: (-(r.score or 0), _reference_key(r.reference)))
    return rows


def _reference_key(reference: str) -> tuple[int, str]:
    return (int(reference), "") if reference.isdigit() else (10**9, reference)


@dataclass(frozen=True)
class HeatCell:
    likelihood: Level
    impact: Level
    score: int | None
    band: str
    references: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        return len(self.references)


@dataclass(frozen=True)
class HeatMap:
    """Likelihood (rows, highest first when drawn) by impact (columns)."""

    cells: dict[tuple[Level, Level], HeatCell] = field(default_factory=dict)

    def cell(self, likelihood: Level, impact: Level) -> HeatCell:
        return self.cells[(likelihood, impact)]

    @property
    def total(self) -> int:
        return sum(c.count for c in self.cells.values())


def heat_map(session: Session, include_closed: bool = False) -> HeatMap:
    """Counts of risks in each likelihood and impact cell, with the cell's score."""
    matrix = risk_matrix(session)
    refs: dict[tuple[Level, Level], list[str]] = {}
    for row in register(session, include_closed):
        refs.setdefault((row.likelihood, row.impact), []).append(row.reference)
    cells = {}
    for likelihood in LEVELS:
        for impact in LEVELS:
            score = matrix.get((likelihood, impact))
            cells[(likelihood, impact)] = HeatCell(
                likelihood,
                impact,
                score,
                band(score, matrix) if score is not None else "",
                tuple(sorted(refs.get((likelihood, impact), []), key=_reference_key)),
            )
    return HeatMap(cells)


def _check_reference(session: Session, reference: str, risk_id: int | None = None) -> str:
    reference = " ".join(str(reference).split())
    if not reference:
        raise ValidationError("The risk needs a reference", "Ref")
    query = select(func.count()).select_from(Risk).where(Risk.reference == reference)
    if risk_id is not None:
        query = query.where(Risk.id != risk_id)
    if session.scalar(query):
        raise ValidationError(f"There is already a risk {reference}", "Ref")
    return reference


def add_risk(
    session: Session,
    reference: str,
    description: str,
    likelihood: Level,
    impact: Level,
    owner: str = "",
    mitigations: str = "",
    review: date | None = None,
    priority: Priority | None = None,
) -> Risk:
    reference = _check_reference(session, reference)
    if not description.strip():
        raise ValidationError("Describe the risk", "Risk")
    risk = Risk(
        id=audit.fresh_id(session, Risk),
        reference=reference,
        description=description.strip(),
        likelihood=likelihood,
        impact=impact,
        owner=owner.strip(),
        mitigations=mitigations.strip(),
        review=review,
        priority=priority,
    )
    session.add(risk)
    session.flush()
    return risk


def record_review(
    session: Session,
    risk_id: int,
    reviewed_on: date,
    next_review: date | None,
    likelihood: Level | None = None,
    impact: Level | None = None,
    note: str = "",
) -> None:
    """A review: the ratings as now assessed and the next review date. The overdue review
    leaves the key dates; the audit trail keeps what the review found."""
    risk = session.get(Risk, risk_id)
    if risk is None:
        raise ValidationError("That risk no longer exists")
    if next_review is not None and next_review <= reviewed_on:
        raise ValidationError("The next review must come after this one", "Next review")
    old_review = risk.review
    if likelihood is not None:
        risk.likelihood = likelihood
    if impact is not None:
        risk.impact = impact
    risk.review = next_review
    audit.record(
        session,
        "review",
        "risk",
        risk.id,
        "review",
        old_review,
        next_review,
        f"Reviewed {reviewed_on:%d/%m/%Y}: {risk.likelihood.label}/"
        f"{risk.impact.label}. {note}".strip(),
    )


def review_state(session: Session, risk_id: int) -> dict[str, object]:
    """What a review changes, so an undo can put it back."""
    risk = session.get(Risk, risk_id)
    if risk is None:
        raise ValidationError("That risk no longer exists")
    return {"likelihood": risk.likelihood, "impact": risk.impact, "review": risk.review}


def restore_review_state(session: Session, risk_id: int, state: dict[str, object]) -> None:
    risk = session.get(Risk, risk_id)
    if risk is None:
        raise ValidationError("That risk no longer exists")
    for key, value in state.items():
        setattr(risk, key, value)
    audit.record(session, "undo review", "risk", risk.id, "review", None, risk.review)
