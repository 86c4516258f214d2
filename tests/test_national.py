"""The national view on a real PostgreSQL server: the demo (North West) and Wales
published, every national figure equal to the region's own, the views agreeing with
the domain, and the national role unable to write.

``national_server`` (session-scoped, shared by the other tests/test_national*.py) builds
a fresh database: ``server init``, the demo published, then a Wales built through the
domain's own functions (two providers, an SLA and a contract with money, an envelope, a
milestone and a competition) and published. The two regions differ in every figure, so
a national total that mixed them up would show it.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

WALES_ENVELOPE = [("Welsh Government", 4_000_000_00), ("NOMS", 21_500_000_50)]
#: (provider, kind, sector, agreement, kind, baseline, provisional, agreed) in pence.
WALES_MONEY = [
    (
        "HMP Cardiff",
        "Public prison",
        "Public",
        "Cardiff SLA",
        "SLA",
        9_000_000_00,
        9_100_000_00,
        None,
    ),
    (
        "HMP Cardiff",
        "Public prison",
        "Public",
        "Cardiff resettlement",
        "Contract",
        750_000_00,
        None,
        None,
    ),
    (
        "Wales Probation Trust",
        "Probation Trust",
        "Public",
        "Wales probation SLA",
        "SLA",
        14_250_000_25,
        14_000_000_00,
        13_900_000_75,
    ),
]


@dataclass(frozen=True)
class NationalServer:
    #: postgresql+psycopg://superuser@127.0.0.1:PORT/DB, no region: the whole server.
    url: str
    #: The same database as the read-only national role.
    national_url: str
    demo: Path
    wales: Path
    folder: Path

    def region(self, slug: str, url: str | None = None) -> str:
        return f"{url or self.url}?region={slug}"


def _wales(path: Path) -> Path:
    from dom_desk.demo.data import AS_OF
    from dom_desk.domain import competitions
    from dom_desk.domain.records.creating import (
        create_agreement,
        create_envelope_line,
        create_milestone,
        create_provider,
    )
    from dom_desk.domain.region import create_region_workbook, set_setting
    from dom_desk.domain.tables import update_field
    from dom_desk.models import Allocation, CompetitionKind

    wb = create_region_workbook(path, "Wales", "2009-10")
    try:
        with wb.session() as session:  # working on the demo's date, as North West is
            set_setting(session, "as_of", AS_OF)
        for source, pence in WALES_ENVELOPE:
            create_envelope_line(wb, source, pence, "2009-10")
        providers: dict[str, int] = {}
        for provider, pkind, sector, title, akind, base, prov, agreed in WALES_MONEY:
            if provider not in providers:
                providers[provider] = create_provider(wb, provider, pkind, sector)
            agreement = create_agreement(wb, providers[provider], title, akind, "2009-10")
            with wb.session() as session:
                allocation = session.scalar(
                    sa.select(Allocation.id).where(Allocation.agreement_id == agreement)
                )
            for key, value in (("baseline", base), ("provisional", prov), ("agreed", agreed)):
                if value is not None:
                    update_field(wb, "allocations", allocation, key, value)
        create_milestone(
            wb, "Welsh reducing reoffending strategy agreed", "W1", due_text="December 2009"
        )
        with wb.session() as session:
            competitions.create_competition(
                session,
                "HMP Cardiff resettlement",
                CompetitionKind.MARKET_TEST,
                expiry="31/03/2011",
            )
    finally:
        wb.close()
    return path


def build_server(pg_server, demo_file: Path, folder: Path) -> NationalServer:
    """A fresh database on the test server with the demo and Wales published, and a
    login in its read-only national role."""
    from dom_desk.storage import server_admin
    from dom_desk.storage.server_address import parse_address

    database = f"national_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(pg_server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{database}"')
    admin.dispose()
    url = pg_server.url(database)
    address = parse_address(url)
    server_admin.init_server(address)
    demo = folder / "demo.domdesk"
    shutil.copyfile(demo_file, demo)
    wales = _wales(folder / "wales.domdesk")
    server_admin.publish(demo, address)
    server_admin.publish(wales, address)
    login = _national_login(url, database)
    national_url = url.replace("dom_desk_test@", f"{login}@", 1)
    return NationalServer(url, national_url, demo, wales, folder)


def _national_login(url: str, database: str) -> str:
    """A login in the server's read-only group role ``<database>_national``; the role's
    rights made here too (read every region's schema and the national views, nothing
    more), as server init grants them (harmless when it already has)."""
    from dom_desk.storage.national_views import published_regions, refresh_views

    role, login = f"{database}_national", f"{database}_hq"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        if not connection.exec_driver_sql(
            f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'"
        ).first():
            connection.exec_driver_sql(f"CREATE ROLE {role} NOLOGIN")
        connection.exec_driver_sql(f"CREATE ROLE {login} LOGIN IN ROLE {role}")
        connection.exec_driver_sql(f"GRANT USAGE ON SCHEMA national TO {role}")
        connection.exec_driver_sql(f"GRANT SELECT ON national.region TO {role}")
        for schema, _name in published_regions(connection):
            connection.exec_driver_sql(f'GRANT USAGE ON SCHEMA "{schema}" TO {role}')
            connection.exec_driver_sql(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO {role}')
        # Made again, the views are granted to the role by refresh_views itself.
        refresh_views(connection, role)
    engine.dispose()
    return login


@pytest.fixture(scope="session")
def national_server(pg_server, demo_file: Path, tmp_path_factory) -> Iterator[NationalServer]:
    yield build_server(pg_server, demo_file, tmp_path_factory.mktemp("national"))


@pytest.fixture(scope="session")
def picture(national_server: NationalServer):
    from dom_desk.domain.national import national_picture

    return national_picture(national_server.national_url, "2009-10")


def _own(path: Path, year: str = "2009-10"):
    """A region's own figures, from its own workbook file with its own functions."""
    from dom_desk.domain.matrix.build import build_matrix
    from dom_desk.domain.overview import overview
    from dom_desk.storage.workbook import open_workbook

    wb = open_workbook(path, read_only=True)
    try:
        return overview(wb, year), build_matrix(wb, year=year).counts()
    finally:
        wb.close()


