"""Views → the JSON data the Typst templates print (one dict per document).

Everything an editor wrote travels as strings in this data; the templates set it as text and
never evaluate it. Markdown bodies become block trees (blocks.py), kept between runs in
build/cache/print-blocks.json (a changed story converts one body, not the archive's thousand).
"""
from __future__ import annotations

import itertools
import json
from functools import cache
from pathlib import Path

from generator.phrasing import label_phrases, phrases
from generator.print import blocks as blocks_module
from generator.print.blocks import html_blocks
from generator.render import markup
from generator.render.cache import TextCache, code_version
from generator.render.markup import to_html


def cn_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def block_cache(root: Path | None) -> TextCache:
    path = root / "build" / "cache" / "print-blocks.json" if root else None
    return TextCache(path, code_version(markup, blocks_module))


def markdown_blocks(text: str, cache: TextCache) -> list[dict]:
    return json.loads(cache.get(text, lambda t: json.dumps(html_blocks(to_html(t)), ensure_ascii=False)))


def with_images(tree: list[dict], image_src) -> list[dict]:
    """Figure sources resolved for this document (the cached tree holds the editor's address)."""
    out = []
    for block in tree:
        if block["t"] == "figure":
            block = {**block, "src": image_src(block.get("raw") or "")}
        elif block["t"] == "list":
            block = {**block, "items": [with_images(item, image_src) for item in block["items"]]}
        elif block["t"] == "quote":
            block = {**block, "blocks": with_images(block["blocks"], image_src)}
        out.append(block)
    return out


@cache
def _resolved(root: Path) -> Path:
    return root.resolve()  # once per project, not once per story


def image_resolver(root: Path, images: list):
    """An image address → the root-relative path Typst may read ("/content/…"), or None (caption
    only). Only the files the load stage verified for this body (load/images.py) are known."""
    top = _resolved(root)
    known = {image.src: image.path for image in images if image.path.is_relative_to(top)}

    def resolve(src: str) -> str | None:
        path = known.get(src)
        return "/" + path.relative_to(top).as_posix() if path else None

    return resolve


# Phrase ends in a title without spaces: after these words, and before these. Generic words of
# Chinese official titles, nothing of one province.
_TITLE_AFTER = ("关于", "年度", "）", "》", "，")
_TITLE_BEFORE = ("医疗质量控制中心", "评估结果", "工作评估", "有关情况", "的通报", "的通知")


def title_phrases(title: str) -> list[str]:
    cuts = set()
    for word in _TITLE_AFTER:
        at = title.find(word)
        while at >= 0:
            cuts.add(at + len(word))
            at = title.find(word, at + len(word))
    for word in _TITLE_BEFORE:
        at = title.find(word)
        while at >= 0:
            cuts.add(at)
            at = title.find(word, at + 1)
    bounds = [0, *sorted(c for c in cuts if 3 <= c <= len(title) - 3), len(title)]
    return [title[a:b] for a, b in itertools.pairwise(bounds) if b > a]


def title_parts(title: str, lines: list[str] | None = None) -> dict:
    """How a title may break: the editor's `title_lines` (breaks exactly there), else between its
    space-separated phrases (a couplet breaks at its space), else between the phrases
    `title_phrases` finds. A phrase of one or two characters joins its neighbour: no title line
    that short."""
    if lines:
        return {"lines": [line.strip() for line in lines if line.strip()]}
    sep = " " if len(title.split()) > 1 else ""
    parts = title.split() if sep else title_phrases(title)
    merged: list[str] = []
    for part in parts:
        if merged and (len(part) <= 2 or len(merged[-1]) <= 2):
            merged[-1] = f"{merged[-1]}{sep}{part}"
        else:
            merged.append(part)
    return {"parts": merged, "sep": sep}


# --- the bulletin ------------------------------------------------------------------------------

def closing_data(c, root: Path | None = None) -> dict:
    """报尾 with the series' labels (报 / 送 / 分送, 投稿地址 / 电话 / 邮箱 by default); the 公众号's
    QR image (`wechat_qr`, verified by the load stage) as the root-relative path Typst reads."""
    qr = c.wechat_qr_file
    top = root.resolve() if root else None
    src = "/" + qr.path.relative_to(top).as_posix() if qr and top and qr.path.is_relative_to(top) else None
    return {"wechat": c.wechat or "", **({"wechat_qr": src} if src else {}), "lines": [{"label": label, "text": text} for label, text in c.lines()],
            "contact": [f"{label}{value}" for label, value in c.contact()]}


ISSUE_STATS_CAPTION = "本期各质控中心工作量（只计供稿中心本身）"


def issue_statistics(issue, table, chart, root: Path) -> dict | None:
    """本期统计 for print, when the series asks for it (`print_statistics`): the chart's SVG (a
    root-relative path Typst reads) and the table's text, the same rows as the web table."""
    if table is None or not issue.series.print_statistics:
        return None
    src = "/" + chart.print_svg().resolve().relative_to(root.resolve()).as_posix() if chart is not None else None
    rows = table.text_rows()
    return {"chart": src, "alt": chart.alt if chart else "", "caption": ISSUE_STATS_CAPTION,
            "rows": [[label_phrases(c) for c in r] for r in rows], "columns": stats_columns(rows), "note": table.note}


