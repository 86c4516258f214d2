"""The performance matrix: providers down, measures across, each cell a status.

Built from a handful of set-based queries (providers, measures, the year's targets, the
measures each provider reports, and the window's returns already totalled by SQL per
provider and measure) into plain dataclasses, so a national matrix of 40,000 cells opens
in about a second and filters in milliseconds without touching the file again.

Which cells exist: a cell is shown where the provider has a target row for the measure
in the year (even one not yet agreed) or has returned figures for it. Other cells are
blank ("does not apply"), so a prison-only measure never shows a probation trust.

Which returns are expected: a provider is expected to return a measure each period when
it has returned that measure this year or last (it is in its returns). Then a period
past its due date with no figure makes the cell "Missing (late)". A measure with a
target that the provider has never returned shows "No figures" rather than "Missing",
so measures reported outside the monthly returns are not chased as late.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, case, func, or_, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from dom_desk.domain.applicability import code_order
from dom_desk.domain.performance import (
    CADENCE_ORDER,
    CURRENT,
    MONTHS_IN,
    RULE_TAGS,
    Combined,
    Figure,
    Window,
    combine,
    combine_totals,
    format_measure_value,
    resolve_window,
    rule_text,
    window_target,
)
from dom_desk.domain.status import Status, compare, is_overdue
from dom_desk.models import (
    Aggregation,
    AuditEntry,
    Direction,
    FinancialYear,
    Guidance,
    Measure,
    MeasureUnit,
    Period,
    PeriodKind,
    Provider,
    ProviderKind,
    Result,
    Scope,
    Sector,
    Submission,
    Target,
)
from dom_desk.storage.workbook import Workbook

#: Statuses a DOM acts on; "problems only" keeps providers with at least one of them.
PROBLEMS = frozenset({Status.MISSING, Status.MISSED})
#: The same as a tuple: ``in`` on it compares identities, without hashing an Enum member.
_PROBLEM_LIST = tuple(PROBLEMS)


@dataclass(frozen=True, slots=True)
class MeasureInfo:
    id: int
    code: str
    title: str
    unit: MeasureUnit
    direction: Direction
    scope: Scope
    guidance: Guidance
    aggregation: Aggregation
    tolerance: Decimal
    weighting: int | None

    @property
    def rule_tag(self) -> str:
        return RULE_TAGS[self.aggregation]

    @property
    def rule(self) -> str:
        return rule_text(self.aggregation, self.unit)

    def describe(self) -> str:
        """Everything needed to read the column: wording, unit, direction, rule."""
        return (
            f"{self.code}: {self.title}\nUnit: {self.unit.label}. "
            f"{self.direction.label}. Near within {self.tolerance.normalize():f}% of "
            f"target.\n{self.scope.label}; {self.guidance.label} target.\n{self.rule}"
        )


@dataclass(frozen=True, slots=True)
class ProviderInfo:
    id: int
    name: str
    kind: ProviderKind
    sector: Sector


@dataclass(frozen=True, slots=True)
class Cell:
    """One provider's standing on one measure for the window."""

    status: Status
    value: Decimal | None
    #: The target the window is held to (a count target's share of the year).
    target: Decimal | None
    annual_target: Decimal | None
    #: Periods returned, and returns past their due date that never came.
    returned: int
    late: int
    unit: MeasureUnit
    #: Some periods lacked the numerator and denominator a rate needs.
    partial: bool = False

    @property
    def value_text(self) -> str:
        return format_measure_value(self.unit, self.value)

    @property
    def target_text(self) -> str:
        return format_measure_value(self.unit, self.target)

    @property
    def label(self) -> str:
        """The status in words, with lateness: "Missing (late)", "Met (1 late)"."""
        if self.status is Status.MISSING:
            return "Missing (late)"
        if self.late:
            return f"{self.status.label} ({self.late} late)"
        return self.status.label

    @property
    def text(self) -> str:
        """What the grid shows: symbol, words and figure ("✗ Missed 84.0%")."""
        shown = f"{self.status.symbol} {self.label}"
        return f"{shown} {self.value_text}" if self.value_text else shown

    @property
    def sentence(self) -> str:
        """The cell read aloud or in a tooltip."""
        parts = [self.label + "."]
        if self.value_text:
            parts.append(f"Actual {self.value_text}.")
        if self.target_text:
            parts.append(f"Target {self.target_text}.")
        if self.partial:
            parts.append("Some returns lack a numerator or denominator.")
        return " ".join(parts)


