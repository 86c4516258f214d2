"""The region, its financial years and periods, and workbook settings.

Two layers. :func:`workbook_info`, :func:`working_day` and :func:`choose_year` take a
``Workbook`` and open their own transaction: the window and the command line call
these. The rest take a ``Session``: they are the in-transaction lookups other domain
code composes inside the one transaction it already has open (``region(session)``,
``current_year(session)``, ``today(session)``...), not for the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from dom_desk.domain.periods import parse_year, periods_of_year
from dom_desk.errors import ValidationError
from dom_desk.models import FinancialYear, Level, Period, Region, RiskScore, Setting

if TYPE_CHECKING:
    from dom_desk.storage.workbook import Workbook

#: The NPS 2005-06 register's scores (seed 001, Annex C). Pairs the register does not
#: print are interpolated so that the score never falls as likelihood or impact rises.
DEFAULT_RISK_MATRIX: dict[tuple[str, str], int] = {
    ("L", "L"): 5,
    ("L", "M"): 11,
    ("L", "H"): 16,
    ("L", "VH"): 20,
    ("M", "L"): 8,
    ("M", "M"): 14,
    ("M", "H"): 19,
    ("M", "VH"): 21,
    ("H", "L"): 10,
    ("H", "M"): 17,
    ("H", "H"): 22,
    ("H", "VH"): 24,
    ("VH", "L"): 13,
    ("VH", "M"): 18,
    ("VH", "H"): 23,
    ("VH", "VH"): 25,
}


def region(session: Session) -> Region:
    """The workbook's region; every workbook made by DOM Desk has exactly one."""
    found = session.scalars(select(Region)).first()
    if found is None:
        raise ValidationError("This workbook has no region yet")
    return found


#: The nine English regions and Wales, each with its own DOM, as File ▸ New names them.
REGIONS = (
    "North East",
    "North West",
    "Yorkshire and Humberside",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
    "Wales",
)


def region_named(text: str) -> str:
    """One of the ten regions, as File ▸ New names it, from what was typed: case and
    spacing are forgiven ("north  west"), anything else is refused naming the ten."""
    wanted = " ".join(text.split()).casefold()
    for name in REGIONS:
        if name.casefold() == wanted:
            return name
    raise ValidationError(
        f"'{text}' is not one of the ten regions ({', '.join(REGIONS)})", "--region"
    )


def create_region(session: Session, name: str, first_year: str) -> Region:
    """Sets up a new workbook: its region, a first financial year, the risk matrix."""
    if session.scalars(select(Region)).first() is not None:
        raise ValidationError("This workbook already has a region")
    if not name.strip():
        raise ValidationError("The region needs a name", "Region")
    created = Region(name=name.strip())
    session.add(created)
    ensure_year(session, first_year)
    for (likelihood, impact), score in DEFAULT_RISK_MATRIX.items():
        session.add(RiskScore(likelihood=Level(likelihood), impact=Level(impact), score=score))
    set_setting(session, "current_year", first_year)
    session.flush()
    return created


def ensure_year(session: Session, label: str) -> FinancialYear:
    """The financial year ``label``, created with its quarters and months if new."""
    start_year = parse_year(label)
    year = session.scalars(select(FinancialYear).where(FinancialYear.label == label)).first()
    if year is not None:
        return year
    specs = periods_of_year(start_year)
    year = FinancialYear(label=label, start=specs[0].start, end=specs[0].end)
    session.add(year)
    for spec in specs:
        session.add(
            Period(
                code=spec.code,
                kind=spec.kind,
                year=year,
                start=spec.start,
                end=spec.end,
                due=spec.due,
            )
        )
    session.flush()
    return year


def years(session: Session) -> list[FinancialYear]:
    return list(session.scalars(select(FinancialYear).order_by(FinancialYear.start)))


def year_by_label(session: Session, label: str) -> FinancialYear:
    found = session.scalars(select(FinancialYear).where(FinancialYear.label == label)).first()
    if found is None:
        held = ", ".join(y.label for y in years(session)) or "none"
        raise ValidationError(f"The workbook holds no financial year {label} (it has: {held})")
    return found


def current_year(session: Session) -> FinancialYear:
    """The year the DOM is working on (the latest year if none was chosen)."""
    label = get_setting(session, "current_year")
    if label:
        return year_by_label(session, label)
    held = years(session)
    if not held:
        raise ValidationError("This workbook has no financial years")
    return held[-1]


