"""List importers for what a region starts from: one module per kind of list.

Each kind module (``providers``, ``services``, ``measures``, ``priorities``, ``targets``,
``envelope``, ``agreements``, ``demand``) has:

- ``FIELDS: tuple[FieldSpec, ...]``: the template's columns in order, each with the
  header texts it is known by and a sentence of help;
- ``read(session, path, sheet=None, year_label=None) -> ListPreview``: reads and checks
  the file against the workbook, writing nothing; every problem names file, sheet and
  cell;
- ``apply(session, preview) -> ImportSummary``: writes a preview without errors in the
  caller's one transaction (importing the same file twice changes nothing).

Milestones and risks are read by ``domain.lists_import``, which also holds the shapes
every kind shares (``ListPreview``, ``PreviewRow``, ``RowStatus``, ``ImportSummary``) and
the entry points that pick the module for a kind.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from dom_desk.readers.list_sheets import ListKind

#: The module that reads each kind defined here (milestones and risks are older).
KIND_MODULES: dict[ListKind, str] = {
    ListKind.PROVIDERS: "dom_desk.domain.lists.providers",
    ListKind.SERVICES: "dom_desk.domain.lists.services",
    ListKind.MEASURES: "dom_desk.domain.lists.measures",
    ListKind.PRIORITIES: "dom_desk.domain.lists.priorities",
    ListKind.TARGETS: "dom_desk.domain.lists.targets",
    ListKind.ENVELOPE: "dom_desk.domain.lists.envelope",
    ListKind.AGREEMENTS: "dom_desk.domain.lists.agreements",
    ListKind.DEMAND: "dom_desk.domain.lists.demand",
}


def kind_module(kind: ListKind) -> ModuleType:
    """The module reading ``kind`` (imported on first use: each pulls in its own needs)."""
    return import_module(KIND_MODULES[kind])
