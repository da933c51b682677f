"""`bulletin serve`: the editors' live preview, fast at archive scale, never silent, never stuck.

One process does it all. A watcher (site/watch.py: file-system events, and a stat per file of
content/ and bulletins/) sees a change; the generator runs in this process (only changed files are read and checked again, only pages
whose inputs changed are rendered, only pages whose text changed are written to
build/preview/docs; its cache files are written once the page is shown: deferred.py) and
reports which pages it wrote or deleted. An edit of a story's or 点评's text alone is shown first:
its page and its issue's page rendered from the last run's site with the new text and built
(generator/edited.py), then the full run follows; a save while it runs stops it before it
writes (generator/superseded.py) and is shown first in turn. The engine then builds exactly those (site/incremental.py: MkDocs' own page functions over the state of its
last full build; a full build when the navigation changed or pages came or went), inside
MkDocs' live-reload server's own build loop, so no request ever sees a half-built site, and the
open page reloads. The first build lays out only the home page; every other page is laid out
when the browser asks for it or, meanwhile, in the background, so the preview opens before the
whole site is built. The server's own polling watcher sees only the engine config (watching the
docs folder would only add delay and a second build). MkDocs warns about dirty builds, so the
preview is not strict.

When a file has an error, every page the browser asks for is the list of problems (file:line,
what is wrong, how to fix it, in Chinese) instead of the page: the server keeps the problems in
memory and answers page requests with them; the page asks again every second and shows the
site once the file is fixed. MkDocs' own server would leave the browser waiting for as long as
its build fails ("The server will appear stuck…"): its builder is wrapped so a failure is shown
the same way and the server never waits for a build that cannot finish.

The watcher also runs the generator again when the day changes: what is public depends on the
day (publication.py), so a scheduled publish_date passing shows without an edit.
"""
from __future__ import annotations

import datetime as dt
import html
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from generator import superseded
from generator.deferred import deferring, run_all
from generator.problems import ContentError, Problem
from generator.site.engine import engine_config, write_engine_config
from generator.site.view import host_port
from generator.site.watch import ContentWatch

RETRY_S = 1  # how often a page showing problems asks again


class _QuietFilter(logging.Filter):
    """MkDocs' messages that are wrong or noise here: the dirty-build warning (expected, see
    above), the English "server will appear stuck" (the builder below never fails) and the
    server's access log of every request that was not 200 (`"GET /x HTTP/1.1" code 404`): a
    wrong address already gets the site's 404 page, and an editor has no use for the lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        access = ' HTTP/' in message and '" code ' in message  # after MkDocs' "[12:00:00] " stamp
        return not access and "'dirty' build" not in message and "appear stuck" not in message


# The pipeline's preview run, handed in by the command: (root) → its result with site, nav, docs.
Generate = Callable[[Path], object]
# Its first answer to an edit (generator/edited.py): (root, the last good result, the edited files
# relative to the root) → a result whose `changed` pages show the edit, or None (the full run only).
Quick = Callable[[Path, object, list[str]], object | None]


class PreviewState:
    """What the browser must see instead of pages (content problems or an engine failure), and the
    docs files the generator changed since the engine last built (None: not known, build all)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.engine_error: str | None = None
        self.pending: set[str] | None = None
        self.saves: list = []  # the last run's cache writes, done once its pages are shown (deferred.py)
        self.last = None  # the last good run's result (what a first answer to an edit starts from)
        self.built = threading.Event()  # set when the engine finished a build
        self.idle = threading.Event()  # clear while an edit is regenerated and built: the background layout waits
        self.idle.set()
        self.lock = threading.Lock()

    def page(self) -> bytes | None:
        """The problem page, or None when the site can be shown."""
        with self.lock:
            problems, engine_error = list(self.problems), self.engine_error
        if problems:
            return problem_page(problems)
        if engine_error:
            return problem_page([], engine_error)
        return None

    def take_pending(self) -> set[str] | None:
        with self.lock:
            pending, self.pending = self.pending, set()
        return pending


