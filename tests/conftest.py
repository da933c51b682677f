"""Shared fixtures: the demo content copied to a temporary project and built once per session."""
from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.project import REPO, copy_project  # noqa: F401  (REPO: tests read the repo's own files)
from generator.cli import main


@pytest.fixture(scope="session")
def built_demo(tmp_path_factory) -> Path:
    """The demo project, built with `bulletin build` (site, PDFs, search index). Returns its root."""
    root = copy_project(tmp_path_factory.mktemp("demo") / "project")
    assert main(["--root", str(root), "build"]) == 0
    return root


@pytest.fixture
def project(tmp_path) -> Path:
    """A fresh, unbuilt copy of the demo project for tests that change content."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium (installed by `make setup`; never a downloaded browser)."""
    from benchmarks.browser import chromium

    with chromium() as b:
        yield b


@pytest.fixture(scope="session")
def demo_url(built_demo):
    """The built demo site on http://127.0.0.1:<port> (no trailing slash)."""
    from benchmarks.browser import served

    with served(built_demo / "site") as url:
        yield url