def test_every_region_is_shown_by_name_for_the_year(picture, national_server) -> None:
    assert [r.region for r in picture.regions] == ["North West", "Wales"]
    assert [r.slug for r in picture.regions] == ["north-west", "wales"]
    assert picture.year == "2009-10"
    assert picture.problems == []
    assert picture.server.endswith(national_server.url.rsplit("/", 1)[1])
    assert "@" not in picture.server and "?region" not in picture.server


def test_money_equals_each_regions_own_overview(picture, national_server) -> None:
    by_name = {r.region: r for r in picture.regions}
    for name, path in (("North West", national_server.demo), ("Wales", national_server.wales)):
        own, _counts = _own(path)
        mine = by_name[name]
        assert (mine.envelope, mine.baseline, mine.provisional, mine.agreed, mine.committed) == (
            own.envelope,
            own.baseline,
            own.provisional,
            own.agreed,
            own.committed,
        ), name
        assert mine.headroom == own.headroom
    # Wales worked out by hand from what was put in: committed is agreed, else
    # provisional, else baseline, line by line.
    wales = by_name["Wales"]
    assert wales.envelope == 4_000_000_00 + 21_500_000_50
    assert wales.committed == 9_100_000_00 + 750_000_00 + 13_900_000_75
    assert wales.baseline == 9_000_000_00 + 750_000_00 + 14_250_000_25
    assert picture.total("committed") == by_name["North West"].committed + wales.committed
    assert picture.total("envelope") == by_name["North West"].envelope + wales.envelope
    assert by_name["North West"].committed != wales.committed


def test_targets_equal_each_regions_own_matrix(picture, national_server) -> None:
    from dom_desk.domain.status import Status

    by_name = {r.region: r for r in picture.regions}
    for name, path in (("North West", national_server.demo), ("Wales", national_server.wales)):
        _own_overview, counts = _own(path)
        assert by_name[name].statuses == dict(counts), name
    north_west = by_name["North West"]
    assert north_west.count(Status.MET) > 0 and north_west.count(Status.MISSED) > 0
    assert picture.status_total(Status.MET) == sum(r.count(Status.MET) for r in picture.regions)


