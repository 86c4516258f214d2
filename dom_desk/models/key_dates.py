"""Dated extension options and break clauses of contracts, and key dates marked done."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dom_desk.models.agreements import Agreement
from dom_desk.models.base import Base, Labelled, Versioned


class OptionKind(Labelled):
    EXTENSION = "Extension option"
    BREAK = "Break clause"


class ContractOption(Versioned, Base):
    """An option to extend, or a right to break, that falls on a date.

    ``falls_on`` is the date the option or break can be taken (for an extension, the day
    the extension would start is the original end); ``decide_by`` is the last day the
    decision must be notified, when the contract sets one.
    """

    __tablename__ = "contract_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreement.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[OptionKind]
    falls_on: Mapped[date]
    decide_by: Mapped[date | None]
    #: Length of an extension in months; empty for a break.
    months: Mapped[int | None]
    description: Mapped[str] = mapped_column(Text, default="")
    #: When the option was exercised or the break taken or waived: the key date is done.
    decided: Mapped[date | None]

    agreement: Mapped[Agreement] = relationship()


class KeyDateDone(Base):
    """A key date the DOM has dealt with. Keyed by what it is *and* its date, so a key
    date that moves (a variation extends a contract) is due again."""

    __tablename__ = "key_date_done"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    done_on: Mapped[date]
    done_at: Mapped[datetime]
    done_by: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text, default="")
