"""`bulletin new story|issue|notice`: a new file from a template, with the right front matter.

Like `hugo new`: the file is created where the content format expects it, never over an existing
file, with every id checked against the content (close matches suggested). Nothing an editor wrote
is ever modified: when a story must be added to an issue's list, the exact line is printed.
"""
from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator.load import periods
from generator.load.center_names import named_hint
from generator.load.content import load_registry
from generator.load.models import ID_RE
from generator.load.yaml_source import LineDict, LineList, load_yaml_file
from generator.problems import EXIT_CODES_HELP, UsageError
from generator.publication import marked_published
from generator.validate import PLACEHOLDER  # text a template leaves for the editor to replace

TEMPLATES = Path(__file__).parent / "templates"
_PLAIN_YAML = re.compile(r"[^\s:{}\[\],#&*!|>'\"%@`\\?-][^\s:{}\[\],#&*!|>'\"%@`\\]*")
ISSUE_ID_RE = re.compile(r"^([a-z0-9][a-z0-9-]*)/([a-z0-9][a-z0-9-]*)$")


@dataclass(frozen=True)
class Known:
    """Ids an editor may refer to, read from the content as it is on disk."""

    issues: dict  # issue id → Issue model (or None when the file exists but cannot be read)
    centers: dict  # center id → Center model
    names: dict  # center name or alias → center id
    series: dict  # series id → Series model


def known_ids(root: Path) -> Known:
    content = load_registry(root)
    issues: dict = {p.relative_to(root / "bulletins").with_suffix("").as_posix(): None
                    for p in sorted((root / "bulletins").glob("*/*.yml"))}
    issues.update({i.id: i for i in content.issues})
    names = {name: c.id for c in content.centers for name in [c.name, c.short_name, *c.aliases]}
    return Known(issues, {c.id: c for c in content.centers}, names, {s.id: s for s in content.series})


def _close(word: str, choices) -> str:
    found = difflib.get_close_matches(word, sorted(choices), n=3, cutoff=0.5)
    return f"是不是：{'、'.join(found)}？" if found else ""


def _render(template: str, **values) -> str:
    # The output is YAML front matter, not HTML, so HTML autoescape would corrupt it. Values are
    # validated ids, numbers and dates; the one free text (a series' doc_prefix) arrives quoted.
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False)
    return env.get_template(template).render(**values)


def _yaml_scalar(text: str) -> str:
    """Plain when that is safe (what editors write by hand), else a JSON string, which YAML reads
    too: whatever a series says, the new file parses and says the same."""
    return text if _PLAIN_YAML.fullmatch(text) else json.dumps(text, ensure_ascii=False)


def _checked_slug(slug: str) -> str:
    if not ID_RE.match(slug):
        raise UsageError(f"文件名“{slug}”不合规：只能用小写英文字母、数字和连字符（如 pediatrics、yichang-nursing）")
    return slug


def _checked_issue(issue: str, known: Known) -> str:
    if issue in known.issues:
        return issue
    series = issue.split("/", 1)[0] + "/"
    same = [i for i in known.issues if i.startswith(series)] or known.issues  # never another series' issue
    hint = _close(issue, same) or "先用 bulletin new issue 系列编号/期文件名 新建这一期"
    shape = "" if ISSUE_ID_RE.match(issue) else "期的写法是 系列编号/期文件名，如 my-bulletin/2024-q3 或 my-bulletin/2025-07。"
    raise UsageError(f"没有这一期：“{issue}”。{shape}{hint}")


def _checked_center(center: str, known: Known, issue_id: str) -> str:
    if center in known.centers:
        return center
    if center in known.names:
        raise UsageError(f"“{center}”是名称，这里要写编号：{known.names[center]}")
    series = known.series.get(issue_id.split("/")[0])
    near = f"{series.publisher}{series.name}" if series else ""
    hint = (named_hint(center, list(known.centers.values()), near) or _close(center, known.centers)
            or "先在 content/centers/ 的名录里登记该中心")
    raise UsageError(f"没有编号为“{center}”的质控中心。{hint}")


def _refuse_existing(root: Path, *paths: Path) -> None:
    for path in paths:
        if path.exists():
            raise UsageError(f"{path.relative_to(root).as_posix()} 已存在，不会覆盖。"
                             "要新建请换一个文件名；要修改请直接编辑该文件。")


def _write(root: Path, path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as f:  # "x": never overwrite, even in a race
        f.write(text)
    print(f"已新建：{path.relative_to(root).as_posix()}")


def unlisted_stories(root: Path, issue_id: str, listed: list[str], slug: str) -> list[str]:
    """Stories of the issue created earlier (by `new story`) but not yet in its list, oldest
    first: the instruction printed now must keep them, whether or not the editor has yet done
    what the earlier commands said."""
    folder = root / "content" / "stories" / issue_id
    files = [p for p in folder.glob("*.md") if p.stem not in listed and p.stem != slug] if folder.is_dir() else []
    return [p.stem for p in sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.stem))]


