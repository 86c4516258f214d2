"""Payment by results and bonuses (issue 15, item 5): each agreement's price split into
what is fixed, what varies with volume and what is at risk on results, and what results
so far in the year earn of the money at risk.

How results earn it, by the agreement's rule:
- in proportion: the share of the provider's judged targets met (met / met + near +
  missed, year to date) of the money at risk;
- in bands: the share paid by the highest band whose threshold the share met reaches;
- scorecard bonus (seed 001): the bands applied to the provider's weighted scorecard
  score out of 100, so the bonus follows the same measures as the scorecard.

"Earned to date" is the year's elapsed share of that (months ended / 12), "earned at
this rate" the whole year's. Money is integer pence, rounded half up once, at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dom_desk.domain.matrix import Matrix
from dom_desk.domain.matrix.build import build
from dom_desk.domain.money import format_pounds
from dom_desk.domain.performance import resolve_window
from dom_desk.domain.scorecard import scorecard_from
from dom_desk.domain.status import Status
from dom_desk.errors import ValidationError
from dom_desk.models import Agreement, PaymentBand, PaymentRule, PaymentRuleKind
from dom_desk.storage import audit
from dom_desk.storage.workbook import Workbook

_JUDGED = (Status.MET, Status.NEAR, Status.MISSED)
#: A band's threshold or payment as given: a Decimal, a whole number or its text.
Figure = Decimal | int | str
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Band:
    threshold: Decimal
    paid: Decimal


@dataclass(frozen=True)
class Payment:
    agreement_id: int
    agreement: str
    provider_id: int
    provider: str
    kind: PaymentRuleKind
    fixed: int
    variable: int
    at_risk: int
    bands: tuple[Band, ...]
    #: Per cent of targets met, or the scorecard score; None until results are judged.
    achieved: Decimal | None
    #: What the achievement is: "7 of 9 judged targets met", "scorecard 82.3 of 100".
    basis: str
    #: Per cent of the money at risk the achievement pays.
    paid_share: Decimal | None
    months: int

    @property
    def earned_at_this_rate(self) -> int:
        if self.paid_share is None:
            return 0
        return _pence(Decimal(self.at_risk) * self.paid_share / _HUNDRED)

    @property
    def earned_to_date(self) -> int:
        if self.paid_share is None:
            return 0
        share = Decimal(self.at_risk) * self.paid_share / _HUNDRED
        return _pence(share * self.months / 12)

    @property
    def still_at_risk(self) -> int:
        """The year's money at risk not yet earned."""
        return self.at_risk - self.earned_to_date


def paid_share(kind: PaymentRuleKind, achieved: Decimal, bands: Sequence[Band]) -> Decimal:
    """Per cent of the money at risk that an achievement pays under a rule."""
    if kind is PaymentRuleKind.PROPORTIONAL:
        return min(max(achieved, Decimal(0)), _HUNDRED)
    reached = [b.paid for b in sorted(bands, key=lambda b: b.threshold) if achieved >= b.threshold]
    return reached[-1] if reached else Decimal(0)


# -- setting a rule -------------------------------------------------------------------------


def set_rule(
    wb: Workbook,
    agreement_id: int,
    kind: PaymentRuleKind,
    fixed: int,
    variable: int,
    at_risk: int,
    bands: Sequence[tuple[Figure, Figure]] = (),
) -> None:
    """Sets an agreement's price split and rule (replacing any), one transaction. The
    parts add up to the agreement's annual value where it has one; a scorecard bonus is
    paid on top, so only its fixed and variable parts make the price."""
    for amount, field in ((fixed, "Fixed"), (variable, "Variable"), (at_risk, "At risk")):
        if amount < 0:
            raise ValidationError(f"{field} cannot be negative", field)
    checked = _bands(kind, bands)
    with wb.session() as session:
        agreement = session.get(Agreement, agreement_id)
        if agreement is None:
            raise ValidationError("That agreement no longer exists")
        price = fixed + variable + (0 if kind is PaymentRuleKind.SCORECARD_BONUS else at_risk)
        if agreement.annual_value is not None and price != agreement.annual_value:
            raise ValidationError(
                f"The parts add to {format_pounds(price)} but {agreement.title}'s annual "
                f"value is {format_pounds(agreement.annual_value)}",
                "Fixed",
            )
        rule = session.scalar(select(PaymentRule).where(PaymentRule.agreement_id == agreement_id))
        if rule is None:
            rule = PaymentRule(id=audit.fresh_id(session, PaymentRule), agreement_id=agreement_id)
            session.add(rule)
        rule.kind, rule.fixed, rule.variable, rule.at_risk = kind, fixed, variable, at_risk
        # The old bands go first: the unit of work inserts before it deletes, and a new
        # band at an old band's threshold would collide with it.
        rule.bands.clear()
        session.flush()
        rule.bands = [PaymentBand(threshold=b.threshold, paid=b.paid) for b in checked]


