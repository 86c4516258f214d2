"""Measures, the targets agreed against them, and the results providers return."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dom_desk.models.base import (
    Aggregation,
    Base,
    Direction,
    Guidance,
    MeasureUnit,
    Scope,
    Versioned,
)
from dom_desk.models.providers import Provider
from dom_desk.models.region import FinancialYear, Period


class Measure(Versioned, Base):
    """A KPI or target wording, coded as the documents code it (``PT 1``, ``OM 004``)."""

    __tablename__ = "measure"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    #: ``code`` upper-cased with spaces removed, so "pt 1" finds "PT 1".
    code_key: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(Text)
    #: Grouping used in the plan ("Public protection", "Reducing re-offending").
    area: Mapped[str] = mapped_column(String(120), default="")
    unit: Mapped[MeasureUnit]
    direction: Mapped[Direction] = mapped_column(default=Direction.HIGHER)
    scope: Mapped[Scope] = mapped_column(default=Scope.INTEGRATED)
    guidance: Mapped[Guidance] = mapped_column(default=Guidance.LOCALLY_SET)
    aggregation: Mapped[Aggregation] = mapped_column(default=Aggregation.SUM)
    #: The nationally set value, shown but not editable in an SLA.
    national_value: Mapped[Decimal | None]
    #: The floor a Regional Minimum target may not go below.
    floor: Mapped[Decimal | None]
    #: Share of the weighted scorecard (the NPS weights add up to 100).
    weighting: Mapped[int | None]
    #: False for measures reported nationally, not by providers (re-offending, PSA 23),
    #: so they are left out of provider returns and targets.
    reported_by_providers: Mapped[bool] = mapped_column(default=True)
    #: How close to target counts as "near", in per cent of the target.
    tolerance: Mapped[Decimal] = mapped_column(default=Decimal(5))
    source: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    #: The outcome and the driver a delivery requirement serves (2014-15, seed 002).
    outcome: Mapped[str] = mapped_column(Text, default="", server_default="")
    driver: Mapped[str] = mapped_column(Text, default="", server_default="")

    #: The years the measure applies to; none means every year (older workbooks, demo).
    years: Mapped[list[MeasureYear]] = relationship(
        back_populates="measure", cascade="all, delete-orphan", passive_deletes=True
    )
    #: The separately worded parts of a multi-part target, in printed order.
    parts: Mapped[list[MeasurePart]] = relationship(
        back_populates="measure",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="MeasurePart.position",
    )


class MeasureYear(Base):
    """One financial year a measure applies to (a measure set is per year)."""

    __tablename__ = "measure_year"
    __table_args__ = (UniqueConstraint("measure_id", "year_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"))
    year_id: Mapped[int] = mapped_column(
        ForeignKey("financial_year.id", ondelete="CASCADE"), index=True
    )

    measure: Mapped[Measure] = relationship(back_populates="years")
    year: Mapped[FinancialYear] = relationship()


class MeasurePart(Versioned, Base):
    """One part of a multi-part target (PT 9 (a), Target 20 (b)): its own wording, and a
    unit, direction, national value or weight where it has its own (else the measure's)."""

    __tablename__ = "measure_part"
    __table_args__ = (UniqueConstraint("measure_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    #: As printed ("(a)", "i"), or derived when the source prints none.
    label: Mapped[str] = mapped_column(String(20))
    wording: Mapped[str] = mapped_column(Text)
    unit: Mapped[MeasureUnit | None]
    direction: Mapped[Direction | None]
    national_value: Mapped[Decimal | None]
    weighting: Mapped[int | None]
    notes: Mapped[str] = mapped_column(Text, default="")

    measure: Mapped[Measure] = relationship(back_populates="parts")


class Target(Versioned, Base):
    """A measure's value agreed for one provider and year; empty until negotiated."""

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("measure_id", "provider_id", "year_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id", ondelete="CASCADE"))
    year_id: Mapped[int] = mapped_column(ForeignKey("financial_year.id", ondelete="CASCADE"))
    value: Mapped[Decimal | None]
    #: The lowest level the provider must deliver, where it differs from the target.
    minimum: Mapped[Decimal | None]
    notes: Mapped[str] = mapped_column(Text, default="")

    measure: Mapped[Measure] = relationship()
    provider: Mapped[Provider] = relationship()
    year: Mapped[FinancialYear] = relationship()


class Submission(Base):
    """One provider's return for one period, as received (a file, or keyed in)."""

    __tablename__ = "submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id", ondelete="CASCADE"))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(String(260), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="", index=True)
    received_at: Mapped[datetime]
    received_by: Mapped[str] = mapped_column(String(80))
    #: Set when a corrected resubmission replaced this one; kept, never deleted.
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id"))
    #: Who at the provider completed the return, as written on its cover sheet.
    completed_by: Mapped[str] = mapped_column(String(120), default="", server_default="")
    #: Whether the cover's declaration was confirmed (None: the file has no declaration).
    declared: Mapped[bool | None]

    provider: Mapped[Provider] = relationship()
    period: Mapped[Period] = relationship()
    results: Mapped[list[Result]] = relationship(back_populates="submission")


class Result(Versioned, Base):
    """A provider's figure for a measure in a period."""

    __tablename__ = "result"
    __table_args__ = (
        # One current figure per provider, measure and period; superseded ones are kept.
        Index(
            "uq_result_current",
            "provider_id",
            "measure_id",
            "period_id",
            unique=True,
            sqlite_where=text("superseded = 0"),
            # Without its own WHERE PostgreSQL would make it a full unique index.
            postgresql_where=text("NOT superseded"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id", ondelete="CASCADE"))
    measure_id: Mapped[int] = mapped_column(ForeignKey("measure.id", ondelete="CASCADE"))
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submission.id", ondelete="CASCADE")
    )
    actual: Mapped[Decimal | None]
    numerator: Mapped[Decimal | None]
    denominator: Mapped[Decimal | None]
    commentary: Mapped[str] = mapped_column(Text, default="")
    #: Where the figure came from: a file name, "keyed in", "demo (illustrative)".
    source: Mapped[str] = mapped_column(String(260), default="")
    source_row: Mapped[int | None]
    entered_at: Mapped[datetime]
    entered_by: Mapped[str] = mapped_column(String(80))
    superseded: Mapped[bool] = mapped_column(default=False)

    provider: Mapped[Provider] = relationship()
    measure: Mapped[Measure] = relationship()
    period: Mapped[Period] = relationship()
    submission: Mapped[Submission | None] = relationship(back_populates="results")
