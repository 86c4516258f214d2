"""The national view: every region on the team server side by side for one year.

Each region's figures are worked out by the SAME functions the region's own window and
commands use, on the region opened read-only as a ``ServerWorkbook``: the envelope and
committed money from ``overview.overview`` (the Overview's figures), targets met / near /
missed from ``matrix.build_matrix`` (the performance matrix, year to date), key dates
from the Overview's list and competitions from ``competitions.timetable`` (the plan's
timetable). So a national figure equals the region's own by construction.

Where one SQL statement across regions is the better tool (money by service, region by
region), the ``national`` schema's views answer it (``storage.national_views``); the
tests hold the two to each other.

Nothing here writes: every region is opened read-only, and national HQ connects as the
read-only national role, which the database itself refuses any change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from dom_desk.domain import competitions, overview
from dom_desk.domain.keydates import KeyDate
from dom_desk.domain.matrix.build import build_matrix
from dom_desk.domain.periods import format_date, parse_year
from dom_desk.domain.region import WorkbookInfo, workbook_info
from dom_desk.domain.status import Status
from dom_desk.errors import DomDeskError, ValidationError, WorkbookError
from dom_desk.models import Stage
from dom_desk.storage.national_views import published_regions
from dom_desk.storage.server import make_server_engine, server_failure, sqlstate
from dom_desk.storage.server_address import (
    NATIONAL_SCHEMA,
    ServerAddress,
    parse_address,
    region_schema,
    region_slug,
)
from dom_desk.storage.server_workbook import ServerWorkbook, open_server

#: How far ahead the national key dates reach, in days (as the Overview's list).
HORIZON_DAYS = 90
#: The statuses of the national targets table, in its order.
TARGET_STATUSES = (Status.MET, Status.NEAR, Status.MISSED, Status.MISSING)


@dataclass(frozen=True)
class RegionKeyDate:
    region: str
    key: KeyDate
    overdue: bool


@dataclass(frozen=True)
class RegionCompetition:
    region: str
    row: competitions.TimetableRow

    @property
    def next_stage(self) -> tuple[Stage, str, date | None] | None:
        """The first stage not yet done: (stage, its wording or date, best date)."""
        for stage, shown, when, _fuzzy, done in self.row.stages:
            if not done:
                return stage, shown, when
        return None

    @property
    def service_start(self) -> str:
        return self.row.stage(Stage.SERVICE_START)[1]


@dataclass(frozen=True)
class RegionFigures:
    """One region's standing for the year, from its own domain functions."""

    region: str
    #: The region as written in a URL (``north-west``).
    slug: str
    year: str
    #: Why the region has no figures (it holds no such year, it cannot be read), or "".
    problem: str = ""
    today: date | None = None
    envelope: int = 0
    baseline: int = 0
    provisional: int = 0
    agreed: int = 0
    committed: int = 0
    #: The performance matrix's window ("2009-10 to date (Apr to Oct 2009)") and its
    #: cells counted by status.
    window: str = ""
    statuses: dict[Status, int] = field(default_factory=dict)
    key_dates: tuple[KeyDate, ...] = ()
    competitions: tuple[competitions.TimetableRow, ...] = ()

    @property
    def has_figures(self) -> bool:
        return not self.problem

    @property
    def headroom(self) -> int:
        return self.envelope - self.committed

    @property
    def over_envelope(self) -> bool:
        return self.committed > self.envelope

    def count(self, status: Status) -> int:
        return self.statuses.get(status, 0)

    @property
    def rated(self) -> int:
        """Targets rated met, near or missed (the share met is of these)."""
        return sum(self.count(s) for s in (Status.MET, Status.NEAR, Status.MISSED))

    @property
    def overdue(self) -> int:
        return sum(1 for k in self.key_dates if self.today and k.overdue(self.today))


