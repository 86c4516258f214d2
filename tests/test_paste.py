"""Copy and paste with Excel: whole pastes checked first, bad ones refused with nothing done."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from negotiation_data import build, figures, pounds

from dom_desk.domain import allocations as al
from dom_desk.domain import sla
from dom_desk.domain.paste import (
    PasteError,
    Selection,
    copy_text,
    parse_tsv,
    plan_fill_down,
    plan_paste,
    to_tsv,
    undo_edits,
)

KEYS = [c.key for c in al.COLUMNS]


def grid(wb):
    rows = al.table_rows(al.position(wb))
    return al.COLUMNS, rows


def cell(rows, row_id: int, key: str) -> Selection:
    r = next(i for i, row in enumerate(rows) if row.id == row_id)
    c = KEYS.index(key)
    return Selection(r, c, r, c)


def paste(wb, at: Selection, text: str):
    columns, rows = grid(wb)
    return plan_paste(columns, rows, at, text, label=al.row_label, check=al.check_cell)


def test_excel_clipboard_text_is_read_cell_for_cell() -> None:
    text = 'HMP Kennet\t"Custody places\r\n(adult men)"\t£660,000.00\r\nNacro\t\t87500\r\n'
    assert parse_tsv(text) == [
        ["HMP Kennet", "Custody places\r\n(adult men)", "£660,000.00"],
        ["Nacro", "", "87500"],
    ]
    assert parse_tsv("") == []


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@given(
    st.integers(1, 4).flatmap(
        lambda width: st.lists(
            st.lists(cells, min_size=width, max_size=width), min_size=1, max_size=5
        )
    )
)
def test_copied_text_pastes_back_identically(block) -> None:
    text = to_tsv(block)
    if all(c == "" for row in block for c in row) and len(block) == 1 and len(block[0]) == 1:
        return  # one empty cell copies as nothing, as in Excel
    expected = [[c.replace("\r\n", "\n").replace("\r", "\n") for c in row] for row in block]
    got = [[c.replace("\r\n", "\n").replace("\r", "\n") for c in row] for row in parse_tsv(text)]
    assert got == expected


def test_a_block_from_excel_is_pasted_as_one_batch_and_undone_as_one(workbook) -> None:
    ids = build(workbook)
    before = figures(workbook)
    columns, rows = grid(workbook)
    at = cell(rows, ids.prison_custody_alloc, "provisional")
    edits = paste(workbook, at, "£650,000.00\t640000\r\n")
    assert [(e.key, e.value) for e in edits] == [
        ("provisional", pounds(650_000)),
        ("agreed", pounds(640_000)),
    ]
    changes = al.update_allocations(workbook, edits)
    line = next(x for x in al.position(workbook).lines if x.id == ids.prison_custody_alloc)
    assert (line.provisional, line.agreed) == (pounds(650_000), pounds(640_000))
    al.update_allocations(workbook, undo_edits(changes))
    assert figures(workbook) == before


def test_copy_gives_plain_figures_that_paste_back_unchanged(workbook) -> None:
    build(workbook)
    columns, rows = grid(workbook)
    everything = Selection(0, 0, len(rows) - 1, len(columns) - 1)
    text = copy_text(columns, rows, everything)
    assert "£" not in text and "660000" in text
    # Pasting the whole table back onto itself, worked-out columns included, is harmless.
    assert plan_paste(columns, rows, everything, text, label=al.row_label) == []


def test_one_value_fills_every_selected_cell(workbook) -> None:
    build(workbook)
    columns, rows = grid(workbook)
    c = KEYS.index("provisional")
    unlocked = [i for i, r in enumerate(rows) if not r.values[KEYS.index("status")].locked]
    top = unlocked[0]
    edits = plan_paste(columns, rows, Selection(top, c, top + 1, c), "1000", label=al.row_label)
    assert {e.value for e in edits} == {pounds(1000)} and len(edits) == 2


def test_fill_down_copies_the_top_cell(workbook) -> None:
    ids = build(workbook)
    columns, rows = grid(workbook)
    first = cell(rows, ids.agreement_level_alloc, "baseline")
    below = Selection(first.top, first.left, first.top + 1, first.left)
    assert rows[first.top + 1].id == ids.charity_alloc
    edits = plan_fill_down(columns, rows, below, label=al.row_label, check=al.check_cell)
    assert [(e.row_id, e.value) for e in edits] == [(ids.charity_alloc, pounds(1_000))]


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        (
            "provisional",
            "six hundred",
            r"Row \d \(HMP Kennet, HMP Kennet SLA 2009-10, Custody "
            r"places\), Provisional: 'six hundred' is not an amount",
        ),
        ("agreed", "-5000", r"Row \d \(HMP Kennet, .*\), Agreed: Agreed cannot be negative"),
        ("committed", "1", r"Committed: Committed is worked out, not typed in"),
    ],
)
def test_bad_cells_are_refused_by_name_and_nothing_is_applied(
    workbook, key: str, text: str, message: str
) -> None:
    ids = build(workbook)
    before = figures(workbook)
    columns, rows = grid(workbook)
    at = cell(rows, ids.prison_custody_alloc, "baseline")
    # The block starts with a good baseline; the bad cell comes later in the row.
    block = ["700000"] + ["1"] * (KEYS.index(key) - at.left - 1) + [text]
    with pytest.raises(PasteError, match=message):
        paste(workbook, at, "\t".join(block))
    assert figures(workbook) == before


def test_a_paste_larger_than_the_table_is_refused(workbook) -> None:
    build(workbook)
    before = figures(workbook)
    columns, rows = grid(workbook)
    last = len(rows) - 1
    c = KEYS.index("agreed")
    with pytest.raises(
        PasteError,
        match=(
            r"The clipboard holds 2 rows by 1 column, larger than the table: from Row 5 "
            r"\(.*\), Agreed there is room for only 1 row"
        ),
    ):
        plan_paste(columns, rows, Selection(last, c, last, c), "1\r\n2\r\n", label=al.row_label)
    assert figures(workbook) == before


def test_a_paste_into_a_locked_sla_is_refused(workbook) -> None:
    ids = build(workbook)
    before = figures(workbook)
    columns, rows = grid(workbook)
    with pytest.raises(
        PasteError,
        match=r"HMP Risley.*Agreed: the agreement is signed and "
        r"locked against edits; unlock it first",
    ):
        paste(workbook, cell(rows, ids.signed_alloc, "agreed"), "250000")
    assert figures(workbook) == before


def test_every_problem_is_listed_not_just_the_first(workbook) -> None:
    ids = build(workbook)
    columns, rows = grid(workbook)
    at = cell(rows, ids.prison_custody_alloc, "baseline")
    with pytest.raises(PasteError) as refused:
        paste(workbook, at, "x\ty\tz")
    assert len(refused.value.problems) == 3
    assert str(refused.value).startswith("Nothing was pasted.")


def test_a_negative_volume_pasted_into_an_sla_is_refused(workbook) -> None:
    ids = build(workbook)
    before = figures(workbook)
    ws = sla.workspace(workbook, ids.prison)
    rows = sla.line_rows(ws)
    volume = [c.key for c in sla.LINE_COLUMNS].index("volume")
    with pytest.raises(
        PasteError,
        match=r"Row 2 \(Drug treatment in custody\), Volume: "
        r"Volume cannot be negative",
    ):
        plan_paste(
            sla.LINE_COLUMNS,
            rows,
            Selection(0, volume, 0, volume),
            "31\r\n-4\r\n",
            label=sla.line_label,
            check=sla.line_check(ws),
        )
    assert figures(workbook) == before
