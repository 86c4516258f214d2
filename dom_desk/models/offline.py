"""Working offline: which server a checked-out workbook came from, and which check-ins a
region on the server has taken.

``offline_copy`` is written only in a workbook checked out to a laptop (one row): the
server and region it came from, the check-out's token, and the *base*, the region as it
was checked out (a whole workbook, zlib-compressed), which a check-in compares both sides
with. ``offline_checkin`` is written only on the server, in the same transaction as the
changes a check-in brings: a token found there was checked in already, so a check-in
repeated after an interruption changes nothing twice.

Neither table is merged, copied into the other side's records or audited: they are the
bookkeeping of the merge itself.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dom_desk.models.base import Base


class OfflineCopy(Base):
    __tablename__ = "offline_copy"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The region's URL on the server, without any password.
    server: Mapped[str] = mapped_column(String(300))
    region: Mapped[str] = mapped_column(String(80))
    #: A uuid, new at each check-out (and each check-in that refreshes the copy).
    token: Mapped[str] = mapped_column(String(36), unique=True)
    checked_out_at: Mapped[datetime]
    checked_out_by: Mapped[str] = mapped_column(String(80))
    machine: Mapped[str] = mapped_column(String(100), default="")
    #: The newest audit entry of the base: later entries in this file were made offline.
    base_mark: Mapped[int]
    #: The region as checked out: a workbook file, zlib-compressed.
    base: Mapped[bytes] = mapped_column(LargeBinary)


class OfflineCheckin(Base):
    __tablename__ = "offline_checkin"

    #: The check-out's token: each is checked in at most once.
    token: Mapped[str] = mapped_column(String(36), primary_key=True)
    checked_in_at: Mapped[datetime]
    checked_in_by: Mapped[str] = mapped_column(String(80))
    machine: Mapped[str] = mapped_column(String(100), default="")
    #: The newest audit entry of the laptop's file that this check-in brought.
    file_mark: Mapped[int]
    summary: Mapped[str] = mapped_column(Text, default="")


#: Tables that are the bookkeeping of working offline, never merged or copied across.
OFFLINE_TABLES = frozenset({OfflineCopy.__tablename__, OfflineCheckin.__tablename__})
