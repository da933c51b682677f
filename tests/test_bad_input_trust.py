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
from test_bad_input import CENTERS, COMMENT, ISSUE, SERIES, STORY, Case, replace, run, write

SITE = "content/site.yml"
NOTICE = "content/notices/guangxi-notices/2025-15.md"
ROUND = "content/evaluations/guangxi-notices/2024.yml"
FACTS = "content/evaluations/guangxi-notices/facts.yml"
TITLE = "title: 推进全省同质化管理 提升基层诊疗服务能力"
CENTER_NAME = "  name: 湖北省儿科医疗质量控制中心"  # line 11 of the registry
BODY = "2024年7月—9月"
EZHOU = "content/stories/hubei-bulletin/2024-q3/ezhou-emergency.md"  # figures: on line 6
NURSING = "  - {center: gx-nursing, grade: 优秀}"  # line 30 of the 2024 round  # the first words of the pediatrics story's body (line 8)

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
    # --- numbers outside their field's range, however written ------------------------------------
    Case("quoted-score-1e999999999", replace(ROUND, NURSING, NURSING[:-1] + ", scores: {组织管理: '1e999999999'}}"),
         f"{ROUND}:30", "“results.scores.组织管理”的值“1e999999999”有误：数值过大或不是有限的数"),
    Case("quoted-total-minus-1e999999999", replace(ROUND, NURSING, NURSING[:-1] + ", total: '-1e999999999'}"),
         f"{ROUND}:30", "数值过大或不是有限的数"),
    Case("quoted-total-max-1e999999999", replace(ROUND, "  total_max: 110 ", "  total_max: '1e999999999' "),
         f"{ROUND}:14", "数值过大或不是有限的数"),
    Case("total-1e-999999999", replace(ROUND, NURSING, NURSING[:-1] + ", total: '1e-999999999'}"),
         f"{ROUND}:30", "最多 6 位小数"),
    Case("share-1e-999999999-no-hang", replace(ROUND, "top: 30%", "top: '1e-999999999'"),
         f"{ROUND}:19", "比例应在 0 到 100% 之间"),
    Case("share-quoted-huge-percent", replace(ROUND, "top: 30%", "top: '1e999999999%'"), f"{ROUND}:19", "比例应在 0 到 100% 之间"),
    Case("total-max-zero", replace(ROUND, "  total_max: 110 ", "  total_max: 0 "), f"{ROUND}:14", "满分 total_max 写的是 0，应大于 0"),
    Case("total-max-negative", replace(ROUND, "  total_max: 110 ", "  total_max: -110 "), f"{ROUND}:14", "应大于 0"),
    Case("excluded-count-huge", replace(ROUND, "count: 10", "count: 9999999999999999999999999"),
         f"{ROUND}:26", "“excluded.count”的值 9999999999999999999999999 超出范围（不能大于 100000）"),
    Case("evaluated-quoted-exponent", replace(ROUND, "evaluated: 39", "evaluated: '1e999999999'"),
         f"{ROUND}:24", "“evaluated”应为整数，现在是“1e999999999”"),
    Case("quarter-quoted-6000-digits", replace(ISSUE, "quarter: 3", "quarter: '" + "9" * 6000 + "'"),
         f"{ISSUE}:3", "“quarter”的数字位数太多（6000 位）"),
    Case("quarter-infinite", replace(ISSUE, "quarter: 3", "quarter: .inf"), f"{ISSUE}:3", "“quarter”应为整数，现在是“inf”"),
    Case("quarter-true", replace(ISSUE, "quarter: 3", "quarter: true"), f"{ISSUE}:3", "“quarter”应为整数，现在是“true”"),
    Case("total-number-huge", replace(ISSUE, "quarter: 3\n", "quarter: 3\ntotal_number: 99999999999999999999999\n"),
         f"{ISSUE}:4", "超出范围（不能大于 100000）"),
    Case("toc-min-stories-1e999", replace(SERIES, "name: 湖北医疗质控管理工作简报", "name: 湖北医疗质控管理工作简报\ntoc_min_stories: 1e999"),
         f"{SERIES}:3", "“toc_min_stories”应为整数"),
    Case("doc-number-huge", replace(NOTICE, "number: 15}", "number: 99999999999999999999}"),
         f"{NOTICE}:3", "超出范围（不能大于 100000）"),
    # --- numbers written oddly: refused with what to write instead (load/numbers.py) ---------------
    Case("score-underscore", replace(ROUND, NURSING, NURSING[:-1] + ", scores: {组织管理: 1_000}}"),
         f"{ROUND}:30", "数字中间不能有下划线：“1_000”应写成 1000"),
    Case("score-underscore-quoted", replace(ROUND, NURSING, NURSING[:-1] + ", scores: {组织管理: '9_5'}}"),
         f"{ROUND}:30", "数字中间不能有下划线：“9_5”应写成 95"),
    Case("score-hex", replace(ROUND, NURSING, NURSING[:-1] + ", total: 0x10}"),
         f"{ROUND}:30", "“0x10”是十六进制写法（等于十进制的 16），应写成普通的十进制数字，如 16"),
    Case("score-octal-0o", replace(ROUND, NURSING, NURSING[:-1] + ", total: 0o17}"),
         f"{ROUND}:30", "“0o17”是八进制写法（等于十进制的 15）"),
    Case("score-binary", replace(ROUND, NURSING, NURSING[:-1] + ", total: '0b11'}"), f"{ROUND}:30", "“0b11”是二进制写法"),
    Case("score-sexagesimal", replace(ROUND, NURSING, NURSING[:-1] + ", total: 1:30}"),
         f"{ROUND}:30", "“1:30”带冒号，会被当作时间或六十进制数：应写成一个数字，如 85 或 92.5"),
    Case("score-sexagesimal-float", replace(ROUND, NURSING, NURSING[:-1] + ", total: 1:30.5}"), f"{ROUND}:30", "“1:30.5”带冒号"),
    Case("total-max-underscore-float", replace(ROUND, "  total_max: 110 ", "  total_max: 1_10.0 "),
         f"{ROUND}:14", "数字中间不能有下划线"),
    Case("share-hex", replace(ROUND, "top: 30%", "top: 0x1E"), f"{ROUND}:19", "“0x1E”是十六进制写法"),
    Case("figure-underscore", replace(EZHOU, "现场指导: 24", "现场指导: 2_4"), f"{EZHOU}:6", "数字中间不能有下划线：“2_4”应写成 24"),
    Case("figure-hex", replace(EZHOU, "现场指导: 24", "现场指导: 0x18"), f"{EZHOU}:6", "“0x18”是十六进制写法（等于十进制的 24）"),
    Case("figure-sexagesimal", replace(EZHOU, "现场指导: 24", "现场指导: 2:40"), f"{EZHOU}:6", "“2:40”带冒号"),
    Case("figure-full-width-with-unit", replace(EZHOU, "现场指导: 24", "现场指导: ２４次"), f"{EZHOU}:6",
         "“figures.现场指导”的值“２４次”有误：应写成 0 或正整数，如 1200（不加单位，不用汉字）"),
    Case("quarter-full-width", replace(ISSUE, "quarter: 3", "quarter: ３"), f"{ISSUE}:3", "“quarter”写的是全角数字“３”"),
    # --- markup no output can carry as meant ------------------------------------------------------
    Case("html-comment-in-story", replace(STORY, BODY, "<!-- 内部备注：不要公开 -->" + BODY),
         f"{STORY}:8", "正文里的 HTML 注释“<!-- … -->”不会被隐藏，会原样印在网页、PDF 和 Word 上"),
    Case("html-comment-in-commentary", replace(COMMENT, "---\n\n", "---\n\n<!--\n待定\n-->\n", 1),
         f"{COMMENT}:6", "正文里的 HTML 注释"),
    Case("quotes-nested-400-deep", replace(STORY, BODY, "> " * 400 + BODY),
         f"{STORY}:8", "引用（>）或列表嵌套了 400 层，超过 8 层，无法排版"),  # build: RecursionError, exit 3
    Case("list-nested-300-deep", replace(STORY, BODY, "\n".join("  " * i + "- 项" for i in range(300)) + "\n\n" + BODY),
         f"{STORY}:26", "引用（>）或列表嵌套了 9 层"),  # build: Typst's JSON recursion limit, exit 3
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


