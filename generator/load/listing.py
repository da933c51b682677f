"""The editors' folders as one run sees them: each listed once, every file with its stat.

The loaders, the digests of content/ (render/pages.py keys pages by them) and the print coverage
check (print/coverage.py) all walk the same folders; walking and stat-ing 2,000 files three times
over, through pathlib, cost more than reading the few files that changed. A `Listing` walks each
folder once with os.scandir (one lstat per file) and hands out plain strings, Path objects only
for the files a stage actually opens.

A listing is what `os.walk` sees: it does not descend into a linked folder (a link to a folder
is listed as an entry that is not a file), but a folder asked for by name is followed when it is
itself a link, as `os.walk(root / folder)` does (the loaders then refuse its files one by one).
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple

Stamp = tuple[int, int, int, int]


class Entry(NamedTuple):
    """A non-folder entry: `rel` to the root with "/", `path` as the OS spells it."""

    rel: str
    path: str
    stamp: Stamp | None  # mtime, ctime, size, inode; None for a symlink (where it leads is checked each time)
    is_file: bool  # a file, or a link to one
    is_link: bool
    is_dir: bool  # a link to a folder (folders themselves are walked, not listed)


def _entry(entry: os.DirEntry, rel: str) -> Entry:
    try:
        is_link = entry.is_symlink()
        st = None if is_link else entry.stat(follow_symlinks=False)
        is_file = stat.S_ISREG(st.st_mode) if st else entry.is_file()
        is_dir = bool(is_link and entry.is_dir())
    except OSError:
        return Entry(rel, entry.path, None, False, False, False)
    return Entry(rel, entry.path, st and (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino), is_file,
                 is_link, is_dir)


class Listing:
    """Entries under the root's folders, in path order (as sorted(Path.glob(…)) lists them)."""

    def __init__(self, root: Path):
        self.root = root
        self._trees: dict[str, list[Entry]] = {}
        self._walked_dirs: dict[str, set[str]] = {}  # folder → the real folders found under it

    def tree(self, folder: str) -> list[Entry]:
        """Every entry under `folder` (relative, "/"-separated) that is not a folder walked into."""
        if folder in self._trees:
            return self._trees[folder]
        top = folder.split("/", 1)[0]
        if top != folder:
            self.tree(top)  # content/ walked once, its folders taken from it
        parent = next((top for top, dirs in self._walked_dirs.items() if folder in dirs), None)
        if parent is not None:  # a real folder inside one already walked: the same entries
            prefix = folder + "/"
            found = [e for e in self._trees[parent] if e.rel.startswith(prefix)]
        else:
            dirs: set[str] = set()
            found = []
            base = self.root / folder
            if base.is_dir():
                self._walk(str(base), folder, found, dirs)
            self._walked_dirs[folder] = dirs
        self._trees[folder] = found
        return found

    def _walk(self, path: str, rel: str, found: list[Entry], dirs: set[str]) -> None:
        try:
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            return  # unreadable, as os.walk skips it
        for entry in entries:
            child = f"{rel}/{entry.name}"
            try:
                real_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                real_dir = False
            if real_dir:
                dirs.add(child)
                self._walk(entry.path, child, found, dirs)
            else:
                found.append(_entry(entry, child))

    def files(self, folder: str, suffix: str, recursive: bool = True) -> list[Entry]:
        """Files (or links to files) named `*suffix` under `folder`; only its own with `recursive` False."""
        depth = folder.count("/") + 1
        return [e for e in self.tree(folder) if e.is_file and e.rel.endswith(suffix)
                and (recursive or e.rel.count("/") == depth)]
