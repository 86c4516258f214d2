"""The layout of a provider return workbook, shared by the template writer and the reader.

A return has a cover sheet (who, which period, the declaration), a ``Return`` sheet with
one header row and one row per measure, and a very hidden sheet that says which template
version, region and workbook it was made from, so an import can refuse a stranger's file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

TEMPLATE_VERSION = "1"
SUPPORTED_VERSIONS = frozenset({"1"})

COVER_SHEET = "Cover"
RETURN_SHEET = "Return"
IDENTITY_SHEET = "DOM Desk template"

CODE, MEASURE, UNIT, TARGET = "Code", "Measure", "Unit", "Target"
ACTUAL, NUMERATOR, DENOMINATOR, COMMENTARY = "Actual", "Numerator", "Denominator", "Commentary"
#: The Return sheet's column titles, exactly and in this order.
COLUMNS = (CODE, MEASURE, UNIT, TARGET, ACTUAL, NUMERATOR, DENOMINATOR, COMMENTARY)
INPUT_COLUMNS = (ACTUAL, NUMERATOR, DENOMINATOR, COMMENTARY)

# Keys of the identity sheet (column A), values in column B.
ID_VERSION = "template_version"
ID_REGION = "region"
ID_WORKBOOK = "workbook_uuid"
ID_PROVIDER = "provider"
ID_PROVIDER_ID = "provider_id"
ID_PERIOD = "period"
ID_GENERATED_AT = "generated_at"
ID_GENERATED_BY = "generated_by"

# Labels of the cover sheet (column A), values in column B.
COVER_PROVIDER = "Provider"
COVER_PERIOD = "Period"
COVER_PERIOD_TEXT = "Period covers"
COVER_REGION = "Region"
COVER_DUE = "Return by"
COVER_RETURN_TO = "Return to"
COVER_CONTACT = "Provider contact"
COVER_COMPLETED_BY = "Completed by"
COVER_PHONE = "Telephone or e-mail"
COVER_DATE = "Date completed"
COVER_DECLARATION = "Declaration"
COVER_CONFIRMED = "Figures confirmed"
DECLARATION_TEXT = (
    "I confirm that the figures in this return are accurate and complete "
    "to the best of my knowledge."
)

#: Other titles providers give the columns, normalised (see ``normal_title``).
_TITLE_ALIASES = {
    CODE: ("code", "measure code", "kpi code", "target code", "ref", "reference", "id"),
    MEASURE: ("measure", "measure title", "title", "description", "kpi", "indicator"),
    UNIT: ("unit", "units", "unit of measure"),
    TARGET: ("target", "target value", "agreed target"),
    ACTUAL: ("actual", "actual value", "actuals", "result", "value", "performance", "outturn"),
    NUMERATOR: ("numerator", "num", "count"),
    DENOMINATOR: ("denominator", "denom", "base"),
    COMMENTARY: ("commentary", "comment", "comments", "notes", "note", "narrative"),
}
TITLES: dict[str, str] = {
    alias: column for column, aliases in _TITLE_ALIASES.items() for alias in aliases
}


def normal_title(text: object) -> str:
    """A header or label as compared: lower case, single spaces, no trailing ``:`` or ``*``."""
    if not isinstance(text, str):
        return ""
    # str.split() splits on exactly the whitespace that re's \s matches, at C speed.
    return " ".join(text.split()).casefold().rstrip(":*").strip()


#: Spaces of every kind (Excel users paste non-breaking and thin spaces from Word).
SPACES = dict.fromkeys(map(ord, " \t\n\r\x0b\x0c\u00a0\u2007\u2009\u202f"))


def code_key(code: object) -> str:
    """A measure code as matched: upper case without spaces, so "pt 1" finds "PT 1"."""
    return str(code).translate(SPACES).upper()


@dataclass(frozen=True)
class TemplateLine:
    """One measure on the Return sheet."""

    code: str
    title: str
    #: The unit as the user reads it ("%", "count", "rate per 1,000").
    unit: str
    target: Decimal | None
    #: "percent", "count" or "number": decides the input hint and the check Excel makes.
    value_kind: str = "number"


@dataclass(frozen=True)
class TemplateSpec:
    region: str
    workbook_uuid: str
    dom_title: str
    provider: str
    provider_id: int
    contact: str
    period_code: str
    period_text: str
    due: date
    lines: Sequence[TemplateLine]
    generated_at: datetime
    generated_by: str