def test_key_dates_and_competitions_are_each_regions_own(picture, national_server) -> None:
    from dom_desk.domain.competitions import timetable
    from dom_desk.storage.workbook import open_workbook

    for name, path in (("North West", national_server.demo), ("Wales", national_server.wales)):
        own, _counts = _own(path)
        mine = [d.key for d in picture.key_dates if d.region == name]
        assert sorted(mine, key=lambda k: k.key) == sorted(own.key_dates, key=lambda k: k.key)
        wb = open_workbook(path, read_only=True)
        with wb.session() as session:
            subjects = [row.subject for row in timetable(session)]
        wb.close()
        mine_subjects = [c.row.subject for c in picture.competitions if c.region == name]
        assert sorted(mine_subjects) == sorted(subjects) and subjects, name
    whens = [d.key.when for d in picture.key_dates]
    assert whens == sorted(whens)
    cardiff = next(c for c in picture.competitions if c.region == "Wales")
    assert cardiff.row.subject == "HMP Cardiff resettlement"
    assert cardiff.row.expiry_date == date(2011, 3, 31)
    assert any(d.region == "Wales" and "reoffending" in d.key.what for d in picture.key_dates)


def test_the_views_agree_with_the_domain(picture, national_server) -> None:
    from dom_desk.domain.national import committed_by_service, money_from_views

    views = money_from_views(national_server.national_url, "2009-10")
    assert set(views) == {"North West", "Wales"}
    for region in picture.regions:
        seen = views[region.region]
        assert (seen.envelope, seen.baseline, seen.provisional, seen.agreed, seen.committed) == (
            region.envelope,
            region.baseline,
            region.provisional,
            region.agreed,
            region.committed,
        ), region.region
    services = committed_by_service(national_server.national_url, "2009-10")
    for region in picture.regions:
        assert sum(s.by_region.get(region.region, 0) for s in services) == region.committed
    totals = [s.total for s in services]
    assert totals == sorted(totals, reverse=True)


def test_the_views_hold_every_region_with_a_region_column(national_server) -> None:
    from dom_desk.storage.national_views import view_names

    engine = sa.create_engine(national_server.national_url)
    with engine.connect() as connection:
        for view in view_names():
            regions = (
                connection.exec_driver_sql(
                    f"SELECT DISTINCT region FROM national.{view} ORDER BY 1"
                )
                .scalars()
                .all()
            )
            # Wales has no measures yet, so no targets and no results.
            wales = [] if view in ("targets", "results") else ["Wales"]
            assert regions == ["North West", *wales], view
        milestones = (
            connection.exec_driver_sql(
                "SELECT due_text FROM national.milestones WHERE region = 'Wales'"
            )
            .scalars()
            .all()
        )
        targets = connection.exec_driver_sql(
            "SELECT count(*) FROM national.targets WHERE region = 'North West'"
        ).scalar()
    engine.dispose()
    assert milestones == ["December 2009"]
    assert targets > 0


def test_a_region_given_in_the_url_is_shown_alone(national_server) -> None:
    from dom_desk.domain.national import national_picture

    alone = national_picture(national_server.region("wales", national_server.national_url))
    assert [r.region for r in alone.regions] == ["Wales"]
    assert alone.year == "2009-10"  # Wales's own current year


def test_a_year_a_region_lacks_is_said_and_the_others_still_shown(national_server) -> None:
    from dom_desk.domain.national import national_picture

    later = national_picture(national_server.national_url, "2010-11")
    wales = next(r for r in later.regions if r.region == "Wales")
    assert not wales.has_figures
    assert wales.problem == "Wales holds no financial year 2010-11 (it has: 2009-10)."


def test_the_national_role_cannot_write_by_the_databases_own_permissions(national_server) -> None:
    from dom_desk.domain.tables import update_field
    from dom_desk.errors import WorkbookError
    from dom_desk.models import Allocation
    from dom_desk.storage.server_workbook import open_server

    # Opened for writing on purpose: only the role's permissions stand in the way.
    wb = open_server(national_server.region("wales", national_server.national_url))
    try:
        with wb.session() as session:
            allocation = session.scalar(sa.select(Allocation.id).limit(1))
        with pytest.raises(WorkbookError, match="may read Wales .* but not change it"):
            update_field(wb, "allocations", allocation, "agreed", 1)
    finally:
        wb.close()
    engine = sa.create_engine(national_server.national_url)
    with engine.connect() as connection:
        for statement in (
            "UPDATE region_wales.allocation SET agreed = 1",
            "DELETE FROM national.region",
            "CREATE TABLE national.mine (x int)",
            "CREATE OR REPLACE VIEW national.allocations AS SELECT 1 AS region",
        ):
            with pytest.raises(sa.exc.ProgrammingError) as refused:
                connection.exec_driver_sql(statement)
            assert refused.value.orig.sqlstate in ("42501", "42809"), statement
            connection.rollback()
    engine.dispose()
    # And nothing was changed.
    from dom_desk.domain.national import national_picture

    wales = national_picture(national_server.region("wales"), "2009-10").regions[0]
    assert wales.committed == 9_100_000_00 + 750_000_00 + 13_900_000_75


