"""Negotiation scenarios: "what if" sets of draft changes, compared, accepted or discarded.

A scenario holds changes to allocations (provisional, agreed), service lines (volume,
unit price) and targets (value, minimum) for one year. Each change remembers the figure it
was drafted against. Comparing a scenario applies its changes to the current figures in
memory and adds them up with the same code as the real position. Accepting writes every
change in one transaction, refusing if any figure has moved since it was drafted, and
returns a record from which the acceptance is undone (and redone) exactly.

By job: :mod:`.subjects` (what a change names), :mod:`.drafts` (scenarios and their
drafts), :mod:`.comparison`, :mod:`.accepting` (accept, undo, redo) and
:mod:`.screen_rows` (the tables the screen shows). Every public name is importable from
here; each public function takes a ``Workbook`` and opens its own transaction.
"""

from __future__ import annotations

from dom_desk.domain.scenarios.accepting import (
    AcceptRecord,
    Applied,
    accept,
    redo_accept,
    undo_accept,
)
from dom_desk.domain.scenarios.comparison import (
    ChangedCell,
    Comparison,
    PairCell,
    PairComparison,
    TotalChange,
    change_summary,
    compare,
    compare_pair,
)
from dom_desk.domain.scenarios.drafts import (
    ScenarioInfo,
    create_scenario,
    delete_scenario,
    discard,
    draft,
    move_money,
    remove_change,
    reopen,
    scenarios,
)
from dom_desk.domain.scenarios.screen_rows import (
    ALLOCATION_COLUMNS,
    LINE_COLUMNS,
    MONEY,
    TABLE_COLUMNS,
    TARGET_COLUMNS,
    ScenarioTables,
    tables_of,
)
from dom_desk.domain.scenarios.subjects import (
    ALLOCATION,
    FIELDS,
    SERVICE_LINE,
    TARGET,
    Described,
    Draft,
    Subject,
)

__all__ = [
    "ALLOCATION",
    "SERVICE_LINE",
    "TARGET",
    "FIELDS",
    "Subject",
    "Draft",
    "Described",
    "ScenarioInfo",
    "create_scenario",
    "scenarios",
    "draft",
    "remove_change",
    "move_money",
    "discard",
    "reopen",
    "delete_scenario",
    "ChangedCell",
    "TotalChange",
    "Comparison",
    "compare",
    "PairCell",
    "PairComparison",
    "compare_pair",
    "change_summary",
    "Applied",
    "AcceptRecord",
    "accept",
    "undo_accept",
    "redo_accept",
    "MONEY",
    "ALLOCATION_COLUMNS",
    "LINE_COLUMNS",
    "TARGET_COLUMNS",
    "TABLE_COLUMNS",
    "ScenarioTables",
    "tables_of",
]
