"""Work a run may finish after its result is shown: the caches' writes to build/cache.

`later(fn)` runs `fn` at once, unless the caller runs the pipeline inside `deferring()`: then `fn`
is queued, and the caller runs the queue when the result is on screen (`bulletin serve`, after
the engine built the changed pages: site/preview.py). A queue never run only costs the next
process a few cache misses: every cache is checked against the files it was made from. Like
problems.py this module imports nothing of the pipeline, so every stage may use it.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_local = threading.local()  # per thread: the preview's watcher defers, nothing else does


def later(fn: Callable[[], None]) -> None:
    queue = getattr(_local, "queue", None)
    if queue is None:
        fn()
    else:
        queue.append(fn)


@contextmanager
def deferring() -> Iterator[list[Callable[[], None]]]:
    """Queue what `later` is given inside; the list is the caller's to run (`run_all`)."""
    queue: list[Callable[[], None]] = []
    outer, _local.queue = getattr(_local, "queue", None), queue
    try:
        yield queue
    finally:
        _local.queue = outer


def run_all(queue: list[Callable[[], None]]) -> None:
    while queue:
        queue.pop(0)()


def active() -> bool:
    """Whether `later` queues in this thread (the caller runs the queue)."""
    return getattr(_local, "queue", None) is not None