def issue_line_to_add(root: Path, issue_id: str, slug: str) -> str:
    """The exact edit, relative to the issue file as it is now, that lists `slug` last in the
    issue's last section (printed, never applied). Several `new story` in a row, followed
    literally in order, keep every story in the order they were created."""
    rel = f"bulletins/{issue_id}.yml"
    generic = f"请在 {rel} 的 sections 的 stories 列表里加上 {slug}（列表顺序就是印刷顺序）。"
    data = load_yaml_file(root / rel, root).data
    sections = data.get("sections") if isinstance(data, LineDict) else None
    if not isinstance(sections, LineList) or not sections or not isinstance(sections[-1], LineDict):
        return generic
    listed = [str(s) for section in sections if isinstance(section, LineDict)
              for s in (section.get("stories") or []) if isinstance(section.get("stories"), LineList)]
    pending = unlisted_stories(root, issue_id, listed, slug)
    last = sections[-1]
    stories = last.get("stories")
    if isinstance(stories, LineList) and stories:
        n = stories.lines[-1]
    elif "stories" in last:
        n = last.lines["stories"]
    else:
        return generic
    line = (root / rel).read_text(encoding="utf-8-sig").splitlines()[n - 1]
    item = re.match(r"^(\s*)-\s*[a-z0-9-]+\s*(#.*)?$", line)  # block style: one slug per line
    if item:
        after = f"第 {n} 行（{line.strip()}）之后"
        if pending:  # added in the meantime by following earlier instructions: go below them
            after += f"，接在前面新建的 {'、'.join(pending)} 那{'几' if len(pending) > 1 else '一'}行之后"
        return (f"请在 {rel} {after}加一行：\n{item.group(1)}- {slug}\n"
                "（加在最后一节的末尾；要放到别处，把这一行移到相应位置：列表顺序就是印刷顺序。）")
    flow = re.match(r"^(.*\[)(.*?)(\]\s*(#.*)?)$", line)
    if flow:
        items = [i.strip() for i in flow.group(2).split(",") if i.strip()]
        items += [p for p in pending if p not in items] + [slug]  # a whole-line replacement keeps them all
        new = f"{flow.group(1)}{', '.join(items)}{flow.group(3)}"
        kept = f"（含前面新建、还没编入的 {'、'.join(pending)}）" if pending else ""
        return f"请把 {rel} 第 {n} 行改为{kept}：\n{new}\n（列表顺序就是印刷顺序。）"
    return generic


def published_later_edit(issue_id: str, issue, slug: str) -> str:
    """For an issue already published: the story stays in review (shown in the preview only)
    until it is published, so the issue must say it follows later, or `check` stops the build."""
    rel = f"bulletins/{issue_id}.yml"
    head = ("注意：这一期已经发布，新稿件现在是“审核中”（status: review），只在预览中显示。"
            "本期要写明它晚于本期公开，否则 bulletin check 会报错、预览只显示问题：")
    later = issue.published_later
    if later is None:
        return (f"{head}在 {rel} 末尾加上：\npublished_later:\n  stories: [{slug}]\n  pdf_will_change: true\n"
                "（pdf_will_change: true 表示同意：这篇公开后，本期网页和 PDF 会增加这一篇，页码随之变化。）")
    if slug in later.stories:
        return f"{head}{rel} 的 published_later 已经列了 {slug}。"
    return (f"{head}在 {rel} 的 published_later 的 stories 里加上 {slug}，"
            f"即 stories: [{', '.join([*later.stories, slug])}]。")


def period_end(issue_id: str, today: dt.date) -> dt.date:
    """For a story whose issue file cannot be read right now: the last day of the quarter its key
    names (2024-q3), else today kept inside the key's year (2025-07, 2025-zk1), else today."""
    key = issue_id.rpartition("/")[2]
    if (m := periods.KEY_QUARTER.match(key)) and 1 <= int(m.group(2)) <= 4:
        period = SimpleNamespace(year=int(m.group(1)), quarter=int(m.group(2)), month=None)
        return periods.date_range(period)[1]
    if (m := periods.KEY_YEAR.match(key)) and 1990 <= int(m.group(1)) <= 2100:
        return periods.clamp(today, SimpleNamespace(year=int(m.group(1)), quarter=None, month=None))
    return today


