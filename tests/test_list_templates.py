"""The list templates: the header names the kind's columns, required ones marked, the
header frozen, each column's help in Notes, drop-downs on choice columns; and a template
filled in imports as it stands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dom_desk.domain.lists_import import ListKind, fields_of, import_list
from dom_desk.exports.list_templates import write_list_template

#: One row for each kind, by column title (the template's order is the template's).
FILLED = {
    ListKind.PROVIDERS: {
        "Name": "HMP Leeds",
        "Kind": "Public prison",
        "Sector": "Public",
        "Capacity (places)": 1000,
        "Aliases": "Armley",
    },
    ListKind.SERVICES: {
        "Service": "Approved premises bed",
        "Pathway": "Accommodation",
        "Unit": "place",
        "Target unit cost (£)": 12500,
    },
    ListKind.MEASURES: {
        "Code": "PT 14",
        "Wording": "95% of race and ethnic monitoring data is returned on time",
        "Unit": "%",
        "Direction": "Higher is better",
        "Guidance": "National",
        "National value": 95,
        "Weighting": 10,
        "Reported by providers": "Yes",
    },
    ListKind.PRIORITIES: {"No.": 1, "Priority": "Protecting the Public from Harm"},
    ListKind.MILESTONES: {"Milestone": "Agree 2010-11 SLAs", "Delivery date": "March 2010"},
    ListKind.RISKS: {
        "Risk Ref No": "R1",
        "Risk Descriptions": "Loss of key skills",
        "Likelihood": "H",
        "Impact Rating": "VH",
    },
}


@pytest.mark.parametrize("kind", list(FILLED), ids=lambda k: k.value)
def test_a_template_names_its_columns_with_help_and_drop_downs(kind, tmp_path) -> None:
    path = write_list_template(kind, tmp_path / f"{kind.value}.xlsx")
    book = load_workbook(path)
    sheet = book.worksheets[0]
    specs = fields_of(kind)
    headers = [c.value for c in sheet[1]]
    assert headers == [s.title + (" *" if s.required else "") for s in specs]
    assert sheet.freeze_panes == "A2"
    assert all(sheet.column_dimensions[c.column_letter].width >= 12 for c in sheet[1])
    notes = {row[0]: row[2] for row in book["Notes"].iter_rows(min_row=2, values_only=True)}
    assert all(spec.help in notes[spec.title] for spec in specs if spec.help)
    validated = {
        str(rng).split(":")[0].rstrip("0123456789")
        for dv in sheet.data_validations.dataValidation
        for rng in dv.sqref.ranges
    }
    choices = {sheet.cell(1, i + 1).column_letter for i, s in enumerate(specs) if s.choices}
    assert validated == choices


def test_a_choice_list_keeps_labels_with_commas_whole(tmp_path) -> None:
    book = load_workbook(write_list_template(ListKind.SERVICES, tmp_path / "s.xlsx"))
    (validation,) = book.worksheets[0].data_validations.dataValidation
    column = re.search(r"!\$([A-Z]+)\$", validation.formula1)[1]
    listed = [c.value for c in book["Lists"][column] if c.value]
    assert "Education, training and employment" in listed


@pytest.mark.parametrize("kind", list(FILLED), ids=lambda k: k.value)
def test_a_filled_template_imports(kind, workbook, tmp_path) -> None:
    path = write_list_template(kind, tmp_path / f"{kind.value}.xlsx")
    book = load_workbook(path)
    sheet = book.worksheets[0]
    titles = [str(c.value).removesuffix(" *") for c in sheet[1]]
    for title, value in FILLED[kind].items():
        sheet.cell(2, titles.index(title) + 1, value)
    book.save(path)
    preview, summary = import_list(workbook, Path(path), kind)
    assert not preview.errors
    assert summary is not None and summary.added == 1
    if kind not in (ListKind.MILESTONES, ListKind.RISKS):  # those count re-imports as updates
        _, again = import_list(workbook, Path(path), kind)
        assert again is not None and (again.added, again.updated) == (0, 0)


def test_any_kind_module_works_through_fields_read_and_apply(workbook, tmp_path, monkeypatch):
    """A kind written elsewhere (targets, envelope, agreements) needs only FIELDS, read and
    apply: the template, the preview and the import go through them alone."""
    import sys
    import types

    from dom_desk.domain import lists
    from dom_desk.domain.lists.common import (
        FieldSpec,
        open_sheet,
        record_import,
        refuse_errors,
        status_of,
    )

    module = types.ModuleType("dom_desk.domain.lists.stand_in")
    module.FIELDS = (
        FieldSpec("name", "Line", ("line", "name"), True, "The line."),
        FieldSpec("amount", "Amount (£)", ("amount",), True, "Pounds.", "money"),
    )

    def read(session, path, sheet=None, year_label=None):
        found = open_sheet(path, ListKind.ENVELOPE, module.FIELDS, sheet)
        found.preview.year = year_label or ""
        for row in found.rows():
            row.done(status_of(None, ()), {"amount": row.money("amount", negative=True)})
        return found.preview

    def apply(session, preview):
        refuse_errors(preview)
        return record_import(session, preview, len(preview.records), 0)

    module.read, module.apply = read, apply
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setitem(lists.KIND_MODULES, ListKind.ENVELOPE, module.__name__)
    path = write_list_template(ListKind.ENVELOPE, tmp_path / "envelope.xlsx")
    book = load_workbook(path)
    assert [c.value for c in book.worksheets[0][1]] == ["Line *", "Amount (£) *"]
    book.worksheets[0].append(["Probation grant", "(1.5)"])
    book.worksheets[0].cell(1, 2, "Amount (£m)")
    book.save(path)
    preview, summary = import_list(workbook, Path(path), ListKind.ENVELOPE, year_label="2009-10")
    assert preview.rows[0].values["amount"] == -150_000_000
    assert summary is not None and summary.added == 1
