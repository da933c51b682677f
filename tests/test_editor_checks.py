"""What `bulletin check` tells editors beyond broken references: a published issue that would
silently lack stories it lists, and Markdown that checks but prints wrong (warnings)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import generate

Q3 = "hubei-bulletin/2024-q3"
ISSUE = f"bulletins/{Q3}.yml"
STORY = f"content/stories/{Q3}/pediatrics.md"
COMMENTARY = f"content/commentary/{Q3}/pediatrics.md"


def run(root: Path, capsys, *args: str) -> tuple[int, str]:
    code = main(["--root", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(root: Path, rel: str, text: str) -> None:
    with (root / rel).open("a", encoding="utf-8") as f:
        f.write(text)


def line_of(root: Path, rel: str, needle: str) -> int:
    lines = (root / rel).read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if needle in line)


# --- a published issue shows every story it lists -----------------------------------------------

@pytest.mark.parametrize("front, why", [
    ("status: review\n", "还是审核中（status: review）"),
    ("status: draft\n", "还是草稿（status: draft）"),
    ("publish_date: 2099-01-01\n", "定于 2099年1月1日 才公开（publish_date），晚于本期"),
])
def test_published_issue_listing_a_story_not_public_is_an_error(project, capsys, front, why):
    edit(project, STORY, "issue: hubei-bulletin/2024-q3\n", f"issue: hubei-bulletin/2024-q3\n{front}")
    code, output = run(project, capsys, "check")
    line = line_of(project, ISSUE, "- pediatrics")
    assert code == 1
    assert f"{ISSUE}:{line}: 错误：本期已发布，但列出的稿件“pediatrics”{why}：公开网站的目录和 PDF 都会缺这一篇" in output
    assert "published_later: {stories: [pediatrics], pdf_will_change: true}" in output  # the way out, spelt out


def test_stories_that_follow_later_must_be_declared_with_the_pdf_change_accepted(project, capsys):
    edit(project, STORY, "issue: hubei-bulletin/2024-q3\n", "issue: hubei-bulletin/2024-q3\npublish_date: 2099-01-01\n")
    append(project, ISSUE, "published_later:\n  stories: [pediatrics]\n")
    code, output = run(project, capsys, "check")
    assert code == 1 and "没有写明接受" in output and "pdf_will_change: true" in output
    append(project, ISSUE, "  pdf_will_change: true\n")
    code, output = run(project, capsys, "check")
    assert code == 0, output
    # The public build then lacks it, as declared; the preview shows it with its date.
    generate(project, today=dt.date(2024, 10, 1), preview=True)
    page = (project / f"build/preview/docs/{Q3}/pediatrics/index.md").read_text(encoding="utf-8")
    assert "未公开：此内容将于2099年1月1日公开" in page and "不会出现在公开网站上" not in page


def test_published_later_names_only_listed_stories_and_warns_when_already_public(project, capsys):
    append(project, ISSUE, "published_later: {stories: [pediatric, nursing], pdf_will_change: true}\n")
    code, output = run(project, capsys, "check")
    line = line_of(project, ISSUE, "published_later")
    assert code == 1
    assert f"{ISSUE}:{line}: 错误：published_later 中的稿件“pediatric”不在本期的 sections 里" in output
    assert "是不是“pediatrics”？" in output
    assert f"{ISSUE}:{line}: 提醒：稿件“nursing”已随本期公开" in output


def test_issue_and_story_scheduled_for_the_same_day_appear_together(project, capsys):
    edit(project, ISSUE, "date: 2024-09-27\n", "date: 2024-09-27\npublish_date: 2099-01-01\n")
    edit(project, STORY, "issue: hubei-bulletin/2024-q3\n", "issue: hubei-bulletin/2024-q3\npublish_date: 2099-01-01\n")
    code, output = run(project, capsys, "check")
    assert code == 0, output


def test_a_draft_issue_may_hold_stories_in_review(project, capsys):
    edit(project, ISSUE, "date: 2024-09-27\n", "date: 2024-09-27\nstatus: draft\n")
    edit(project, STORY, "issue: hubei-bulletin/2024-q3\n", "issue: hubei-bulletin/2024-q3\nstatus: review\n")
    assert run(project, capsys, "check")[0] == 0


# --- warnings: Markdown that passes but prints wrong --------------------------------------------

@pytest.mark.parametrize("label", ["点评：", "点评:", "**点评：**"])
def test_commentary_label_typed_in_a_commentary_file_is_a_warning(project, capsys, label):
    path = project / COMMENTARY
    text = path.read_text(encoding="utf-8")
    head, body = text.split("---\n", 2)[1:]
    path.write_text(f"---\n{head}---\n{body.replace(body.lstrip(), label + body.lstrip(), 1)}", encoding="utf-8")
    code, output = run(project, capsys, "check")
    line = line_of(project, COMMENTARY, label)
    assert code == 0 and "检查通过" in output  # a warning does not stop the build
    assert f"{COMMENTARY}:{line}: 提醒：点评正文以“点评：”开头，网页和 PDF 上会印成“点评：点评：”" in output


def test_preface_label_typed_in_the_preface_is_a_warning(project, capsys):
    edit(project, ISSUE, "preface: |\n  ", "preface: |\n  按：")
    code, output = run(project, capsys, "check")
    assert code == 0
    assert f"{ISSUE}:{line_of(project, ISSUE, 'preface:')}: 提醒：按语以“按：”开头，网页和 PDF 上会印成“按：按：”" in output


@pytest.mark.parametrize("bold", ["** 开展儿科质量督查。 **", "**开展儿科质量督查。 **", "** 开展儿科质量督查。**",
                                  "**开展儿科质量督查。"])
def test_bold_markers_that_do_not_close_on_a_word_are_a_warning(project, capsys, bold):
    append(project, STORY, f"\n{bold}组织省市儿科质控专家。\n")
    code, output = run(project, capsys, "check")
    line = line_of(project, STORY, bold)
    assert code == 0
    assert f"{STORY}:{line}: 提醒：加粗的星号 ** 没有紧贴文字，网页和 PDF 上会原样印出星号" in output


def test_well_formed_bold_and_the_demo_give_no_warning(project, capsys):
    append(project, STORY, "\n**开展儿科质量督查。**组织专家。**“同质化”**管理，`a ** b` 不算。\n")
    code, output = run(project, capsys, "check")
    assert code == 0 and "提醒" not in output


def test_the_check_matches_what_the_markdown_converter_prints():
    """The warning's rule is the converter's: every flagged line keeps literal asterisks."""
    from generator.render.markup import to_html
    from generator.validate.publishing import loose_bold

    for line in ["** 开展。 **后文", "**开展。 **后文", "** 开展。**后文", "**开展。**后文", "**“加粗”**后文", "**a**与**b**"]:
        assert loose_bold(line) == ("**" in to_html(line)), line


# --- a story's date is on its page ---------------------------------------------------------------

def test_story_page_shows_the_story_date(project):
    edit(project, STORY, "date: 2024-09-27", "date: 2024-08-15")
    generate(project, pdf=False)
    page = (project / f"build/docs/{Q3}/pediatrics/index.md").read_text(encoding="utf-8")
    assert '<time datetime="2024-08-15">2024年8月15日</time>' in page
