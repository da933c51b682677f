"""`bulletin view` / `make view`: the public build seen locally as its host serves it."""
from __future__ import annotations

import http.client
import threading
from pathlib import Path

import pytest

from generator.cli import main
from generator.site.view import base_path, view_server


@pytest.fixture(scope="module")
def viewed(built_demo):
    server = view_server(built_demo / "site", "127.0.0.1", 0, "/zkjb/")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def get(port: int, path: str) -> tuple[int, dict, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, dict(response.getheaders()), body


def test_site_is_served_under_its_public_path(viewed):
    status, _, body = get(viewed, "/zkjb/")
    assert status == 200 and "</html>" in body
    status, _, body = get(viewed, "/zkjb/hubei-bulletin/2024-q3/pediatrics/")
    assert status == 200 and "2024年9月27日" in body
    status, headers, _ = get(viewed, "/")
    assert status == 302 and headers["Location"] == "/zkjb/"


@pytest.mark.parametrize("path", ["/zkjb/assets/", "/zkjb/no-such-page/", "/elsewhere/", "/zkjb/../../etc/passwd"])
def test_no_folder_listing_and_the_sites_own_404(viewed, path):
    status, _, body = get(viewed, path)
    assert status == 404
    assert "Directory listing" not in body and "root:" not in body
    assert "</html>" in body  # the site's 404 page, not a bare server message


def test_base_path_from_the_public_address():
    assert base_path(None) == "/" and base_path("https://example.org/") == "/"
    assert base_path("https://example.org/zkjb/") == "/zkjb/" and base_path("https://example.org/a/b") == "/a/b/"


def test_build_says_how_to_look_at_the_public_site(project, capsys):
    assert main(["--root", str(project), "view"]) == 2  # nothing built yet
    assert "先运行 bulletin build（或 make site）" in capsys.readouterr().err
    assert main(["--root", str(project), "build", "--no-pdf"]) == 0
    assert "在本机查看：运行 bulletin view（或 make view）" in capsys.readouterr().out
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "make view" in readme and "bulletin view" in readme


@pytest.mark.parametrize("command", ["serve", "view"])
def test_a_wrong_address_is_a_usage_error(project, capsys, command):
    assert main(["--root", str(project), command, "--dev-addr", "8000"]) == 2
    assert "写成 主机:端口" in capsys.readouterr().err
