"""Rules on what may be published: periods, placeholders, complete issues, markup slips."""
from __future__ import annotations

import datetime as dt
import re

from generator.load import periods
from generator.load.content import Content
from generator.load.models import Model
from generator.problems import Problem
from generator.publication import marked_published, public_on
from generator.validate.common import listed_stories, problem, suggest


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
        frequency = series[issue.series].frequency if issue.series in series else None
        count = periods.per_year(frequency)
        if issue.quarter is not None and issue.month is not None and (issue.month + 2) // 3 != issue.quarter:
            problems.append(problem(issue, "month", f"{issue.month}月不在第{issue.quarter}季度",
                                     "核对 quarter 和 month，或删去其中一个"))
        elif count and issue.number is not None and issue.number > count and issue.month is None \
                and issue.quarter is None:
            problems.append(problem(issue, "number", f"系列“{issue.series}”是{periods.FREQUENCY_CN[frequency]}"
                                     f"（frequency: {frequency}），一年最多 {count} 期，本期写的是第{issue.number}期",
                                     f"核对 number（1 到 {count}）；出刊次数变了，就改系列文件里的 frequency"
                                     "（不定期出刊写 frequency: irregular）"))
        else:
            first, last = periods.date_range(issue, frequency)
            if not first <= issue.date <= last:
                problems.append(problem(issue, "date", f"印发日期{_cn(issue.date)}不在本期所属的"
                                                       f"{periods.range_text(issue, frequency)}之内",
                                         f"改正 date（应在 {first.isoformat()} 至 {last.isoformat()} 之间），"
                                         "或改正 year / quarter / month" + (" / number" if count else "")))
        missing = periods.missing_fields(fmt, issue) if fmt else []
        if missing and not issue.title:
            problems.append(problem(issue, missing[0], f"系列“{issue.series}”的期次格式要用到 {missing[0]}，本期没有写",
                                     f"加上一行 {missing[0]}: …（期次格式：{fmt}）；专刊可不写期号，但要写 title"))
            continue
        keys = [("期次", periods.period_text(fmt, issue), None)]
        if issue.total_number is not None:
            keys.append(("总期号", f"总第{issue.total_number}期", "total_number"))
        for label, value, field in keys:
            key = (issue.series, label, value)
            if key in seen:
                problems.append(problem(issue, field, f"{label}“{value}”与 {seen[key].file} 重复",
                                         "同一系列的两期不能印成同一个期次；核对 year / quarter / month / number / total_number"))
            else:
                seen[key] = issue
    return problems


PLACEHOLDER = "【待填写】"  # left by the `bulletin new` templates (cli/new.py)


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
        if not marked_published(obj):  # the written status: a scheduled file must be finished now
            continue
        for field, text, first_line in texts:
            if PLACEHOLDER in text:
                line = _placeholder_line(text, first_line) if first_line else obj.line_of(field)
                problems.append(Problem(obj.file, line, f"还有模板留下的“{PLACEHOLDER}”占位文字", hint))
                break
    for issue in content.issues:
        if marked_published(issue) and not issue.slugs:
            problems.append(problem(issue, "sections", "本期标为已发布（published），但没有编入任何稿件",
                                     "在 sections 的 stories 列表中写上稿件文件名；还没编好就写 status: draft"))
    return problems


def title_lines_match(content: Content) -> list[Problem]:
    """Printed title breaks (`title_lines`) must spell the title itself, nothing added or lost."""
    problems = []
    for doc in [*content.stories, *content.notices]:
        if doc.title_lines and "".join("".join(doc.title_lines).split()) != "".join(doc.title.split()):
            problems.append(problem(doc, "title_lines", "“title_lines”各行连起来应与标题（title）一字不差",
                                     "每行写标题的一段，按顺序排列，不增不减"))
    return problems


# Longest plausible titles: a story's couplet is ~30 characters, a notice's "关于…的通报" ~60.
TITLE_MOST = {"稿件": 60, "期": 60, "通报": 120}


def overlong_titles(content: Content) -> list[Problem]:
    """A title far longer than any printed one is most often body text pasted into it: it would
    fill the masthead, the contents and every list. A warning, as a long title can be meant."""
    problems = []
    for what, docs in [("稿件", content.stories), ("期", content.issues), ("通报", content.notices)]:
        most = TITLE_MOST[what]
        for doc in docs:
            length = len("".join((doc.title or "").split()))
            if length > most:
                problems.append(problem(doc, "title", f"{what}标题有 {length} 个字，远长于一般标题（{most} 字以内）：是否把正文粘进了标题？",
                                         "标题只写一句（对仗标题中间留一个空格），正文写在第二个 --- 行之后", warning=True))
    return problems


STATUS_CN = {"review": "审核中（status: review）", "draft": "草稿（status: draft）"}


