"""A build cache for pure text → text steps (Markdown → HTML, page → search terms).

Kept in build/cache/<name>.json between runs, keyed by a hash of the input; the key also holds
a hash of the code that computes the result, so changing that code empties the cache. A cold
run (fresh checkout, CI) computes everything; a warm one (the preview, a second `make site`)
only what changed. Entries not used in a run are dropped when it is saved, so the cache never
grows beyond the current site.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Callable
from pathlib import Path

import markdown
import nh3


def code_version(*modules) -> str:
    """A hash of the source of `modules` and the versions of the libraries they lean on."""
    digest = hashlib.sha1(f"{markdown.__version__} {nh3.__version__}".encode())
    for module in modules:
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


class TextCache:
    def __init__(self, path: Path | None, version: str):
        self.path, self.version = path, version
        self.old: dict[str, str] = {}
        self.new: dict[str, str] = {}
        if path and path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("version") == version:
                    self.old = data["entries"]
            except (ValueError, KeyError, OSError):
                self.old = {}  # a damaged cache is only a slower run

    def get(self, text: str, compute: Callable[[str], str]) -> str:
        key = hashlib.sha1(text.encode("utf-8")).hexdigest()
        value = self.new.get(key)
        if value is None:
            value = self.old.get(key)
            if value is None:
                value = compute(text)
            self.new[key] = value
        return value

    def save(self) -> None:
        """Write the entries used in this run, if they differ from what was read."""
        if not self.path or self.new.keys() == self.old.keys():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"version": self.version, "entries": self.new}, ensure_ascii=False),
                       encoding="utf-8")
        os.replace(tmp, self.path)


def memory_cache() -> TextCache:
    """A cache that lives only as long as the run (tests, PDFs, one-off renders)."""
    return TextCache(None, "")


class DigestCache:
    """Results by the sha256 of their input, when the caller already knows it (a kept page's
    digest): nothing is hashed again. Kept like TextCache, in a pickle beside it."""

    def __init__(self, path: Path | None, version: str):
        self.path, self.version = path, version
        self.old: dict[str, object] = {}
        self.new: dict[str, object] = {}
        if path and path.exists():
            try:
                data = pickle.loads(path.read_bytes())
                if data.get("version") == version and isinstance(data.get("entries"), dict):
                    self.old = data["entries"]
            except Exception:
                self.old = {}  # a damaged cache is only a slower run

    def get(self, digest: str):
        value = self.new.get(digest)
        if value is None:
            value = self.old.get(digest)
            if value is not None:
                self.new[digest] = value
        return value

    def put(self, digest: str, value: object) -> None:
        self.new[digest] = value

    def save(self) -> None:
        if not self.path or self.new.keys() == self.old.keys():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps({"version": self.version, "entries": self.new}, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, self.path)
