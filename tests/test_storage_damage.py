"""A damaged workbook and half-written backups, seen from outside: one sentence naming
the newest backup to restore, SQLite's details in the log, nothing changed.

A file's (file_only): damaged SQLite files and half-written backups.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dom_desk.cli import main
from dom_desk.domain.check import check_file
from dom_desk.errors import DamagedWorkbookError
from dom_desk.storage import backups
from dom_desk.storage.workbook import open_workbook

pytestmark = pytest.mark.file_only


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _flip_middle(path: Path, count: int = 4096) -> None:
    """Flips the bits of ``count`` bytes in the middle of the file (a bad sector, a
    scribbling program): the header is intact, a table page is not."""
    data = bytearray(path.read_bytes())
    middle = (len(data) // 2) // 4096 * 4096
    for offset in range(middle, middle + count):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.fixture
def damaged(demo_file: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the demo with its newest backup taken, then its middle flipped."""
    path = tmp_path / "region.domdesk"
    shutil.copyfile(demo_file, path)
    backups.make_backup(path, "daily")
    newest = backups.make_backup(path, "manual")
    _flip_middle(path)
    return path, newest


def _sentence_naming(message: str, newest: Path) -> None:
    text = message.removeprefix("dom-desk: ").strip()
    assert "\n" not in text, text
    assert "damaged" in text and "nothing was changed" in text
    assert newest.name in text  # the backup to restore, by name
    for detail in ("page", "Rowid", "cell", "malformed", "btree"):
        assert detail not in text, text


def test_opening_a_damaged_workbook_names_the_newest_backup(damaged, caplog) -> None:
    path, newest = damaged
    before, beside = _digest(path), sorted(path.parent.iterdir())
    with caplog.at_level(logging.WARNING), pytest.raises(DamagedWorkbookError) as caught:
        open_workbook(path)
    _sentence_naming(str(caught.value), newest)
    assert any("damaged" in r.getMessage() for r in caplog.records)  # details logged
    assert _digest(path) == before
    assert sorted(path.parent.iterdir()) == beside
    # A window offering the restore itself gets the refusal without the advice.
    assert caught.value.newest == newest and newest.name not in caught.value.plain


def test_check_reports_damage_in_one_sentence_naming_the_backup(damaged, capsys) -> None:
    path, newest = damaged
    before = _digest(path)
    (problem,) = check_file(path)
    _sentence_naming(problem, newest)
    code = main(["check", "--db", str(path)])
    out, err = capsys.readouterr()
    assert code != 0 and "Traceback" not in out + err
    lines = (out + err).strip().splitlines()
    _sentence_naming(lines[0], newest)
    assert lines[1:] == [f"dom-desk: 1 problem found in '{path.name}'."]
    assert _digest(path) == before


def test_an_edit_on_a_damaged_workbook_is_one_sentence(damaged, capsys) -> None:
    path, newest = damaged
    before = _digest(path)
    code = main(["tolerance", "--db", str(path), "--measure", "PT 1", "--percent", "5"])
    _, err = capsys.readouterr()
    assert code != 0
    _sentence_naming(err, newest)
    assert _digest(path) == before


def test_damage_with_no_backup_says_so(demo_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "alone.domdesk"
    shutil.copyfile(demo_file, path)
    _flip_middle(path)
    with pytest.raises(DamagedWorkbookError, match="no backup of it"):
        open_workbook(path)


# -- backups that were never finished --------------------------------------------------


def test_half_written_and_unreadable_backups_are_not_listed_but_reported(
    workbook, caplog, capsys
) -> None:
    good = backups.make_backup(workbook.path, "manual")
    folder = good.parent
    cut = folder / good.name.replace("manual", "before-import")
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2 + 100])  # killed mid-copy
    junk = folder / good.name.replace("manual", "daily")
    junk.write_bytes(b"\0" * 10)
    partial = folder / f".{good.name}.1234.partial"
    partial.write_bytes(good.read_bytes()[:4096])

    with caplog.at_level(logging.WARNING):
        listed = backups.list_backups(workbook.path)
    assert [b.path for b in listed] == [good]
    notes = " ".join(listed.unusable)
    for name in (cut.name, junk.name, partial.name):
        assert name in notes
        assert any(name in r.getMessage() for r in caplog.records)

    code = main(["backups", "--db", str(workbook.path)])
    out, err = capsys.readouterr()
    assert code == 0 and str(good) in out and str(cut) not in out
    assert cut.name in err and "not offered" in err


def _backup_then_kill(path: Path, home: Path) -> subprocess.CompletedProcess:
    """A real process that dies (os._exit, as SIGKILL would) in the middle of a backup,
    after SQLite has written part of the copy and before it is renamed into place."""
    code = f"""
import os, sqlite3
from pathlib import Path
from dom_desk.storage import backups
class Dying(sqlite3.Connection):
    def backup(self, target, *args, **kwargs):
        super().backup(target, pages=1, progress=lambda *_: os._exit(9))  # a page, then gone
connect = sqlite3.connect
sqlite3.connect = lambda *args, **kwargs: connect(*args, factory=Dying, **kwargs)
backups.make_backup(Path({str(path)!r}), "before-import")
"""
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DOM_DESK_HOME": str(home)},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_a_backup_killed_half_way_is_never_listed(demo_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "region.domdesk"
    shutil.copyfile(demo_file, path)
    done = _backup_then_kill(path, Path(os.environ["DOM_DESK_HOME"]))
    assert done.returncode == 9, done.stderr
    listed = backups.list_backups(path)
    assert list(listed) == []
    assert any("never finished" in note for note in listed.unusable)


def test_a_sound_workbook_on_a_full_disk_is_never_called_damaged(
    demo_file: Path, tmp_path: Path, capsys
) -> None:
    """Reading a WAL workbook makes SQLite create a shared-memory file beside it; on a
    full disk that fails, and the file must not be called damaged (a DOM would restore)."""
    from filesystems import full_filesystem, snapshot

    with full_filesystem(tmp_path / "disk", "3m", keep=(demo_file,)) as disk:
        path = disk / demo_file.name
        before = snapshot(disk)
        for argv in (
            ["check", "--db", str(path)],
            ["export", "keydates", "--db", str(path), "-o", str(tmp_path / "dates.xlsx")],
        ):
            code = main(argv)
            out, err = capsys.readouterr()
            assert code != 0 and "Traceback" not in out + err
            assert "damaged" not in out + err and "Restore" not in out + err, argv
        assert snapshot(disk) == before
