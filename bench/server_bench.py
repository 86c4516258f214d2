"""The team server (PostgreSQL) against a workbook file (SQLite), in the same run.

    .venv/bin/python bench/server_bench.py [--rows 50000] [--repeats 3] [--changes 1000]

Starts a private PostgreSQL server in a temporary folder (tests/postgres.py: the
operating system's PostgreSQL 15+ binaries, 127.0.0.1 and a free port), builds the demo
region, publishes it, and times each job on both, interleaved, best of ``--repeats``:

* open: opening the demo region (a file: checks, lock; the server: catalog and revision);
* overview: the Overview's figures for 2009-10;
* edit: one field edit's round trip (write with its row-version check and audit entry,
  then the row read back, as the window does);
* import: a return of ``--rows`` figures imported (bench/import_bench.py builds it);
* national matrix: targets met / near / missed for every region on the server, against
  the same matrices built from each region's file one after another;
* check-in: ``--changes`` field changes made offline in a checked-out copy, merged back
  (no baseline: the aim is an absolute figure, under 5 s).

Each line prints both times and the ratio server / file (aim: 2x or better). The
machine's other load hits both alike; CPU-heavy parts are Python either way.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402

from dom_desk.demo import write_demo  # noqa: E402
from dom_desk.domain import overview, tables  # noqa: E402
from dom_desk.domain.returns import import_files  # noqa: E402
from dom_desk.storage import server_admin  # noqa: E402
from dom_desk.storage.server_address import parse_address  # noqa: E402
from dom_desk.storage.workbook import open_workbook  # noqa: E402
from tests import postgres  # noqa: E402

YEAR = "2009-10"


def best(run: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def line(label: str, file_s: float, server_s: float) -> None:
    ratio = server_s / file_s if file_s else float("inf")
    print(f"{label:<34} file {file_s * 1000:9.1f} ms   server {server_s * 1000:9.1f} ms   "
          f"ratio {ratio:5.2f}x")  # fmt: skip


class Bench:
    def __init__(self, server: postgres.Server, folder: Path, repeats: int) -> None:
        self.server = server
        self.folder = folder
        self.repeats = repeats
        self.admin = sa.create_engine(server.url(), isolation_level="AUTOCOMMIT")

    def database(self, template: str | None = None) -> str:
        """A new database (a copy of ``template`` when given); its plain URL."""
        name = f"bench_{uuid.uuid4().hex[:8]}"
        suffix = f' TEMPLATE "{template}"' if template else ""
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"{suffix}')
        return self.server.url(name).replace("+psycopg", "")

    def published(self, path: Path) -> str:
        url = self.database()
        server_admin.init_server(parse_address(url))
        region = server_admin.publish(path, parse_address(url))
        slug = parse_address(url).with_region(region).for_recent().rsplit("=", 1)[1]
        return f"{url}?region={slug}"

    def interleaved(self, file_job: Callable[[], Any], server_job: Callable[[], Any]):
        file_times, server_times = [], []
        for _ in range(self.repeats):
            file_times.append(best(file_job, 1))
            server_times.append(best(server_job, 1))
        return min(file_times), min(server_times)


def bench_open_overview_edit(bench: Bench, demo: Path, region_url: str) -> None:
    def open_close(location: Path | str) -> Callable[[], None]:
        return lambda: open_workbook(location).close()

    line("open the demo region", *bench.interleaved(open_close(demo), open_close(region_url)))
    lite, server = open_workbook(demo), open_workbook(region_url)
    try:
        line(
            "Overview figures",
            *bench.interleaved(
                lambda: overview.overview(lite, YEAR), lambda: overview.overview(server, YEAR)
            ),
        )

        def edit(wb) -> Callable[[], None]:  # noqa: ANN001 - a Workbook
            (first, *_) = tables.load_rows(wb, "providers", YEAR)
            counter = iter(range(10**6))

            def run() -> None:
                row = tables.load_row(wb, "providers", first.id, YEAR)
                tables.update_field(wb, "providers", row.id, "notes", f"edit {next(counter)}",
                                    row.version)  # fmt: skip
                tables.load_row(wb, "providers", first.id, YEAR)

            return run

        line("an edit's round trip", *bench.interleaved(edit(lite), edit(server)))
    finally:
        lite.close()
        server.close()


def bench_import(bench: Bench, rows: int) -> None:
    import import_bench

    master = bench.folder / "import-master.domdesk"
    import_bench.build_workbook(master, rows)
    from dom_desk.exports.template_files import make_template

    wb = open_workbook(master)
    try:
        template = make_template(
            wb, import_bench.PROVIDER, import_bench.PERIOD, bench.folder / "template.xlsx"
        )
    finally:
        wb.close()
    filled = bench.folder / "return.xlsx"
    import_bench.fill_template(template, filled)
    region_url = bench.published(master)
    template_db = region_url.rsplit("/", 1)[1].split("?")[0]

    def into_file() -> None:
        copy = bench.folder / "import-run.domdesk"
        shutil.copyfile(master, copy)
        wb = open_workbook(copy)
        try:
            start = time.perf_counter()
            summary = import_files(wb, [filled])
            into_file.elapsed = time.perf_counter() - start  # type: ignore[attr-defined]
            assert summary.ok, summary.problems()[:5]
        finally:
            wb.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)

    def into_server() -> None:
        url = bench.database(template_db)
        wb = open_workbook(f"{url}?region=north-west")
        try:
            start = time.perf_counter()
            summary = import_files(wb, [filled])
            into_server.elapsed = time.perf_counter() - start  # type: ignore[attr-defined]
            assert summary.ok, summary.problems()[:5]
        finally:
            wb.close()

    file_times, server_times = [], []
    for _ in range(bench.repeats):
        into_file()
        file_times.append(into_file.elapsed)  # type: ignore[attr-defined]
        into_server()
        server_times.append(into_server.elapsed)  # type: ignore[attr-defined]
    line(f"import a {rows:,}-row return", min(file_times), min(server_times))


#: The ten regions of England and Wales, for the national matrix.
REGIONS = (
    "North West", "North East", "Yorkshire and Humberside", "East Midlands",
    "West Midlands", "East of England", "London", "South East", "South West", "Wales",
)  # fmt: skip


def bench_national(bench: Bench, demo: Path) -> None:
    """Every region's figures (Overview, targets matrix, timetable) for the national view:
    from the server in one call, against the ten region files read one after another."""
    from dom_desk.domain.national import national_picture, region_figures
    from dom_desk.domain.region import region

    files = []
    for name in REGIONS:
        path = bench.folder / f"{name}.domdesk"
        shutil.copyfile(demo, path)
        wb = open_workbook(path)
        try:
            with wb.session() as session:
                region(session).name = name
        finally:
            wb.close()
        files.append((name, path))
    url = bench.database()
    server_admin.init_server(parse_address(url))
    for _name, path in files:
        server_admin.publish(path, parse_address(url))

    def from_files() -> None:
        for name, path in files:
            wb = open_workbook(path, read_only=True)
            try:
                figures = region_figures(wb, name, YEAR)
                assert not figures.problem, figures.problem
            finally:
                wb.close()

    def from_server() -> None:
        picture = national_picture(url, YEAR)
        assert len(picture.regions) == len(REGIONS)
        assert not picture.problems, picture.problems

    line(f"national matrix, {len(REGIONS)} regions", *bench.interleaved(from_files, from_server))


def bench_checkin(bench: Bench, region_url: str, changes: int) -> None:
    """``changes`` field edits made offline (target notes, then submissions' completed-by)
    checked back in: one server transaction, the file refreshed after."""
    from dom_desk.domain import offline
    from dom_desk.models import Submission, Target

    times = []
    for attempt in range(bench.repeats):
        url = bench.database(region_url.rsplit("/", 1)[1].split("?")[0])
        laptop = bench.folder / f"laptop-{attempt}.domdesk"
        offline.checkout(f"{url}?region=north-west", laptop)
        wb = open_workbook(laptop)
        try:
            with wb.session() as session:
                targets = session.scalars(sa.select(Target).order_by(Target.id)).all()
                for target in targets[:changes]:
                    target.notes = "revised offline"
                wanted = changes - min(len(targets), changes)
                submissions = session.scalars(
                    sa.select(Submission).order_by(Submission.id).limit(wanted)
                ).all()
                for submission in submissions:
                    submission.completed_by = "checked offline"
        finally:
            wb.close()
        start = time.perf_counter()
        result = offline.checkin(laptop)
        times.append(time.perf_counter() - start)
        assert result.checked_in and result.written.changed == changes, result.message
    print(f"{'check in ' + f'{changes:,} offline changes':<34} {min(times):.2f} s (aim: under 5 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--changes", type=int, default=1000)
    args = parser.parse_args()
    server = postgres.start()
    folder = Path(tempfile.mkdtemp(prefix="dom-desk-server-bench-"))
    try:
        bench = Bench(server, folder, args.repeats)
        demo = folder / "demo.domdesk"
        write_demo(demo)
        region_url = bench.published(demo)
        bench_open_overview_edit(bench, demo, region_url)
        bench_national(bench, demo)
        bench_checkin(bench, region_url, args.changes)
        bench_import(bench, args.rows)
        bench.admin.dispose()
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
