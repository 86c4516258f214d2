"""Setting up and looking after a team server (issue 16 item 4): ``dom-desk server init,
publish, status, grant``, backups and restore by URL, and the roles' permissions enforced
by PostgreSQL itself.

Every test works in a database of its own on the session's private server
(tests/postgres.py), created from the superuser's connection; the people are real LOGIN
roles connecting by URL, as on a team's server.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from dom_desk.cli import main
from dom_desk.domain import overview, tables
from dom_desk.domain.records.creating import create_provider
from dom_desk.domain.tables.areas import area
from dom_desk.errors import LockedError, WorkbookError
from dom_desk.models import Base
from dom_desk.storage import schema, server_admin, server_roles
from dom_desk.storage.server_address import parse_address
from dom_desk.storage.workbook import open_workbook

YEAR = "2009-10"


def _new_database(pg_url: str) -> str:
    """A fresh, empty database; its URL as a user types it (postgresql://…)."""
    name = f"db_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return pg_url.rsplit("/", 1)[0].replace("+psycopg", "") + f"/{name}"


def _engine(url: str) -> sa.Engine:
    """The superuser's own connection to the database at ``url``, outside DOM Desk."""
    return sa.create_engine(
        url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )


def _scalar(url: str, sql: str, **params: object) -> object:
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text(sql), params).scalar()
    finally:
        engine.dispose()


def _as(url: str, user: str, region: str) -> str:
    """The URL of ``region`` for the login ``user``."""
    host_and_db = url.split("@", 1)[1]
    return f"postgresql://{user}@{host_and_db}?region={region}"


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _login(url: str, group: str) -> str:
    """A new LOGIN role in the group ``group``, made as an administrator would."""
    user = f"u_{uuid.uuid4().hex[:8]}"
    engine = _engine(url)
    with engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE ROLE "{user}" LOGIN IN ROLE "{group}"')
    engine.dispose()
    return user


def _records(url: str, schema_name: str) -> int:
    """Rows in a region's tables but its audit trail, counted here one table at a time."""
    total = 0
    engine = _engine(url)
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name != "audit_entry":
                total += connection.exec_driver_sql(
                    f'SELECT count(*) FROM {schema_name}."{table.name}"'
                ).scalar_one()
    engine.dispose()
    return total


@pytest.fixture(scope="module")
def wales_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second region: a new Wales workbook, as dom-desk new makes it."""
    from dom_desk.domain.region import create_region_workbook

    folder = tmp_path_factory.mktemp("wales")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DOM_DESK_HOME", str(folder / "home"))
        wb = create_region_workbook(folder / "wales.domdesk", "Wales", YEAR)
        wb.close()
    return folder / "wales.domdesk"


@pytest.fixture(scope="module")
def server(pg_url: str, demo_file: Path, wales_file: Path) -> Iterator[str]:
    """A DOM Desk server database holding North West (the demo) and Wales."""
    url = _new_database(pg_url)
    address = parse_address(url)
    server_admin.init_server(address)
    assert server_admin.publish(demo_file, address) == "North West"
    assert server_admin.publish(wales_file, address) == "Wales"
    yield url


def _acls(url: str) -> list[tuple]:
    """Every grant on the server's schemas and tables, and its roles, read directly."""
    engine = _engine(url)
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT n.nspname, n.nspacl::text, c.relname, c.relacl::text FROM pg_namespace n "
            "LEFT JOIN pg_class c ON c.relnamespace = n.oid "
            "WHERE n.nspname = 'national' OR n.nspname LIKE 'region%%' ORDER BY 1, 3"
        ).all()
        roles = connection.exec_driver_sql(
            "SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname LIKE "
            f"'{url.rsplit('/', 1)[1]}%%' ORDER BY 1"
        ).all()
        defaults = connection.exec_driver_sql(
            "SELECT defaclnamespace::regnamespace::text, defaclacl::text FROM pg_default_acl "
            "ORDER BY 1, 2"
        ).all()
    engine.dispose()
    return [*rows, *roles, *defaults]


