"""A run nobody waits for any more stops at its next stage: the preview's full run, when the editor
saved again while it ran (site/preview.py starts the next first answer at once instead).

`check()` is called between the loaders (load/content.py) and between the pipeline's stages,
before anything is written to the pages' folder; inside `unless(event)` it raises Superseded once `event` is set. Nothing else stops a
run, and outside `unless` (a build, `check`) it does nothing. Like deferred.py it imports nothing
of the pipeline, so every stage may use it.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Superseded(Exception):
    """The run was stopped: a newer change of the content makes its result pointless."""


_local = threading.local()  # per thread: only the preview's watcher runs inside `unless`


@contextmanager
def unless(event: threading.Event) -> Iterator[None]:
    outer, _local.event = getattr(_local, "event", None), event
    try:
        yield
    finally:
        _local.event = outer


def check() -> None:
    event = getattr(_local, "event", None)
    if event is not None and event.is_set():
        raise Superseded