STATS_EMS = 156 / (12 * 25.4 / 72)  # the text block's width in ems of the table's 12 pt


def stats_columns(rows: list[list[str]]) -> list[float]:
    """Widths (ems) of the 本期统计 columns: a figure column as wide as its head's longest phrase
    ("涉及医疗机构", the unit "（个）" below it) or its numbers, the centers' names the rest (at
    least 40 %): heads and names then break between words, not inside one."""
    figures = [max(max(len(p) for p in label_phrases(head)), *(len(r[j]) * 0.6 for r in rows[1:])) + 0.8
               for j, head in enumerate(rows[0]) if j]
    return [round(max(STATS_EMS * 0.4, STATS_EMS - sum(figures)), 2), *figures]


def bulletin_data(issue, root: Path, cache: TextCache, stats: dict | None = None) -> dict:
    sections = []
    for section in issue.sections:
        stories = []
        for s in section.stories:
            stories.append({
                "id": f"s{s.number}",
                "number": s.number,
                "byline": f"{s.center.name}——",
                "title": s.title,
                "title_break": title_parts(s.title, getattr(s.story, "title_lines", None)),
                "body": with_images(markdown_blocks(s.story.body, cache), image_resolver(root, getattr(s.story, "images", []))),
                "commentary": markdown_blocks(s.commentary.body, cache) if s.commentary else None,
            })
        sections.append({"title": section.title or "", "stories": stories})
    count = sum(len(s["stories"]) for s in sections)
    preface = [p.strip() for p in (issue.issue.preface or "").strip().split("\n\n") if p.strip()]
    return {
        "kind": "bulletin",
        "title": issue.title,
        "author": issue.series.publisher,
        "name": issue.series.name,
        "period": issue.masthead_period,  # （2024年第3季度）; "" when a 专刊's title stands for it
        "special": issue.special_title,  # a 专刊's own title, under the name
        "publisher": issue.series.publisher,
        "date": cn_date(issue.issue.date),
        "preface": ["".join(p.split("\n")) for p in preface],  # YAML folded lines join without spaces
        "toc": count >= issue.series.toc_min_stories,
        "sections": sections,
        "closing": closing_data(issue.closing, root),
        "stats": stats,
    }


# --- the notice ----

_WIDE = ("质控中心", "挂靠单位")  # columns of names, which share the free width
_EMS = {"序号": 2, "得分": 3, "排名": 2, "评估结果": 4}  # ems of the narrow columns' content


def _longest(rows, column: str) -> int:
    return max((len(r.cell(column)) for r in rows), default=4)


def annex_size(rows, head=("序号", "质控中心", "评估结果", "挂靠单位")) -> float:
    """Point size at which the longest center name and host fit their columns on one line:
    小四 (12 pt) at most, 五号 (10.5 pt) at least (then long names break between phrases)."""
    ems = sum(_longest(rows, c) if c in _WIDE else _EMS[c] for c in head) + 0.875 * len(head)  # + 4 pt insets
    return round(min(12.0, max(10.5, 442 / ems)), 1)


def annex_columns(rows, head=("序号", "质控中心", "评估结果", "挂靠单位")) -> list:
    """Column widths: 序号, 得分, 排名 and 评估结果 as wide as their content, 质控中心 and 挂靠单位
    shared by their longest entries, so that a center name or "第一附属医院" stays on one line."""
    return [max(_longest(rows, c), 4) if c in _WIDE else "auto" for c in head]


# --- ----------------------------------------------------------------------------

def notice_data(n, cache: TextCache | None = None) -> dict:
    attachments = list(n.attachments or [])
    annex = None
    if n.annex:
        annex = {
            "label": "附件1" if len(attachments) > 1 else "附件",
            "title": attachments[0] if attachments else "",
            "title_break": title_parts(attachments[0] if attachments else ""),
            "head": n.annex_columns,  # the notice's choice from 序号 质控中心 得分 排名 评估结果 挂靠单位
            "columns": annex_columns(n.annex, n.annex_columns),
            "left": [i for i, c in enumerate(n.annex_columns) if c in _WIDE],
            "size": annex_size(n.annex, n.annex_columns),
            "rows": [[phrases(r.cell(c)) if c in _WIDE else [r.cell(c)] for c in n.annex_columns] for r in n.annex],
        }
    note = (n.note or "").strip()
    if note and not note.startswith("（"):
        note = f"（{note}）"
    return {
        "kind": "notice",
        "title": n.title,
        "author": n.signer,
        "title_break": title_parts(n.title, n.title_lines),
        "issuer_mark": list(n.issuer_mark),
        "doc_number": n.doc_number,
        "addressees": f"{n.addressees}：" if n.addressees else "",
        "body": markdown_blocks(n.body, cache) if cache else html_blocks(to_html(n.body)),
        "attachments": attachments,
        "signer": n.signer,
        "date": cn_date(n.date),
        "sealed": bool(n.sealed),
        "note": note,
        "annex": annex,
        "imprint": {"copy_to": n.copy_to or "", "printer": n.printer or "", "print_date": cn_date(n.print_date)},
    }
