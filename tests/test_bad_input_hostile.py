"""Issue 11's careless or hostile inputs, field by field, in the style of test_bad_input.py.

Invisible characters, full-width punctuation, YAML bombs, absurd numbers and years: each case
names file:line and the Chinese message, exits 1 from `check` and from `build` (check is the
contract: build rejects nothing that check lets through), writes nothing and does not hang.
"""
from __future__ import annotations

import time

import pytest
from test_bad_input import CENTERS, COMMENT, ISSUE, SERIES, STORY, Case, replace, run, write

from generator.cli import main

SITE = "content/site.yml"
NOTICE = "content/notices/guangxi-notices/2025-15.md"
ROUND = "content/evaluations/guangxi-notices/2024.yml"
FACTS = "content/evaluations/guangxi-notices/facts.yml"
SITE_YML = "title: 医疗质量控制工作简报与通报\ndescription: 说明。\n"
BODY = "2024年7月—9月"  # the first words of the pediatrics story's body (line 8)


def _bytes(rel: str, make) -> object:
    def mutate(root):
        path = root / rel
        path.write_bytes(make(path.read_bytes()))
    return mutate


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefg", "bcdefgh"))

CASES = [
    # --- characters nobody can see --------------------------------------------------------------
    Case("zero-width-in-center-id", replace(STORY, "center: hb-pediatrics", "center: hb-pedi\u200batrics"),
         f"{STORY}:3", "第 16 个字符处有看不见的零宽字符（U+200B 零宽空格）"),
    Case("zero-width-joiner-in-title", replace(STORY, "title: 推进", "title: 推\u200d进"),
         f"{STORY}:2", "零宽字符（U+200D 零宽连接符）"),
    Case("doubled-bom", _bytes(SERIES, lambda b: b"\xef\xbb\xbf\xef\xbb\xbf" + b),
         f"{SERIES}:1", "文件开头有两个 BOM"),
    Case("bom-inside-file", replace(ISSUE, "quarter: 3", "quarter: \ufeff3"),
         f"{ISSUE}:3", "零宽字符（U+FEFF 零宽不换行空格（BOM））"),
    Case("c1-in-center-name", replace(CENTERS, "  name: 湖北省儿科医疗质量控制中心", "  name: 湖北省儿科\x85医疗质量控制中心"),
         f"{CENTERS}:11", "控制字符（U+0085）"),
    Case("c0-escape-in-body", replace(STORY, BODY, "\x1b[31m" + BODY),
         f"{STORY}:8", "控制字符（U+001B）"),
    Case("bell-in-commentary", replace(COMMENT, "story: hubei-bulletin/2024-q3/nursing", "story: hubei-bulletin/2024-q3/nursing\x07"),
         f"{COMMENT}:2", "控制字符（U+0007）"),
    Case("bidi-override-in-notice-title", replace(NOTICE, "title: 自治区", "title: \u202e自治区"),
         f"{NOTICE}:4", "看不见的格式字符（U+202E 方向控制字符）"),
    Case("line-separator-in-site-title", write(SITE, "title: 简报\u2028通报\n"),
         f"{SITE}:1", "看不见的格式字符（U+2028 行分隔符）"),
    # --- full-width punctuation where YAML needs ASCII ----------------------------------------
    Case("fullwidth-colon-after-key", replace(STORY, "title: 推进", "title：推进"),
         f"{STORY}:2", "字段名“title”后面用了全角冒号“：”"),
    Case("fullwidth-colon-in-yml", replace(ISSUE, "quarter: 3", "quarter：3"),
         f"{ISSUE}:3", "字段名“quarter”后面用了全角冒号“：”"),
    Case("fullwidth-space-indent", replace(ISSUE, "      - pediatrics", "\u3000\u3000\u3000- pediatrics"),
         f"{ISSUE}:12", "行首用了全角空格（　）缩进"),
    # --- YAML that expands, recurses or repeats --------------------------------------------------
    Case("alias-bomb", write(SITE, SITE_YML + BOMB), f"{SITE}:", "内容展开后过大"),
    Case("recursive-alias", write(SITE, SITE_YML + "x: &loop [1, *loop]\n"),
         f"{SITE}:3", "别名（*）引用了包含它自己的内容（循环引用）"),
    Case("second-document", write(SITE, SITE_YML + "---\ntitle: 另一份\n"),
         f"{SITE}:3", "文件里多了一行 ---：一个文件只能有一份内容"),
    Case("unhashable-key", write(SITE, SITE_YML + "? [a, b]\n: c\n"),
         f"{SITE}:3", "字段名写成了列表或一组“字段: 值”"),
    Case("flow-nesting", write(SITE, SITE_YML + "x: " + "{a: " * 200 + "1" + "}" * 200 + "\n"),
         f"{SITE}:3", "YAML 嵌套层数过多"),
    Case("giant-integer", replace(ISSUE, "quarter: 3", "quarter: " + "9" * 6000),
         f"{ISSUE}:3", "“quarter”应为整数"),
    # --- site.yml ----------------------------------------------------------------------------------
    Case("site-title-number", write(SITE, "title: 2024\n"), f"{SITE}:1", "“title”应为一段文字，现在是“2024”"),
    Case("site-unknown-key", write(SITE, SITE_YML + "titel: 错字\n"), f"{SITE}:3", "不认识的字段“titel”"),
    Case("site-url-javascript", write(SITE, SITE_YML + "url: javascript:alert(1)//\n"),
         f"{SITE}:3", "网址“javascript:alert(1)//”不是有效的 http(s) 地址"),
    Case("site-url-quote", write(SITE, SITE_YML + "url: 'https://example.org/\"><script>'\n"),
         f"{SITE}:3", "不是有效的 http(s) 地址"),
    # --- numbers and years out of any sensible range ------------------------------------------
    Case("score-1e999999", replace(ROUND, "  - {center: gx-nursing, grade: 优秀}",
                                   "  - {center: gx-nursing, grade: 优秀, total: 1e999999}"),
         f"{ROUND}:30", "数值过大或不是有限的数"),
    Case("share-1e9999999", replace(ROUND, "top: 30%", "top: 1e9999999"),
         f"{ROUND}:19", "比例应在 0 到 100% 之间"),
    Case("share-negative", replace(ROUND, "top: 30%", "top: -30%"), f"{ROUND}:19", "比例应在 0 到 100% 之间"),
    Case("score-not-a-number", replace(ROUND, "  total_max: 110 ", "  total_max: 一百一十 "),
         f"{ROUND}:14", "应为数字，如 85 或 92.5"),
    Case("fact-year-out-of-range", replace(FACTS, "years: [2022, 2023]", "years: [2022, 20230]"),
         f"{FACTS}:5", "超出范围"),
    Case("issue-dated-2107", replace(ISSUE, "date: 2024-09-27", "date: 2107-09-27"),
         f"{ISSUE}:4", "“date”的日期“2107-09-27”不在 1990—2100 年之间"),
    Case("story-dated-1900", replace(STORY, "date: 2024-09-27", "date: 1900-09-27"),
         f"{STORY}:4", "“date”的日期“1900-09-27”不在 1990—2100 年之间"),
    Case("notice-publish-date-9999", replace(NOTICE, "date: 2025-08-25", "date: 2025-08-25\npublish_date: 9999-01-01"),
         f"{NOTICE}:8", "不在 1990—2100 年之间"),
    # --- references -------------------------------------------------------------------------------
    Case("own-center-as-partner", replace(STORY, "center: hb-pediatrics", "center: hb-pediatrics\npartners: [hb-pediatrics]"),
         f"{STORY}:4", "合作中心“hb-pediatrics”是供稿中心本身"),
    Case("partner-twice", replace(STORY, "center: hb-pediatrics", "center: hb-pediatrics\npartners: [hb-nursing, hb-nursing]"),
         f"{STORY}:4", "合作中心“hb-nursing”是重复写了两次"),
]


