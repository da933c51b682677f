"""Broken content, one mistake at a time, on a copy of the demo project.

Each case asserts what an editor sees: the exact problem (file:line and the Chinese message), exit
code 1, no Python traceback, and nothing written (no build/, no site/). The CLI runs in-process.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from generator.cli import main

STORY = "content/stories/hubei-bulletin/2024-q3/pediatrics.md"  # front matter: lines 2–5, body from 8
ISSUE = "bulletins/hubei-bulletin/2024-q3.yml"  # stories listed on lines 11–35 (pediatrics on 12)
COMMENT = "content/commentary/hubei-bulletin/2024-q3/nursing.md"  # story: on line 2
SERIES = "content/series/hubei-bulletin.yml"
CENTERS = "content/centers/hubei.yml"  # hb-pediatrics: lines 10–17


def replace(rel: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"the demo content changed: {old!r} not in {rel}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")
    return mutate


def write(rel: str, data: str | bytes) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return mutate


def move(rel: str, to: str) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        (root / to).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).rename(root / to)
    return mutate


def both(*mutations: Callable[[Path], None]) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        for m in mutations:
            m(root)
    return mutate


def story(front: str, body: str = "正文。\n") -> str:
    return f"---\n{front}---\n\n{body}"


PEDIATRICS_FRONT = ("title: 推进全省同质化管理 提升基层诊疗服务能力\ncenter: hb-pediatrics\ndate: 2024-09-27\n"
                    "issue: hubei-bulletin/2024-q3\n")


@dataclass
class Case:
    id: str
    mutate: Callable[[Path], None]
    where: str  # "file:line" as printed
    message: str  # the exact Chinese message (or a substring of it)


CASES = [
    # --- broken YAML --------------------------------------------------------------------------
    Case("yaml-unclosed-bracket", replace(STORY, "center: hb-pediatrics", "center: [hb-pediatrics"),
         f"{STORY}:3", "YAML 格式错误：方括号 [ ] 没有配对，或列表项之间缺少逗号"),
    Case("yaml-colon-in-text", replace(STORY, "title: 推进全省同质化管理", "title: 推进: 全省同质化管理"),
         f"{STORY}:2", "YAML 格式错误：这一行多了一个“冒号+空格”"),
    Case("yaml-tab-indent", replace(ISSUE, "      - pediatrics", "\t- pediatrics"),
         f"{ISSUE}:12", "YAML 格式错误：用了 Tab 键缩进，请改用空格"),
    Case("yaml-unclosed-quote", replace(SERIES, "name: 湖北医疗质控管理工作简报", 'name: "湖北医疗质控管理工作简报'),
         f"{SERIES}:2", "YAML 格式错误：引号或括号没有配对"),
    Case("yaml-indent-continues-text", replace(SERIES, "  wechat:", " wechat:"),
         f"{SERIES}:6", "YAML 格式错误：这一行多了一个“冒号+空格”，或者缩进没有对齐"),
    Case("yaml-bad-indent", replace(SERIES, "    phone:", "   phone:"),
         f"{SERIES}:11", "YAML 格式错误：缩进没有对齐"),
    Case("yaml-python-tag", replace(SERIES, "kind: bulletin", "kind: !!python/object/apply:os.system ['touch pwned']"),
         f"{SERIES}:1", "YAML 格式错误：不支持以 ! 开头的标记"),
    Case("yaml-duplicate-key", replace(STORY, "date: 2024-09-27\n", "date: 2024-09-27\ndate: 2024-09-28\n"),
         f"{STORY}:5", "字段“date”写了两次"),
    Case("yaml-deep-nesting", write("content/stories/hubei-bulletin/2024-q3/deep.md",
                                    story("partners: " + "[" * 5000 + "]" * 5000 + "\n")),
         "content/stories/hubei-bulletin/2024-q3/deep.md:2", "YAML 嵌套层数过多"),
    # --- front matter and empty files --------------------------------------------------------
    Case("no-front-matter", replace(STORY, "---\ntitle:", "title:"),
         f"{STORY}:1", "文件开头缺少 --- 信息区（front matter）"),
    Case("front-matter-not-closed", write(STORY, "---\n" + PEDIATRICS_FRONT + "\n正文没有结束线。\n"),
         f"{STORY}:1", "信息区没有结束的 --- 行"),
    Case("empty-story", write(STORY, ""), STORY, "文件是空的"),
    Case("empty-issue", write(ISSUE, "\n  \n"), ISSUE, "文件是空的"),
    Case("empty-body", write(STORY, story(PEDIATRICS_FRONT, "")), f"{STORY}:7", "稿件正文是空的"),
    # --- wrong types, missing and unknown fields ---------------------------------------------
    Case("year-not-a-number", replace(ISSUE, "year: 2024", "year: 二〇二四"),
         f"{ISSUE}:2", "“year”应为整数，现在是“二〇二四”"),
    Case("quarter-out-of-range", replace(ISSUE, "quarter: 3", "quarter: 5"),
         f"{ISSUE}:3", "“quarter”的值 5 超出范围"),
    Case("title-is-a-list", replace(STORY, "title: 推进全省同质化管理 提升基层诊疗服务能力", "title: [推进全省同质化管理, 提升基层诊疗服务能力]"),
         f"{STORY}:2", "“title”应为一段文字，现在是“一个列表”"),
    Case("missing-center", replace(STORY, "center: hb-pediatrics\n", ""),
         f"{STORY}:2", "缺少必填字段“center”"),
    Case("missing-issue-date", replace(ISSUE, "date: 2024-09-27\n", ""),
         f"{ISSUE}:1", "缺少必填字段“date”"),
    Case("unknown-field-typo", replace(STORY, "title:", "titel:"),
         f"{STORY}:2", "不认识的字段“titel”"),
    Case("status-not-allowed", replace(STORY, "issue: hubei-bulletin/2024-q3\n", "issue: hubei-bulletin/2024-q3\nstatus: 发布\n"),
         f"{STORY}:6", "“status”要写英文词：“发布”应写成 published"),
    Case("status-in-chinese", replace(STORY, "issue: hubei-bulletin/2024-q3\n", "issue: hubei-bulletin/2024-q3\nstatus: 审核中\n"),
         f"{STORY}:6", "“status”要写英文词：“审核中”应写成 review"),
    Case("status-capitalised", replace(STORY, "issue: hubei-bulletin/2024-q3\n", "issue: hubei-bulletin/2024-q3\nstatus: Draft\n"),
         f"{STORY}:6", "“status”的取值要全用小写：“Draft”应写成 draft"),
    Case("status-unknown-word", replace(STORY, "issue: hubei-bulletin/2024-q3\n", "issue: hubei-bulletin/2024-q3\nstatus: 完成\n"),
         f"{STORY}:6", "“status”的取值“完成”不在允许范围内\n    怎么改：只能是：published（已发布）、review（审核中）、draft（草稿）"),
    Case("colon-without-space", replace(STORY, "title: 推进", "title:推进"), f"{STORY}:2", "字段名“title”的冒号后面少了一个空格"),
    Case("colon-left-out", replace(STORY, "center: hb-pediatrics", "center hb-pediatrics"), f"{STORY}:3",
         "字段名“center”后面缺少冒号\n    怎么改：写成 center: hb-pediatrics"),
    Case("colon-left-out-in-a-list", replace("content/evaluations/guangxi-notices/2024.yml", "  - {center: gx-nursing, grade: 优秀}",
                                             "  - center gx-nursing\n    grade: 优秀"),
         "content/evaluations/guangxi-notices/2024.yml:30", "字段名“center”后面缺少冒号"),
    Case("period-format-in-chinese-quotes", replace(SERIES, "print_statistics: true", "print_statistics: true\nperiod_format: “{year}年第{quarter}季度”"),
         f"{SERIES}:20", "“period_format”的值““{year}年第{quarter}季度””有误：整个格式写在了中文引号里"),
    Case("listed-story-with-extension", replace(ISSUE, "      - pediatrics\n", "      - pediatrics.md\n"),
         f"{ISSUE}:12", "列出稿件时不写扩展名：“pediatrics.md”应写成 pediatrics"),
    Case("listed-stories-chinese-comma", replace(ISSUE, "      - health-checkup\n      - pediatrics\n", "      - health-checkup，pediatrics\n"),
         f"{ISSUE}:11", "稿件之间用了“，”"),
    Case("round-center-by-name", replace("content/evaluations/guangxi-notices/2024.yml", "{center: gx-nursing, grade: 优秀}",
                                         "{center: 广西护理管理专业医疗质量控制中心, grade: 优秀}"),
         "content/evaluations/guangxi-notices/2024.yml:30",
         "质控中心编号“广西护理管理专业医疗质量控制中心”不在质控中心名录中\n    怎么改：这里要写编号而不是名称：center: gx-nursing"),
    Case("contribution-email-not-an-address", replace(SERIES, "email: HBYLZGB@163.com", "email: 见官网"),
         f"{SERIES}:12", "“closing.contribution.email”的值“见官网”有误：不是邮箱地址\n    怎么改：email: zkjb@example.org"),
    Case("site-title-left-empty", replace("content/site.yml", "title: 医疗质量控制工作简报与通报", "title:"),
         "content/site.yml:1", "“title”后面没有写内容"),
    Case("yes-as-a-field-name", replace(STORY, "issue: hubei-bulletin/2024-q3\n", "issue: hubei-bulletin/2024-q3\nyes: no\n"),
         f"{STORY}:6", "字段名被读成了 true/false"),
    Case("series-kind-not-allowed", replace(SERIES, "kind: bulletin", "kind: magazine"),
         f"{SERIES}:1", "“kind”的取值“magazine”不在允许范围内"),
    Case("centers-not-a-list", write("content/centers/extra.yml", "id: hb-extra\nname: 某中心\n"),
         "content/centers/extra.yml:1", "质控中心名录应为列表"),
    # --- dates --------------------------------------------------------------------------------
    Case("date-one-digit-month", replace(STORY, "date: 2024-09-27", "date: 2024-9-27"),
         f"{STORY}:4", "“date”的日期“2024-9-27”月和日要写两位"),
    Case("date-does-not-exist", replace(STORY, "date: 2024-09-27", "date: 2024-02-30"),
         f"{STORY}:4", "“date”的日期“2024-02-30”不存在"),
    Case("date-with-slashes", replace(ISSUE, "date: 2024-09-27", "date: 2024/09/27"),
         f"{ISSUE}:4", "“date”的日期“2024/09/27”格式不对"),
    Case("date-chinese", replace(STORY, "date: 2024-09-27", "date: 2024年9月27日"),
         f"{STORY}:4", "“date”的日期“2024年9月27日”格式不对"),
    # --- references, ids, memberships ---------------------------------------------------------
    Case("unknown-center", replace(STORY, "center: hb-pediatrics", "center: hb-pediatric"),
         f"{STORY}:3", "未知的质控中心“hb-pediatric”"),
    Case("center-name-instead-of-id", replace(STORY, "center: hb-pediatrics", "center: 湖北省儿科医疗质量控制中心"),
         f"{STORY}:3", "未知的质控中心“湖北省儿科医疗质量控制中心”"),
    Case("duplicate-center-id", replace(CENTERS, "- id: hb-neonatology", "- id: hb-pediatrics\n  name: 重复登记\n"
                                        "  short_name: 儿科\n  level: 省级\n  region: 湖北省\n  specialty: 儿科\n- id: hb-neonatology"),
         f"{CENTERS}:18", "质控中心编号“hb-pediatrics”重复，已在 content/centers/hubei.yml:10 出现过"),
    Case("center-id-format", replace(CENTERS, "- id: hb-pediatrics", "- id: HB_Pediatrics"),
         f"{CENTERS}:10", "编号“HB_Pediatrics”格式不对"),
    Case("story-in-no-issue", replace(ISSUE, "      - pediatrics\n", ""),
         f"{STORY}:5", "稿件“pediatrics”没有编入任何一期"),
    Case("story-listed-twice", replace(ISSUE, "      - neonatology\n", "      - neonatology\n      - pediatrics\n"),
         f"{ISSUE}:14", "稿件“pediatrics”在本期中列了两次"),
    Case("issue-lists-missing-story", replace(ISSUE, "      - neonatology\n", "      - neonatology\n      - neonatolgy\n"),
         f"{ISSUE}:14", "本期列出的稿件“neonatolgy”不存在"),
    Case("conflicting-membership", write("bulletins/hubei-bulletin/2024-q2.yml",
                                         "series: hubei-bulletin\nyear: 2024\nquarter: 2\ndate: 2024-06-28\n"
                                         "sections:\n  - stories: [pediatrics]\n"),
         "bulletins/hubei-bulletin/2024-q2.yml:6", "本期列出的稿件“pediatrics”属于另一期（归属冲突）"),
    Case("story-names-missing-issue", replace(STORY, "issue: hubei-bulletin/2024-q3", "issue: hubei-bulletin/2024-q4"),
         f"{STORY}:5", "稿件所属的期“hubei-bulletin/2024-q4”不存在"),
    Case("story-in-wrong-folder", move(STORY, "content/stories/hubei-bulletin/2024-q2/pediatrics.md"),
         "content/stories/hubei-bulletin/2024-q2/pediatrics.md:5",
         "稿件文件的位置与内容不一致：应为 content/stories/hubei-bulletin/2024-q3/pediatrics.md"),
    Case("issue-unknown-series", replace(ISSUE, "series: hubei-bulletin", "series: hubei-bulletn"),
         f"{ISSUE}:1", "未知的系列“hubei-bulletn”"),
    Case("commentary-for-missing-story", write("content/commentary/hubei-bulletin/2024-q3/ghost.md",
                                               story("story: hubei-bulletin/2024-q3/ghost\n", "点评。\n")),
         "content/commentary/hubei-bulletin/2024-q3/ghost.md:2", "点评对应的稿件“hubei-bulletin/2024-q3/ghost”不存在"),
    Case("duplicate-commentary", write("content/commentary/hubei-bulletin/2024-q3/nursing-2.md",
                                       story("story: hubei-bulletin/2024-q3/nursing\n", "点评。\n")),
         "content/commentary/hubei-bulletin/2024-q3/nursing-2.md:2",
         "点评文件的位置与内容不一致：应为 content/commentary/hubei-bulletin/2024-q3/nursing.md"),
    Case("missing-image", replace(STORY, "**开展儿科质量督查", "![现场](images/missing.jpg)\n\n**开展儿科质量督查"),
         f"{STORY}:10", "找不到图片“images/missing.jpg”"),
    Case("published-placeholder", replace(STORY, "title: 推进全省同质化管理", "title: 【待填写】推进全省同质化管理"),
         f"{STORY}:2", "还有模板留下的“【待填写】”占位文字"),
    # --- path traversal -----------------------------------------------------------------------
    Case("traversal-image", replace(STORY, "**开展儿科质量督查", "![x](../../../../../etc/passwd)\n\n**开展儿科质量督查"),
         f"{STORY}:10", "图片路径“../../../../../etc/passwd”指向稿件文件夹之外"),
    Case("traversal-issue-series", replace(ISSUE, "series: hubei-bulletin", "series: ../hubei-bulletin"),
         f"{ISSUE}:1", "编号“../hubei-bulletin”格式不对"),
    Case("traversal-story-issue", replace(STORY, "issue: hubei-bulletin/2024-q3", "issue: ../../../tmp/2024-q3"),
         f"{STORY}:5", "稿件所属的期“../../../tmp/2024-q3”不存在"),
    Case("traversal-commentary-story", replace(COMMENT, "story: hubei-bulletin/2024-q3/nursing", "story: ../../../nursing"),
         f"{COMMENT}:2", "点评对应的稿件“../../../nursing”不存在"),
    Case("slug-not-an-id", move(STORY, "content/stories/hubei-bulletin/2024-q3/Pediatrics 2.md"),
         "content/stories/hubei-bulletin/2024-q3/Pediatrics 2.md", "文件名“Pediatrics 2.md”不能用作网址"),
    # --- encodings and sizes ------------------------------------------------------------------
    Case("gbk-story", lambda root: (root / STORY).write_bytes((root / STORY).read_text(encoding="utf-8").encode("gbk")),
         f"{STORY}:2", "文件不是 UTF-8 编码（可能是 Windows 记事本保存的 GBK/ANSI 编码）"),
    Case("gbk-issue", lambda root: (root / ISSUE).write_bytes((root / ISSUE).read_text(encoding="utf-8").encode("gbk")),
         f"{ISSUE}:6", "文件不是 UTF-8 编码"),
    Case("utf16-series", lambda root: (root / SERIES).write_bytes((root / SERIES).read_text(encoding="utf-8").encode("utf-16")),
         f"{SERIES}:1", "文件不是 UTF-8 编码"),
    Case("huge-story", replace(STORY, "**开展儿科质量督查", "很长的一段。" * 200_000 + "\n\n**开展儿科质量督查"),
         STORY, "文件过大"),
]


def run(root: Path, capsys, *args: str) -> tuple[int, str]:
    code = main(["--root", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_reported_exactly_and_nothing_is_written(project, capsys, case):
    case.mutate(project)
    started = time.perf_counter()
    for command in (["check"], ["build", "--no-pdf"]):
        code, output = run(project, capsys, *command)
        assert code == 1, output
        assert "Traceback" not in output
        assert f"{case.where}: 错误：{case.message}" in output, output
        assert "怎么改：" in output
    # A hang guard, not a speed test: huge or nested input must not hang the check (a loaded CI
    # machine took ~45 s here for what takes 2 s alone).
    assert time.perf_counter() - started < 180
    assert not (project / "build").exists() and not (project / "site").exists()
    assert not (project / "pwned").exists()  # YAML is loaded safely: no tag runs code


def test_all_problems_are_listed_at_once(project, capsys):
    """Mistakes in three files: one run lists every one of them."""
    for case in CASES:
        if case.id in ("unknown-field-typo", "missing-issue-date", "duplicate-center-id"):
            case.mutate(project)
    code, output = run(project, capsys, "check")
    assert code == 1 and "Traceback" not in output
    expected = [(f"{CENTERS}:18", "质控中心编号“hb-pediatrics”重复"), (f"{ISSUE}:1", "缺少必填字段“date”"),
                (f"{STORY}:2", "不认识的字段“titel”"), (f"{STORY}:2", "缺少必填字段“title”")]
    for where, message in expected:
        assert f"{where}: 错误：{message}" in output
    assert f"共 {len(expected)} 个问题" in output


def test_a_center_with_its_own_error_is_not_also_unknown(project, capsys):
    """A registry entry that fails (empty name) is reported once, at its line: the stories and
    grades citing it are not also told the center is unknown (or pointed at another center)."""
    replace(CENTERS, "name: 湖北省儿科医疗质量控制中心", "name: ''")(project)
    code, output = run(project, capsys, "check")
    assert code == 1 and f"{CENTERS}:11: 错误：“name”不能为空" in output, output
    assert "未知的质控中心" not in output and "共 1 个问题" in output, output


NOTICE = "content/notices/guangxi-notices/2025-15.md"


@pytest.mark.parametrize("old, new, where, message", [
    # the notice does not load: the rounds and facts naming it are not also told it does not exist
    ("number: 15}", "number: -1}", f"{NOTICE}:3", "“doc_number.number”的值 -1 超出范围"),
    # its round is unknown: the placeholders that would show that round's values are not also unknown
    ("evaluation: guangxi-notices/2024", "evaluation: guangxi-notices/2019", f"{NOTICE}:10", "找不到评估年度"),
])
def test_one_mistake_in_a_notice_is_one_problem(project, capsys, old, new, where, message):
    replace(NOTICE, old, new)(project)
    code, output = run(project, capsys, "check")
    assert code == 1 and f"{where}: 错误：{message}" in output, output
    assert "共 1 个问题" in output, output


def test_a_placeholder_where_none_exist_says_so(project, capsys):
    replace(NOTICE, "evaluation: guangxi-notices/2024\n", "")(project)
    code, output = run(project, capsys, "check")
    assert code == 1 and "占位符“{{ 评估结果 }}”不认识" in output, output
    assert "可用的占位符：\n" not in output and "这里没有可用的占位符" in output, output


def test_body_pasted_into_a_title_is_warned(project, capsys):
    replace(STORY, "title: 推进全省同质化管理 提升基层诊疗服务能力", "title: " + "推进全省同质化管理" * 20)(project)
    code, output = run(project, capsys, "check")
    assert code == 0 and f"{STORY}:2: 提醒：稿件标题有 180 个字" in output, output
    replace(STORY, "推进全省同质化管理" * 20, "推进全省同质化管理 提升基层诊疗服务能力")(project)
    assert "提醒：稿件标题" not in run(project, capsys, "check")[1]  # the demo's own titles are not warned


def test_an_image_that_says_nothing_is_warned(project, capsys):
    """WCAG 1.1.1: ![](images/x.png) has no text for a screen reader or a phone that did not load it."""
    images = project / "content/stories/hubei-bulletin/2024-q3/images"
    images.mkdir(exist_ok=True)
    Image.new("RGB", (40, 30), "white").save(images / "site-visit.png")
    replace(STORY, "2024年7月—9月", "![](images/site-visit.png)\n\n2024年7月—9月")(project)
    code, output = run(project, capsys, "check")
    assert code == 0 and f"{STORY}:8: 提醒：图片“images/site-visit.png”没有说明文字" in output, output
    replace(STORY, "![](images/", "![督查现场](images/")(project)
    assert "没有说明文字" not in run(project, capsys, "check")[1]


@pytest.mark.parametrize("old, new, message", [
    ("  short_name: 护理\n", "  short_name：护理\n", "全角冒号"),  # the whole registry file unreadable
    ("  short_name: 护理\n", "   short_name: 护理\n", "缩进没有对齐"),
])
def test_a_broken_registry_file_is_one_problem_not_a_crash(project, capsys, old, new, message):
    """With a notice whose text names grades ({{ 评估结果 }}), a mistake in a registry file gave
    exit 3 (KeyError) in check, build and serve; without one, ten 'unknown center' follow-ons."""
    replace("content/centers/guangxi.yml", old, new)(project)
    for command in (["check"], ["build", "--no-pdf"]):
        code, output = run(project, capsys, *command)
        assert code == 1 and "Traceback" not in output and "内部错误" not in output, output
        assert "content/centers/guangxi.yml:8: 错误：" in output and message in output, output
        assert "共 1 个问题" in output and "未知的质控中心" not in output, output
