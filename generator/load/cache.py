"""Loaded files kept between runs: only files that changed are read, parsed and validated again.

A story, 点评, notice or issue file becomes the same model (and the same problems) whenever its
bytes, its path and the loading code are the same. So each one is kept in build/cache/loaded.pickle
with the file's stat (mtime, ctime, size, inode — any save, rename or replace changes one of
them) and reused while the stat is unchanged (a file saved in the last two seconds is not kept:
a second save within the file system's time resolution could leave its stat unchanged); a change to the code under generator/load/ (or
problems.py, or the pydantic version) empties the cache. Nothing else is cached here:

- a file whose text has image syntax (`![`) is read every time: its result depends on other files
  (the pictures it names, verified by content);
- a file outside the editors' folders (a symlink) is refused before the cache is asked;
- cross-file rules (validate/) and what is public on a day (assemble/) always run on the whole
  content: a cached model is an input to them, never a decision;
- entries of files no longer seen are dropped when the cache is saved, so a deleted or renamed
  file is gone from it, and a damaged cache only costs a full read.

Models go through pickle (fast to read back: ~30 ms for 1,000 stories). The cache file lives in
build/, the generator's own folder, which nothing but the generator writes.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import time
from pathlib import Path

import pydantic

import generator.problems
from generator.load.listing import Listing, Stamp

FILE = "build/cache/loaded.pickle"
RACY_NS = 2_000_000_000


def _code_version() -> str:
    digest = hashlib.sha1(f"{sys.version} {pydantic.VERSION}".encode())
    load = Path(__file__).parent
    for path in sorted(load.glob("*.py")) + [Path(generator.problems.__file__)]:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


VERSION = _code_version()


def stamp(path: Path) -> Stamp | None:
    """The file's stat; None for a symlink (always read: where it leads is checked each time)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if stat.S_ISLNK(st.st_mode):
        return None
    return st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino


def file_digest(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def tree_digests(listing: Listing, folder: str, files: LoadCache, skip: tuple[str, ...]) -> dict[str, str]:
    """sha1 of every file under `folder` but the `skip` folders (the stories, 点评 and notices: their
    digests come from the loaders' entries); a symlink by its target's name, never its content.
    A file's sha1 is kept with its stat, as a loaded file's result is."""
    digests = {}
    skipped = tuple(f"{s}/" for s in skip)
    for entry in listing.tree(folder):
        if entry.is_dir or entry.rel.startswith(skipped):
            continue
        if entry.is_link:
            digests[entry.rel] = "link:" + os.readlink(entry.path)
            continue
        digest = files.digests.get(entry.rel) or files.kept_digest(entry.rel, entry.stamp)  # read by a loader?
        if digest is None:
            digest = file_digest(Path(entry.path))
            files.put(entry.rel, entry.stamp, digest, None)
        digests[entry.rel] = digest
    return digests


class LoadCache:
    """Per-file results (anything picklable) by the file's path relative to the root, and the
    sha1 of every file seen (render/page_cache.py keys pages by them)."""

    def __init__(self, root: Path, enabled: bool = True, file: str = FILE, version: str = ""):
        """`file` and `version`: another stage's per-file results (print/coverage.py), kept apart
        and dropped when its own code or inputs (`version`) change as well as the loader's."""
        self.path = root / file
        self.version = VERSION + version
        self.enabled = enabled
        self.old: dict[str, tuple[Stamp, str, object]] = {}
        self.new: dict[str, tuple[Stamp, str, object]] = {}
        self.digests: dict[str, str] = {}
        self.hits = 0
        if enabled:
            self.old = _read(self.path, self.version)

    def get(self, rel: str, now: Stamp | None):
        """The kept result of `rel` if the file is unchanged, else None."""
        entry = self.old.get(rel)
        if entry is None or now is None or entry[0] != now:
            return None
        self.new[rel] = entry
        self.digests[rel] = entry[1]
        self.hits += 1
        return entry[2]

    def kept_digest(self, rel: str, now: Stamp | None) -> str | None:
        """The kept sha1 of a file whose result is only its digest (tree_digests), if unchanged."""
        entry = self.old.get(rel)
        if entry is None or now is None or entry[0] != now:
            return None
        self.new[rel] = entry
        self.hits += 1
        return entry[1]

    def put(self, rel: str, now: Stamp | None, digest: str, result: object, keep: bool = True) -> None:
        self.digests[rel] = digest
        # A file changed in the last seconds may change again within the file system's time
        # resolution without its stat changing ("racily clean", as Git calls it): not kept.
        if keep and self.enabled and now is not None and now[0] < time.time_ns() - RACY_NS:
            self.new[rel] = (now, digest, result)

    def save(self) -> None:
        """Write what this run saw, when it differs from what was read."""
        if not self.enabled or (self.hits == len(self.new) == len(self.old)):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps({"version": self.version, "entries": self.new}, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only build/ only makes the next run slower


def _read(path: Path, version: str = VERSION) -> dict:
    try:
        data = pickle.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except Exception:  # damaged, truncated, from other code: a full read
        return {}
    if not isinstance(data, dict) or data.get("version") != version or not isinstance(data.get("entries"), dict):
        return {}
    return data["entries"]
