"""Measuring the site as a reader's browser sees it: a local server, headless Chromium (Debian's,
never a downloaded one), the search page driven through its own search box.

Used by `make bench` and by tests/test_search.py. Nothing here reaches the network: the browser
is started with background networking off and every request it makes is recorded.
"""
from __future__ import annotations

import gzip
import io
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
QUERIES = Path(__file__).resolve().parent.parent / "tests" / "data" / "search_queries.json"
TOP = 5
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")


class _Handler(SimpleHTTPRequestHandler):
    """Static files; with `gzip=True` compresses text types like any production web server."""

    gzip = False

    def log_message(self, *args) -> None:  # quiet
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.exists() and (missing := Path(self.directory) / "404.html").is_file():
            return self._not_found(missing)  # as GitHub Pages and a configured nginx do
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.gzip and wants and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        data = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)

    def _not_found(self, page: Path):
        data = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


@contextmanager
def served(folder: Path, gzip_text: bool = False) -> Iterator[str]:
    """`folder` on http://127.0.0.1:<free port>; yields the base URL (no trailing slash)."""
    handler = type("Handler", (_Handler,), {"gzip": gzip_text})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Traffic:
    """Every request a page made, with the bytes of each response body as transferred."""

    urls: list[str] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)

    def watch(self, target) -> None:
        """Record the requests of a page or of a whole browser context (its workers included)."""
        target.on("request", lambda r: self.urls.append(r.url))
        target.on("requestfinished", self._finished)

    def _finished(self, request) -> None:
        try:
            size = request.sizes()["responseBodySize"]
            if not size and (response := request.response()):
                size = int(response.headers.get("content-length") or len(response.body()))
            self.sizes[request.url] = size
        except Exception:  # the page went away before the sizes were read
            pass

    def foreign(self, base: str) -> list[str]:
        """Requests to any host other than the local server (data: URLs are not requests)."""
        host = urlsplit(base).netloc
        return [u for u in self.urls if not u.startswith(("data:", "blob:")) and urlsplit(u).netloc != host]

    def total(self, part: str = "") -> int:
        return sum(size for url, size in self.sizes.items() if part in url)


def load_queries(path: Path = QUERIES) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["queries"]


def result_links(page, timeout_ms: int = 15000) -> list[str]:
    """Paths of the results shown on the search page once the search has settled."""
    page.wait_for_function(
        """() => {
            const box = document.querySelector('#zk-search');
            if (!box || box.getAttribute('data-state') !== 'done') return false;
            const links = box.querySelectorAll('[data-result-url]');
            return [...links].every(a => a.getAttribute('href'));
        }""",
        timeout=timeout_ms,
    )
    return page.eval_on_selector_all("#zk-search [data-result-url]", "els => els.map(a => a.getAttribute('href'))")


def search_from_header(page, base: str, query: str) -> list[str]:
    """Type the query into the header's search box on the home page, submit, read the results."""
    page.goto(base + "/")
    page.fill("#zk-q", query)
    page.press("#zk-q", "Enter")
    page.wait_for_url("**/search/**")
    return result_links(page)


def search_page(page, base: str, query: str) -> list[str]:
    """The search page opened with ?q= (what the header form submits), results read."""
    page.goto(f"{base}/search/?q={quote(query)}")
    return result_links(page)


def story_slug(path: str) -> str | None:
    """`/<series>/<year>-q<n>/<slug>/` → slug; anything else (issue, center, notice page) → None."""
    parts = [p for p in urlsplit(path).path.split("/") if p]
    if len(parts) == 3 and len(parts[1]) == 7 and parts[1][4:6] == "-q":
        return parts[2]
    return None


def is_hit(links: list[str], slug: str, normalize=lambda s: s) -> bool:
    """The expected story is among the first TOP results (`normalize` maps a synthetic slug back)."""
    return any((s := story_slug(link)) and normalize(s) == slug for link in links[:TOP])


@dataclass
class Recall:
    hits: int
    total: int
    misses: list[dict]
    seconds: float
    foreign_requests: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return round(self.hits / self.total, 3) if self.total else 0.0


def measure_recall(browser, base: str, queries: list[dict], normalize=lambda s: s, via_header: bool = False) -> Recall:
    """Recall@TOP of the query set, one fresh page per query."""
    started = time.perf_counter()
    context = browser.new_context()
    traffic = Traffic()
    traffic.watch(context)
    page = context.new_page()
    hits, misses = 0, []
    for item in queries:
        links = (search_from_header if via_header else search_page)(page, base, item["q"])
        if is_hit(links, item["slug"], normalize):
            hits += 1
        else:
            misses.append({"q": item["q"], "slug": item["slug"], "top": links[:TOP]})
    context.close()
    return Recall(hits, len(queries), misses, round(time.perf_counter() - started, 2), traffic.foreign(base))


def first_search(browser, base: str, query: str) -> dict:
    """Bytes a first-time reader's browser receives for the search page and one query (no cache)."""
    context = browser.new_context()
    traffic = Traffic()
    traffic.watch(context)
    page = context.new_page()
    links = search_page(page, base, query)
    page.wait_for_load_state("networkidle")
    context.close()
    return {
        "bytes": traffic.total(),
        "pagefind_bytes": traffic.total("/pagefind/"),
        "requests": len(traffic.urls),
        "foreign_requests": traffic.foreign(base),
        "results": len(links),
        "files": {urlsplit(u).path: s for u, s in sorted(traffic.sizes.items())},
    }
