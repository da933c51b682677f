"""Every file a docstring, a comment, the README or docs/ names exists (DEVELOPERS.md: "a
docstring that names a file names one that exists"). Files move; the text that points at them
must move with them.

What counts as naming a file, to keep examples and outputs out:
- a path anchored at the repository's top (`generator/…`, `tests/…`, `benchmarks/…`, `scripts/…`,
  `docs/…`), with any extension or none, possibly followed by an attribute
  (`generator/load/hygiene.UNPRINTABLE`): it must exist from the repository root;
- a source file's name with or without folders (`terms.py`, `load/models.py`,
  `templates/common.typ`, `assets/zk-search.js`; scripts and style sheets only with a folder, as
  bare `bundle.js` or `pagefind.js` are third-party or built): some file of the repository must
  end with it;
- a dotted module (`generator.publication`, `generator.cli.main`) must be a module or a name in one.
Data and output files (`content/site.yml`, `build/engine.yml`, `story-02.md`, `config.json`) are
what an office's project or a build holds, not this repository: not checked.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

from benchmarks.project import REPO

SOURCE = r"(?:py|typ|j2|js|css|sh)"
TOP = r"(?:generator|tests|benchmarks|scripts|docs)"
NAME = re.compile(rf"(?<![\w./<>{{-])((?:[\w-]+/)*[\w-]+\.{SOURCE})(?![\w/])")
ANCHORED = re.compile(rf"(?<![\w./<>{{-])({TOP}/[\w./-]*\w)")
DOTTED = re.compile(r"(?<![\w./-])(generator(?:\.\w+)+)")
SKIP = {"node_modules", "__pycache__", "fixtures"}


def repository_files() -> list[str]:
    """The tool's own files (never the live content/ and bulletins/, which an office replaces)."""
    files = [p for top in ("generator", "benchmarks", "scripts", "docs", "tests") for p in (REPO / top).rglob("*")]
    return [p.relative_to(REPO).as_posix() for p in [*files, *REPO.glob("*")]
            if p.is_file() and not SKIP & set(p.relative_to(REPO).parts)]


def module_exists(dotted: str) -> bool:
    """A module or package, or at most two attribute names below one (generator.cli.main)."""
    parts = dotted.split(".")
    for k in range(len(parts), 0, -1):
        path = REPO.joinpath(*parts[:k])
        if path.with_suffix(".py").is_file() or (path / "__init__.py").is_file():
            return len(parts) - k <= 2
    return False


def missing_names(text: str, files: list[str]) -> list[str]:
    """The file and module names in `text` that name nothing in the repository."""
    missing = []
    for match in ANCHORED.finditer(text):
        name = match.group(1)
        attribute_of = re.sub(r"\.[A-Za-z_]\w*$", "", name)  # load/hygiene.UNPRINTABLE
        if not ((REPO / name).exists() or (REPO / f"{attribute_of}.py").is_file()):
            missing.append(name)
    for match in NAME.finditer(text):
        name = match.group(1)
        if "/" not in name and name.endswith((".js", ".css")):
            continue  # bare script names are mostly third-party or built (bundle.js, pagefind.js)
        if not re.match(TOP + "/", name) and not any(f == name or f.endswith("/" + name) for f in files):
            missing.append(name)
    missing += [m.group(1) for m in DOTTED.finditer(text) if not module_exists(m.group(1))]
    return missing


def python_texts(path: Path):
    """(line, text) of every docstring and comment of a Python file."""
    source = path.read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                yield getattr(node, "lineno", 1), doc
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string


def named_texts():
    for path in sorted([*REPO.glob("generator/**/*.py"), *REPO.glob("benchmarks/**/*.py"), *REPO.glob("tests/*.py")]):
        for line, text in python_texts(path):
            yield f"{path.relative_to(REPO)}:{line}", text
    for path in [REPO / "README.md", *sorted(REPO.glob("docs/*.md"))]:
        for line, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            yield f"{path.relative_to(REPO)}:{line}", text


def test_every_named_file_exists():
    files = repository_files()
    stale = [f"{where}: {name}" for where, text in named_texts() for name in missing_names(text, files)]
    assert not stale, "names of files that do not exist:\n" + "\n".join(stale)


@pytest.mark.parametrize("text, missing", [
    ("Usage: python scripts/compact_fonts.py SOURCE", ["scripts/compact_fonts.py"]),
    ("see search_terms.py for the terms", ["search_terms.py"]),
    ("rules in generator/validate.py", ["generator/validate.py"]),
    ("the loader (generator.load.nothing_here.x.y)", ["generator.load.nothing_here.x.y"]),
    ("see terms.py, load/models.py, generator/load/hygiene.UNPRINTABLE and generator.publication.public_on", []),
    ("written to build/engine.yml from content/site.yml, e.g. story-02.md", []),
])
def test_the_check_tells_stale_from_present(text, missing):
    assert missing_names(text, repository_files()) == missing
