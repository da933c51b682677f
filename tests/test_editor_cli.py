"""The `bulletin` command as editors use it: help, exit codes, `new`, `check`, no tracebacks."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES, copy_project

from generator import cli
from generator.cli import main

ISSUE = "bulletins/hubei-bulletin/2024-q3.yml"


def run(root: Path, capsys, *args: str) -> tuple[int, str]:
    code = main(["--root", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def file_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("command", [[], ["check"], ["build"], ["serve"], ["view"], ["new"], ["new", "story"],
                                     ["new", "issue"], ["new", "notice"], ["import"]])
def test_every_command_has_help_with_exit_codes(project, capsys, command):
    code, output = run(project, capsys, *command, "--help")
    assert code == 0
    assert "退出码" in output and "3  构建工具失败" in output


def test_exit_codes_are_documented_in_the_module_docstring():
    doc = cli.__doc__
    for code, words in [("0", "success"), ("1", "content problems"), ("2", "usage"), ("3", "failed")]:
        assert re.search(rf"^\s*{code}\s+.*{words}", doc, re.M), code


@pytest.mark.parametrize("argv", [["publish"], ["build", "--fast"], ["new", "poem", "x"], ["new", "notice", "s", "二〇二五", "1"]])
def test_wrong_usage_exits_2(project, capsys, argv):
    code, output = run(project, capsys, *argv)
    assert code == 2 and "Traceback" not in output
    error = next(line for line in output.splitlines() if "错误：" in line)
    assert not re.search(r"'|\b(int|invalid|choose|argument)\b", error), error  # Chinese, no Python quoting


def test_usage_errors_name_types_and_choices_in_chinese(project, capsys):
    assert "（应为整数）" in run(project, capsys, "new", "notice", "s", "二〇二五", "1")[1]
    assert "（可选：story、issue、notice）" in run(project, capsys, "new", "poem", "x")[1]


def test_outside_a_project_exits_2(tmp_path, capsys):
    code, output = run(tmp_path, capsys, "check")
    assert code == 2 and "找不到内容文件夹" in output


def test_check_passes_on_the_demo(project, capsys):
    code, output = run(project, capsys, "check")
    assert code == 0 and "检查通过" in output
    assert not (project / "build").exists() and not (project / "site").exists()


def test_unexpected_failure_is_a_short_message_and_exit_3(project, capsys, monkeypatch):
    import generator.pipeline

    def broken(*args, **kwargs):
        raise KeyError("something internal")

    monkeypatch.setattr(generator.pipeline, "validate", broken)
    code, output = run(project, capsys, "check")
    assert code == 3
    assert "Traceback" not in output and "内部错误" in output and "KeyError" in output
    with pytest.raises(KeyError):
        main(["--root", str(project), "--debug", "check"])


# --- bulletin new -------------------------------------------------------------------------------

def test_new_story_creates_story_and_commentary_and_prints_the_line_to_add(project, capsys):
    before = (project / ISSUE).read_bytes()
    code, output = run(project, capsys, "new", "story", "hubei-bulletin/2024-q3", "stroke", "hb-pediatrics", "--commentary")
    assert code == 0, output
    first_output = output
    story = project / "content/stories/hubei-bulletin/2024-q3/stroke.md"
    commentary = project / "content/commentary/hubei-bulletin/2024-q3/stroke.md"
    assert "center: hb-pediatrics" in story.read_text(encoding="utf-8")
    assert "issue: hubei-bulletin/2024-q3" in story.read_text(encoding="utf-8")
    assert "date: 2024-09-27" in story.read_text(encoding="utf-8")  # the issue's date
    assert "story: hubei-bulletin/2024-q3/stroke" in commentary.read_text(encoding="utf-8")
    assert (project / ISSUE).read_bytes() == before  # the editor's issue file is never modified
    assert f"请在 {ISSUE} 第 35 行（- yichang-nursing）之后加一行：\n      - stroke\n" in output

    # Not listed yet: check says so, at the story's issue line.
    code, output = run(project, capsys, "check")
    assert code == 1 and "content/stories/hubei-bulletin/2024-q3/stroke.md:5: 错误：稿件“stroke”没有编入任何一期" in output

    # The printed line, added where it says, lists it; the issue is already published, so a story
    # still in review there would be silently missing from it: check says so, at the new line.
    lines = (project / ISSUE).read_text(encoding="utf-8").split("\n")
    lines.insert(35, "      - stroke")
    (project / ISSUE).write_text("\n".join(lines), encoding="utf-8")
    code, output = run(project, capsys, "check")
    assert code == 1 and f"{ISSUE}:36: 错误：本期已发布，但列出的稿件“stroke”还是审核中" in output
    assert output.count("错误：") == 1, output

    # `new story` printed the rest of the edit for a published issue: the story follows later.
    # Done as printed, the content checks clean, and the preview shows the story in review.
    block = re.search(r"在 (\S+) 末尾加上：\n((?:.+\n)+?)（pdf_will_change", first_output)
    assert block and block.group(1) == ISSUE, first_output
    with (project / ISSUE).open("a", encoding="utf-8") as f:
        f.write("\n" + block.group(2))
    code, output = run(project, capsys, "check")
    assert code == 0 and "错误：" not in output, output
    code, second = run(project, capsys, "new", "story", "hubei-bulletin/2024-q3", "sepsis", "hb-pediatrics")
    assert f"在 {ISSUE} 的 published_later 的 stories 里加上 sepsis，即 stories: [stroke, sepsis]" in second
    (project / "content/stories/hubei-bulletin/2024-q3/sepsis.md").unlink()

    # Marked published while the template text is still there: refused.
    text = story.read_text(encoding="utf-8").replace("status: review ", "status: published ")
    story.write_text(text, encoding="utf-8")
    code, output = run(project, capsys, "check")
    assert code == 1 and "stroke.md:2: 错误：还有模板留下的“【待填写】”占位文字" in output


def test_new_story_never_overwrites(project, capsys):
    path = project / "content/stories/hubei-bulletin/2024-q3/pediatrics.md"
    before = path.read_bytes()
    code, output = run(project, capsys, "new", "story", "hubei-bulletin/2024-q3", "pediatrics", "hb-pediatrics")
    assert code == 2 and "已存在，不会覆盖" in output
    assert path.read_bytes() == before


def test_new_story_with_commentary_refuses_before_writing_anything(project, capsys):
    commentary = project / "content/commentary/hubei-bulletin/2024-q3/fresh.md"
    commentary.write_text("---\nstory: hubei-bulletin/2024-q3/fresh\n---\n\n已有点评。\n", encoding="utf-8")
    before = file_tree(project)
    code, output = run(project, capsys, "new", "story", "hubei-bulletin/2024-q3", "fresh", "hb-pediatrics", "--commentary")
    assert code == 2 and "content/commentary/hubei-bulletin/2024-q3/fresh.md 已存在" in output
    assert file_tree(project) == before


@pytest.mark.parametrize("argv, message", [
    (["hubei-bulletin/2024-q4", "x", "hb-pediatrics"], "没有这一期：“hubei-bulletin/2024-q4”。是不是：hubei-bulletin/2024-q3？"),
    (["hubei-bulletin/2024q3", "x", "hb-pediatrics"], "没有这一期：“hubei-bulletin/2024q3”。是不是：hubei-bulletin/2024-q3？"),
    (["hubei-bulletin/2024 q3", "x", "hb-pediatrics"], "期的写法是 系列编号/期文件名"),
    (["hubei-bulletin/2024-q3", "x", "hb-pediatric"], "没有编号为“hb-pediatric”的质控中心。是不是：hb-pediatrics"),
    (["hubei-bulletin/2024-q3", "x", "省儿科质控中心"], "“省儿科质控中心”是名称，这里要写编号：hb-pediatrics"),
    (["hubei-bulletin/2024-q3", "../../../evil", "hb-pediatrics"], "文件名“../../../evil”不合规"),
    (["hubei-bulletin/2024-q3", "Stroke Care", "hb-pediatrics"], "文件名“Stroke Care”不合规"),
    (["../../../tmp/2024-q3", "x", "hb-pediatrics"], "没有这一期"),
])
def test_new_story_checks_ids_and_suggests(project, capsys, argv, message):
    before = file_tree(project)
    code, output = run(project, capsys, "new", "story", *argv)
    assert code == 2 and message in output and "Traceback" not in output
    assert file_tree(project) == before


def test_new_issue_is_a_draft_that_passes_check(project, capsys):
    code, output = run(project, capsys, "new", "issue", "hubei-bulletin/2024-q4")
    assert code == 0, output
    text = (project / "bulletins/hubei-bulletin/2024-q4.yml").read_text(encoding="utf-8")
    assert "series: hubei-bulletin" in text and "quarter: 4" in text and "status: draft" in text
    assert "date: 2024-12-31" in text  # today, kept inside the issue's quarter
    assert run(project, capsys, "check")[0] == 0
    # A story for the new issue: the empty flow list gets the exact replacement line.
    code, output = run(project, capsys, "new", "story", "hubei-bulletin/2024-q4", "first", "hb-nursing")
    assert code == 0 and "请把 bulletins/hubei-bulletin/2024-q4.yml 第 9 行改为：\n  - stories: [first]\n" in output
    assert run(project, capsys, "new", "issue", "hubei-bulletin/2024-q4")[0] == 2  # never overwritten


@pytest.mark.parametrize("issue, message", [
    ("hubei-bulletin/2024-q5", "写法不对"),
    ("hubei-bulletn/2024-q4", "没有编号为“hubei-bulletn”的系列。是不是：hubei-bulletin"),
    ("guangxi-notices/2024-q4", "是通报系列"),
])
def test_new_issue_checks_its_id(project, capsys, issue, message):
    code, output = run(project, capsys, "new", "issue", issue)
    assert code == 2 and message in output


def test_new_notice_uses_the_series_prefix(project, capsys):
    code, output = run(project, capsys, "new", "notice", "guangxi-notices", "2026", "3")
    assert code == 0, output
    text = (project / "content/notices/guangxi-notices/2026-3.md").read_text(encoding="utf-8")
    assert "doc_number: {prefix: 桂卫办发, year: 2026, number: 3}" in text
    assert "status: review" in text
    assert run(project, capsys, "check")[0] == 0
    assert run(project, capsys, "new", "notice", "guangxi-notices", "2026", "3")[0] == 2
    code, output = run(project, capsys, "new", "notice", "hubei-bulletin", "2026", "3")
    assert code == 2 and "可用的通报系列：guangxi-notices" in output


def follow(root: Path, instruction: str) -> None:
    """Do literally what a `new story` instruction says, as an editor would, by line number."""
    insert = re.search(r"请在 (\S+) 第 (\d+) 行（[^）]*）之后(?:，接在前面新建的 (\S+) 那.行之后)?加一行：\n(.*)\n", instruction)
    replace = re.search(r"请把 (\S+) 第 (\d+) 行改为(?:（[^）]*）)?：\n(.*)\n", instruction)
    rel = (insert or replace).group(1)
    lines = (root / rel).read_text(encoding="utf-8").split("\n")
    n = int((insert or replace).group(2))
    if insert:
        pending = insert.group(3).split("、") if insert.group(3) else []
        while n < len(lines) and lines[n].strip() in {f"- {p}" for p in pending}:
            n += 1  # "接在……那几行之后": below the lines earlier instructions added
        lines.insert(n, insert.group(4))
    else:
        lines[n - 1] = replace.group(3)
    (root / rel).write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("issue, listed", [
    ("hubei-bulletin/2024-q3", lambda text: re.findall(r"^\s*- (first|second|third)$", text, re.M)),
    ("hubei-bulletin/2024-q4", lambda text: re.search(r"stories: \[(.*)\]", text).group(1).split(", ")),
])
def test_three_new_stories_in_a_row_keep_all_three_when_followed_literally(project, capsys, issue, listed):
    if issue.endswith("q4"):
        assert run(project, capsys, "new", "issue", issue)[0] == 0  # an empty flow list: [ ]
    instructions = []
    for slug in ["first", "second", "third"]:
        code, output = run(project, capsys, "new", "story", issue, slug, "hb-nursing")
        assert code == 0, output
        instructions.append(output)
    for instruction in instructions:  # only now does the editor open the issue file
        follow(project, instruction)
    text = (project / f"bulletins/{issue}.yml").read_text(encoding="utf-8")
    assert listed(text) == ["first", "second", "third"]
    code, output = run(project, capsys, "check")
    assert "没有编入任何一期" not in output and "列了两次" not in output
    # New stories are in review: fine in a draft issue; in the published Q3 that is the one error left.
    assert output.count("错误：") == (3 if issue.endswith("q3") else 0), output


def test_new_story_instruction_follows_the_file_as_it_is_now(project, capsys):
    run(project, capsys, "new", "story", "hubei-bulletin/2024-q3", "first", "hb-nursing")
    lines = (project / ISSUE).read_text(encoding="utf-8").split("\n")
    lines.insert(35, "      - first")
    (project / ISSUE).write_text("\n".join(lines), encoding="utf-8")
    code, output = run(project, capsys, "new", "story", "hubei-bulletin/2024-q3", "second", "hb-nursing")
    assert f"请在 {ISSUE} 第 36 行（- first）之后加一行：\n      - second\n" in output


def test_new_story_date_comes_from_the_issue_not_today(project, capsys):
    assert run(project, capsys, "new", "issue", "hubei-bulletin/2023-q2")[0] == 0
    path = project / "bulletins/hubei-bulletin/2023-q2.yml"
    path.write_text(re.sub(r"date: \S+", "date: 2023-06-28", path.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    assert run(project, capsys, "new", "story", "hubei-bulletin/2023-q2", "a", "hb-nursing")[0] == 0
    assert "date: 2023-06-28" in (project / "content/stories/hubei-bulletin/2023-q2/a.md").read_text(encoding="utf-8")
    path.write_text("series: [unreadable\n", encoding="utf-8")  # the issue cannot be read: its quarter's end
    assert run(project, capsys, "new", "story", "hubei-bulletin/2023-q2", "b", "hb-nursing")[0] == 0
    assert "date: 2023-06-30" in (project / "content/stories/hubei-bulletin/2023-q2/b.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("typed", ["院感", "省院感质控中心", "院感质控"])
def test_center_abbreviations_point_at_the_registered_center(project, capsys, typed):
    code, output = run(project, capsys, "new", "story", "hubei-bulletin/2024-q3", "x", typed)
    assert code == 2 and "登记" not in output
    assert re.search(r"是不是：hb-infection-control（湖北省医院感染管理质量控制中心）", output), output
    # The same in `check`, for a story that names its center that way.
    story = project / "content/stories/hubei-bulletin/2024-q3/infection-control.md"
    story.write_text(story.read_text(encoding="utf-8").replace("center: hb-infection-control", f"center: {typed}"),
                     encoding="utf-8")
    code, output = run(project, capsys, "check")
    assert code == 1 and f"未知的质控中心“{typed}”" in output and "是不是：hb-infection-control（" in output
    assert "先在 content/centers/ 的名录里登记" not in output


def test_new_issue_numbered_by_qi_and_a_special_issue(tmp_path, capsys):
    """A 期-numbered series: 2025-08 is 第8期, the running number goes on, the date stays in the
    year; a special issue gets its title. Both pass `check` as drafts."""
    root = copy_project(tmp_path / "third", FIXTURES / "third")
    code, output = run(root, capsys, "new", "issue", "sc-bulletin/2025-08", "--month", "8")
    assert code == 0, output
    text = (root / "bulletins/sc-bulletin/2025-08.yml").read_text(encoding="utf-8")
    assert "year: 2025\nmonth: 8\nnumber: 8" in text and "total_number: 59" in text
    assert "date: 2025-08-" in text  # inside August, whatever today is
    assert "期次：2025年第8期（总第59期）" in output
    code, output = run(root, capsys, "new", "issue", "sc-bulletin/2025-zk2", "--title", "“健康四川”专刊: 第二辑")
    assert code == 0, output
    text = (root / "bulletins/sc-bulletin/2025-zk2.yml").read_text(encoding="utf-8")
    assert 'title: "“健康四川”专刊: 第二辑"' in text and "number" not in text and "date: 2025-" in text
    assert run(root, capsys, "check")[0] == 0
    code, output = run(root, capsys, "new", "story", "sc-bulletin/2025-08", "icu", "sc-icu")
    assert code == 0, output
    assert "date: 2025-08-" in (root / "content/stories/sc-bulletin/2025-08/icu.md").read_text(encoding="utf-8")
