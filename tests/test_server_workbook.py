"""A region on the team server opens by URL and behaves as a workbook (issue 16 item 2).

Each module publishes the demo into a database of its own on the session's private
PostgreSQL server (tests/postgres.py), so the refusals below meet a real server.
"""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from dom_desk.domain import overview
from dom_desk.errors import ConflictError, SerializationConflict, WorkbookError
from dom_desk.storage import server_admin
from dom_desk.storage.retry import retrying
from dom_desk.storage.server import ServerUnavailable
from dom_desk.storage.server_address import parse_address
from dom_desk.storage.workbook import open_workbook


def _new_database(pg_url: str) -> str:
    name = f"db_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return pg_url.rsplit("/", 1)[0].replace("+psycopg", "") + f"/{name}"


@pytest.fixture(scope="module")
def server_url(pg_url: str, demo_file: Path) -> Iterator[str]:
    """A DOM Desk server database holding the demo region (North West)."""
    url = _new_database(pg_url)
    address = parse_address(url)
    server_admin.init_server(address)
    server_admin.publish(demo_file, address)
    yield url


def _region(url: str) -> str:
    return f"{url}?region=north-west"


def test_a_region_opens_by_url_and_reads_as_its_file_does(server_url, demo_file):
    wb = open_workbook(_region(server_url))
    lite = open_workbook(demo_file, read_only=True)
    try:
        assert wb.is_server and wb.name == "North West" and wb.lock is None
        assert wb.location == _region(server_url)
        year = "2009-10"
        assert overview.overview(wb, year) == overview.overview(lite, year)
    finally:
        wb.close()
        lite.close()


def test_a_password_in_the_url_is_never_remembered():
    address = parse_address("postgresql://alice:s3cret@server.example:5433/dom?region=North West")
    assert address.schema == "region_north_west"
    assert "s3cret" not in address.for_recent()
    assert address.for_recent() == "postgresql://alice@server.example:5433/dom?region=north-west"
    with pytest.raises(WorkbookError, match="names no database"):
        parse_address("postgresql://server.example")


def test_a_database_that_is_not_a_dom_desk_server_is_refused_by_sentence(pg_url):
    plain = _new_database(pg_url)
    with pytest.raises(WorkbookError, match="is not a DOM Desk server .*server init"):
        open_workbook(_region(plain))


def test_a_region_the_server_does_not_hold_is_refused_naming_those_it_does(server_url):
    with pytest.raises(WorkbookError, match=r"no region 'wales'.*regions there: north-west"):
        open_workbook(f"{server_url}?region=wales")
    with pytest.raises(WorkbookError, match="Name the region"):
        open_workbook(server_url)


def test_a_region_written_by_a_newer_version_is_refused(pg_url, demo_file):
    url = _new_database(pg_url)
    server_admin.init_server(parse_address(url))
    server_admin.publish(demo_file, parse_address(url))
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE region_north_west.alembic_version SET version_num='9999'"
        )
    engine.dispose()
    with pytest.raises(WorkbookError, match="newer version of DOM Desk"):
        open_workbook(_region(url))


def test_an_older_region_is_upgraded_on_opening(pg_url, demo_file):
    from alembic import command

    from dom_desk.storage import schema

    url = _new_database(pg_url)
    server_admin.init_server(parse_address(url))
    server_admin.publish(demo_file, parse_address(url))
    engine = sa.create_engine(
        url.replace("postgresql://", "postgresql+psycopg://"),
        connect_args={"options": "-csearch_path=region_north_west"},
    )
    with engine.connect() as connection:
        config = schema._alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0010")
        connection.commit()
    wb = open_workbook(_region(url))
    try:
        with engine.connect() as connection:
            revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            assert revision.scalar() == schema.head_revision()
    finally:
        wb.close()
        engine.dispose()


def test_a_server_that_cannot_be_reached_is_one_sentence():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ServerUnavailable, match="Could not reach the server 127.0.0.1"):
        open_workbook(f"postgresql://nobody@127.0.0.1:{port}/dom?region=north-west")


