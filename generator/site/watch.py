"""What editors changed: file-system events (inotify, through watchdog) and a snapshot of every
content file's stat, looked at by the preview's watcher (site/preview.py) after each event and,
as a fallback, on a poll."""
from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

WATCHED = ("content", "bulletins")
# A look at every content file's stat (10 ms at 1,000 stories, 0.14 s at 10,000) when no event
# came: every second when file-system events are not available, else every 5 s (a missed event,
# the publication day changing).
POLL_S = 1.0
WATCHED_POLL_S = 5.0
SETTLE_S = 0.02


def snapshot(root: Path) -> dict[str, int]:
    """Modification time of every file editors may change (a cheap poll: no extra dependency)."""
    stamps = {}
    for name in WATCHED:
        for folder, _, files in os.walk(root / name):
            for file in files:
                path = os.path.join(folder, file)
                try:
                    stamps[path] = os.stat(path).st_mtime_ns
                except OSError:
                    pass
    return stamps


def notified(root: Path) -> tuple[threading.Event, Callable[[], None]]:
    """An event the file system sets when anything under content/ or bulletins/ changes
    (inotify on Linux, through watchdog), and the function that stops watching. The editor's
    save is seen at once instead of at the next poll."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    changed = threading.Event()

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            if event.event_type not in ("opened", "closed_no_write"):
                changed.set()

    observer = Observer()
    for name in WATCHED:
        if (root / name).is_dir():
            observer.schedule(Handler(), str(root / name), recursive=True)
    observer.daemon = True
    try:
        observer.start()
    except OSError:  # no watches left (inotify limits): polling alone, as before
        changed.set()
        return changed, not_watching
    return changed, observer.stop


def not_watching() -> None:
    """What notified returns to stop watching when it could not watch: nothing to stop."""


class ContentWatch:
    """What editors changed since the last look: file-system events (notified) and a snapshot.
    Made before the preview's first run, so a save during its first build is not taken as seen."""

    def __init__(self, root: Path, day: Callable[[], dt.date]) -> None:
        self.root, self.day = root, day
        self.event, self.unwatch = notified(root)
        self.poll_s = POLL_S if self.unwatch is not_watching else WATCHED_POLL_S
        self.before, self.last = snapshot(root), day()
        self.edited: list[str] | None = None  # files changed at the last look, relative to the root

    def changed(self, pause: Callable[[], None] = lambda: None) -> bool:
        """Wait for an event (or `poll_s` at most: a missed event, the day); True if a file or
        the publication day really changed since the last call. `pause` is called before the
        snapshot: its ~20,000 stats at 10,000 stories each give up the interpreter lock, and
        with the background layout holding it each waited its turn (0.14 s alone, 1.7 s beside it)."""
        if self.event.wait(self.poll_s):
            time.sleep(SETTLE_S)  # the rest of the editor's save (a rename, a second write)
        pause()
        self.event.clear()
        now, today = snapshot(self.root), self.day()
        if now == self.before and today == self.last:
            return False
        self.edited = edited_files(self.root, self.before, now) if today == self.last else None
        self.before, self.last = now, today
        return True


def edited_files(root: Path, before: dict[str, int], now: dict[str, int]) -> list[str] | None:
    """Files saved again between two snapshots, relative to `root`; None when a file came or went."""
    if before.keys() != now.keys():
        return None
    start = len(str(root)) + 1
    return sorted(path[start:].replace(os.sep, "/") for path, stamp in now.items() if before[path] != stamp)
