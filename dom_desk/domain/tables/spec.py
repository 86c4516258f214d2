"""The shapes an area is described in: its columns, its rows, what an edit changed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from dom_desk.domain.values import Kind
from dom_desk.models import (
    Base,
    FinancialYear,
)
from dom_desk.models.base import Labelled


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: Kind = Kind.TEXT
    editable: bool = False
    choices: type[Labelled] | None = None
    required: bool = False
    #: Smallest value allowed (volumes, capacities and money cannot go negative).
    minimum: int | Decimal | None = None
    #: For derived columns: how to read the value from the record (context is per load).
    get: Callable[[Any, LoadContext], Any] | None = None
    #: Shown in the detail pane only, not as a table column.
    detail_only: bool = False
    #: Read by the window, never shown (whether a measure applies in the year shown).
    hidden: bool = False


@dataclass
class LoadContext:
    """Things looked up once per load and shared by derived columns."""

    session: Session
    year: FinancialYear
    cache: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    id: int
    version: int
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    entity: type[Base]
    columns: tuple[Column, ...]
    load: Callable[[LoadContext], Sequence[Any]]
    #: Which column names the record in messages ("Provider 'HMP Manchester'").
    label_key: str = "name"
    #: The area's own rule for a field about to be written, beyond its column's (a name
    #: already taken, a floor without a Regional Minimum): called inside the write's
    #: transaction with the session, the record, the field, the value and where the
    #: value was typed; returns the value to store or raises ValidationError.
    field_rule: Callable[[Session, Any, str, Any, str], Any] | None = None

    @property
    def table(self) -> str:
        """The name of the table its records live in: areas showing the same records
        (Agreements and Contracts) share it, so the window can tell them apart without
        the ORM."""
        return str(self.entity.__tablename__)  # type: ignore[attr-defined]

    @property
    def table_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not (c.detail_only or c.hidden))

    @property
    def shown_columns(self) -> tuple[Column, ...]:
        """Every column a user sees, in the table or the detail pane."""
        return tuple(c for c in self.columns if not c.hidden)

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)


@dataclass(frozen=True)
class Change:
    """What an edit did, so it can be undone by writing ``old`` back."""

    area: str
    row_id: int
    key: str
    old: Any
    new: Any
