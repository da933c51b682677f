"""`bulletin serve --edit` as an editor runs it, for the browser tests and `make bench`: the
preview with the form editor on a free port of 127.0.0.1, in a project copy that uses this
repository's installed Decap (.decap/, linked), stopped as Ctrl+C stops it; and what an editor
does in the form (log in, open an entry, save)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.preview import fetch, free_port
from benchmarks.project import REPO

DECAP = REPO / ".decap"


@dataclass
class EditServer:
    base: str  # http://127.0.0.1:<port> (no trailing slash)
    process: subprocess.Popen
    log: Path

    def descendants(self) -> list[int]:
        """Every process the server started, directly or not (decap-server under its keeper)."""
        parents = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                parents[int(entry)] = int(stat[1])
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            kids = [child for child, parent in parents.items() if parent == pid]
            found += kids
            todo += kids
        return found


def alive(pids: list[int]) -> list[int]:
    """Those of `pids` still running (zombies waiting to be reaped count as ended)."""
    out = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.append(pid)
    return out


def link_editor(root: Path) -> None:
    if not (root / ".decap").exists():
        (root / ".decap").symlink_to(DECAP)


@contextmanager
def edit_server(root: Path, timeout: float = 120) -> Iterator[EditServer]:
    link_editor(root)
    port = free_port()
    log = root / "edit-server.log"
    out = open(log, "w")
    process = subprocess.Popen([sys.executable, "-m", "generator", "--root", str(root), "serve", "--edit",
                                "--dev-addr", f"127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT)
    server = EditServer(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + timeout
        while "</html>" not in fetch(server.base + "/") or "decap-cms.js" not in fetch(server.base + "/admin/"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("serve --edit did not start:\n" + log.read_text(encoding="utf-8"))
            time.sleep(0.2)
        yield server
    finally:
        stop(server)
        out.close()


def stop(server: EditServer) -> None:
    """Ctrl+C: the preview stops and ends decap-server with it."""
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGINT)
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


@contextmanager
def logged_in(browser, server: EditServer):
    """A page of the form editor after 登录 on the local backend, collections listed. Records
    every request (`pg.requests`) and every alert (`pg.dialogs`, accepted)."""
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    pg = context.new_page()
    pg.requests, pg.dialogs = [], []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.accept()))
    pg.goto(server.base + "/admin/")
    pg.get_by_role("button", name="登录").click()
    pg.get_by_text("稿件（全部）").first.wait_for()
    try:
        yield pg
    finally:
        context.close()


def choose_from_menu(pg, opener, item, tries: int = 3) -> None:
    """Open a Decap dropdown and click one of its items. The editor re-renders now and then
    (a mode switch, an autosave), which can close a menu just opened: the item leaves the DOM
    and Playwright waits for it forever. Open it again, at most `tries` times."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(tries):
        if not item.is_visible():
            opener.click()
        try:
            item.click(timeout=5000)
            return
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise


def publish(pg) -> None:
    """发布 → 立即发布: the local backend writes the file."""
    choose_from_menu(pg, pg.get_by_role("button", name="发布").first, pg.get_by_role("menuitem", name="立即发布"))
    pg.get_by_text("修改已保存").first.wait_for(timeout=15000)


def open_entry(pg, server: EditServer, path: str) -> None:
    """A fresh load of the page: Decap keeps the previous editor's draft when only the address's
    #fragment changes (an editor goes back to the list first, which clears it)."""
    pg.goto(server.base + "/admin/#/collections/" + path)
    pg.reload()
    pg.locator("[data-slate-editor], input").first.wait_for()
    pg.wait_for_timeout(800)


def measure_editor(root: Path, collection: str = "stories", label: str = "稿件（全部）", timeout: float = 120) -> dict:
    """`make bench`: seconds from opening /admin/ to its collections listed (登录 on the local
    backend included), then from clicking a collection to its entries listed, on `root`'s content
    (the 1,000-story archive: every story in one collection)."""
    from benchmarks.browser import chromium
    from generator.cms.install import installed

    if not installed(REPO):
        return {"admin_ready_s": None, "collection_open_s": None, "entries": None, "why": "form editor not installed"}
    try:
        return _measure(root, collection, label, timeout, chromium)
    except Exception as exc:  # a bench figure missing, never the bench stopped
        return {"admin_ready_s": None, "collection_open_s": None, "entries": None, "why": str(exc)[:300]}


def _measure(root: Path, collection: str, label: str, timeout: float, chromium) -> dict:
    cards = f"a[href*='/collections/{collection}/entries/']"
    with edit_server(root, timeout) as server, chromium() as browser:
        context = browser.new_context(viewport={"width": 1300, "height": 1000})
        pg = context.new_page()
        started = time.perf_counter()
        pg.goto(server.base + "/admin/")
        pg.get_by_role("button", name="登录").click()
        pg.get_by_text(label).first.wait_for(timeout=timeout * 1000)
        ready = time.perf_counter() - started
        started = time.perf_counter()
        pg.get_by_text(label).first.click()
        pg.locator(cards).first.wait_for(timeout=timeout * 1000)
        opened = time.perf_counter() - started
        entries = pg.locator(cards).count()
        context.close()
    return {"admin_ready_s": round(ready, 2), "collection_open_s": round(opened, 2), "entries": entries}


if __name__ == "__main__":  # python -m benchmarks.editor [project]: the two figures for one project
    import json

    from benchmarks.project import DEMO, copy_project

    with tempfile.TemporaryDirectory(prefix="zk-editor-") as tmp:
        source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEMO
        print(json.dumps(measure_editor(copy_project(Path(tmp) / "project", source))))
