"""The regional commissioning plan: the region's plan template and the exports made from it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dom_desk.models.base import Base, Versioned
from dom_desk.models.region import FinancialYear


class PlanSection(Versioned, Base):
    """One section of the region's plan template: whether it appears, where, and its text.

    Rows with a year are that year's plan (its foreword speaks of that year); rows with no
    year are the region's template, used for a year that has no rows of its own yet.

    ``body`` is the DOM's own text in the plan's small markup (paragraphs, ``- `` bullets,
    ``**bold**``, ``*italic*``): the whole of a text section (foreword, need and demand) or
    the introduction to a section drawn from the workbook.
    """

    __tablename__ = "plan_section"
    __table_args__ = (UniqueConstraint("key", "year_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40))
    year_id: Mapped[int | None] = mapped_column(ForeignKey("financial_year.id", ondelete="CASCADE"))
    position: Mapped[int]
    included: Mapped[bool] = mapped_column(default=True)
    title: Mapped[str] = mapped_column(String(160))
    body: Mapped[str] = mapped_column(Text, default="")


class PlanExport(Base):
    """A plan written to a file: its version (``0.1`` drafts, ``1.0`` finals) and checksum.

    Never edited after the fact: it is the plan's version control table.
    """

    __tablename__ = "plan_export"
    __table_args__ = (UniqueConstraint("year_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year_id: Mapped[int] = mapped_column(ForeignKey("financial_year.id", ondelete="CASCADE"))
    version: Mapped[str] = mapped_column(String(20))
    final: Mapped[bool] = mapped_column(default=False)
    #: "Reason for issue / changes", as the version control table prints it.
    reason: Mapped[str] = mapped_column(Text, default="")
    #: The date printed on the plan: the workbook's working date (see region.today).
    plan_date: Mapped[date]
    exported_at: Mapped[datetime]
    exported_by: Mapped[str] = mapped_column(String(80))
    file_name: Mapped[str] = mapped_column(String(260))
    sha256: Mapped[str] = mapped_column(String(64))

    year: Mapped[FinancialYear] = relationship()
