"""Payment by results and bonuses: how much of an agreement's price is fixed, how much
varies with volume and how much is paid only for results, and the rule that says how
results earn the money at risk (seed 001's performance bonus follows the weighted
scorecard; seed 004's CRC contracts separate fixed and variable costs)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dom_desk.models.agreements import Agreement
from dom_desk.models.base import Base, Labelled, Pence, Versioned


class PaymentRuleKind(Labelled):
    #: The money at risk is paid in proportion to the share of targets met.
    PROPORTIONAL = "In proportion to targets met"
    #: Paid by bands: the share of targets met reaching a band's threshold pays its share.
    BANDED = "In bands of targets met"
    #: A bonus from the weighted scorecard's score, in bands of the score.
    SCORECARD_BONUS = "Bonus from the weighted scorecard"


class PaymentRule(Versioned, Base):
    """One agreement's split of its annual price and how results pay what is at risk."""

    __tablename__ = "payment_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreement.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[PaymentRuleKind]
    #: Pence a year paid whatever the volume or results (premises, staff).
    fixed: Mapped[int] = mapped_column(Pence, default=0)
    #: Pence a year paid by volume delivered (the service lines' unit prices).
    variable: Mapped[int] = mapped_column(Pence, default=0)
    #: Pence a year paid only for results (or, for a bonus, the pot).
    at_risk: Mapped[int] = mapped_column(Pence, default=0)

    agreement: Mapped[Agreement] = relationship()
    bands: Mapped[list[PaymentBand]] = relationship(
        back_populates="rule", cascade="all, delete-orphan", order_by="PaymentBand.threshold"
    )


class PaymentBand(Base):
    """From ``threshold`` (per cent of targets met, or scorecard points out of 100) the
    rule pays ``paid`` per cent of the money at risk."""

    __tablename__ = "payment_band"
    __table_args__ = (UniqueConstraint("rule_id", "threshold"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("payment_rule.id", ondelete="CASCADE"))
    threshold: Mapped[Decimal]
    paid: Mapped[Decimal]

    rule: Mapped[PaymentRule] = relationship(back_populates="bands")
