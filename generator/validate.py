"""Stage 2 — validate: rules that span files (references, memberships, uniqueness)."""
from __future__ import annotations

import difflib
from collections import defaultdict
from pathlib import Path
from typing import Callable

from .errors import Problem
from .load import Content
from .markup import image_refs
from .models import Model


def _problem(obj: Model, field: str | None, message: str, hint: str = "") -> Problem:
    return Problem(obj.file, obj.line_of(field) if field else obj.line_of(""), message, hint)


def _suggest(word: str, choices: list[str]) -> str:
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return f"是不是“{found[0]}”？" if found else ""


def duplicate_ids(content: Content) -> list[Problem]:
    problems = []
    groups: list[tuple[str, list[tuple[str, Model]]]] = [
        ("质控中心编号", [(c.id, c) for c in content.centers]),
        ("稿件", [(s.id, s) for s in content.stories]),
        ("期（系列+年份+季度）", [(i.id, i) for i in content.issues]),
        ("点评（对应稿件）", [(c.story, c) for c in content.commentaries]),
    ]
    for label, items in groups:
        seen: dict[str, Model] = {}
        for key, obj in items:
            if key in seen:
                first = seen[key]
                where = f"{first.file}:{first.line_of('')}" if first.line_of("") else first.file
                problems.append(_problem(obj, "id", f"{label}“{key}”重复，已在 {where} 出现过", "改用一个不重复的编号，或删除重复的那一份"))
            else:
                seen[key] = obj
    return problems


def center_references(content: Content) -> list[Problem]:
    ids = {c.id for c in content.centers}
    by_name = {name: c.id for c in content.centers for name in [c.name, *c.aliases]}
    problems = []
    for story in content.stories:
        for field, value in [("center", story.center)] + [("partners", p) for p in story.partners]:
            if value in ids:
                continue
            if value in by_name:
                hint = f"这里要写编号而不是名称：{field}: {by_name[value]}"
            else:
                hint = (_suggest(value, sorted(ids)) + "先在 content/centers/ 的名录里登记该中心，再引用它的 id").strip()
            problems.append(_problem(story, field, f"未知的质控中心“{value}”", hint))
    return problems


def issue_memberships(content: Content) -> list[Problem]:
    """Every story is listed exactly once, by exactly the issue named in its front matter."""
    problems = []
    issues = {i.id: i for i in content.issues}
    series = {s.id: s for s in content.series}
    stories = {s.id: s for s in content.stories}
    listed_by: dict[str, list] = defaultdict(list)
    for issue in content.issues:
        if issue.series not in series:
            problems.append(_problem(issue, "series", f"未知的系列“{issue.series}”",
                                     (_suggest(issue.series, sorted(series)) + "系列须在 content/series/ 下有同名 .yml 文件").strip()))
        elif series[issue.series].kind != "bulletin":
            problems.append(_problem(issue, "series", f"系列“{issue.series}”是通报系列，不能编排季度简报", "改为简报系列的编号"))
        seen_here = set()
        for slug in issue.slugs:
            if slug in seen_here:
                problems.append(_problem(issue, "sections", f"稿件“{slug}”在本期中列了两次", "删除重复的一处"))
            seen_here.add(slug)
            story_id = f"{issue.id}/{slug}"
            listed_by[story_id].append(issue)
            if story_id not in stories:
                others = [s for s in content.stories if s.slug == slug]
                if others:
                    hint = f"该稿件在 {others[0].file} 中写的是 issue: {others[0].issue}；两处须一致"
                    message = f"本期列出的稿件“{slug}”属于另一期（归属冲突）"
                else:
                    hint = (_suggest(slug, sorted(s.slug for s in content.stories if s.issue == issue.id))
                            + f"在 content/stories/{issue.series}/{issue.year}-q{issue.quarter}/ 下新建 {slug}.md，或从列表中删除").strip()
                    message = f"本期列出的稿件“{slug}”不存在"
                problems.append(_problem(issue, "sections", message, hint))
    for story in content.stories:
        if story.issue not in issues:
            problems.append(_problem(story, "issue", f"稿件所属的期“{story.issue}”不存在",
                                     (_suggest(story.issue, sorted(issues)) + "写成 系列编号/年份-q季度，并在 bulletins/ 下有对应的期文件").strip()))
        elif story.id not in listed_by:
            issue = issues[story.issue]
            problems.append(_problem(story, "issue", f"稿件“{story.slug}”没有编入任何一期",
                                     f"在 {issue.file} 的 sections 的某个 stories 列表中加上 {story.slug}"))
    return problems


def commentary_references(content: Content) -> list[Problem]:
    stories = {s.id for s in content.stories}
    return [
        _problem(c, "story", f"点评对应的稿件“{c.story}”不存在",
                 (_suggest(c.story, sorted(stories)) + "写成 story: 系列编号/年份-q季度/稿件文件名").strip())
        for c in content.commentaries
        if c.story not in stories
    ]


def images_exist(content: Content) -> list[Problem]:
    problems = []
    for story in content.stories:
        folder = (content.root / story.file).parent
        for ref in image_refs(story.body):
            path = (folder / ref).resolve()
            inside = path.is_relative_to((content.root / "content").resolve())
            if not inside or ".." in Path(ref).parts:
                problems.append(Problem(story.file, story.body_line, f"图片路径“{ref}”指向 content 文件夹之外",
                                        "把图片放在稿件旁的 images/ 文件夹里，写成 images/图片名.jpg"))
            elif not path.is_file():
                problems.append(Problem(story.file, story.body_line, f"找不到图片“{ref}”",
                                        f"把图片上传到 {Path(story.file).parent.as_posix()}/{ref}，或改正文件名"))
    return problems


RULES: list[Callable[[Content], list[Problem]]] = [
    duplicate_ids,
    center_references,
    issue_memberships,
    commentary_references,
    images_exist,
]


def validate(content: Content) -> list[Problem]:
    """All problems: those found while loading, then every cross-file rule."""
    problems = list(content.problems)
    for rule in RULES:
        problems += rule(content)
    return problems
