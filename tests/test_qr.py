"""QR codes (issue 21): with `url` in site.yml the PDF and Word file of an issue and of a notice
carry a QR code of their web page with the address beside it; a series' `closing.wechat_qr`
image prints in the 报尾 beside the 官方微信 line; the GB/T layout measurements stay as they are
(the checks of tests/test_print_measure.py, on these PDFs); the QR inputs are part of the PDF's
cache key; a bad `wechat_qr` path is refused by `check` at its line, in Chinese."""
from __future__ import annotations

import dataclasses

import docx
import printmeasure as pm
import pymupdf
import pytest
import segno

from benchmarks.project import copy_project
from generator.cli import main

URL = "https://example.org/zkjb/"
ISSUE, NOTICE = "hubei-bulletin/2024-q3/", "guangxi-notices/2025-15/"
SERIES = "content/series/hubei-bulletin.yml"
WECHAT_LINE = "  wechat: 湖北省医疗质量控制中心管理办公室官方微信\n"


def with_wechat_qr(root, value: str = "images/公众号二维码.png") -> None:
    series = root / SERIES
    text = series.read_text(encoding="utf-8")
    assert WECHAT_LINE in text
    series.write_text(text.replace(WECHAT_LINE, f"{WECHAT_LINE}  wechat_qr: {value}\n"), encoding="utf-8")


@pytest.fixture(scope="module")
def public(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("qr") / "project")
    with (root / "content/site.yml").open("a", encoding="utf-8") as f:
        f.write(f"url: {URL}\n")
    (root / "content/images").mkdir()
    segno.make("https://example.org/公众号").save(root / "content/images/公众号二维码.png", scale=6, border=2)
    with_wechat_qr(root)
    assert main(["--root", str(root), "build"]) == 0
    return root


def pdf(root, doc: str) -> pymupdf.Document:
    return pymupdf.open(root / "site" / doc / (doc.strip("/").replace("/", "-") + ".pdf"))


def qr_modules(page: pymupdf.Page) -> list[list[bool]]:
    """The QR symbol drawn below the text block, read back module by module from a rendering."""
    boxes = [d["rect"] for d in page.get_drawings() if d["rect"].y0 / pm.MM > pm.BOTTOM and d.get("color") == (0, 0, 0)]
    assert boxes, "no QR code in the foot margin"
    box = boxes[0]
    for b in boxes[1:]:
        box |= b
    pix = page.get_pixmap(clip=box + (-6, -6, 6, 6), dpi=600, colorspace=pymupdf.csGRAY)

    def dark(x: int, y: int) -> bool:
        return pix.samples[y * pix.stride + x] < 128

    ys = [y for y in range(pix.height) if any(dark(x, y) for x in range(0, pix.width, 2))]
    xs = [x for x in range(pix.width) if any(dark(x, y) for y in range(0, pix.height, 2))]
    x0, y0, size = xs[0], ys[0], xs[-1] - xs[0] + 1
    # The finder pattern's top row is dark for 7 modules: its length gives the module size.
    run = next(i for i in range(size) if not dark(x0 + i, y0 + 2))
    n = round(size / (run / 7))
    step = size / n
    return [[dark(x0 + int((c + 0.5) * step), y0 + int((r + 0.5) * step)) for c in range(n)] for r in range(n)]


@pytest.mark.parametrize("doc", [ISSUE, NOTICE])
def test_the_last_page_carries_the_pages_qr_code_and_address(public, doc):
    document = pdf(public, doc)
    address = URL + doc
    last = document[-1]
    assert address in last.get_text() and "扫码阅读网页版" in last.get_text()
    assert all(address not in page.get_text() for page in list(document)[:-1])
    expected = [[bool(v) for v in row] for row in segno.make(address, error="m", micro=False).matrix]
    assert qr_modules(last) == expected


