"""Stage 2 — validate: rules that span files (references, memberships, uniqueness)."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Callable

from generator.evaluation.notice_text import filled_notice_body, has_scores
from generator.evaluation.series import round_for
from generator.load import periods
from generator.load.center_names import named_hint
from generator.load.content import Content
from generator.load.models import Model
from generator.problems import Problem


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
        ("期（系列/期文件名）", [(i.id, i) for i in content.issues]),
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
    series = {s.id: f"{s.publisher}{s.name}" for s in content.series}
    problems = []
    for story in content.stories:
        for field, value in [("center", story.center)] + [("partners", p) for p in story.partners]:
            if value in ids:
                continue
            if value in by_name:
                hint = f"这里要写编号而不是名称：{field}: {by_name[value]}"
            else:  # a name or its abbreviation ("院感") points at a registered center
                hint = named_hint(value, content.centers, series.get(story.issue.split("/")[0], "")) or (
                    _suggest(value, sorted(ids)) + "先在 content/centers/ 的名录里登记该中心，再引用它的 id").strip()
            problems.append(_problem(story, field, f"未知的质控中心“{value}”", hint))
        seen = {story.center}
        for partner in story.partners:  # the center page would count the story once per mention
            if partner in seen:
                what = "供稿中心本身" if partner == story.center else "重复写了两次"
                problems.append(_problem(story, "partners", f"合作中心“{partner}”是{what}",
                                         "partners 只写其他参与的中心，每个写一次；供稿中心写在 center"))
            seen.add(partner)
    return problems


def _listed(issue) -> list[tuple[str, str]]:
    """(dotted path of the list item, slug) for every story the issue lists, in order."""
    return [(f"sections.{i}.stories.{k}", slug)
            for i, section in enumerate(issue.sections) for k, slug in enumerate(section.stories)]


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
            problems.append(_problem(issue, "series", f"系列“{issue.series}”是通报系列，不能编排简报", "改为简报系列的编号"))
        seen_here = set()
        for where, slug in _listed(issue):
            if slug in seen_here:
                problems.append(_problem(issue, where, f"稿件“{slug}”在本期中列了两次", "删除重复的一处"))
            seen_here.add(slug)
            story_id = f"{issue.id}/{slug}"
            listed_by[story_id].append(issue)
            if story_id not in stories:
                if _story_unreadable(content, story_id):
                    continue  # the file exists but could not be read: its own problems are reported
                # Only this series' stories: another publisher's file of the same name is never the answer.
                others = [s for s in content.stories if s.slug == slug and s.issue.startswith(f"{issue.series}/")]
                if others:
                    hint = f"该稿件在 {others[0].file} 中写的是 issue: {others[0].issue}；两处须一致"
                    message = f"本期列出的稿件“{slug}”属于另一期（归属冲突）"
                else:
                    hint = (_suggest(slug, sorted(s.slug for s in content.stories if s.issue == issue.id))
                            + f"在 content/stories/{issue.id}/ 下新建 {slug}.md，或从列表中删除").strip()
                    message = f"本期列出的稿件“{slug}”不存在"
                problems.append(_problem(issue, where, message, hint))
    for story in content.stories:
        if story.issue not in issues:
            if _unreadable(content, "bulletins", story.issue, ISSUE_ID, ".yml"):
                continue
            problems.append(_problem(story, "issue", f"稿件所属的期“{story.issue}”不存在",
                                     (_suggest(story.issue, _same_series(story.issue, issues))
                                      + "写成 系列编号/期文件名（如 my-bulletin/2024-q3），并在 bulletins/ 下有对应的期文件").strip()))
        elif story.id not in listed_by:
            issue = issues[story.issue]
            problems.append(_problem(story, "issue", f"稿件“{story.slug}”没有编入任何一期",
                                     f"在 {issue.file} 的 sections 的某个 stories 列表中加上 {story.slug}"))
    return problems


ISSUE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$")
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
        _problem(c, "story", f"点评对应的稿件“{c.story}”不存在",
                 (_suggest(c.story, _same_series(c.story, stories)) + "写成 story: 系列编号/期文件名/稿件文件名").strip())
        for c in content.commentaries
        if c.story not in stories and not _story_unreadable(content, c.story)
    ]


def _misplaced(obj: Model, field: str, expected: str, what: str) -> Problem | None:
    """A file whose folder or name disagrees with what it says inside (ids become web addresses)."""
    if obj.file == expected:
        return None
    return _problem(obj, field, f"{what}的位置与内容不一致：应为 {expected}",
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


def _cn(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def issue_periods(content: Content) -> list[Problem]:
    """The numbers an issue gives agree with its date and with what its series prints; no two
    issues of a series print the same period or the same 总第N期."""
    problems = []
    series = {s.id: s for s in content.series}
    seen: dict[tuple, Model] = {}
    for issue in content.issues:
        fmt = series[issue.series].period_format if issue.series in series else None
        if issue.quarter is not None and issue.month is not None and (issue.month + 2) // 3 != issue.quarter:
            problems.append(_problem(issue, "month", f"{issue.month}月不在第{issue.quarter}季度",
                                     "核对 quarter 和 month，或删去其中一个"))
        else:
            first, last = periods.date_range(issue)
            if not first <= issue.date <= last:
                problems.append(_problem(issue, "date", f"印发日期{_cn(issue.date)}不在本期所属的{periods.range_text(issue)}之内",
                                         f"改正 date（应在 {first.isoformat()} 至 {last.isoformat()} 之间），"
                                         "或改正 year / quarter / month"))
        missing = periods.missing_fields(fmt, issue) if fmt else []
        if missing and not issue.title:
            problems.append(_problem(issue, missing[0], f"系列“{issue.series}”的期次格式要用到 {missing[0]}，本期没有写",
                                     f"加上一行 {missing[0]}: …（期次格式：{fmt}）；专刊可不写期号，但要写 title"))
            continue
        keys = [("期次", periods.period_text(fmt, issue), None)]
        if issue.total_number is not None:
            keys.append(("总期号", f"总第{issue.total_number}期", "total_number"))
        for label, value, field in keys:
            key = (issue.series, label, value)
            if key in seen:
                problems.append(_problem(issue, field, f"{label}“{value}”与 {seen[key].file} 重复",
                                         "同一系列的两期不能印成同一个期次；核对 year / quarter / month / number / total_number"))
            else:
                seen[key] = issue
    return problems


def notice_references(content: Content) -> list[Problem]:
    """A notice names a notice series, a matching 发文字号 prefix, an existing complete round."""
    problems = []
    series = {s.id: s for s in content.series}
    seen: dict[tuple, Model] = {}
    for notice in content.notices:
        s = series.get(notice.series)
        if s is None or s.kind != "notice":
            problems.append(_problem(notice, "series", f"“{notice.series}”不是通报系列",
                                     (_suggest(notice.series, sorted(k for k, v in series.items() if v.kind == "notice"))
                                      + "在 content/series/ 中登记 kind: notice 的系列").strip()))
        elif s.doc_prefix and notice.doc_number.prefix != s.doc_prefix:
            problems.append(_problem(notice, "doc_number", f"发文字号前缀“{notice.doc_number.prefix}”与系列规定的“{s.doc_prefix}”不一致",
                                     f"写成 doc_number: {{prefix: {s.doc_prefix}, year: {notice.doc_number.year}, number: {notice.doc_number.number}}}"))
        key = (notice.doc_number.prefix, notice.doc_number.year, notice.doc_number.number)
        if key in seen:
            problems.append(_problem(notice, "doc_number", f"发文字号“{notice.doc_number}”重复，已用于 {seen[key].file}", "核对文号"))
        seen[key] = notice
        rnd = round_for(content.evaluations, notice.evaluation)
        if notice.evaluation and rnd is None and _unreadable(content, "content/evaluations", notice.evaluation,
                                                             ROUND_ID, ".yml"):
            continue  # the round file's own problems are listed; its placeholders cannot be filled yet
        if notice.evaluation and rnd is None:
            problems.append(_problem(notice, "evaluation", f"找不到评估年度“{notice.evaluation}”",
                                     "写成 evaluation: 系列编号/年份，并在 content/evaluations/系列编号/年份.yml 中记录该年度结果"))
        problems += filled_notice_body(notice, rnd, {c.id: c for c in content.centers})[1]
        problems += _annex_columns(notice, rnd)
    return problems


def _annex_columns(notice, rnd) -> list[Problem]:
    columns = notice.annex_columns or []
    twice = sorted({c for c in columns if columns.count(c) > 1})
    if twice:
        return [_problem(notice, "annex_columns", f"附件列“{twice[0]}”写了两次", "每一列只写一次")]
    scored = [c for c in columns if c in ("得分", "排名")]
    if scored and rnd is not None and not has_scores(rnd):
        return [_problem(notice, "annex_columns", f"附件要印“{scored[0]}”，但评估年度 {notice.evaluation} 只有等次，没有得分",
                         "删去 得分 / 排名 两列，或在评估年度文件中为每个中心写 scores（或 total）")]
    return []


PLACEHOLDER = "【待填写】"  # left by the `bulletin new` templates (scaffold.py)


def _placeholder_line(text: str, first_line: int) -> int | None:
    for n, line in enumerate(text.split("\n")):
        if PLACEHOLDER in line:
            return first_line + n
    return None


def unfinished_published(content: Content) -> list[Problem]:
    """Template text and empty issues may stay in drafts, never in what is marked published."""
    problems = []
    hint = f"把“{PLACEHOLDER}”及其后的提示换成正文；还没写完就把 status 改回 review 或 draft"
    items = [(s, [("title", s.title, None), ("", s.body, s.body_line)]) for s in content.stories]
    items += [(c, [("", c.body, c.body_line)]) for c in content.commentaries]
    items += [(i, [("preface", i.preface or "", None)]) for i in content.issues]
    items += [(n, [("title", n.title, None), ("", n.body, n.body_line)]) for n in getattr(content, "notices", [])]
    for obj, texts in items:
        if obj.status != "published":
            continue
        for field, text, first_line in texts:
            if PLACEHOLDER in text:
                line = _placeholder_line(text, first_line) if first_line else obj.line_of(field)
                problems.append(Problem(obj.file, line, f"还有模板留下的“{PLACEHOLDER}”占位文字", hint))
                break
    for issue in content.issues:
        if issue.status == "published" and not issue.slugs:
            problems.append(_problem(issue, "sections", "本期标为已发布（published），但没有编入任何稿件",
                                     "在 sections 的 stories 列表中写上稿件文件名；还没编好就写 status: draft"))
    return problems


def title_lines_match(content: Content) -> list[Problem]:
    """Printed title breaks (`title_lines`) must spell the title itself, nothing added or lost."""
    problems = []
    for doc in [*content.stories, *content.notices]:
        if doc.title_lines and "".join("".join(doc.title_lines).split()) != "".join(doc.title.split()):
            problems.append(_problem(doc, "title_lines", "“title_lines”各行连起来应与标题（title）一字不差",
                                     "每行写标题的一段，按顺序排列，不增不减"))
    return problems


STATUS_CN = {"review": "待审（status: review）", "draft": "草稿（status: draft）"}


def _held_back(story, opens: dt.date) -> str | None:
    """Why a story is not public on the day its issue is (None when it is)."""
    if story.status != "published":
        return f"还是{STATUS_CN[story.status]}"
    if story.publish_date and story.publish_date > opens:
        d = story.publish_date
        return f"定于 {d.year}年{d.month}月{d.day}日 才公开（publish_date），晚于本期"
    return None


def issues_complete(content: Content, today: dt.date) -> list[Problem]:
    """A published issue shows every story it lists, from its first day: otherwise the web 目录
    and the PDF silently lack stories the 按语 may name, and the PDF changes after it was sent
    out. Stories that follow later must be declared, with that change accepted."""
    problems = []
    stories = {s.id: s for s in content.stories}
    for issue in content.issues:
        if issue.status != "published":
            continue  # nothing of it is public yet
        opens = max(issue.publish_date or today, today)
        later = issue.published_later
        declared = set(later.stories) if later else set()
        held = {}
        for where, slug in _listed(issue):
            story = stories.get(f"{issue.id}/{slug}")
            why = _held_back(story, opens) if story else None
            if why:
                held[slug] = why
            if why and slug not in declared:
                problems.append(_problem(
                    issue, where, f"本期已发布，但列出的稿件“{slug}”{why}：公开网站的目录和 PDF 都会缺这一篇",
                    f"审核通过后把 {story.file} 改为 status: published（并删去晚于本期的 publish_date）；"
                    f"或把它移到以后的期；确要它晚于本期公开，在本期文件中写明：published_later: "
                    f"{{stories: [{slug}], pdf_will_change: true}}（届时本期 PDF 会重新生成，页码会变）"))
        if later is None:
            continue
        for k, slug in enumerate(later.stories):
            if slug not in issue.slugs:
                problems.append(_problem(issue, f"published_later.stories.{k}",
                                         f"published_later 中的稿件“{slug}”不在本期的 sections 里",
                                         (_suggest(slug, issue.slugs) + "只写本期列出的稿件文件名").strip()))
            elif slug not in held:
                problems.append(Problem(issue.file, issue.line_of(f"published_later.stories.{k}"),
                                        f"稿件“{slug}”已随本期公开，不必再写在 published_later 里",
                                        "从 published_later 的 stories 中删去它", warning=True))
        if held.keys() & declared and not later.pdf_will_change:
            problems.append(_problem(issue, "published_later.pdf_will_change" if "pdf_will_change" in
                                     later.model_fields_set else "published_later",
                                     "本期有稿件晚于本期公开，届时本期 PDF 会重新生成、页码会变，但没有写明接受",
                                     "在 published_later 下加一行 pdf_will_change: true；"
                                     "不接受就让这些稿件与本期同时公开，或移到以后的期"))
    return problems


COMMENTARY_LABEL = re.compile(r"^[\s*_]*点评[\s*_]*[：:]")
PREFACE_LABEL = re.compile(r"^[\s*_]*按[\s*_]*[：:]")
BOLD_RUN = re.compile(r"\*\*")


def _body_lines(obj) -> list[tuple[int, str]]:
    """(line number in the file, text) of each line of a Markdown body."""
    lines = obj.body.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    return [(obj.body_line + n, line) for n, line in enumerate(lines)]


def _loose_bold(line: str) -> bool:
    """`** 开展…。 **`: a `**` with a space on its inner side neither opens nor closes bold, so
    the asterisks are printed as they are, on the web and in the PDF."""
    if "`" in line:
        return False  # code spans show asterisks on purpose
    runs = [m.start() for m in BOLD_RUN.finditer(line)]
    if len(runs) % 2:
        return True
    for start, end in zip(runs[::2], runs[1::2]):
        after, before = line[start + 2:start + 3], line[end - 1:end]
        if not after or after.isspace() or before.isspace() or end == start + 2:
            return True
    return False


def markup_slips(content: Content) -> list[Problem]:
    """Warnings for Markdown that checks but prints wrong: a 点评 label typed in a 点评 file
    (the templates print "点评：" already), and bold markers that do not close on a word."""
    problems = []
    for c in content.commentaries:
        first = _body_lines(c)[:1]
        if first and COMMENTARY_LABEL.match(first[0][1]):
            problems.append(Problem(c.file, first[0][0], "点评正文以“点评：”开头，网页和 PDF 上会印成“点评：点评：”",
                                    "删去开头的“点评：”：标签由模板自动加上", warning=True))
    for issue in content.issues:  # the same slip in a 按语: the templates print "按："
        if issue.preface and PREFACE_LABEL.match(issue.preface):
            problems.append(Problem(issue.file, issue.line_of("preface"), "按语以“按：”开头，网页和 PDF 上会印成“按：按：”",
                                    "删去开头的“按：”：标签由模板自动加上", warning=True))
    for obj in [*content.stories, *content.commentaries, *content.notices]:
        for n, line in _body_lines(obj):
            if _loose_bold(line):
                problems.append(Problem(obj.file, n, "加粗的星号 ** 没有紧贴文字，网页和 PDF 上会原样印出星号",
                                        "写成 **开展……。**（星号与文字之间不留空格，每对 ** 成对出现）",
                                        warning=True))
    return problems


def notice_rounds_public(content: Content, today: dt.date) -> list[Problem]:
    """A published notice prints its round (annex, grade sentence, history flags): that round must
    be public by the day the notice is, or the notice would carry unpublished grades."""
    problems = []
    for notice in content.notices:
        series, _, year = (notice.evaluation or "").partition("/")
        ev = content.evaluations.get(series)
        if notice.status != "published" or not ev or not year.isdigit() or int(year) not in ev.rounds:
            continue
        gate, opens = ev.round_gate(int(year)), max(notice.publish_date or today, today)
        if gate.is_public(opens):
            continue
        state = {"draft": "草稿（draft）", "review": "待审（review）"}.get(gate.status)
        why = f"还是{state}" if state else f"要到 {gate.publish_date.isoformat()} 才公开"
        fix = (f"先把 {gate.file}:{gate.line} 的 status 改为 published（评估结果已可公开时），"
               f"或把本通报的 status 改为 review")
        if not state:
            fix = (f"把 {gate.file}:{gate.line} 的 publish_date 提前到本通报公开之日或更早，"
                   f"或给本通报写 publish_date: {gate.publish_date.isoformat()}（或更晚）")
        problems.append(_problem(notice, "evaluation", f"通报已发布，但它引用的评估年度“{notice.evaluation}”{why}："
                                 "通报会把未公开的评估结果印出来", fix))
    return problems


RULES: list[Callable[[Content], list[Problem]]] = [
    duplicate_ids,
    center_references,
    issue_memberships,
    commentary_references,
    file_locations,
    issue_periods,
    notice_references,
    unfinished_published,
    title_lines_match,
    markup_slips,
]


def validate(content: Content, today: dt.date | None = None) -> list[Problem]:
    """All problems: those found while loading, then every cross-file rule. `today` decides
    which scheduled stories are still to come (a published issue must not silently lack them)."""
    problems = list(content.problems)
    for rule in RULES:
        problems += rule(content)
    today = today or dt.date.today()
    return problems + issues_complete(content, today) + notice_rounds_public(content, today)
