"""Rules on references between files: ids, centers, memberships, file locations, notices."""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from generator.evaluation.notice_text import filled_notice_body, has_scores
from generator.evaluation.series import round_for
from generator.load.center_names import named_hint
from generator.load.content import Content
from generator.load.models import UNSURE, Model
from generator.problems import Problem
from generator.publication import marked_published, public_on
from generator.validate.common import listed_stories, problem, suggest


def duplicate_ids(content: Content) -> list[Problem]:
    problems = []
    groups: list[tuple[str, list[tuple[str, Model]]]] = [
        ("质控中心编号", [(c.id, c) for c in content.centers]),
        ("稿件", [(s.id, s) for s in content.stories]),
        ("期（系列/期文件名）", [(i.id, i) for i in content.issues]),
        ("点评（对应稿件）", [(c.story, c) for c in content.commentaries]),
    ]
    for label, items in groups:
        seen: dict[str, Model] = {}
        for key, obj in items:
            if key in seen:
                first = seen[key]
                where = f"{first.file}:{first.line_of('')}" if first.line_of("") else first.file
                problems.append(problem(obj, "id", f"{label}“{key}”重复，已在 {where} 出现过", "改用一个不重复的编号，或删除重复的那一份"))
            else:
                seen[key] = obj
    return problems


def center_references(content: Content) -> list[Problem]:
    ids = {c.id for c in content.centers}
    by_name = {name: c.id for c in content.centers for name in [c.name, *c.aliases]}
    series = {s.id: f"{s.publisher}{s.name}" for s in content.series}
    problems = []
    names = {c.id: c.name for c in content.centers}
    for story in content.stories:
        if story.center_candidates and story.center != UNSURE:
            problems.append(problem(story, "center_candidates", "供稿中心已经确定，center_candidates 不再需要",
                                     "删去 center_candidates 这一行（它只和 center: 【待确认】 一起用）"))
        if story.center == UNSURE:
            problems.append(unsure_center(story, names))
        for field, value in [("center", story.center)] * (story.center != UNSURE) + [("partners", p) for p in story.partners]:
            if value in ids or value in content.unreadable_centers or content.centers_incomplete:
                continue  # an entry with errors of its own: "unknown center" would send the editor the wrong way
            if value in by_name:
                hint = f"这里要写编号而不是名称：{field}: {by_name[value]}"
            else:  # a name or its abbreviation ("院感") points at a registered center; register only when none fits
                hint = (named_hint(value, content.centers, series.get(story.issue.split("/")[0], ""))
                        or suggest(value, sorted(ids))
                        or "先在 content/centers/ 的名录里登记该中心，再引用它的 id")
            problems.append(problem(story, field, f"未知的质控中心“{value}”", hint))
        seen = {story.center}
        for partner in story.partners:  # the center page would count the story once per mention
            if partner in seen:
                what = "供稿中心本身" if partner == story.center else "重复写了两次"
                problems.append(problem(story, "partners", f"合作中心“{partner}”是{what}",
                                         "partners 只写其他参与的中心，每个写一次；供稿中心写在 center"))
            seen.add(partner)
    return problems


def unsure_center(story, names: dict[str, str]) -> Problem:
    """center: 【待确认】 (left by an import): the candidates it wrote first, registering a new
    center only when none of them is in the registry."""
    known = [c for c in story.center_candidates if c in names]
    if known:
        listed = "、".join(f"{c}（{names[c]}）" for c in known)
        hint = (f"从候选中选定一个：{listed}。把 center 改成它的编号，如 center: {known[0]}，并删去 center_candidates"
                "；都不是，再先在 content/centers/ 的名录里登记该中心")
    else:
        hint = "先在 content/centers/ 的名录里登记该中心，再把 center 改成它的编号（并删去 center_candidates）"
    return problem(story, "center", f"供稿中心还没有确定（{UNSURE}）", hint)


