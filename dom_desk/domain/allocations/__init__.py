"""The envelope and the allocations of a year: figures, variances, totals and warnings.

Every figure is integer pence and every total is an exact integer sum of the lines it
covers, so the totals by provider, kind, sector and pathway each add up to the grand
totals to the penny. Percentages are worked out for display only, never summed.

By job: :mod:`.position` (the figures and reading them), :mod:`.envelope` (the envelope
as its budget table prints it: groups, subtotals, printed totals, and its edits),
:mod:`.grid` (the tables as grid rows and their edits) and :mod:`.roll_forward`. Every
public name is importable from here.

Functions that take a ``Workbook`` open their own transaction and return plain frozen
dataclasses or rows; names ending in ``_in`` take the ``Session`` of a transaction the
caller already has open (the in-transaction layer other domain code composes, such as
a scenario's accept or the plan), never the window's.
"""

from __future__ import annotations

from dom_desk.domain.allocations.envelope import (
    DEFAULT_TOLERANCE,
    GROUP_FIELDS,
    LINE_FIELDS,
    TOLERANCE_KEY,
    EnvelopeTable,
    PrintedTotal,
    RowKind,
    TableGroup,
    TableLine,
    TableRow,
    TotalStatus,
    create_group,
    create_group_in,
    create_line,
    create_line_in,
    default_tolerance_in,
    delete_group,
    delete_line,
    edit_group,
    edit_line,
    envelope_table,
    envelope_table_in,
    move_group,
    move_line,
    restore_group,
    restore_line,
    restore_snapshot,
    set_default_tolerance,
    table_snapshot,
)
from dom_desk.domain.allocations.grid import (
    COLUMNS,
    ENVELOPE_COLUMNS,
    MONEY,
    check_cell,
    envelope_rows,
    row_label,
    set_envelope_line,
    table_rows,
    update_allocations,
    update_envelope,
)
from dom_desk.domain.allocations.position import (
    DEFAULT_THRESHOLD,
    NO_PATHWAY,
    THRESHOLD_KEY,
    AllocationLine,
    EnvelopeItem,
    GroupTotal,
    Position,
    position,
    position_in,
    set_variance_threshold,
    variance_threshold_in,
)
from dom_desk.domain.allocations.roll_forward import (
    RollForward,
    next_label,
    roll_forward,
    undo_roll_forward,
)

__all__ = [
    "DEFAULT_TOLERANCE",
    "GROUP_FIELDS",
    "LINE_FIELDS",
    "TOLERANCE_KEY",
    "EnvelopeTable",
    "PrintedTotal",
    "RowKind",
    "TableGroup",
    "TableLine",
    "TableRow",
    "TotalStatus",
    "create_group",
    "create_group_in",
    "create_line",
    "create_line_in",
    "default_tolerance_in",
    "delete_group",
    "delete_line",
    "edit_group",
    "edit_line",
    "envelope_table",
    "envelope_table_in",
    "move_group",
    "move_line",
    "restore_group",
    "restore_line",
    "set_default_tolerance",
    "table_snapshot",
    "restore_snapshot",
    "NO_PATHWAY",
    "THRESHOLD_KEY",
    "DEFAULT_THRESHOLD",
    "AllocationLine",
    "GroupTotal",
    "EnvelopeItem",
    "Position",
    "variance_threshold_in",
    "set_variance_threshold",
    "position_in",
    "position",
    "MONEY",
    "COLUMNS",
    "table_rows",
    "row_label",
    "check_cell",
    "update_allocations",
    "set_envelope_line",
    "ENVELOPE_COLUMNS",
    "envelope_rows",
    "update_envelope",
    "RollForward",
    "next_label",
    "roll_forward",
    "undo_roll_forward",
]
