"""Published measure frameworks (``resources/frameworks/*.json``) read into plain values.

A framework file is one published set of KPIs or targets for one financial year, with
its source named; the format is described in ``resources/frameworks/README.md``. A file
is checked whole before anything is returned: a bad one is refused in one sentence that
names the file and the entry (and field) at fault. No database and no domain here, so
the unit, direction, scope and guidance words are the models' labels, kept in step with
``dom_desk.models.base`` by the tests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

from dom_desk.errors import ValidationError
from dom_desk.readers.returns_format import code_key

#: MeasureUnit, Direction, Scope and Guidance labels (dom_desk/models/base.py).
UNITS = ("%", "count", "rate per 1,000", "rate per 100,000", "days", "1 in x")
DIRECTIONS = ("Higher is better", "Lower is better")
SCOPES = ("Prison only", "Probation only", "Integrated")
GUIDANCE = ("National", "Regional Minimum", "Locally Set")

#: The folder in a source checkout, beside the package.
_CHECKOUT_DIR = Path(__file__).resolve().parents[2] / "resources" / "frameworks"
#: The folder inside the package, where a packaged build would carry it (package-data).
_PACKAGED = ("resources", "frameworks")
#: The longest code a workbook stores (Measure.code is String(20)).
MAX_CODE = 20
_YEAR = re.compile(r"(\d{4})-(\d{2})")
#: Fields a measure may leave to the transcriber's reading rather than the print.
INFERABLE = frozenset(
    {"unit", "direction", "scope", "guidance", "national_value", "area", "reported_by_providers"}
)


class FrameworkFileError(ValidationError):
    """A framework file is refused; the message names the file and the entry."""


@dataclass(frozen=True)
class MeasurePart:
    """One separately reported part of a multi-part target (PT 9 (a), Target 20 (b))."""

    suffix: str
    suffix_printed: bool
    wording: str
    unit: str
    direction: str | None
    national_value: Decimal | None
    weight: int | None
    notes: str


@dataclass(frozen=True)
class FrameworkMeasure:
    """One KPI, target or delivery requirement as the source prints it."""

    code: str
    code_printed: bool
    wording: str
    section: str
    area: str
    unit: str
    direction: str | None
    scope: str | None
    guidance: str | None
    guidance_printed: str | None
    national_value: Decimal | None
    floor: Decimal | None
    weight: int | None
    outcome: str | None
    driver: str | None
    parts: tuple[MeasurePart, ...]
    #: The same measure worded differently elsewhere in the source.
    other_wording: tuple[str, ...]
    #: Fields set by reading the source rather than copied from it (a unit not printed).
    inferred: frozenset[str]
    #: What the source says that no field holds, in its words.
    notes: str
    #: The transcriber's remark on a reading or on what did not fit.
    remark: str
    #: Fields a region's own spreadsheet may state that a published framework does not
    #: (None, empty: not stated, so the workbook's value is kept).
    reported_by_providers: bool | None = None
    tolerance: Decimal | None = None
    source: str = ""
    #: Other financial years the measure applies to, besides the one imported into.
    years: tuple[str, ...] = ()


@dataclass(frozen=True)
class Framework:
    """A published measure set for one financial year, read from one file."""

    name: str
    year: str
    source: str
    #: What the source says about the set as a whole, in its words.
    notes: str
    #: The transcriber's own remarks (how codes were derived, what did not fit).
    remark: str
    measures: tuple[FrameworkMeasure, ...]
    path: Path

    @property
    def total_weight(self) -> int:
        """The scorecard weights of the measures and their parts, added up."""
        own = sum(m.weight or 0 for m in self.measures)
        return own + sum(p.weight or 0 for m in self.measures for p in m.parts)


def framework_dir() -> Path:
    """Where the shipped framework files are: inside the package when it carries them
    (``dom_desk/resources/frameworks``), else the checkout's ``resources/frameworks``."""
    packaged = Path(str(files("dom_desk").joinpath(*_PACKAGED)))
    return packaged if packaged.is_dir() else _CHECKOUT_DIR


def shipped_frameworks(folder: Path | None = None) -> tuple[Framework, ...]:
    """Every framework file shipped with DOM Desk, oldest year first."""
    files = sorted((folder or framework_dir()).glob("*.json"))
    return tuple(sorted((read_framework(f) for f in files), key=lambda f: (f.year, f.name)))


