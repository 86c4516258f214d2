"""The region, its financial years and reporting periods, settings and priorities."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dom_desk.models.base import Base, PeriodKind, Versioned


class Region(Versioned, Base):
    """The one region a workbook holds."""

    __tablename__ = "region"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    dom_title: Mapped[str] = mapped_column(String(120), default="Director of Offender Management")
    #: Identity of this workbook, written into templates so imports can check them.
    workbook_uuid: Mapped[str] = mapped_column(String(36), default=lambda: str(uuid.uuid4()))
    notes: Mapped[str] = mapped_column(Text, default="")


class FinancialYear(Base):
    """April to March, labelled ``2009-10``."""

    __tablename__ = "financial_year"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(7), unique=True)
    start: Mapped[date]
    end: Mapped[date]

    # Periods sharing a start (the year, its first quarter and month) in the order they
    # were made: SQLite gave that by itself, PostgreSQL gives ties in any order.
    periods: Mapped[list[Period]] = relationship(
        back_populates="year", order_by="(Period.start, Period.id)"
    )


class Period(Base):
    """A reporting period: the year itself, a quarter or a month."""

    __tablename__ = "period"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    kind: Mapped[PeriodKind]
    year_id: Mapped[int] = mapped_column(ForeignKey("financial_year.id", ondelete="CASCADE"))
    start: Mapped[date]
    end: Mapped[date]
    #: When providers' returns for the period are due.
    due: Mapped[date]

    year: Mapped[FinancialYear] = relationship(back_populates="periods")


class Setting(Base):
    """Workbook-wide preferences a DOM sets (thresholds, tolerances, plan template)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Priority(Versioned, Base):
    """A strategic priority or commissioning intention."""

    __tablename__ = "priority"
    __table_args__ = (UniqueConstraint("year_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("financial_year.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    rationale: Mapped[str] = mapped_column(Text, default="")
    provider_response: Mapped[str] = mapped_column(Text, default="")

    year: Mapped[FinancialYear] = relationship()
