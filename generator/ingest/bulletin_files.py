"""Import one past bulletin issue: read → recognise → match centers → write files → report."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.problems import UsageError

from .bulletin import ParsedBulletin, assign_centers, parse_bulletin
from .bulletin_numbers import date_outside, issue_numbers
from .centers import UNSURE, CenterMatcher
from .readers import TEXT, read_document
from .report import Report
from .slugs import province_codes, story_slug
from .write import Written, block_scalar, free_slug, front_matter, scalar


def import_bulletin(root: Path, source: Path, series, key: str, content) -> Report:
    issue_id = f"{series.id}/{key}"
    issue_rel = f"bulletins/{series.id}/{key}.yml"
    if (root / issue_rel).exists():
        raise UsageError(f"{issue_rel} 已存在，导入不会覆盖已有文件；请换一个期号，或先把这个文件移走")
    if any(s.issue == issue_id for s in content.stories):
        raise UsageError(f"已有稿件属于 {issue_id}；导入不会和已有稿件混在一起，请换一个期号")
    report = Report(f"导入简报 {source.name} → {issue_id}")
    parsed = parse_bulletin(read_document(source, report), series.name)
    if not parsed.articles:
        raise UsageError(f"{source.name} 里没有认出任何稿件标题，什么也没有写。{_headline_hint(source)}")
    matcher = CenterMatcher(content.centers)
    assign_centers(parsed, matcher, series.publisher)

    fields = issue_numbers(key, series, parsed, report, issue_rel)
    date = _issue_date(parsed, report)
    if (outside := date_outside(fields, series, date)):
        report.note("", outside)
    codes = province_codes(content.centers)
    written = Written(root)
    taken: set[str] = set()
    slugs: list[str] = []
    story_dir, comment_dir = f"content/stories/{issue_id}", f"content/commentary/{issue_id}"
    for index, art in enumerate(parsed.articles, 1):
        wanted = story_slug(art.center, art.headline, matcher.centers, codes)
        slug = free_slug(root, [story_dir, comment_dir], wanted, taken)
        slugs.append(slug)
        written.create(f"{story_dir}/{slug}.md", story_text(art, issue_id, date, matcher))
        report.story(index, art, slug, matcher)
        if art.commentary:
            written.create(f"{comment_dir}/{slug}.md", commentary_text(issue_id, slug, art, series))
        else:
            report.note(art.where, f"第 {index} 篇“{art.headline}”没有找到点评（点评可以以后再写）")
    written.create(issue_rel, issue_text(series.id, fields, parsed, date, slugs))
    _closing(parsed, series, report)
    for u in parsed.unplaced:
        report.unplaced(u.where, u.text, u.why)
    report.finish(written, parsed.dropped, len(parsed.articles),
                  sum(1 for a in parsed.articles if a.commentary))
    return report


def _headline_hint(source: Path) -> str:
    if source.suffix.lower() in TEXT:  # a text file has no bold or centring to ask for
        return ("文本文件里每篇标题单独占一行，前后各空一行，末尾不加句号等标点；"
                "写在署名行（如“某某质量控制中心——”）的下一行、按语或上一篇点评之后，"
                "或写成中间空一格的两句（如“强化质控基本功 筑牢质量安全关”）")
    return "标题应单独成行，加粗居中或用 Word 的标题样式"


def _issue_date(parsed: ParsedBulletin, report: Report) -> dt.date:
    if parsed.date:
        try:
            return dt.date(*parsed.date)
        except ValueError:
            pass
    today = dt.date.today()
    report.note("", f"报头里没有找到印发日期，暂写今天 {today.isoformat()}；请在期刊和各稿件文件中改正 date")
    return today


def story_text(art, issue_id: str, date: dt.date, matcher: CenterMatcher) -> str:
    comments = {}
    if not art.center:  # the candidates go where check reads them; the comment says why
        cands = "、".join(matcher.label(c) for c in art.candidates) or "无（请先在 content/centers/ 登记）"
        comments["center"] = f"{UNSURE}{art.center_reason}。候选：{cands}" + (f"；原文署名：{art.byline}" if art.byline else "")
    elif art.inferred:
        comments["center"] = f"推断：{art.center_reason}，请核对"
    head = front_matter([("title", art.headline), ("center", art.center or UNSURE),
                         ("center_candidates", [] if art.center else art.candidates), ("partners", art.partners),
                         ("date", date), ("issue", issue_id), ("status", "review")], comments)
    return head + "\n" + "\n\n".join(art.paragraphs) + "\n"


def commentary_text(issue_id: str, slug: str, art, series) -> str:
    # 点评 are written by the office that publishes the bulletin (author is kept, not printed)
    head = front_matter([("story", f"{issue_id}/{slug}"), ("author", series.publisher), ("status", "review")])
    return head + "\n" + "\n\n".join(art.commentary) + "\n"


def issue_text(series_id: str, fields: dict, parsed: ParsedBulletin, date: dt.date, slugs: list[str]) -> str:
    lines = [f"series: {scalar(series_id)}"]
    lines += [f"{k}: {v}" for k, v in fields.items()]  # year, quarter/month/number, total_number
    lines.append(f"date: {date.isoformat()}")
    if parsed.preface:
        preface = "\n\n".join(parsed.preface)
        lines.append(f"preface: {block_scalar(preface)}")
    lines.append("sections:")
    lines.append("  - stories:")
    lines += [f"      - {slug}" for slug in slugs]
    lines.append("closing: {}")
    lines.append("status: review")
    return "\n".join(lines) + "\n"


def _closing(parsed: ParsedBulletin, series, report: Report) -> None:
    if not parsed.closing:
        return
    where = f"content/series/{series.id}.yml 的 closing" if series.closing.report_to or series.closing.distribute_to \
        else f"content/series/{series.id}.yml（还没有报尾设置）"
    report.unplaced("", " / ".join(parsed.closing), f"报尾没有导入：印刷时用 {where}；这一期的报尾与系列的不同时，把不同之处写在期文件的 closing 下")
