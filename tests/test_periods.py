"""Issue periods: how each numbering prints, and what is wrong with an issue's numbers (file:line)."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from conftest import FIXTURES, copy_project

from generator.load import periods
from generator.load.content import load_content
from generator.publication import publication_day
from generator.validate import validate


def issue(year=2025, quarter=None, month=None, number=None, total_number=None, title=None):
    return SimpleNamespace(year=year, quarter=quarter, month=month, number=number, total_number=total_number,
                           title=title)


@pytest.mark.parametrize("fmt, numbers, printed", [
    (None, dict(year=2024, quarter=3), "2024年第3季度"),
    (None, dict(number=7), "2025年第7期"),
    (None, dict(month=5), "2025年5月"),
    (None, dict(number=7, total_number=58), "2025年第7期（总第58期）"),
    (None, dict(quarter=2, total_number=12), "2025年第2季度（总第12期）"),
    ("{year}年第{number}期（总第{total_number}期）", dict(number=7, total_number=58), "2025年第7期（总第58期）"),
    ("第{number}期", dict(number=3, month=2), "第3期"),
    (None, dict(title="“改善就医感受 提升患者体验”主题活动专刊"), "“改善就医感受 提升患者体验”主题活动专刊"),
    ("{year}年第{number}期", dict(title="专刊"), "专刊"),
    ("{year}年第{number}期", dict(number=9, title="专刊"), "2025年第9期"),
])
def test_period_text(fmt, numbers, printed):
    assert periods.period_text(fmt, issue(**numbers)) == printed


def test_period_helpers():
    assert periods.parenthesized("2024年第3季度") == "（2024年第3季度）"
    assert periods.parenthesized("2025年第7期（总第58期）") == "2025年第7期（总第58期）"
    assert periods.in_year("2025年第7期（总第58期）", 2025) == "第7期（总第58期）"
    assert periods.in_year("专刊", 2025) == "专刊"
    assert periods.date_range(issue(2024, quarter=4)) == (dt.date(2024, 10, 1), dt.date(2024, 12, 31))
    assert periods.date_range(issue(2024, month=2)) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert periods.clamp(dt.date(2030, 1, 1), issue(2024, quarter=3)) == dt.date(2024, 9, 30)
    for bad in ("{year.__class__}", "{0}", "{number!r}", "{number:>3}", "{issue}"):
        with pytest.raises(ValueError):
            periods.format_fields(bad)


def _problems(root) -> list[str]:
    return [p.format() for p in validate(load_content(root), publication_day())]


def _edit(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def third(tmp_path):
    return copy_project(tmp_path / "third", FIXTURES / "third")


@pytest.mark.parametrize("rel, old, new, expected", [
    ("bulletins/sc-bulletin/2025-07.yml", "date: 2025-07-31", "date: 2025-08-01",
     "bulletins/sc-bulletin/2025-07.yml:6: 错误：印发日期2025年8月1日不在本期所属的2025年7月之内"),
    ("bulletins/cd-bulletin/2025-q2.yml", "date: 2025-06-27", "date: 2025-07-01",
     "bulletins/cd-bulletin/2025-q2.yml:4: 错误：印发日期2025年7月1日不在本期所属的2025年第2季度（4—6月）之内"),
    ("bulletins/sc-bulletin/2025-zk1.yml", "date: 2025-08-08", "date: 2024-12-30",
     "bulletins/sc-bulletin/2025-zk1.yml:5: 错误：印发日期2024年12月30日不在本期所属的2025年之内"),
    ("bulletins/cd-bulletin/2025-q2.yml", "quarter: 2", "quarter: 2\nmonth: 7",
     "bulletins/cd-bulletin/2025-q2.yml:4: 错误：7月不在第2季度"),
    ("bulletins/sc-bulletin/2025-07.yml", "total_number: 58\n", "",
     "bulletins/sc-bulletin/2025-07.yml:1: 错误：系列“sc-bulletin”的期次格式要用到 total_number，本期没有写"),
    ("bulletins/sc-bulletin/2025-07.yml", "total_number: 58", "total_number: 57",
     "bulletins/sc-bulletin/2025-07.yml:5: 错误：总期号“总第57期”与 bulletins/sc-bulletin/2025-06.yml 重复"),
    ("content/series/sc-bulletin.yml", 'period_format: "{year}', 'period_format: "{yaer}',
     "content/series/sc-bulletin.yml:4: 错误：期次格式“{yaer}年第{number}期（总第{total_number}期）”写法不对"),
    ("bulletins/sc-bulletin/2025-07.yml", "month: 7", "month: 13",
     "bulletins/sc-bulletin/2025-07.yml:3: 错误：“month”的值 13 超出范围"),
])
def test_wrong_numbers_are_reported_at_their_line(third, rel, old, new, expected):
    _edit(third, rel, old, new)
    problems = _problems(third)
    assert any(p.startswith(expected) for p in problems), problems


def test_same_slug_in_two_series_never_points_at_the_other_series(third):
    # The city issue lists a story its folder lacks; the provincial "infection" is not the answer.
    _edit(third, "bulletins/cd-bulletin/2025-q2.yml", "stories: [infection]", "stories: [infection, pharmacy]")
    problems = _problems(third)
    assert len(problems) == 1 and "本期列出的稿件“pharmacy”不存在" in problems[0], problems
    assert "sc-bulletin" not in problems[0] and "content/stories/cd-bulletin/2025-q2/" in problems[0]
    # A story naming a missing issue of its own series is offered its own series' issues.
    _edit(third, "content/stories/cd-bulletin/2025-q2/infection.md", "issue: cd-bulletin/2025-q2",
          "issue: cd-bulletin/2025-07")
    problems = [p for p in _problems(third) if "infection.md" in p]
    assert problems and all("sc-bulletin" not in p for p in problems), problems
