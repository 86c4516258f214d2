"""Start-up time of the window against a bare PySide6 window, measured in the same run.

    .venv/bin/python bench/startup.py [--repeats N]

(a) DOM Desk from a fresh interpreter to a shown, populated main window on the demo
workbook (built once to a temporary file before timing); (b) a fresh interpreter
showing an empty ``QMainWindow``; and, to show where the time goes, (c) the domain
work alone without Qt (imports, opening the workbook, the Overview's figures). Each
is run N times in subprocesses, offscreen; the medians and the ratio (a)/(b) are
printed. The ratio is the figure to watch: it cancels out the speed of the machine.

Two more ratios, each timed from launch to the line the process prints after a paint of
the window (its paint event has run and the event loop has come back round), the same
way for every variant; closing down is left out:

- ``shown ratio``: (d) DOM Desk to its first painted window (the title and the list of
  areas, the workbook still opening) against (e) a bare ``QMainWindow`` first painted.
- ``floor ratio``: (a') DOM Desk to its Overview populated and painted, against (f) the
  floor of this design: a bare window painted, then SQLAlchemy and the models imported,
  the demo workbook opened, one query run and its answer painted. This design reads
  through the ORM, so the floor's one query is an ORM query of a model (the region row
  through a Session), which configures the mappers as any ORM application's first
  query must. (f') is the earlier floor, a Core count that never configures them,
  printed beside it for comparison (``ratio to the Core-count floor``).

All variants are run in turn within each repeat, each in a fresh interpreter.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("bare")
window.show()
QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
"""

#: A QMainWindow that runs ``after_paint`` once the event loop is back after a paint.
PAINTED_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


class Window(QMainWindow):
    def paintEvent(self, event):
        super().paintEvent(event)
        QTimer.singleShot(0, after_paint)


app = QApplication(sys.argv)
window = Window()
window.setWindowTitle("bare")
window.setCentralWidget(QLabel("bare"))
"""

BARE_PAINTED = (
    PAINTED_WINDOW
    + """
def after_paint():
    print("painted", flush=True)
    app.quit()


window.show()
sys.exit(app.exec())
"""
)

#: The floor: a bare window painted, then ``{query}`` run on the demo workbook.
FLOOR_TEMPLATE = (
    PAINTED_WINDOW
    + """
from pathlib import Path
answer = None


def after_paint():
    global answer
    if answer is not None:
        print("floor:", answer, flush=True)
        app.quit()
        return
    from sqlalchemy import func, select
    from dom_desk.models import Provider, Region
    from dom_desk.storage.workbook import open_workbook
    wb = open_workbook(Path(sys.argv[1]))
    with wb.session() as session:
        answer = {query}
    wb.close()
    window.centralWidget().setText(f"{{answer}}")
    window.update()


window.show()
sys.exit(app.exec())
"""
)
#: One ORM query of a model, the region row: it configures the mappers.
FLOOR = FLOOR_TEMPLATE.format(query="session.scalars(select(Region)).one().name")
#: One Core count: it never configures the mappers (the floor before).
CORE_FLOOR = FLOOR_TEMPLATE.format(
    query="session.scalar(select(func.count()).select_from(Provider))"
)

DOMAIN = """
import sys
from pathlib import Path
from dom_desk.domain.overview import overview
from dom_desk.storage.workbook import open_workbook
wb = open_workbook(Path(sys.argv[1]))
overview(wb)
wb.close()
"""

APP = """
import sys
from pathlib import Path
from dom_desk.ui.app import run
sys.exit(run(sys.argv[:1], open_path=Path(sys.argv[1])))
"""


def _time(args: list[str], env: dict[str, str], expect: str = "") -> float:
    """Seconds from launch to exit; ``expect`` must appear in what the process printed."""
    started = time.perf_counter()
    done = subprocess.run(args, env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if expect not in done.stdout:
        raise SystemExit(f"expected {expect!r} on stdout, got: {done.stdout!r}")
    return elapsed


def _time_to(args: list[str], env: dict[str, str], expect: str) -> tuple[float, float]:
    """Seconds from launch to the process printing a line with ``expect`` (it prints it
    once the window was painted), and to its exit. Closing down is not start-up: the
    ratios use the first figure."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True
        )
        assert process.stdout is not None
        seen = None
        printed = []
        for line in process.stdout:
            printed.append(line)
            if seen is None and expect in line:
                seen = time.perf_counter() - started
        code = process.wait()
        ended = time.perf_counter() - started
        if code != 0 or seen is None:
            errors.seek(0)
            raise SystemExit(
                f"expected {expect!r} on stdout (exit {code}), got: {''.join(printed)!r}\n"
                + errors.read().decode(errors="replace")
            )
    return seen, ended