def find_framework(name: str, folder: Path | None = None) -> Framework:
    """The shipped framework whose file stem or name is ``name`` (case ignored), or else
    the one framework whose name or file stem holds every word of ``name`` ("NOMS
    2009-10", "hmpps kpis"): a DOM types what the plan is called, not its file name."""
    wanted = name.strip().casefold()
    frameworks = shipped_frameworks(folder)
    for framework in frameworks:
        if wanted in (framework.path.stem.casefold(), framework.name.casefold()):
            return framework
    words = wanted.replace("-", " - ").split()
    matching = [
        f
        for f in frameworks
        if words
        and all(
            w in f"{f.name} {f.path.stem}".casefold().replace("-", " - ").split() for w in words
        )
    ]
    if len(matching) == 1:
        return matching[0]
    names = "; ".join(f"{f.path.stem} ({f.name})" for f in matching or frameworks)
    what = "several shipped frameworks match" if matching else "there is no shipped framework"
    raise FrameworkFileError(f"{what.capitalize()} '{name}': {names}.")


def read_framework(path: Path) -> Framework:
    """The framework in ``path``, checked whole; refused with FrameworkFileError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FrameworkFileError(f"{path.name} cannot be read: {exc.strerror or exc}.") from exc
    except UnicodeDecodeError as exc:
        raise FrameworkFileError(f"{path.name} is not UTF-8 text.") from exc
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise FrameworkFileError(
            f"{path.name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from exc
    return _framework(data, path)


_TOP_FIELDS = frozenset({"name", "year", "source", "notes", "remark", "measures"})
_MEASURE_FIELDS = frozenset(
    {
        "code",
        "code_printed",
        "wording",
        "section",
        "area",
        "unit",
        "direction",
        "scope",
        "guidance",
        "guidance_printed",
        "national_value",
        "floor",
        "weight",
        "outcome",
        "driver",
        "reported_by_providers",
        "parts",
        "other_wording",
        "inferred",
        "notes",
        "remark",
    }
)
_PART_FIELDS = frozenset(
    {
        "suffix",
        "suffix_printed",
        "wording",
        "unit",
        "direction",
        "national_value",
        "weight",
        "notes",
    }
)


class _Entry:
    """One JSON object being read, with the words that name it in a refusal."""

    def __init__(self, data: Any, where: str, allowed: frozenset[str]) -> None:
        if not isinstance(data, Mapping):
            raise FrameworkFileError(f"{where} is not a JSON object.")
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise FrameworkFileError(f"{where} has an unknown field '{unknown[0]}'.")
        self.data, self.where = data, where

    def refuse(self, field: str, reason: str) -> FrameworkFileError:
        return FrameworkFileError(f"{self.where}, field '{field}': {reason}.")

    def text(self, field: str, *, required: bool = False, limit: int | None = None) -> str:
        value = self.data.get(field)
        if value is None:
            if required:
                raise self.refuse(field, "is missing")
            return ""
        if not isinstance(value, str):
            raise self.refuse(field, "must be text")
        value = value.strip()
        if required and not value:
            raise self.refuse(field, "is empty")
        if limit is not None and len(value) > limit:
            raise self.refuse(field, f"is longer than {limit} characters")
        return value

    def optional_text(self, field: str) -> str | None:
        return self.text(field) or None

    def flag(self, field: str, default: bool) -> bool:
        value = self.data.get(field, default)
        if not isinstance(value, bool):
            raise self.refuse(field, "must be true or false")
        return value

    def choice(
        self,
        field: str,
        choices: tuple[str, ...],
        default: str | None = None,
        *,
        required: bool = False,
    ) -> Any:
        value = self.data.get(field)
        if value is None:
            if required:
                raise self.refuse(field, "is missing")
            return default
        if value not in choices:
            raise self.refuse(field, f"'{value}' is not one of {', '.join(choices)}")
        return value

    def number(self, field: str, default: Decimal | None = None) -> Decimal | None:
        value = self.data.get(field)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise self.refuse(field, "must be a number")
        return Decimal(value)

    def weight(self) -> int | None:
        value = self.data.get("weight")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 100:
            raise self.refuse("weight", "must be a whole number from 1 to 100")
        return value

    def items(self, field: str) -> list[Any]:
        value = self.data.get(field, [])
        if not isinstance(value, list):
            raise self.refuse(field, "must be a list")
        return value


def _framework(data: Any, path: Path) -> Framework:
    top = _Entry(data, path.name, _TOP_FIELDS)
    year = top.text("year", required=True)
    match = _YEAR.fullmatch(year)
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise top.refuse("year", f"'{year}' is not a financial year written like 2009-10")
    entries = top.items("measures")
    if not entries:
        raise top.refuse("measures", "lists no measures")
    measures: list[FrameworkMeasure] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(entries, start=1):
        measure = _measure(item, f"{path.name}, measure {number}")
        first = seen.setdefault(code_key(measure.code), number)
        if first != number:
            raise FrameworkFileError(
                f"{path.name}, measure {number}: code '{measure.code}' is already "
                f"used by measure {first}."
            )
        measures.append(measure)
    return Framework(
        name=top.text("name", required=True),
        year=year,
        source=top.text("source", required=True),
        notes=top.text("notes"),
        remark=top.text("remark"),
        measures=tuple(measures),
        path=path,
    )


def _measure(data: Any, where: str) -> FrameworkMeasure:
    code = data.get("code") if isinstance(data, Mapping) else None
    entry = _Entry(data, f"{where} ({code})" if isinstance(code, str) else where, _MEASURE_FIELDS)
    unit = entry.choice("unit", UNITS, required=True)
    direction = entry.choice("direction", DIRECTIONS)
    value = entry.number("national_value")
    parts = _parts(entry, unit, direction, value)
    return FrameworkMeasure(
        code=entry.text("code", required=True, limit=MAX_CODE),
        code_printed=entry.flag("code_printed", True),
        wording=entry.text("wording", required=True),
        section=entry.text("section"),
        area=entry.text("area"),
        unit=unit,
        direction=direction,
        scope=entry.choice("scope", SCOPES),
        guidance=entry.choice("guidance", GUIDANCE),
        guidance_printed=entry.optional_text("guidance_printed"),
        national_value=value,
        floor=entry.number("floor"),
        weight=entry.weight(),
        outcome=entry.optional_text("outcome"),
        driver=entry.optional_text("driver"),
        reported_by_providers=_optional_flag(entry, "reported_by_providers"),
        parts=parts,
        other_wording=_texts(entry, "other_wording"),
        inferred=_inferred(entry),
        notes=entry.text("notes"),
        remark=entry.text("remark"),
    )


def _optional_flag(entry: _Entry, field: str) -> bool | None:
    """true or false where the file says, else None (the workbook's value is kept)."""
    if entry.data.get(field) is None:
        return None
    return entry.flag(field, True)


def _parts(
    entry: _Entry, unit: str, direction: str | None, value: Decimal | None
) -> tuple[MeasurePart, ...]:
    """The parts; a part without its own unit, direction or value takes the measure's."""
    parts: list[MeasurePart] = []
    seen: set[str] = set()
    for number, item in enumerate(entry.items("parts"), start=1):
        part = _Entry(item, f"{entry.where}, part {number}", _PART_FIELDS)
        suffix = part.text("suffix", required=True, limit=MAX_CODE)
        if suffix.casefold() in seen:
            raise part.refuse("suffix", f"'{suffix}' is already used by another part")
        seen.add(suffix.casefold())
        parts.append(
            MeasurePart(
                suffix=suffix,
                suffix_printed=part.flag("suffix_printed", True),
                wording=part.text("wording", required=True),
                unit=part.choice("unit", UNITS, default=unit),
                direction=part.choice("direction", DIRECTIONS, default=direction),
                national_value=part.number("national_value", default=value),
                weight=part.weight(),
                notes=part.text("notes"),
            )
        )
    if len(parts) == 1:
        raise entry.refuse("parts", "a multi-part target needs at least two parts")
    return tuple(parts)


def _texts(entry: _Entry, field: str) -> tuple[str, ...]:
    values = entry.items(field)
    if not all(isinstance(v, str) and v.strip() for v in values):
        raise entry.refuse(field, "must be a list of texts")
    return tuple(v.strip() for v in values)


def _inferred(entry: _Entry) -> frozenset[str]:
    names = _texts(entry, "inferred")
    bad = [n for n in names if n not in INFERABLE]
    if bad:
        raise entry.refuse("inferred", f"'{bad[0]}' is not one of {', '.join(sorted(INFERABLE))}")
    return frozenset(names)