@dataclass(frozen=True)
class NationalPicture:
    """The regions on the server, side by side, for one year."""

    server: str
    year: str
    regions: tuple[RegionFigures, ...]

    @property
    def with_figures(self) -> tuple[RegionFigures, ...]:
        return tuple(r for r in self.regions if r.has_figures)

    def total(self, what: str) -> int:
        """The exact national sum of a money figure ("envelope", "committed" ...)."""
        return sum(getattr(r, what) for r in self.with_figures)

    def status_total(self, status: Status) -> int:
        return sum(r.count(status) for r in self.with_figures)

    @property
    def key_dates(self) -> list[RegionKeyDate]:
        """Every region's open key dates within the horizon, earliest first."""
        found = [
            RegionKeyDate(r.region, k, bool(r.today and k.overdue(r.today)))
            for r in self.with_figures
            for k in r.key_dates
        ]
        return sorted(found, key=lambda d: (d.key.when, d.region, d.key.what))

    @property
    def competitions(self) -> list[RegionCompetition]:
        """Every region's competitions, by expiry (those with none last), then region."""
        found = [
            RegionCompetition(r.region, row) for r in self.with_figures for row in r.competitions
        ]
        return sorted(
            found,
            key=lambda c: (
                c.row.expiry_date is None,
                c.row.expiry_date or date.max,
                c.region,
                c.row.subject,
            ),
        )

    @property
    def problems(self) -> list[str]:
        return [r.problem for r in self.regions if r.problem]


# -- the server and its regions ---------------------------------------------------------


def server_address(url: str | ServerAddress) -> ServerAddress:
    return url if isinstance(url, ServerAddress) else parse_address(url)


def _national_engine(address: ServerAddress) -> Engine:
    return make_server_engine(address.with_region(None), NATIONAL_SCHEMA, read_only=True)


def _read(address: ServerAddress, work: Callable[[Engine], object]) -> object:
    engine = _national_engine(address)
    try:
        return work(engine)
    except DBAPIError as exc:
        if sqlstate(exc) == "42P01":  # no such table: no catalog, or no views yet
            raise WorkbookError(
                f"{address.host}/{address.database} has no national view: it is not a DOM "
                "Desk server, or was set up by an older version. Its administrator runs "
                "dom-desk server init on it."
            ) from exc
        failure = server_failure(exc, address, read_only=True)
        if failure is None:
            raise
        raise failure from exc
    finally:
        engine.dispose()


def regions(url: str | ServerAddress) -> list[tuple[str, str]]:
    """The regions published on the server, as (slug, name), by name; only the one the
    URL names when it names one."""
    address = server_address(url)

    def listed(engine: Engine) -> list[tuple[str, str]]:
        with engine.connect() as connection:
            return published_regions(connection)

    found = _read(address, listed)
    assert isinstance(found, list)
    pairs = [(region_slug(name), name) for _schema, name in found]
    if address.region:
        wanted = region_schema(address.region)
        pairs = [(slug, name) for slug, name in pairs if region_schema(name) == wanted]
        if not pairs:
            raise WorkbookError(
                f"There is no region '{address.region}' on {address.host}/{address.database}."
            )
    if not pairs:
        raise WorkbookError(
            f"No region has been published on {address.host}/{address.database} yet "
            "(dom-desk server publish FILE.domdesk URL)."
        )
    return pairs


#: Regions read at once: each waits on the server half the time, so a few threads
#: nearly halve a national view of ten regions.
READERS = 4


