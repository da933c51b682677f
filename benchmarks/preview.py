"""Preview refresh, measured as an editor lives it: `bulletin serve` running, one story saved,
time until the browser's next request for that story's page shows the edit."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def wait_for(url: str, marker: str, timeout: float, poll: float = 0.05) -> float | None:
    """Seconds until `url` serves a page containing `marker`, or None after `timeout`."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if marker in fetch(url):
            return time.perf_counter() - started
        time.sleep(poll)
    return None


def edit_story(path: Path, marker: str) -> None:
    """Append a paragraph, as an editor saving the file would."""
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(f"{text}\n\n{marker}\n", encoding="utf-8")


def measure_refresh(root: Path, story: Path, url_path: str, edits: int = 2, startup_timeout: float = 180,
                    command: list[str] | None = None, port: int | None = None) -> dict:
    """Start `bulletin serve` on `root` (or `command`, serving on `port`), save `story` `edits`
    times, time each refresh."""
    port = port or free_port()
    base = f"http://127.0.0.1:{port}/"
    command = command or [sys.executable, "-m", "generator", "--root", str(root), "serve",
                          "--dev-addr", f"127.0.0.1:{port}"]
    log = open(root / "build" / "serve.log", "w")
    started = time.perf_counter()
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    result: dict = {}
    try:
        ready = wait_for(base + url_path, "</html>", startup_timeout, poll=0.25)
        result["startup_s"] = round(time.perf_counter() - started, 2) if ready is not None else None
        if ready is None:
            return result
        time.sleep(1.0)  # let the watcher settle after the first build
        times = []
        for n in range(edits):
            marker = f"预览刷新测量标记{n}{int(time.time())}"
            edit_story(story, marker)
            took = wait_for(base + url_path, marker, timeout=120)
            times.append(round(took, 2) if took is not None else None)
            time.sleep(1.5)  # the rebuild that follows the generator's own writes
        result["refresh_s"] = times
        return result
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server and its children: we started them
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
