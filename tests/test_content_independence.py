"""The tool's suite never depends on the live content/ and bulletins/.

An office replaces the demo with its own publications; its first real issue must not make
`make test` fail (nor block its own deploy). Tests copy tests/fixtures/demo (or build their own
trees); conftest's audit hook fails any test that opens a live content file at run time, and this
module also rejects source that names the live folders next to the repository root.
"""
from __future__ import annotations

import re
from pathlib import Path

from conftest import DEMO, REPO

HERE = Path(__file__).parent
# The repository root joined with a live content folder, or the whole checkout used as a project.
LIVE_REF = re.compile(r"""(REPO|ROOT|parents?\[\d\]|\.parent\.parent)\s*/\s*["'](content|bulletins)\b"""
                      r"""|(load_content|load_registry|synthesize)\(\s*(REPO|ROOT)\b|copy_project\([^)]*\b(REPO|ROOT)\b"""
                      r"""|["']--root["']\s*,\s*str\((REPO|ROOT)\)""")


def _sources() -> list[Path]:
    mine = Path(__file__).resolve()  # its examples below are what the pattern must catch
    return sorted(p for p in [*HERE.glob("*.py"), *(REPO / "benchmarks").glob("*.py")] if p.resolve() != mine)


def test_no_test_or_benchmark_refers_to_the_live_content():
    found = [f"{path.relative_to(REPO)}:{n}: {line.strip()}"
             for path in _sources()
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if LIVE_REF.search(line)]
    assert found == []


def test_the_pattern_catches_the_usual_ways_of_reading_the_live_content():
    for line in ['load_content(ROOT)', 'REPO / "content/centers/hubei.yml"', "ROOT / 'bulletins'",
                 'copy_project(tmp, REPO)', 'main(["--root", str(REPO), "check"])',
                 'Path(__file__).resolve().parents[1] / "content"']:
        assert LIVE_REF.search(line), line
    for line in ['root / "content/centers/hubei.yml"', 'REPO / "tests/data/x.json"', "copy_project(tmp)"]:
        assert not LIVE_REF.search(line), line


def test_the_demo_fixture_is_a_whole_project():
    for name in ("content/site.yml", "content/series", "content/centers", "bulletins", "mkdocs.yml"):
        assert (DEMO / name).exists(), name
