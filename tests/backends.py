"""Which database the workbook fixtures give a test: a file, or a region on a server.

The ``workbook`` and ``demo`` fixtures (tests/conftest.py) take a ``backend``: ``sqlite``
gives a workbook file as always; ``postgresql`` gives the same region on the session's
private PostgreSQL server (tests/postgres.py), opened by its URL as a user would
(``open_workbook(URL)``, a ``ServerWorkbook``). A run chooses with ``--backend``:

    pytest --backend=sqlite       # files only (or DOM_DESK_TEST_BACKEND=sqlite)
    pytest --backend=postgresql   # only the tests that take a workbook, on the server
    pytest --backend=both         # every test; those taking a workbook once on each

``both`` is the default where PostgreSQL's binaries are installed (and under CI), else
``sqlite``, which the run's header says.

With ``both`` a workbook test's id ends in ``[sqlite]`` or ``[postgresql]``; with one
backend ids are unchanged. ``--backend=postgresql`` leaves out tests that take no
workbook (they would only repeat the SQLite pass). A test that only makes sense for a
file (the editing lock, the backups folder, WAL, damaged files, filesystems) is marked
``@pytest.mark.file_only``, its reason in its docstring, and is never run on the server.

Cheap per test: the demo (and the empty North West region) is published once per session
into a template DATABASE; each test gets ``CREATE DATABASE … TEMPLATE`` (a file copy, a
tenth of a second) and the database is dropped after. ``wb.location`` is what to hand the
command line (``--db``): the path of a file, the URL of a region on the server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
CHOICES = (SQLITE, POSTGRESQL, "both")
ENVIRONMENT = "DOM_DESK_TEST_BACKEND"
#: The region every template holds (the demo's and the empty workbook's).
REGION = "north-west"


def default_backend() -> str:
    """Both where PostgreSQL's binaries are here (and always under CI, which installs
    them: a missing server fails there rather than passing untested), else SQLite."""
    from tests.postgres import find_bin_dir

    chosen_here = os.environ.get(ENVIRONMENT)
    if chosen_here:
        return chosen_here
    if os.environ.get("CI") == "true" or find_bin_dir() is not None:
        return "both"
    return SQLITE


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=CHOICES,
        default=default_backend(),
        help="where the workbook fixtures keep the region: sqlite (a file), postgresql "
        "(the test server) or both (the default where PostgreSQL is installed); "
        f"also ${ENVIRONMENT}",
    )


def pytest_report_header(config: pytest.Config) -> str:
    from tests.postgres import find_bin_dir

    backends = chosen(config)
    if backends == (SQLITE,) and find_bin_dir() is None:
        return (
            "workbooks: SQLite only (PostgreSQL 15+ is not installed, so the tests on a "
            "team server do not run: sudo apt-get install postgresql)"
        )
    return f"workbooks: {' and '.join(backends)}"


def chosen(config: pytest.Config) -> tuple[str, ...]:
    value = config.getoption("--backend")
    if value not in CHOICES:
        raise pytest.UsageError(f"--backend must be one of {', '.join(CHOICES)}, not {value!r}")
    return (SQLITE, POSTGRESQL) if value == "both" else (value,)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    backends = chosen(metafunc.config)
    if "backend" in metafunc.fixturenames and len(backends) > 1:
        metafunc.parametrize("backend", backends, indirect=True)


def backend_of(item: pytest.Item) -> str | None:
    """The backend a collected test runs on, or None if it takes no workbook."""
    if "backend" not in getattr(item, "fixturenames", ()):
        return None
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "backend" in callspec.params:
        return callspec.params["backend"]
    return chosen(item.config)[0]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    backends = chosen(config)
    kept, dropped = [], []
    for item in items:
        on = backend_of(item)
        if on == POSTGRESQL and item.get_closest_marker("file_only"):
            dropped.append(item)  # a file's feature: nothing to test on a server
        elif on is None and backends == (POSTGRESQL,):
            dropped.append(item)  # takes no workbook: the SQLite pass runs it
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(name="backend")
def backend_fixture(request: pytest.FixtureRequest) -> str:
    """``sqlite`` or ``postgresql``: where this test's workbook is kept."""
    return getattr(request, "param", None) or chosen(request.config)[0]


class Templates:
    """The session's template databases on the test server, made on first use."""

    def __init__(self, server) -> None:  # noqa: ANN001 - tests.postgres.Server
        self.server = server
        self.made: dict[str, str] = {}

    def admin(self):  # noqa: ANN202 - an AUTOCOMMIT engine on the server's test database
        import sqlalchemy as sa

        return sa.create_engine(self.server.url(), isolation_level="AUTOCOMMIT")

    def template(self, kind: str, source: Path) -> str:
        """The name of a template database holding the workbook ``source`` as a region
        (published by ``server_admin.publish``, as an administrator would)."""
        if kind not in self.made:
            from dom_desk.storage import server_admin
            from dom_desk.storage.server_address import parse_address

            name = f"tmpl_{kind}"
            engine = self.admin()
            try:
                with engine.connect() as connection:
                    connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
                    connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
            finally:
                engine.dispose()
            address = parse_address(self.server.url(name))
            server_admin.init_server(address)
            server_admin.publish(source, address)
            self.made[kind] = name
        return self.made[kind]

    def copy(self, kind: str, source: Path) -> str:
        """A fresh database copied from the template; returns its name."""
        template = self.template(kind, source)
        name = f"t_{kind}_{uuid.uuid4().hex[:10]}"
        engine = self.admin()
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql(
                    f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY'
                )
        finally:
            engine.dispose()
        return name

    def drop(self, name: str) -> None:
        engine = self.admin()
        try:
            with engine.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            engine.dispose()


@pytest.fixture(scope="session")
def pg_templates(pg_server) -> Templates:  # noqa: ANN001
    return Templates(pg_server)


@pytest.fixture(scope="session")
def empty_region_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty North West (2009-10) workbook file, made once, the server's template."""
    from dom_desk.domain.region import create_region
    from dom_desk.storage.workbook import create_workbook

    path = tmp_path_factory.mktemp("empty") / "region.domdesk"
    wb = create_workbook(path)
    try:
        with wb.session() as session:
            create_region(session, "North West", "2009-10")
    finally:
        wb.close()
    return path


def region_url(server, database: str) -> str:  # noqa: ANN001
    return f"{server.url(database)}?region={REGION}"


def server_region(request: pytest.FixtureRequest, kind: str, source: Path) -> Iterator:
    """Yields an open ServerWorkbook on a fresh copy of the template of ``kind``."""
    from dom_desk.storage.workbook import open_workbook

    templates: Templates = request.getfixturevalue("pg_templates")
    database = templates.copy(kind, source)
    try:
        wb = open_workbook(region_url(templates.server, database))
        try:
            yield wb
        finally:
            wb.close()
    finally:
        templates.drop(database)
