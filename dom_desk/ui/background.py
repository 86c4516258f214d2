"""Work off the GUI thread: a function runs on the thread pool, its result comes back by
signal to the GUI thread, where the callback may touch widgets.

The function must return plain data (dataclasses, lists, a matplotlib Figure) and never
touch a widget. Each task is kept alive until its result has been delivered.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


@dataclass(frozen=True)
class Failure:
    """What went wrong on the worker: the exception and its traceback as text."""

    error: BaseException
    details: str


class _Relay(QObject):
    """Lives in the GUI thread; its signals, emitted from the worker, arrive queued."""

    finished = Signal(int, object)


class _Task(QRunnable):
    """Deleted by the pool once run; it holds only the function, never the callbacks."""

    def __init__(
        self, number: int, relay: _Relay, fn: Callable[..., Any], args: tuple[Any, ...]
    ) -> None:
        super().__init__()
        self.number = number
        self.relay = relay
        self.fn = fn
        self.args = args

    def run(self) -> None:
        try:
            outcome: Any = self.fn(*self.args)
        except BaseException as exc:  # handed to the GUI thread to report
            outcome = Failure(exc, traceback.format_exc())
        # The page that asked may have been closed while the work ran: then nobody is
        # left to tell, and Qt raises RuntimeError for the deleted relay.
        with contextlib.suppress(RuntimeError):
            self.relay.finished.emit(self.number, outcome)


class Runner(QObject):
    """Starts tasks for one page and calls back on the GUI thread when each ends.

    The relay that carries results lives as long as the runner, so a result already on
    its way is delivered even after the task itself has been deleted by the pool.
    """

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._relay = _Relay(self)
        self._relay.finished.connect(self._finished)
        self._pending: dict[int, tuple[Callable[[Any], None], Callable[[Failure], None]]] = {}
        self._count = 0

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def start(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: Callable[[Any], None],
        failed: Callable[[Failure], None],
    ) -> int:
        """Runs ``fn(*args)`` on the pool; returns the task's number."""
        self._count += 1
        self._pending[self._count] = (done, failed)
        self.pool.start(_Task(self._count, self._relay, fn, args))
        return self._count

    @Slot(int, object)
    def _finished(self, number: int, outcome: Any) -> None:
        callbacks = self._pending.pop(number, None)
        if callbacks is None:
            return
        done, failed = callbacks
        if isinstance(outcome, Failure):
            failed(outcome)
        else:
            done(outcome)

    def wait(self, msecs: int = 30000) -> bool:
        """Blocks until the pool is idle (for closing and for tests)."""
        return self.pool.waitForDone(msecs)
