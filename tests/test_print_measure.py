"""The print measured (docs/print.md, "How the print is measured") on both demo documents, built
from the session's copy of the demo (conftest `built_demo`): flush lines, title breaks, closing
blocks at the foot, page-number position, tags."""
from __future__ import annotations

import printmeasure as pm
import pymupdf
import pytest

BULLETIN = "hubei-bulletin/2024-q3/hubei-bulletin-2024-q3.pdf"
HEADLINE_SIZE, TITLE_SIZE = 20.0, 22.0


@pytest.fixture(scope="module")
def bulletin(built_demo):
    return pymupdf.open(built_demo / "build" / "docs" / BULLETIN)


@pytest.fixture(scope="module")
def notice(built_demo):
    [path] = [p for p in (built_demo / "build" / "docs").rglob("*.pdf") if "notices" in p.name]
    return pymupdf.open(path)


@pytest.fixture(params=["bulletin", "notice"])
def doc(request, bulletin, notice):
    return bulletin if request.param == "bulletin" else notice


def test_at_least_98_percent_of_continued_lines_end_flush_right(doc):
    flush, total, ragged = pm.flush_ratio(doc)
    assert total > 100
    assert flush / total >= 0.98, [(r.page + 1, round(r.x1, 1), r.text) for r in ragged]


def test_no_headline_line_of_two_characters_or_fewer(bulletin):
    headlines = pm.lines_of_size(bulletin, HEADLINE_SIZE)
    assert len(headlines) >= 25
    assert [ln.text for ln in headlines if len(ln.text.replace(" ", "")) <= 2] == []


def test_the_notice_title_breaks_as_the_original(notice):
    title = [ln.text for ln in pm.lines_of_size(notice, TITLE_SIZE, pages={0})]
    assert title == ["自治区卫生健康委办公室关于2024年度", "自治区级（西医类）医疗质量控制中心", "工作评估有关情况的通报"]
    annex_title = [ln.text for ln in pm.lines_of_size(notice, TITLE_SIZE) if ln.page > 0]
    assert annex_title and all(len(t) > 2 for t in annex_title)


def test_closing_block_rule_lies_on_the_bottom_of_the_last_page(doc):
    rule = pm.bottom_rule(doc, len(doc) - 1)
    assert rule is not None and abs(rule - pm.BOTTOM) <= 2


def test_the_notice_ends_on_an_even_page_with_its_imprint(notice):
    assert len(notice) % 2 == 0
    assert "印发" in notice[-1].get_text()


def test_page_number_dash_lies_7_mm_below_the_block_on_the_outer_side(doc):
    dashes = pm.page_number_dashes(doc)
    assert len(dashes) >= len(doc) - 2  # a blank page and the 版记 page after it carry none
    for page, below, side in dashes:
        assert abs(below - 7) <= 1, (page + 1, below)
        assert side == ("right" if page % 2 == 0 else "left")


def test_pdfs_are_tagged_with_title_language_and_bookmarks(doc):
    tags = pm.is_tagged(doc)
    assert tags["struct_tree"] and tags["marked"] and tags["pdfua"]
    assert tags["lang"].startswith("zh") and tags["title"]
    assert tags["bookmarks"] >= 2


def test_only_black_and_red_ink(doc):
    """No grey fills or tints: every fill and stroke is black, white or the red of the mastheads."""
    allowed = [(0.0, 0.0, 0.0), (1.0, 1.0, 1.0), (0.902, 0.0, 0.071)]  # red: #e60012
    for page in doc:
        for d in page.get_drawings():
            for color in (d.get("fill"), d.get("color")):
                if color is not None:
                    assert any(max(abs(a - b) for a, b in zip(color, ink)) < 0.005 for ink in allowed), \
                        (page.number + 1, color)
