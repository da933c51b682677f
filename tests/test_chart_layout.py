"""The charts' fixed layout (generator/charts/draw.py) gives every text outside the plot its room:
drawn, every tick label, title, axis label and legend entry lies inside the figure and no two of
them overlap, for short and long names, one bar and many, small and large numbers."""
from __future__ import annotations

import io

import pytest

matplotlib = pytest.importorskip("matplotlib")
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.backends.backend_svg import RendererSVG  # noqa: E402

from generator.charts import draw  # noqa: E402

LONG = "示例省职业健康检查和职业病诊断技术质量控制中心"


def outside_texts(fig, fmt: str) -> list:
    """The visible texts that stand around the plots (titles, axis labels, the tick labels matplotlib
    draws: those of ticks inside the axis' limits, legend entries; not the numbers on the bars),
    with the figure drawn once so their places are final: as the web's SVG measures them (unhinted
    glyph paths) or the Word file's PNG (glyphs hinted at 300 dpi)."""
    renderer = RendererSVG(*fig.bbox.size, io.StringIO()) if fmt == "svg" else FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    texts = []
    for ax in fig.axes:
        texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            texts += [t.label1 for t in axis.get_major_ticks() if low - 1e-9 <= t.get_loc() <= high + 1e-9]
        if ax.get_legend() is not None:
            texts += ax.get_legend().get_texts()
    return [(t.get_text(), t.get_window_extent(renderer)) for t in texts if t.get_visible() and t.get_text().strip()]


def assert_laid_out(spec: dict) -> None:
    for fmt, dpi in (("svg", 72), ("png", draw.PNG_DPI)):
        with matplotlib.rc_context(draw.STYLE):
            fig = draw.KINDS[spec["kind"]](spec, draw.INKS["web"])
            fig.set_dpi(dpi)
            texts = outside_texts(fig, fmt)
        page, slack = fig.bbox, dpi / 144  # half a point
        for text, box in texts:
            assert page.x0 - slack <= box.x0 and box.x1 <= page.x1 + slack, f"{fmt}: {text!r} leaves the figure sideways"
            assert page.y0 - slack <= box.y0 and box.y1 <= page.y1 + slack, f"{fmt}: {text!r} leaves the figure at the top or bottom"
        for n, (text, box) in enumerate(texts):
            for other, other_box in texts[n + 1:]:
                overlap = min(box.x1, other_box.x1) - max(box.x0, other_box.x0), min(box.y1, other_box.y1) - max(box.y0, other_box.y0)
                assert min(overlap) <= slack, f"{fmt}: {text!r} overlaps {other!r}"


def bars(*panels: tuple[str, list]) -> dict:
    return {"kind": "bars", "panels": [{"title": title, "bars": b} for title, b in panels]}


@pytest.mark.parametrize("spec", [
    bars(("培训场次（场）", [["某某市护理质量控制中心", 3]])),
    bars(("培训场次（场）", [["某某市护理质量控制中心", 3], ["南京市儿科医疗质量控制中心", 12], [LONG, 7]]),
         ("涉及医疗机构（个）", [["甲", 1234567]]),
         ("现场指导（家次）" * 6, [["南京市儿科医疗质量控制中心", 0], ["乙", 99]])),
    bars(*[(f"指标{k}（人次）", [[f"{2010 + n // 4}年第{n % 4 + 1}季度", n * 37 + k] for n in range(40)]) for k in range(2)]),
], ids=["one-bar", "long-names-and-titles", "many-bars"])
def test_bar_charts_give_their_labels_room(spec):
    assert_laid_out(spec)


@pytest.mark.parametrize("categories", [["2024年度"], [f"{y}年度" for y in range(2010, 2025)] + ["2025年度（部分公布）"]])
def test_grade_charts_give_their_labels_and_legend_room(categories):
    grades = ["优秀", "良好", "合格", "不合格", "基本合格"]
    assert_laid_out({"kind": "grades", "categories": categories,
                     "series": [[g, [3 + k + n for n in range(len(categories))]] for k, g in enumerate(grades)]})


@pytest.mark.parametrize("years", [[2024], list(range(2015, 2025))])
def test_history_charts_give_their_labels_room(years):
    order = ["优秀", "良好", "合格", "不合格"]
    points = [[y, order[n % 4], n == 0] for n, y in enumerate(years if len(years) == 1 else years[:-2])]
    facts = [[years[-2:], "合格"]] if len(years) > 1 else []
    assert_laid_out({"kind": "history", "order": order, "points": points, "facts": facts})


def test_the_svg_is_drawn_at_the_laid_out_size():
    svg = draw.draw(bars(("培训场次（场）", [["某某市护理质量控制中心", 3]])), "svg").decode()
    assert 'width="460.8pt"' in svg and "<text" not in svg