def issue_memberships(content: Content) -> list[Problem]:
    """Every story is listed exactly once, by exactly the issue named in its front matter."""
    problems = []
    issues = {i.id: i for i in content.issues}
    series = {s.id: s for s in content.series}
    stories = {s.id: s for s in content.stories}
    listed_by: dict[str, list] = defaultdict(list)
    for issue in content.issues:
        if issue.series not in series and _unreadable(content, "content/series", issue.series, SERIES_ID, ".yml"):
            pass  # the series file's own problems are listed
        elif issue.series not in series:
            problems.append(problem(issue, "series", f"未知的系列“{issue.series}”",
                                     (suggest(issue.series, sorted(series)) + "系列须在 content/series/ 下有同名 .yml 文件").strip()))
        elif series[issue.series].kind != "bulletin":
            problems.append(problem(issue, "series", f"系列“{issue.series}”是通报系列，不能编排简报", "改为简报系列的编号"))
        seen_here = set()
        for where, slug in listed_stories(issue):
            if slug in seen_here:
                problems.append(problem(issue, where, f"稿件“{slug}”在本期中列了两次", "删除重复的一处"))
            seen_here.add(slug)
            story_id = f"{issue.id}/{slug}"
            listed_by[story_id].append(issue)
            if story_id not in stories:
                if _story_unreadable(content, story_id):
                    continue  # the file exists but could not be read: its own problems are reported
                if slip := _listing_slip(slug, issue, stories):
                    meant, message, hint = slip
                    for s in meant:
                        listed_by[f"{issue.id}/{s}"].append(issue)  # listed, only misspelled: no "in no issue" too
                    problems.append(problem(issue, where, message, hint))
                    continue
                # Only this series' stories: another publisher's file of the same name is never the answer.
                others = [s for s in content.stories if s.slug == slug and s.issue.startswith(f"{issue.series}/")]
                if others:
                    hint = f"该稿件在 {others[0].file} 中写的是 issue: {others[0].issue}；两处须一致"
                    message = f"本期列出的稿件“{slug}”属于另一期（归属冲突）"
                else:
                    hint = (suggest(slug, sorted(s.slug for s in content.stories if s.issue == issue.id))
                            + f"在 content/stories/{issue.id}/ 下新建 {slug}.md，或从列表中删除").strip()
                    message = f"本期列出的稿件“{slug}”不存在"
                problems.append(problem(issue, where, message, hint))
    for story in content.stories:
        if story.issue not in issues:
            if _unreadable(content, "bulletins", story.issue, ISSUE_ID, ".yml"):
                continue
            problems.append(problem(story, "issue", f"稿件所属的期“{story.issue}”不存在",
                                     (suggest(story.issue, _same_series(story.issue, issues))
                                      + "写成 系列编号/期文件名（如 my-bulletin/2024-q3），并在 bulletins/ 下有对应的期文件").strip()))
        elif story.id not in listed_by:
            issue = issues[story.issue]
            problems.append(problem(story, "issue", f"稿件“{story.slug}”没有编入任何一期",
                                     f"在 {issue.file} 的 sections 的某个 stories 列表中加上 {story.slug}"))
    return problems


LIST_SEPARATORS = re.compile(r"\s*[，、；;]\s*")


def _listing_slip(slug: str, issue, stories) -> tuple[list[str], str, str] | None:
    """A listed story written as its file name (nursing.md) or several joined by a Chinese comma
    ([nursing，pediatrics]): the stories meant, and what to write."""
    if slug.endswith(".md") and f"{issue.id}/{slug[:-3]}" in stories:
        return [slug[:-3]], f"列出稿件时不写扩展名：“{slug}”应写成 {slug[:-3]}", f"把 {slug} 改成 {slug[:-3]}"
    parts = [p for p in LIST_SEPARATORS.split(slug) if p]
    if len(parts) > 1 and all(f"{issue.id}/{p.removesuffix('.md')}" in stories for p in parts):
        sep = next(ch for ch in slug if ch in "，、；;")
        listed = ", ".join(p.removesuffix(".md") for p in parts)
        return ([p.removesuffix(".md") for p in parts], f"稿件之间用了“{sep}”：“{slug}”被读成了一个文件名",
                f"列表项之间用英文逗号加空格：[{listed}]，或每项单独一行以“- ”开头")
    return None


