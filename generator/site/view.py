"""`bulletin view`: the public build (site/) served on this computer as its web host will serve it.

Opening site/index.html from disk is not the site: folder addresses show file listings, and
with a public `url` under a path (https://example.org/zkjb/) the 404 page and the sitemap expect
that path. This server mounts site/ at that path, answers a folder without index.html with the
site's own 404 page (never a listing), and sends `/` to the site's start.
"""
from __future__ import annotations

import posixpath
import sys
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.problems import UsageError


def host_port(addr: str) -> tuple[str, int]:
    """'127.0.0.1:8000' → ('127.0.0.1', 8000); a wrong address is the editor's usage error."""
    host, _, port = addr.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"地址“{addr}”的写法不对：写成 主机:端口，例如 127.0.0.1:8000")
    return host, int(port)


def base_path(site_url: str | None) -> str:
    """'/zkjb/' for https://example.org/zkjb/, '/' without a configured address."""
    path = urlsplit(site_url or "").path.strip("/")
    return f"/{path}/" if path else "/"


class SiteHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args, directory: str, base: str, **kwargs):
        self.base = base
        super().__init__(*args, directory=directory, **kwargs)

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        if not (path + "/").startswith(self.base):
            return str(Path(self.directory) / ".outside-the-site" / "none")  # not a file: 404
        rel = posixpath.normpath("/" + path[len(self.base):]).lstrip("/")
        return str(Path(self.directory) / rel) + ("/" if path.endswith("/") and rel else "")

    def do_GET(self) -> None:
        if self.path.split("?")[0] == "/" and self.base != "/":
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", self.base)
            self.end_headers()
            return
        super().do_GET()

    def list_directory(self, path):  # a folder without index.html: the site's 404, as on the host
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # one line per request is noise for editors
        pass


def view_server(site: Path, host: str, port: int, base: str) -> ThreadingHTTPServer:
    return ThreadingHTTPServer((host, port), partial(SiteHandler, directory=str(site), base=base))


def serve_site(site: Path, dev_addr: str, base: str) -> None:
    host, port = host_port(dev_addr)
    server = view_server(site, host, port, base)
    url = f"http://{host}:{server.server_address[1]}{base}"
    print(f"公开网站（{site}）的本机地址：{url}\n这就是发布后读者看到的网站（不含未公开内容）。按 Ctrl+C 停止。",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("已停止。", file=sys.stderr)
    finally:
        server.server_close()