def test_init_makes_the_server_and_its_roles_and_a_second_init_changes_nothing(
    pg_url, demo_file, capsys
):
    url = _new_database(pg_url)
    database = url.rsplit("/", 1)[1]
    code, out, _ = _cli(capsys, "server", "init", url)
    assert code == 0 and f"{database}_national" in out
    assert _scalar(url, "SELECT to_regclass('national.region') IS NOT NULL")
    assert (
        _scalar(
            url, "SELECT rolcanlogin FROM pg_roles WHERE rolname = :r", r=f"{database}_national"
        )
        is False
    )
    code, out, _ = _cli(capsys, "server", "publish", str(demo_file), url)
    assert code == 0 and "Published North West" in out
    before = _acls(url)
    assert any(row[0] == f"{database}_edit_north_west" for row in before)

    code, out, _ = _cli(capsys, "server", "init", url)
    assert code == 0
    assert out.strip().endswith("nothing changed.") and out.count("\n") == 1
    assert _acls(url) == before


def test_a_region_the_server_holds_is_refused_without_replace_in_one_sentence(
    server, demo_file, capsys
):
    published = "SELECT published_at FROM national.region WHERE schema_name = 'region_north_west'"
    when = _scalar(server, published)
    code, out, err = _cli(capsys, "server", "publish", str(demo_file), server)
    assert code == 1 and out == ""
    assert err.startswith("dom-desk: The server ") and err.count(".") >= 1
    assert "already holds North West" in err and "--replace" in err
    assert len(err.strip().splitlines()) == 1
    assert _scalar(server, published) == when


def test_a_workbook_at_an_older_schema_revision_is_sent_to_be_opened_first(
    pg_url, tmp_path, demo_file
):
    older = tmp_path / "older.domdesk"
    older.write_bytes(demo_file.read_bytes())
    engine = sa.create_engine(f"sqlite:///{older}")
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0010'")
    engine.dispose()
    url = _new_database(pg_url)
    server_admin.init_server(parse_address(url))
    with pytest.raises(WorkbookError, match="is at schema 0010; open it once"):
        server_admin.publish(older, parse_address(url))
    assert _scalar(url, "SELECT count(*) FROM national.region") == 0