def _each(work: Callable[..., object], items: list) -> list:
    """``work(item)`` for every item, a few at a time, results in the items' order."""
    if len(items) <= 1:
        return [work(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(READERS, len(items))) as pool:
        return list(pool.map(work, items))


def open_regions(url: str | ServerAddress) -> list[tuple[str, ServerWorkbook | str]]:
    """Every region on the server opened read-only, as (name, workbook); a region that
    cannot be opened comes as (name, the reason in words). Close them after use."""
    address = server_address(url)

    def one(pair: tuple[str, str]) -> tuple[str, ServerWorkbook | str]:
        slug, name = pair
        try:
            return name, open_server(address.with_region(slug), read_only=True)
        except DomDeskError as exc:
            return name, str(exc)

    return _each(one, regions(address))


def close_all(opened: list[tuple[str, ServerWorkbook | str]]) -> None:
    for _name, wb in opened:
        if isinstance(wb, ServerWorkbook):
            wb.close()


def common_year(infos: list[WorkbookInfo | None]) -> str:
    """The year most regions are working on (the latest of equals): the national year
    when none is asked for."""
    years = Counter(info.current_year for info in infos if info is not None)
    if not years:
        raise WorkbookError("None of the regions on the server could be read.")
    most = max(years.values())
    return max(y for y, n in years.items() if n == most)


# -- one region's figures, by the region's own functions --------------------------------


def region_figures(
    wb: ServerWorkbook | str,
    name: str,
    year: str,
    horizon_days: int = HORIZON_DAYS,
    info: WorkbookInfo | None = None,
) -> RegionFigures:
    """``name``'s figures for ``year`` from its own Overview, matrix and timetable."""
    slug = region_slug(name)
    if isinstance(wb, str):
        return RegionFigures(name, slug, year, problem=f"{name}: {wb}")
    info = info or workbook_info(wb)
    if year not in info.years:
        held = ", ".join(info.years) or "none"
        return RegionFigures(
            name, slug, year, problem=f"{name} holds no financial year {year} (it has: {held})."
        )
    figures = overview.overview(wb, year, horizon_days=horizon_days)
    matrix = build_matrix(wb, year=year)
    with wb.session() as session:
        timetable = tuple(competitions.timetable(session))
    return RegionFigures(
        region=name,
        slug=slug,
        year=year,
        today=figures.today,
        envelope=figures.envelope,
        baseline=figures.baseline,
        provisional=figures.provisional,
        agreed=figures.agreed,
        committed=figures.committed,
        window=matrix.window.label,
        statuses=dict(matrix.counts()),
        key_dates=tuple(figures.key_dates),
        competitions=timetable,
    )


def national_picture(
    url: str | ServerAddress,
    year: str | None = None,
    horizon_days: int = HORIZON_DAYS,
    progress: Callable[[str], None] | None = None,
) -> NationalPicture:
    """Every region on the server (or the one the URL names) for ``year`` (default: the
    year most regions are working on), each from its own domain functions, a few
    regions at a time (``progress`` is called with each region's name as it is read,
    from the thread reading it)."""
    if year is not None:
        try:
            parse_year(year)
        except ValidationError as exc:
            raise ValidationError(exc.reason, "--year") from exc
    address = server_address(url)
    opened = open_regions(address)
    try:
        infos = _each(
            lambda item: workbook_info(item[1]) if isinstance(item[1], ServerWorkbook) else None,
            opened,
        )
        chosen = year or common_year(infos)

        def one(item: tuple[tuple[str, ServerWorkbook | str], WorkbookInfo | None]):
            (name, wb), info = item
            if progress is not None:
                progress(name)
            return region_figures(wb, name, chosen, horizon_days, info)

        figures = _each(one, list(zip(opened, infos, strict=True)))
    finally:
        close_all(opened)
    # Named by host and database only: the login is nobody's business in a printed plan.
    return NationalPicture(f"{address.host}/{address.database}", chosen, tuple(figures))


# -- across regions in one statement: the national views --------------------------------


@dataclass(frozen=True)
class ViewMoney:
    """A region's year as the national views sum it (pence)."""

    region: str
    envelope: int
    baseline: int
    provisional: int
    agreed: int
    committed: int


def money_from_views(url: str | ServerAddress, year: str) -> dict[str, ViewMoney]:
    """Each region's envelope and allocation totals for ``year`` in one statement over
    ``national.allocations`` and ``national.envelope``; regions with neither are absent."""
    address = server_address(url)
    statement = text(
        """
        WITH a AS (
            SELECT region, sum(baseline) AS baseline, sum(coalesce(provisional, 0)) AS provisional,
                   sum(coalesce(agreed, 0)) AS agreed, sum(committed) AS committed
            FROM allocations WHERE year = :year GROUP BY region),
        e AS (SELECT region, sum(amount) AS envelope FROM envelope WHERE year = :year
              GROUP BY region)
        SELECT coalesce(a.region, e.region) AS region, coalesce(e.envelope, 0) AS envelope,
               coalesce(a.baseline, 0) AS baseline, coalesce(a.provisional, 0) AS provisional,
               coalesce(a.agreed, 0) AS agreed, coalesce(a.committed, 0) AS committed
        FROM a FULL JOIN e ON e.region = a.region
        """
    )

    def read(engine: Engine) -> dict[str, ViewMoney]:
        with engine.connect() as connection:
            rows = connection.execute(statement, {"year": year}).all()
        return {
            row.region: ViewMoney(
                row.region,
                int(row.envelope),
                int(row.baseline),
                int(row.provisional),
                int(row.agreed),
                int(row.committed),
            )
            for row in rows
        }

    found = _read(address, read)
    assert isinstance(found, dict)
    return found


@dataclass(frozen=True)
class ServiceMoney:
    """What one service commits in each region for the year (pence), and nationally."""

    service: str
    by_region: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_region.values())


