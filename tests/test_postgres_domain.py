"""The domain's queries give the same answers on PostgreSQL as on SQLite (issue 16 item 1).

The demo workbook is copied row for row into a PostgreSQL schema (tests/postgres.py
`copy_into`); the domain's session-level functions are then called on a session of each
and their results compared whole: the same ids, pence, decimals, dates and sentences.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from returns_support import fill, row_of, stored_figures
from sqlalchemy.orm import Session

from dom_desk.cli import main
from dom_desk.domain import keydates, overview
from dom_desk.domain.allocations.position import position_in
from dom_desk.domain.matrix.build import build
from dom_desk.domain.performance import previous_window, resolve_window
from dom_desk.domain.region import current_year, today, year_by_label
from dom_desk.domain.returns import import_files
from dom_desk.domain.scorecard import scorecard_from
from dom_desk.models import Base
from dom_desk.plan.data import gather
from dom_desk.readers import returns_format as fmt
from dom_desk.storage.workbook import WorkbookSession, open_workbook
from tests import postgres


@pytest.fixture(scope="module")
def demo_on_postgres(pg_url: str, demo_file: Path) -> Iterator[sa.Engine]:
    """An engine on a PostgreSQL schema holding a copy of the demo, dropped afterwards."""
    name = f"demo_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    engine = sa.create_engine(pg_url, connect_args={"options": f"-csearch_path={name}"})
    postgres.copy_into(demo_file, engine)
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
    admin.dispose()


@pytest.fixture
def both(demo_file: Path, demo_on_postgres: sa.Engine) -> Iterator[tuple[Session, Session]]:
    """A session on the SQLite demo and one on its PostgreSQL copy, rolled back after."""
    lite = sa.create_engine(f"sqlite:///{demo_file}")
    with Session(lite) as sqlite_session, Session(demo_on_postgres) as pg_session:
        yield sqlite_session, pg_session
        pg_session.rollback()
        sqlite_session.rollback()
    lite.dispose()


class ServerBook:
    """What the domain's workbook-level functions use of a Workbook (``session()``: one
    audited transaction), over a PostgreSQL schema: enough to run them there before the
    real server workbook exists."""

    read_only = False
    is_server = True

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.path = Path(f"postgresql-{engine.url.port}")

    @contextmanager
    def session(self) -> Iterator[Session]:
        with WorkbookSession(self.engine) as session, session.begin():
            session.info["workbook"] = self
            yield session


def _counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            t.name: connection.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in Base.metadata.sorted_tables
        }


def test_the_copy_holds_every_row_and_new_rows_take_fresh_ids(demo_file, demo_on_postgres):
    lite = sa.create_engine(f"sqlite:///{demo_file}")
    try:
        expected = _counts(lite)
    finally:
        lite.dispose()
    assert expected["allocation"] > 0 and expected["result"] > 0
    assert _counts(demo_on_postgres) == expected
    # The sequence was moved past the copied ids: an ordinary insert does not collide.
    table = Base.metadata.tables["audit_entry"]
    with demo_on_postgres.connect() as connection:
        highest = connection.execute(sa.select(sa.func.max(table.c.id))).scalar_one()
        fresh = connection.execute(sa.select(sa.func.nextval(
            sa.func.pg_get_serial_sequence("audit_entry", "id")
        ))).scalar_one()  # fmt: skip
        connection.rollback()
    assert fresh == highest + 1


def test_allocations_position_is_the_same(both):
    lite, pg = both
    year = current_year(lite)
    assert year.label == "2009-10"
    mine = position_in(lite, year)
    theirs = position_in(pg, year_by_label(pg, year.label))
    assert mine.lines and mine.envelope_lines
    assert theirs == mine
    assert theirs.committed == mine.committed == sum(ln.committed for ln in mine.lines)


def test_overview_figures_are_the_same(both):
    lite, pg = both

    def figures(session: Session) -> tuple:
        year = current_year(session)
        now = today(session)
        return (
            overview.allocation_totals_in(session, year.id),
            overview.envelope_total_in(session, year.id),
            overview.latest_month_statuses_in(session, year.id),
            overview.committed_by_kind_in(session, year.id),
            overview.months_of_year_in(session, year.id),
            keydates.upcoming(session, now, 180),
        )

    mine = figures(lite)
    assert mine[0][3] > 0 and mine[4].latest is not None and mine[5]
    assert figures(pg) == mine


def test_key_dates_are_the_same(both):
    lite, pg = both
    mine = keydates.key_dates(lite)
    assert len(mine) > 10
    assert keydates.key_dates(pg) == mine
    now = today(lite)
    assert keydates.buckets(pg, now) == keydates.buckets(lite, now)
    assert {k.when for k in keydates.upcoming(pg, now, 30)} <= {
        now + timedelta(days=d) for d in range(-3650, 31)
    }


def test_performance_matrix_and_scorecard_are_the_same(both):
    lite, pg = both
    for period in (None, "2009-10-Q1", "2009-09", "2009-10"):
        window = resolve_window(lite, period)
        assert resolve_window(pg, period) == window
        mine = build(lite, window)
        theirs = build(pg, window)
        assert mine.cells, f"the demo's matrix for {window.label} has no cells"
        assert theirs == mine
        earlier = previous_window(lite, window)
        assert previous_window(pg, window) == earlier
        before_mine = build(lite, earlier) if earlier else None
        before_theirs = build(pg, earlier) if earlier else None
        assert before_theirs == before_mine
        assert scorecard_from(theirs, before_theirs) == scorecard_from(mine, before_mine)


def test_commissioning_plan_data_is_the_same(both):
    lite, pg = both
    mine = gather(lite, "2009-10", False)
    theirs = gather(pg, "2009-10", False)
    assert mine.position.lines and mine.risks
    assert theirs == mine


PERIOD = "2009-10-Q3"


def test_a_return_imported_on_postgresql_stores_what_sqlite_stores(
    pg_engine, demo_file, tmp_path, capsys, monkeypatch
):
    from dom_desk.storage import backups

    # A file is backed up before an import; a server region is not (the import is one
    # server transaction, and the server's backups are its administrator's).
    asked: list[str] = []
    file_backup = backups.make_backup

    def backup(path, reason):
        asked.append(f"{path.name} {reason}")
        return file_backup(path, reason)

    monkeypatch.setattr(backups, "make_backup", backup)
    lite_path = tmp_path / "demo.domdesk"
    shutil.copyfile(demo_file, lite_path)
    postgres.copy_into(demo_file, pg_engine)  # a fresh schema: this test writes to it
    out_dir = tmp_path / "templates"
    argv = ["template", "--db", str(lite_path), "--provider", "HMP Manchester"]
    assert main([*argv, "--period", PERIOD, "--out-dir", str(out_dir)]) == 0, capsys.readouterr()
    (template,) = out_dir.glob("*.xlsx")
    typed = {"KPI 3": "0.04", "KPI 6": "8.5", "KPI 9": "90"}

    def edit(book) -> None:
        sheet = book[fmt.RETURN_SHEET]
        for code, value in typed.items():
            sheet.cell(row_of(sheet, code), 5).value = value

    filled = fill(template, tmp_path / "manchester q3.xlsx", edit)
    lite = open_workbook(lite_path)
    server = ServerBook(pg_engine)
    try:
        before = stored_figures(lite)
        assert stored_figures(server) == before
        mine = import_files(lite, [filled])
        theirs = import_files(server, [filled])
        assert asked == ["demo.domdesk before-import"]
        assert mine.ok, mine.problems()
        assert theirs.ok and theirs.figures == mine.figures > 0
        after = stored_figures(lite)
        assert after != before
        for code, value in typed.items():
            assert after["HMP Manchester", code, PERIOD][0] == Decimal(value)
        assert stored_figures(server) == after
    finally:
        lite.close()
    # The ids were the database's own: the figures and their audit entries took fresh
    # ones above those copied, in the same order as on SQLite.
    for table in ("result", "submission", "audit_entry"):
        column = Base.metadata.tables[table].c.id
        with lite.engine.connect() as a, pg_engine.connect() as b:
            query = sa.select(sa.func.count(), sa.func.max(column))
            assert b.execute(query).one() == a.execute(query).one(), table


def test_a_years_periods_come_in_the_same_order(both):
    """The year, its first quarter and its first month share a start: they follow the
    order they were made in on both (PostgreSQL would give such ties in any order)."""
    lite, pg = both
    mine = [(p.id, p.code) for p in year_by_label(lite, "2009-10").periods]
    assert mine[:3] == sorted(mine[:3]) and len({p for p in mine}) == 17
    assert [(p.id, p.code) for p in year_by_label(pg, "2009-10").periods] == mine


def test_template_choices_are_the_same(demo_file, demo_on_postgres):
    from dom_desk.domain.returns_templates import suggested_period, template_choices

    lite = open_workbook(demo_file, read_only=True)
    try:
        server = ServerBook(demo_on_postgres)
        mine = template_choices(lite, "2009-10")
        assert mine[1][:2] == ["2009-10", "2009-10-Q1"] and mine[0]
        assert template_choices(server, "2009-10") == mine
        assert suggested_period(server, "2009-10") == suggested_period(lite, "2009-10")
    finally:
        lite.close()


def test_new_records_on_postgresql_take_ids_never_used_and_leave_the_sequence_past_them(
    pg_engine, demo_file
):
    from dom_desk.domain.kinds import Level
    from dom_desk.domain.risks import add_risk
    from dom_desk.models import AuditEntry, Risk

    postgres.copy_into(demo_file, pg_engine)
    server = ServerBook(pg_engine)
    with server.session() as session:
        held = session.scalar(sa.select(sa.func.max(Risk.id)))
        named = session.scalar(
            sa.select(sa.func.max(AuditEntry.entity_id)).where(AuditEntry.entity == "risk")
        )
        first = add_risk(session, "R90", "Court closures", Level.L, Level.H).id
        assert first == max(held, named or 0) + 1
    with server.session() as session:
        session.delete(session.get(Risk, first))
    with server.session() as session:
        second = add_risk(session, "R91", "Estates", Level.M, Level.M).id
        # An ordinary insert after it takes the next id rather than colliding.
        plain = Risk(reference="R92", description="IT", likelihood=Level.L, impact=Level.L)
        session.add(plain)
        session.flush()
        assert first < second < plain.id  # the deleted record's id is not handed out again


def test_records_made_in_one_go_on_postgresql_take_the_same_ids_as_on_sqlite(
    pg_engine, demo_file, tmp_path
):
    """A roll forward makes several priorities (and plan sections) at once: their ids
    follow on from the table's on both, and on PostgreSQL the sequence is left past them,
    so the next record does not collide."""
    from dom_desk.domain.priorities import roll_forward_in
    from dom_desk.models import PlanSection, Priority

    lite_path = tmp_path / "demo.domdesk"
    shutil.copyfile(demo_file, lite_path)
    postgres.copy_into(demo_file, pg_engine)
    lite, server = open_workbook(lite_path), ServerBook(pg_engine)
    try:
        made = []
        for book in (lite, server):
            with book.session() as session:
                roll_forward_in(session, "2009-10")
            with book.session() as session:
                priorities = sa.select(Priority.id, Priority.title).order_by(Priority.id)
                sections = sa.select(PlanSection.id, PlanSection.key).order_by(PlanSection.id)
                made.append((session.execute(priorities).all(), session.execute(sections).all()))
        assert made[1] == made[0]
        assert len(made[0][0]) > len({t for _, t in made[0][0]})  # the copies were made
    finally:
        lite.close()
    with server.session() as session:
        year = year_by_label(session, "2010-11")
        plain = Priority(year_id=year.id, number=99, title="One more")
        session.add(plain)
        session.flush()
        assert plain.id == max(i for i, _ in made[1][0]) + 1
