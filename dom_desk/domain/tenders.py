"""A competition through to award: bidders and their priced bids, the evaluation
criteria and their weights, the scores, the weighted result and ranking, and the award
that creates the new contract (seed 000: specify, cost, and test by competition, bids
judged on quality and price).

Every write is one transaction through ``wb.session()`` and is audited there. The
result is worked out, never stored: weights must add to 100 and every quality score
be entered before a bidder has a total.

Scoring: a quality criterion's points are ``score / max_score x weight``. Price is
scored from the bids themselves, the usual public-sector formula: the lowest priced
bid earns the full weight, another ``lowest / its price x weight``. Totals are exact
decimals shown to two places; equal totals share a rank.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain.competitions import get_competition
from dom_desk.domain.contracts import current_end, record_variation
from dom_desk.domain.money import format_pounds
from dom_desk.domain.names import one_named
from dom_desk.domain.periods import year_of
from dom_desk.domain.region import ensure_year, today
from dom_desk.errors import ValidationError
from dom_desk.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Bidder,
    BidderStatus,
    BidLine,
    BidScore,
    Competition,
    CompetitionAward,
    CriterionKind,
    EvaluationCriterion,
    Milestone,
    Provider,
    ProviderKind,
    Sector,
    ServiceLine,
    Stage,
    VariationKind,
)
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook

FULL_WEIGHT = 100
#: Days from the award decision to the "contract signed" mobilisation milestone.
SIGNING_DAYS = 28
_CENTS = Decimal("0.01")

# -- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionInfo:
    id: int
    name: str
    kind: CriterionKind
    weight: int
    max_score: int


@dataclass(frozen=True)
class BidderResult:
    id: int
    name: str
    provider_id: int | None
    status: BidderStatus
    #: The bid's annual price: the sum of its lines' volume x unit price (pence).
    price: int
    #: Points per criterion id (None where a quality score is not yet entered).
    points: dict[int, Decimal | None]
    #: The weighted total out of 100, once every criterion has its points.
    total: Decimal | None
    rank: int | None
    tied: bool
    #: The quality scores as entered, per criterion id (a criterion not scored is absent).
    scores: dict[int, Decimal] = field(default_factory=dict)

    @property
    def rank_text(self) -> str:
        return "" if self.rank is None else f"{'=' if self.tied else ''}{self.rank}"


@dataclass(frozen=True)
class Evaluation:
    competition_id: int
    subject: str
    criteria: tuple[CriterionInfo, ...]
    bidders: tuple[BidderResult, ...]
    #: Sentences saying why there is no result yet; empty when the ranking stands.
    problems: tuple[str, ...]
    award: AwardInfo | None

    @property
    def weights_total(self) -> int:
        return sum(c.weight for c in self.criteria)

    @property
    def leader(self) -> BidderResult | None:
        ranked = [b for b in self.bidders if b.rank == 1]
        return ranked[0] if len(ranked) == 1 else None


@dataclass(frozen=True)
class AwardInfo:
    bidder: str
    decided: date
    agreement_id: int | None
    agreement_title: str
    reason: str
    agreement_reference: str = ""


def evaluation(wb: Workbook, competition_id: int) -> Evaluation:
    """The competition's bidders, each criterion's points and the weighted ranking."""
    with wb.session() as session:
        return evaluation_in(session, competition_id)


def evaluation_in(session: Session, competition_id: int) -> Evaluation:
    competition = get_competition(session, competition_id)
    criteria = tuple(
        CriterionInfo(c.id, c.name, c.kind, c.weight, c.max_score)
        for c in _criteria(session, competition_id)
    )
    bidders = list(
        session.scalars(
            select(Bidder).where(Bidder.competition_id == competition_id).order_by(Bidder.name)
        )
    )
    scores = {
        (s.bidder_id, s.criterion_id): s.score
        for s in session.scalars(
            select(BidScore).where(BidScore.bidder_id.in_([b.id for b in bidders]))
        )
    }
    prices = {b.id: sum(line.volume * line.unit_price for line in b.lines) for b in bidders}
    bidding = [b for b in bidders if b.status is BidderStatus.BIDDING]
    priced = [prices[b.id] for b in bidding if prices[b.id] > 0]
    lowest = min(priced) if priced else None

    problems = _problems(criteria, bidding, prices, scores)
    results = []
    for bidder in bidders:
        points: dict[int, Decimal | None] = {}
        for criterion in criteria:
            points[criterion.id] = _points(
                criterion, scores.get((bidder.id, criterion.id)), prices[bidder.id], lowest
            )
        counted = bidder.status is BidderStatus.BIDDING and not problems
        total = sum((p for p in points.values() if p is not None), Decimal(0))
        complete = counted and all(p is not None for p in points.values())
        results.append(
            (bidder, points, total.quantize(_CENTS, ROUND_HALF_UP) if complete else None)
        )
    totals = [t for _, _, t in results if t is not None]
    award = _award_info(session, competition_id)
    return Evaluation(
        competition_id=competition.id,
        subject=competition.subject,
        criteria=criteria,
        bidders=tuple(
            BidderResult(
                id=b.id,
                name=b.name,
                provider_id=b.provider_id,
                status=b.status,
                price=prices[b.id],
                points=points,
                total=total,
                rank=None if total is None else 1 + sum(1 for t in totals if t > total),
                tied=total is not None and totals.count(total) > 1,
                scores={c.id: scores[(b.id, c.id)] for c in criteria if (b.id, c.id) in scores},
            )
            for b, points, total in sorted(results, key=_ranking)
        ),
        problems=tuple(problems),
        award=award,
    )


def _ranking(item: tuple[Bidder, dict, Decimal | None]) -> tuple[int, Decimal, str]:
    bidder, _points, total = item
    return (total is None, -(total or Decimal(0)), bidder.name)


def _points(
    criterion: CriterionInfo, score: Decimal | None, price: int, lowest: int | None
) -> Decimal | None:
    weight = Decimal(criterion.weight)
    if criterion.kind is CriterionKind.PRICE:
        if lowest is None or price <= 0:
            return None
        return weight * Decimal(lowest) / Decimal(price)
    if score is None or criterion.max_score <= 0:
        return None
    return weight * score / Decimal(criterion.max_score)


def _problems(
    criteria: tuple[CriterionInfo, ...],
    bidding: list[Bidder],
    prices: dict[int, int],
    scores: dict[tuple[int, int], Decimal],
) -> list[str]:
    problems = []
    if not criteria:
        problems.append("No evaluation criteria yet: add quality and price criteria")
    elif sum(c.weight for c in criteria) != FULL_WEIGHT:
        problems.append(
            f"The criteria's weights add to {sum(c.weight for c in criteria)}%, not 100%"
        )
    if not bidding:
        problems.append("No bidder is still bidding")
    if any(c.kind is CriterionKind.PRICE for c in criteria):
        unpriced = [b.name for b in bidding if prices[b.id] <= 0]
        if unpriced:
            problems.append(f"No price yet from {', '.join(unpriced)}")
    missing = sorted(
        {
            b.name
            for b in bidding
            for c in criteria
            if c.kind is CriterionKind.QUALITY and (b.id, c.id) not in scores
        }
    )
    if missing:
        problems.append(f"Quality scores still to enter for {', '.join(missing)}")
    return problems


def _award_info(session: Session, competition_id: int) -> AwardInfo | None:
    award = session.scalar(
        select(CompetitionAward).where(CompetitionAward.competition_id == competition_id)
    )
    if award is None:
        return None
    return AwardInfo(
        bidder=award.bidder.name,
        decided=award.decided,
        agreement_id=award.agreement_id,
        agreement_title=award.agreement.title if award.agreement else "",
        reason=award.reason,
        agreement_reference=award.agreement.reference if award.agreement else "",
    )


# -- bidders and their bids -----------------------------------------------------------------


def add_bidder(
    wb: Workbook,
    competition_id: int,
    name: str,
    provider_id: int | None = None,
    notes: str = "",
) -> int:
    """A bidder, with a bid line for every service the current agreement buys this year
    (its volume, and no price until the bid's prices are entered)."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError("The bidder needs a name", "Bidder")
    if len(name) > 160:
        raise ValidationError(f"A bidder's name is at most 160 characters ({len(name)})", "Bidder")
    with wb.session() as session:
        competition = get_competition(session, competition_id)
        _refuse_if_awarded(session, competition)
        taken = session.scalar(
            select(Bidder.id).where(Bidder.competition_id == competition_id, Bidder.name == name)
        )
        if taken is not None:
            raise ValidationError(
                f"'{name}' is already bidding for {competition.subject}", "Bidder"
            )
        if provider_id is None:
            provider_id = session.scalar(select(Provider.id).where(Provider.name == name))
        bidder = Bidder(
            id=audit.fresh_id(session, Bidder),
            competition_id=competition_id,
            name=name,
            provider_id=provider_id,
            notes=notes,
        )
        session.add(bidder)
        for line in _incumbent_lines(session, competition):
            bidder.lines.append(BidLine(service_id=line.service_id, volume=line.volume))
        session.flush()
        return bidder.id


def _incumbent_lines(session: Session, competition: Competition) -> list[ServiceLine]:
    if competition.agreement_id is None:
        return []
    lines = session.scalars(
        select(ServiceLine)
        .where(ServiceLine.agreement_id == competition.agreement_id)
        .order_by(ServiceLine.year_id.desc(), ServiceLine.id)
    ).all()
    latest = lines[0].year_id if lines else None
    return [line for line in lines if line.year_id == latest]


def set_bid_line(
    wb: Workbook, bidder_id: int, service_id: int, volume: int, unit_price: int
) -> None:
    """Sets (or adds) the bid's line for a service."""
    if volume < 0 or unit_price < 0:
        raise ValidationError("A bid's volume and unit price cannot be negative", "Bid")
    with wb.session() as session:
        bidder = _bidder(session, bidder_id)
        _refuse_if_awarded(session, bidder.competition)
        line = next((x for x in bidder.lines if x.service_id == service_id), None)
        if line is None:
            bidder.lines.append(
                BidLine(service_id=service_id, volume=volume, unit_price=unit_price)
            )
        else:
            line.volume, line.unit_price = volume, unit_price


@dataclass(frozen=True)
class BidLineView:
    service_id: int
    service: str
    unit: str
    volume: int
    #: Pence per unit.
    unit_price: int

    @property
    def value(self) -> int:
        return self.volume * self.unit_price


@dataclass(frozen=True)
class BidView:
    bidder_id: int
    bidder: str
    competition: str
    lines: tuple[BidLineView, ...]
    #: Every service (id, name), for a line the current agreement does not have.
    services: tuple[tuple[int, str], ...]
    #: Whether the competition is awarded (its bids are closed).
    closed: bool

    @property
    def price(self) -> int:
        return sum(line.value for line in self.lines)


def bid(wb: Workbook, bidder_id: int) -> BidView:
    """A bidder's priced lines (service, volume, unit price) and the services it could add."""
    from dom_desk.models import Service

    with wb.session() as session:
        bidder = _bidder(session, bidder_id)
        closed = session.scalar(
            select(CompetitionAward.id).where(
                CompetitionAward.competition_id == bidder.competition_id
            )
        )
        return BidView(
            bidder_id=bidder.id,
            bidder=bidder.name,
            competition=bidder.competition.subject,
            lines=tuple(
                BidLineView(
                    line.service_id,
                    line.service.name,
                    line.service.unit,
                    line.volume,
                    line.unit_price,
                )
                for line in bidder.lines
            ),
            services=tuple(
                (s.id, s.name) for s in session.scalars(select(Service).order_by(Service.name))
            ),
            closed=closed is not None,
        )


def set_bid_lines(
    wb: Workbook,
    bidder_id: int,
    lines: Iterable[tuple[int, int, int]],
    replace: bool = False,
) -> None:
    """Sets (or adds) several of a bid's lines, (service id, volume, unit price in pence)
    each, in one transaction: all of them or, when one is refused, none. With
    ``replace`` the bid is exactly these lines (any other is removed: an undo)."""
    lines = list(lines)
    for _service, volume, unit_price in lines:
        if volume < 0 or unit_price < 0:
            raise ValidationError("A bid's volume and unit price cannot be negative", "Bid")
    with wb.session() as session:
        bidder = _bidder(session, bidder_id)
        _refuse_if_awarded(session, bidder.competition)
        if replace:
            keep = {service_id for service_id, _v, _p in lines}
            for line in [x for x in bidder.lines if x.service_id not in keep]:
                bidder.lines.remove(line)
        for service_id, volume, unit_price in lines:
            line = next((x for x in bidder.lines if x.service_id == service_id), None)
            if line is None:
                bidder.lines.append(
                    BidLine(service_id=service_id, volume=volume, unit_price=unit_price)
                )
            else:
                line.volume, line.unit_price = volume, unit_price


def remove_bidder(wb: Workbook, bidder_id: int) -> str:
    """Removes a bidder added by mistake, with its bid and scores (not once awarded);
    returns its name."""
    with wb.session() as session:
        bidder = _bidder(session, bidder_id)
        _refuse_if_awarded(session, bidder.competition)
        for score in session.scalars(select(BidScore).where(BidScore.bidder_id == bidder_id)):
            session.delete(score)
        name = bidder.name
        session.delete(bidder)
        return name


def set_bidder_status(wb: Workbook, bidder_id: int, status: BidderStatus, note: str = "") -> None:
    """Withdrawn and excluded bidders stay listed but are not ranked."""
    with wb.session() as session:
        bidder = _bidder(session, bidder_id)
        _refuse_if_awarded(session, bidder.competition)
        bidder.status = status
        if note.strip():
            bidder.notes = (bidder.notes + "\n" if bidder.notes else "") + note.strip()


# -- criteria and scores --------------------------------------------------------------------


def add_criterion(
    wb: Workbook,
    competition_id: int,
    name: str,
    weight: int,
    kind: CriterionKind = CriterionKind.QUALITY,
    max_score: int = 10,
) -> int:
    """A criterion; the weights need not add to 100 until the result is worked out."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError("The criterion needs a name", "Criterion")
    _check_weight(weight)
    if max_score < 1:
        raise ValidationError("The highest score must be at least 1", "Highest score")
    with wb.session() as session:
        competition = get_competition(session, competition_id)
        _refuse_if_awarded(session, competition)
        existing = _criteria(session, competition_id)
        if any(c.name.casefold() == name.casefold() for c in existing):
            raise ValidationError(
                f"{competition.subject} already has a criterion '{name}'", "Criterion"
            )
        if kind is CriterionKind.PRICE and any(c.kind is CriterionKind.PRICE for c in existing):
            raise ValidationError("A competition has one price criterion", "Criterion")
        after = sum(c.weight for c in existing) + weight
        if after > FULL_WEIGHT:
            raise ValidationError(
                f"The weights would add to {after}%: at most 100% in all", "Weight"
            )
        criterion = EvaluationCriterion(
            id=audit.fresh_id(session, EvaluationCriterion),
            competition_id=competition_id,
            name=name,
            kind=kind,
            weight=weight,
            max_score=max_score,
            position=len(existing),
        )
        session.add(criterion)
        session.flush()
        return criterion.id


def set_weight(wb: Workbook, criterion_id: int, weight: int) -> None:
    _check_weight(weight)
    with wb.session() as session:
        criterion = _criterion(session, criterion_id)
        _refuse_if_awarded(session, get_competition(session, criterion.competition_id))
        others = sum(
            c.weight for c in _criteria(session, criterion.competition_id) if c.id != criterion_id
        )
        if others + weight > FULL_WEIGHT:
            raise ValidationError(
                f"The weights would add to {others + weight}%: at most 100% in all", "Weight"
            )
        criterion.weight = weight


def set_score(
    wb: Workbook, bidder_id: int, criterion_id: int, score: str | Decimal | int
) -> Decimal:
    """A quality score, 0 to the criterion's highest; returns it as stored."""
    with wb.session() as session:
        bidder = _bidder(session, bidder_id)
        criterion = _criterion(session, criterion_id)
        if criterion.competition_id != bidder.competition_id:
            raise ValidationError("That criterion belongs to another competition", "Score")
        _refuse_if_awarded(session, bidder.competition)
        where = f"Score of {bidder.name} for {criterion.name}"
        if criterion.kind is CriterionKind.PRICE:
            raise ValidationError("price is scored from the bids' prices, not entered", where)
        value = _score(score, criterion.max_score, where)
        found = session.scalar(
            select(BidScore).where(
                BidScore.bidder_id == bidder_id, BidScore.criterion_id == criterion_id
            )
        )
        if found is None:
            session.add(
                BidScore(
                    id=audit.fresh_id(session, BidScore),
                    bidder_id=bidder_id,
                    criterion_id=criterion_id,
                    score=value,
                )
            )
        else:
            found.score = value
        return value


def clear_score(wb: Workbook, bidder_id: int, criterion_id: int) -> None:
    """Takes a quality score out again (the bidder then has no total)."""
    with wb.session() as session:
        bidder = _bidder(session, bidder_id)
        _refuse_if_awarded(session, bidder.competition)
        found = session.scalar(
            select(BidScore).where(
                BidScore.bidder_id == bidder_id, BidScore.criterion_id == criterion_id
            )
        )
        if found is not None:
            session.delete(found)


def remove_criterion(wb: Workbook, criterion_id: int) -> str:
    """Removes a criterion added by mistake, with its scores (not once awarded); returns
    its name."""
    with wb.session() as session:
        criterion = _criterion(session, criterion_id)
        _refuse_if_awarded(session, get_competition(session, criterion.competition_id))
        for score in session.scalars(select(BidScore).where(BidScore.criterion_id == criterion_id)):
            session.delete(score)
        name = criterion.name
        session.delete(criterion)
        return name


def _score(text: str | Decimal | int, max_score: int, where: str) -> Decimal:
    if isinstance(text, float):
        raise TypeError("scores are Decimal, int or text, never float")
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise ValidationError(f"'{text}' is not a number", where) from None
    if not value.is_finite() or value < 0 or value > max_score:
        raise ValidationError(f"a score is 0 to {max_score}, not {text}", where)
    return value


def _check_weight(weight: int) -> None:
    if not 0 <= weight <= FULL_WEIGHT:
        raise ValidationError(f"A weight is 0 to 100 per cent, not {weight}", "Weight")


# -- the award ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AwardResult:
    agreement_id: int
    title: str
    annual_value: int
    #: What happened to the agreement the competition replaces, in one sentence.
    incumbent: str
    milestones: tuple[int, ...]


def award(
    wb: Workbook,
    competition_id: int,
    bidder_id: int,
    decided: date,
    start: date,
    end: date,
    title: str = "",
    reason: str = "",
    provider_kind: ProviderKind | None = None,
    sector: Sector | None = None,
    reference: str = "",
) -> AwardResult:
    """Awards the competition to a bidder, in one transaction: the award is recorded, a
    contract is created from the bid (start, end, annual value and service lines in the
    financial year it starts), the current agreement is ended the day before (a change of
    duration when it is a contract running past then), the Award stage is marked done,
    and mobilisation milestones are added. The criteria's weights must add to 100;
    awarding to anyone but the leader of a complete evaluation needs a reason."""
    if end <= start:
        raise ValidationError("The contract must end after it starts", "End")
    reference = " ".join(reference.split())
    if len(reference) > 60:
        raise ValidationError(
            f"A contract's reference is at most 60 characters ({len(reference)})", "Reference"
        )
    with wb.session() as session:
        competition = get_competition(session, competition_id)
        _refuse_if_awarded(session, competition)
        bidder = _bidder(session, bidder_id)
        if bidder.competition_id != competition_id:
            raise ValidationError(f"{bidder.name} is not bidding for {competition.subject}")
        if bidder.status is not BidderStatus.BIDDING:
            raise ValidationError(f"{bidder.name} is {bidder.status.label.lower()}: not awardable")
        result = evaluation_in(session, competition_id)
        if result.weights_total != FULL_WEIGHT:
            raise ValidationError(
                f"The criteria's weights add to {result.weights_total}%, not 100%: "
                f"{competition.subject} cannot be awarded until they do",
                "Weight",
            )
        leader = result.leader
        if (leader is None or leader.id != bidder_id) and not reason.strip():
            why = "; ".join(result.problems) or (
                f"{leader.name} scored highest" if leader else "the top scores are tied"
            )
            raise ValidationError(
                f"Say why {bidder.name} is awarded the contract ({why})", "Reason"
            )
        provider_id = bidder.provider_id or _new_provider(session, bidder, provider_kind, sector)
        price = sum(line.volume * line.unit_price for line in bidder.lines)
        contract = Agreement(
            id=audit.fresh_id(session, Agreement),
            provider_id=provider_id,
            kind=AgreementKind.CONTRACT,
            reference=reference,
            title=(title.strip() or default_title(competition.subject, start))[:200],
            status=AgreementStatus.AGREED,
            start=start,
            end=end,
            annual_value=price or None,
            notes=f"Awarded by competition: {competition.subject}, decided {decided:%d/%m/%Y}.",
        )
        session.add(contract)
        session.flush()
        year = ensure_year(session, year_of(start))
        for line in bidder.lines:
            session.add(
                ServiceLine(
                    agreement_id=contract.id,
                    service_id=line.service_id,
                    year_id=year.id,
                    volume=line.volume,
                    unit_price=line.unit_price,
                )
            )
        session.add(
            CompetitionAward(
                id=audit.fresh_id(session, CompetitionAward),
                competition_id=competition_id,
                bidder_id=bidder_id,
                decided=decided,
                agreement_id=contract.id,
                reason=reason.strip(),
            )
        )
        incumbent = _end_incumbent(session, competition, start, contract.title)
        _mark_stage(competition, Stage.AWARD, decided)
        milestones = _mobilisation(session, competition, contract.title, decided, start)
        session.flush()
        return AwardResult(contract.id, contract.title, price, incumbent, milestones)


def _new_provider(
    session: Session, bidder: Bidder, kind: ProviderKind | None, sector: Sector | None
) -> int:
    if kind is None or sector is None:
        raise ValidationError(
            f"{bidder.name} is not yet a provider: give its kind and sector to award it",
            "Provider kind",
        )
    provider = Provider(
        id=audit.fresh_id(session, Provider), name=bidder.name, kind=kind, sector=sector
    )
    session.add(provider)
    session.flush()
    bidder.provider_id = provider.id
    return provider.id


def default_title(subject: str, start: date) -> str:
    return f"{subject} contract from {start:%d/%m/%Y}"


def _incumbent_change(
    competition: Competition, start: date, title: str, done: bool
) -> tuple[str, bool]:
    """What the award does to the agreement it replaces, in one sentence (as done, or as
    it will be), and whether that is a change of duration to record."""
    old = competition.agreement
    if old is None:
        return "No current agreement is linked to the competition.", False
    last_day = start - timedelta(days=1)
    if old.kind is AgreementKind.CONTRACT:
        ends = current_end(old)
        if ends is None or ends > last_day:
            verb = "now ends" if done else "will end"
            return (
                f"{old.title} {verb} on {last_day:%d/%m/%Y}, the day before {title} starts.",
                True,
            )
        return f"{old.title} already ends on {ends:%d/%m/%Y}.", False
    verb = "is replaced" if done else "will be replaced"
    return f"{old.title} {verb} from {start:%d/%m/%Y}: noted on the SLA.", False


def _end_incumbent(session: Session, competition: Competition, start: date, title: str) -> str:
    sentence, vary = _incumbent_change(competition, start, title, done=True)
    old = competition.agreement
    if old is None:
        return sentence
    last_day = start - timedelta(days=1)
    if vary:
        record_variation(
            session,
            old.id,
            VariationKind.DURATION,
            effective=last_day if old.start is None else max(old.start, last_day),
            description=f"Ended by the award of {title}",
            new_end=last_day,
        )
    elif old.kind is not AgreementKind.CONTRACT:
        note = f"Replaced from {start:%d/%m/%Y} by {title} (competition award)."
        old.notes = (old.notes + "\n" if old.notes else "") + note
    return sentence


@dataclass(frozen=True)
class AwardPlan:
    """What awarding a competition to a bidder would do, before it is done: the form's
    starting values and the sentences a confirmation shows."""

    subject: str
    bidder: str
    #: Whether the bidder tops a complete evaluation (others need a reason).
    leader: bool
    #: Whether the bidder is not yet a provider (its kind and sector are then needed).
    new_provider: bool
    decided: date
    start: date
    end: date
    title: str
    price: int
    line_count: int
    #: The agreement the competition replaces ("" when none is linked).
    incumbent: str
    #: Why there is no result yet; the weights' sentence refuses the award.
    problems: tuple[str, ...]


def award_plan(
    wb: Workbook,
    competition_id: int,
    bidder_id: int,
    decided: date | None = None,
    start: date | None = None,
    end: date | None = None,
) -> AwardPlan:
    """The award's starting values: decided on the working date, the contract starting
    the day after the current agreement expires (or the first of the month after the
    decision) and running three years; ``decided``, ``start`` and ``end`` override."""
    with wb.session() as session:
        competition = get_competition(session, competition_id)
        bidder = _bidder(session, bidder_id)
        result = evaluation_in(session, competition_id)
        decided = decided or today(session)
        if start is None:
            ends = competition.expiry
            old = competition.agreement
            if ends is None and old is not None and old.kind is AgreementKind.CONTRACT:
                ends = current_end(old)
            if ends is not None and ends >= decided:
                start = ends + timedelta(days=1)
            else:
                start = (decided.replace(day=1) + timedelta(days=32)).replace(day=1)
        if end is None:
            try:
                end = start.replace(year=start.year + 3) - timedelta(days=1)
            except ValueError:  # 29 February
                end = start.replace(year=start.year + 3, day=28)
        leader = result.leader
        return AwardPlan(
            subject=competition.subject,
            bidder=bidder.name,
            leader=leader is not None and leader.id == bidder_id,
            new_provider=bidder.provider_id is None,
            decided=decided,
            start=start,
            end=end,
            title=default_title(competition.subject, start),
            price=sum(line.volume * line.unit_price for line in bidder.lines),
            line_count=len(bidder.lines),
            incumbent=competition.agreement.title if competition.agreement else "",
            problems=result.problems,
        )


def award_consequences(
    wb: Workbook, competition_id: int, start: date, end: date, decided: date, title: str
) -> tuple[str, ...]:
    """What the award will do, in sentences, for the confirmation a user answers."""
    with wb.session() as session:
        competition = get_competition(session, competition_id)
        title = title.strip() or default_title(competition.subject, start)
        incumbent, _vary = _incumbent_change(competition, start, title, done=False)
        signed = decided + timedelta(days=SIGNING_DAYS)
        return (
            incumbent,
            f"The Award stage is marked done on {decided:%d/%m/%Y}.",
            f"Two mobilisation milestones are added: contract signed and handover plan "
            f"agreed by {signed:%d/%m/%Y}; service starts {start:%d/%m/%Y}.",
            "The bids and scores are then closed.",
        )


def _mark_stage(competition: Competition, stage: Stage, day: date) -> None:
    for row in competition.stages:
        if row.stage is stage and row.actual is None:
            row.actual = day


def _mobilisation(
    session: Session, competition: Competition, title: str, decided: date, start: date
) -> tuple[int, ...]:
    ids = []
    references = _next_references(session, 2)
    for reference, (words, due) in zip(
        references,
        (
            (
                f"Mobilisation of {title}: contract signed and handover plan agreed",
                decided + timedelta(days=SIGNING_DAYS),
            ),
            (f"Mobilisation of {title}: service starts", start),
        ),
        strict=True,
    ):
        milestone = Milestone(
            id=audit.fresh_id(session, Milestone),
            reference=reference,
            title=words,
            owner="Regional contracts manager",
            due=due,
            due_text=f"{due:%d/%m/%Y}",
            notes=f"Added by the award of {competition.subject}.",
        )
        session.add(milestone)
        session.flush()
        ids.append(milestone.id)
    return tuple(ids)


def _next_references(session: Session, count: int) -> list[str]:
    """The next milestone references in the region's own numbering ("M13", "M14" after
    "M12"; "M01" style kept), or none where the region does not number them."""
    numbered = [
        re.fullmatch(r"([A-Za-z]+)(\d+)", ref or "")
        for ref in session.scalars(select(Milestone.reference))
    ]
    found = [m for m in numbered if m]
    if not found:
        return [""] * count
    last = max(found, key=lambda m: int(m.group(2)))
    prefix, width, n = last.group(1), len(last.group(2)), int(last.group(2))
    return [f"{prefix}{n + k:0{width}d}" for k in range(1, count + 1)]


# -- look-ups -------------------------------------------------------------------------------


def _bidder(session: Session, bidder_id: int) -> Bidder:
    found = session.get(Bidder, bidder_id)
    if found is None:
        raise ValidationError("That bidder no longer exists")
    return found


def _criterion(session: Session, criterion_id: int) -> EvaluationCriterion:
    found = session.get(EvaluationCriterion, criterion_id)
    if found is None:
        raise ValidationError("That criterion no longer exists")
    return found


def _criteria(session: Session, competition_id: int) -> list[EvaluationCriterion]:
    return list(
        session.scalars(
            select(EvaluationCriterion)
            .where(EvaluationCriterion.competition_id == competition_id)
            .order_by(EvaluationCriterion.position, EvaluationCriterion.id)
        )
    )


def _refuse_if_awarded(session: Session, competition: Competition) -> None:
    award = session.scalar(
        select(CompetitionAward).where(CompetitionAward.competition_id == competition.id)
    )
    if award is not None:
        raise ValidationError(
            f"{competition.subject} was awarded to {award.bidder.name} on "
            f"{award.decided:%d/%m/%Y}: its bids and scores are closed"
        )


def price_text(pence: int) -> str:
    return format_pounds(pence) if pence else "not priced"


# -- finding things by the words a user types (the command line) --------------------------


@dataclass(frozen=True)
class TenderIds:
    competition_id: int
    bidder_id: int | None = None
    criterion_id: int | None = None
    service_id: int | None = None


def find(
    wb: Workbook,
    competition: str,
    bidder: str = "",
    criterion: str = "",
    service: str = "",
) -> TenderIds:
    """Ids for names as typed: each matches exactly (ignoring case and spaces) or, failing
    that, by every word; several matches are refused with the ones found."""
    from dom_desk.models import Service

    with wb.session() as session:
        competitions = session.scalars(select(Competition)).all()
        found = one_named(competitions, competition, lambda c: c.subject, "competition")
        bidder_id = criterion_id = service_id = None
        if bidder:
            bidders = session.scalars(select(Bidder).where(Bidder.competition_id == found.id))
            bidder_id = one_named(list(bidders), bidder, lambda b: b.name, "bidder").id
        if criterion:
            criteria = _criteria(session, found.id)
            criterion_id = one_named(criteria, criterion, lambda c: c.name, "criterion").id
        if service:
            services = session.scalars(select(Service)).all()
            service_id = one_named(services, service, lambda s: s.name, "service").id
        return TenderIds(found.id, bidder_id, criterion_id, service_id)
