"""A bulletin typed in Notepad: no `##`, no `**`, headlines told only by their layout (a line alone
between blank lines, after a byline "…中心——", after the 按语 or a 点评, or a couplet). The reference
bulletin's text stripped of every Markdown mark imports, in UTF-8 and GB18030, into the same stories
as the office .docx does (tests/ingest_docs.py)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import copy_project
from ingest_docs import office_docx

from generator.cli import main
from generator.ingest.bulletin import parse_bulletin
from generator.ingest.readers import read_document
from generator.load import load_content

REFERENCE = Path(__file__).parent / "data" / "reference" / "hubei-bulletin-2024-q3.txt"
ISSUE = "hubei-bulletin/2024-q3"
ARGS = ["--series", "hubei-bulletin", "--issue", "2024-q3"]


def plain(text: str) -> str:
    """What a person types: no heading marks, no bold marks."""
    return "\n".join(re.sub(r"^\s*#+\s*", "", line).replace("**", "") for line in text.splitlines()) + "\n"


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("plain") / "project")
    (root / "bulletins" / f"{ISSUE}.yml").unlink()
    shutil.rmtree(root / "content" / "stories" / ISSUE)
    shutil.rmtree(root / "content" / "commentary" / ISSUE)
    return root


def imported(base: Path, where: Path, source: Path) -> list[tuple[str, str, str, str]]:
    """(title, center, body without bold marks or spaces, 点评) of the imported issue, in order."""
    root = where / "project"
    shutil.copytree(base, root)
    assert main(["--root", str(root), "import", str(source), *ARGS]) == 0
    assert main(["--root", str(root), "check"]) == 0
    content = load_content(root)
    issue = next(i for i in content.issues if i.id == ISSUE)
    stories = {s.slug: s for s in content.stories if s.issue == ISSUE}
    notes = {c.story: c.body for c in content.commentaries}
    flat = lambda t: re.sub(r"\s+|\*\*", "", t)
    return [(stories[slug].title, stories[slug].center, flat(stories[slug].body), flat(notes.get(f"{ISSUE}/{slug}", "")))
            for sec in issue.sections for slug in sec.stories]


@pytest.fixture(scope="module")
def from_docx(base, tmp_path_factory):
    where = tmp_path_factory.mktemp("docx")
    return imported(base, where, office_docx(REFERENCE, where / "简报.docx"))


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_notepad_text_imports_the_same_stories_as_the_docx(base, from_docx, tmp_path, capsys, encoding):
    text = plain(REFERENCE.read_text(encoding="utf-8"))
    assert "#" not in text and "**" not in text
    source = tmp_path / "简报.txt"
    source.write_bytes(text.encode(encoding))
    got = imported(base, tmp_path, source)
    assert len(from_docx) == 25
    assert [g[0] for g in got] == [d[0] for d in from_docx]  # every headline, in order
    assert got == from_docx  # centers, body text and 点评 as well


def test_markdown_headings_still_work(tmp_path):
    lines = ["按：本期说明。", "## 第一篇的标题", "第一篇正文。", "点评：很好。", "## 第二篇的标题", "第二篇正文。"]
    parsed = parse_bulletin(_blocks(tmp_path, lines))
    assert [a.headline for a in parsed.articles] == ["第一篇的标题", "第二篇的标题"]


def _blocks(tmp_path: Path, lines: list[str]):
    """The lines typed as paragraphs (a blank line between each), read as the import reads them."""
    source = tmp_path / "简报.txt"
    source.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return read_document(source)


def test_body_lines_are_never_headlines(tmp_path):
    """Short lines inside a story (a numbered sub-heading, a sentence broken at a page end, a short
    line without a sentence end after a paragraph) stay body text; only the layout's headlines count."""
    lines = [
        "某某省护理质量控制中心——",
        "深入基层调研 倾听基层心声",
        "为贯彻落实文件精神，省护理质控中心组织专家组开展调研，了解基层护理工作",
        "现状。",
        "一、开展基层护理调研",
        "调研覆盖十所乡镇卫生院。",
        "专家组现场提出建议",
        "各单位表示将认真整改。",
        "点评：调研扎实。",
        "聚焦质量提升，落实基层赋能",
        "省内分泌科质控中心开展培训。",
    ]
    parsed = parse_bulletin(_blocks(tmp_path, lines))
    assert [a.headline for a in parsed.articles] == ["深入基层调研 倾听基层心声", "聚焦质量提升，落实基层赋能"]
    assert parsed.articles[0].byline == "某某省护理质量控制中心"
    body = "".join(parsed.articles[0].paragraphs)
    for text in ("了解基层护理工作现状。", "一、开展基层护理调研", "专家组现场提出建议"):
        assert text in body


def test_no_headline_in_text_says_what_a_text_headline_looks_like(base, tmp_path, capsys):
    root = tmp_path / "project"
    shutil.copytree(base, root)
    before = sorted(root.rglob("*"))
    source = tmp_path / "简报.txt"
    source.write_text("省护理质控中心开展调研，了解基层护理工作现状。\n\n调研覆盖十所乡镇卫生院。\n", encoding="utf-8")
    code = main(["--root", str(root), "import", str(source), *ARGS])
    out = capsys.readouterr()
    message = out.out + out.err
    assert code == 2 and "Traceback" not in message
    assert "没有认出任何稿件标题" in message and "单独占一行" in message and "——" in message
    assert "加粗" not in message and "居中" not in message and "标题样式" not in message
    assert sorted(root.rglob("*")) == before
