"""Fixtures for the window: answered message boxes and a main window on the demo."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from dom_desk.ui.messages import Prompt, messages


class Answers:
    """Records every prompt the window shows and answers it without a modal dialog.

    ``queue(kind, answer)`` lines up the answer to the next prompt of that kind (a path
    for open_path/save_path, a (region, year) pair for new_region, True/False for
    confirm). Errors and information are only recorded.
    """

    def __init__(self) -> None:
        self.prompts: list[Prompt] = []
        self._queued: dict[str, list[Any]] = {}

    def queue(self, kind: str, answer: Any) -> None:
        self._queued.setdefault(kind, []).append(answer)

    def __call__(self, prompt: Prompt) -> Any:
        self.prompts.append(prompt)
        waiting = self._queued.get(prompt.kind)
        if waiting:
            return waiting.pop(0)
        if prompt.kind in ("open_path", "save_path", "new_region", "choose_folder"):
            return None
        if prompt.kind == "open_paths":
            return []
        if prompt.kind == "confirm":
            return False
        return None

    def of(self, kind: str) -> list[Prompt]:
        return [p for p in self.prompts if p.kind == kind]

    @property
    def errors(self) -> list[str]:
        return [p.text for p in self.prompts if p.kind in ("error", "exception")]


@pytest.fixture(scope="session", autouse=True)
def collector_on_the_gui_thread(qapp: Any) -> Iterator[None]:
    """As the app does (ui/app.run): garbage is collected on the GUI thread only, so a
    worker thread never finalises a Qt object (PySide6 crashes when one does)."""
    from dom_desk.ui.collector import MainThreadCollector

    collector = MainThreadCollector(qapp)
    yield
    collector.stop()


@pytest.fixture
def answers() -> Iterator[Answers]:
    recorder = Answers()
    messages.hook = recorder
    yield recorder
    messages.hook = None


@pytest.fixture
def make_window(qtbot: Any, answers: Answers) -> Callable[..., Any]:
    """Builds shown main windows, closed at the end of the test."""
    from dom_desk.ui.main_window import MainWindow

    def build() -> MainWindow:
        window = MainWindow()
        qtbot.addWidget(window)
        window.resize(1200, 800)
        window.show()
        window.activateWindow()
        qtbot.waitActive(window)
        return window

    return build


@pytest.fixture
def window(make_window: Callable[..., Any], demo: Any, answers: Answers) -> Any:
    """The main window with a copy of the demo region open."""
    win = make_window()
    assert win.open_location(demo.location), answers.errors
    return win
