"""The window's areas as plain data: which rows, which columns, which fields are editable.

The UI shows any area through one generic table model; tests and scripts read and edit
the same rows through ``load_rows`` and ``update_field`` without a window.

- ``spec``: the shapes (``Column``, ``Row``, ``Area``, ``Change``);
- ``areas``: every area's definition (``AREAS``), with ``derived`` (worked-out columns)
  and ``loaders`` (which records, in what order);
- ``rows``: reading rows (``load_rows``, ``load_row``);
- ``editing``: writing fields, each call one transaction (``update_field``,
  ``update_fields``, ``run_action``);
- ``in_transaction``: ``set_field_in``, for domain code that already holds a transaction.
"""

from dom_desk.domain.tables.areas import AREAS, MONEY, area
from dom_desk.domain.tables.editing import FieldEdit, run_action, update_field, update_fields
from dom_desk.domain.tables.in_transaction import set_field_in
from dom_desk.domain.tables.rows import load_row, load_rows
from dom_desk.domain.tables.spec import Area, Change, Column, LoadContext, Row

__all__ = [
    "AREAS",
    "MONEY",
    "Area",
    "Change",
    "Column",
    "FieldEdit",
    "LoadContext",
    "Row",
    "area",
    "load_row",
    "load_rows",
    "run_action",
    "set_field_in",
    "update_field",
    "update_fields",
]
