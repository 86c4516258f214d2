"""Backups, the editing lock, and the environment failing under an open workbook."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from dom_desk import backups
from dom_desk.domain.region import region
from dom_desk.errors import WorkbookError
from dom_desk.locking import WorkbookInUse, lock_path, owner
from dom_desk.models import Provider, ProviderKind, Sector
from dom_desk.workbook import open_document, open_workbook


def add_provider(wb, name: str) -> None:
    with wb.session() as session:
        session.add(Provider(name=name, kind=ProviderKind.VCS, sector=Sector.THIRD))


def provider_names(wb) -> list[str]:
    with wb.session() as session:
        return sorted(session.scalars(select(Provider.name)))


def test_backups_are_listed_newest_first_and_pruned(workbook) -> None:
    made = [backups.make_backup(workbook.path, "manual", keep=3) for _ in range(5)]
    listed = backups.list_backups(workbook.path)
    assert [b.path for b in listed] == list(reversed(made[-3:]))
    assert all(b.reason == "manual" for b in listed)


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


def test_opening_for_editing_makes_a_daily_backup_once(workbook) -> None:
    path = workbook.path
    workbook.close()
    first = open_document(path)
    first.close()
    second = open_document(path)
    second.close()
    assert [b.reason for b in backups.list_backups(path)] == ["daily"]


def test_the_second_editor_is_told_who_has_the_workbook(workbook) -> None:
    path = workbook.path
    workbook.close()
    lock_path(path).write_text(
        '{"user": "deputy.dom", "host": "laptop-7", "pid": 1, "since": "2009-11-02T09:30:00"}')
    with pytest.raises(WorkbookInUse, match="deputy.dom on laptop-7"):
        open_document(path)
    viewer = open_document(path, read_only=True)
    assert viewer.read_only
    assert provider_names(viewer) == []
    viewer.close()


def test_a_lock_left_by_a_crashed_process_is_taken_over(workbook) -> None:
    path = workbook.path
    workbook.close()
    import socket

    dead_pid = 2**22 + 12345
    lock_path(path).write_text(
        f'{{"user": "me", "host": "{socket.gethostname()}", "pid": {dead_pid}, '
        '"since": "2009-11-02T09:30:00"}')
    wb = open_document(path)
    assert owner(path).pid == os.getpid()
    wb.close()
    assert not lock_path(path).exists()


def test_a_read_only_view_cannot_write(workbook) -> None:
    path = workbook.path
    workbook.close()
    viewer = open_workbook(path, read_only=True)
    with pytest.raises(WorkbookError, match="read-only"):
        add_provider(viewer, "Nacro")
    viewer.close()


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
            session.add(Provider(name=f"Provider {n} " + "x" * 150,
                                 kind=ProviderKind.VCS, sector=Sector.THIRD))
    event.remove(workbook.engine, "connect", _small_disk)
    workbook.engine.dispose()
    assert provider_names(workbook) == ["Nacro"]


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


def test_integrity_survives_a_reopen_after_many_commits(workbook) -> None:
    for n in range(20):
        add_provider(workbook, f"Provider {n:02d}")
    path = workbook.path
    workbook.close()
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_the_number_of_backups_kept_is_the_users_choice(workbook, capsys) -> None:
    from dom_desk.cli import main

    for _ in range(4):
        backups.make_backup(workbook.path, "manual")
    assert main(["backups", "--db", str(workbook.path), "--keep", "2"]) == 0
    assert len(backups.list_backups(workbook.path)) == 2
    backups.make_backup(workbook.path, "manual")
    assert len(backups.list_backups(workbook.path)) == 2
