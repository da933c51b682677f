"""A throwaway project: the demo content and config copied from the test fixtures.

Used by the tests and the benchmarks alike; the generator comes from the installed package
(the engine config it writes points at its own theme), so nothing is linked. The demo is read
from tests/fixtures/demo, never from the live content/ and bulletins/: an office replaces those
with its own publications, and neither the suite nor the benchmark may depend on what it writes.
"""
from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
DEMO = FIXTURES / "demo"  # the Hubei bulletin and the Guangxi notice, as shipped
PROJECT_FILES = ["content", "bulletins", "mkdocs.yml"]


def copy_project(target: Path, source: Path = DEMO) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = source / name
        if src.is_dir():
            shutil.copytree(src, target / name)
        elif src.exists():
            shutil.copy2(src, target / name)
    return target