def _bands(
    kind: PaymentRuleKind, given: Sequence[tuple[Decimal | int | str, Decimal | int | str]]
) -> list[Band]:
    bands = sorted(
        (Band(Decimal(str(t)), Decimal(str(p))) for t, p in given), key=lambda b: b.threshold
    )
    if kind is PaymentRuleKind.PROPORTIONAL:
        if bands:
            raise ValidationError("A proportional rule has no bands", "Bands")
        return []
    if not bands:
        raise ValidationError(f"'{kind.label}' needs at least one band", "Bands")
    for band in bands:
        if not (0 <= band.threshold <= 100 and 0 <= band.paid <= 100):
            raise ValidationError("Band thresholds and payments are 0 to 100 per cent", "Bands")
    thresholds = [b.threshold for b in bands]
    if len(set(thresholds)) != len(thresholds):
        raise ValidationError("Two bands start at the same threshold", "Bands")
    if any(later.paid < earlier.paid for earlier, later in zip(bands, bands[1:], strict=False)):
        raise ValidationError("A higher band must pay at least as much as a lower one", "Bands")
    return bands


def remove_rule(wb: Workbook, agreement_id: int) -> bool:
    with wb.session() as session:
        rule = session.scalar(select(PaymentRule).where(PaymentRule.agreement_id == agreement_id))
        if rule is None:
            return False
        session.delete(rule)
        return True


# -- what results earn ----------------------------------------------------------------------


def payments(wb: Workbook, year: str | None = None) -> list[Payment]:
    """Every agreement with a rule, with what its results earn, the year to date."""
    with wb.session() as session:
        return _payments_in(session, year)


def payments_in(session: Session, year: str | None = None) -> list[Payment]:
    """The same in the caller's transaction (the plan reads every section in one)."""
    return _payments_in(session, year)


def _payments_in(session: Session, year: str | None) -> list[Payment]:
    rules = session.scalars(
        select(PaymentRule).options(
            selectinload(PaymentRule.bands),
            selectinload(PaymentRule.agreement).selectinload(Agreement.provider),
        )
    ).all()
    if not rules:
        return []
    window = resolve_window(session, None, year)
    months = 0 if window.empty else _months(window.start, window.end)
    matrix = build(session, window)
    card = scorecard_from(matrix, None)
    scores = {s.provider.id: s.score for s in card.scores}
    found = []
    for rule in rules:
        agreement = rule.agreement
        bands = tuple(Band(b.threshold, b.paid) for b in rule.bands)
        if rule.kind is PaymentRuleKind.SCORECARD_BONUS:
            achieved = scores.get(agreement.provider_id)
            basis = "no weighted score yet" if achieved is None else f"scorecard {achieved} of 100"
        else:
            achieved, basis = _targets_met(matrix, agreement.provider_id)
        found.append(
            Payment(
                agreement_id=agreement.id,
                agreement=agreement.title,
                provider_id=agreement.provider_id,
                provider=agreement.provider.name,
                kind=rule.kind,
                fixed=rule.fixed,
                variable=rule.variable,
                at_risk=rule.at_risk,
                bands=bands,
                achieved=achieved,
                basis=basis,
                paid_share=None if achieved is None else paid_share(rule.kind, achieved, bands),
                months=months,
            )
        )
    return sorted(found, key=lambda p: (p.provider, p.agreement))


def _targets_met(matrix: Matrix, provider_id: int) -> tuple[Decimal | None, str]:
    row = next((i for i, p in enumerate(matrix.providers) if p.id == provider_id), None)
    cells = [] if row is None else [c for c in matrix.cells[row] if c and c.status in _JUDGED]
    if not cells:
        return None, "no targets judged yet"
    met = sum(1 for c in cells if c.status is Status.MET)
    share = (Decimal(met) * _HUNDRED / len(cells)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return share, f"{met} of {len(cells)} judged targets met ({share}%)"


def _months(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _pence(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), ROUND_HALF_UP))


@dataclass(frozen=True)
class PaymentTotals:
    at_risk: int
    earned_to_date: int
    still_at_risk: int


def totals(found: Sequence[Payment]) -> PaymentTotals:
    return PaymentTotals(
        sum(p.at_risk for p in found),
        sum(p.earned_to_date for p in found),
        sum(p.still_at_risk for p in found),
    )


def find_agreement(wb: Workbook, words: str) -> int:
    """An agreement by the words of its title (the command line)."""
    from dom_desk.domain.names import one_named

    with wb.session() as session:
        agreements = session.scalars(select(Agreement)).all()
        return one_named(agreements, words, lambda a: a.title, "agreement").id