def problem_page(problems: list[Problem], engine_error: str | None = None) -> bytes:
    """A whole HTML page listing the problems; every editor string escaped (it is their text)."""
    e = html.escape
    if problems:
        errors = [p for p in problems if not p.warning]
        heading = f"内容有 {len(errors)} 个问题，预览暂停"
        items = "".join(
            f"<li><code>{e(p.file)}{f':{p.line}' if p.line else ''}</code> "
            f"<strong>{'提醒' if p.warning else '错误'}：</strong>{e(p.message)}"
            + (f"<br><span class=hint>怎么改：{e(p.hint)}</span>" if p.hint else "") + "</li>"
            for p in problems)
        body = f"<ol>{items}</ol>"
    else:
        heading = "网站引擎生成预览时出错，预览暂停"
        body = (f"<pre>{e(engine_error or '')}</pre><p>内容检查没有发现问题时，请把这段信息发给技术人员。</p>")
    return (
        "<!doctype html><html lang=zh-CN><head><meta charset=utf-8>"
        f"<meta http-equiv=refresh content={RETRY_S}>"
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<title>{heading}</title><style>"
        "body{font:16px/1.7 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}"
        "h1{font-size:1.3rem;color:#a00}li{margin:.6rem 0}code{background:#f3f3f3;padding:0 .2rem}"
        ".hint{color:#333}pre{white-space:pre-wrap;background:#f6f6f6;padding:.6rem}</style></head>"
        f"<body><main><h1 role=alert>{heading}</h1>{body}"
        "<p>改正并保存文件后，本页会自动刷新，显示改好的页面。终端里也列出了同样的内容。</p>"
        "</main></body></html>"
    ).encode()


def write_preview(root: Path, config_file: Path, generate: Generate) -> set[str] | None:
    """The preview's pages and engine config (rewritten only when it changed); the docs files
    the generator wrote or deleted (None: not reported)."""
    return getattr(preview_run(root, config_file, generate), "changed", None)


def preview_run(root: Path, config_file: Path, generate: Generate):
    """write_preview's run: the generator's result."""
    result = generate(root)
    config = engine_config(root, site_name=result.site.title, nav=result.nav, docs=result.docs.resolve(),
                           site_dir=config_file.parent / "site", copyright=result.site.copyright)
    text_before = config_file.read_text(encoding="utf-8") if config_file.exists() else None
    write_engine_config(config_file.with_suffix(".new"), config)
    if config_file.with_suffix(".new").read_text(encoding="utf-8") != text_before:
        os.replace(config_file.with_suffix(".new"), config_file)  # the engine builds every page on a change only
    else:
        config_file.with_suffix(".new").unlink()
    return result


def regenerate(root: Path, config_file: Path, generate: Generate, state: PreviewState | None = None) -> bool:
    """Pages and engine config of the preview; False when content is wrong (problems printed,
    and kept in `state` for the browser, with the pages the engine must build again)."""
    changed: set[str] | None = set()
    result = None
    try:
        if state is None:
            changed = write_preview(root, config_file, generate)
        else:
            run_all(state.saves)  # a run's cache writes land before the next run reads them
            with deferring() as state.saves:
                result = preview_run(root, config_file, generate)
            changed = getattr(result, "changed", None)
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        found = exc.problems
    else:
        found = []
    if state is not None:
        with state.lock:
            state.problems = found
            state.last = result if not found else None
            if state.pending is not None:
                state.pending = None if changed is None else state.pending | changed
    return not found


def build_and_wait(state: PreviewState, rebuild: Callable[[], None]) -> None:
    """The engine builds the pending pages; back once the server shows them."""
    state.built.clear()
    rebuild()
    if state.built.wait(timeout=60):
        time.sleep(0.05)  # the server shows the pages first