def new_story(args, root: Path, today: dt.date) -> None:
    known = known_ids(root)
    slug = _checked_slug(args.slug)
    issue_id = _checked_issue(args.issue, known)
    center = _checked_center(args.center, known, issue_id)
    story = root / "content" / "stories" / issue_id / f"{slug}.md"
    commentary = root / "content" / "commentary" / issue_id / f"{slug}.md"
    _refuse_existing(root, story, *([commentary] if args.commentary else []))
    issue = known.issues[issue_id]
    date = issue.date if issue else period_end(issue_id, today)  # the issue's, never the day it was typed
    _write(root, story, _render("story.md.j2", center=center, date=date, issue=issue_id))
    if args.commentary:
        _write(root, commentary, _render("commentary.md.j2", issue=issue_id, slug=slug))
    if issue is not None and slug in issue.slugs:
        print(f"{slug} 已在 bulletins/{issue_id}.yml 的稿件列表中。")
    else:
        print(issue_line_to_add(root, issue_id, slug))
    if issue is not None and marked_published(issue):
        print(published_later_edit(issue_id, issue, slug))
    print(f"把所有“{PLACEHOLDER}”换成正文后，运行 bulletin check 检查，bulletin serve 预览。")


def _issue_numbers(args, key: str, series, mine: list) -> dict:
    """year / quarter / month / number of a new issue: from the flags, else from its file name;
    a 第N期 the name does not give follows the series' previous issue of that year."""
    numbers = {"year": args.year, "quarter": args.quarter, "month": args.month, "number": args.number}
    found = periods.key_numbers(key, series.period_format, series.frequency)
    numbers = {k: v if v is not None else found.get(k) for k, v in numbers.items()}
    if numbers["year"] is None:
        raise UsageError(f"看不出“{key}”是哪一年的：期文件名以年份开头（如 2025-07），或加 --year 2025")
    if not 1990 <= numbers["year"] <= 2100 or (numbers["month"] or 1) not in range(1, 13) \
            or (numbers["quarter"] or 1) not in range(1, 5) or (numbers["number"] or 1) < 1:
        raise UsageError(f"“{key}”的写法不对：年份应为四位数，季度 1–4，月份 1–12，期号为正整数")
    count = periods.per_year(series.frequency)
    if count and (numbers["number"] or 0) > count and numbers["month"] is None and numbers["quarter"] is None:
        raise UsageError(f"系列“{series.id}”是{periods.FREQUENCY_CN[series.frequency]}，一年最多 {count} 期，"
                         f"“{key}”是第{numbers['number']}期；期文件名写成 {numbers['year']}-01 到 "
                         f"{numbers['year']}-{count:02d}")
    if numbers["number"] is None and not args.title and series.frequency \
            and periods.prints_number(series.period_format, series.frequency):
        same_year = [i.number for i in mine if i.year == numbers["year"] and i.number is not None]
        numbers["number"] = max(same_year, default=0) + 1
    return numbers


def new_issue(args, root: Path, today: dt.date) -> None:
    known = known_ids(root)
    match = ISSUE_ID_RE.match(args.issue)
    if not match:
        raise UsageError(f"“{args.issue}”的写法不对：写成 系列编号/期文件名，如 my-bulletin/2024-q4 或 my-bulletin/2025-07")
    series_id, key = match.group(1), match.group(2)
    series = known.series.get(series_id)
    if series is None:
        raise UsageError(f"没有编号为“{series_id}”的系列。{_close(series_id, known.series)}"
                         "系列在 content/series/ 下，每个系列一个 .yml 文件")
    if series.kind != "bulletin":
        raise UsageError(f"“{series_id}”是通报系列，不能新建简报；通报请用 bulletin new notice")
    path = root / "bulletins" / series_id / f"{key}.yml"
    _refuse_existing(root, path)
    mine = [i for i in known.issues.values() if i is not None and i.series == series_id]
    numbers = _issue_numbers(args, key, series, mine)
    issue = SimpleNamespace(**numbers, total_number=args.total_number, title=args.title)
    basis_text = ""
    if issue.total_number is None and not args.title:
        if series.frequency is None:  # as before frequencies: the running number goes on
            issue.total_number = max((i.total_number or 0 for i in mine), default=0) + 1 \
                if any(i.total_number for i in mine) else None
        else:
            issue.total_number, basis = periods.total_from(issue, mine, series.frequency)
            if basis is not None:
                basis_text = f"总期号由 bulletins/{basis.id}.yml 的总第{basis.total_number}期推算"
    title = args.title
    if not title and not periods.numbered(series.period_format, issue):
        title = f"{PLACEHOLDER}专刊标题"  # neither numbered nor titled: say what is missing
        issue.title = title
    _write(root, path, _render("issue.yml.j2", series=series_id, **numbers, total_number=issue.total_number,
                               title=_yaml_scalar(title) if title else None,
                               date=periods.clamp(today, issue, series.frequency)))
    said = "；".join(x for x in ("印发日期已按期次填写", basis_text) if x)
    print(f"期次：{periods.period_text(series.period_format, issue)}（{said}，请核对）")
    print(f"这一期是草稿（status: draft），不会公开。用 bulletin new story {args.issue} 文件名 质控中心编号 新建稿件。")


