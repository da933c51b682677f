"""Issue 11, contained paths: every image reference, however it is written, and every content file
resolves inside the content tree; images are pictures by their content; nothing remote.

The bad cases are in the style of test_bad_input.py (file:line, the Chinese message, exit 1 from
check and build, nothing written). The good cases build the site and look at what reaches the
pages, the PDF and the Word file: exactly the verified files, from the load stage's one list.
"""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from test_bad_input import COMMENT, ISSUE, STORY, Case, both, replace, run, write
from test_html_safety import IMAGE_PAYLOADS

from generator.load import load_content

NOTICE = "content/notices/guangxi-notices/2025-15.md"
Q3 = "content/stories/hubei-bulletin/2024-q3"
LEAD = "**开展儿科质量督查"  # line 10 of the pediatrics story
NOTICE_FIRST = "根据《自治区卫生健康委"  # line 15 of the notice


def picture(kind: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 0, 0)).save(out, kind)
    return out.getvalue()


def before_lead(markdown: str) -> object:
    return replace(STORY, LEAD, f"{markdown}\n\n{LEAD}")


def at_end(rel: str, markdown: str) -> object:
    def mutate(root: Path) -> None:
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{markdown}\n", encoding="utf-8")
    return mutate


def story_lines(root: Path) -> int:
    return len((root / STORY).read_text(encoding="utf-8").rstrip("\n").split("\n"))


def link(rel: str, target: Path, data: bytes) -> object:
    def mutate(root: Path) -> None:
        outside = root.parent / target
        outside.parent.mkdir(parents=True, exist_ok=True)
        outside.write_bytes(data)
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.unlink()
        os.symlink(outside, path)
    return mutate


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="5" height="5"/></svg>'
OUTSIDE_MARKER = "ZKOUTSIDEREPOFILE"
OUTSIDE = "如何改" + OUTSIDE_MARKER  # text of a file outside the project

CASES = [
    Case("reference-style-traversal", before_lead("![现场][photo]\n\n[photo]: ../../../../../../x.png"),
         f"{STORY}:12", "图片路径“../../../../../../x.png”指向稿件文件夹之外"),
    Case("reference-style-uppercase-traversal", before_lead('![现场][Photo]\n\n[photo]: ../../x.png "图注"'),
         f"{STORY}:12", "图片路径“../../x.png”指向稿件文件夹之外"),
    Case("percent-encoded-traversal", before_lead("![x](images/%2e%2e/%2e%2e/%2e%2e/x.png)"),
         f"{STORY}:10", "指向稿件文件夹之外"),
    Case("absolute-path", before_lead("![x](/etc/hostname)"), f"{STORY}:10", "图片路径“/etc/hostname”指向稿件文件夹之外"),
    Case("backslash-path", before_lead("![x](images\\\\..\\\\..\\\\x.png)"), f"{STORY}:10", "用了反斜杠"),
    Case("remote-http", before_lead("![x](https://evil.example/x.png)"), f"{STORY}:10",
         "图片“https://evil.example/x.png”是网络地址：只能使用随稿件提交的图片文件"),
    Case("remote-reference-style", at_end(STORY, "![x][r]\n\n[r]: http://evil.example/x.png"), f"{STORY}:",
         "图片“http://evil.example/x.png”是网络地址"),
    Case("protocol-relative", before_lead("![x](//evil.example/x.png)"), f"{STORY}:10", "是网络地址"),
    Case("data-url", before_lead("![x](data:image/png;base64,iVBORw0KGgo=)"), f"{STORY}:10", "是 data: 内嵌数据"),
    Case("not-an-image", both(write(f"{Q3}/images/fake.png", b"#!/bin/sh\necho not a picture\n"),
                              before_lead("![x](images/fake.png)")),
         f"{STORY}:10", "“images/fake.png”不是能识别的图片文件"),
    Case("truncated-png", both(write(f"{Q3}/images/cut.png", picture()[:30]), before_lead("![x](images/cut.png)")),
         f"{STORY}:10", "不是能识别的图片文件"),
    Case("svg-with-script", both(write(f"{Q3}/images/chart.svg", SVG), before_lead("![图](images/chart.svg)")),
         f"{STORY}:10", "不能使用 SVG 图片“images/chart.svg”"),
    Case("jpeg-named-png", both(write(f"{Q3}/images/photo.png", picture("JPEG")), before_lead("![x](images/photo.png)")),
         f"{STORY}:10", "图片“images/photo.png”的内容是 JPEG，与扩展名“.png”不符"),
    Case("name-differs-in-case", both(write(f"{Q3}/images/ducha.png", picture()), before_lead("![督查](images/Ducha.PNG)")),
         f"{STORY}:10", "找不到图片“images/Ducha.PNG”"),
    Case("missing-with-space", before_lead("![](<images/现场 照片2.png>)"), f"{STORY}:10", "找不到图片“images/现场 照片2.png”"),
    Case("image-symlink-out-of-repo", both(link(f"{Q3}/images/leak.png", Path("outside/leak.png"), picture()),
                                           before_lead("![x](images/leak.png)")),
         f"{STORY}:10", "指向 content 文件夹之外（链接到了仓库外的文件）"),
    Case("story-symlink-out-of-repo",
         link(f"{Q3}/evil.md", Path("outside/evil.md"),
              f"---\ntitle: {OUTSIDE}\ncenter: hb-pediatrics\ndate: 2024-09-27\nissue: hubei-bulletin/2024-q3\n"
              f"---\n\n{OUTSIDE}\n".encode()),
         f"{Q3}/evil.md:1", "这个文件是链接（符号链接），指向 content/ 和 bulletins/ 之外的文件，不会读取或发布"),
    Case("issue-symlink-out-of-repo", link(ISSUE, Path("outside/issue.yml"), b"series: hubei-bulletin\n"),
         f"{ISSUE}:1", "这个文件是链接（符号链接）"),
    Case("image-in-commentary", replace(COMMENT, "湖北省护理质量控制中心", "![x][r]\n\n[r]: ../../../../../x.png\n\n湖北省护理质量控制中心"),
         f"{COMMENT}:8", "点评里不能插入图片（“../../../../../x.png”）"),
    Case("image-in-notice", replace(NOTICE, NOTICE_FIRST, f"![附图](images/a.png)\n\n{NOTICE_FIRST}"),
         f"{NOTICE}:15", "通报正文里不能插入图片（“images/a.png”）"),
]


