"""Import one past evaluation notice: the notice file (headings kept) and its evaluation round
(annex rows → results with center ids and grades), then the report."""
from __future__ import annotations

import re
from pathlib import Path

from generator.problems import UsageError

from .centers import UNSURE, CenterMatcher
from .notice import ParsedNotice, grade_groups, parse_notice, read_scheme
from .readers import read_document
from .report import Report
from .write import Written, scalar

HISTORY = re.compile(r"[^。]*(连续\s*\d+\s*年[^。]*不合格|\d+\s*次不合格)[^。]*。")


def import_notice(root: Path, source: Path, series, content) -> Report:
    report = Report(f"导入通报 {source.name}")
    parsed = parse_notice(read_document(source, report))
    if parsed.doc_number is None:
        raise UsageError(f"{source.name} 里没有找到发文字号（如 某卫办发〔2025〕15号），认不出是一份通报，什么也没有写")
    prefix, year, number = parsed.doc_number
    notice_rel = f"content/notices/{series.id}/{year}-{number}.md"
    if (root / notice_rel).exists():
        raise UsageError(f"{notice_rel} 已存在，导入不会覆盖已有文件")
    report.title = f"导入通报 {source.name} → {notice_rel}"
    matcher = CenterMatcher(content.centers)
    if series.doc_prefix and prefix != series.doc_prefix:
        report.note("", f"发文字号前缀“{prefix}”与系列 {series.id} 的“{series.doc_prefix}”不同，请核对")
    if parsed.date is None:
        report.note("", "没有找到成文日期（如 2025年8月25日）：通报文件里 date 暂缺，请补上")
    round_year = _round_year(parsed)
    written = Written(root)
    results = _results(parsed, matcher, report)
    if results and round_year:
        round_rel = f"content/evaluations/{series.id}/{round_year}.yml"
        if not written.create(round_rel, round_text(parsed, results, round_year, f"{prefix}〔{year}〕{number}号")):
            report.note("", f"{round_rel} 已存在，评估结果没有写入；请对照附件核对这个文件")
        _check_grade_sentence(parsed, results, matcher, report)
    elif parsed.rows and not round_year:
        report.note("", "看不出评估年度（如“2024 年度”），评估结果没有写入")
    written.create(notice_rel, notice_text(parsed, series, round_year if results else None))
    for sentence in HISTORY.finditer("\n".join(parsed.body)):
        report.note("", f"历年情况没有自动写成文件（写法见 docs/CONTENT.md 的 partial 轮次与 facts.yml）：{sentence.group(0)[:90]}")
    for u in parsed.unplaced:
        report.unplaced(u.where, u.text, u.why)
    report.finish(written, parsed.dropped)
    report.summary = f"附件 {len(parsed.rows)} 行评估结果，其中 {sum(1 for r in results if r[0])} 行认出了质控中心。" + report.summary
    return report


def _round_year(parsed: ParsedNotice) -> int | None:
    for text in [parsed.annex_title, *parsed.attachments, parsed.title]:
        if m := re.search(r"(\d{4})\s*年度", text or ""):
            return int(m.group(1))
    return None


def _results(parsed: ParsedNotice, matcher: CenterMatcher, report: Report) -> list[tuple[str | None, object]]:
    region = "".join(parsed.issuer_mark)
    out = []
    for row in parsed.rows:
        m = matcher.match(row.name, region)
        out.append((m.center, row))
        if not m.sure:
            cands = "、".join(matcher.label(c) for c in m.candidates) or "无（请先在 content/centers/ 登记）"
            report.pending_item(row.where, f"附件第 {row.number} 行“{row.name}”：质控中心{UNSURE}，候选：{cands}")
    return out