ISSUE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$")
SERIES_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ROUND_ID = re.compile(r"^[a-z0-9][a-z0-9-]*/\d{4}$")
STORY_ID = re.compile(r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$")


def _same_series(ref: str, ids) -> list[str]:
    """Candidates for a "did you mean": the ids of the series `ref` names, when it names a known one,
    so that a near miss never points an editor at another publisher's issue or story."""
    series = ref.split("/", 1)[0] + "/"
    mine = sorted(i for i in ids if i.startswith(series))
    return mine or sorted(ids)


def _unreadable(content: Content, folder: str, ref: str, shape: re.Pattern, suffix: str) -> bool:
    """A well-formed reference to a file that exists but could not be loaded: that file's own
    problems are reported; saying "does not exist" as well would send the editor the wrong way."""
    return bool(shape.match(ref)) and (content.root / folder / f"{ref}{suffix}").is_file()


def _story_unreadable(content: Content, story_id: str) -> bool:
    return _unreadable(content, "content/stories", story_id, STORY_ID, ".md")


def commentary_references(content: Content) -> list[Problem]:
    stories = {s.id for s in content.stories}
    return [
        problem(c, "story", f"点评对应的稿件“{c.story}”不存在",
                 (suggest(c.story, _same_series(c.story, stories)) + "写成 story: 系列编号/期文件名/稿件文件名").strip())
        for c in content.commentaries
        if c.story not in stories and not _story_unreadable(content, c.story)
    ]


def _misplaced(obj: Model, field: str, expected: str, what: str) -> Problem | None:
    """A file whose folder or name disagrees with what it says inside (ids become web addresses)."""
    if obj.file == expected:
        return None
    return problem(obj, field, f"{what}的位置与内容不一致：应为 {expected}",
                    f"把文件移到（或改名为）{expected}，或改正“{field}”这一行")


def file_locations(content: Content) -> list[Problem]:
    """A story lives at content/stories/<issue>/<slug>.md, its 点评 at the same path under
    content/commentary/, an issue at bulletins/<series>/<key>.yml."""
    issues, stories = {i.id for i in content.issues}, {s.id for s in content.stories}
    # A reference to nothing is reported once, by the reference rules, not again here.
    found = [_misplaced(s, "issue", f"content/stories/{s.issue}/{s.slug}.md", "稿件文件")
             for s in content.stories if s.issue in issues]
    found += [_misplaced(c, "story", f"content/commentary/{c.story}.md", "点评文件")
              for c in content.commentaries if c.story in stories]
    found += [_misplaced(i, "series", f"bulletins/{i.id}.yml", "期文件") for i in content.issues]
    return [p for p in found if p]


def notice_references(content: Content) -> list[Problem]:
    """A notice names a notice series, a matching 发文字号 prefix, an existing complete round."""
    problems = []
    series = {s.id: s for s in content.series}
    seen: dict[tuple, Model] = {}
    for notice in content.notices:
        s = series.get(notice.series)
        if s is None and _unreadable(content, "content/series", notice.series, SERIES_ID, ".yml"):
            pass  # the series file's own problems are listed
        elif s is None or s.kind != "notice":
            problems.append(problem(notice, "series", f"“{notice.series}”不是通报系列",
                                     (suggest(notice.series, sorted(k for k, v in series.items() if v.kind == "notice"))
                                      + "在 content/series/ 中登记 kind: notice 的系列").strip()))
        elif s.doc_prefix and notice.doc_number.prefix != s.doc_prefix:
            problems.append(problem(notice, "doc_number", f"发文字号前缀“{notice.doc_number.prefix}”与系列规定的“{s.doc_prefix}”不一致",
                                     f"写成 doc_number: {{prefix: {s.doc_prefix}, year: {notice.doc_number.year}, number: {notice.doc_number.number}}}"))
        key = (notice.doc_number.prefix, notice.doc_number.year, notice.doc_number.number)
        if key in seen:
            problems.append(problem(notice, "doc_number", f"发文字号“{notice.doc_number}”重复，已用于 {seen[key].file}", "核对文号"))
        seen[key] = notice
        rnd = round_for(content.evaluations, notice.evaluation)
        if notice.evaluation and rnd is None and _unreadable(content, "content/evaluations", notice.evaluation,
                                                             ROUND_ID, ".yml"):
            continue  # the round file's own problems are listed; its placeholders cannot be filled yet
        if notice.evaluation and rnd is None:
            problems.append(problem(notice, "evaluation", f"找不到评估年度“{notice.evaluation}”",
                                     "写成 evaluation: 系列编号/年份，并在 content/evaluations/系列编号/年份.yml 中记录该年度结果"))
            continue  # its placeholders name that round's values: "unknown placeholder" would follow from this
        declared = next((s.figures for s in content.series if s.id == (notice.evaluation or "").partition("/")[0]), [])
        problems += filled_notice_body(notice, rnd, {c.id: c for c in content.centers}, declared)[1]
        problems += _annex_columns(notice, rnd)
    return problems


def _annex_columns(notice, rnd) -> list[Problem]:
    columns = notice.annex_columns or []
    twice = sorted({c for c in columns if columns.count(c) > 1})
    if twice:
        return [problem(notice, "annex_columns", f"附件列“{twice[0]}”写了两次", "每一列只写一次")]
    scored = [c for c in columns if c in ("得分", "排名")]
    if scored and rnd is not None and not has_scores(rnd):
        return [problem(notice, "annex_columns", f"附件要印“{scored[0]}”，但评估年度 {notice.evaluation} 只有等次，没有得分",
                         "删去 得分 / 排名 两列，或在评估年度文件中为每个中心写 scores（或 total）")]
    return []


def notice_rounds_public(content: Content, today: dt.date) -> list[Problem]:
    """A published notice prints its round (annex, grade sentence, history flags): that round must
    be public by the day the notice is, or the notice would carry unpublished grades."""
    problems = []
    for notice in content.notices:
        series, _, year = (notice.evaluation or "").partition("/")
        ev = content.evaluations.get(series)
        if not marked_published(notice) or not ev or not year.isdigit() or int(year) not in ev.rounds:
            continue
        gate, opens = ev.round_gate(int(year)), max(notice.publish_date or today, today)
        if public_on(gate, opens):
            continue
        state = {"draft": "草稿（draft）", "review": "审核中（review）"}.get(gate.status)
        why = f"还是{state}" if state else f"要到 {gate.publish_date.isoformat()} 才公开"
        fix = (f"先把 {gate.file}:{gate.line} 的 status 改为 published（评估结果已可公开时），"
               f"或把本通报的 status 改为 review")
        if not state:
            fix = (f"把 {gate.file}:{gate.line} 的 publish_date 提前到本通报公开之日或更早，"
                   f"或给本通报写 publish_date: {gate.publish_date.isoformat()}（或更晚）")
        problems.append(problem(notice, "evaluation", f"通报已发布，但它引用的评估年度“{notice.evaluation}”{why}："
                                 "通报会把未公开的评估结果印出来", fix))
    return problems
