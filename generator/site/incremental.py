"""The preview's engine builds: one full MkDocs build, then only the pages the generator rewrote.

MkDocs' own dirty build (`build(config, dirty=True)`) still reads the config, lists every file,
scans the theme, compiles its templates, builds the navigation and renders the 404 page and the
sitemap on every change: ~1.5 CPU s at 1,000 stories before the one changed page is rendered.
Here the state of the last full build (config, files, navigation, template environment; captured
by a plugin object added to the preview's own config in this process, never written to a config
file) is kept, and a change of known pages renders just those pages through MkDocs' own page
functions (`_populate_page`, `_build_page`: pinned MkDocs 1.6.1; tests/test_preview_engine.py
fails if they stop doing so).

The generator's side knows nothing of this: it reports which files it wrote or deleted in the
docs folder (`BuildResult.changed`), and `PreviewEngine.build` decides:

- engine config changed (navigation, site name, theme options): a clean full build, since every
  page shows the navigation;
- pages added or removed, a path MkDocs does not know, or no earlier build in this process: a
  dirty full build (pages newer than their HTML), the HTML of removed pages deleted first;
- otherwise the changed pages only; should that fail for any reason but the content (MkDocs'
  functions changed), a plain dirty build instead.

The first build of a preview (`PreviewEngine.start`) is lazy: every page is read (cheap: the
pages are HTML, passthrough.py) but only the home page is laid out in the theme (~3 ms a page,
3.5 s at 1,000 stories); the others wait in `deferred`. A page the browser asks for is laid out
at once (`ensure`), and `fill` lays out the rest in the background, one page per lock hold so a
request never waits for more than one page. An edit meanwhile builds its pages as above; any
full build clears what is deferred.
"""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from urllib.parse import unquote

from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin

from generator.site.compact import add_compact
from generator.site.passthrough import add_passthrough

log = logging.getLogger(__name__)


HOME = "index.md"


def _not_modified() -> bool:
    return False


class _State(BasePlugin):
    """Keeps what a build made: the files, the navigation and the theme's environment. With
    `lazy`, every page but the home page is left out of the layout (all pages are read first:
    on_env comes after reading, before layout) and kept in `deferred` by its URL."""

    def __init__(self, lazy: bool = False) -> None:
        self.files = self.nav = self.env = None
        self.doc_files: list = []
        self.lazy = lazy
        self.deferred: dict[str, object] = {}

    def on_nav(self, nav, config, files):
        self.nav, self.files = nav, files
        return nav

    def on_env(self, env, config, files):
        self.env, self.files = env, files
        self.doc_files = files.documentation_pages()
        if self.lazy:
            for file in files.documentation_pages():
                if file.src_uri != HOME:
                    file.is_modified = _not_modified  # MkDocs' dirty build then skips its layout
                    self.deferred[unquote(file.url)] = file
        return env


