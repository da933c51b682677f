"""Word export: every issue and notice as .docx beside its PDF, read back with python-docx.

The built demo comes from tests/conftest.py (`built_demo`, a tmp copy); tests that change content
use their own copy (`project`). Text is compared with the source Markdown as a reader sees it
(the sanitized HTML's text), whitespace removed.
"""
from __future__ import annotations

import base64
import datetime as dt
import html as htmllib
import re
import shutil
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from generator.assemble import assemble
from generator.load import load_content
from generator.pipeline import checked_content
from generator.print import word_markup
from generator.print.word import CACHE_DIR, render_docx
from generator.render.markup import to_html

ISSUE = "hubei-bulletin/2024-q3"
ISSUE_DOCX = f"{ISSUE}/hubei-bulletin-2024-q3.docx"
NOTICE = "guangxi-notices/2025-15"
NOTICE_DOCX = f"{NOTICE}/guangxi-notices-2025-15.docx"
TODAY = dt.date(2030, 1, 1)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def markdown_text(markdown: str) -> str:
    return squash(htmllib.unescape(re.sub(r"<[^>]+>", "", to_html(markdown))))


def east_asian(rpr) -> str | None:
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def stories_in(document) -> list[dict]:
    """byline, headline, body and 点评 text of every article, from the paragraphs' structure."""
    paragraphs = document.paragraphs
    out = []
    for i, p in enumerate(paragraphs):
        if p.style.name != "Heading 1":
            continue
        story = {"byline": paragraphs[i - 1].text, "title": p.text, "body": "", "commentary": None}
        for q in paragraphs[i + 1:]:
            if q.style.name == "Heading 1" or q.text.endswith("——") or q.text.startswith(("报：", "分送：")):
                break
            if q.text.startswith("点评："):  # the label runs into the 点评's first paragraph
                story["commentary"] = q.text.removeprefix("点评：")
            elif story["commentary"] is not None:
                if q._p.pPr is None or q._p.pPr.find(qn("w:shd")) is None:
                    break  # out of the 点评 box
                story["commentary"] += q.text
            else:
                story["body"] += q.text
        out.append(story)
    return out


# --- the built demo ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def content(built_demo):
    return load_content(built_demo)


@pytest.fixture(scope="module")
def issue_doc(built_demo):
    return docx.Document(str(built_demo / "site" / ISSUE_DOCX))


@pytest.fixture(scope="module")
def notice_doc(built_demo):
    return docx.Document(str(built_demo / "site" / NOTICE_DOCX))


def test_every_issue_and_notice_has_a_linked_word_file(built_demo, content):
    site = built_demo / "site"
    documents = [i.id for i in content.issues] + [n.id for n in content.notices]
    assert ISSUE in documents and NOTICE in documents
    for doc_id in documents:
        name = doc_id.replace("/", "-")
        assert (site / doc_id / f"{name}.docx").is_file(), doc_id
        assert (site / doc_id / f"{name}.pdf").is_file(), doc_id  # beside its PDF
        page = (site / doc_id / "index.html").read_text(encoding="utf-8")
        link = re.search(r'href="([^"]+\.docx)" download(?:="[^"]*")?>下载 Word 版（([\d.]+ [KM]B)）', page)
        assert link and link.group(1).endswith(f"{name}.docx"), doc_id


def test_issue_headlines_bodies_and_commentary_equal_the_source(issue_doc, content):
    issue = next(i for i in content.issues if i.id == ISSUE)
    stories = {s.slug: s for s in content.stories if s.issue == ISSUE}
    centers = {c.id: c for c in content.centers}
    commentary = {c.story: c for c in content.commentaries}
    printed = stories_in(issue_doc)
    assert [p["title"] for p in printed] == [stories[slug].title for slug in issue.slugs]
    for p, slug in zip(printed, issue.slugs):
        story = stories[slug]
        assert p["byline"] == centers[story.center].name + "——"
        assert squash(p["body"]) == markdown_text(story.body), slug
        assert squash(p["commentary"]) == markdown_text(commentary[story.id].body), slug
    text = squash("".join(p.text for p in issue_doc.paragraphs))
    assert squash("按：" + issue.preface) in text
    assert "报：国家卫生健康委医政司医疗质量与评价处；湖北省卫生健康委医政医管处。" in text


def test_issue_bold_lead_ins_and_commentary_label(issue_doc):
    bold = [r.text for p in issue_doc.paragraphs for r in p.runs if r.bold and p.style.name == "Normal"]
    assert "开展儿科质量督查，促进全省儿科同质化管理。" in bold
    labels = [p for p in issue_doc.paragraphs if p.text.startswith("点评：")]
    assert len(labels) == 25 and all(p.runs[0].bold for p in labels)


def test_commentary_label_runs_into_its_text(issue_doc, content):
    """As in the PDF and the printed bulletin: "点评：" in bold 黑体, then the 点评's first paragraph
    in 楷体 in the same paragraph, never a label paragraph of its own."""
    assert not [p for p in issue_doc.paragraphs if p.text.strip() == "点评："]
    first = {markdown_text(c.body.strip().split("\n\n")[0]) for c in content.commentaries if c.story.startswith(ISSUE)}
    labels = [p for p in issue_doc.paragraphs if p.text.startswith("点评：")]
    assert len(labels) == 25
    for p in labels:
        label, *text = p.runs
        assert label.text == "点评：" and label.bold and east_asian(label._r.rPr) == word_markup.HEI
        assert text and not any(r.bold and r.text.strip() for r in text[:1])
        assert all(east_asian(r._r.rPr) == word_markup.KAI for r in text if not r.bold)
        assert squash(p.text.removeprefix("点评：")) in first


def test_masthead_is_red_and_body_is_fangsong(issue_doc):
    name = issue_doc.paragraphs[0]
    assert name.text == "湖北医疗质控管理工作简报"
    assert name.runs[0].font.color.rgb == word_markup.RED
    assert name.alignment == WD_ALIGN_PARAGRAPH.CENTER
    normal = issue_doc.styles["Normal"]
    assert east_asian(normal.element.rPr) == word_markup.FANG and normal.font.size.pt == 16
    defaults = issue_doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert east_asian(defaults) == word_markup.FANG
    assert "仿宋" in word_markup.FANG
    tracking = normal.element.rPr.find(qn("w:spacing"))  # 3号 less 0.25 pt: 28 characters a line
    assert tracking is not None and tracking.get(qn("w:val")) == "-5"
    headline = next(p for p in issue_doc.paragraphs if p.style.name == "Heading 1")
    assert headline.runs[0].bold and east_asian(headline.runs[0]._r.rPr) == word_markup.SONG


def test_page_geometry_and_page_numbers(issue_doc, notice_doc):
    for document in (issue_doc, notice_doc):
        s = document.sections[0]
        assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
        assert [round(x.mm) for x in (s.top_margin, s.left_margin, s.right_margin, s.bottom_margin)] == [37, 28, 26, 35]
        assert document.settings.odd_and_even_pages_header_footer
        for footer, align in ((s.footer, WD_ALIGN_PARAGRAPH.RIGHT), (s.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
            p = footer.paragraphs[0]
            xml = p._p.xml
            assert "<w:instrText" in xml and " PAGE " in xml and 'w:fldCharType="begin"' in xml
            assert p.text == "— 1 —" and p.alignment == align


def test_notice_head_body_and_annex_table(notice_doc, built_demo):
    c = checked_content(built_demo)
    view = next(n for n in assemble(c, c.site, TODAY).notices if n.notice.id == NOTICE)
    paragraphs = notice_doc.paragraphs
    assert [p.text for p in paragraphs[:3]] == [*view.issuer_mark, view.doc_number]
    assert all(p.runs[0].font.color.rgb == word_markup.RED for p in paragraphs[:2])
    assert 'w:color="E60012"' in paragraphs[2]._p.xml  # the red rule under 发文字号
    text = "".join(p.text for p in paragraphs)
    assert squash(view.title) in squash(text)
    assert markdown_text(view.body) in squash(text)
    headings = [p.text for p in paragraphs if p.style.name == "Heading 2"]
    assert headings[:2] == ["一、评估内容和形式", "二、评估结果"]
    assert "（公开前需经政府信息公开审查）" in text and "2025年8月25日" in text
    (table,) = notice_doc.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["序号", "质控中心", "评估结果", "挂靠单位"]
    assert rows[1:] == [[str(r.number), r.name, r.grade, r.host] for r in view.annex] and len(rows) == 40
    flags = [row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]
    assert flags == [True] + [False] * 39
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(grid) == int(table._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w"))) == round(156 / 25.4 * 1440)


# --- content that changes ----------------------------------------------------------------------------

def site_of(root: Path):
    c = checked_content(root)
    return assemble(c, c.site, TODAY)


def test_unchanged_documents_come_from_the_cache(project):
    first, _ = render_docx(site_of(project), project)
    stamps = {rel: path.stat().st_mtime_ns for rel, path in first.items()}
    again, _ = render_docx(site_of(project), project)
    assert again == first and {rel: p.stat().st_mtime_ns for rel, p in again.items()} == stamps
    data = {rel: path.read_bytes() for rel, path in first.items()}
    shutil.rmtree(project / CACHE_DIR)
    rebuilt, downloads = render_docx(site_of(project), project)
    assert {rel: p.read_bytes() for rel, p in rebuilt.items()} == data  # byte-stable
    assert [(d.url, d.label) for d in downloads[f"{ISSUE}/"]] == [(ISSUE_DOCX, "Word")]
    story = project / "content" / "stories" / ISSUE / "cardiology.md"
    story.write_text(story.read_text(encoding="utf-8").replace("初具成效", "卓有成效"), encoding="utf-8")
    changed, _ = render_docx(site_of(project), project)
    assert changed[ISSUE_DOCX] != first[ISSUE_DOCX] and changed[NOTICE_DOCX] == first[NOTICE_DOCX]
    assert not first[ISSUE_DOCX].exists()  # the cache keeps one build's worth
    assert len(list((project / CACHE_DIR).glob("*.docx"))) == 2


def test_editor_text_is_inert(project):
    story = project / "content" / "stories" / ISSUE / "cardiology.md"
    text = story.read_text(encoding="utf-8")
    # Control characters never get this far: check rejects them with file:line (test_bad_input_hostile).
    hostile = 'A<w:p>&amp;"\'<script>alert(1)</script>]]>B'
    text = text.replace("title: 抓好县域医疗质控，提升区域医疗质量", 'title: "抓好县域<w:t>&质控"')
    text = text.replace("近年来，", f"近年来，{hostile}", 1)
    story.write_text(text, encoding="utf-8")
    files, _ = render_docx(site_of(project), project)
    document = docx.Document(str(files[ISSUE_DOCX]))  # the file opens: nothing broke its XML
    headlines = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "抓好县域<w:t>&质控" in headlines
    body = "".join(p.text for p in document.paragraphs)
    assert "近年来，A<w:p>&\"'<script>alert(1)</script>]]>B" in body  # &amp; is Markdown for "&"
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]", body)


PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def test_markdown_lists_tables_emphasis_headings_and_images(tmp_path):
    (tmp_path / "fig.png").write_bytes(PNG)
    markdown = """## 一、总体情况

正文有**加粗**、*强调*和`代码`。

1. 第一项
2. 第二项

- 甲
- 乙

1. 重新编号

| 指标 | 数值 |
|---|---:|
| 培训 | 181 |

![示意图](fig.png "图一")
"""
    document = docx.Document()
    word_markup.add_html(word_markup.Flow(document, document, image=lambda src: tmp_path / src
                                          if src == "fig.png" else None), to_html(markdown))
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "Heading 2" and paragraphs[0].text == "一、总体情况"
    runs = {r.text: r for r in paragraphs[1].runs}
    assert runs["加粗"].bold and runs["强调"].italic and runs["代码"].font.name == word_markup.MONO
    items = [p for p in paragraphs if p.style.name.startswith("List")]
    assert [p.text for p in items] == ["第一项", "第二项", "甲", "乙", "重新编号"]
    first, restarted = items[0]._p.pPr.numPr.numId.val, items[4]._p.pPr.numPr.numId.val
    assert first != restarted  # every ordered list starts again at 1
    (table,) = document.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [["指标", "数值"], ["培训", "181"]]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert len(document.inline_shapes) == 1 and "图一" in [p.text for p in document.paragraphs]


def test_damaged_images_are_left_out(tmp_path):
    (tmp_path / "cut.png").write_bytes(PNG[:20])  # a PNG header, then nothing
    (tmp_path / "junk.jpg").write_bytes(b"not an image")
    document = docx.Document()
    flow = word_markup.Flow(document, document, image=lambda src: tmp_path / src)
    word_markup.add_html(flow, to_html("前文\n\n![甲](cut.png)\n\n![乙](junk.jpg \"图乙\")\n\n后文"))
    assert len(document.inline_shapes) == 0  # and no empty lines: the captions stay, as on the web
    assert [p.text for p in document.paragraphs] == ["前文", "甲", "图乙", "后文"]


def test_the_chart_png_is_compacted_without_changing_the_picture(tmp_path):
    """本期统计's 300 dpi RGBA chart goes into Word flattened on white with a small palette: the
    same pixels (within antialiasing greys), the same resolution, fewer bytes."""
    from PIL import Image, ImageChops, ImageDraw

    from generator.print.word_layout import CHART_LEVELS, compact_png

    chart = Image.new("RGBA", (900, 600), (0, 0, 0, 0))  # transparent, as matplotlib saves it
    draw = ImageDraw.Draw(chart)
    for n in range(12):
        draw.rectangle((40 + n * 70, 560 - n * 40, 90 + n * 70, 560), fill=(0, 0, 0, 255))
        draw.text((40 + n * 70, 570), f"{n}", fill=(0, 0, 0, 255))
    draw.ellipse((600, 40, 860, 200), outline=(200, 0, 0, 255), width=5)  # a red mark keeps its colour
    source = tmp_path / "chart.png"
    chart.save(source, dpi=(300, 300))
    compact = Image.open(compact_png(str(source)))
    assert compact.mode == "P" and len(compact.getcolors()) <= CHART_LEVELS
    assert round(compact.info["dpi"][0]) == 300 and compact.size == chart.size
    on_white = Image.alpha_composite(Image.new("RGBA", chart.size, "white"), chart).convert("RGB")
    difference = ImageChops.difference(on_white, compact.convert("RGB"))
    assert max(band[1] for band in difference.getextrema()) <= 48
    assert compact.convert("RGB").getpixel((5, 5)) == (255, 255, 255)  # transparency is paper, not black
    red = compact.convert("RGB").getpixel((602, 120))
    assert red[0] > 150 and red[1] < 60
    # Made once per chart: kept beside it in the chart cache, and what later Word files take.
    kept = tmp_path / "chart-word.png"
    assert kept.read_bytes() == compact_png(str(source)).getvalue()
    kept.write_bytes(b"kept")
    assert compact_png(str(source)).getvalue() == b"kept"
