"""Evaluation-round mistakes an editor can make, each reported with file, line and a fix."""
from __future__ import annotations

import pytest

from generator.cli import main

ROUND = "content/evaluations/guangxi-notices/2021.yml"
SCORED = """\
year: 2021
scheme:
  areas: [{name: 组织管理, max: 50}, {name: 质控培训, max: 50}]
  total_max: 110
  bonus_max: 10
  tiers:
    - {grade: 优秀, top: 10%}
    - {grade: 良好, top: 30%}
    - {grade: 不合格, bottom: 10%}
results:
  - center: gx-nursing
    scores: {组织管理: 40, 质控培训: 45}
    bonus: 5
  - center: gx-clinical-lab
    scores: {组织管理: 30, 质控培训: 35}
"""

CASES = {
    "score above an area's maximum": (
        SCORED.replace("组织管理: 40", "组织管理: 55"), 12, "超过"),
    "bonus above its cap": (
        SCORED.replace("bonus: 5", "bonus: 15"), 13, "加分"),
    "unknown center": (
        SCORED.replace("center: gx-clinical-lab", "center: gx-no-such-center"), 14, "不在质控中心名录中"),
    "duplicate center": (
        SCORED.replace("center: gx-clinical-lab", "center: gx-nursing"), 14, "出现两次"),
    "excluded center with a score": (
        SCORED.replace("results:", "excluded: {count: 1, reason: 委托筹建, centers: [gx-clinical-lab]}\nresults:"), 15,
        "不参加评估"),
    "overlapping tiers": (
        SCORED.replace("{grade: 良好, top: 30%}", "{grade: 良好, top: 5%}"), 8, "良好"),
    "tiers above 100%": (
        SCORED.replace("{grade: 不合格, bottom: 10%}", "{grade: 不合格, bottom: 80%}"), 6, "100%"),
    "grades for some, scores for others": (
        SCORED.replace("    scores: {组织管理: 30, 质控培训: 35}\n", "    grade: 合格\n"), 10, "部分中心有得分"),
}


@pytest.mark.parametrize("name", CASES)
def test_round_mistake_is_reported_with_file_and_line(project, capsys, name):
    text, line, words = CASES[name]
    (project / ROUND).write_text(text, encoding="utf-8")
    assert main(["--root", str(project), "check"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    located = [ln for ln in err.splitlines() if ln.startswith(f"{ROUND}:{line}: 错误：")]
    assert located and any(words in ln for ln in located), err


def test_valid_scored_round_passes_and_grades_are_computed(project, capsys):
    (project / ROUND).write_text(SCORED, encoding="utf-8")
    assert main(["--root", str(project), "check"]) == 0, capsys.readouterr().err
