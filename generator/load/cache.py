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

A process that runs the pipeline again (the preview) keeps the file's entries as it last read or
wrote them (not read again while its stat is unchanged), and the stories, 点评 and notices it
unpickled (`get(…, shared=True)`): an unchanged file's model is then the object the run before
used, not a fresh copy (no stage changes a loaded model; unpickling 20,000 of them cost a
second at 10,000 stories).
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
from generator.load.yaml_source import folder_outside

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
        digest = files.digests.get(entry.rel)  # read by a loader this run?
        if digest is None:
            digest = files.kept_digest(entry.rel, entry.stamp)
        if not digest:
            digest = file_digest(Path(entry.path))
            if not files.seen(entry.rel):  # a loader's own entry keeps its result
                files.put(entry.rel, entry.stamp, digest, None)
        digests[entry.rel] = digest
    return digests


def read_with_digest(read, path: str) -> tuple[object, bool, bool, str]:
    """`read(Path)` → (result, read_ok, cacheable) and the file's sha1 when `read_ok` (no digest
    of a file that was refused: a link leaving content/ is never read)."""
    result, read_ok, cacheable = read(Path(path))
    return result, read_ok, cacheable, file_digest(Path(path)) if read_ok else ""


def kept_or_read(files: LoadCache | None, rel: str, now: Stamp | None, path: str, root: Path, read, done=None,
                 shared: bool = False):
    """The result of one editor file: kept from the last run while its stat is unchanged, else
    read (read_with_digest) and kept. A symlink (no stamp) and a file in a folder linking out of
    the editors' folders are read every time. `done`: read_with_digest's answer for this file,
    made already (a first build reads files on two cores: load/content.cached_files). `shared`:
    a kept result may be the object an earlier run in this process was handed."""
    if files is None:
        return (done or read(Path(path)))[0]
    if now is not None:
        parent = os.path.dirname(path)
        outside = files.outside.get(parent)
        if outside is None:
            outside = files.outside[parent] = folder_outside(Path(parent), root)
        kept = None if outside else files.get(rel, now, shared)
        if kept is not None:
            return kept
    result, _, cacheable, digest = done or read_with_digest(read, path)
    files.put(rel, now, digest, result, keep=cacheable)
    return result


class LoadCache:
    """Per-file results (anything picklable) by the file's path relative to the root, and the
    sha1 of every file seen (render/page_cache.py keys pages by them).

    Each result is pickled on its own and kept as bytes: a run that changed one file pickles
    that one and writes the others' bytes back as they were read (pickling 2,000 models again
    took longer than the rest of the load), and every `get` hands out a fresh copy."""

    _files: dict[Path, tuple[Stamp | None, str, dict]] = {}  # cache file → (its stat, version, entries) as last read or written
    _results: dict[tuple[Path, str], tuple[bytes, object]] = {}  # (cache file, rel) → (entry bytes, result): `shared` gets

    def __init__(self, root: Path, enabled: bool = True, file: str = FILE, version: str = ""):
        """`file` and `version`: another stage's per-file results (print/coverage.py), kept apart
        and dropped when its own code or inputs (`version`) change as well as the loader's."""
        self.path = root / file
        self.version = VERSION + version
        self.enabled = enabled
        self.old: dict[str, tuple[Stamp, str, bytes]] = {}
        self.new: dict[str, tuple[Stamp, str, bytes]] = {}  # entries of `old` seen unchanged
        self.fresh: dict[str, tuple[Stamp, str, object]] = {}  # results read this run, pickled by `save`
        self.digests: dict[str, str] = {}
        self.outside: dict[str, bool] = {}  # folder → leaves the editors' folders (yaml_source.folder_outside)
        if enabled:
            now = stamp(self.path)
            known = self._files.get(self.path)
            if known and now and known[0] == now and known[1] == self.version:
                self.old = known[2]
            else:
                self.old = _read(self.path, self.version)
                self._files[self.path] = (now, self.version, self.old)

    def _unchanged(self, rel: str, now: Stamp | None) -> tuple[Stamp, str, bytes] | None:
        entry = self.old.get(rel)
        if entry is None or now is None or entry[0] != now:
            return None
        self.new[rel] = entry
        return entry

    def get(self, rel: str, now: Stamp | None, shared: bool = False):
        """The kept result of `rel` if the file is unchanged, else None; a fresh copy unless
        `shared` (then the object handed out for the same entry earlier in this process)."""
        entry = self._unchanged(rel, now)
        if entry is None:
            return None
        known = self._results.get((self.path, rel)) if shared else None
        if known is not None and known[0] is entry[2]:
            result = known[1]
        else:
            try:
                result = pickle.loads(entry[2])
            except Exception:  # a damaged entry: read the file again
                del self.new[rel]
                return None
            if shared:
                self._results[(self.path, rel)] = (entry[2], result)
        if result is not None:
            self.digests[rel] = entry[1]
        return result

    def kept_digest(self, rel: str, now: Stamp | None) -> str | None:
        """The kept sha1 of a file whose result is only its digest (tree_digests), if unchanged."""
        entry = self._unchanged(rel, now)
        return entry and entry[1]

    def seen(self, rel: str) -> bool:
        """Whether this run kept or read `rel` already."""
        return rel in self.new or rel in self.fresh

    def put(self, rel: str, now: Stamp | None, digest: str, result: object, keep: bool = True) -> None:
        self.digests[rel] = digest
        self.new.pop(rel, None)
        # A file changed in the last seconds may change again within the file system's time
        # resolution without its stat changing ("racily clean", as Git calls it): not kept.
        if keep and self.enabled and now is not None and now[0] < time.time_ns() - RACY_NS:
            self.fresh[rel] = (now, digest, result)

    def save(self) -> None:
        """Write what this run saw, when it differs from what was read."""
        if not self.enabled or (not self.fresh and self.new.keys() == self.old.keys()):
            return
        entries = dict(self.new)
        for rel, (now, digest, result) in self.fresh.items():
            entries[rel] = (now, digest, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps({"version": self.version, "entries": entries}, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, self.path)
        except OSError:
            return  # a read-only build/ only makes the next run slower
        self._files[self.path] = (stamp(self.path), self.version, entries)
        for key in [k for k in self._results if k[0] == self.path and k[1] not in entries]:
            del self._results[key]  # a file deleted or changed: its model is not kept in memory


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
