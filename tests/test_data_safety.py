"""Backups, the editing lock, and the environment failing under an open workbook.

Most of these are a file's own (file_only: the backups folder, the editing lock, the file
moved, deleted or on a full disk, SQLite's integrity_check); a stale write and a
read-only view are refused on the team server too and run there as well.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from dom_desk.domain.region import region
from dom_desk.errors import WorkbookError
from dom_desk.models import Provider, ProviderKind, Sector
from dom_desk.storage import backups
from dom_desk.storage.locking import WorkbookInUse, lock_path, owner
from dom_desk.storage.workbook import open_document, open_workbook


def add_provider(wb, name: str) -> None:
    with wb.session() as session:
        session.add(Provider(name=name, kind=ProviderKind.VCS, sector=Sector.THIRD))


def provider_names(wb) -> list[str]:
    with wb.session() as session:
        return sorted(session.scalars(select(Provider.name)))


@pytest.mark.file_only
def test_backups_are_listed_newest_first_and_pruned(workbook) -> None:
    made = [backups.make_backup(workbook.path, "manual", keep=3) for _ in range(5)]
    listed = backups.list_backups(workbook.path)
    assert [b.path for b in listed] == list(reversed(made[-3:]))
    assert all(b.reason == "manual" for b in listed)


@pytest.mark.file_only
def test_restore_brings_back_the_backup_and_keeps_the_current_file(workbook) -> None:
    add_provider(workbook, "Nacro")
    backup = backups.make_backup(workbook.path, "manual")
    add_provider(workbook, "Added after the backup")
    path = workbook.path
    workbook.close()

    safety = backups.restore(path, backup)

    restored = open_workbook(path)
    assert provider_names(restored) == ["Nacro"]
    restored.close()
    kept = open_workbook(safety)
    assert provider_names(kept) == ["Added after the backup", "Nacro"]
    kept.close()


@pytest.mark.file_only
def test_a_damaged_workbook_is_restored_and_its_damaged_bytes_kept(workbook) -> None:
    """The usual reason to restore: the file was cut short or scribbled over."""
    add_provider(workbook, "Nacro")
    backup = backups.make_backup(workbook.path, "manual")
    path = workbook.path
    workbook.close()
    damaged = path.read_bytes()[: path.stat().st_size // 2]
    path.write_bytes(damaged)
    with pytest.raises(WorkbookError, match="damaged"):
        open_workbook(path)

    safety = backups.restore(path, backup)

    restored = open_workbook(path)
    assert provider_names(restored) == ["Nacro"]
    restored.close()
    assert safety.read_bytes() == damaged  # kept as it was, for whoever wants to look
    assert not list(path.parent.glob(f".{path.name}.restoring"))


@pytest.mark.file_only
def test_a_damaged_backup_is_not_restored(workbook, tmp_path: Path) -> None:
    add_provider(workbook, "Nacro")
    bad = tmp_path / "bad.domdesk"
    bad.write_bytes(b"not a database at all")
    path = workbook.path
    workbook.close()
    with pytest.raises(WorkbookError):
        backups.restore(path, bad)
    reopened = open_workbook(path)
    assert provider_names(reopened) == ["Nacro"]
    reopened.close()


@pytest.mark.file_only
def test_opening_for_editing_makes_a_daily_backup_once(workbook) -> None:
    path = workbook.path
    workbook.close()
    first = open_document(path)
    first.close()
    second = open_document(path)
    second.close()
    assert [b.reason for b in backups.list_backups(path)] == ["daily"]


@pytest.mark.file_only
def test_the_second_editor_is_told_who_has_the_workbook(workbook) -> None:
    path = workbook.path
    workbook.close()
    lock_path(path).write_text(
        '{"user": "deputy.dom", "host": "laptop-7", "pid": 1, "since": "2009-11-02T09:30:00"}'
    )
    with pytest.raises(WorkbookInUse, match="deputy.dom on laptop-7"):
        open_document(path)
    viewer = open_document(path, read_only=True)
    assert viewer.read_only
    assert provider_names(viewer) == []
    viewer.close()


@pytest.mark.file_only
def test_a_lock_left_by_a_crashed_process_is_taken_over(workbook) -> None:
    path = workbook.path
    workbook.close()
    import socket

    dead_pid = 2**22 + 12345
    lock_path(path).write_text(
        f'{{"user": "me", "host": "{socket.gethostname()}", "pid": {dead_pid}, '
        '"since": "2009-11-02T09:30:00"}'
    )
    wb = open_document(path)
    assert owner(path).pid == os.getpid()
    wb.close()
    assert not lock_path(path).exists()


def test_a_read_only_view_cannot_write(workbook) -> None:
    path = workbook.location
    workbook.close()
    viewer = open_workbook(path, read_only=True)
    with pytest.raises(WorkbookError, match="read-only"):
        add_provider(viewer, "Nacro")
    viewer.close()


@pytest.mark.file_only
def test_a_full_disk_is_reported_and_nothing_is_half_written(workbook) -> None:
    add_provider(workbook, "Nacro")
    raw = workbook.engine.raw_connection()
    try:
        pages = raw.driver_connection.execute("PRAGMA page_count").fetchone()[0]
    finally:
        raw.close()

    from sqlalchemy import event

    @event.listens_for(workbook.engine, "connect")
    def _small_disk(dbapi_connection, _record) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 1}")

    workbook.engine.dispose()
    with pytest.raises(WorkbookError, match="disk is full"), workbook.session() as session:
        for n in range(2000):
            session.add(
                Provider(
                    name=f"Provider {n} " + "x" * 140, kind=ProviderKind.VCS, sector=Sector.THIRD
                )
            )
    event.remove(workbook.engine, "connect", _small_disk)
    workbook.engine.dispose()
    assert provider_names(workbook) == ["Nacro"]


@pytest.mark.file_only
def test_a_workbook_moved_while_open_refuses_further_writes(workbook, tmp_path: Path) -> None:
    add_provider(workbook, "Nacro")
    moved = tmp_path / "moved.domdesk"
    os.rename(workbook.path, moved)
    with pytest.raises(WorkbookError, match="moved, deleted"):
        add_provider(workbook, "Lost edit")
    copy = tmp_path / "rescued.domdesk"
    workbook.save_copy(copy)
    rescued = open_workbook(copy)
    assert provider_names(rescued) == ["Nacro"]
    with rescued.session() as session:
        assert region(session).name == "North West"
    rescued.close()


@pytest.mark.file_only
def test_integrity_survives_a_reopen_after_many_commits(workbook) -> None:
    for n in range(20):
        add_provider(workbook, f"Provider {n:02d}")
    path = workbook.path
    workbook.close()
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


@pytest.mark.file_only
def test_the_number_of_backups_kept_is_the_users_choice(workbook, capsys) -> None:
    from dom_desk.cli import main

    for _ in range(4):
        backups.make_backup(workbook.path, "manual")
    assert main(["backups", "--db", str(workbook.path), "--keep", "2"]) == 0
    assert len(backups.list_backups(workbook.path)) == 2
    backups.make_backup(workbook.path, "manual")
    assert len(backups.list_backups(workbook.path)) == 2


HOLDER = """
import sys
from dom_desk.storage.workbook import open_document
wb = open_document(sys.argv[1])
print("open", flush=True)
sys.stdin.readline()
wb.close()
print("closed", flush=True)
"""


@pytest.mark.file_only
def test_a_second_program_is_told_who_has_the_file_and_cannot_write(workbook) -> None:
    import socket
    import subprocess
    import sys

    from dom_desk.storage.audit import current_user

    add_provider(workbook, "Nacro")
    path = workbook.path
    workbook.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(WorkbookInUse, match=f"{current_user()} on {socket.gethostname()}"):
            open_document(path)
        cli = subprocess.run(
            [sys.executable, "-m", "dom_desk", "import", "--db", str(path), str(path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert cli.returncode == 1 and "is open for editing by" in cli.stderr
        viewer = open_document(path, read_only=True)
        assert provider_names(viewer) == ["Nacro"]
        viewer.close()
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "closed"
        holder.wait(timeout=60)
    editor = open_document(path)  # free again once the first program closed it
    editor.close()


def test_a_write_based_on_a_stale_read_is_refused(workbook) -> None:
    from dom_desk.domain.tables import update_field
    from dom_desk.errors import ConflictError

    add_provider(workbook, "Nacro")
    other = open_workbook(workbook.location)  # a second window on the same region
    with workbook.session() as session:
        nacro = session.scalars(select(Provider)).one()
    update_field(other, "providers", nacro.id, "capacity", 40, nacro.row_version)
    with pytest.raises(ConflictError, match="changed elsewhere"):
        update_field(workbook, "providers", nacro.id, "capacity", 25, nacro.row_version)
    # Interleaved: the other window commits between this one's read and its write.
    with (
        # "saved a change" from a file, "changed the same records" from the server
        pytest.raises(ConflictError, match="Someone else (saved a change|changed the same)"),
        workbook.session() as session,
    ):
        mine = session.get(Provider, nacro.id)
        with other.session() as theirs:
            theirs.get(Provider, nacro.id).contact = "Their change"
        mine.contact = "My change"
    other.close()
    with workbook.session() as session:
        kept = session.get(Provider, nacro.id)
        assert (kept.capacity, kept.contact) == (40, "Their change")


@pytest.mark.file_only
def test_a_workbook_deleted_while_open_refuses_writes_and_can_be_rescued(
    workbook, tmp_path: Path
) -> None:
    from dom_desk.errors import StorageError

    add_provider(workbook, "Nacro")
    os.unlink(workbook.path)
    with pytest.raises(StorageError, match="moved, deleted"):
        add_provider(workbook, "Lost edit")
    workbook.save_copy(tmp_path / "rescued.domdesk")
    rescued = open_workbook(tmp_path / "rescued.domdesk")
    assert provider_names(rescued) == ["Nacro"]
    rescued.close()


@pytest.mark.file_only
def test_an_import_is_backed_up_first(workbook, tmp_path: Path) -> None:
    from returns_support import fill, populate, row_of

    from dom_desk.domain.returns import import_files
    from dom_desk.exports.template_files import make_template
    from dom_desk.readers import returns_format as fmt

    populate(workbook)
    template = make_template(workbook, "HMP Manchester", "2009-10-Q1", tmp_path / "t.xlsx")

    def figures(book) -> None:
        sheet = book[fmt.RETURN_SHEET]
        sheet.cell(row_of(sheet, "PT 2"), 5).value = 7

    assert import_files(workbook, [fill(template, tmp_path / "r.xlsx", figures)]).ok
    (backup,) = backups.list_backups(workbook.path)
    assert backup.reason == "before-import"
    con = sqlite3.connect(backup.path)
    assert con.execute("SELECT count(*) FROM submission").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM provider").fetchone()[0] == 5
    con.close()


@pytest.mark.file_only
def test_an_import_whose_backup_fails_imports_nothing_and_blames_the_backup(
    workbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The backup folder is full: the import is refused in words, and the workbook (which
    is fine) is not reported as failing, so nobody is offered to rescue it."""
    from returns_support import fill, populate, row_of, table_digest

    from dom_desk.domain.returns import import_files
    from dom_desk.errors import StorageError
    from dom_desk.exports.template_files import make_template
    from dom_desk.readers import returns_format as fmt

    populate(workbook)
    template = make_template(workbook, "HMP Manchester", "2009-10-Q1", tmp_path / "t.xlsx")

    def figures(book) -> None:
        book[fmt.RETURN_SHEET].cell(row_of(book[fmt.RETURN_SHEET], "PT 2"), 5).value = 7

    filled = fill(template, tmp_path / "r.xlsx", figures)
    told: list[StorageError] = []
    workbook.storage_failed.append(told.append)

    def full(*_args: object, **_kwargs: object) -> None:
        raise WorkbookError("the disk holding the backups is full.")

    monkeypatch.setattr(backups, "make_backup", full)
    before = table_digest(workbook)
    with pytest.raises(WorkbookError, match="Could not back up") as raised:
        import_files(workbook, [filled])
    assert not isinstance(raised.value, StorageError) and told == []
    assert table_digest(workbook) == before


