"""Garbage is collected on the GUI thread, never by a worker that happens to allocate."""

from __future__ import annotations

import gc
import threading
from typing import Any

from dom_desk.ui.collector import MainThreadCollector


def test_automatic_collection_is_off_while_the_window_runs(qapp: Any) -> None:
    assert not gc.isenabled()  # the session's collector, as ui/app.run installs one


def test_the_gui_thread_collects_a_cycle_left_by_a_worker(qapp: Any, qtbot: Any) -> None:
    collector = MainThreadCollector()
    try:
        freed = threading.Event()

        class Cycle:
            def __init__(self) -> None:
                self.me = self

            def __del__(self) -> None:
                freed.set()

        def work() -> None:
            Cycle()
            for _ in range(5000):  # enough cycles to pass the youngest threshold
                [].append([])

        worker = threading.Thread(target=work)
        worker.start()
        worker.join()
        assert not freed.is_set()  # the worker collected nothing
        junk = [{} for _ in range(gc.get_threshold()[0] + 1)]
        qtbot.waitUntil(freed.is_set, timeout=5000)
        del junk
    finally:
        collector._timer.stop()  # the session's collector keeps collection off