_SLOW_PUBLISH = """
import sys, time
from dom_desk.storage import server_admin

copy_rows = server_admin.copy_rows

def copy_then_wait(source, writing):
    copied = copy_rows(source, writing)
    print("copied", flush=True)  # the schema, its tables and rows are in: kill me now
    time.sleep(300)
    return copied

server_admin.copy_rows = copy_then_wait
from dom_desk.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _publish_killed_midway(script: Path, *argv: str) -> None:
    """Runs ``dom-desk server publish`` in a process of its own and kills it (SIGKILL on
    Unix) once every row has been written, before it could commit."""
    process = subprocess.Popen(
        [sys.executable, str(script), "server", "publish", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.strip() == "copied", process.stderr.read()
    finally:
        process.kill()
        process.wait(30)


def test_a_publish_killed_midway_leaves_no_half_region_and_a_replace_killed_leaves_the_old(
    pg_url, demo_file, tmp_path
):
    script = tmp_path / "slow_publish.py"
    script.write_text(_SLOW_PUBLISH)
    url = _new_database(pg_url)
    address = parse_address(url)
    server_admin.init_server(address)

    _publish_killed_midway(script, str(demo_file), url)
    assert _scalar(url, "SELECT count(*) FROM national.region") == 0
    assert not _scalar(url, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'region%'")
    editor = server_roles.editor_role(address, "region_north_west")
    assert not _scalar(url, "SELECT count(*) FROM pg_roles WHERE rolname = :r", r=editor)

    # Nothing was left to be replaced: an ordinary publish goes in.
    server_admin.publish(demo_file, address)
    when = _scalar(url, "SELECT published_at FROM national.region")
    _publish_killed_midway(script, str(demo_file), url, "--replace")
    assert _scalar(url, "SELECT published_at FROM national.region") == when
    wb = open_workbook(f"{url}?region=north-west", read_only=True)
    lite = open_workbook(demo_file, read_only=True)
    try:
        assert overview.overview(wb, YEAR) == overview.overview(lite, YEAR)
    finally:
        wb.close()
        lite.close()


def test_status_lists_the_regions_who_is_connected_and_a_schema_that_is_not_a_region(
    server, capsys
):
    editor = _login(server, server_roles.editor_role(parse_address(server), "region_wales"))
    wb = open_workbook(_as(server, editor, "wales"))
    engine = _engine(server)
    with engine.connect() as connection:
        connection.exec_driver_sql("CREATE SCHEMA region_east_midlands")
    try:
        (provider_count,) = [len(tables.load_rows(wb, "providers", YEAR))]
        code, out, _ = _cli(capsys, "server", "status", server)
    finally:
        wb.close()
        with engine.connect() as connection:
            connection.exec_driver_sql("DROP SCHEMA region_east_midlands")
        engine.dispose()
    assert code == 0 and provider_count == 0
    head = schema.head_revision()
    assert f"North West: schema region_north_west at {head}, published" in out
    assert f"Wales: schema region_wales at {head}, published" in out
    lines = out.splitlines()
    wales = lines[lines.index(next(x for x in lines if x.startswith("  Wales:"))) + 1]
    assert f"{_records(server, 'region_wales'):,} records" in wales
    north_west = f"{_records(server, 'region_north_west'):,} records"
    assert north_west in out
    assert f"  {editor} on " in out  # the Wales editor, connected from this machine
    assert "Not a region: schema region_east_midlands" in out
    assert "region_wales is not" not in out


def test_a_national_reader_reads_every_region_and_the_database_refuses_its_writes(
    server, demo_file
):
    from dom_desk.storage.server import server_failure

    address = parse_address(server)
    reader = _login(server, server_roles.national_role(address))
    wb = open_workbook(_as(server, reader, "north-west"))
    lite = open_workbook(demo_file, read_only=True)
    try:
        assert overview.overview(wb, YEAR) == overview.overview(lite, YEAR)
        (first, *_) = tables.load_rows(wb, "providers", YEAR)
        with pytest.raises(
            WorkbookError, match=r"^You may read North West on the server .* not change it"
        ):
            tables.update_field(wb, "providers", first.id, "name", "Renamed", first.version)
        # Not DOM Desk's refusal but the database's: a plain UPDATE is denied too.
        with pytest.raises(sa.exc.ProgrammingError) as denied, wb.engine.begin() as connection:
            connection.exec_driver_sql("UPDATE provider SET name = 'Renamed'")
        assert "permission denied" in str(denied.value)
        sentence = str(server_failure(denied.value, wb.address))
        assert sentence.startswith("You may read north-west on the server") and sentence.endswith(
            "."
        )
    finally:
        wb.close()
        lite.close()
    wales = open_workbook(_as(server, reader, "wales"))
    try:
        assert overview.overview(wales, YEAR).region == "Wales"
    finally:
        wales.close()


def test_an_editor_of_wales_edits_wales_and_cannot_touch_north_west(server):
    address = parse_address(server)
    editor = _login(server, server_roles.editor_role(address, "region_wales"))
    wb = open_workbook(_as(server, editor, "wales"))
    try:
        made = create_provider(wb, f"Cymru Futures {editor}", "Probation Trust", "Public")
        (row,) = [r for r in tables.load_rows(wb, "providers", YEAR) if r.id == made]
        tables.update_field(wb, "providers", row.id, "name", f"Renamed {editor}", row.version)
    finally:
        wb.close()
    assert (
        _scalar(
            server,
            "SELECT count(*) FROM region_wales.provider WHERE name = :n",
            n=f"Renamed {editor}",
        )
        == 1
    )
    with pytest.raises(WorkbookError, match="^You may not read North West on the server"):
        open_workbook(_as(server, editor, "north-west"))
    engine = sa.create_engine(
        _as(server, editor, "x").split("?")[0].replace("postgresql://", "postgresql+psycopg://")
    )
    try:
        denied = pytest.raises(sa.exc.ProgrammingError, match="permission denied")
        with denied, engine.begin() as connection:
            connection.exec_driver_sql("UPDATE region_north_west.provider SET name = 'x'")
        # Nor may it move its own schema's revision.
        with pytest.raises(sa.exc.ProgrammingError, match="denied"), engine.begin() as connection:
            connection.exec_driver_sql("UPDATE region_wales.alembic_version SET version_num = '9'")
    finally:
        engine.dispose()


def test_grant_puts_a_login_in_a_region_s_editors_and_revoke_takes_it_out(server, capsys):
    address = parse_address(server)
    user = f"u_{uuid.uuid4().hex[:8]}"
    code, _, err = _cli(capsys, "server", "grant", server, user, "--region", "Wales")
    assert code == 1 and f"There is no login '{user}'" in err
    engine = _engine(server)
    with engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE ROLE "{user}" LOGIN')
    engine.dispose()
    members = (
        "SELECT count(*) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
        "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = :u AND g.rolname = :g"
    )
    role = server_roles.editor_role(address, "region_wales")
    code, out, _ = _cli(capsys, "server", "grant", server, user, "--region", "wales")
    assert code == 0 and f"{user} may now edit wales (role {role})." in out
    assert _scalar(server, members, u=user, g=role) == 1
    code, out, _ = _cli(capsys, "server", "grant", server, user, "--region", "wales")
    assert "nothing changed" in out
    code, out, _ = _cli(capsys, "server", "revoke", server, user, "--region", "wales")
    assert code == 0 and _scalar(server, members, u=user, g=role) == 0
    code, _, err = _cli(capsys, "server", "grant", server, user, "--region", "Narnia")
    assert code == 1 and "There is no region 'Narnia'" in err and "Wales" in err


def _agreed_total(url: str) -> int:
    return _scalar(url, "SELECT coalesce(sum(agreed), 0) FROM region_north_west.allocation")


def test_backups_and_restore_by_url_round_trip_the_region_s_figures(pg_url, demo_file, capsys):
    url = _new_database(pg_url)
    address = parse_address(url)
    server_admin.init_server(address)
    server_admin.publish(demo_file, address)
    region = f"{url}?region=north-west"
    total = _agreed_total(url)

    code, out, _ = _cli(capsys, "backups", "--db", region)
    assert code == 0 and "Took a snapshot of" in out
    (backup,) = [Path(line.split("bytes  ", 1)[1]) for line in out.splitlines() if "bytes" in line]
    assert "snapshot" in backup.name and backup.is_file()

    wb = open_workbook(region)
    try:
        agreed = [c.key for c in area("allocations").columns].index("agreed")
        for row in tables.load_rows(wb, "allocations", YEAR):  # the first not signed
            try:
                raised = (row.values[agreed] or 0) + 100_000
                tables.update_field(wb, "allocations", row.id, "agreed", raised, row.version)
                break
            except LockedError:
                continue
        made = create_provider(wb, "Made After The Backup", "Probation Trust", "Public")
        changed = overview.overview(wb, YEAR)
    finally:
        wb.close()
    assert _agreed_total(url) == total + 100_000
    newest = "SELECT max(id) FROM region_north_west.audit_entry"
    mark = _scalar(url, newest)

    code, out, err = _cli(capsys, "restore", "--db", region, str(backup))
    assert code == 0, err
    assert _agreed_total(url) == total
    kept = Path(out.split("is kept at '", 1)[1].rsplit("'", 1)[0])
    restored = open_workbook(region, read_only=True)
    snapshot = open_workbook(backup, read_only=True)
    before_restore = open_workbook(kept, read_only=True)
    try:
        assert overview.overview(restored, YEAR) == overview.overview(snapshot, YEAR)
        assert overview.overview(before_restore, YEAR) == changed
        assert made not in {row.id for row in tables.load_rows(restored, "providers", YEAR)}
    finally:
        restored.close()
        snapshot.close()
        before_restore.close()

    # A window open on the region sees a change (the audit trail grew past its mark, by
    # an entry saying what happened), and no id the replaced region used is given again:
    # not the provider made after the backup, which the restore took away.
    assert _scalar(url, newest) > mark
    assert (
        _scalar(url, "SELECT action FROM region_north_west.audit_entry ORDER BY id DESC LIMIT 1")
        == "replaced"
    )
    wb = open_workbook(region)
    try:
        assert create_provider(wb, "Restored Futures", "Probation Trust", "Public") > made
    finally:
        wb.close()
    code, out, _ = _cli(capsys, "backups", "--db", region)
    reasons = [line.split()[2] for line in out.splitlines() if "bytes" in line]
    assert sorted(reasons) == ["before-restore", "snapshot", "snapshot"]


def test_a_backup_of_another_region_is_refused_and_nothing_changes(server, wales_file, capsys):
    published = "SELECT published_at FROM national.region WHERE schema_name = 'region_north_west'"
    when = _scalar(server, published)
    code, out, err = _cli(capsys, "restore", "--db", f"{server}?region=north-west", str(wales_file))
    assert code == 1 and out == ""
    assert "is a backup of Wales, not of north-west, so nothing was restored" in err
    assert _scalar(server, published) == when


def test_check_by_url_runs_the_domain_s_checks_on_the_server_region(server, capsys):
    code, out, err = _cli(capsys, "check", "--db", f"{server}?region=north-west")
    assert code == 0, err
    assert "North West's figures agree" in out and "server checks its own storage" in out
    code, _, err = _cli(capsys, "check", "--db", f"{server}?region=london")
    assert code == 1 and "no region 'london'" in err


def test_an_older_region_is_upgraded_by_the_administrator_not_by_an_editor(
    pg_url, wales_file, capsys
):
    from alembic import command

    url = _new_database(pg_url)
    address = parse_address(url)
    server_admin.init_server(address)
    server_admin.publish(wales_file, address)
    older = schema.known_revisions()[-2]
    engine = sa.create_engine(
        url.replace("postgresql://", "postgresql+psycopg://"),
        connect_args={"options": "-csearch_path=region_wales"},
    )
    with engine.connect() as connection:
        config = schema._alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, older)
        connection.commit()
    engine.dispose()
    revision = "SELECT version_num FROM region_wales.alembic_version"
    editor = _login(url, server_roles.editor_role(address, "region_wales"))

    with pytest.raises(WorkbookError, match=r"needs upgrading .*\(dom-desk server upgrade\)"):
        open_workbook(_as(url, editor, "wales"))
    assert _scalar(url, revision) == older

    code, out, _ = _cli(capsys, "server", "upgrade", url)
    assert code == 0 and f"Upgraded Wales from schema {older} to {schema.head_revision()}" in out
    assert _scalar(url, revision) == schema.head_revision()
    # The national views were set aside for the migration and made again over Wales.
    for view in ("targets", "allocations", "agreements"):
        definition = _scalar(url, f"SELECT pg_get_viewdef('national.{view}'::regclass)")
        assert "region_wales." in definition
    wb = open_workbook(_as(url, editor, "wales"))
    try:  # the editor writes to the upgraded region, its tables granted again
        assert create_provider(wb, "Cymru Upgraded", "Probation Trust", "Public") > 0
    finally:
        wb.close()
    code, out, _ = _cli(capsys, "server", "upgrade", url)
    assert out.strip() == f"Wales is at schema {schema.head_revision()} already."


def test_a_region_named_through_a_service_file_opens_and_is_remembered_with_it(
    server, tmp_path, monkeypatch
):
    """As a laptop set up from docs/TEAM_SERVER.md: the server's host and port in a
    PostgreSQL service file, the URL naming the service; Open Recent keeps the service."""
    host, port = server.split("@", 1)[1].split("/", 1)[0].split(":")
    services = tmp_path / "pg_service.conf"
    services.write_text(f"[team]\nhost={host}\nport={port}\n")
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    user = server.split("//", 1)[1].split("@", 1)[0]
    database = server.rsplit("/", 1)[1]
    url = f"postgresql://{user}@/{database}?service=team&region=wales"
    remembered = parse_address(url).for_recent()
    assert remembered == url
    wb = open_workbook(remembered, read_only=True)
    try:
        assert wb.name == "Wales"
    finally:
        wb.close()


def test_a_backup_from_an_older_version_is_upgraded_on_a_copy_and_restored(
    pg_url, wales_file, tmp_path, capsys
):
    from alembic import command

    url = _new_database(pg_url)
    address = parse_address(url)
    server_admin.init_server(address)
    server_admin.publish(wales_file, address)
    older = tmp_path / "wales-older.domdesk"
    older.write_bytes(wales_file.read_bytes())
    previous = schema.known_revisions()[-2]
    engine = sa.create_engine(f"sqlite:///{older}")
    with engine.connect() as connection:
        config = schema._alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, previous)
        connection.commit()
    engine.dispose()
    held = older.read_bytes()

    code, _, err = _cli(capsys, "restore", "--db", f"{url}?region=wales", str(older))
    assert code == 0, err
    revision = "SELECT version_num FROM region_wales.alembic_version"
    assert _scalar(url, revision) == schema.head_revision()
    assert older.read_bytes() == held  # the backup itself is left as it was
    wb = open_workbook(f"{url}?region=wales", read_only=True)
    try:
        assert wb.name == "Wales"
    finally:
        wb.close()