def test_init_makes_empty_typed_views_and_publish_puts_the_region_in(
    pg_server, national_server
) -> None:
    from dom_desk.storage import server_admin
    from dom_desk.storage.server_address import parse_address

    database = f"empty_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(pg_server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{database}"')
    admin.dispose()
    address = parse_address(pg_server.url(database))
    server_admin.init_server(address)
    engine = sa.create_engine(pg_server.url(database))
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM national.allocations").scalar() == 0
        kinds = dict(
            connection.exec_driver_sql(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'national' AND table_name = 'allocations'"
            ).all()
        )
    assert kinds["region"] == "text" and kinds["committed"] == "bigint"
    assert kinds["baseline"] == "bigint" and kinds["year"] == "text"
    server_admin.publish(national_server.wales, address)
    with engine.connect() as connection:
        committed = connection.exec_driver_sql(
            "SELECT region, sum(committed) FROM national.allocations GROUP BY region"
        ).all()
    assert committed == [("Wales", 9_100_000_00 + 750_000_00 + 13_900_000_75)]
    # A server whose views are missing (set up by an older version) is said so.
    from dom_desk.domain.national import committed_by_service
    from dom_desk.errors import WorkbookError
    from dom_desk.storage.national_views import drop_views

    with engine.begin() as connection:
        drop_views(connection)
    engine.dispose()
    with pytest.raises(WorkbookError, match="has no national view: .* runs dom-desk server init"):
        committed_by_service(pg_server.url(database), "2009-10")


# -- the command line ---------------------------------------------------------------------


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    from dom_desk.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _line(out: str, first: str) -> list[str]:
    """The printed row starting with ``first``, split into its columns."""
    import re

    row = next(line for line in out.splitlines() if line.startswith(first))
    return re.split(r"\s{2,}", row[len(first) :].strip())


def test_national_summary_prints_each_region_and_the_exact_total(
    national_server, picture, capsys
) -> None:
    from dom_desk.domain.money import format_pounds

    code, out, err = _run(capsys, "national", "summary", "--db", national_server.national_url)
    assert code == 0, err
    assert out.splitlines()[0].startswith("National summary, 2009-10, 127.0.0.1:")
    by_name = {r.region: r for r in picture.regions}
    for name in ("North West", "Wales"):
        envelope, committed, headroom, *_rest = _line(out, name)
        assert envelope == format_pounds(by_name[name].envelope)
        assert committed == format_pounds(by_name[name].committed)
    # Wales by hand: £25,500,000.50 envelope, £23,750,000.75 committed.
    assert _line(out, "Wales")[:3] == ["£25,500,000.50", "£23,750,000.75", "£1,749,999.75"]
    total = by_name["North West"].committed + by_name["Wales"].committed
    assert _line(out, "All regions")[1] == format_pounds(total)


def test_national_targets_keydates_and_competitions(national_server, picture, capsys) -> None:
    from dom_desk.domain.status import Status

    url = national_server.national_url
    code, out, _err = _run(capsys, "national", "targets", "--db", url, "--year", "2009-10")
    assert code == 0
    north_west = next(r for r in picture.regions if r.region == "North West")
    met, near, missed, missing, *_rest = _line(out, "North West")
    assert [int(v.replace(",", "")) for v in (met, near, missed, missing)] == [
        north_west.count(s) for s in (Status.MET, Status.NEAR, Status.MISSED, Status.MISSING)
    ]
    code, out, _err = _run(capsys, "national", "keydates", "--db", url)
    assert code == 0
    assert "Welsh reducing reoffending strategy agreed (December 2009)" in out
    assert len(out.splitlines()) == 1 + len(picture.key_dates)
    code, out, _err = _run(capsys, "national", "competitions", "--db", url)
    assert code == 0
    cardiff = _line(out, "Wales")
    assert cardiff[:4] == [
        "HMP Cardiff resettlement",
        "Market test",
        "31/03/2011",
        "Call for competition",
    ]
    assert "HMP Buckley Hall" in out


