"""Providers and the services they are commissioned to deliver."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dom_desk.models.base import Base, Pathway, Pence, ProviderKind, Sector, Versioned


class Provider(Versioned, Base):
    __tablename__ = "provider"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    kind: Mapped[ProviderKind]
    sector: Mapped[Sector]
    operator: Mapped[str] = mapped_column(String(120), default="")
    #: Places, for prisons; empty for others.
    capacity: Mapped[int | None]
    #: Other spellings seen in returns ("Kirklevington"), one per line.
    aliases: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class Service(Versioned, Base):
    """A service from the Directory of Services, with its costed specification."""

    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    pathway: Mapped[Pathway | None]
    #: What one unit of volume is: "place", "completion", "hour".
    unit: Mapped[str] = mapped_column(String(40), default="")
    target_unit_cost: Mapped[int | None] = mapped_column(Pence)
    minimum_quality: Mapped[str] = mapped_column(Text, default="")
    outputs: Mapped[str] = mapped_column(Text, default="")
