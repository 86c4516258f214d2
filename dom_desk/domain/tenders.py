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

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain.contracts import current_end, record_variation
from dom_desk.domain.money import format_pounds
from dom_desk.domain.names import one_named
from dom_desk.domain.periods import year_of
from dom_desk.domain.region import ensure_year
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


def evaluation(wb: Workbook, competition_id: int) -> Evaluation:
    """The competition's bidders, each criterion's points and the weighted ranking."""
    with wb.session() as session:
        return evaluation_in(session, competition_id)


def evaluation_in(session: Session, competition_id: int) -> Evaluation:
    competition = _competition(session, competition_id)
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
        competition = _competition(session, competition_id)
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
        competition = _competition(session, competition_id)
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
        _refuse_if_awarded(session, _competition(session, criterion.competition_id))
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
            raise ValidationError(
                f"{where}: price is scored from the bids' prices, not entered", "Score"
            )
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


def _score(text: str | Decimal | int, max_score: int, where: str) -> Decimal:
    if isinstance(text, float):
        raise TypeError("scores are Decimal, int or text, never float")
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise ValidationError(f"{where}: '{text}' is not a number", "Score") from None
    if not value.is_finite() or value < 0 or value > max_score:
        raise ValidationError(f"{where}: a score is 0 to {max_score}, not {text}", "Score")
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
) -> AwardResult:
    """Awards the competition to a bidder, in one transaction: the award is recorded, a
    contract is created from the bid (start, end, annual value and service lines in the
    financial year it starts), the current agreement is ended the day before (a change of
    duration when it is a contract running past then), the Award stage is marked done,
    and mobilisation milestones are added. Awarding to anyone but the leader of a
    complete evaluation needs a reason."""
    if end <= start:
        raise ValidationError("The contract must end after it starts", "End")
    with wb.session() as session:
        competition = _competition(session, competition_id)
        _refuse_if_awarded(session, competition)
        bidder = _bidder(session, bidder_id)
        if bidder.competition_id != competition_id:
            raise ValidationError(f"{bidder.name} is not bidding for {competition.subject}")
        if bidder.status is not BidderStatus.BIDDING:
            raise ValidationError(f"{bidder.name} is {bidder.status.label.lower()}: not awardable")
        result = evaluation_in(session, competition_id)
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
            title=(title.strip() or f"{competition.subject} contract from {start:%d/%m/%Y}")[:200],
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


def _end_incumbent(session: Session, competition: Competition, start: date, title: str) -> str:
    old = competition.agreement
    if old is None:
        return "No current agreement is linked to the competition."
    last_day = start - timedelta(days=1)
    if old.kind is AgreementKind.CONTRACT:
        ends = current_end(old)
        if ends is None or ends > last_day:
            record_variation(
                session,
                old.id,
                VariationKind.DURATION,
                effective=last_day if old.start is None else max(old.start, last_day),
                description=f"Ended by the award of {title}",
                new_end=last_day,
            )
            return f"{old.title} now ends on {last_day:%d/%m/%Y}, the day before {title} starts."
        return f"{old.title} already ends on {ends:%d/%m/%Y}."
    note = f"Replaced from {start:%d/%m/%Y} by {title} (competition award)."
    old.notes = (old.notes + "\n" if old.notes else "") + note
    return f"{old.title} is replaced from {start:%d/%m/%Y}: noted on the SLA."


def _mark_stage(competition: Competition, stage: Stage, day: date) -> None:
    for row in competition.stages:
        if row.stage is stage and row.actual is None:
            row.actual = day


def _mobilisation(
    session: Session, competition: Competition, title: str, decided: date, start: date
) -> tuple[int, ...]:
    ids = []
    for words, due in (
        (
            f"Mobilisation of {title}: contract signed and handover plan agreed",
            decided + timedelta(days=28),
        ),
        (f"Mobilisation of {title}: service starts", start),
    ):
        milestone = Milestone(
            id=audit.fresh_id(session, Milestone),
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


# -- look-ups -------------------------------------------------------------------------------


def _competition(session: Session, competition_id: int) -> Competition:
    found = session.get(Competition, competition_id)
    if found is None:
        raise ValidationError("That competition no longer exists")
    return found


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
