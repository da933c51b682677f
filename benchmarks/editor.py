"""`bulletin serve --edit` as an editor runs it, for the browser tests and `make bench`: the
preview with the form editor on a free port of 127.0.0.1, in a project copy that uses this
repository's installed Decap (.decap/, linked), stopped as Ctrl+C stops it."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
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

    def children(self) -> list[int]:
        """Processes the server started (decap-server), by their parent's pid."""
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(stat[1]) == self.process.pid:
                    found.append(int(entry))
        return found


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
