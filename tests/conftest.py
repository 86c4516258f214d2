"""Shared fixtures: a fresh workbook per test, offscreen Qt, a private data folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.backends import (  # noqa: F401 - the --backend option and its fixtures
    backend_fixture,
    empty_region_file,
    pg_templates,
    pytest_addoption,
    pytest_collection_modifyitems,
    pytest_generate_tests,
    server_region,
)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """DOM Desk's data folder (backups, demo, recent files) kept inside the test's folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("DOM_DESK_HOME", str(home))
    return home


@pytest.fixture
def workbook(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> Iterator:
    """An empty region workbook (North West, 2009-10) in a fresh file (or on the test
    server: tests/backends.py)."""
    if backend == "postgresql":
        yield from server_region(request, "empty", request.getfixturevalue("empty_region_file"))
        return
    import shutil

    from dom_desk.domain.region import create_region
    from dom_desk.storage.workbook import FileWorkbook, make_engine

    # A copy of the session's new file, open as create_workbook leaves one (no lock):
    # running every migration per test took a quarter of a second or more.
    path = tmp_path / "region.domdesk"
    shutil.copyfile(request.getfixturevalue("new_workbook_file"), path)
    wb = FileWorkbook(path, make_engine(path))
    with wb.session() as session:
        create_region(session, "North West", "2009-10")
    yield wb
    wb.close()


@pytest.fixture(scope="session")
def new_workbook_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A file just made by create_workbook (the schema, no region), closed; each
    SQLite `workbook` starts from a copy of it."""
    from dom_desk.storage.workbook import create_workbook

    path = tmp_path_factory.mktemp("new") / "new.domdesk"
    create_workbook(path).close()
    assert not Path(f"{path}-wal").exists(), "the file alone must hold the schema"
    return path


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo region built once per run; tests copy it rather than change it."""
    from dom_desk.demo import write_demo

    path = tmp_path_factory.mktemp("demo") / "demo.domdesk"
    write_demo(path)
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> Iterator:
    """A private copy of the demo workbook, open (a file, or a region on the test server:
    tests/backends.py)."""
    if backend == "postgresql":
        yield from server_region(request, "demo", demo_file)
        return
    import shutil

    from dom_desk.storage.workbook import open_workbook

    copy = tmp_path / "demo.domdesk"
    shutil.copyfile(demo_file, copy)
    wb = open_workbook(copy)
    yield wb
    wb.close()


@pytest.fixture(scope="session")
def pg_server() -> Iterator:
    """A private PostgreSQL server for this test session (tests/postgres.py), stopped at
    the end. Skipped, saying why, when none can be started; under CI=true that fails."""
    from tests import postgres

    try:
        server = postgres.start()
    except postgres.NoPostgres as why:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI needs PostgreSQL: {why}")
        pytest.skip(f"no PostgreSQL server: {why}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_url(pg_server) -> str:
    """The SQLAlchemy URL (postgresql+psycopg) of the session's empty test database."""
    return pg_server.url()


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator:
    """An engine whose connections work in a fresh, empty schema, dropped afterwards."""
    import uuid

    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    engine = sa.create_engine(pg_url, connect_args={"options": f"-csearch_path={name}"})
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
    admin.dispose()