@pytest.fixture(scope="module")
def carol(server_url: str, pg_url: str) -> str:
    """A login that must give its password (tests/postgres.py's PASSWORD_GROUP), an
    editor of North West: its URL, with no password in it."""
    from tests.postgres import PASSWORD_GROUP

    database = server_url.rsplit("/", 1)[1]
    admin = sa.create_engine(
        pg_url.rsplit("/", 1)[0] + f"/{database}", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.exec_driver_sql(
            f"CREATE ROLE carol LOGIN PASSWORD 'Sesame 2009' IN ROLE {PASSWORD_GROUP}"
        )
    admin.dispose()
    server_admin.grant(parse_address(server_url), "carol", "North West")
    host = server_url.split("@", 1)[1]
    return f"postgresql://carol@{host}?region=north-west"


def test_a_login_needing_a_password_is_asked_for_one_and_a_wrong_one_is_refused(carol):
    from dom_desk.storage.server import ServerLoginError

    with pytest.raises(ServerLoginError, match="needs a password for 'carol'"):
        open_workbook(carol)
    wrong = carol.replace("carol@", "carol:guess@")
    with pytest.raises(ServerLoginError, match="refused the password for 'carol'") as refused:
        open_workbook(wrong)
    assert "guess" not in str(refused.value)
    wb = open_workbook(carol.replace("carol@", "carol:Sesame%202009@"))
    try:
        from dom_desk.domain import tables

        (first, *_) = tables.load_rows(wb, "providers", "2009-10")
        tables.update_field(wb, "providers", first.id, "capacity", 432, first.version)
        assert tables.load_row(wb, "providers", first.id).version == first.version + 1
    finally:
        wb.close()


def test_a_pgpass_file_gives_the_password_and_dom_desk_keeps_none(carol, tmp_path, monkeypatch):
    from dom_desk.storage.server_address import parse_address as parsed

    host_port = carol.split("@", 1)[1].split("/", 1)[0]
    host, port = host_port.split(":")
    pgpass = tmp_path / "pgpass.conf"
    pgpass.write_text(f"{host}:{port}:*:carol:Sesame 2009\n")
    pgpass.chmod(0o600)  # libpq ignores a password file others may read
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    wb = open_workbook(carol)
    try:
        assert wb.name == "North West"
        assert "Sesame" not in wb.address.for_recent()
    finally:
        wb.close()
    assert parsed(carol).for_recent() == carol


def test_a_missing_database_or_login_is_one_sentence_naming_it(server_url):
    host = server_url.split("@", 1)[1].split("/", 1)[0]
    user = server_url.split("//", 1)[1].split("@", 1)[0]
    with pytest.raises(WorkbookError, match="There is no database 'nowhere' on the server"):
        open_workbook(f"postgresql://{user}@{host}/nowhere?region=north-west")
    with pytest.raises(WorkbookError, match="has no login for 'ghost' from this computer"):
        open_workbook(server_url.replace(f"{user}@", "ghost@") + "?region=north-west")


def test_a_user_who_may_only_read_is_refused_a_write_by_the_database(server_url, pg_url):
    from dom_desk.domain import tables

    role = f"reader_{uuid.uuid4().hex[:8]}"
    database = server_url.rsplit("/", 1)[1]
    admin = sa.create_engine(
        pg_url.rsplit("/", 1)[0] + f"/{database}", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
        connection.exec_driver_sql(f"GRANT USAGE ON SCHEMA national, region_north_west TO {role}")
        connection.exec_driver_sql(
            f"GRANT SELECT ON ALL TABLES IN SCHEMA national, region_north_west TO {role}"
        )
    admin.dispose()
    host = server_url.split("@", 1)[1]
    wb = open_workbook(f"postgresql://{role}@{host}?region=north-west")
    try:
        (first, *_) = tables.load_rows(wb, "providers", "2009-10")
        with pytest.raises(WorkbookError, match="may read North West .* not change it"):
            tables.update_field(wb, "providers", first.id, "name", "Renamed", first.version)
    finally:
        wb.close()


def test_a_change_that_raced_another_is_refused_whole_then_succeeds_when_tried_again(
    server_url,
):
    """Two editors: the first reads a provider, the second renames it and commits, then
    the first writes what it read. PostgreSQL refuses the first's transaction (a
    serialization failure) naming what it changed; run again, it reads the committed name."""
    from dom_desk.models import Provider

    first = open_workbook(_region(server_url))
    second = open_workbook(_region(server_url))
    read, renamed = threading.Event(), threading.Event()
    attempts: list[str] = []

    def racing_rename() -> None:
        with first.session() as session:
            provider = session.get(Provider, 1)
            attempts.append(provider.name)
            if len(attempts) == 1:
                read.set()
                renamed.wait(10)
            provider.notes = f"seen as {provider.name}"

    def other_editor() -> None:
        read.wait(10)
        with second.session() as session:
            session.get(Provider, 1).name = "Renamed by the other editor"
        renamed.set()

    try:
        other = threading.Thread(target=other_editor)
        other.start()
        with pytest.raises(SerializationConflict, match="same records \\(provider 1\\)"):
            racing_rename()
        other.join()
        retrying(racing_rename)
        assert attempts[-1] == "Renamed by the other editor"
        with first.session() as session:
            assert session.get(Provider, 1).notes == "seen as Renamed by the other editor"
    finally:
        first.close()
        second.close()


def test_a_stale_row_version_is_still_a_conflict_on_the_server(server_url):
    from dom_desk.domain import tables

    wb = open_workbook(_region(server_url))
    try:
        (row, *_) = tables.load_rows(wb, "providers", "2009-10")
        tables.update_field(wb, "providers", row.id, "notes", "first", row.version)
        with pytest.raises(ConflictError):
            tables.update_field(wb, "providers", row.id, "notes", "second", row.version)
    finally:
        wb.close()


def test_save_a_copy_writes_the_region_as_an_ordinary_workbook(server_url, tmp_path):
    wb = open_workbook(_region(server_url))
    target = tmp_path / "snapshot.domdesk"
    try:
        on_server = overview.overview(wb, "2009-10")
        wb.save_copy(target)
        with pytest.raises(WorkbookError, match="already exists"):
            wb.save_copy(target)
    finally:
        wb.close()
    copy = open_workbook(target, read_only=True)
    try:
        assert overview.overview(copy, "2009-10") == on_server
    finally:
        copy.close()
    assert not list(tmp_path.glob("*.partial*"))
