"""The performance matrix (and its scorecard) to xlsx, for the window and the command line."""

from __future__ import annotations

from pathlib import Path

from dom_desk.domain.matrix import MatrixView
from dom_desk.domain.periods import format_date
from dom_desk.domain.scorecard import Scorecard
from dom_desk.domain.values import Kind
from dom_desk.exports.xlsx_tables import Sheet, write_sheets


def matrix_sheets(
    view: MatrixView, scorecard: Scorecard | None = None, region: str = ""
) -> list[Sheet]:
    """The sheets: the matrix as seen, one row per cell with the figures, the measures and
    their rules, the scorecard, and what the export covers."""
    window = view.matrix.window
    measures = view.measures
    matrix_rows = []
    for r, provider in zip(view.rows, view.providers, strict=True):
        line = view.matrix.cells[r]
        cells = [line[c] for c in view.cols]
        issues = sum(1 for c in cells if c is not None and c.status.severity <= 1)
        matrix_rows.append(
            [
                provider.name,
                provider.kind.label,
                issues,
                *[c.text if c is not None else "n/a" for c in cells],
            ]
        )
    cell_rows = [
        [
            p.name,
            p.kind.label,
            m.code,
            m.title,
            m.unit.label,
            m.aggregation.label,
            c.value,
            c.target,
            c.annual_target,
            c.status.label,
            c.label,
            c.late,
            c.returned,
        ]
        for p, m, c in view.iter_cells()
    ]
    sheets = [
        Sheet(
            "Matrix",
            ["Provider", "Kind", "Issues", *[m.code for m in measures]],
            [Kind.TEXT, Kind.TEXT, Kind.INTEGER, *[Kind.TEXT] * len(measures)],
            matrix_rows,
        ),
        Sheet(
            "Cells",
            [
                "Provider",
                "Kind",
                "Code",
                "Measure",
                "Unit",
                "Year-to-date rule",
                "Actual",
                "Target for the period",
                "Target for the year",
                "Status",
                "Status shown",
                "Late returns",
                "Returns",
            ],
            [Kind.TEXT] * 6
            + [Kind.DECIMAL] * 3
            + [Kind.TEXT, Kind.TEXT, Kind.INTEGER, Kind.INTEGER],
            cell_rows,
        ),
        Sheet(
            "Measures",
            [
                "Code",
                "Measure",
                "Unit",
                "Direction",
                "Scope",
                "Guidance",
                "Rule",
                "Near within (% of target)",
                "Scorecard weighting",
            ],
            [Kind.TEXT] * 7 + [Kind.DECIMAL, Kind.INTEGER],
            [
                [
                    m.code,
                    m.title,
                    m.unit.label,
                    m.direction.label,
                    m.scope.label,
                    m.guidance.label,
                    m.rule,
                    m.tolerance,
                    m.weighting,
                ]
                for m in measures
            ],
        ),
    ]
    if scorecard is not None and scorecard.scores:
        sheets.append(
            Sheet(
                "Scorecard",
                [
                    "Rank",
                    "Provider",
                    "Score (out of 100)",
                    "Weight counted",
                    "Movement",
                    "Score change",
                    "What moved",
                ],
                [
                    Kind.INTEGER,
                    Kind.TEXT,
                    Kind.DECIMAL,
                    Kind.INTEGER,
                    Kind.TEXT,
                    Kind.DECIMAL,
                    Kind.TEXT,
                ],
                [
                    [
                        s.rank,
                        s.provider.name,
                        s.score,
                        s.counted_weight,
                        s.movement,
                        s.score_change,
                        "; ".join(s.changes),
                    ]
                    for s in scorecard.scores
                ],
            )
        )
    about = [
        ["Region", region],
        ["Figures for", window.label],
        ["As of", format_date(window.today)],
        ["Providers shown", str(len(view.rows))],
        ["Measures shown", str(len(view.cols))],
        [
            "Status",
            "Met, Near (within the measure's tolerance), Missed, No target, "
            "Missing (no return by the due date: late), Not yet due",
        ],
    ]
    if scorecard is not None and scorecard.warning:
        about.append(["Scorecard", scorecard.warning])
    sheets.append(Sheet("About", ["Item", "Value"], [Kind.TEXT, Kind.TEXT], about))
    return sheets


def export_matrix(
    path: Path, view: MatrixView, scorecard: Scorecard | None = None, region: str = ""
) -> Path:
    """Writes the matrix workbook to ``path`` (atomically) and returns it."""
    return write_sheets(Path(path), matrix_sheets(view, scorecard, region))
