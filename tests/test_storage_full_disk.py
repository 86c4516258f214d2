"""An import when DOM Desk's data folder (where backups go) is on a really full disk:
refused in one sentence before anything is imported, through the API and the command
line, and no half-written backup is left or listed.

A file's (file_only): the backups folder before an import; the server backs up itself.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from filesystems import full_filesystem, snapshot
from returns_support import fill, populate, row_of, table_digest

from dom_desk.cli import main
from dom_desk.domain.returns import import_files
from dom_desk.errors import StorageError, WorkbookError
from dom_desk.exports.template_files import make_template
from dom_desk.readers import returns_format as fmt
from dom_desk.storage import backups

pytestmark = pytest.mark.file_only


def _filled_return(workbook, tmp_path: Path) -> Path:
    populate(workbook)
    template = make_template(workbook, "HMP Manchester", "2009-10-Q1", tmp_path / "t.xlsx")

    def figures(book) -> None:
        book[fmt.RETURN_SHEET].cell(row_of(book[fmt.RETURN_SHEET], "PT 2"), 5).value = 7

    return fill(template, tmp_path / "r.xlsx", figures)


def test_an_import_with_the_backups_on_a_full_disk_imports_nothing(
    workbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    filled = _filled_return(workbook, tmp_path)
    told: list[StorageError] = []
    workbook.storage_failed.append(told.append)
    with full_filesystem(tmp_path / "data") as data:
        monkeypatch.setenv("DOM_DESK_HOME", str(data))
        before, left = table_digest(workbook), snapshot(data)
        with pytest.raises(WorkbookError, match="Could not back up") as raised:
            import_files(workbook, [filled])
        assert "disk is full" in str(raised.value)
        assert not isinstance(raised.value, StorageError) and told == []
        assert table_digest(workbook) == before
        assert snapshot(data) == left  # no half-written backup beside the filler
        path = workbook.path
        workbook.close()

        code = main(["import", "--db", str(path), str(filled)])
        out, err = capsys.readouterr()
        assert code != 0 and "Traceback" not in out + err
        assert "Could not back up" in err and "nothing was imported" in err
        assert snapshot(data) == left
        assert list(backups.list_backups(path)) == []
    assert not os.path.exists(data / ".filler")  # unmounted
