"""Headings keep with what follows in print: a section title ("市级质控工作") never stands alone at
the foot of a page with its first story on the next, nor "本期统计" without its chart. A bulletin is
set with a 按语 one line longer each time, so the heading passes every position near the page foot;
on every page the PDF shows (pdfplumber), the heading and its story's first line (or the chart) share
a page. The 本期统计 table breaks a center's name and a figure's head between words, never inside one
("南京市儿科 / 医疗质量控制中心", "涉及医疗机构 / （个）")."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pdfplumber
import pytest

from generator.phrasing import label_phrases
from generator.print.engine import compile_pdf, write_templates
from generator.print.typeset import block_cache, markdown_blocks, stats_columns, title_parts

SECTION = "市级质控工作"
FIRST_LINE = "甲乙丙丁戊己庚辛"  # opens the first story of the section
CHART_BLUE = "#1f5fb4"  # no other ink of the bulletin is blue
LINE = "本省质控中心本季度开展督导检查与专项培训工作并及时反馈。"  # 28 characters: one printed line


def story(n: int, body: str) -> dict:
    cache = block_cache(None)
    title = f"第{n}篇稿件的标题 推动质控工作"
    return {"id": f"s{n}", "number": n, "byline": "示例医疗质量控制中心——", "title": title,
            "title_break": title_parts(title), "body": markdown_blocks(body, cache), "commentary": None}


def bulletin(preface_lines: int, stats: dict | None, second_section: bool) -> dict:
    filler = "\n\n".join([LINE * 3] * 3)
    sections = [{"title": "省级质控工作", "stories": [story(1, filler)]}]
    if second_section:
        sections.append({"title": SECTION, "stories": [story(2, FIRST_LINE + LINE * 4 + "\n\n" + filler)]})
    return {
        "kind": "bulletin", "title": "示例简报", "author": "示例办公室", "name": "示例医疗质控工作简报",
        "period": "（2025年第1期）", "special": None, "publisher": "示例医疗质量控制中心管理办公室",
        "date": "2025年3月31日", "preface": ["本期" + LINE * preface_lines], "toc": False,
        "sections": sections, "closing": {"wechat": "", "lines": [], "contact": []}, "stats": stats,
    }


def page_texts(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        return [re.sub(r"\s", "", page.extract_text() or "") for page in doc.pages]


def chart_pages(pdf: Path) -> list[int]:
    """Pages that draw the chart (its bars: shapes filled blue)."""
    def blue(colour) -> bool:
        return isinstance(colour, (tuple, list)) and len(colour) == 3 and colour[2] > 0.5 > colour[0]

    with pdfplumber.open(pdf) as doc:
        return [i for i, page in enumerate(doc.pages)
                if any(blue(r.get("non_stroking_color")) for r in page.rects + page.curves)]


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("keep")
    write_templates(root)
    # A chart as the generator hands it to Typst: an SVG under the root (bars only: no text).
    (root / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300">'
        f'<rect x="20" y="40" width="60" height="240" fill="{CHART_BLUE}"/>'
        f'<rect x="120" y="100" width="60" height="180" fill="{CHART_BLUE}"/></svg>', encoding="utf-8")
    return root


def render(root: Path, data: dict, name: str) -> Path:
    target = root / f"{name}.pdf"
    compile_pdf("bulletin", json.dumps(data, ensure_ascii=False), str(root), str(target), dt.date(2025, 3, 31))
    return target


# 按语 lengths that move the heading through the last lines of a page: line by line for the
# section title (alone at the foot when it fits but its byline, headline and two lines do not),
# four lines a step over a page for 本期统计 (its chart is half a page tall).
SWEEP = range(13, 19)
SWEEP_STATS = range(6, 30, 4)


def test_section_title_keeps_with_its_first_story(root):
    title_pages = set()
    for n in SWEEP:
        pages = page_texts(render(root, bulletin(n, None, True), f"section-{n}"))
        title_page = next(i for i, t in enumerate(pages) if SECTION in t)
        body_page = next(i for i, t in enumerate(pages) if FIRST_LINE in t)
        assert title_page == body_page, f"按语 {n} lines: {SECTION} on page {title_page + 1}, its story on {body_page + 1}"
        title_pages.add(title_page)
    assert len(title_pages) == 2  # the sweep moved the section title across a page foot


def statistics(rows: list[list[str]]) -> dict:
    """本期统计 data as typeset.issue_statistics gives it: cells as phrases, columns sized by them."""
    return {"chart": "/chart.svg", "alt": "各质控中心工作量", "caption": "本期各质控中心工作量",
            "rows": [[label_phrases(c) for c in r] for r in rows], "columns": stats_columns(rows), "note": ""}


def test_statistics_heading_keeps_with_its_chart(root):
    stats = statistics([["质控中心", "培训（次）"], ["示例中心", "3"], ["合计", "3"]])
    heading_pages = set()
    for n in SWEEP_STATS:
        pdf = render(root, bulletin(n, stats, False), f"stats-{n}")
        pages = page_texts(pdf)
        heading_page = max(i for i, t in enumerate(pages) if "本期统计" in t)
        assert chart_pages(pdf) == [heading_page], f"按语 {n} lines: 本期统计 on page {heading_page + 1}, chart on {chart_pages(pdf)}"
        heading_pages.add(heading_page)
    assert len(heading_pages) == 2  # the sweep moved the heading across a page foot


NAMES = ["南京市儿科医疗质量控制中心", "示例省职业健康检查和职业病诊断技术质量控制中心", "某某市护理质量控制中心"]


def test_statistics_table_breaks_names_and_heads_between_words(root):
    head = ["质控中心", "培训场次（场）", "培训人次（人次）", "现场指导（家次）", "涉及医疗机构（个）"]
    rows = [head, *([name, "12", "1350", "15", "8"] for name in NAMES), ["合计", "36", "4050", "45", "—"]]
    pdf = render(root, bulletin(2, statistics(rows), False), "table")
    with pdfplumber.open(pdf) as doc:
        lines = [re.sub(r"\s", "", ln["text"]) for p in doc.pages for ln in p.extract_text_lines()]
    table = lines[lines.index("本期统计"):]
    assert any("涉及医疗机构" in ln for ln in table), table  # each head's name whole, its unit below
    assert any(ln.startswith("南京市儿科医疗质量控制中心") for ln in table), table  # fits: never broken
    assert "质量控制中心" in table, table  # the long name breaks before its last word
    for ln in table:
        assert not ln.startswith(("构", "心", "中心", "制中心", "病诊断")), table