def new_notice(args, root: Path, today: dt.date) -> None:
    known = known_ids(root)
    series = known.series.get(args.series)
    if series is None or series.kind != "notice":
        notice_series = [s for s, v in known.series.items() if v.kind == "notice"]
        hint = _close(args.series, notice_series) or ("可用的通报系列：" + "、".join(notice_series) if notice_series else "")
        raise UsageError(f"没有编号为“{args.series}”的通报系列。{hint}")
    if not (1990 <= args.year <= 2100) or args.number < 1:
        raise UsageError("年份应为四位数（如 2025），文号应为正整数（如 15）")
    path = root / "content" / "notices" / args.series / f"{args.year}-{args.number}.md"
    _refuse_existing(root, path)
    prefix = _yaml_scalar(series.doc_prefix or f"{PLACEHOLDER}发文字号前缀")
    _write(root, path, _render("notice.md.j2", series=args.series, prefix=prefix, year=args.year,
                               number=args.number, date=today))
    print(f"把所有“{PLACEHOLDER}”换成正文后，运行 bulletin check 检查，bulletin serve 预览。")


def cmd_new(args) -> int:
    today = dt.date.today()
    {"story": new_story, "issue": new_issue, "notice": new_notice}[args.kind](args, args.root, today)
    return 0


def add_new_command(sub) -> None:
    """`bulletin new story|issue|notice …`."""
    n = sub.add_parser("new", help="从模板新建稿件、一期简报或通报（不会覆盖已有文件）",
                       description="从模板新建文件，信息区（front matter）已按格式填好；已有同名文件时拒绝，不会覆盖。",
                       epilog=EXIT_CODES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    kinds = n.add_subparsers(dest="kind", required=True, metavar="类型")
    def kind(name: str, help: str, description: str, example: str) -> argparse.ArgumentParser:
        parser = kinds.add_parser(name, help=help, description=description,
                                  epilog=f"例：{example}\n{EXIT_CODES_HELP}",
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
        parser.set_defaults(func=cmd_new)
        return parser

    s = kind("story", "新建一篇稿件（可同时新建点评）",
             "新建 content/stories/<期>/<文件名>.md；加 --commentary 同时新建 content/commentary/<期>/<文件名>.md。"
             "不会修改期文件：会打印要加到 sections 里的那一行。",
             "bulletin new story my-bulletin/2024-q3 pediatrics center-id --commentary")
    s.add_argument("issue", help="所属的期，如 my-bulletin/2024-q3")
    s.add_argument("slug", help="文件名（也是网址的一部分）：小写英文字母、数字、连字符，如 pediatrics")
    s.add_argument("center", help="供稿质控中心的编号（content/centers/ 中的 id），如 center-id")
    s.add_argument("--commentary", action="store_true", help="同时新建对应的点评文件")
    i = kind("issue", "新建一期简报（草稿）",
             "新建 bulletins/<系列>/<期文件名>.yml，状态为草稿（status: draft）。期文件名中的年份、季度（2024-q4）"
             "或期号（2025-07）会填进文件；其余用下面的选项给出。印发日期取今天，但不超出本期所属的时段。",
             "bulletin new issue my-bulletin/2024-q4\n    bulletin new issue my-bulletin/2025-07 --total-number 58\n"
             "    bulletin new issue my-bulletin/2025-zk1 --title “改善就医感受 提升患者体验”主题活动专刊")
    i.add_argument("issue", help="系列编号/期文件名，如 my-bulletin/2024-q4、my-bulletin/2025-07")
    for flag, what in [("year", "年份"), ("quarter", "季度（1–4）"), ("month", "月份（1–12）"), ("number", "年内期号（第N期）"),
                       ("total-number", "总期号（总第N期；默认接着本系列最大的总期号）")]:
        i.add_argument(f"--{flag}", type=int, default=None, help=what)
    i.add_argument("--title", default=None, help="专刊的标题（印在简报名称下面）")
    t = kind("notice", "新建一份通报", "新建 content/notices/<系列>/<年份>-<文号>.md，发文字号按系列的前缀填好。",
             "bulletin new notice my-notices 2025 15")
    t.add_argument("series", help="通报系列编号（content/series/ 下的文件名）")
    t.add_argument("year", type=int, help="发文年份，如 2025")
    t.add_argument("number", type=int, help="文号（不补零），如 15")
