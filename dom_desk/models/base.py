"""Declarative base, shared column types and the enumerations of the domain."""

from __future__ import annotations

import enum
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import BigInteger, Dialect, Enum, Integer, MetaData, Numeric, String, event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator, TypeEngine

from dom_desk.errors import ValidationError

# Stable constraint names so Alembic's batch mode can find and alter them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Money is always integer pence.
Pence = BigInteger


class DecimalText(TypeDecorator[Decimal]):
    """An exact decimal: NUMERIC on PostgreSQL, its text on SQLite (which would otherwise
    keep a binary float).

    Floats are refused on the way in, so no binary rounding ever reaches the database.
    Aggregates computed in SQL (SUM) come back as numbers and are read back exactly
    as printed.
    """

    impl = String(40)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(Numeric(asdecimal=True))
        return dialect.type_descriptor(String(40))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Decimal | str | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("measured values must be Decimal or int, never float")
        exact = Decimal(value)
        return exact if dialect.name == "postgresql" else format(exact, "f")

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


#: Measured values (rates, percentages, counts) are exact decimals.
Value = DecimalText()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    # Enumerations are VARCHAR on every backend (native_enum=False): a native PostgreSQL
    # enum is a type per schema, which regions' schemas could not share.
    type_annotation_map = {Decimal: Value, enum.Enum: Enum(enum.Enum, native_enum=False)}


def string_length(entity: type, key: str) -> int | None:
    """The most characters the mapped column ``entity.key`` holds (its ``String(n)``), or
    None for unlimited text (``Text``), an enumeration, a column that is not text, or a
    name that is not a column. PostgreSQL enforces it; SQLite would silently keep more."""
    column = sa_inspect(entity).columns.get(key)
    if column is None or isinstance(column.type, Enum) or not isinstance(column.type, String):
        return None
    return column.type.length


def too_long(length: int, text: str) -> str | None:
    """The refusal of ``text`` for a column of ``length`` characters, or None if it fits."""
    if len(text) <= length:
        return None
    return f"is at most {length:,} characters ({len(text):,} given)"


@cache
def _limited(entity: type) -> tuple[tuple[str, int], ...]:
    keys = [key for key, _column in sa_inspect(entity).columns.items()]
    return tuple((k, n) for k in keys if (n := string_length(entity, k)) is not None)


@event.listens_for(Session, "before_flush")
def _refuse_overlong_text(session: Session, flush_context: Any, instances: Any) -> None:
    """The last guard: no text longer than its column is ever sent to the database.

    The domain checks lengths where text enters (naming the field as the user sees it);
    this catches any path that did not, with a sentence rather than the server's error.
    """
    for record in (*session.new, *session.dirty):
        values = sa_inspect(record).dict
        for key, length in _limited(type(record)):
            value = values.get(key)
            if isinstance(value, str) and (reason := too_long(length, value)):
                what = f"{type(record).__name__}, {key.replace('_', ' ')}"
                raise ValidationError(f"the text {reason}", what)


class Versioned:
    """Rows carry a version counter so a stale write is refused, never silently applied."""

    row_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.row_version}


class Labelled(enum.Enum):
    """An enumeration whose values are the words a DOM would read."""

    @property
    def label(self) -> str:
        return self.value

    @classmethod
    def from_label(cls, text: str) -> Labelled:
        wanted = text.strip().casefold()
        for member in cls:
            if wanted in (member.value.casefold(), member.name.casefold()):
                return member
        choices = ", ".join(m.value for m in cls)
        raise ValueError(f"'{text}' is not one of: {choices}")


class ProviderKind(Labelled):
    PUBLIC_PRISON = "Public prison"
    CONTRACTED_PRISON = "Contracted prison"
    PRISON_CLUSTER = "Prison cluster or group"
    PROBATION_BOARD = "Probation Board"
    PROBATION_TRUST = "Probation Trust"
    CRC = "Community Rehabilitation Company"
    NPS_DIVISION = "National Probation Service division"
    VCS = "Voluntary and community sector"
    PRIVATE_COMPANY = "Private company"


class Sector(Labelled):
    PUBLIC = "Public"
    PRIVATE = "Private"
    THIRD = "Third"


class Pathway(Labelled):
    ACCOMMODATION = "Accommodation"
    ETE = "Education, training and employment"
    HEALTH = "Mental and physical health"
    DRUGS_ALCOHOL = "Drugs and alcohol"
    FINANCE = "Finance, benefit and debt"
    FAMILIES = "Children and families"
    ATTITUDES = "Attitudes, thinking and behaviour"


class AgreementKind(Labelled):
    SLA = "SLA"
    CONTRACT = "Contract"


class AgreementStatus(Labelled):
    DRAFT = "Draft"
    IN_NEGOTIATION = "In negotiation"
    AGREED = "Agreed"
    SIGNED = "Signed"

    @property
    def locked(self) -> bool:
        """Agreed and signed agreements are protected against accidental edits."""
        return self in (AgreementStatus.AGREED, AgreementStatus.SIGNED)


class PaymentMechanism(Labelled):
    FIXED = "Fixed"
    VARIABLE = "Variable"
    PBR = "Payment by results"


class VariationKind(Labelled):
    VALUE = "Change of value"
    DURATION = "Change of duration"
    TERMS = "Change of terms"


class MeasureUnit(Labelled):
    PERCENT = "%"
    COUNT = "count"
    RATE_PER_1000 = "rate per 1,000"
    RATE_PER_100000 = "rate per 100,000"
    DAYS = "days"
    ONE_IN_X = "1 in x"


class Direction(Labelled):
    HIGHER = "Higher is better"
    LOWER = "Lower is better"


class Scope(Labelled):
    PRISON = "Prison only"
    PROBATION = "Probation only"
    INTEGRATED = "Integrated"


class Guidance(Labelled):
    NATIONAL = "National"
    REGIONAL_MINIMUM = "Regional Minimum"
    LOCALLY_SET = "Locally Set"


class Aggregation(Labelled):
    """How a measure's period figures combine into a year to date."""

    SUM = "Sum of counts"
    RATIO = "Summed numerators over summed denominators"
    LATEST = "Latest value (snapshot)"


class PeriodKind(Labelled):
    YEAR = "Year"
    QUARTER = "Quarter"
    MONTH = "Month"


class CompetitionKind(Labelled):
    RECOMPETE = "Re-compete manage only"
    NEW_BUILD = "New build cluster"
    BEST_VALUE = "Best Value review"
    MARKET_TEST = "Market test"


class Stage(Labelled):
    CALL = "Call for competition"
    PREQUALIFICATION = "Prequalification"
    ITT = "Invitation to tender"
    BIDS_DUE = "Bids due"
    EVALUATION = "Evaluation"
    AWARD = "Award"
    MOBILISATION = "Mobilisation"
    SERVICE_START = "Service start"


class Level(Labelled):
    """Likelihood and impact ratings of the NPS risk register."""

    L = "L"
    M = "M"
    H = "H"
    VH = "VH"


class RiskStatus(Labelled):
    OPEN = "Open"
    CLOSED = "Closed"