def _held_back(story, opens: dt.date) -> str | None:
    """Why a story is not public on the day its issue is (None when it is)."""
    if not marked_published(story):
        return f"还是{STATUS_CN[story.status]}"
    if not public_on(story, opens):
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
        if not marked_published(issue):
            continue  # nothing of it is public yet, nor promised
        opens = max(issue.publish_date or today, today)
        later = issue.published_later
        declared = set(later.stories) if later else set()
        held = {}
        for where, slug in listed_stories(issue):
            story = stories.get(f"{issue.id}/{slug}")
            why = _held_back(story, opens) if story else None
            if why:
                held[slug] = why
            if why and slug not in declared:
                problems.append(problem(
                    issue, where, f"本期已发布，但列出的稿件“{slug}”{why}：公开网站的目录和 PDF 都会缺这一篇",
                    f"审核通过后把 {story.file} 改为 status: published（并删去晚于本期的 publish_date）；"
                    f"或把它移到以后的期；确要它晚于本期公开，在本期文件中写明：published_later: "
                    f"{{stories: [{slug}], pdf_will_change: true}}（届时本期 PDF 会重新生成，页码会变）"))
        if later is None:
            continue
        for k, slug in enumerate(later.stories):
            if slug not in issue.slugs:
                problems.append(problem(issue, f"published_later.stories.{k}",
                                         f"published_later 中的稿件“{slug}”不在本期的 sections 里",
                                         (suggest(slug, issue.slugs) + "只写本期列出的稿件文件名").strip()))
            elif slug not in held:
                problems.append(Problem(issue.file, issue.line_of(f"published_later.stories.{k}"),
                                        f"稿件“{slug}”已随本期公开，不必再写在 published_later 里",
                                        "从 published_later 的 stories 中删去它", warning=True))
        if held.keys() & declared and not later.pdf_will_change:
            problems.append(problem(issue, "published_later.pdf_will_change" if "pdf_will_change" in
                                     later.model_fields_set else "published_later",
                                     "本期有稿件晚于本期公开，届时本期 PDF 会重新生成、页码会变，但没有写明接受",
                                     "在 published_later 下加一行 pdf_will_change: true；"
                                     "不接受就让这些稿件与本期同时公开，或移到以后的期"))
    return problems


COMMENTARY_LABEL = re.compile(r"^[\s*_]*点评[\s*_]*[：:]")
PREFACE_LABEL = re.compile(r"^[\s*_]*按[\s*_]*[：:]")
BOLD_RUN = re.compile(r"\*\*")


def _body_lines(obj, having: str = "") -> list[tuple[int, str]]:
    """(line number in the file, text) of each line of a Markdown body (only those `having` a text)."""
    lines = obj.body.split("\n")
    first = next((k for k, line in enumerate(lines) if line.strip()), len(lines))
    return [(obj.body_line + k - first, line) for k, line in enumerate(lines) if having in line and k >= first]


def loose_bold(line: str) -> bool:
    """`** 开展…。 **`: a `**` with a space on its inner side neither opens nor closes bold, so
    the asterisks are printed as they are, on the web and in the PDF."""
    if "**" not in line or "`" in line:
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
        if "**" not in obj.body:
            continue
        for n, line in _body_lines(obj, "**"):
            if loose_bold(line):
                problems.append(Problem(obj.file, n, "加粗的星号 ** 没有紧贴文字，网页和 PDF 上会原样印出星号",
                                        "写成 **开展……。**（星号与文字之间不留空格，每对 ** 成对出现）",
                                        warning=True))
    return problems


HTML_COMMENT = re.compile(r"<!--")
MAX_NESTING = 8  # quote marks (>) and list levels on one line; real bulletins nest two or three


def nesting_depth(line: str) -> int:
    """Quote marks plus list/indent levels (4 spaces, a tab) in front of a Markdown line."""
    prefix = re.match(r"[ \t>]*", line).group().replace("\t", "    ")
    quotes = prefix.count(">")
    indent = prefix.rsplit(">", 1)[-1]
    return quotes + (len(indent) - (1 if quotes and indent else 0)) // 4


# A line nested deeper than MAX_NESTING has more marks, tabs and spaces than that in front of it
# (nesting_depth counts at most one level per character): lines with fewer need no count. Two
# expressions, not one with ^ and MULTILINE: a search for "\n" first runs many times faster.
DEEP_FIRST = re.compile(rf"[ \t>]{{{MAX_NESTING + 1}}}")
DEEP_NEXT = re.compile(rf"\n[ \t>]{{{MAX_NESTING + 1}}}")


def _preface_lines(issue) -> list[tuple[int, str]]:
    return [(issue.line_of("preface"), line) for line in issue.preface.split("\n")]


def hidden_or_deep_markup(content: Content) -> list[Problem]:
    """Errors for Markdown that cannot be published as meant: an HTML comment (<!-- 备注 -->) is
    shown as typed on every page, PDF and Word file, not hidden (raw HTML is never passed
    through), so a note meant for colleagues would go public; quotes or lists nested dozens of
    levels deep exceed what the Markdown and PDF engines can nest (a build failing with
    RecursionError)."""
    problems = []
    texts = [(obj, obj.body, _body_lines) for obj in [*content.stories, *content.commentaries, *content.notices]]
    texts += [(issue, issue.preface, _preface_lines) for issue in content.issues if issue.preface]
    for obj, text, lines_of in texts:
        if "<!--" not in text and not DEEP_FIRST.match(text) and not DEEP_NEXT.search(text):
            continue  # the usual text: one search in C instead of a Python step per line
        lines = lines_of(obj)
        comment = next((n for n, line in lines if HTML_COMMENT.search(line)), None)
        if comment is not None:
            problems.append(Problem(obj.file, comment, "正文里的 HTML 注释“<!-- … -->”不会被隐藏，会原样印在网页、PDF 和 Word 上",
                                    "删去这段注释；给同事的备注不要写进正文（可写在信息区 # 开头的注释行里）"))
        deep = next(((n, d) for n, line in lines if (d := nesting_depth(line)) > MAX_NESTING), None)
        if deep is not None:
            problems.append(Problem(obj.file, deep[0], f"引用（>）或列表嵌套了 {deep[1]} 层，超过 {MAX_NESTING} 层，无法排版",
                                    "减少嵌套：引用符号 > 和列表缩进一般不超过三层"))
    return problems