# One file per PyYAML error class the safe loader can raise (scanner, parser, composer, constructor):
# (site.yml text, line, the Chinese explanation). The English original is shown only with --debug.
YAML_ERRORS = {
    "merge-of-a-number": ("title: 简报\n<<: 5\n", 2, "“<<”合并只能引用一组“字段: 值”"),
    "merge-of-a-list-of-numbers": ("title: 简报\n<<: [5]\n", 2, "“<<”合并只能引用一组“字段: 值”"),
    "tab-indent": ("title: 简报\n\tdescription: 说明\n", 2, "用了 Tab 键缩进"),
    "at-sign-first": ("title: @简报\n", 1, "不能放在文字开头"),
    "backtick-first": ("title: `简报`\n", 1, "不能放在文字开头"),
    "colon-in-text": ("title: 简报: 通报\n", 1, "这一行多了一个“冒号+空格”"),
    "unclosed-double-quote": ('title: "简报\n', 1, "引号或括号没有配对"),
    "unclosed-single-quote": ("title: '简报\n", 1, "引号或括号没有配对"),
    "unknown-escape": ('title: "简报\\q"\n', 1, "双引号里的反斜杠"),
    "short-hex-escape": ('title: "简报\\x9"\n', 1, "十六进制数字"),
    "anchor-without-name": ("title: & \n", 1, "当作别名记号"),
    "alias-without-name": ("title: * \n", 1, "当作别名记号"),
    "undefined-alias": ("title: *jianbao\n", 1, "没有同名的 & 定义"),
    "duplicate-anchor": ("a: &x 1\nb: &x 2\ntitle: *x\n", 2, "同一个 & 名称定义了两次"),
    "python-tag": ("title: !!python/name:os.system 简报\n", 1, "不支持以 ! 开头的标记"),
    "local-tag": ("title: !foo 简报\n", 1, "不支持以 ! 开头的标记"),
    "unclosed-verbatim-tag": ("title: !<a 简报\n", 1, "不支持以 ! 开头的标记"),
    "undefined-tag-handle": ("title: !x!y 简报\n", 1, "不支持以 ! 开头的标记"),
    "binary-tag": ("title: !!binary '***'\n", 1, "不支持以 ! 开头的标记"),
    "omap-tag": ("title: !!omap 5\n", 1, "不支持以 ! 开头的标记"),
    "map-tag-on-text": ("title: !!map 简报\n", 1, "不支持以 ! 开头的标记"),
    "seq-tag-on-text": ("title: !!seq 简报\n", 1, "不支持以 ! 开头的标记"),
    "str-tag-on-list": ("title: !!str [简报]\n", 1, "不支持以 ! 开头的标记"),
    "block-scalar-junk": ("title: |x\n  简报\n", 1, "多行文字记号“|”“>”后面只能写"),
    "block-scalar-zero": ("title: |0\n  简报\n", 1, "后面的数字只能是 1 到 9"),
    "directive-junk": ("%YAML x\n---\ntitle: 简报\n", 1, "以 % 开头的行是 YAML 指令"),
    "directive-twice": ("%YAML 1.1\n%YAML 1.1\n---\ntitle: 简报\n", 2, "以 % 开头的行是 YAML 指令"),
    "directive-version": ("%YAML 2.0\n---\ntitle: 简报\n", 1, "以 % 开头的行是 YAML 指令"),
    "tag-directive-twice": ("%TAG !a! tag:x\n%TAG !a! tag:y\n---\ntitle: 简报\n", 2, "以 % 开头的行是 YAML 指令"),
    "unclosed-bracket": ("title: [简报, 通报\ndescription: 说明\n", 1, "方括号 [ ] 没有配对"),
    "unclosed-brace": ("title: {a: 简报\ndescription: 说明\n", 1, "花括号 { } 没有配对"),
    "list-item-misplaced": ("title: 简报\n- 通报\n", 2, "缩进没有对齐"),
    "empty-flow-item": ("title: [简报, , 通报]\n", 1, "这里缺少值"),
    "text-after-document-end": ("title: 简报\n...\n通报\n", 3, "一份内容结束后还有文字"),
    "second-document": ("title: 简报\n---\ntitle: 通报\n", 2, "一个文件只能有一份内容"),
    "text-after-quote": ("title: '简报' 通报\n", 1, "缩进没有对齐"),
    "dedent": ("title: 简报\ndescription:\n    a: 1\n  b: 2\n", 4, "缩进没有对齐"),
}


