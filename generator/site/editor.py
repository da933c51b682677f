"""`bulletin serve --edit`: the form editor at /admin/ of the live preview, with decap-server.

decap-server (Decap's local backend, npm, pinned; generator/cms/install.py) reads and writes the
project's files; it listens on 127.0.0.1 only, on a free port, and lives exactly as long as the
preview: a tied process (generator/tied.py), its group killed when the preview stops and by its
keeper should the preview die first, SIGKILL included. The preview's server answers
/admin/ itself, before its problem page, so the form stays reachable while content has errors;
the config is generated again from the content on every load of the page (a center or issue
added through the form is offered after a reload).
"""
from __future__ import annotations

import mimetypes
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.cms.admin import INDEX, config_json, static_files
from generator.cms.install import installed, server_script
from generator.load.paths import ADMIN
from generator.problems import UsageError
from generator.tied import TiedProcess

HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _wait_listening(port: int, process: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise UsageError("表单编辑器的本地服务（decap-server）未能启动：" + _output(process))
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise UsageError("表单编辑器的本地服务（decap-server）没有在 20 秒内就绪")


def _output(process: subprocess.Popen) -> str:
    try:
        return (process.communicate(timeout=1)[0] or b"").decode(errors="replace")[-500:]
    except subprocess.TimeoutExpired:
        return ""


@contextmanager
def decap_server(root: Path) -> Iterator[str]:
    """decap-server for `root` on 127.0.0.1; yields its API URL; ended with its whole group."""
    if not installed(root):
        raise UsageError("还没有安装网页表单编辑器：用 make edit 打开表单编辑（第一次会用 npm 安装固定版本的 Decap CMS，"
                         "约几分钟），或先运行 python -m generator.cms.install .")
    node = shutil.which("node")
    if node is None:
        raise UsageError("找不到 node：先运行 make setup（会安装 Debian 的 nodejs）")
    port = _free_port()
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", str(root)), "PORT": str(port),
           "BIND_HOST": HOST, "MODE": "fs", "GIT_REPO_DIRECTORY": str(root), "LOG_LEVEL": "warn"}
    process = TiedProcess([node, str(server_script(root))], cwd=root, env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait_listening(port, process)
        yield f"http://{HOST}:{port}/api/v1"
    finally:
        process.kill_group()
        if process.stdout:
            process.stdout.close()


Wsgi = Callable


def admin_app(root: Path, api_url: str) -> Wsgi:
    """A WSGI app for /admin/…: the page, the config generated now, the bundle's files."""
    from generator.load import load_content

    files = static_files(root)
    prefix = f"/{ADMIN}/"

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == prefix.rstrip("/"):
            start_response("301 Moved Permanently", [("Location", prefix), ("Content-Length", "0")])
            return [b""]
        name = path[len(prefix):] or "index.html"
        if name == "index.html":
            body, kind = INDEX.encode(), "text/html; charset=utf-8"
        elif name == "config.json":
            # Content with errors still loads (every readable file): the form is how they get fixed.
            body, kind = config_json(load_content(root), api_url), "application/json; charset=utf-8"
        elif name in files:
            body = files[name].read_bytes()
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            kind += "; charset=utf-8" if kind.endswith("javascript") else ""
        else:
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return ["没有这个文件".encode()]
        start_response("200 OK", [("Content-Type", kind), ("Content-Length", str(len(body))),
                                  ("Cache-Control", "no-store")])
        return [body]

    return app


def is_admin(path: str) -> bool:
    return path == f"/{ADMIN}" or path.startswith(f"/{ADMIN}/")


def announce(api_url: str, dev_addr: str) -> None:
    print(f"表单编辑器：http://{dev_addr}/{ADMIN}/ （本机服务 {api_url}，随预览一起停止）", file=sys.stderr, flush=True)
