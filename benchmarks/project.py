"""A throwaway project: the demo content and config copied from this checkout.

Used by the tests and the benchmarks alike; the generator comes from the installed package
(the engine config it writes points at its own theme), so nothing is linked.
"""
from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROJECT_FILES = ["content", "bulletins", "mkdocs.yml"]


def copy_project(target: Path, source: Path = REPO) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = source / name
        if src.is_dir():
            shutil.copytree(src, target / name)
        elif src.exists():
            shutil.copy2(src, target / name)
    return target