@pytest.mark.parametrize("name", sorted(YAML_ERRORS))
def test_every_yaml_error_is_explained_in_chinese(project, capsys, name):
    text, line, message = YAML_ERRORS[name]
    write(SITE, text)(project)
    code, output = run(project, capsys, "check")
    assert code == 1 and "Traceback" not in output, output
    first = output.splitlines()[0]
    assert first.startswith(f"{SITE}:{line}: 错误：") and message in first, output
    assert "怎么改：" in output and "YAML 格式有误" not in output
    assert not re.search(r"[A-Za-z]{4,}", output.replace(SITE, "").replace("YAML", "").replace("docs/CONTENT.md", "")
                         .replace("python", "").replace("binary", "").replace("tag", "")), output
    code, output = run(project, capsys, "--debug", "check")
    assert code == 1 and "原文（--debug）：" in output, output  # the parser's English, for developers


PEDIATRICS_LEVEL = "  short_name: 儿科\n  level: 省级"  # level on line 13 of the registry


@pytest.mark.parametrize("written, simple", [("省級", "省级"), ("自治區級", "自治区级"), ("縣級", "县级"),
                                             ("國家級", "国家级"), ("直轄市級", "直辖市级")])
def test_a_level_in_traditional_characters_is_warned(project, capsys, written, simple):
    """省級 and 省级 look alike to an editor but split the centers index into two levels."""
    replace(CENTERS, PEDIATRICS_LEVEL, f"  short_name: 儿科\n  level: {written}")(project)
    code, output = run(project, capsys, "check")
    assert code == 0, output
    assert (f"{CENTERS}:13: 提醒：质控中心“hb-pediatrics”的级别“{written}”用了繁体字，"
            f"质控中心索引会把它与写作“{simple}”的中心分成两类\n    怎么改：写 level: {simple}") in output, output
    replace(CENTERS, f"level: {written}", f"level: {simple}")(project)
    assert "繁体字" not in run(project, capsys, "check")[1]