def _line(what: str, times: list[float]) -> None:
    print(
        f"{what}: median {statistics.median(times) * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="dom-desk-bench-") as folder:
        home = Path(folder) / "home"
        home.mkdir()
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            DOM_DESK_HOME=str(home),
            DOM_DESK_EXIT_WHEN_SHOWN="1",
            PYTHONPATH=str(ROOT),
        )
        demo = Path(folder) / "demo.domdesk"
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from pathlib import Path; from dom_desk.demo import "
                "write_demo; write_demo(Path(sys.argv[1]))",
                str(demo),
            ],
            env=env,
            cwd=ROOT,
            check=True,
        )
        app_args = [sys.executable, "-c", APP, str(demo)]
        painted_env = dict(env, DOM_DESK_EXIT_WHEN_SHOWN="painted")
        bare_painted_args = [sys.executable, "-c", BARE_PAINTED]
        floor_args = [sys.executable, "-c", FLOOR, str(demo)]
        core_floor_args = [sys.executable, "-c", CORE_FLOOR, str(demo)]
        bare_args = [sys.executable, "-c", BARE]
        domain_args = [sys.executable, "-c", DOMAIN, str(demo)]
        # One untimed run of each warms the file cache (and the workbook's first open).
        # The app prints what it shows (DOM_DESK_EXIT_WHEN_SHOWN): the Overview, populated.
        shown = "envelope £"
        # The first paint shows the workbook's name and the list of areas, nothing more.
        from dom_desk.ui.workspace_view import AREA_ORDER

        painted = f"painted: DOM Desk — demo.domdesk | {len(AREA_ORDER)} areas"
        _time(app_args, env, shown)
        _time(bare_args, env)
        _time(app_args, painted_env, painted)
        _time(floor_args, env, "floor:")
        _time(core_floor_args, env, "floor:")
        app_times: list[float] = []
        populated_times: list[float] = []
        painted_times: list[float] = []
        bare_painted_times: list[float] = []
        floor_times: list[float] = []
        core_floor_times: list[float] = []
        bare_times: list[float] = []
        domain_times: list[float] = []
        for _ in range(options.repeats):  # interleaved, so drift hits all alike
            populated, exited = _time_to(app_args, env, shown)
            app_times.append(exited)
            populated_times.append(populated)
            bare_times.append(_time(bare_args, env))
            domain_times.append(_time(domain_args, env))
            painted_times.append(_time_to(app_args, painted_env, painted)[0])
            bare_painted_times.append(_time_to(bare_painted_args, env, "painted")[0])
            floor_times.append(_time_to(floor_args, env, "floor:")[0])
            core_floor_times.append(_time_to(core_floor_args, env, "floor:")[0])

    app_median = statistics.median(app_times)
    bare_median = statistics.median(bare_times)
    print(f"repeats: {options.repeats}")
    print(
        f"DOM Desk, demo workbook shown and populated: median {app_median * 1000:.0f} ms "
        f"(min {min(app_times) * 1000:.0f}, max {max(app_times) * 1000:.0f})"
    )
    print(
        f"bare PySide6 QMainWindow shown:              median {bare_median * 1000:.0f} ms "
        f"(min {min(bare_times) * 1000:.0f}, max {max(bare_times) * 1000:.0f})"
    )
    domain_median = statistics.median(domain_times)
    print(f"ratio: {app_median / bare_median:.2f}x")
    print(
        f"(c) domain alone, no Qt (imports, open, overview): median {domain_median * 1000:.0f} ms"
    )
    _line("(a') DOM Desk, Overview populated and painted", populated_times)
    _line("(d) DOM Desk, first painted (title, areas)", painted_times)
    _line("(e) bare QMainWindow, first painted", bare_painted_times)
    _line("(f) floor: bare window, SQLAlchemy, open, 1 ORM query", floor_times)
    _line("(f') bare window, SQLAlchemy, open, 1 Core count", core_floor_times)
    shown_ratio = statistics.median(painted_times) / statistics.median(bare_painted_times)
    print(f"shown ratio: {shown_ratio:.2f}x")
    floor_ratio = statistics.median(populated_times) / statistics.median(floor_times)
    print(f"floor ratio: {floor_ratio:.2f}x")
    core_ratio = statistics.median(populated_times) / statistics.median(core_floor_times)
    print(f"(ratio to the Core-count floor: {core_ratio:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