def _mount(folder: Path, options: str) -> None:
    import subprocess

    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("needs to mount a small file system (run as root)")


def _unmount(folder: Path) -> None:
    import subprocess

    subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="mounts a file system")
@pytest.mark.file_only
def test_a_full_disk_loses_nothing_and_the_workbook_still_opens(workbook, tmp_path) -> None:
    from dom_desk.errors import StorageError

    disk = tmp_path / "disk"
    _mount(disk, "size=2m")
    try:
        add_provider(workbook, "Nacro")
        path = disk / "region.domdesk"
        workbook.save_copy(path)
        wb = open_workbook(path)
        saved = []
        with pytest.raises(StorageError, match="the disk is full"):
            for n in range(10_000):
                with wb.session() as session:
                    session.add(
                        Provider(
                            name=f"Provider {n:05d}",
                            kind=ProviderKind.VCS,
                            sector=Sector.THIRD,
                            notes="x" * 20_000,
                        )
                    )
                saved.append(f"Provider {n:05d}")
        assert saved
        assert provider_names(wb) == sorted(["Nacro", *saved])  # still usable
        wb.close()
        assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        reopened = open_workbook(path)
        assert provider_names(reopened) == sorted(["Nacro", *saved])
        reopened.save_copy(tmp_path / "elsewhere.domdesk")
        reopened.close()
    finally:
        _unmount(disk)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.file_only
def test_a_read_only_folder_opens_read_only_and_is_not_written(workbook, tmp_path) -> None:
    import subprocess

    from dom_desk.domain.check import check_file
    from dom_desk.errors import ReadOnlyLocationError

    add_provider(workbook, "Nacro")
    folder = tmp_path / "share"
    if os.geteuid() == 0:  # root ignores permissions: a read-only mount instead
        _mount(folder, "size=4m")
        workbook.save_copy(folder / "region.domdesk")
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    else:
        folder.mkdir()
        workbook.save_copy(folder / "region.domdesk")
        folder.chmod(0o555)
    path = folder / "region.domdesk"
    try:
        with pytest.raises(ReadOnlyLocationError, match="can only be opened read-only"):
            open_document(path)
        viewer = open_document(path, read_only=True)
        assert provider_names(viewer) == ["Nacro"]
        viewer.close()
        assert check_file(path) == []
        assert sorted(p.name for p in folder.iterdir()) == ["region.domdesk"]
    finally:
        if os.geteuid() == 0:
            _unmount(folder)
        else:
            folder.chmod(0o755)