@pytest.fixture(scope="module")
def lacking_glyphs(tmp_path_factory):
    """The demo with an emoji in a story's title and 'Ÿ' in its body and in a center's name,
    checked and built once (PDFs included)."""
    import contextlib
    import io

    from conftest import copy_project

    from generator.cli import main

    root = copy_project(tmp_path_factory.mktemp("glyphs") / "project")
    replace(STORY, TITLE, "title: 推进全省同质化管理😀 提升基层诊疗服务能力")(root)
    replace(STORY, BODY, "ŸŸ" + BODY)(root)
    replace(CENTERS, CENTER_NAME, "  name: 湖北省儿科Ÿ医疗质量控制中心")(root)
    runs = {}
    for command in (["check"], ["build"]):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--root", str(root), *command])
        runs[command[0]] = (code, out.getvalue() + err.getvalue())
    return root, runs


def test_a_character_the_print_fonts_lack_is_warned_and_printed_as_a_mark(lacking_glyphs):
    """Before, check passed and the build stopped with Typst's English "PDF/UA-1 error: the text …
    could not be displayed" (exit 3). Now check warns at file:line with the character and its
    code, the PDF carries 〓 in its place, the web page keeps the character."""
    from pypdf import PdfReader

    root, runs = lacking_glyphs
    code, output = runs["check"]
    assert code == 0, output
    assert f"{STORY}:2: 提醒：打印字体里没有字符“😀”（U+1F600），PDF 上会印成“〓”（网页和 Word 照常显示）" in output, output
    assert f"{STORY}:8: 提醒：打印字体里没有字符“Ÿ”（U+0178）" in output
    assert f"{CENTERS}:11: 提醒：打印字体里没有字符“Ÿ”（U+0178）" in output
    code, output = runs["build"]
    assert code == 0 and "PDF/UA" not in output and "Traceback" not in output, output
    pdf = next((root / "site").rglob("hubei-bulletin-2024-q3.pdf"))
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "推进全省同质化管理〓" in text and "〓〓2024年7月" in text and "😀" not in text and "Ÿ" not in text
    page = (root / "site" / "hubei-bulletin" / "2024-q3" / "pediatrics" / "index.html").read_text(encoding="utf-8")
    assert "推进全省同质化管理😀" in page and "ŸŸ2024年7月" in page


