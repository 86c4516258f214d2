"""The performance matrix: providers down, measures across, each cell a status.

Built from a handful of set-based queries (providers, measures, the year's targets, the
window's periods, the window's returns already totalled by SQL per provider and measure,
and the snapshot measures' latest figures sought by index) into plain frozen values
(cells are named tuples), so a national matrix of 40,000 cells opens in under twice the
time of a bare SQL GROUP BY over its results (``bench/matrix_bench.py``) and filters in
milliseconds without touching the file again.

* :mod:`.cells`: a provider, a measure and one cell, and the rule rating a cell;
* :mod:`.totals`: the SQL (dialect-neutral) that totals the returns;
* :mod:`.latest`: the latest period's figures of the snapshot measures;
* :mod:`.build`: the matrix built from those totals, for a window of a workbook;
* :mod:`.view`: the matrix in memory and the filters over it;
* :mod:`.drilldown`: the results, edits and missing returns behind one cell.
"""

from dom_desk.domain.matrix.build import build, build_matrix, build_previous
from dom_desk.domain.matrix.cells import Cell, MeasureInfo, ProviderInfo
from dom_desk.domain.matrix.drilldown import (
    CellDetail,
    Edit,
    ResultLine,
    cell_detail,
    open_cell,
)
from dom_desk.domain.matrix.view import (
    EVERYTHING,
    PROBLEMS,
    Matrix,
    MatrixFilter,
    MatrixView,
)

__all__ = [
    "EVERYTHING",
    "PROBLEMS",
    "Cell",
    "CellDetail",
    "Edit",
    "Matrix",
    "MatrixFilter",
    "MatrixView",
    "MeasureInfo",
    "ProviderInfo",
    "ResultLine",
    "build",
    "build_matrix",
    "build_previous",
    "cell_detail",
    "open_cell",
]