def period_by_code(session: Session, code: str) -> Period:
    from dom_desk.domain.periods import parse_period, spec_label

    spec = parse_period(code)
    found = session.scalars(select(Period).where(Period.code == spec.code)).first()
    if found is None:
        raise ValidationError(f"The workbook has no period {spec_label(spec)}")
    return found


def get_setting(session: Session, key: str, default: str = "") -> str:
    found = session.get(Setting, key)
    return found.value if found else default


def set_setting(session: Session, key: str, value: str) -> None:
    found = session.get(Setting, key)
    if found is None:
        session.add(Setting(key=key, value=value))
    else:
        found.value = value


def risk_matrix(session: Session) -> dict[tuple[Level, Level], int]:
    return {(r.likelihood, r.impact): r.score for r in session.scalars(select(RiskScore))}


def today(session: Session) -> date:
    """The working date: the real date, unless the workbook fixes one (the demo is set in
    November 2009, so its key dates fall due rather than all lying years in the past)."""
    fixed = get_setting(session, "as_of")
    return date.fromisoformat(fixed) if fixed else date.today()


@dataclass(frozen=True)
class WorkbookInfo:
    """What the window shows of a workbook before any figures: its region, its years."""

    region_name: str
    years: tuple[str, ...]
    current_year: str


def workbook_info(wb: Workbook) -> WorkbookInfo:
    with wb.session() as session:
        return WorkbookInfo(
            region(session).name,
            tuple(y.label for y in years(session)),
            current_year(session).label,
        )


def working_day(wb: Workbook) -> date:
    """The working date of ``wb`` (see :func:`today`)."""
    with wb.session() as session:
        return today(session)


def choose_year(wb: Workbook, label: str) -> None:
    """Remembers ``label`` as the year the DOM is working on."""
    with wb.session() as session:
        year_by_label(session, label)
        set_setting(session, "current_year", label)


def create_region_workbook(path: Path, name: str, first_year: str) -> Workbook:
    """A new workbook file for a region, locked for editing by this process.

    The region is validated before the file is made; if setting it up fails, no file is
    left behind.
    """
    from dom_desk.storage.locking import WorkbookLock
    from dom_desk.storage.workbook import create_workbook

    if not name.strip():
        raise ValidationError("The region needs a name", "Region")
    parse_year(first_year)
    wb = create_workbook(path)
    try:
        with wb.session() as session:
            create_region(session, name, first_year)
    except Exception:
        wb.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    wb.lock = WorkbookLock(Path(path))
    wb.lock.acquire()
    return wb


#: Who issues the plan, as the DOM enters it (the plan's cover, version table and
#: foreword sign-off print these, never the operating-system login).
ISSUED_BY_NAME_KEY = "plan_issued_by_name"
ISSUED_BY_ROLE_KEY = "plan_issued_by_role"


@dataclass(frozen=True)
class IssuedBy:
    """The plan's issuer: a name (empty until entered) and a role (the region's DOM title
    until entered)."""

    name: str
    role: str

    @property
    def text(self) -> str:
        """ "Name, Role", or the role alone while no name is entered."""
        return f"{self.name}, {self.role}" if self.name else self.role


def issued_by_in(session: Session) -> IssuedBy:
    role = get_setting(session, ISSUED_BY_ROLE_KEY).strip() or region(session).dom_title
    return IssuedBy(get_setting(session, ISSUED_BY_NAME_KEY).strip(), role)


def issued_by(wb: Workbook) -> IssuedBy:
    with wb.session() as session:
        return issued_by_in(session)


def set_issued_by(wb: Workbook, name: str, role: str) -> None:
    """Sets who issues the plan (one transaction, each change audited by name). An empty
    role goes back to the region's DOM title."""
    from dom_desk.storage import audit

    name, role = " ".join(name.split()), " ".join(role.split())
    for value, field in ((name, "Issued by (name)"), (role, "Role")):
        if len(value) > 120:
            raise ValidationError(
                f"Plan dialog, {field}: at most 120 characters (this has {len(value)})"
            )
    with wb.session() as session:
        for key, value, label in (
            (ISSUED_BY_NAME_KEY, name, "Plan issued by (name)"),
            (ISSUED_BY_ROLE_KEY, role, "Plan issued by (role)"),
        ):
            old = get_setting(session, key)
            if old == value:
                continue
            set_setting(session, key, value)
            # The setting row has no id: name the setting so the trail says which it was.
            audit.record(session, "set", "setting", None, key, old or None, value, label)