@pytest.mark.parametrize("doc", [ISSUE, NOTICE])
def test_gbt_layout_measurements_stay_as_they_are(public, built_demo, doc):
    document = pdf(public, doc)
    plain = pdf(built_demo, doc)  # the same document without a site address: no QR code
    assert "扫码阅读网页版" not in plain[-1].get_text()
    assert len(document) == len(plain)
    flush, total, ragged = pm.flush_ratio(document)
    assert total > 100 and flush / total >= 0.98
    rule = pm.bottom_rule(document, len(document) - 1)
    assert rule is not None and abs(rule - pm.BOTTOM) <= 2
    dashes = pm.page_number_dashes(document)
    assert dashes == pm.page_number_dashes(plain)
    tags = pm.is_tagged(document)
    assert tags["struct_tree"] and tags["pdfua"] and tags["bookmarks"] >= 2


def test_the_closing_prints_the_series_wechat_qr_beside_its_line(public):
    last = pdf(public, ISSUE)[-1]
    [image] = last.get_image_info()
    line = [b for b in last.get_text("dict")["blocks"] if "官方微信" in str(b)]
    assert line and abs((image["bbox"][1] + image["bbox"][3]) / 2 - (line[0]["bbox"][1] + line[0]["bbox"][3]) / 2) < 20
    assert image["bbox"][0] > line[0]["bbox"][2]  # to the right of the line
    assert pdf(public, NOTICE)[-1].get_image_info() == []  # a notice has no 报尾


@pytest.mark.parametrize("doc", [ISSUE, NOTICE])
def test_word_files_carry_the_qr_code_and_address_last(public, doc):
    word = docx.Document(public / "site" / doc / (doc.strip("/").replace("/", "-") + ".docx"))
    last = word.paragraphs[-1]
    assert last.text.endswith(f"扫码阅读网页版：{URL}{doc}")
    assert last._p.xpath(".//pic:pic")
    wechat = [p for p in word.paragraphs if "官方微信" in p.text]
    assert bool(wechat and wechat[0]._p.xpath(".//pic:pic")) == (doc == ISSUE)


def test_the_qr_inputs_are_part_of_the_pdf_cache_key(public):
    from generator.assemble import assemble
    from generator.pipeline import checked_content
    from generator.print.pdf import documents

    content = checked_content(public)
    site = assemble(content, content.site, __import__("datetime").date(2026, 1, 1))
    keys = {view.url: job.key for view, job in documents(site, public)}
    moved = {view.url: job.key for view, job in documents(dataclasses.replace(site, url="https://example.com/"), public)}
    bare = {view.url: job.key for view, job in documents(dataclasses.replace(site, url=""), public)}
    assert all(len({keys[u], moved[u], bare[u]}) == 3 for u in keys)
    image = public / "content/images/公众号二维码.png"
    original = image.read_bytes()
    try:
        segno.make("https://example.org/另一个公众号").save(image, scale=6, border=2)
        changed = {view.url: job.key for view, job in documents(site, public)}
    finally:
        image.write_bytes(original)
    assert changed[ISSUE] != keys[ISSUE] and changed[NOTICE] == keys[NOTICE]


@pytest.mark.parametrize("value, message", [
    ("images/没有这张.png", "找不到公众号二维码图片“images/没有这张.png”"),
    ("../../secret.png", "指向 content 文件夹之外"),
    ("/etc/passwd", "指向 content 文件夹之外"),
    ("https://example.org/qr.png", "是网络地址"),
    ("images/二维码.svg", "不能使用 SVG 图片"),
    ("images/假图片.png", "不是能识别的图片文件"),
])
def test_a_bad_wechat_qr_is_refused_at_its_line(project, capsys, value, message):
    (project / "content/images").mkdir()
    (project / "content/images/二维码.svg").write_text("<svg/>", encoding="utf-8")
    (project / "content/images/假图片.png").write_text("不是图片", encoding="utf-8")
    with_wechat_qr(project, value)
    line = (project / SERIES).read_text(encoding="utf-8").splitlines().index(f"  wechat_qr: {value}") + 1
    assert main(["--root", str(project), "check"]) == 1
    err = capsys.readouterr().err
    assert f"{SERIES}:{line}: 错误：" in err and message in err and "怎么改：" in err
    assert "Traceback" not in err
