"""Importing returns: filled by script the untidy ways providers fill them, then compared
cell by cell with what is stored; repeated files, resubmissions, and close names."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl.styles import Protection
from returns_support import current_results, fill, populate, row_of, stored_figures, table_digest
from sqlalchemy import select, text

from dom_desk.domain.returns import FileState, commit, import_files, preview_files
from dom_desk.domain.returns_rows import RowStatus
from dom_desk.exports.template_files import make_template
from dom_desk.models import AuditEntry, Provider, Result, Submission
from dom_desk.readers import returns_format as fmt
from dom_desk.readers.returns_reader import sha256_of
from dom_desk.storage import audit

ACTUAL, NUMERATOR, DENOMINATOR, COMMENTARY = 5, 6, 7, 8


@pytest.fixture
def region_wb(workbook):
    populate(workbook)
    return workbook


@pytest.fixture
def manchester(region_wb, tmp_path) -> Path:
    return make_template(region_wb, "HMP Manchester", "2009-10-Q1", tmp_path / "mcr.xlsx")


@pytest.fixture
def trust(region_wb, tmp_path) -> Path:
    return make_template(
        region_wb, "Lancashire Probation Trust", "2009-10-Q1", tmp_path / "trust.xlsx"
    )


def _set(sheet, code: str, column: int, value, number_format: str | None = None) -> None:
    cell = sheet.cell(row_of(sheet, code), column)
    cell.value = value
    if number_format:
        cell.number_format = number_format


def test_untidy_figures_are_stored_as_meant(region_wb, manchester, tmp_path) -> None:
    def edit(book):
        sheet = book[fmt.RETURN_SHEET]
        _set(sheet, "PT 1", ACTUAL, 0.04)  # a small percentage stays as typed
        _set(sheet, "PT 2", ACTUAL, " 7.5 % ")  # text with a % sign and stray spaces
        _set(sheet, "PT 3", ACTUAL, 0.82, "0%")  # typed "82%": Excel stores 0.82, 0%
        _set(sheet, "PT 3", COMMENTARY, "  Two hostels closed  ")
        _set(sheet, "PT 6", NUMERATOR, "1,234")  # thousands separator, as text
        _set(sheet, "PT 6", DENOMINATOR, " 130 ")
        _set(sheet, "PT 7", ACTUAL, "n/a")  # no figure this quarter
        book[fmt.COVER_SHEET]["B11"] = "A. Analyst"
        book[fmt.COVER_SHEET]["B15"] = "Yes"

    filled = fill(manchester, tmp_path / "filled.xlsx", edit)
    summary = import_files(region_wb, [filled])
    assert summary.ok, summary.problems()
    assert current_results(region_wb, "HMP Manchester") == {
        "PT 1": (Decimal("0.04"), None, None, ""),
        "PT 2": (Decimal("7.5"), None, None, ""),
        "PT 3": (Decimal("82"), None, None, "Two hostels closed"),
        "PT 6": (Decimal("9.492308"), Decimal("1234"), Decimal("130"), ""),
    }
    with region_wb.session() as session:
        submission = session.scalars(select(Submission)).one()
        assert (submission.completed_by, submission.declared) == ("A. Analyst", True)


def test_bare_fraction_is_read_as_percent_when_the_target_says_so(
    region_wb, trust, tmp_path
) -> None:
    # PM 1 has a 70% target: 0.9 means 90%. PT 3 has no target set: 0.9 still means 90%.
    def edit(book):
        sheet = book[fmt.RETURN_SHEET]
        _set(sheet, "PM 1", ACTUAL, 0.9)
        _set(sheet, "PT 3", ACTUAL, 90)
        _set(sheet, "PT 4", ACTUAL, "2,401")
        _set(sheet, "PT 10", NUMERATOR, 5000)  # a count given as a numerator only

    summary = import_files(region_wb, [fill(trust, tmp_path / "f.xlsx", edit)])
    assert summary.ok, summary.problems()
    stored = current_results(region_wb, "Lancashire Probation Trust")
    assert {k: v[0] for k, v in stored.items()} == {
        "PM 1": Decimal("90"),
        "PT 3": Decimal("90"),
        "PT 4": Decimal("2401"),
        "PT 10": Decimal("5000"),
    }
    assert any("0.9 read as 90%" in note for note in summary.files[0].row_notes)


def test_moved_columns_codes_blank_rows_and_notes_below(region_wb, manchester, tmp_path) -> None:
    def edit(book):
        sheet = book[fmt.RETURN_SHEET]
        sheet.protection.sheet = False  # providers unprotect the sheet to do this
        # Actual moved to the far right, header retyped untidily.
        sheet.cell(1, ACTUAL).value = None
        sheet.cell(1, 10).value = "  ACTUAL "
        sheet.cell(row_of(sheet, "PT 2"), 10).value = 8.1
        sheet.cell(row_of(sheet, "PT 3"), 10).value = 79
        # Codes retyped, blank rows inserted, notes and a total below the table.
        sheet.cell(row_of(sheet, "PT 2"), 1).value = "pt 2"
        sheet.cell(row_of(sheet, "PT 3"), 1).value = "PT3"
        sheet.insert_rows(3, amount=2)
        last = sheet.max_row
        sheet.cell(last + 2, 1).value = "Total"
        sheet.cell(last + 2, 10).value = 87.1
        sheet.cell(last + 3, 2).value = "Figures checked by the deputy governor"

    summary = import_files(region_wb, [fill(manchester, tmp_path / "moved.xlsx", edit)])
    assert summary.ok, summary.problems()
    assert {k: v[0] for k, v in current_results(region_wb, "HMP Manchester").items()} == {
        "PT 2": Decimal("8.1"),
        "PT 3": Decimal("79"),
    }
    assert summary.files[0].counts[RowStatus.IGNORED] == 2


def test_each_stored_value_keeps_its_source(region_wb, manchester, tmp_path) -> None:
    filled = fill(
        manchester,
        tmp_path / "q1 return.xlsx",
        lambda b: _set(b[fmt.RETURN_SHEET], "PT 2", ACTUAL, 6),
    )
    before = audit.now().replace(microsecond=0)
    import_files(region_wb, [filled])
    with region_wb.session() as session:
        result = session.scalars(select(Result)).one()
        assert result.source == "q1 return.xlsx"
        assert result.source_row == 3
        assert result.entered_by and result.entered_at >= before
        assert result.submission.sha256 == sha256_of(filled)
        assert result.submission.file_name == "q1 return.xlsx"
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "import")).one()
        assert "q1 return.xlsx" in entry.note and entry.new == sha256_of(filled)


def test_figures_bulk_stored_keep_the_time_as_the_submission_stores_it(
    region_wb, manchester, tmp_path, monkeypatch
) -> None:
    # On the whole second: the sqlite3 driver's own datetime adapter would drop the
    # ".000000" that SQLAlchemy writes, and the two texts would sort apart.
    monkeypatch.setattr(audit, "now", lambda: datetime(2026, 4, 1, 9, 30))
    filled = fill(
        manchester,
        tmp_path / "q1.xlsx",
        lambda b: _set(b[fmt.RETURN_SHEET], "PT 2", ACTUAL, 6),
    )
    assert import_files(region_wb, [filled]).ok
    with region_wb.session() as session:
        stored = session.execute(text("SELECT entered_at FROM result")).scalar_one()
        received = session.execute(text("SELECT received_at FROM submission")).scalar_one()
        assert stored == received
        assert session.scalars(select(Result.entered_at)).one() == datetime(2026, 4, 1, 9, 30)


def test_the_same_file_twice_changes_nothing_and_says_so(region_wb, manchester, tmp_path) -> None:
    filled = fill(
        manchester, tmp_path / "f.xlsx", lambda b: _set(b[fmt.RETURN_SHEET], "PT 2", ACTUAL, 6)
    )
    assert import_files(region_wb, [filled]).ok
    assert stored_figures(region_wb) == {
        ("HMP Manchester", "PT 2", "2009-10-Q1"): (Decimal("6"), None, None, "f.xlsx")
    }
    before = table_digest(region_wb)
    again = import_files(region_wb, [filled])
    assert again.ok and again.files[0].state is FileState.DUPLICATE
    assert "already imported" in again.files[0].summary()
    # A renamed copy is still the same file.
    copy = tmp_path / "copy of f.xlsx"
    copy.write_bytes(filled.read_bytes())
    assert import_files(region_wb, [copy]).files[0].state is FileState.DUPLICATE
    assert table_digest(region_wb) == before


def test_a_resubmission_supersedes_the_earlier_return(region_wb, manchester, tmp_path) -> None:
    first = fill(
        manchester,
        tmp_path / "first.xlsx",
        lambda b: (
            _set(b[fmt.RETURN_SHEET], "PT 2", ACTUAL, 12),
            _set(b[fmt.RETURN_SHEET], "PT 3", ACTUAL, 70),
        ),
    )
    second = fill(
        manchester,
        tmp_path / "corrected.xlsx",
        lambda b: _set(b[fmt.RETURN_SHEET], "PT 2", ACTUAL, 9),
    )
    assert import_files(region_wb, [first]).ok
    assert stored_figures(region_wb) == {
        ("HMP Manchester", "PT 2", "2009-10-Q1"): (Decimal("12"), None, None, "first.xlsx"),
        ("HMP Manchester", "PT 3", "2009-10-Q1"): (Decimal("70"), None, None, "first.xlsx"),
    }
    summary = import_files(region_wb, [second])
    assert summary.ok
    assert stored_figures(region_wb) == {
        ("HMP Manchester", "PT 2", "2009-10-Q1"): (Decimal("9"), None, None, "corrected.xlsx")
    }
    assert "replacing 'first.xlsx'" in summary.files[0].summary()
    assert current_results(region_wb, "HMP Manchester") == {"PT 2": (Decimal("9"), None, None, "")}
    with region_wb.session() as session:
        old, new = session.scalars(select(Submission).order_by(Submission.id)).all()
        assert old.superseded_by_id == new.id and new.superseded_by_id is None
        kept = session.scalars(select(Result).where(Result.submission_id == old.id)).all()
        assert len(kept) == 2 and all(r.superseded for r in kept)


def test_two_returns_for_one_slot_in_one_import_are_not_both_taken(
    region_wb, manchester, tmp_path
) -> None:
    a = fill(
        manchester, tmp_path / "a.xlsx", lambda b: _set(b[fmt.RETURN_SHEET], "PT 2", ACTUAL, 5)
    )
    b_ = fill(
        manchester, tmp_path / "b.xlsx", lambda b: _set(b[fmt.RETURN_SHEET], "PT 2", ACTUAL, 6)
    )
    summary = import_files(region_wb, [a, b_])
    assert not summary.ok
    assert [f.state for f in summary.files] == [FileState.IMPORTED, FileState.REFUSED]
    assert "second return for HMP Manchester" in summary.files[1].problems[0]


def test_a_close_provider_name_waits_for_confirmation(region_wb, manchester, tmp_path) -> None:
    def edit(book):
        book[fmt.COVER_SHEET]["B4"] = "HMP Manchster"
        _set(book[fmt.RETURN_SHEET], "PT 2", ACTUAL, 6)

    filled = fill(manchester, tmp_path / "typo.xlsx", edit)
    before = table_digest(region_wb)
    unconfirmed = import_files(region_wb, [filled])
    assert unconfirmed.files[0].state is FileState.CONFIRM and not unconfirmed.ok
    assert "close to the registered provider 'HMP Manchester'" in unconfirmed.problems()[0]
    assert table_digest(region_wb) == before

    asked = []
    summary = import_files(region_wb, [filled], confirm=lambda p: asked.append(p) or True)
    assert summary.ok and asked[0].match.name == "HMP Manchester"
    assert current_results(region_wb, "HMP Manchester")["PT 2"][0] == Decimal("6")
    with region_wb.session() as session:
        provider = session.scalars(select(Provider).where(Provider.name == "HMP Manchester"))
        assert "HMP Manchster" in provider.one().aliases.splitlines()


def test_an_exact_name_in_another_case_needs_no_confirmation(
    region_wb, manchester, tmp_path
) -> None:
    def edit(book):
        book[fmt.COVER_SHEET]["B4"] = "  hmp   MANCHESTER "
        _set(book[fmt.RETURN_SHEET], "PT 2", ACTUAL, 6)

    assert import_files(region_wb, [fill(manchester, tmp_path / "f.xlsx", edit)]).ok
    assert stored_figures(region_wb) == {
        ("HMP Manchester", "PT 2", "2009-10-Q1"): (Decimal("6"), None, None, "f.xlsx")
    }


def test_preview_shows_every_row_then_commit_stores_it(region_wb, manchester, tmp_path) -> None:
    def edit(book):
        sheet = book[fmt.RETURN_SHEET]
        _set(sheet, "PT 2", ACTUAL, 0.5)
        _set(sheet, "PT 3", ACTUAL, "81%")

    filled = fill(manchester, tmp_path / "f.xlsx", edit)
    before = table_digest(region_wb)
    (preview,) = preview_files(region_wb, [filled])
    assert table_digest(region_wb) == before
    assert preview.state is FileState.READY
    by_code = {r.measure_code: r for r in preview.rows}
    assert by_code["PT 2"].status is RowStatus.NOTE  # 0.5 read as 50%
    assert by_code["PT 2"].issue_in(fmt.ACTUAL).cell == f"E{row_of_code(filled, 'PT 2')}"
    assert by_code["PT 3"].status is RowStatus.READY and by_code["PT 3"].actual == 81
    assert by_code["PT 1"].status is RowStatus.BLANK

    summary = commit(region_wb, [preview])
    assert summary.ok and summary.files[0].state is FileState.IMPORTED
    assert {k[1]: v[0] for k, v in stored_figures(region_wb).items()} == {
        "PT 2": Decimal("50"),
        "PT 3": Decimal("81"),
    }
    assert preview.state is FileState.READY  # the preview itself is left as it was
    assert {k: v[0] for k, v in current_results(region_wb, "HMP Manchester").items()} == {
        "PT 2": Decimal("50"),
        "PT 3": Decimal("81"),
    }


def row_of_code(path: Path, code: str) -> int:
    from openpyxl import load_workbook

    return row_of(load_workbook(path)[fmt.RETURN_SHEET], code)


def test_a_file_changed_after_preview_is_not_committed(region_wb, manchester, tmp_path) -> None:
    filled = fill(
        manchester, tmp_path / "f.xlsx", lambda b: _set(b[fmt.RETURN_SHEET], "PT 2", ACTUAL, 5)
    )
    (preview,) = preview_files(region_wb, [filled])
    fill(manchester, filled, lambda b: _set(b[fmt.RETURN_SHEET], "PT 2", ACTUAL, 50))
    before = table_digest(region_wb)
    summary = commit(region_wb, [preview])
    assert not summary.ok and "changed" in summary.files[0].problems[0]
    assert table_digest(region_wb) == before


def test_a_folder_imports_every_return_in_it(region_wb, manchester, trust, tmp_path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    fill(manchester, inbox / "mcr.xlsx", lambda b: _set(b[fmt.RETURN_SHEET], "PT 2", ACTUAL, 5))
    fill(trust, inbox / "trust.xlsx", lambda b: _set(b[fmt.RETURN_SHEET], "PT 4", ACTUAL, 9))
    (inbox / "~$mcr.xlsx").write_bytes(b"owner lock file")
    (inbox / "readme.txt").write_text("returns for Q1")
    summary = import_files(region_wb, [inbox])
    assert summary.ok and summary.count(FileState.IMPORTED) == 2
    assert stored_figures(region_wb) == {
        ("HMP Manchester", "PT 2", "2009-10-Q1"): (Decimal("5"), None, None, "mcr.xlsx"),
        ("Lancashire Probation Trust", "PT 4", "2009-10-Q1"): (
            Decimal("9"),
            None,
            None,
            "trust.xlsx",
        ),
    }


def test_dry_run_checks_everything_and_writes_nothing(region_wb, manchester, tmp_path) -> None:
    filled = fill(
        manchester, tmp_path / "f.xlsx", lambda b: _set(b[fmt.RETURN_SHEET], "PT 2", ACTUAL, 5)
    )
    before = table_digest(region_wb)
    summary = import_files(region_wb, [filled], dry_run=True)
    assert summary.ok and summary.files[0].state is FileState.READY
    assert "would import 1 figure" in summary.files[0].summary(dry_run=True)
    assert table_digest(region_wb) == before


def test_unlocked_cells_stay_editable_after_a_round_trip(manchester) -> None:
    # What the provider gets back from Excel keeps the input cells unlocked.
    from openpyxl import load_workbook

    sheet = load_workbook(manchester)[fmt.RETURN_SHEET]
    assert sheet.cell(2, ACTUAL).protection == Protection(locked=False)
