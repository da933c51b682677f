"""Evaluation schemes as each commission writes them: no hidden scale, its own failing grade, its
own 末档, partial rounds in the series' grade names, the annex columns it publishes."""
from __future__ import annotations

from fractions import Fraction

import pytest
from conftest import FIXTURES, copy_project

from generator.evaluation.grading import Result, Round, Scheme, Tier
from generator.evaluation.history import history_flags
from generator.load.content import load_content
from generator.publication import publication_day
from generator.validate import validate

ROUND = "content/evaluations/sc-notices/2024.yml"
NOTICE = "content/notices/sc-notices/2025-8.md"

# 优秀 top 10%, 良好 top 30%, 基本合格 bottom 20%, 不合格 bottom 10%, rest 合格
FIVE = (Tier("优秀", top=Fraction(1, 10)), Tier("良好", top=Fraction(3, 10)),
        Tier("基本合格", bottom=Fraction(1, 5)), Tier("不合格", bottom=Fraction(1, 10)))


def _round(year, grades, **scheme):
    return Round(year, tuple(Result(c, g) for c, g in grades.items()),
                 Scheme(tiers=FIVE, total_max=100, bonus_max=0, **scheme))


def test_a_basic_pass_tier_is_not_bottom_unless_listed():
    rounds = [_round(2023, {"a": "基本合格", "b": "不合格"}), _round(2024, {"a": "基本合格", "b": "不合格"})]
    flags = history_flags(rounds, [], 2024)
    assert flags["a"].repeatedly_bottom is not True and flags["b"].repeatedly_bottom is True
    listed = [_round(y, {"a": "基本合格"}, bottom=("基本合格", "不合格")) for y in (2023, 2024)]
    assert history_flags(listed, [], 2024)["a"].repeatedly_bottom is True


def test_history_flags_follow_the_commissions_failing_grade():
    tiers = (Tier("优秀", top=Fraction(1, 10)), Tier("待改进", bottom=Fraction(1, 10)))
    rounds = [Round(y, (Result("a", "待改进"),), Scheme(tiers=tiers, total_max=100, bonus_max=0, fail="待改进"))
              for y in (2023, 2024)]
    flags = history_flags(rounds, [], 2024, fail="待改进")
    assert flags["a"].consecutive_fail is True and flags["a"].repeatedly_bottom is True


@pytest.fixture
def third(tmp_path):
    return copy_project(tmp_path / "third", FIXTURES / "third")


def _edit(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _problems(root) -> list[str]:
    return [p.format() for p in validate(load_content(root), publication_day())]


@pytest.mark.parametrize("old, new, expected", [
    ("  total_max: 100\n", "", f"{ROUND}:2: 错误：缺少必填字段“scheme.total_max”"),
    ("  bonus_max: 0\n", "", f"{ROUND}:2: 错误：缺少必填字段“scheme.bonus_max”"),
    ("  fail: 不合格 ", "  fail: 差 ", f"{ROUND}:15: 错误：不合格等次 fail 写的是“差”，不在本方案的等次中"),
    ("  rest: 合格\n", "  rest: 合格\n  bottom_grades: [较差]\n", f"{ROUND}:15: 错误：末档等次“较差”不在本方案的等次中"),
])
def test_scheme_problems_at_their_line(third, old, new, expected):
    _edit(third, ROUND, old, new)
    problems = _problems(third)
    assert any(p.startswith(expected) for p in problems), problems


def test_missing_scale_is_an_error_not_a_silent_110(third):
    # An 8-point bonus in a scheme that does not say its scale: reported, never graded on 110/10.
    _edit(third, ROUND, "  bonus_max: 0\n", "")
    _edit(third, ROUND, "{组织管理: 29, 质控工作: 48, 信息化建设: 19}}", "{组织管理: 29, 质控工作: 48, 信息化建设: 19}, bonus: 8}")
    problems = _problems(third)
    assert any("缺少必填字段“scheme.bonus_max”" in p and "bonus_max: 0" in p for p in problems), problems


def test_partial_round_uses_the_series_grade_names(third):
    partial = "year: 2023\npartial: true\nresults:\n  - {center: sc-blood, grade: 基本合格, source: 通报}\n"
    (third / "content/evaluations/sc-notices/2023.yml").write_text(partial, encoding="utf-8")
    assert _problems(third) == []
    (third / "content/evaluations/sc-notices/2023.yml").write_text(partial.replace("基本合格", "较差"), encoding="utf-8")
    problems = _problems(third)
    assert len(problems) == 1 and "content/evaluations/sc-notices/2023.yml:4: 错误：等次“较差”不在评分方案的等次中" in problems[0]
    assert "只能是：优秀、良好、合格、基本合格、不合格" in problems[0]


def test_score_columns_need_scores(project):
    notice = "content/notices/guangxi-notices/2025-15.md"
    _edit(project, notice, "attachments:\n", "annex_columns: [序号, 质控中心, 得分, 评估结果]\nattachments:\n")
    line = (project / notice).read_text(encoding="utf-8").splitlines().index("annex_columns: [序号, 质控中心, 得分, 评估结果]") + 1
    problems = _problems(project)
    assert len(problems) == 1 and problems[0].startswith(f"{notice}:{line}: 错误：附件要印“得分”"), problems
