"""Starting the window: the application object, logging, the excepthook, the first file.

The window is shown and painted first (its title and the list of areas), and the
workbook opened once it has been, so start-up looks instant while SQLAlchemy, the domain
and the Overview's figures load.

``DOM_DESK_EXIT_WHEN_SHOWN=1`` makes the application quit as soon as the window has been
painted with the workbook open and the Overview populated; ``=painted`` as soon as it was
first painted, before the workbook is open (both used by ``bench/startup.py``).
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from dom_desk import __version__, paths
from dom_desk.errors import DomDeskError
from dom_desk.ui import state
from dom_desk.ui.messages import Prompt, messages

if TYPE_CHECKING:
    from dom_desk.ui.main_window import MainWindow

log = logging.getLogger("dom_desk")

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def _configure_logging() -> None:
    if any(getattr(h, "_dom_desk", False) for h in log.handlers):
        return
    try:
        handler: logging.Handler = logging.FileHandler(
            paths.data_dir() / "dom-desk.log", encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._dom_desk = True  # type: ignore[attr-defined]
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def make_excepthook() -> ExceptHook:
    """The one handler for faults nobody caught: log them, then tell the user."""
    showing = False

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        nonlocal showing
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        details = "".join(traceback.format_exception(kind, exc, tb))
        log.error("Unexpected error\n%s", details)
        if showing:
            return
        showing = True
        try:
            parent = QApplication.activeWindow()
            if isinstance(exc, DomDeskError):
                messages.error(parent, str(exc))
            else:
                messages.exception(parent, f"{kind.__name__}: {exc}", details)
        finally:
            showing = False

    return hook


class _Unattended:
    """Answers every prompt when nobody is there to (DOM_DESK_EXIT_WHEN_SHOWN): prints it
    to stderr and remembers that something went wrong, so the run fails rather than
    waiting for ever on a dialog."""

    def __init__(self) -> None:
        self.failed = False

    def __call__(self, prompt: Prompt) -> None:
        if prompt.kind in ("error", "exception"):
            self.failed = True
        print(
            f"{prompt.kind}: {prompt.text}\n{prompt.details}".rstrip(), file=sys.stderr, flush=True
        )


def _report_and_quit(app: QApplication, window: MainWindow, unattended: _Unattended) -> None:
    """For the start-up benchmark: say what is on screen, then quit."""
    print(f"shown: {window.windowTitle()} | {window.status_line()}", flush=True)
    app.exit(1 if unattended.failed else 0)


def _report_painted(app: QApplication, window: MainWindow) -> None:
    """For the start-up benchmark: the first paint, with what it showed."""
    areas = window.opening.nav.count() if window.opening is not None else 0
    print(f"painted: {window.windowTitle()} | {areas} areas", flush=True)
    app.exit(0)


def _after_next_paint(window: MainWindow, then: Callable[[], object]) -> None:
    """Calls ``then`` once, after the window's next paint."""

    def once() -> None:
        window.painted.disconnect(once)
        then()

    window.painted.connect(once)
    window.update()


def _first_file(
    window: MainWindow, open_path: Path | str | None, demo: bool
) -> Callable[[], object]:
    """What opens the first workbook (a file, or a server region by its URL), after
    showing its name while it opens."""
    if isinstance(open_path, str) and state.is_server_location(open_path):
        url = open_path
        window.show_opening(opening_name(url))
        return lambda: window.open_server(url)
    if open_path is not None:
        window.show_opening(Path(open_path))
        return lambda: window.open_file(Path(open_path))
    if demo:
        window.show_opening(paths.demo_workbook_path())
        return window.open_demo
    last = state.last_location()
    if isinstance(last, str):
        window.show_opening(opening_name(last))
    elif last is not None and last.is_file():
        window.show_opening(last)
    return window.reopen_last


def opening_name(url: str) -> str:
    """How the window names a server region while it opens: "north-west on HOST/DB",
    never its password; the URL's text itself if it cannot be read (opening says why)."""
    from urllib.parse import parse_qs, urlsplit

    try:
        parts = urlsplit(url.strip())
        region = parse_qs(parts.query).get("region", [""])[-1]
        where = f"{parts.hostname or 'localhost'}{parts.path}"
    except ValueError:
        return "the server"
    return f"{region} on {where}" if region else where


def run(argv: list[str], open_path: Path | str | None = None, demo: bool = False) -> int:
    """Runs the window until it is closed; returns the exit code."""
    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    app.setOrganizationName(paths.APP_AUTHOR)
    app.setApplicationName(paths.APP_NAME)
    app.setApplicationVersion(__version__)
    _configure_logging()
    from dom_desk.ui.collector import MainThreadCollector

    collector = MainThreadCollector(app)
    previous_hook = sys.excepthook
    sys.excepthook = make_excepthook()

    unattended = _Unattended() if os.environ.get("DOM_DESK_EXIT_WHEN_SHOWN") else None
    if unattended is not None and messages.hook is None:
        messages.hook = unattended

    from dom_desk.ui.main_window import MainWindow

    window = MainWindow()
    first_file = _first_file(window, open_path, demo)
    mode = os.environ.get("DOM_DESK_EXIT_WHEN_SHOWN", "")

    def open_first() -> None:
        first_file()
        window.end_opening()
        if unattended is not None:
            _after_next_paint(window, lambda: _report_and_quit(app, window, unattended))

    if mode == "painted":
        _after_next_paint(window, lambda: _report_painted(app, window))
    else:
        _after_next_paint(window, open_first)
    window.show()
    try:
        return app.exec()
    finally:
        if window.isVisible():
            window.close()
        sys.excepthook = previous_hook
        collector.stop()
        if unattended is not None and messages.hook is unattended:
            messages.hook = None