def show_first(root: Path, quick: Quick | None, state: PreviewState, edited: list[str],
               rebuild: Callable[[], None]) -> bool:
    """The edited pages built before the full run, when the edit allows a first answer (`quick`:
    generator/edited.py); whether pages were built. Only from a good run: a page showing
    problems waits for the full run."""
    if quick is None or not edited or state.last is None or state.problems:
        return False
    try:
        result = quick(root, state.last, edited)
    except Exception:  # a first answer only: the full run that follows reads, checks and says it all
        return False
    if result is None or not result.changed:
        return False
    with state.lock:
        if state.pending is not None:
            state.pending |= result.changed
    build_and_wait(state, rebuild)
    return True


def watch_content(root: Path, config_file: Path, generate: Generate, state: PreviewState,
                  stop: threading.Event, rebuild: Callable[[], None], watch: ContentWatch,
                  quick: Quick | None = None) -> None:
    """Run the generator on every change of content (and when the publication day the pipeline
    decides changes), then `rebuild`: the engine builds what changed and open pages reload. A
    save that changes no page (a file touched, saved unchanged) reloads nothing. An edit of a
    story's text is shown first (show_first), then the full run does the rest; a save during
    the full run stops it before it writes (superseded.py), and that save's first answer comes
    next, with every file edited since the last full run that finished, then the full run again."""
    edits: set[str] | None = set()  # files edited since the last full run finished (None: files came or went)
    owed = False  # a full run was stopped by a newer save (superseded.py) and must still run
    try:
        while not stop.is_set():
            if not watch.changed(state.idle.clear) and not owed:  # the background layout waits from here
                state.idle.set()
                continue
            edits = None if edits is None or watch.edited is None else edits | set(watch.edited)
            had_problems = bool(state.problems)
            shown = show_first(root, quick, state, sorted(edits or []), rebuild)
            try:
                with superseded.unless(watch.event):  # saved again meanwhile: that save's first answer now
                    regenerate(root, config_file, generate, state)
            except superseded.Superseded:
                owed = True
                continue
            edits, owed = set(), False
            with state.lock:
                unchanged = state.pending == set() and not had_problems and not state.problems
            if not unchanged:
                build_and_wait(state, rebuild)
            state.idle.set()
            run_all(state.saves)
            if not state.problems and not (unchanged and not shown):
                print("已更新预览。", flush=True)
    finally:
        watch.unwatch()


def _placeholder_config(root: Path, config_file: Path) -> None:
    """An engine config for a first start whose content has errors (pages come once it is fixed)."""
    docs = config_file.parent / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    if not (docs / "index.md").exists():
        (docs / "index.md").write_text("# 预览\n", encoding="utf-8")
    write_engine_config(config_file, engine_config(root, site_name="预览", nav=[], docs=docs.resolve(),
                                                   site_dir=config_file.parent / "site"))


