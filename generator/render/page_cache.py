"""Rendered pages kept between runs: a page is rendered again only when what it shows may differ.

A page's text is a function of the code, the day and mode of the run (what is public), and the
content files it shows. Each kept page carries a key over exactly those:

- the **site key**: a hash of the generator's code (every .py and template under generator/),
  the day, preview or public build, the public address, and every content file that is not a
  story or a 点评 (site.yml, series, centers, evaluation rounds, notices, issue files) — so an
  edit to any of those renders every page again;
- per page, the story and 点评 files it shows: a story page and its issue's page the files of
  every story in that issue (titles of the previous/next story, the issue's list), a center page
  those of every story it lists, plus the page's own date and downloads (PDF/Word sizes).

Pages that count or list across the whole site (home, archives, centers index, feed, search) are
rendered every time. A story that stops being public leaves the lists it was in, which changes
their keys. The key of each page kind is written beside its template call in pages.py; a test
(tests/test_page_cache.py) renders after edits with and without this cache and compares every page.

Kept in build/cache/pages-<mode>.pickle: each page's key and the sha256 of its text, which
publish.write_pages uses to skip unchanged files; the text itself is the file the run before wrote
(a kept page is a pages.KeptPage, rendered again only if its text is asked for). Entries of pages
not rendered in a run are dropped.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent
_code: str | None = None


def code_key() -> str:
    """A hash of the generator's code and templates (read once per process)."""
    global _code
    if _code is None:
        digest = hashlib.sha1()
        for path in sorted(GENERATOR.rglob("*")):
            if path.suffix in (".py", ".j2") and "ingest" not in path.parts:
                digest.update(path.relative_to(GENERATOR).as_posix().encode() + b"\0" + path.read_bytes())
        _code = digest.hexdigest()
    return _code


def hash_of(*parts) -> str:
    digest = hashlib.sha1()
    for part in parts:
        digest.update(str(part).encode("utf-8") + b"\x1f")
    return digest.hexdigest()


class PageCache:
    """Page texts by path, each with the key it was rendered under."""

    _memory: dict[Path, tuple[tuple, dict]] = {}  # a running preview: the file as last read or written

    def __init__(self, path: Path | None, site_key: str):
        self.path, self.site_key = path, site_key
        self.old: dict[str, tuple[str, str]] = {}  # page path → (key, sha256 of its text)
        self.new: dict[str, tuple[str, str]] = {}
        self.rendered = 0
        if path:
            self.old = self._read(path)

    def _read(self, path: Path) -> dict:
        stamp = _stamp(path)
        if stamp is None:
            return {}
        kept = self._memory.get(path)
        if kept and kept[0] == stamp:
            return kept[1]
        try:
            data = pickle.loads(path.read_bytes())
            entries = data["entries"] if data.get("code") == code_key() else {}
        except Exception:  # damaged or from other code: every page is rendered
            entries = {}
        if not isinstance(entries, dict):
            entries = {}
        self._memory[path] = (stamp, entries)
        return entries

    def lookup(self, path: str, key_parts: tuple) -> tuple[str, tuple[str, str] | None]:
        """The key of the page at `path`, and its kept (key, sha256) if that key is unchanged."""
        key = hash_of(self.site_key, path, *key_parts)
        entry = self.old.get(path)
        if entry is None or entry[0] != key:
            return key, None
        self.new[path] = entry
        return key, entry

    def keep(self, path: str, key: str, text: str) -> str:
        """Keep a page rendered anew under `key`; its sha256."""
        entry = self.new[path] = (key, hashlib.sha256(text.encode("utf-8")).hexdigest())
        self.rendered += 1
        return entry[1]

    def save(self) -> None:
        if not self.path or (self.rendered == 0 and self.new.keys() == self.old.keys()):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps({"code": code_key(), "entries": self.new}, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, self.path)
            self._memory[self.path] = (_stamp(self.path), self.new)
        except OSError:
            pass  # a read-only build/ only makes the next run slower


def _stamp(path: Path) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino
