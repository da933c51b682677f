"""Print: the bulletin and notice PDFs read back with pypdf and poppler, character for character.

The bulletin comes from the session's built demo (tests/conftest.py `built_demo`); the notice test
uses a fake notice object built here, so it does not depend on the notice model; a second notice
test checks the demo's own notice PDF when the demo has one.
"""
from __future__ import annotations

import datetime as dt
import html as htmllib
import re
import subprocess
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pypdf
import pytest

from generator.evaluation.notice_text import DEFAULT_ANNEX_COLUMNS, AnnexRow
from generator.load.content import load_content
from generator.print.pdf import render_pdfs
from generator.render.markup import to_html

ISSUE = "hubei-bulletin/2024-q3"
BULLETIN_PDF = f"{ISSUE}/hubei-bulletin-2024-q3.pdf"
A4 = (595.28, 841.89)
PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")
IMPRINT = re.compile(r"(抄送：[^。]*。)?[^。]*?\d{4}年\d{1,2}月\d{1,2}日印发$")


# --- reading PDFs and sources ---------------------------------------------------------------------

def pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *args, str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def squash(text: str) -> str:
    """Whitespace removed: pdftotext breaks lines where the PDF does, and drops narrow spaces."""
    return re.sub(r"\s+", "", text)


def body_text(pdf_text: str) -> str:
    """The PDF's text without page numbers and whitespace: paragraphs run on across pages."""
    return squash(PAGE_NUMBER.sub("", pdf_text))


def markdown_text(markdown: str) -> str:
    """What a reader sees of an editor's Markdown: the HTML's text, entities decoded."""
    return squash(htmllib.unescape(re.sub(r"<[^>]+>", "", to_html(markdown))))


def missing_characters(source: str, printed: str) -> dict[str, int]:
    need, have = Counter(squash(source)), Counter(squash(printed))
    return {ch: n - have[ch] for ch, n in need.items() if have[ch] < n}


def assert_a4_with_embedded_fonts(pdf: Path) -> None:
    reader = pypdf.PdfReader(pdf)
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 1), round(height, 1)) == (round(A4[0], 1), round(A4[1], 1))
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for name, font in fonts.items():
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), f"{name} not embedded"


def page_number_sides(pdf: Path, pages: int = 4) -> list[str]:
    """"left"/"right" for where "— N —" sits on each of the first pages (word boxes from pdftotext)."""
    sides = []
    reader = pypdf.PdfReader(pdf)
    for n in range(1, min(pages, len(reader.pages)) + 1):
        boxes = pdftotext(pdf, "-bbox", "-f", str(n), "-l", str(n))
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', boxes)
        number = [w for w in words if w[3] == str(n) and float(w[1]) > A4[1] - 35 * 72 / 25.4]
        assert number, f"no page number on page {n}"
        sides.append("right" if float(number[0][0]) > A4[0] / 2 else "left")
    return sides


def annex_pages(pdf: Path) -> list[str]:
    """Squashed text of each annex page: from the one that starts with "附件" on, without the 版记
    (抄送, 印发机关, 印发日期) at the foot of the last page and without blank pages."""
    pages = [PAGE_NUMBER.sub("", p) for p in pdftotext(pdf).split("\f")[:-1]]
    first = next(i for i, p in enumerate(pages) if squash(p).startswith("附件"))
    pages = [IMPRINT.sub("", squash(p)) for p in pages[first:]]
    return [p for p in pages if p]


def assert_rows_whole(pages: list[str], rows) -> None:
    """Each row on exactly one page with all its cells (pdftotext may reorder cells of wrapped rows)."""
    for number, name, grade, host in rows:
        holding = [p for p in pages if name in p]
        assert len(holding) == 1, f"row {number} {name} found on {len(holding)} pages"
        assert f"{number}{name}" in holding[0] and grade in holding[0] and host in holding[0], name


# --- the bulletin -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def content(built_demo):
    return load_content(built_demo)


@pytest.fixture(scope="module")
def issue(content):
    return next(i for i in content.issues if i.id == ISSUE)


@pytest.fixture(scope="module")
def stories(content, issue):
    by_slug = {s.slug: s for s in content.stories if s.issue == ISSUE}
    return [by_slug[slug] for slug in issue.slugs]


@pytest.fixture(scope="module")
def commentaries(content):
    return {c.story: c for c in content.commentaries}


@pytest.fixture(scope="module")
def bulletin_pdf(built_demo) -> Path:
    return built_demo / "site" / BULLETIN_PDF


@pytest.fixture(scope="module")
def bulletin_text(bulletin_pdf) -> str:
    return pdftotext(bulletin_pdf)


def test_bulletin_pdf_is_published_and_linked_with_its_size(built_demo, bulletin_pdf):
    assert bulletin_pdf.read_bytes() == (built_demo / "build" / "docs" / BULLETIN_PDF).read_bytes()
    page = (built_demo / "site" / ISSUE / "index.html").read_text(encoding="utf-8")
    link = re.search(r'href="([^"]+\.pdf)" download(?:="([^"]*)")?>下载 PDF 版（([\d.]+ [KM]B)）', page)
    assert link and link.group(1).endswith("hubei-bulletin-2024-q3.pdf")
    assert link.group(2) == "湖北医疗质控管理工作简报（2024年第3季度）.pdf"  # saved under its title and period


def test_bulletin_pdf_is_a4_with_every_font_embedded(bulletin_pdf):
    assert_a4_with_embedded_fonts(bulletin_pdf)


def test_bulletin_pdf_has_masthead_headlines_commentary_and_closing(bulletin_text, stories, commentaries):
    text = body_text(bulletin_text)
    assert "湖北医疗质控管理工作简报" in text and "2024年第3季度" in text and "2024年9月27日" in text
    assert "目录" in text
    for story in stories:
        assert squash(story.title) in text, story.title
        assert squash(f"点评：{markdown_text(commentaries[story.id].body)}") in text, story.id
    assert text.count("点评：") == len(stories) == 25
    assert "报：国家卫生健康委医政司医疗质量与评价处；湖北省卫生健康委医政医管处。" in text
    assert "分送：各市、州、县卫生健康委（局）；" in text


def test_bulletin_pdf_has_page_numbers_outside_on_alternate_pages(bulletin_pdf):
    first_page = pypdf.PdfReader(bulletin_pdf).pages[0].extract_text()
    assert "— 1 —" in first_page
    assert page_number_sides(bulletin_pdf) == ["right", "left", "right", "left"]


def test_no_character_of_the_bulletin_source_is_missing(bulletin_text, issue, stories, commentaries):
    source = [issue.preface] + [s.title for s in stories]
    source += [markdown_text(s.body) for s in stories] + [markdown_text(commentaries[s.id].body) for s in stories]
    assert missing_characters("".join(source), bulletin_text) == {}


def test_every_story_prints_whole_and_in_order(bulletin_text, stories):
    text = body_text(bulletin_text)
    position = 0
    for story in stories:
        body = markdown_text(story.body)
        found = text.find(body, position)
        assert found >= 0, f"{story.id}: body not printed in one piece after the previous story"
        position = found + len(body)


# --- a notice (fake object: the notice model is built elsewhere) ----------------------------------

ANNEX = [(n, f"示例{name}质量控制中心", grade, f"示例市第{n}人民医院")
         for n, (name, grade) in enumerate(
             [(f"第{k}专业", "优秀" if k <= 4 else "良好" if k <= 12 else "不合格" if k > 35 else "合格")
              for k in range(1, 40)], start=1)]

NOTICE_BODY = """根据《示例管理办法》（示卫规〔2023〕4号）精神，现将评估情况通报如下：

## 一、评估内容和形式

本次评估采取 110 分制量化评分形式，其中 10 分为加分项；“质控中心”共 39 家。

## 二、评估结果

**（一）取得成效。**总体来看，大部分质控中心取得明显进步。一是内部管理更加完善。

### （二）下一步工作。

各质控中心要认真研究管理办法和职责清单，于 9 月底前提交整改报告（详见附件）。口腔𬌗学、王堃、李镕等生僻字也须印出。
"""


def fake_notice(**overrides) -> SimpleNamespace:
    fields = dict(
        url="demo-notices/2025-7/",
        issuer_mark=["示例省", "卫生健康委员会办公室文件"],
        doc_number="示卫办发〔2025〕7号",
        title="示例省卫生健康委办公室关于2024年度省级医疗质量控制中心工作评估有关情况的通报",
        addressees="各市卫生健康委，省直各医疗机构，各省级医疗质量控制中心",
        body=NOTICE_BODY,
        signer="示例省卫生健康委员会办公室",
        date=dt.date(2025, 8, 25),
        note="公开前需经政府信息公开审查",
        title_lines=[],
        copy_to=None,
        printer="示例省卫生健康委员会办公室",
        print_date=dt.date(2025, 8, 25),
        sealed=False,
        attachments=["2024年度省级医疗质量控制中心评估结果"],
        annex=[AnnexRow(n, name, grade, host) for n, name, grade, host in ANNEX],
        annex_columns=list(DEFAULT_ANNEX_COLUMNS),
    )
    fields.update(overrides)
    return SimpleNamespace(**fields)


@pytest.fixture(scope="module")
def notice_pdf(tmp_path_factory):
    root = tmp_path_factory.mktemp("notice")
    notice = fake_notice()
    files, downloads = render_pdfs(SimpleNamespace(issues=[], notices=[notice]), root, progress=False)
    assert list(files) == ["demo-notices/2025-7/demo-notices-2025-7.pdf"]
    [download] = downloads[notice.url]
    assert (download.url, download.label) == ("demo-notices/2025-7/demo-notices-2025-7.pdf", "PDF")
    assert download.bytes == files[download.url].stat().st_size
    return SimpleNamespace(notice=notice, path=files[download.url], root=root)


def test_notice_pdf_is_a4_with_every_font_embedded(notice_pdf):
    assert_a4_with_embedded_fonts(notice_pdf.path)


def test_notice_pdf_has_head_body_signature_and_note(notice_pdf):
    text = body_text(pdftotext(notice_pdf.path))
    n = notice_pdf.notice
    assert text.startswith("示例省卫生健康委员会办公室文件示卫办发〔2025〕7号")
    assert squash(n.title) in text
    assert f"{n.addressees}：" in text
    assert "附件：2024年度省级医疗质量控制中心评估结果" in text
    assert "示例省卫生健康委员会办公室2025年8月25日（公开前需经政府信息公开审查）附件" in text
    assert "— 1 —" in pypdf.PdfReader(notice_pdf.path).pages[0].extract_text()
    assert missing_characters(markdown_text(NOTICE_BODY) + n.title + n.addressees, text) == {}


def test_notice_annex_starts_a_page_repeats_its_header_and_keeps_rows_whole(notice_pdf):
    pages = annex_pages(notice_pdf.path)
    assert pages[0].startswith("附件2024年度省级医疗质量控制中心评估结果序号质控中心评估结果挂靠单位")
    assert len(pages) >= 2
    for page in pages:
        assert "序号质控中心评估结果挂靠单位" in page
    assert_rows_whole(pages, ANNEX)


def test_notice_page_numbers_alternate_sides(notice_pdf):
    assert page_number_sides(notice_pdf.path, pages=3) == ["right", "left", "right"]


def test_notice_pdf_is_cached_by_its_inputs(tmp_path):
    def render(notice):
        files, downloads = render_pdfs(SimpleNamespace(issues=[], notices=[notice]), tmp_path, progress=False)
        return files[downloads[notice.url][0].url]

    first = render(fake_notice())
    stamp = first.stat().st_mtime_ns
    assert render(fake_notice()) == first and first.stat().st_mtime_ns == stamp  # not rendered again
    changed = render(fake_notice(note="此件公开发布"))
    assert changed != first and "（此件公开发布）" in pdftotext(changed)
    assert [p.name for p in (tmp_path / "build" / "pdf-cache").iterdir()] == [changed.name]


def test_the_demo_notice_pdf(built_demo, content):
    notices = content.notices
    assert notices, "the demo content has a notice"
    pdfs = {}
    for pdf in (built_demo / "build" / "docs").rglob("*.pdf"):
        pdfs[pypdf.PdfReader(pdf).metadata.title] = pdf
    for notice in notices:
        pdf = pdfs[notice.title]
        assert_a4_with_embedded_fonts(pdf)
        text = body_text(pdftotext(pdf))
        assert str(notice.doc_number) in text and squash(notice.title) in text
        assert "— 1 —" in pypdf.PdfReader(pdf).pages[0].extract_text()
        body = re.sub(r"\{\{.*?\}\}", "", notice.body)  # placeholders are filled from the evaluation round
        assert missing_characters(markdown_text(body), text) == {}
        # The annex rows of the notice's web page, all printed, each whole on one page.
        page = (built_demo / "site" / pdf.parent.relative_to(built_demo / "build" / "docs") / "index.html")
        rows = [[squash(htmllib.unescape(re.sub(r"<[^>]+>", "", cell))) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
                for row in re.findall(r"<tr><td>\d+</td>.*?</tr>", page.read_text(encoding="utf-8"))]
        assert rows and all(len(row) == 4 for row in rows)
        assert_rows_whole(annex_pages(pdf), rows)


# --- pictures for the README (and for a person to look at) ---------------------------------------

@pytest.mark.parametrize("which", ["bulletin", "notice"])
def test_first_page_renders_to_png(which, bulletin_pdf, notice_pdf, tmp_path):
    pdf = bulletin_pdf if which == "bulletin" else notice_pdf.path
    prefix = tmp_path / which
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "2", str(pdf), str(prefix)], check=True)
    pngs = sorted(tmp_path.glob(f"{which}-*.png"))
    assert len(pngs) == 2 and all(p.stat().st_size > 10_000 for p in pngs)


# --- browser print (Ctrl+P) of the web pages ------------------------------------------------------

SITE_CHROME = {"site header": ".md-header", "navigation": ".md-sidebar--primary",
               "table of contents sidebar": ".md-sidebar--secondary", "search form": ".zk-header-search",
               "footer": ".md-footer"}


def visible(page, selector: str) -> bool:
    return page.locator(selector).first.is_visible()


def test_printing_an_issue_page_prints_the_document_only(browser, demo_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{demo_url}/{ISSUE}/")
    for name, selector in SITE_CHROME.items():
        assert visible(page, selector), f"{name} should show on screen"
    page.emulate_media(media="print")
    for name, selector in SITE_CHROME.items():
        assert not visible(page, selector), f"{name} printed"
    assert visible(page, ".zk-masthead")
    headlines = page.locator(".zk-headline")
    assert headlines.count() == 25 and headlines.first.is_visible() and headlines.last.is_visible()
    assert visible(page, ".zk-commentary") and visible(page, ".zk-closing")
    page.close()


def test_printing_a_notice_page_prints_the_document_only(browser, demo_url, built_demo):
    notice_pages = [p for p in (built_demo / "site").rglob("index.html") if 'class="zk-official' in p.read_text("utf-8")]
    assert notice_pages, "the demo content has a notice"
    url = notice_pages[0].parent.relative_to(built_demo / "site").as_posix() + "/"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{demo_url}/{url}")
    page.emulate_media(media="print")
    for name, selector in SITE_CHROME.items():
        assert not visible(page, selector), f"{name} printed"
    assert visible(page, ".zk-official__title") and visible(page, ".zk-annex__table")
    page.close()
