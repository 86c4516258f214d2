"""The workbook file: created, reopened, and refused when it is not ours or is damaged.

Tests marked file_only are about the file itself (SQLite's PRAGMAs and WAL, damaged and
truncated files, a revision written into the file); the server checks its own region's
revision in tests/test_server_workbook.py.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from dom_desk.domain.region import create_region, region
from dom_desk.errors import WorkbookError
from dom_desk.models import AuditEntry, Base, Provider, ProviderKind, Sector
from dom_desk.storage import backups
from dom_desk.storage.workbook import (
    APPLICATION_ID,
    create_workbook,
    head_revision,
    open_document,
    open_workbook,
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_workbook_is_reopened_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "nw.domdesk"
    wb = create_workbook(path)
    with wb.session() as session:
        create_region(session, "North West", "2009-10")
    wb.close()

    reopened = open_workbook(path)
    with reopened.session() as session:
        assert region(session).name == "North West"
    reopened.close()


@pytest.mark.file_only
def test_connections_use_wal_foreign_keys_and_busy_timeout(workbook) -> None:
    with workbook.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
        assert connection.exec_driver_sql("PRAGMA application_id").scalar() == APPLICATION_ID


def test_migrations_build_exactly_the_models(workbook) -> None:
    with workbook.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, Base.metadata) == []


def test_create_refuses_to_replace_a_file(tmp_path: Path) -> None:
    path = tmp_path / "taken.domdesk"
    path.write_text("important notes")
    with pytest.raises(WorkbookError, match="already exists"):
        create_workbook(path)
    assert path.read_text() == "important notes"


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "budget.domdesk"
    path.write_bytes(b"PK\x03\x04 this is really a spreadsheet")
    before = digest(path)
    with pytest.raises(WorkbookError, match="not a SQLite database"):
        open_workbook(path)
    assert digest(path) == before


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "contacts.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE contact (name TEXT)")
        con.execute("INSERT INTO contact VALUES ('Governor')")
    con.close()
    before = digest(path)
    with pytest.raises(WorkbookError, match="not a DOM Desk workbook"):
        open_workbook(path)
    assert digest(path) == before
    assert not Path(f"{path}-wal").exists()


@pytest.mark.file_only
def test_a_damaged_workbook_is_refused_untouched(workbook, tmp_path: Path) -> None:
    path = workbook.path
    with workbook.session() as session:
        for n in range(300):
            session.add(
                Provider(
                    name=f"Provider {n:03d} " + "x" * 100,
                    kind=ProviderKind.VCS,
                    sector=Sector.THIRD,
                )
            )
    workbook.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, page * 3 + 200):  # scribble over a page of the table
        data[offset] = 0xFF
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(WorkbookError, match="damaged"):
        open_workbook(path)
    assert digest(path) == before


@pytest.mark.file_only
def test_a_truncated_workbook_is_refused_and_nothing_left_beside_it(workbook) -> None:
    """Half a file (a copy cut short on a USB stick): refused, and no SQLite -wal or -shm
    files are left beside it."""
    path = workbook.path
    workbook.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    before = digest(path)
    with pytest.raises(WorkbookError, match="damaged"):
        open_document(path)
    assert digest(path) == before
    assert sorted(p.name for p in path.parent.glob(f"{path.name}*")) == [path.name]


@pytest.mark.file_only
def test_a_workbook_from_a_newer_version_is_refused(workbook) -> None:
    path = workbook.path
    workbook.close()
    with sqlite3.connect(path) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.close()
    before = digest(path)
    with pytest.raises(WorkbookError, match="newer version of DOM Desk"):
        open_workbook(path)
    assert digest(path) == before


def test_missing_file_and_folder_are_reported(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match="no workbook"):
        open_workbook(tmp_path / "absent.domdesk")
    with pytest.raises(WorkbookError, match="folder"):
        open_workbook(tmp_path)


FIXTURES = Path(__file__).parent / "fixtures"


def table_counts(path: Path, tables: list[str]) -> dict[str, int]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema-*.domdesk")), ids=lambda p: p.stem)
def test_a_workbook_of_every_released_schema_is_backed_up_then_upgraded(
    fixture: Path, tmp_path: Path
) -> None:
    path = tmp_path / "old.domdesk"
    shutil.copyfile(fixture, path)
    kept = ["provider", "agreement", "allocation", "measure", "target", "result", "risk"]
    before = table_counts(path, kept)

    wb = open_workbook(path)
    with wb.engine.connect() as connection:
        revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
        assert revision.scalar() == head_revision()
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    with wb.session() as session:
        assert region(session).name == "North West"
    wb.close()

    assert table_counts(path, kept) == before
    backup = [b for b in backups.list_backups(path) if b.reason == "before-upgrade"]
    assert len(backup) == 1
    assert table_counts(backup[0].path, kept) == before


def test_every_change_is_audited_with_old_and_new_values(workbook) -> None:
    with workbook.session() as session:
        provider = Provider(
            name="HMP Manchester",
            kind=ProviderKind.PUBLIC_PRISON,
            sector=Sector.PUBLIC,
            capacity=1000,
        )
        session.add(provider)
    with workbook.session() as session:
        session.scalars(select(Provider)).one().capacity = 1269
    with workbook.session() as session:
        update = session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "provider", AuditEntry.field == "capacity"
            )
        ).one()
        assert (update.action, update.old, update.new) == ("update", "1000", "1269")
        assert update.user
        inserted = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "provider", AuditEntry.action == "insert")
        ).one()
        assert inserted.entity_id == update.entity_id


def test_a_failed_transaction_leaves_nothing_behind(workbook) -> None:
    with pytest.raises(RuntimeError), workbook.session() as session:
        session.add(Provider(name="Half-made", kind=ProviderKind.VCS, sector=Sector.THIRD))
        session.flush()
        raise RuntimeError("disk full")
    with workbook.session() as session:
        assert session.scalars(select(Provider)).all() == []
        assert (
            session.scalars(select(AuditEntry).where(AuditEntry.entity == "provider")).all() == []
        )


def test_save_a_copy_writes_a_complete_workbook(workbook, tmp_path: Path) -> None:
    copy = tmp_path / "copy.domdesk"
    workbook.save_copy(copy)
    reopened = open_workbook(copy)
    with reopened.session() as session:
        assert region(session).name == "North West"
    reopened.close()
    with pytest.raises(WorkbookError):  # a file over itself; a server region over a file
        workbook.save_copy(copy if workbook.is_server else workbook.path)


def test_revisions_read_from_file_names_match_alembics_history() -> None:
    from alembic.script import ScriptDirectory

    from dom_desk.storage.schema import _alembic_config, known_revisions

    script = ScriptDirectory.from_config(_alembic_config())
    assert script.get_heads() == [head_revision()]
    history = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert history == known_revisions()


@pytest.mark.file_only
def test_an_edit_is_in_the_file_itself_while_the_workbook_is_open(workbook, tmp_path) -> None:
    """Someone copying the .domdesk file while DOM Desk has it open (a plain file copy,
    not Save a copy) still gets every edit made so far."""
    import shutil

    with workbook.session() as session:
        session.add(
            Provider(
                name="HMP Garth",
                kind=ProviderKind.PUBLIC_PRISON,
                sector=Sector.PUBLIC,
                capacity=900,
            )
        )
    copy = tmp_path / "copied.domdesk"
    shutil.copyfile(workbook.path, copy)  # the -wal file is not copied
    with sqlite3.connect(copy) as con:
        assert con.execute("SELECT capacity FROM provider WHERE name = 'HMP Garth'").fetchall() == [
            (900,)
        ]
    con.close()