class PreviewEngine:
    """Builds the preview site in `site_dir` from the engine config `config_file`."""

    def __init__(self, config_file: Path, site_dir: str):
        self.config_file, self.site_dir = config_file, site_dir
        self.config = None
        self.state: _State | None = None
        self.config_text: str | None = None
        self.builds = {"clean": 0, "dirty": 0, "pages": 0, "fallback": 0, "lazy": 0}  # what ran, for tests and logs
        self.lock = threading.RLock()  # one engine step at a time: MkDocs keeps the current page in its config

    def _config_text(self) -> str | None:
        try:
            return self.config_file.read_text(encoding="utf-8")
        except OSError:
            return None

    def full(self, site_url: str, clean: bool = False, lazy: bool = False) -> None:
        """MkDocs' build (dirty unless `clean`: only pages newer than their HTML), keeping its
        state; `lazy`: pages but the home page deferred (see the module docstring)."""
        with self.lock:
            self.state = None
            text = self._config_text()
            config = load_config(config_file=str(self.config_file), site_dir=self.site_dir, strict=False)
            config.site_url = site_url
            state = _State(lazy)
            config.plugins["zk-preview-state"] = state
            add_passthrough(config)
            add_compact(config)
            mkdocs_build.build(config, serve_url=site_url, dirty=lazy or not clean)
            self.config, self.state, self.config_text = config, state, text
            self.builds["lazy" if lazy else "clean" if clean else "dirty"] += 1

    def start(self, site_url: str) -> None:
        """The first build of a preview into its empty site folder: lazy."""
        self.full(site_url, lazy=True)

    def ensure(self, path: str) -> bool:
        """Lay out the deferred page a request for `path` (/a/b/ or /a/b/index.html, as WSGI's
        PATH_INFO: UTF-8 bytes read as Latin-1) asks for; True if it was deferred."""
        url = path.encode("latin-1", "replace").decode("utf-8", "replace").lstrip("/")
        url = url[: -len("index.html")] if url.endswith("index.html") else url
        state = self.state
        if state is None or url not in state.deferred:
            return False
        with self.lock:
            if self.state is state and url in state.deferred:
                self._lay_out(state.deferred.pop(url))
        return True

    def fill(self, stop: threading.Event | None = None, idle: threading.Event | None = None) -> int:
        """Lay out every deferred page, one per lock hold, pausing while `idle` is clear (an
        edit being shown comes first); returns how many."""
        done = 0
        while not (stop and stop.is_set()):
            if idle is not None and not idle.wait(timeout=0.5):
                continue
            with self.lock:
                state = self.state
                if state is None or not state.deferred:
                    return done
                self._lay_out(state.deferred.pop(next(iter(state.deferred))))
            done += 1
        return done

    def _lay_out(self, file) -> None:
        file.__dict__.pop("is_modified", None)  # its own dirty check again, for later builds
        state = self.state
        mkdocs_build._build_page(file.page, self.config, state.doc_files, state.nav, state.env)

    def build(self, changed: set[str] | None, site_url: str) -> str:
        """Bring the site up to date after the generator wrote or deleted `changed` (paths in the
        docs folder; None: not known, so a full build). Returns which build ran."""
        with self.lock:
            return self._build(changed, site_url)

    def _build(self, changed: set[str] | None, site_url: str) -> str:
        state = self.state
        if state is None or state.env is None or self._config_text() != self.config_text:
            self.full(site_url, clean=True)
            return "clean"
        if changed is None or not self._known(changed):
            self._drop_removed(changed or set())
            self.full(site_url)
            return "dirty"
        try:
            self._pages(changed)
        except Exception as exc:  # the engine's own functions changed: its plain build
            log.debug("page-by-page build failed (%s); dirty build instead", exc)
            self.builds["fallback"] += 1
            self.full(site_url)
            return "dirty"
        return "pages"

    def _known(self, changed: set[str]) -> bool:
        """Every changed path is a file of the last build that still exists (no page added or removed)."""
        files, docs = self.state.files, Path(self.config.docs_dir)
        return all(files.get_file_from_path(path) is not None and (docs / path).is_file() for path in changed)

    def _drop_removed(self, changed: set[str]) -> None:
        """The built output of files the generator deleted: a dirty build would leave it served."""
        files, docs = self.state.files, Path(self.config.docs_dir)
        for path in changed:
            file = files.get_file_from_path(path)
            if file is not None and not (docs / path).exists():
                try:
                    os.unlink(file.abs_dest_path)
                except OSError:
                    pass

    def _pages(self, changed: set[str]) -> None:
        config, state = self.config, self.state
        files = state.files
        doc_files = files.documentation_pages()
        for path in sorted(changed):
            file = files.get_file_from_path(path)
            if file.is_documentation_page():
                state.deferred.pop(unquote(file.url), None)
                file.__dict__.pop("is_modified", None)
                mkdocs_build._populate_page(file.page, config, files)
                mkdocs_build._build_page(file.page, config, doc_files, state.nav, state.env)
            else:
                file.copy_file()
        self.builds["pages"] += 1