def test_the_hostile_corpus_is_large_enough():
    assert len(CASES) >= 30 and len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input_is_reported_exactly(project, capsys, case):
    case.mutate(project)
    started = time.perf_counter()
    for command in (["check"], ["build", "--no-pdf"]):
        code, output = run(project, capsys, *command)
        assert code == 1, output
        assert "Traceback" not in output and "problem(s)" not in output
        line = next((li for li in output.splitlines() if case.message in li), output)
        assert line.startswith(case.where) and "错误：" in line, output
        assert ":" in line.split(": ")[0], line  # file:line, always
        assert "怎么改：" in output
    assert time.perf_counter() - started < 30  # a shared CI machine; the hangs this guards against never end
    assert not (project / "build").exists() and not (project / "site").exists()


@pytest.mark.parametrize("case_id", ["score-1e999999", "share-1e9999999", "score-not-a-number"])
def test_a_bad_number_gives_one_problem_not_follow_ons(project, capsys, case_id):
    """The round cannot be graded; its notice's 找不到评估年度 / 占位符 would only mislead."""
    next(c for c in CASES if c.id == case_id).mutate(project)
    code, output = run(project, capsys, "check")
    assert code == 1 and "共 1 个问题" in output, output
    assert "找不到评估年度" not in output and "占位符" not in output


def test_an_emoji_joined_by_zwj_is_text_not_a_stray(project, capsys):
    """👨‍⚕️ (man, ZWJ, staff of Aesculapius, FE0F) pasted from a chat: the joiner is part of the
    emoji, so it is treated as emoji are (a print-coverage warning), while the same ZWJ between
    two Chinese characters stays an error (the zero-width-joiner-in-title case above)."""
    path = project / STORY
    path.write_text(path.read_text(encoding="utf-8") + "\n感谢一线医生\U0001F468\u200d\u2695\ufe0f的付出。\n", encoding="utf-8")
    code, output = run(project, capsys, "check")
    assert code == 0 and "错误：" not in output, output
    assert "打印字体里没有字符“👨”" in output  # the emoji's own warning, as for any emoji


def test_help_and_usage_errors_are_chinese(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "用法：" in out and "选项" in out and "显示本帮助并退出" in out
    for english in ("usage:", "positional arguments", "options:", "show this help message"):
        assert english not in out
    assert main(["build", "--engine", "nope"]) == 2
    err = capsys.readouterr().err
    assert "错误：" in err and "invalid choice" not in err