def test_national_commands_refuse_a_file_a_bad_year_and_a_missing_server(
    national_server, tmp_path, capsys
) -> None:
    code, _out, err = _run(capsys, "national", "summary", "--db", str(national_server.demo))
    assert code == 1 and "is a file: the national view reads a team server" in err
    code, _out, err = _run(
        capsys, "national", "summary", "--db", national_server.national_url, "--year", "2009"
    )
    assert code == 1 and "--year" in err and "Traceback" not in err
    code, _out, err = _run(
        capsys,
        "national",
        "plan",
        "--db",
        national_server.national_url,
        "-o",
        str(tmp_path / "n.pdf"),
    )
    assert code == 1 and "--year" in err
    code, _out, err = _run(capsys, "national", "summary")
    assert code == 1 and "--db" in err
    gone = national_server.url.rsplit("/", 1)[0] + "/no_such_database"
    code, _out, err = _run(capsys, "national", "summary", "--db", gone)
    # One sentence naming the server (the lead's server_failure words it; a database
    # that is not there reads as "could not reach" until libpq's FATAL is read too).
    assert code == 1 and len(err.strip().splitlines()) == 1 and "127.0.0.1" in err


def test_national_plan_pdf_holds_every_regions_figures(
    national_server, picture, tmp_path, capsys
) -> None:
    from pdf_reading import layout_text, page_count

    from dom_desk.domain.money import format_pounds

    target = tmp_path / "national.pdf"
    code, out, err = _run(
        capsys,
        "national", "plan", "--db", national_server.national_url, "--year", "2009-10",
        "-o", str(target),
    )  # fmt: skip
    assert code == 0, err
    pages = page_count(target)
    assert f"{pages} pages" in out and 4 <= pages <= 10
    text = [" ".join(layout_text(target, n).split()) for n in range(1, pages + 1)]
    assert "National Commissioning Plan" in text[0] and "2: North West, Wales" in text[0]
    whole = " ".join(text)
    for region in picture.regions:
        assert format_pounds(region.committed) in whole
        assert format_pounds(region.envelope) in whole
    total = format_pounds(picture.total("committed"))
    assert f"All regions {format_pounds(picture.total('envelope'))} {total}" in whole
    for title in (
        "The regions side by side",
        "Money by service",
        "Targets",
        "Key dates",
        "Competitions",
    ):
        assert title in whole
    assert "Market test" in whole and "Welsh reducing reoffending" in whole
    assert not list(tmp_path.glob(".*partial"))


# -- the window ---------------------------------------------------------------------------


@pytest.fixture
def prompts() -> Iterator[list]:
    """Every message the window shows, recorded instead of a modal dialog."""
    from dom_desk.ui.messages import messages

    seen: list = []
    messages.hook = lambda prompt: seen.append(prompt)
    yield seen
    messages.hook = None


def _cells(model, column: str) -> list[str]:
    from PySide6.QtCore import Qt

    col = [c[0] for c in model.columns].index(column)
    return [
        model.data(model.index(r, col), Qt.ItemDataRole.DisplayRole)
        for r in range(model.rowCount())
    ]


def test_the_national_window_shows_each_regions_own_figures_read_only(
    national_server, picture, qtbot, prompts
) -> None:
    from PySide6.QtWidgets import QAbstractItemView

    from dom_desk.domain.money import format_pounds
    from dom_desk.domain.status import Status
    from dom_desk.ui.national_window import NationalWindow

    window = NationalWindow(national_server.national_url, "2009-10")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: window.picture is not None, timeout=90_000)
    assert not prompts
    assert _cells(window.summary, "Region") == ["North West", "Wales", "All regions"]
    expected = [format_pounds(r.committed) for r in picture.regions]
    assert _cells(window.summary, "Committed") == [
        *expected,
        format_pounds(picture.total("committed")),
    ]
    assert _cells(window.targets, "Missed")[0] == f"{picture.regions[0].count(Status.MISSED):,}"
    assert window.key_dates.rowCount() == len(picture.key_dates)
    assert window.competitions.rowCount() == len(picture.competitions)
    whats = _cells(window.key_dates, "What")
    assert "Milestone: Welsh reducing reoffending strategy agreed (December 2009)" in whats
    assert "2009-10: 2 regions" in window.heading.text()
    for table in window.tables.values():
        assert table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert "(read-only)" in window.windowTitle()


def test_the_national_window_says_why_it_cannot_read_the_server(
    national_server, qtbot, prompts
) -> None:
    from dom_desk.ui.national_window import NationalWindow

    window = NationalWindow(national_server.national_url, "2009")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(prompts), timeout=30_000)
    assert [p.kind for p in prompts] == ["error"]
    assert "Year" in prompts[0].text or "year" in prompts[0].text
    assert window.heading.text() == "Could not read the regions"
    assert window.refresh_button.isEnabled()


def test_dom_desk_national_with_no_what_opens_the_window(monkeypatch, capsys) -> None:
    import dom_desk.ui.national_window as national_window

    opened: list = []
    monkeypatch.setattr(
        national_window, "run_national", lambda url, year: opened.append((url, year)) or 0
    )
    url = "postgresql://hq@server.example/domdesk"
    assert _run(capsys, "national", "--db", url)[0] == 0
    assert _run(capsys, "national", "window", "--db", url, "--year", "2009-10")[0] == 0
    assert _run(capsys, "national", "--db", url, "window")[0] == 0
    assert opened == [(url, None), (url, "2009-10"), (url, None)]


def _made_picture():
    """A picture made by hand: a region over its envelope beside one under it."""
    from dom_desk.domain.national import NationalPicture, RegionFigures
    from dom_desk.domain.status import Status

    over = RegionFigures(
        "London", "london", "2009-10", today=date(2009, 11, 2), envelope=100_00,
        committed=150_50, statuses={Status.MET: 3, Status.MISSED: 1},
    )  # fmt: skip
    under = RegionFigures(
        "Wales", "wales", "2009-10", today=date(2009, 11, 2), envelope=1_000_00,
        committed=400_00, statuses={Status.MET: 1, Status.NEAR: 1, Status.MISSING: 2},
    )  # fmt: skip
    missing = RegionFigures("South East", "south-east", "2009-10", problem="South East: gone.")
    return NationalPicture("db.example/domdesk", "2009-10", (over, under, missing))


def test_summary_rows_sum_the_regions_with_figures_and_say_who_is_over() -> None:
    from dom_desk.cli.national_commands import summary_lines
    from dom_desk.domain.national import summary_rows
    from dom_desk.domain.status import Status

    picture = _made_picture()
    rows = summary_rows(picture)
    assert [r.region for r in rows] == ["London", "Wales", "All regions"]
    total = rows[-1]
    assert (total.envelope, total.committed, total.headroom) == (1_100_00, 550_50, 549_50)
    assert total.count(Status.MET) == 4 and total.count(Status.MISSING) == 2
    # Met of rated: London 3 of 4, Wales 1 of 2, together 4 of 6.
    assert [r.met_share for r in rows] == ["75%", "50%", "67%"]
    assert rows[0].over_envelope and rows[0].committed_share == "150.5%"
    assert picture.problems == ["South East: gone."]
    lines = summary_lines(picture)
    assert "-£50.50 over" in next(line for line in lines if line.startswith("London"))
    assert not any(line.startswith("South East") for line in lines)


def test_the_window_shades_a_region_over_its_envelope(qtbot, prompts) -> None:
    from PySide6.QtCore import Qt

    from dom_desk.ui.national_window import NationalWindow

    picture = _made_picture()
    window = NationalWindow("postgresql://hq@db.example/domdesk", None, lambda _u, _y: picture)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.picture is not None, timeout=10_000)
    model = window.summary
    background = [
        model.data(model.index(r, 0), Qt.ItemDataRole.BackgroundRole)
        for r in range(model.rowCount())
    ]
    assert background[0] is not None and background[1] is None
    assert _cells(model, "Headroom")[0] == "-£50.50 over"
    assert "Over its envelope: London." in window.captions["summary"].text()
    assert window.note.text() == "Not shown: South East: gone."
    assert not prompts