#: How the views name money with no service line (an agreement's allocation as a whole).
NO_SERVICE = "Not by service"


def committed_by_service(url: str | ServerAddress, year: str) -> list[ServiceMoney]:
    """Committed money for ``year`` by service, region by region, largest first: one
    statement over ``national.allocations``."""
    address = server_address(url)
    statement = text(
        "SELECT coalesce(service, :none) AS service, region, sum(committed) AS committed "
        "FROM allocations WHERE year = :year GROUP BY 1, 2"
    )

    def read(engine: Engine) -> list[ServiceMoney]:
        with engine.connect() as connection:
            rows = connection.execute(statement, {"year": year, "none": NO_SERVICE}).all()
        services: dict[str, dict[str, int]] = {}
        for row in rows:
            services.setdefault(row.service, {})[row.region] = int(row.committed)
        made = [ServiceMoney(name, by) for name, by in services.items()]
        return sorted(made, key=lambda s: (-s.total, s.service.casefold()))

    found = _read(address, read)
    assert isinstance(found, list)
    return found


# -- words ------------------------------------------------------------------------------


def share_of(met: int, rated: int) -> str:
    """``met`` of ``rated`` as a whole per cent, "72%" (blank with none rated)."""
    if not rated:
        return ""
    share = Decimal(100 * met) / rated
    return f"{share.quantize(Decimal(1), ROUND_HALF_UP)}%"


def share_met(figures: RegionFigures) -> str:
    """The share of a region's rated targets met."""
    return share_of(figures.count(Status.MET), figures.rated)


def national_share_met(picture: NationalPicture) -> str:
    """The share of every region's rated targets met, together."""
    return share_of(picture.status_total(Status.MET), sum(r.rated for r in picture.with_figures))


def stage_when(shown: str, when: date | None) -> str:
    return shown or format_date(when) or ""


# -- the rows every view of the picture shows (the window, the command line) ------------


@dataclass(frozen=True)
class SummaryRow:
    """A line of the side-by-side summary: one region's, or all regions' (``total``)."""

    region: str
    envelope: int
    committed: int
    statuses: dict[Status, int]
    met_share: str
    overdue: int
    competitions: int
    total: bool = False

    @property
    def headroom(self) -> int:
        return self.envelope - self.committed

    @property
    def over_envelope(self) -> bool:
        return self.committed > self.envelope

    @property
    def committed_share(self) -> str:
        """Committed as a share of the envelope, one decimal place ("98.1%")."""
        if self.envelope <= 0:
            return ""
        share = Decimal(self.committed) * 100 / self.envelope
        return f"{share.quantize(Decimal('0.1'), ROUND_HALF_UP)}%"

    def count(self, status: Status) -> int:
        return self.statuses.get(status, 0)


def summary_rows(picture: NationalPicture) -> list[SummaryRow]:
    """Each region with figures, then all of them together (exact sums)."""
    rows = [
        SummaryRow(
            r.region,
            r.envelope,
            r.committed,
            dict(r.statuses),
            share_met(r),
            r.overdue,
            len(r.competitions),
        )
        for r in picture.with_figures
    ]
    together: Counter[Status] = Counter()
    for r in picture.with_figures:
        together.update(r.statuses)
    rows.append(
        SummaryRow(
            "All regions",
            picture.total("envelope"),
            picture.total("committed"),
            dict(together),
            national_share_met(picture),
            sum(r.overdue for r in rows),
            sum(r.competitions for r in rows),
            total=True,
        )
    )
    return rows
