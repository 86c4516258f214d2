"""The SLA workspace: one provider's agreement for a year, its service lines, its targets
and its status, edited under the rules a negotiation needs.

Agreed and signed agreements are locked: edits are refused until the DOM unlocks the
agreement, an explicit step recorded in the audit trail. A Nationally set target is shown
but not editable; a Regional Minimum target may not be set worse than its floor.

By job: :mod:`.reading` (the workspace as plain items), :mod:`.grid` (its tables as
grid rows and the cell checks), :mod:`.editing` and :mod:`.locking` (status and unlock),
:mod:`.basis` (where a target stands: offered, agreed, not yet set) and
:mod:`.unit_costs` (a line's unit price against its service's target unit cost).
Every public name is importable from here.

Functions that take a ``Workbook`` open their own transaction and return plain frozen
dataclasses or rows; names ending in ``_in`` take the ``Session`` of a transaction the
caller already has open (the in-transaction layer other domain code composes, such as
a scenario's accept or the plan), never the window's.
"""

from __future__ import annotations

from dom_desk.domain.sla.basis import NOT_YET_SET, basis
from dom_desk.domain.sla.editing import (
    add_line,
    primary_agreement_in,
    remove_line,
    set_line_in,
    set_target_in,
    update_lines,
    update_targets,
)
from dom_desk.domain.sla.grid import (
    LINE_COLUMNS,
    TARGET_COLUMNS,
    floor_problem,
    line_check,
    line_label,
    line_rows,
    target_check,
    target_label,
    target_rows,
)
from dom_desk.domain.sla.locking import (
    set_status,
    unlock,
)
from dom_desk.domain.sla.reading import (
    LineItem,
    TargetItem,
    Workspace,
    agreements_for_in,
    find_provider_in,
    measures_for_in,
    providers_with_agreements,
    target_item,
    workspace,
)
from dom_desk.domain.sla.unit_costs import against_target, cost_difference

__all__ = [
    "NOT_YET_SET",
    "basis",
    "against_target",
    "cost_difference",
    "LineItem",
    "TargetItem",
    "Workspace",
    "find_provider_in",
    "agreements_for_in",
    "providers_with_agreements",
    "measures_for_in",
    "target_item",
    "workspace",
    "LINE_COLUMNS",
    "TARGET_COLUMNS",
    "line_rows",
    "target_rows",
    "line_label",
    "target_label",
    "floor_problem",
    "line_check",
    "target_check",
    "set_line_in",
    "update_lines",
    "primary_agreement_in",
    "set_target_in",
    "update_targets",
    "add_line",
    "remove_line",
    "set_status",
    "unlock",
]
