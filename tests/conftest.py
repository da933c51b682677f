"""Shared fixtures: the demo content copied to a temporary project and built once per session.

The demo comes from tests/fixtures/demo. No test may read the live content/ or bulletins/: an
office replaces them with its own publications, and its first real issue must not break the
tool's suite. `_no_live_content` watches every file this process opens to make sure, and that no test writes
into tests/fixtures (a generator run on a fixture tree itself leaves build/ caches there).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from benchmarks.project import DEMO, FIXTURES, REPO, copy_project  # noqa: F401  (REPO: the tool's own files only)
from generator.cli import main

LIVE = tuple(os.path.join(str(REPO), name) for name in ("content", "bulletins"))
FIXTURE_TREE = str(FIXTURES) + os.sep
_live_reads: list[str] = []
_fixture_writes: list[str] = []


def _audit(event: str, args: tuple) -> None:
    # Audit hooks cannot be removed; this one only compares path prefixes, so it stays cheap.
    if event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, Path)):
        path = os.path.abspath(args[0])
        if any(path == live or path.startswith(live + os.sep) for live in LIVE):
            _live_reads.append(path)
        if event == "open" and path.startswith(FIXTURE_TREE) and len(args) > 1 and \
                isinstance(args[1], str) and any(m in args[1] for m in "wax+"):
            _fixture_writes.append(path)
    elif event in ("os.mkdir", "os.rename", "os.remove") and args and isinstance(args[0], (str, Path)):
        if os.path.abspath(args[0]).startswith(FIXTURE_TREE):
            _fixture_writes.append(os.path.abspath(args[0]))


sys.addaudithook(_audit)


@pytest.fixture(autouse=True)
def _no_live_content():
    """Fail the test that read the live content/ or bulletins/ (instead of a fixture copy)."""
    _live_reads.clear()
    yield
    found, _live_reads[:] = sorted(set(_live_reads)), []
    assert not found, f"test read the live content (use copy_project / tests/fixtures): {found[:5]}"
    written, _fixture_writes[:] = sorted(set(_fixture_writes)), []
    assert not written, f"test wrote into the fixture trees (build a copy: copy_project): {written[:5]}"


@pytest.fixture(scope="session")
def form_editor() -> None:
    """Decap CMS as `make setup` installs it (.decap/): a test of the form editor fails without it
    rather than skipping, so a broken install cannot pass unseen."""
    from generator.cms.install import installed

    assert installed(REPO), "form editor not installed: run make setup (npm installs the pinned Decap CMS into .decap/)"


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
