"""Start-up time of the window against a bare PySide6 window, measured in the same run.

    .venv/bin/python bench/startup.py [--repeats N]

(a) DOM Desk from a fresh interpreter to a shown, populated main window on the demo
workbook (built once to a temporary file before timing); (b) a fresh interpreter
showing an empty ``QMainWindow``; and, to show where the time goes, (c) the domain
work alone without Qt (imports, opening the workbook, the Overview's figures). Each
is run N times in subprocesses, offscreen; the medians and the ratio (a)/(b) are
printed. The ratio is the figure to watch: it cancels out the speed of the machine.
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
        bare_args = [sys.executable, "-c", BARE]
        domain_args = [sys.executable, "-c", DOMAIN, str(demo)]
        # One untimed run of each warms the file cache (and the workbook's first open).
        # The app prints what it shows (DOM_DESK_EXIT_WHEN_SHOWN): the Overview, populated.
        shown = "envelope £"
        _time(app_args, env, shown)
        _time(bare_args, env)
        app_times: list[float] = []
        bare_times: list[float] = []
        domain_times: list[float] = []
        for _ in range(options.repeats):  # interleaved, so drift hits all alike
            app_times.append(_time(app_args, env, shown))
            bare_times.append(_time(bare_args, env))
            domain_times.append(_time(domain_args, env))

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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
