"""Memory of a process and everything it started, sampled while it runs (Linux /proc).

`getrusage` gives the peak of the largest single process only; a build runs the generator and
the engine in one process and Pagefind beside it, so what a machine must hold is their sum at
the same moment. `TreeSampler` adds up the resident memory (VmRSS) of this process and all its
descendants every `interval` seconds and keeps the largest sum (shared pages are counted once
per process: an upper bound).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

PROC = Path("/proc")


def _children_by_parent() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir(PROC):
        if not entry.name.isdigit():
            continue
        try:
            stat = (PROC / entry.name / "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        ppid = int(stat.rsplit(")", 1)[1].split()[1])  # the name may hold spaces and parentheses
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _rss_kb(pid: int) -> int:
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_mb(pid: int) -> tuple[float, int]:
    """(MB resident in `pid` and its descendants, number of processes) now."""
    tree, todo, total, count = _children_by_parent(), [pid], 0, 0
    while todo:
        p = todo.pop()
        total += _rss_kb(p)
        count += 1
        todo += tree.get(p, [])
    return total / 1024, count


class TreeSampler:
    """`with TreeSampler() as s: ...` then s.peak_mb (largest sum) and s.peak_processes."""

    def __init__(self, interval: float = 0.25):
        self.interval, self.peak_mb, self.peak_processes = interval, 0.0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            mb, count = tree_rss_mb(os.getpid())
            if mb > self.peak_mb:
                self.peak_mb, self.peak_processes = mb, count
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
