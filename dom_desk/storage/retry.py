"""Trying a change again when the server refused it only because it raced another.

On the team server every change is one SERIALIZABLE transaction: when two people's
changes interleave in a way that could not have happened one after the other,
PostgreSQL refuses one of them whole (``SerializationConflict``). Run again, it reads the
other's committed figures and usually succeeds, or meets a real conflict (a stale row
version) that is reported. A file workbook never raises it, so this costs nothing there.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from dom_desk.errors import SerializationConflict

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

#: How many times a change is tried in all before its conflict is reported.
ATTEMPTS = 4
_inside: ContextVar[bool] = ContextVar("retrying", default=False)


def retrying(run: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """``run()``, tried again (after a short random pause) while the server refuses it
    as a serialization conflict, at most ``attempts`` times in all; the last refusal is
    raised as it is (a ConflictError in words). Nested calls do not multiply the tries."""
    if _inside.get():
        return run()
    token = _inside.set(True)
    try:
        for attempt in range(1, attempts + 1):
            try:
                return run()
            except SerializationConflict:
                if attempt == attempts:
                    raise
                log.info("Serialization conflict; trying again (%d of %d)", attempt, attempts)
                time.sleep(random.uniform(0.01, 0.05) * attempt)
        raise AssertionError("unreachable")
    finally:
        _inside.reset(token)


def retried(function: Callable[P, T]) -> Callable[P, T]:
    """Decorates a function that runs whole transactions so that it is ``retrying``."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        return retrying(lambda: function(*args, **kwargs))

    return wrapper