WARNINGS = [  # harmless text everywhere (raw HTML is escaped, the 按语 is never Markdown), but a slip
    Case("raw-html-img", before_lead('<img src="../../../../x.png">'), f"{STORY}:10",
         "HTML 标签 <img> 不会显示为图片，会原样印出"),
    Case("image-in-preface", replace(ISSUE, "preface: |\n", "preface: |\n  ![图](../../../x.png)\n\n"),
         f"{ISSUE}:5", "按语是纯文字，不能放图片"),
]


@pytest.mark.parametrize("case", WARNINGS, ids=[c.id for c in WARNINGS])
def test_image_slips_in_text_are_warned(project, capsys, case):
    case.mutate(project)
    code, output = run(project, capsys, "check")
    assert code == 0 and f"{case.where}: 提醒：{case.message}" in output, output


@pytest.mark.parametrize("payload", IMAGE_PAYLOADS)
def test_hostile_markdown_images_are_refused(project, capsys, payload):
    """test_html_safety's image payloads: inert after markup, and refused by check before that."""
    before_lead(payload)(project)
    code, output = run(project, capsys, "check")
    assert code == 1 and f"{STORY}:10: 错误：" in output, output


def test_the_image_corpus_is_large_enough():
    assert len(CASES) >= 18 and len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_image_is_reported_exactly_and_nothing_is_written(project, capsys, case):
    case.mutate(project)
    where = case.where if not case.where.endswith(":") else f"{case.where}{story_lines(project)}"
    for command in (["check"], ["build", "--no-pdf"]):
        code, output = run(project, capsys, *command)
        assert code == 1, output
        assert "Traceback" not in output and OUTSIDE_MARKER not in output
        assert f"{where}: 错误：" in output and case.message in output, output
        line = next(li for li in output.splitlines() if case.message in li)
        assert line.startswith(f"{where}: 错误："), output
        assert "怎么改：" in output
        if case.id == "name-differs-in-case":  # the file that is there, not "upload it"
            assert "怎么改：文件夹里有 images/ducha.png" in output, output
    assert not (project / "build").exists() and not (project / "site").exists()


def test_a_symlinked_story_is_never_read(project):
    link(f"{Q3}/evil.md", Path("outside/evil.md"), f"---\ntitle: {OUTSIDE}\n---\n\n{OUTSIDE}\n".encode())(project)
    content = load_content(project)
    assert not any(OUTSIDE_MARKER in s.title or OUTSIDE_MARKER in s.body for s in content.stories)
    assert any("符号链接" in p.message for p in content.problems)


def test_legal_images_reach_every_output_from_one_list(project, capsys):
    """A path with a space and a reference-style image are accepted; the page, the PDF and the
    Word file embed exactly those files."""
    images = project / Q3 / "images"
    images.mkdir()
    (images / "现场 照片.png").write_bytes(picture("PNG", (40, 30)))
    (images / "ward.jpg").write_bytes(picture("JPEG", (30, 40)))
    at_end(STORY, '![督查现场](<images/现场 照片.png> "督查现场")\n\n![病房][ward]\n\n[ward]: images/ward.jpg "病房"')(project)
    story = next(s for s in load_content(project).stories if s.slug == "pediatrics")
    assert [(i.src, i.name) for i in story.images] == [("images/现场 照片.png", "images/现场 照片.png"),
                                                      ("images/ward.jpg", "images/ward.jpg")]
    code, output = run(project, capsys, "build")
    assert code == 0, output
    site = project / "site/hubei-bulletin/2024-q3"
    assert (site / "images/现场 照片.png").read_bytes() == (images / "现场 照片.png").read_bytes()
    assert (site / "images/ward.jpg").is_file()
    page = (site / "pediatrics/index.html").read_text(encoding="utf-8")
    assert 'src="../images/现场 照片.png"' in page and 'src="../images/ward.jpg"' in page
    pdf = next(site.glob("*.pdf"))
    sizes = sorted(img.image.size for p in PdfReader(pdf).pages for img in p.images)
    assert sizes == [(30, 40), (40, 30)]
    docx = next(site.glob("*.docx"))
    with zipfile.ZipFile(docx) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(media) == 2 + 1  # the story's two pictures and the 本期统计 chart (print_statistics)
