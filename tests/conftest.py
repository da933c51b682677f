"""Shared fixtures: the demo content copied to a temporary project and built once per session."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main

REPO = Path(__file__).resolve().parent.parent
PROJECT_FILES = ["content", "bulletins", "mkdocs.yml"]


def copy_project(target: Path) -> Path:
    """A throwaway project holding the demo content; the generator and theme come from the repo."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, target / name)
        else:
            shutil.copy2(src, target / name)
    # mkdocs.yml points at generator/ for the hook and theme overrides.
    (target / "generator").symlink_to(REPO / "generator")
    return target


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
    from generator.bench_browser import chromium

    with chromium() as b:
        yield b


@pytest.fixture(scope="session")
def demo_url(built_demo):
    """The built demo site on http://127.0.0.1:<port> (no trailing slash)."""
    from generator.bench_browser import served

    with served(built_demo / "site") as url:
        yield url