def round_text(parsed: ParsedNotice, results, year: int, source: str) -> str:
    found = read_scheme("\n".join(parsed.body), parsed.doc_number[1] if parsed.doc_number else None)
    lines = [f"# 导入自 {source}《{parsed.title}》附件，status 见通报文件；请核对后再公开", f"year: {year}", "partial: false"]
    scheme = found.get("scheme", {})
    lines.append("scheme:")
    if scheme.get("areas"):
        lines.append("  areas:")
        lines += [f"    - {scalar(a)}" for a in scheme["areas"]]
    for key in ("total_max", "bonus_max"):
        if key in scheme:
            lines.append(f"  {key}: {scheme[key]}")
    if scheme.get("tiers"):
        lines.append("  tiers:")
        for t in scheme["tiers"]:
            share = f"top: {t['top']}" if "top" in t else f"bottom: {t['bottom']}"
            lines.append(f"    - {{grade: {scalar(t['grade'])}, {share}}}")
    else:
        lines.append(f"  tiers: []   # {UNSURE}正文里没有认出等次规则（如“成绩前 10%为优秀”），请按通报补上")
    if scheme.get("rest"):
        lines.append(f"  rest: {scalar(scheme['rest'])}")
    lines.append(f"evaluated: {len(results)}")
    if ex := found.get("excluded"):
        lines.append(f"excluded: {{count: {ex['count']}, reason: {scalar(ex['reason'])}}}")
    lines.append("results:")
    for cid, row in results:
        value = f"total: {row.total}" if row.total and not row.grade else f"grade: {scalar(row.grade)}"
        if row.total and row.grade:
            value = f"total: {row.total}, grade: {scalar(row.grade)}"
        lines.append(f"  - {{center: {scalar(cid or UNSURE)}, {value}}}   # {row.number} {row.name}")
    if rect := found.get("rectification"):
        lines.append("rectification:")
        lines.append(f"  applies_to: {scalar(rect['applies_to'])}")
        for key in ("report", "due_text", "due", "to"):
            if key in rect:
                lines.append(f"  {key}: {rect[key] if key == 'due' else scalar(rect[key])}")
    lines.append(f"source: {scalar(source)}")
    return "\n".join(lines) + "\n"


def notice_text(parsed: ParsedNotice, series, round_year: int | None) -> str:
    prefix, year, number = parsed.doc_number
    date = "-".join(f"{n:02d}" if i else str(n) for i, n in enumerate(parsed.date)) if parsed.date else None
    head = ["---", f"series: {scalar(series.id)}",
            f"doc_number: {{prefix: {scalar(prefix)}, year: {year}, number: {number}}}"]
    fields = [("title", parsed.title), ("addressees", parsed.addressees or None)]
    head += [f"{k}: {scalar(v)}" for k, v in fields if v]
    if date:
        head.append(f"date: {date}")
    for key, value in [("signer", parsed.signer), ("note", parsed.note)]:
        if value:
            head.append(f"{key}: {scalar(value)}")
    if round_year:
        head.append(f"evaluation: {series.id}/{round_year}")
    if parsed.attachments:
        head.append("attachments:")
        head += [f"  - {scalar(a)}" for a in parsed.attachments]
    head += ["status: review", "---"]
    return "\n".join(head) + "\n\n" + "\n\n".join(parsed.body) + "\n"


def _check_grade_sentence(parsed: ParsedNotice, results, matcher: CenterMatcher, report: Report) -> None:
    """The body's grade sentence becomes {{ 评估结果 }} (built from the round); say so when the
    source's sentence named other centers than the annex, so no disagreement goes unnoticed."""
    if not parsed.grade_sentence:
        if results:
            report.note("", "正文里没有认出等次句（“其中，……质控中心为优秀；……（详见附件）。”）：需要时在正文写 {{ 评估结果 }}")
        return
    by_grade: dict[str, list[str]] = {}
    for cid, row in results:
        short = matcher.centers[cid].short_name if cid else row.name
        by_grade.setdefault(row.grade, []).append(short)
    def same(a: list[str], b: list[str]) -> bool:  # "核医学专业质控中心": 专业 belongs to either side
        return [n.removesuffix("专业") for n in a] == [n.removesuffix("专业") for n in b]

    for grade, names in grade_groups(parsed.grade_sentence).items():
        if not same(names, by_grade.get(grade, [])):
            report.note("", f"正文等次句中“{grade}”的名单（{'、'.join(names)}）与附件（{'、'.join(by_grade.get(grade, []))}）不一致；"
                            "导入后的句子按附件生成，请核对")
