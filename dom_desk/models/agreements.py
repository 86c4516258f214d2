"""SLAs and contracts, their service lines and variations, and the money allocated."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dom_desk.models.base import (
    AgreementKind,
    AgreementStatus,
    Base,
    PaymentMechanism,
    Pence,
    VariationKind,
    Versioned,
)
from dom_desk.models.providers import Provider, Service
from dom_desk.models.region import FinancialYear


class Agreement(Versioned, Base):
    """An SLA (public sector, one year) or a contract (a term of years)."""

    __tablename__ = "agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id", ondelete="RESTRICT"))
    kind: Mapped[AgreementKind]
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[AgreementStatus] = mapped_column(default=AgreementStatus.DRAFT)
    #: The year an SLA covers; contracts run from ``start`` to ``end`` instead.
    year_id: Mapped[int | None] = mapped_column(ForeignKey("financial_year.id"))
    reference: Mapped[str] = mapped_column(String(60), default="")
    start: Mapped[date | None]
    #: The original end date; the current end is derived from variations.
    end: Mapped[date | None]
    #: The original annual value in pence; the current value is derived from variations.
    annual_value: Mapped[int | None] = mapped_column(Pence)
    extension_options: Mapped[str] = mapped_column(Text, default="")
    break_clauses: Mapped[str] = mapped_column(Text, default="")
    notice_months: Mapped[int | None]
    payment_mechanism: Mapped[PaymentMechanism] = mapped_column(default=PaymentMechanism.FIXED)
    #: Share of the value paid by results, in per cent.
    pbr_share: Mapped[Decimal | None]
    contract_manager: Mapped[str] = mapped_column(String(120), default="")
    negotiation_deadline: Mapped[date | None]
    notes: Mapped[str] = mapped_column(Text, default="")

    provider: Mapped[Provider] = relationship()
    year: Mapped[FinancialYear | None] = relationship()
    lines: Mapped[list[ServiceLine]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="ServiceLine.id"
    )
    variations: Mapped[list[Variation]] = relationship(
        back_populates="agreement",
        cascade="all, delete-orphan",
        order_by="(Variation.effective, Variation.id)",
    )


class ServiceLine(Versioned, Base):
    """A service an agreement buys in a year: volume times unit price."""

    __tablename__ = "service_line"
    __table_args__ = (CheckConstraint("volume >= 0", name="volume_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="RESTRICT"))
    year_id: Mapped[int] = mapped_column(ForeignKey("financial_year.id"))
    volume: Mapped[int] = mapped_column(default=0)
    unit_price: Mapped[int] = mapped_column(Pence, default=0)

    agreement: Mapped[Agreement] = relationship(back_populates="lines")
    service: Mapped[Service] = relationship()
    year: Mapped[FinancialYear] = relationship()

    @property
    def value(self) -> int:
        """The line's value in pence: exact, as both factors are integers."""
        return self.volume * self.unit_price


class Variation(Base):
    """A dated change to a contract. Never edited after the fact: history is kept."""

    __tablename__ = "variation"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"))
    kind: Mapped[VariationKind]
    effective: Mapped[date]
    description: Mapped[str] = mapped_column(Text, default="")
    #: Change to the annual value in pence (positive or negative).
    value_change: Mapped[int | None] = mapped_column(Pence)
    new_end: Mapped[date | None]
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(80))

    agreement: Mapped[Agreement] = relationship(back_populates="variations")


class FundingSource(Base):
    __tablename__ = "funding_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    notes: Mapped[str] = mapped_column(Text, default="")


class EnvelopeGroup(Versioned, Base):
    """A heading of the year's budget table ("Probation Boards"), perhaps under another.

    Budget tables are printed as lines under headings, each heading closed by a total row
    ("Total Probation Boards 757.2"). A group keeps that total as printed: it is checked
    against the sum of what it totals, never counted again. ``tolerance`` is how far the
    printed figure may differ by rounding (empty: the workbook's default).
    """

    __tablename__ = "envelope_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("financial_year.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("envelope_group.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(160))
    position: Mapped[int] = mapped_column(default=0)
    #: The total row's wording as printed ("Total Probation Boards"); empty: none printed.
    total_label: Mapped[str] = mapped_column(String(200), default="")
    printed_total: Mapped[int | None] = mapped_column(Pence)
    tolerance: Mapped[int | None] = mapped_column(Pence)
    notes: Mapped[str] = mapped_column(Text, default="")

    year: Mapped[FinancialYear] = relationship()
    parent: Mapped[EnvelopeGroup | None] = relationship(remote_side=[id])


class EnvelopeLine(Versioned, Base):
    """A line of the region's budget envelope for a year, from one funding source.

    ``name`` is the line as the budget table prints it ("Main Resource Allocation");
    empty, the line is named by its funding source (as lines were before groups). An
    amount may be negative where the table has a central adjustment ("Centrally
    Managed (45)").
    """

    __tablename__ = "envelope_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("financial_year.id", ondelete="CASCADE"))
    funding_source_id: Mapped[int] = mapped_column(ForeignKey("funding_source.id"))
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("envelope_group.id", ondelete="SET NULL")
    )
    name: Mapped[str] = mapped_column(String(160), default="", server_default="")
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    amount: Mapped[int] = mapped_column(Pence)
    illustrative: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")

    year: Mapped[FinancialYear] = relationship()
    funding_source: Mapped[FundingSource] = relationship()
    group: Mapped[EnvelopeGroup | None] = relationship()


class Allocation(Versioned, Base):
    """Money for an agreement (or one of its service lines) in a year.

    Baseline comes from national planning, provisional is the DOM's offer, agreed is
    the outcome of negotiation. Provisional and agreed stay empty until known.
    """

    __tablename__ = "allocation"
    __table_args__ = (UniqueConstraint("year_id", "agreement_id", "service_line_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("financial_year.id", ondelete="CASCADE"))
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"))
    service_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_line.id", ondelete="CASCADE")
    )
    funding_source_id: Mapped[int | None] = mapped_column(ForeignKey("funding_source.id"))
    baseline: Mapped[int] = mapped_column(Pence, default=0)
    provisional: Mapped[int | None] = mapped_column(Pence)
    agreed: Mapped[int | None] = mapped_column(Pence)
    illustrative: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")

    year: Mapped[FinancialYear] = relationship()
    agreement: Mapped[Agreement] = relationship()
    service_line: Mapped[ServiceLine | None] = relationship()
    funding_source: Mapped[FundingSource | None] = relationship()
