"""Issue 23's hostile and careless inputs, in the style of test_bad_input_hostile.py.

Characters that exist only once YAML is parsed (escapes in double quotes) or once HTML is read
(character references), numbers out of their field's range however written, every kind of YAML
syntax error in Chinese, center levels in traditional characters. Each case names file:line and
the Chinese message, exits 1 from `check` and from `build`, writes nothing, shows no English
parser text and no traceback.
"""
from __future__ import annotations

import re

import pytest
from test_bad_input import CENTERS, ISSUE, SERIES, STORY, Case, replace, run, write

SITE = "content/site.yml"
NOTICE = "content/notices/guangxi-notices/2025-15.md"
ROUND = "content/evaluations/guangxi-notices/2024.yml"
FACTS = "content/evaluations/guangxi-notices/facts.yml"
TITLE = "title: 推进全省同质化管理 提升基层诊疗服务能力"
CENTER_NAME = "  name: 湖北省儿科医疗质量控制中心"  # line 11 of the registry
BODY = "2024年7月—9月"  # the first words of the pediatrics story's body (line 8)

CASES = [
    # --- invisible characters written as escapes: they exist only after parsing -------------------
    Case("c1-escape-in-title", replace(STORY, TITLE, 'title: "推进\\x9f全省同质化管理"'),
         f"{STORY}:2", "字段“title”的值里有看不见的控制字符（U+009F）"),
    Case("c1-escape-in-center-name", replace(CENTERS, CENTER_NAME, '  name: "湖北省儿科\\x85医疗质量控制中心"'),
         f"{CENTERS}:11", "字段“name”的值里有看不见的控制字符（U+0085）"),
    Case("nel-escape-in-center-name", replace(CENTERS, CENTER_NAME, '  name: "湖北省儿科\\N医疗质量控制中心"'),
         f"{CENTERS}:11", "控制字符（U+0085）"),
    Case("bidi-escape-in-notice-title", replace(NOTICE, "title: 自治区", 'title: "\\u202e自治区" # '),
         f"{NOTICE}:4", "格式字符（U+202E 方向控制字符）"),
    Case("escape-escape-in-series-name", replace(SERIES, "name: 湖北医疗质控管理工作简报", 'name: "湖北\\e[31m简报"'),
         f"{SERIES}:2", "控制字符（U+001B）"),
    Case("null-escape-in-issue-title", replace(ISSUE, "quarter: 3\n", 'quarter: 3\ntitle: "专刊\\0"\n'),
         f"{ISSUE}:4", "字段“title”的值里有看不见的控制字符（U+0000）"),
    Case("line-separator-escape-in-site-title", write(SITE, 'title: "简报\\L通报"\n'),
         f"{SITE}:1", "格式字符（U+2028 行分隔符）"),
    Case("escape-in-list-item", replace(STORY, "center: hb-pediatrics", 'center: hb-pediatrics\npartners: ["hb-nursing\\x07"]'),
         f"{STORY}:4", "字段“partners”的值里有看不见的控制字符（U+0007）"),
    Case("escape-in-fact-source", replace(FACTS, "    source: 桂卫办发〔2025〕15号：", '    source: "\\u2066桂卫办发〔2025〕15号" # '),
         f"{FACTS}:6", "格式字符（U+2066 方向控制字符）"),
    # --- HTML character references that become invisible characters ------------------------------
    Case("char-ref-bidi-in-body", replace(STORY, BODY, "&#x202E;" + BODY),
         f"{STORY}:8", "字符引用“&#x202E;”写的是格式字符（U+202E 方向控制字符）"),
    Case("char-ref-c1-in-body", replace(STORY, BODY, "&#159;" + BODY), f"{STORY}:8", "字符引用“&#159;”写的是控制字符（U+009F）"),
    Case("char-ref-null-in-body", replace(STORY, BODY, "&#0;" + BODY), f"{STORY}:8", "字符引用“&#0;”写的是不存在的字符"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input_is_reported_exactly(project, capsys, case):
    case.mutate(project)
    for command in (["check"], ["build", "--no-pdf"]):
        code, output = run(project, capsys, *command)
        assert code == 1, output
        assert "Traceback" not in output
        line = next((li for li in output.splitlines() if case.message in li), output)
        assert line.startswith(case.where) and "错误：" in line, output
        assert "怎么改：" in output
        assert not re.search(r"[A-Za-z]{3,} [a-z]{3,} [a-z]{3,}", output), output  # no English sentence
    assert not (project / "build").exists() and not (project / "site").exists()


UNSEEN = "\x07\x1b\x85\x9f\u202e\u2066\u2028"


def test_print_paths_filter_what_the_pages_filter(tmp_path):
    """A control character or bidi override that reaches the site model some other way than the
    checked files (the load stage rejects those) is dropped from the PDFs and Word files as from
    the pages: before, Typst stopped the whole build with "PDF/UA-1 error: the text … could not be
    displayed" (exit 3)."""
    import zipfile

    from conftest import copy_project

    from generator.assemble import assemble
    from generator.pipeline import checked_content
    from generator.print.pdf import render_pdfs
    from generator.print.word import render_docx
    from generator.publication import publication_day
    from generator.render.pages import printable

    root = copy_project(tmp_path / "project")
    content = checked_content(root)
    site = assemble(content, content.site, publication_day())
    view = site.issues[0].stories[0]
    view.story.title = f"推进{UNSEEN}同质化"
    view.center.name = f"湖北{UNSEEN}中心"
    site.notices[0].notice.title = f"通报{UNSEEN}标题"
    pdfs, _ = render_pdfs(site, root, progress=False)
    words, _ = render_docx(site, root)
    assert len(pdfs) == len(words) == 2
    xml = "".join(zipfile.ZipFile(p).read("word/document.xml").decode("utf-8") for p in words.values())
    assert "推进同质化" in xml and "通报标题" in xml and "湖北中心" in xml
    assert not any(ch in xml for ch in UNSEEN)
    assert printable(f"a{UNSEEN}b") == "ab"
