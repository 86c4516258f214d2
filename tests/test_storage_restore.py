"""Restore where the workbook cannot be written: a read-only mount, a file its owner
marked read-only, a folder the user cannot write, a full disk. Refused in one sentence,
and the workbook and every file beside it exactly as before.

A file's (file_only): restoring a backup file onto a workbook file.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from filesystems import fill, read_only_copy, small_filesystem, snapshot

from dom_desk.cli import main
from dom_desk.errors import WorkbookError
from dom_desk.models import Provider, ProviderKind, Sector
from dom_desk.storage import backups

pytestmark = pytest.mark.file_only


def _with_backup(workbook) -> tuple[Path, Path]:
    """The workbook's path (closed) and a backup of it taken before one more edit."""
    backup = backups.make_backup(workbook.path, "manual")
    with workbook.session() as session:
        session.add(Provider(name="After the backup", kind=ProviderKind.VCS, sector=Sector.THIRD))
    workbook.close()
    return workbook.path, backup


def _restore_cli(capsys, path: Path, backup: Path) -> tuple[int, str]:
    code = main(["restore", "--db", str(path), str(backup)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, err


def _one_sentence(message: str) -> None:
    text = message.removeprefix("dom-desk: ").strip()
    assert "\n" not in text and text.endswith("."), text


def test_restore_on_a_read_only_mount_is_refused_and_leaves_nothing(
    workbook, tmp_path: Path, capsys
) -> None:
    path, backup = _with_backup(workbook)
    with read_only_copy(tmp_path / "share", files=(path,)) as share:
        target = share / path.name
        before = snapshot(share)
        with pytest.raises(WorkbookError, match="not restored and nothing was changed"):
            backups.restore(target, backup)
        code, err = _restore_cli(capsys, target, backup)
        assert code != 0 and target.name in err
        _one_sentence(err)
        assert snapshot(share) == before  # no .restoring file, no -wal, nothing
    assert not any(b.reason == "before-restore" for b in backups.list_backups(target))


def test_restore_of_a_file_marked_read_only_is_refused(workbook, capsys) -> None:
    path, backup = _with_backup(workbook)
    path.chmod(stat.S_IREAD)  # what Windows' read-only attribute is to Python
    try:
        before = snapshot(path.parent)
        with pytest.raises(WorkbookError, match="is read-only"):
            backups.restore(path, backup)
        code, err = _restore_cli(capsys, path, backup)
        assert code != 0 and "read-only" in err
        _one_sentence(err)
        assert snapshot(path.parent) == before
    finally:
        path.chmod(stat.S_IREAD | stat.S_IWRITE)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="needs root to run the restore as another user (nobody) who cannot write",
)
def test_restore_by_a_user_who_cannot_write_the_folder_is_refused(workbook) -> None:
    """Run as 'nobody' in a folder everyone may read and only its owner (root) may write."""
    path, backup = _with_backup(workbook)
    # Outside pytest's own temporary folder, which only root may enter.
    place = Path(tempfile.mkdtemp(prefix="dom-desk-theirs-"))
    try:
        folder, home = place / "theirs", place / "nobody-home"
        folder.mkdir()
        home.mkdir()
        target = folder / path.name
        shutil.copyfile(path, target)
        given = home / backup.name
        shutil.copyfile(backup, given)
        for item in (place, folder):
            item.chmod(0o755)
        target.chmod(0o666)  # the file itself they may write: only the folder stops them
        given.chmod(0o644)
        os.chown(home, 65534, 65534)
        before = snapshot(folder)
        done = subprocess.run(
            [sys.executable, "-m", "dom_desk", "restore", "--db", str(target), str(given)],
            capture_output=True,
            text=True,
            env={**os.environ, "DOM_DESK_HOME": str(home), "HOME": str(home)},
            user=65534,
            group=65534,
            check=False,
            timeout=60,
        )
        assert done.returncode != 0, done.stdout
        assert "cannot be written" in done.stderr and "Traceback" not in done.stderr
        _one_sentence(done.stderr)
        assert snapshot(folder) == before
    finally:
        shutil.rmtree(place)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="needs root to run the restore as another user (nobody)",
)
def test_restore_of_a_workbook_the_user_cannot_reach_is_one_sentence(workbook) -> None:
    path, backup = _with_backup(workbook)
    done = subprocess.run(  # pytest's temporary folder: only root may enter it
        [sys.executable, "-m", "dom_desk", "restore", "--db", str(path), str(backup)],
        capture_output=True,
        text=True,
        user=65534,
        check=False,
        timeout=60,
    )
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "permission was refused" in done.stderr
    _one_sentence(done.stderr)


@pytest.mark.parametrize("room", [0, 64 * 1024], ids=["no-room", "room-for-the-lock"])
def test_restore_onto_a_full_disk_is_refused_and_leaves_no_partial_file(
    workbook, tmp_path: Path, capsys, room: int
) -> None:
    path, backup = _with_backup(workbook)
    with small_filesystem(tmp_path / "disk", "2m") as disk:
        target = disk / path.name
        shutil.copyfile(path, target)
        assert target.stat().st_size > room  # the copy cannot fit in what is left
        fill(disk, leave=room)
        before = snapshot(disk)
        code, err = _restore_cli(capsys, target, backup)
        assert code != 0 and "disk is full" in err and target.name in err
        _one_sentence(err)
        assert snapshot(disk) == before
        assert not list(disk.glob("*.restoring"))


@pytest.mark.parametrize("place", ["full", "read-only"])
def test_a_data_folder_that_cannot_be_written_refuses_restore_and_keep(
    workbook, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch, place: str
) -> None:
    """DOM Desk's own data folder (backups, preferences) on a full or read-only disk:
    restore and ``backups --keep`` refused in one sentence, the workbook untouched and the
    preferences file not truncated."""
    from filesystems import full_filesystem

    path, backup = _with_backup(workbook)
    home = Path(os.environ["DOM_DESK_HOME"])
    (home / "preferences.json").write_text('{"backups_keep": 7}', encoding="utf-8")
    kept = (home / "preferences.json",)
    mount = full_filesystem if place == "full" else read_only_copy
    keyword = "keep" if place == "full" else "files"
    with mount(tmp_path / "data", **{keyword: kept}) as data:
        monkeypatch.setenv("DOM_DESK_HOME", str(data))
        before, beside = snapshot(data), snapshot(path.parent)
        code, err = _restore_cli(capsys, path, backup)  # the backup itself is readable
        assert code != 0 and "not restored and nothing was changed" in err
        _one_sentence(err)
        code = main(["backups", "--db", str(path), "--keep", "2"])
        _, err = capsys.readouterr()
        assert code != 0 and "--keep setting was not saved" in err and "Traceback" not in err
        assert snapshot(data) == before
        assert snapshot(path.parent) == beside
        assert (data / "preferences.json").read_text(encoding="utf-8") == '{"backups_keep": 7}'
