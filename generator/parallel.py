"""CPU-bound steps of a build split between this process and one forked copy of it.

A first build reads and validates every editor file (load/content.py), renders every page
(render/pages.py) and makes every search index document (search/terms.py): seconds of pure
Python on one core while the other waits. `in_two` runs the second half of
the tasks in a child forked from this process — it has the loaders or the assembled site, the
templates and the caches already, nothing is pickled on the way in — and takes the child's
results back through a pipe, in task order. Results are the same as a serial run: each task is a pure function of what
both processes hold. Small runs (the preview's refresh: a few pages) stay serial, as do systems
without fork or with one core, and every thread but the main one. If the child fails in any way its tasks run here, so an error is
raised by this process, as in a serial run.

`Beside(fn)` is one task in a child while this process does other work (the pipeline's content
check beside assemble and render; the search documents beside the docs pages), and `run_later`
a finished run's cache writes in a child nobody waits for but `settle` (the next run, the exit).
"""
from __future__ import annotations

import atexit
import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import TypeVar

from generator.deferred import deferring, run_all

T = TypeVar("T")
MIN_TASKS = 200  # fewer tasks than this: a fork and the pickled results cost more than they save


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def forks() -> bool:
    """Whether tasks may go to a forked child: a system with fork and two cores, and the main
    thread (the preview's watcher thread stays serial: a fork copies only the thread that calls
    it, and a lock another thread held at that moment would stay locked in the child)."""
    return hasattr(os, "fork") and cores() >= 2 and threading.current_thread() is threading.main_thread()


def _forked(work: Callable[[], object], after: Callable[[], None] = lambda: None) -> tuple[int, int] | None:
    """A forked child that sends `work()` pickled through a pipe, then runs `after()` and is gone
    without running any cleanup; (its pid, the pipe's read end) here, None when fork failed."""
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:
        code = 1
        try:
            os.close(read_end)
            payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
            after()
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def in_two(tasks: list[Callable[[], T]], harvest: Callable[[], object] | None = None) -> tuple[list[T], object]:
    """Every task's result, in order; the second half of the tasks runs in a forked child when
    there are at least MIN_TASKS and the machine has two cores. Halves, not every other task:
    neighbours share work (an issue page and its story pages convert the same Markdown, kept
    once per process). Also what `harvest()` returns in the child after its tasks (entries it
    added to a cache the parent keeps), or None when nothing ran there."""
    if len(tasks) < MIN_TASKS or not forks():
        return [task() for task in tasks], None
    half = (len(tasks) + 1) // 2
    theirs = tasks[half:]
    forked = _forked(lambda: ([task() for task in theirs], harvest() if harvest else None))
    if forked is None:
        return [task() for task in tasks], None
    pid, read_end = forked
    try:
        mine = [task() for task in tasks[:half]]
        with os.fdopen(read_end, "rb") as pipe:
            read_end = -1
            data = pipe.read()  # the child blocks on a full pipe until this reads: read before waiting
    except BaseException:  # a failing task here: the child is not needed any more
        if read_end >= 0:
            os.close(read_end)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    _, status = os.waitpid(pid, 0)
    try:
        results, harvested = pickle.loads(data) if status == 0 else (None, None)
    except Exception:
        results, harvested = None, None
    if results is None or len(results) != len(theirs):
        results, harvested = [task() for task in theirs], None  # the child failed: its tasks run here
    return mine + results, harvested


class Beside:
    """`fn()` computed in a forked child while this process goes on, its result taken (pickled
    through a pipe) by `result()`; computed here, at once, where tasks may not fork (see `forks`).
    A child that fails in any way has `fn` run again here, so an error is this process's own.
    What `fn` defers (deferred.later: a cache's write) the child does after sending its result.
    `settled`: files `fn` writes are awaited by `settle` too (the next run in this process, exit)."""

    def __init__(self, fn: Callable[[], T], settled: bool = False):
        self.fn, self.pid, self.pipe = fn, 0, -1
        self.done: tuple[T] | None = None
        if not forks():
            self.done, self.fn = (fn(),), None
            return
        saves: list[Callable[[], None]] = []

        def work() -> T:
            with deferring() as queue:
                result = fn()
            saves.extend(queue)
            return result

        forked = _forked(work, lambda: run_all(saves))
        if forked is None:
            self.done, self.fn = (fn(),), None
            return
        pid, read_end = forked
        self.pid, self.pipe = pid, read_end
        if settled:
            _beside.append(self)

    @property
    def ready(self) -> bool:
        """Whether the result is here already (computed in this process)."""
        return self.done is not None

    def result(self) -> T:
        if self.done is None:
            with os.fdopen(self.pipe, "rb") as pipe:
                data = pipe.read()  # before waiting: the child blocks on a full pipe until this reads
            _, status = os.waitpid(self.pid, 0)
            try:
                self.done = (pickle.loads(data),) if status == 0 else None
            except Exception:
                self.done = None
            if self.done is None:
                self.done = (self.fn(),)
        self.fn = None  # what it was given (a build's pages: 200 MB at 10,000 stories) is not kept
        return self.done[0]


_background: list[int] = []  # children writing a finished run's caches (run_later)
_beside: list[Beside] = []  # children writing a run's files (Beside(…, settled=True))


def run_later(queue: list[Callable[[], None]]) -> None:
    """`queue` (a run's deferred work: deferred.py) run in a forked child this process does not
    wait for — the caches' writes of a finished run, 0.3 s at 10,000 stories, while the engine
    builds the site — or here where tasks may not fork. `settle` waits for such children: the
    next run in this process and the process's exit do."""
    if not queue:
        return
    if not forks():
        run_all(queue)
        return
    try:
        pid = os.fork()
    except OSError:
        run_all(queue)
        return
    if pid == 0:
        code = 1
        try:
            run_all(queue)
            code = 0
        finally:
            os._exit(code)
    queue.clear()
    _background.append(pid)


def settle() -> None:
    """Wait for the children of `run_later` and settled `Beside`s: their files are on disk when
    this returns."""
    while _beside:
        _beside.pop().result()
    while _background:
        try:
            os.waitpid(_background.pop(), 0)
        except ChildProcessError:
            pass


atexit.register(settle)