def test_print_coverage_is_read_from_the_fonts():
    """The coverage the warning relies on: CJK and Latin there, emoji and 'Ÿ' not, ignorable
    characters (the variation selector of ❤️) never reported."""
    from generator.print.coverage import MISSING_MARK, lacking, with_missing_marks

    assert lacking("湖北省儿科质控中心 2024 ABC，。“”—《》") == []
    assert lacking("😀推Ÿ进😀\ufe0f") == ["😀", "Ÿ"]
    assert with_missing_marks("推Ÿ进") == f"推{MISSING_MARK}进" and lacking(MISSING_MARK) == []


@pytest.mark.parametrize("file, old, new, line, written, read", [
    (ROUND, NURSING, NURSING[:-1] + ", scores: {组织管理: ９５}}", 30, "９５", "95"),
    (ROUND, NURSING, NURSING[:-1] + ", scores: {组织管理: '９２．５'}}", 30, "９２．５", "92.5"),
    (ROUND, "top: 30%", "top: ３０％", 19, "３０％", "30%"),
    (EZHOU, "现场指导: 24", "现场指导: ２４", 6, "２４", "24"),
])
def test_full_width_digits_are_read_as_half_width_with_a_warning(project, capsys, file, old, new, line, written, read):
    """An IME left in full-width mode: what the editor meant is clear, so it is read, and said.
    (A score on one center only is then refused as a partial set of scores, not as a number.)"""
    replace(file, old, new)(project)
    code, output = run(project, capsys, "check")
    assert code == (1 if "scores" in new else 0), output
    assert "组织管理" not in output and "应为数字" not in output
    assert (f"{file}:{line}: 提醒：“{written}”是全角数字，已按 {read} 读取\n"
            f"    怎么改：改用半角数字，写成 {read}") in output, output


def test_a_leading_zero_is_decimal_not_octal(project, capsys):
    """YAML 1.1 reads 017 as octal 15; an editor means 17."""
    from generator.pipeline import checked_content

    replace(EZHOU, "现场指导: 24", "现场指导: 017")(project)
    story = next(s for s in checked_content(project).stories if s.file == EZHOU)
    assert story.figures["现场指导"] == 17


def test_annex_spreadsheet_text_is_never_a_formula():
    """openpyxl stores a string that starts with "=" as a formula: a host or center named
    =HYPERLINK(…) would have been a live link in the published annex."""
    import io

    from openpyxl import load_workbook

    from generator.print.annex_sheet import xlsx_bytes

    formula = '=HYPERLINK("http://example.invalid","点击")'
    data = {"title": "=1+1", "columns": ["序号", "质控中心", "评估结果", "挂靠单位"], "date": "2025-08-25",
            "author": "某卫生健康委员会办公室", "subject": "某卫办发〔2025〕1号", "rows": [["1", "=A1", "优秀", formula]]}
    sheet = load_workbook(io.BytesIO(xlsx_bytes(data))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert {cell.value for cell in cells} >= {"=1+1", "=A1", formula}
    assert all(cell.data_type != "f" for cell in cells)
