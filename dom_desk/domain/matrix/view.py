"""The built matrix in memory, and what a filter shows of it: every change of filter is
answered from these lists, without touching the file again."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from dom_desk.domain.matrix.cells import Cell, MeasureInfo, ProviderInfo
from dom_desk.domain.performance import Window
from dom_desk.domain.status import Status
from dom_desk.models import Guidance, PeriodKind, ProviderKind, Scope

#: Statuses a DOM acts on; "problems only" keeps providers with at least one of them.
PROBLEMS = frozenset({Status.MISSING, Status.MISSED})
#: The same as a tuple: ``in`` on it compares identities, without hashing an Enum member.
_PROBLEM_LIST = tuple(PROBLEMS)


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