def _error_page(site_dir: str, code: int) -> bytes | None:
    """The site's own 404 page for a wrong address (as `mkdocs serve` does), not English text."""
    page = Path(site_dir) / f"{code}.html"
    return page.read_bytes() if code == 404 and page.is_file() else None


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def stop_on_signals() -> None:
    """`kill <pid>` stops the preview as Ctrl+C does (its site folder removed), and Ctrl+C works
    even when a shell started the preview in the background with SIGINT ignored."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _is_page(path: str) -> bool:
    """A request for a page (what shows problems instead), not for an asset or the reload poll."""
    last = path.rsplit("/", 1)[-1]
    return not path.startswith("/livereload/") and ("." not in last or last.endswith(".html"))


def serve_preview(root: Path, config_file: Path, generate: Generate, dev_addr: str, *, day: Callable[[], dt.date],
                  dirty: bool = True, incremental: bool = True, apps: Callable[[str], Callable | None] | None = None,
                  quick: Quick | None = None) -> None:
    """Serve the preview whose pages `generate(root)` writes and whose engine config is
    `config_file`, on `dev_addr`, until interrupted. `incremental` (the default): only the pages
    the generator changed are built (site/incremental.py); otherwise MkDocs' own builds of the
    whole site, dirty (pages newer than their HTML) or, without `dirty`, full. `apps(path)`: a
    WSGI app that answers that path instead of the preview, before the problem page (the form
    editor, site/editor.py). `day()`: the publication day as the pipeline decides it; the preview
    regenerates when it changes (a scheduled publish_date passing). `quick`: the first answer to
    an edit, built before the full run (show_first)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    from generator.site.incremental import PreviewEngine

    host, port = host_port(dev_addr)
    state = PreviewState()
    print("正在生成预览…", flush=True)
    watch = ContentWatch(root, day)
    if not regenerate(root, config_file, generate, state) and not config_file.exists():
        _placeholder_config(root, config_file)
    run_all(state.saves)
    site_dir = tempfile.mkdtemp(prefix="zk-preview-")
    engine = PreviewEngine(config_file, site_dir) if incremental else None

    def builder() -> None:
        """The engine's build of what changed; a failure is shown in the browser instead of stalling it."""
        pending = state.take_pending()
        try:
            if engine is not None and not engine.builds["lazy"]:
                engine.start(server.url)  # the first build: pages laid out on request and in the background
                threading.Thread(target=engine.fill, args=(stop, state.idle), daemon=True).start()
            elif engine is not None:
                engine.build(pending, server.url)
            else:
                config = load_config(config_file=str(config_file), site_dir=site_dir, strict=False)
                config.site_url = server.url
                build(config, serve_url=server.url, dirty=dirty)
        except (Exception, SystemExit) as exc:  # SystemExit: MkDocs' own config errors
            with state.lock:
                state.engine_error = f"{type(exc).__name__}: {exc}"
                state.pending = None  # built nothing: next time, everything
            print(f"网站引擎出错（浏览器里也显示了）：{state.engine_error}", file=sys.stderr)
        else:
            with state.lock:
                state.engine_error = None
        finally:
            state.built.set()

    class Server(LiveReloadServer):
        def server_activate(self) -> None:
            super().server_activate()
            url = f"http://{host}:{self.server_address[1]}/"
            print(f"预览地址：{url}\n用浏览器打开它；保存文件后页面自动刷新，内容有错时页面上直接显示问题。"
                  "按 Ctrl+C 停止预览。", flush=True)

        def serve_request(self, environ, start_response):
            if apps and (app := apps(environ.get("PATH_INFO", ""))):
                return app(environ, start_response)
            path = environ.get("PATH_INFO", "")
            page = state.page() if _is_page(path) else None
            if page is None:
                if engine is not None and _is_page(path):
                    engine.ensure(path)  # a page the first build left for later: laid out now
                return super().serve_request(environ, start_response)
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store"),
                                      ("Content-Length", str(len(page)))])
            return [page]

        def rebuild(self) -> None:
            """A build by the server's own loop, as its file watcher asks for one (MkDocs 1.6:
            requests wait for it to finish, then open pages reload)."""
            with self._rebuild_cond:
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

    server = Server(builder=builder, host=host, port=port, root=site_dir)
    server.error_handler = lambda code: _error_page(site_dir, code)
    stop_on_signals()
    server.build_delay = 0.01  # the generator has already waited for the editor's save to finish
    for name in ("mkdocs.commands.build", "mkdocs.livereload"):
        logging.getLogger(name).addFilter(_QuietFilter())
    stop = threading.Event()
    builder()
    threading.Thread(target=watch_content, args=(root, config_file, generate, state, stop, server.rebuild, watch, quick),
                     daemon=True).start()
    server.watch(str(config_file))  # also what makes the server put its reload script into pages
    if engine is None:
        server.watch(yaml.safe_load(config_file.read_text(encoding="utf-8"))["docs_dir"])  # as written, even if invalid
    try:
        server.serve()
    except KeyboardInterrupt:
        print("预览已停止。", file=sys.stderr)
    finally:
        stop.set()
        server.shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