def in_price(found: Sequence[Payment]) -> list[Payment]:
    """Rules whose money at risk is part of the agreement's price (and so of what the
    allocations commit); a scorecard bonus is paid on top of it."""
    return [p for p in found if p.kind is not PaymentRuleKind.SCORECARD_BONUS]


def committed_sentence(found: Sequence[Payment], committed: int) -> str:
    """What of the money committed hangs on results, for the allocations' totals:
    "Of £463,951,400 committed, £1,458,660 is paid on results (£335,580 earned to date,
    £1,123,080 still at risk); scorecard bonuses of up to £100,000 are on top of it
    (£50,000 earned to date)." Empty when no agreement has a rule."""
    price = totals(in_price(found))
    bonus = totals([p for p in found if p.kind is PaymentRuleKind.SCORECARD_BONUS])
    return _sentence(
        committed,
        price.at_risk,
        bonus.at_risk,
        f" ({format_pounds(price.earned_to_date)} earned to date, "
        f"{format_pounds(price.still_at_risk)} still at risk)",
        f" ({format_pounds(bonus.earned_to_date)} earned to date)",
    )


def at_risk_sentence(wb: Workbook, committed: int) -> str:
    """The same without working out results (the line under the envelope bar, read on
    every edit): what of the money committed is paid on results, and the bonuses on
    top. Empty when no agreement has a rule."""
    with wb.session() as session:
        rules = session.execute(select(PaymentRule.kind, PaymentRule.at_risk)).all()
    price = sum(at for kind, at in rules if kind is not PaymentRuleKind.SCORECARD_BONUS)
    bonus = sum(at for kind, at in rules if kind is PaymentRuleKind.SCORECARD_BONUS)
    return _sentence(committed, price, bonus)


def _sentence(
    committed: int, price: int, bonus: int, price_detail: str = "", bonus_detail: str = ""
) -> str:
    parts = []
    if price:
        parts.append(
            f"Of {format_pounds(committed)} committed, {format_pounds(price)} is paid on "
            f"results{price_detail}"
        )
    if bonus:
        parts.append(f"scorecard bonuses of up to {format_pounds(bonus)} are on top of it")
        parts[-1] += bonus_detail
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "." if text else ""


# -- for the window: choosing an agreement, reading a rule back -----------------------------


@dataclass(frozen=True)
class RuleChoice:
    """An agreement a rule can be set on: "A4e: ESF co-financed … (£3,150,000 a year)"."""

    agreement_id: int
    label: str
    annual_value: int | None


@dataclass(frozen=True)
class RuleHeld:
    """An agreement's rule as stored, to show in a form or put back on undo."""

    kind: PaymentRuleKind
    fixed: int
    variable: int
    at_risk: int
    bands: tuple[tuple[Decimal, Decimal], ...]


def rule_choices(wb: Workbook, year: str | None = None) -> list[RuleChoice]:
    """The agreements with money allocated in the year, by provider and title."""
    from dom_desk.domain.region import current_year, year_by_label
    from dom_desk.models import Allocation

    with wb.session() as session:
        fy = year_by_label(session, year) if year else current_year(session)
        agreements = session.scalars(
            select(Agreement)
            .where(
                Agreement.id.in_(select(Allocation.agreement_id).where(Allocation.year_id == fy.id))
            )
            .options(selectinload(Agreement.provider))
        ).all()
        found = [
            RuleChoice(
                a.id,
                f"{a.provider.name}: {a.title}"
                + (f" ({format_pounds(a.annual_value)} a year)" if a.annual_value else ""),
                a.annual_value,
            )
            for a in agreements
        ]
    return sorted(found, key=lambda c: c.label.casefold())


def rule_held(wb: Workbook, agreement_id: int) -> RuleHeld | None:
    with wb.session() as session:
        rule = session.scalar(select(PaymentRule).where(PaymentRule.agreement_id == agreement_id))
        if rule is None:
            return None
        return RuleHeld(
            rule.kind,
            rule.fixed,
            rule.variable,
            rule.at_risk,
            tuple(sorted((b.threshold, b.paid) for b in rule.bands)),
        )


def parse_bands(text: str) -> list[tuple[Decimal, Decimal]]:
    """Bands typed as "50:25, 70:60, 85:100" (from THRESHOLD% pay PAID%); empty: none."""
    bands = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            threshold, paid = (Decimal(x.strip().rstrip("%")) for x in part.split(":"))
        except (ValueError, ArithmeticError):
            raise ValidationError(
                f"'{part}' is not a band: write it like 70:60 (from 70% pay 60%)", "Bands"
            ) from None
        bands.append((threshold, paid))
    return bands