@dataclass(frozen=True)
class MatrixFilter:
    """What the matrix shows; None in a set means "all"."""

    kinds: frozenset[ProviderKind] | None = None
    scopes: frozenset[Scope] | None = None
    guidance: frozenset[Guidance] | None = None
    #: Part of a provider's name, any case.
    text: str = ""
    #: Only providers with a missing return or a missed target among the shown measures.
    problems_only: bool = False


#: The filter that shows everything.
EVERYTHING = MatrixFilter()


@dataclass
class Matrix:
    """Every provider and measure for one window; filter with :meth:`view`."""

    window: Window
    providers: list[ProviderInfo]
    measures: list[MeasureInfo]
    #: ``cells[row][column]``; None where the measure does not apply to the provider.
    cells: list[list[Cell | None]]
    #: How often each measure is returned (its commonest period kind); monthly if unknown.
    cadences: dict[int, PeriodKind] = field(default_factory=dict)
    _row_of: dict[int, int] = field(default_factory=dict, repr=False)
    _col_of: dict[int, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._row_of = {p.id: i for i, p in enumerate(self.providers)}
        self._col_of = {m.id: i for i, m in enumerate(self.measures)}

    def cell(self, provider_id: int, measure_id: int) -> Cell | None:
        return self.cells[self._row_of[provider_id]][self._col_of[measure_id]]

    def view(self, spec: MatrixFilter = EVERYTHING) -> MatrixView:
        """The rows and columns that pass the filter (indexes into this matrix)."""
        cols = [
            i
            for i, m in enumerate(self.measures)
            if (spec.scopes is None or m.scope in spec.scopes)
            and (spec.guidance is None or m.guidance in spec.guidance)
        ]
        wanted = spec.text.strip().casefold()
        rows = [
            i
            for i, p in enumerate(self.providers)
            if (spec.kinds is None or p.kind in spec.kinds)
            and (not wanted or wanted in p.name.casefold())
        ]
        # Drop providers with nothing to show among the chosen measures.
        rows = [i for i in rows if any(self.cells[i][c] is not None for c in cols)]
        if spec.problems_only:
            rows = [
                i
                for i in rows
                if any(
                    (cell := self.cells[i][c]) is not None and cell.status in _PROBLEM_LIST
                    for c in cols
                )
            ]
        # And measures that apply to none of the providers left.
        cols = [c for c in cols if any(self.cells[i][c] is not None for i in rows)]
        return MatrixView(self, rows, cols)

    def counts(self) -> Counter[Status]:
        return _count(self.cells, range(len(self.cells)), range(len(self.measures)))


@dataclass(frozen=True)
class MatrixView:
    matrix: Matrix
    rows: list[int]
    cols: list[int]

    @property
    def providers(self) -> list[ProviderInfo]:
        return [self.matrix.providers[i] for i in self.rows]

    @property
    def measures(self) -> list[MeasureInfo]:
        return [self.matrix.measures[i] for i in self.cols]

    def cell(self, row: int, col: int) -> Cell | None:
        return self.matrix.cells[self.rows[row]][self.cols[col]]

    def iter_cells(self) -> Iterator[tuple[ProviderInfo, MeasureInfo, Cell]]:
        for r in self.rows:
            provider = self.matrix.providers[r]
            line = self.matrix.cells[r]
            for c in self.cols:
                cell = line[c]
                if cell is not None:
                    yield provider, self.matrix.measures[c], cell

    def counts(self) -> Counter[Status]:
        return _count(self.matrix.cells, self.rows, self.cols)


def _count(
    cells: list[list[Cell | None]], rows: Iterable[int], cols: Sequence[int]
) -> Counter[Status]:
    """How many cells have each status. Counted by the members' ids: an Enum member's
    hash runs in Python, and a national matrix has 40,000 cells to count at every change
    of filter."""
    seen = Counter(
        id(cell.status)
        for r in rows
        for cell in map(cells[r].__getitem__, cols)
        if cell is not None
    )
    return Counter({status: seen[id(status)] for status in Status if id(status) in seen})


# -- building -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Totals:
    """One provider's returns for one measure and period kind, totalled by SQL."""

    kind: PeriodKind
    count: int
    count_due: int
    sum_actual: Decimal | None
    sum_num: Decimal | None
    sum_den: Decimal | None
    ratio_count: int
    latest_actual: Decimal | None
    latest_num: Decimal | None
    latest_den: Decimal | None


# The loaders read Core rows one by one through the session's connection: no ORM
# bookkeeping for 40,000 tuples, and no long stretch of C code that keeps the GUI thread
# waiting for the interpreter while the matrix is built on a worker.


def _load_providers(session: Session) -> list[ProviderInfo]:
    rows = session.connection().execute(
        select(Provider.id, Provider.name, Provider.kind, Provider.sector).order_by(Provider.name)
    )
    return [ProviderInfo(*row) for row in rows]


def _load_measures(session: Session) -> list[MeasureInfo]:
    m = Measure
    rows = session.execute(
        select(
            m.id,
            m.code,
            m.title,
            m.unit,
            m.direction,
            m.scope,
            m.guidance,
            m.aggregation,
            m.tolerance,
            m.weighting,
        )
    )
    return sorted((MeasureInfo(*row) for row in rows), key=lambda info: code_order(info.code))


def _load_targets(session: Session, year_id: int) -> dict[tuple[int, int], Decimal | None]:
    rows = session.connection().execute(
        select(Target.provider_id, Target.measure_id, Target.value).where(Target.year_id == year_id)
    )
    return {(p, m): v for p, m, v in rows}


def _in_window(window: Window):
    return and_(
        Period.year_id == window.year_id, Period.start >= window.start, Period.end <= window.end
    )


#: SQLite adds the stored decimal text up as binary floats. A group whose figures have
#: at most SQL_PLACES decimal places, and whose sums stay below FLOAT_SAFE, is rounded
#: back to the exact decimal (the float's error is far below half the last place); any
#: other group is added up again in Python with Decimal, exactly.
SQL_PLACES = 6
FLOAT_SAFE = 1e9
_QUANTUM = Decimal(1).scaleb(-SQL_PLACES)


def _many_places(column):
    dot = func.instr(column, ".")
    return and_(dot > 0, func.length(column) - dot > SQL_PLACES)


def _raw(column):
    """The value as SQLite returns it (decimal text, or a number for a sum): converted by
    :func:`_decimal` only where needed, rather than by the column type for every row."""
    return type_coerce(column, NullType())


def _decimal(value: str | int | float | None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float):  # a SQL sum, safe by _unsafe: back to exact decimals
        return Decimal(repr(value)).quantize(_QUANTUM)
    return Decimal(value)


def _unsafe(value: object) -> bool:
    return isinstance(value, float) and abs(value) >= FLOAT_SAFE


def _totals_query(window: Window):
    """Current returns in the window totalled per provider and measure, with how many of
    them are months and quarters, and how many carry more decimal places than SQL_PLACES.

    The latest period's own figures come from SQLite's documented bare-column rule: with
    exactly one max() aggregate (and no min()), bare columns are read from the row holding
    the maximum.
    """
    r = Result
    parts = and_(r.numerator.is_not(None), r.denominator.is_not(None))
    many = or_(_many_places(r.actual), _many_places(r.numerator), _many_places(r.denominator))
    return (
        select(
            r.provider_id,
            r.measure_id,
            func.count(),
            func.sum(case((Period.kind == PeriodKind.MONTH, 1), else_=0)),
            func.sum(case((Period.kind == PeriodKind.QUARTER, 1), else_=0)),
            func.sum(case((Period.due < window.today, 1), else_=0)),
            func.sum(case((many, 1), else_=0)),
            _raw(func.sum(r.actual)),
            _raw(func.sum(case((parts, r.numerator)))),
            _raw(func.sum(case((parts, r.denominator)))),
            func.sum(case((parts, 1), else_=0)),
            func.max(Period.start),
            _raw(r.actual),
            _raw(r.numerator),
            _raw(r.denominator),
        )
        .join(Period, Period.id == r.period_id)
        .where(CURRENT, _in_window(window))
        # Grouping by the leading columns of the current-results index needs no sort.
        .group_by(r.provider_id, r.measure_id)
    )


def _kind(count: int, months: int, quarters: int) -> PeriodKind | None:
    """The one kind of period a group's returns are; None when they mix kinds."""
    if months == count:
        return PeriodKind.MONTH
    if quarters == count:
        return PeriodKind.QUARTER
    return PeriodKind.YEAR if months == quarters == 0 else None


def _load_totals(session: Session, window: Window) -> dict[tuple[int, int], _Totals]:
    """The window's returns totalled per provider and measure in one pass; the few groups
    SQL cannot total exactly, or that mix months and quarters, are totalled in Python."""
    totals: dict[tuple[int, int], _Totals] = {}
    again: set[tuple[int, int]] = set()
    for (
        provider_id,
        measure_id,
        count,
        months,
        quarters,
        count_due,
        many,
        sum_actual,
        sum_num,
        sum_den,
        ratio_count,
        _latest,
        latest_actual,
        latest_num,
        latest_den,
    ) in session.connection().execute(_totals_query(window)):
        kind = _kind(count, months, quarters)
        if kind is None or many or _unsafe(sum_actual) or _unsafe(sum_num) or _unsafe(sum_den):
            again.add((provider_id, measure_id))
            continue
        totals[(provider_id, measure_id)] = _Totals(
            kind,
            count,
            count_due,
            _decimal(sum_actual),
            _decimal(sum_num),
            _decimal(sum_den),
            ratio_count,
            _decimal(latest_actual),
            _decimal(latest_num),
            _decimal(latest_den),
        )
    if again:
        totals.update(_exact_totals(session, window, again))
    return totals


def _exact_totals(
    session: Session, window: Window, pairs: set[tuple[int, int]]
) -> dict[tuple[int, int], _Totals]:
    """Totals added up in Python with Decimal, keeping the finest kind of period."""
    r = Result
    rows = session.connection().execute(
        select(
            r.provider_id,
            r.measure_id,
            Period.kind,
            Period.start,
            Period.due,
            r.actual,
            r.numerator,
            r.denominator,
        )
        .join(Period, Period.id == r.period_id)
        .where(CURRENT, _in_window(window), r.provider_id.in_({p for p, _m in pairs}))
    )
    grouped: dict[tuple[int, int], dict[PeriodKind, list]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if (row.provider_id, row.measure_id) in pairs:
            grouped[(row.provider_id, row.measure_id)][row.kind].append(row)
    totals = {}
    for key, kinds in grouped.items():
        kind = next(k for k in CADENCE_ORDER if k in kinds)
        found = kinds[kind]
        parts = [f for f in found if f.numerator is not None and f.denominator is not None]
        actuals = [f.actual for f in found if f.actual is not None]
        latest = max(found, key=lambda f: f.start)
        totals[key] = _Totals(
            kind,
            len(found),
            sum(1 for f in found if is_overdue(f.due, window.today)),
            sum(actuals, Decimal(0)) if actuals else None,
            sum((f.numerator for f in parts), Decimal(0)) if parts else None,
            sum((f.denominator for f in parts), Decimal(0)) if parts else None,
            len(parts),
            latest.actual,
            latest.numerator,
            latest.denominator,
        )
    return totals


def _reporting_years(session: Session, window: Window) -> list[int]:
    """The window's year and the one before it: where a provider's returns are looked for."""
    start = session.scalar(select(FinancialYear.start).where(FinancialYear.id == window.year_id))
    earlier = session.scalar(
        select(FinancialYear.id)
        .where(FinancialYear.start < start)
        .order_by(FinancialYear.start.desc())
        .limit(1)
    )
    return [window.year_id] + ([earlier] if earlier is not None else [])


def _load_reported(session: Session, window: Window) -> set[tuple[int, int]]:
    """(provider, measure) pairs returned this year or last: what each provider reports.

    Reads only the current-results index (provider, measure, period), never the table.
    """
    periods = select(Period.id).where(Period.year_id.in_(_reporting_years(session, window)))
    rows = session.connection().execute(
        select(Result.provider_id, Result.measure_id)
        .distinct()
        .where(CURRENT, Result.period_id.in_(periods))
    )
    return {(p, m) for p, m in rows}


def _period_counts(session: Session, window: Window) -> dict[PeriodKind, tuple[int, int]]:
    """For each kind of period: how many lie in the window, and how many are overdue."""
    counts: dict[PeriodKind, tuple[int, int]] = {}
    for kind, due in session.execute(select(Period.kind, Period.due).where(_in_window(window))):
        total, overdue = counts.get(kind, (0, 0))
        counts[kind] = (total + 1, overdue + is_overdue(due, window.today))
    return counts


def _cadences(totals: dict[tuple[int, int], _Totals]) -> dict[int, PeriodKind]:
    """How often each measure is returned: the commonest cadence among its providers."""
    seen: dict[int, Counter[PeriodKind]] = defaultdict(Counter)
    for (_p, measure_id), found in totals.items():
        seen[measure_id][found.kind] += 1
    return {m: counter.most_common(1)[0][0] for m, counter in seen.items()}


def make_cell(
    measure: MeasureInfo,
    annual: Decimal | None,
    totals: _Totals | None,
    cadence: PeriodKind,
    periods: dict[PeriodKind, tuple[int, int]],
    reported: bool = True,
) -> Cell | None:
    """One cell from the SQL totals; None when no return falls in the window.

    ``reported``: the provider returns this measure (this year or last), so a period past
    its due date without a figure is a missing return.
    """
    kind = totals.kind if totals else cadence
    in_window, overdue = periods.get(kind, (0, 0))
    if totals is None or totals.count == 0:
        if in_window == 0:
            return None
        target = window_target(measure.aggregation, annual, MONTHS_IN[kind] * in_window)
        if not reported:
            return Cell(Status.NO_FIGURES, None, target, annual, 0, 0, measure.unit)
        status = Status.MISSING if overdue else Status.NOT_DUE
        return Cell(status, None, target, annual, 0, overdue, measure.unit)
    combined = combine_totals(
        measure.aggregation,
        measure.unit,
        count=totals.count,
        sum_actual=totals.sum_actual,
        sum_num=totals.sum_num,
        sum_den=totals.sum_den,
        ratio_count=totals.ratio_count,
        latest_actual=totals.latest_actual,
        latest_num=totals.latest_num,
        latest_den=totals.latest_den,
    )
    return _rated(measure, annual, combined, totals.count, kind, max(0, overdue - totals.count_due))


def _rated(
    measure: MeasureInfo,
    annual: Decimal | None,
    combined: Combined,
    returned: int,
    kind: PeriodKind,
    late: int,
) -> Cell:
    target = window_target(measure.aggregation, annual, MONTHS_IN[kind] * returned)
    status = compare(measure.direction, measure.tolerance, combined.value, target)
    if combined.value is None and status is Status.NO_TARGET:
        status = Status.MISSING
    return Cell(
        status, combined.value, target, annual, returned, late, measure.unit, combined.partial
    )


def build(session: Session, window: Window) -> Matrix:
    """The matrix for ``window`` from an open session."""
    providers = _load_providers(session)
    measures = _load_measures(session)
    targets = _load_targets(session, window.year_id)
    totals = {} if window.empty else _load_totals(session, window)
    periods = {} if window.empty else _period_counts(session, window)
    cadences = _cadences(totals)
    row_of = {p.id: i for i, p in enumerate(providers)}
    col_of = {m.id: i for i, m in enumerate(measures)}
    reported = _load_reported(session, window) if targets.keys() - totals.keys() else set()
    cells: list[list[Cell | None]] = [[None] * len(measures) for _ in providers]
    for key in targets.keys() | totals.keys():
        provider_id, measure_id = key
        column = col_of[measure_id]
        cells[row_of[provider_id]][column] = make_cell(
            measures[column],
            targets.get(key),
            totals.get(key),
            cadences.get(measure_id, PeriodKind.MONTH),
            periods,
            key in reported,
        )
    return Matrix(window, providers, measures, cells, cadences)


def build_matrix(wb: Workbook, period: str | None = None, year: str | None = None) -> Matrix:
    """The matrix for a period (a month, quarter or year code) or, with none, for the year
    to date of ``year`` (the current year when not given)."""
    with wb.session() as session:
        return build(session, resolve_window(session, period, year))


# -- drill-down ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultLine:
    """One figure behind a cell: current or superseded, with where it came from."""

    result_id: int
    period: str
    kind: PeriodKind
    period_start: date
    due: date
    actual: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    actual_text: str
    superseded: bool
    source: str
    source_row: int | None
    file_name: str
    received_at: datetime | None
    entered_at: datetime
    entered_by: str
    commentary: str

    @property
    def received_late(self) -> bool:
        received = (self.received_at or self.entered_at).date()
        return received > self.due

    @property
    def source_text(self) -> str:
        name = self.file_name or self.source
        return f"{name}, row {self.source_row}" if name and self.source_row else name


@dataclass(frozen=True)
class Edit:
    """A change made to a figure after it was stored (from the audit trail)."""

    result_id: int
    period: str
    field: str
    old: str | None
    new: str | None
    user: str
    at: datetime


@dataclass(frozen=True)
class CellDetail:
    provider: ProviderInfo
    measure: MeasureInfo
    window: Window
    cell: Cell | None
    lines: list[ResultLine]
    #: Periods whose returns are past due and never came: (code, due date).
    missing: list[tuple[str, date]]
    edits: list[Edit]
    working: str

    @property
    def current(self) -> list[ResultLine]:
        return [line for line in self.lines if not line.superseded]

    @property
    def history(self) -> list[ResultLine]:
        return [line for line in self.lines if line.superseded]


def _result_lines(
    session: Session, window: Window, provider_id: int, measure_id: int, unit: MeasureUnit
) -> list[ResultLine]:
    r = Result
    rows = session.execute(
        select(
            r.id,
            Period.code,
            Period.kind,
            Period.start,
            Period.due,
            r.actual,
            r.numerator,
            r.denominator,
            r.superseded,
            r.source,
            r.source_row,
            Submission.file_name,
            Submission.received_at,
            r.entered_at,
            r.entered_by,
            r.commentary,
        )
        .join(Period, Period.id == r.period_id)
        .outerjoin(Submission, Submission.id == r.submission_id)
        .where(r.provider_id == provider_id, r.measure_id == measure_id, _in_window(window))
        .order_by(Period.start, r.superseded, r.entered_at.desc(), r.id.desc())
    )
    lines = []
    for row in rows:
        (
            rid,
            code,
            kind,
            start,
            due,
            actual,
            num,
            den,
            superseded,
            source,
            source_row,
            file_name,
            received_at,
            entered_at,
            entered_by,
            commentary,
        ) = row
        lines.append(
            ResultLine(
                rid,
                code,
                kind,
                start,
                due,
                actual,
                num,
                den,
                format_measure_value(unit, actual),
                superseded,
                source or "",
                source_row,
                file_name or "",
                received_at,
                entered_at,
                entered_by,
                commentary or "",
            )
        )
    return lines


def _edits(session: Session, lines: Iterable[ResultLine]) -> list[Edit]:
    period_of = {line.result_id: line.period for line in lines}
    if not period_of:
        return []
    rows = session.execute(
        select(
            AuditEntry.entity_id,
            AuditEntry.field,
            AuditEntry.old,
            AuditEntry.new,
            AuditEntry.user,
            AuditEntry.at,
        )
        .where(
            AuditEntry.entity == Result.__tablename__,
            AuditEntry.action == "update",
            AuditEntry.entity_id.in_(period_of),
            AuditEntry.field != "superseded",
        )
        .order_by(AuditEntry.at)
    )
    return [
        Edit(rid, period_of[rid], fld, old, new, user, at) for rid, fld, old, new, user, at in rows
    ]


def _expected_periods(session: Session, window: Window, kind: PeriodKind) -> list[tuple[str, date]]:
    """(code, due date) of the periods of ``kind`` a provider returns in the window."""
    return [
        (code, due)
        for code, due in session.execute(
            select(Period.code, Period.due)
            .where(_in_window(window), Period.kind == kind)
            .order_by(Period.start)
        )
    ]


def cell_detail(
    wb: Workbook,
    window: Window,
    provider_id: int,
    measure_id: int,
    cadence: PeriodKind = PeriodKind.MONTH,
) -> CellDetail:
    """The results behind one cell, with their source files and superseded history.

    The figure is worked out again here, from the individual results, by the reference
    rule (:func:`dom_desk.domain.performance.combine`); it agrees with the matrix's.
    """
    with wb.session() as session:
        provider = ProviderInfo(
            *session.execute(
                select(Provider.id, Provider.name, Provider.kind, Provider.sector).where(
                    Provider.id == provider_id
                )
            ).one()
        )
        measure = next(m for m in _load_measures(session) if m.id == measure_id)
        target_row = session.execute(
            select(Target.value).where(
                Target.provider_id == provider_id,
                Target.measure_id == measure_id,
                Target.year_id == window.year_id,
            )
        ).first()
        annual = target_row[0] if target_row else None
        lines = _result_lines(session, window, provider_id, measure_id, measure.unit)
        kinds = {ln.kind for ln in lines if not ln.superseded}
        kind = next((k for k in CADENCE_ORDER if k in kinds), cadence)
        current = [ln for ln in lines if not ln.superseded and ln.kind is kind]
        expected = _expected_periods(session, window, kind)
        edits = _edits(session, lines)
        reported = (
            bool(current)
            or session.scalar(
                select(Result.id)
                .where(
                    CURRENT,
                    Result.provider_id == provider_id,
                    Result.measure_id == measure_id,
                    Result.period_id.in_(
                        select(Period.id).where(
                            Period.year_id.in_(_reporting_years(session, window))
                        )
                    ),
                )
                .limit(1)
            )
            is not None
        )
    returned = {ln.period for ln in current}
    missing = [
        (code, due)
        for code, due in expected
        if reported and code not in returned and is_overdue(due, window.today)
    ]
    figures = [Figure(ln.period_start, ln.actual, ln.numerator, ln.denominator) for ln in current]
    working = ""
    cell: Cell | None = None
    if current:
        combined = combine(measure.aggregation, measure.unit, figures)
        cell = _rated(measure, annual, combined, len(current), kind, len(missing))
        working = combined.working
    elif expected and (target_row is not None or reported):
        target = window_target(measure.aggregation, annual, MONTHS_IN[kind] * len(expected))
        status = (
            Status.NO_FIGURES if not reported else Status.MISSING if missing else Status.NOT_DUE
        )
        cell = Cell(status, None, target, annual, 0, len(missing), measure.unit)
    return CellDetail(provider, measure, window, cell, lines, missing, edits, working)


def open_cell(wb: Workbook, matrix: Matrix, provider_id: int, measure_id: int) -> CellDetail:
    """The drill-down of a matrix cell (same window and cadence as the matrix used)."""
    return cell_detail(
        wb,
        matrix.window,
        provider_id,
        measure_id,
        matrix.cadences.get(measure_id, PeriodKind.MONTH),
    )
