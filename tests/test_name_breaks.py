"""Chart labels break a center's name between its words (generator/phrasing.py), never inside one,
and take the center's short name when the full one cannot be broken so within the label's room."""
from __future__ import annotations

from generator.assemble.statistics import FigureDef, FigureRow, FigureTable
from generator.charts.draw import _label
from generator.charts.files import issue_spec
from generator.phrasing import label_phrases, wrap


def test_names_wrap_between_words():
    assert wrap("南京市儿科医疗质量控制中心", 12) == ["南京市儿科", "医疗质量控制中心"]
    assert wrap("某某市护理质量控制中心", 12) == ["某某市护理质量控制中心"]
    assert label_phrases("涉及医疗机构（个）") == ["涉及医疗机构", "（个）"]
    assert _label("南京市儿科医疗质量控制中心") == "南京市儿科\n医疗质量控制中心"


def table(*names_keys: tuple[str, str]) -> FigureTable:
    figures = [FigureDef(name="培训场次", unit="场")]
    rows = [FigureRow(name, key, {"培训场次": 3}) for name, key in names_keys]
    return FigureTable(figures, rows, FigureRow("合计", "", {"培训场次": 3 * len(rows)}))


def test_chart_takes_the_short_name_only_when_the_full_name_cannot_break_between_words():
    long = "示例省职业健康检查和职业病诊断技术质量控制中心"  # a 14-character word: no room in 12
    t = table(("南京市儿科医疗质量控制中心", "nj-ped"), (long, "occupational"))
    short = {"nj-ped": "儿科", "occupational": "职业病诊断"}
    [panel] = issue_spec(t, short)["panels"]
    assert [b[0] for b in panel["bars"]] == ["南京市儿科医疗质量控制中心", "职业病诊断"]
    # a short name two rows share would make two bars alike: the full names stay
    t = table((long, "a"), (long.replace("示例省", "某某市"), "b"))
    [panel] = issue_spec(t, {"a": "职业病诊断", "b": "职业病诊断"})["panels"]
    assert [b[0] for b in panel["bars"]] == [long, long.replace("示例省", "某某市")]
