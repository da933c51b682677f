"""`--merge`: a score sheet's scores added to the round file that exists (often written by a
notice import with grades only), as an edit of its text so that its comments, order and every
other field stay as the editor left them.

A result the sheet names gets `scores`, `bonus` and `total` (one line `- {center: …}` gets them
inside its braces; a block result gets lines under its `center:`); a result that already has other
scores is left alone and reported; sheet rows for centers the round does not list are added at the
end of `results`. The edited text is parsed again and compared with what was meant before the file
is replaced (atomically); if they differ, nothing is changed.
"""
from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import yaml

from generator.load.evaluations import read_round
from generator.load.fields import line_at
from generator.problems import UsageError
from generator.publication import marked_published

from .round_lines import Placed, SchemeSource, result_fields, result_line

FLOW_ITEM = re.compile(r"^(?P<head>\s*-\s*\{[^#]*?)\s*\}(?P<tail>\s*(#.*)?)$")
ITEM_PREFIX = re.compile(r"^(\s*-\s*)")
EMPTY_RESULTS = re.compile(r"^results:\s*\[\s*\]\s*(#.*)?$")


def merge_scores(root: Path, rel: str, placed: list[Placed], scheme: SchemeSource, report, matcher) -> None:
    path = root / rel
    _rnd, src, f = read_round(path, root)
    if f is None:
        raise UsageError(f"{rel} 有错误，不能合并；先运行 bulletin check 改正它")
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    newline = "\r\n" if b"\r\n" in raw else "\n"
    lines = raw.decode("utf-8-sig").replace("\r\n", "\n").split("\n")
    report.modified = rel
    index = {}
    for i, r in enumerate(f.results):
        index.setdefault(r.center, i)
    edits: dict[int, tuple[str, list[str]]] = {}  # line number → (new line, lines inserted after it)
    added: list[str] = []
    expect: dict[int, dict] = {}
    for p in placed:
        fields = result_fields(p.row)
        i = index.get(p.center) if p.center else None
        if i is None:
            added.append(p)
            continue
        r = f.results[i]
        who = f"{p.row.where} → {matcher.label(p.center)}"
        if r.scores is not None or r.bonus is not None or r.total is not None:
            if _same(r, p):
                report.changes.append(f"{who}：已有相同的分数，没有改动")
            else:
                report.pending.append(f"{who}：{rel} 里这个中心已有不同的分数，没有改动；请对照评分表核对")
            continue
        edits[i] = _edit(lines, src.data, i, fields)
        expect[i] = {"scores", "bonus", "total"} & {part.split(":")[0] for part in fields}
        report.changes.append(f"{who}：加上 {'、'.join(part.split(':')[0] for part in fields)}"
                              f"（{'；'.join(fields)}）")
    for i, (line, after) in sorted(edits.items(), key=lambda item: -_item_line(src.data, item[0])):
        at = line_at(src.data, ("results", i, "center")) - 1
        lines[at:at + 1] = [line, *after]
    if added:
        lines = _append(lines, src.data, [result_line(p, matcher, _prefix(lines, src.data)) for p in added])
        for p in added:
            what = "名录中没有对上的中心" if p.center is None else f"{matcher.label(p.center)} 原来不在结果中"
            report.changes.append(f"{p.row.where}“{p.row.name}”：{what}，在 results 末尾新增一行")
    missing = [r.center for r in f.results if r.center not in {p.center for p in placed}]
    if missing:
        report.note("", f"{rel} 里有 {len(missing)} 个中心在评分表中没有分数（保持原样）：" + "、".join(missing))
    if f.scheme is None:
        lines = [*_strip_end(lines), scheme.text, ""]
        report.changes.append(f"{rel} 原来没有评分方案：在文件末尾加上 {scheme.year} 年度的 scheme")
    if marked_published(f):  # the written status: the scores go public with it
        report.note("", f"{rel} 的 status 是 published：加上的分数会随它公开；公开前请审核，需要时先改成 status: review")
    text = "\n".join(lines)
    _verify(text, f, expect, len(added), rel)
    data = ("\ufeff" if bom else "") + text.replace("\n", newline)
    tmp = path.with_name(f".{path.name}.merge")
    tmp.write_bytes(data.encode("utf-8"))
    os.replace(tmp, path)


def _same(r, p: Placed) -> bool:
    scores = {k: Decimal(v) for k, v in (r.scores or {}).items()}
    return scores == p.row.scores and r.bonus == p.row.bonus and r.total == p.row.total


def _item_line(data, i: int) -> int:
    return line_at(data, ("results", i, "center"))


def _edit(lines: list[str], data, i: int, fields: list[str]) -> tuple[str, list[str]]:
    at = _item_line(data, i)
    line = lines[at - 1]
    same_line = line_at(data, ("results", i)) == at
    nxt = line_at(data, ("results", i + 1)) if i + 1 < len(data["results"]) else None
    m = FLOW_ITEM.match(line)
    if same_line and m and (nxt is None or nxt > at) and "{" in line.split("center")[0]:
        return f"{m.group('head')}, {', '.join(fields)}}}{m.group('tail')}", []
    indent = " " * line.index("center")
    return line, [f"{indent}{part}" for part in fields]


def _prefix(lines: list[str], data) -> str:
    results = data.get("results") or []
    if results:
        m = ITEM_PREFIX.match(lines[line_at(data, ("results", len(results) - 1)) - 1])
        if m:
            return m.group(1)
    return "  - "


def _strip_end(lines: list[str]) -> list[str]:
    out = list(lines)
    while out and not out[-1].strip():
        out.pop()
    return out


def _append(lines: list[str], data, items: list[str]) -> list[str]:
    if "results" not in data:
        return [*_strip_end(lines), "results:", *items, ""]
    start = data.lines["results"]
    if EMPTY_RESULTS.match(lines[start - 1]):
        lines = list(lines)
        lines[start - 1] = "results:"
    later = [n for n in data.lines.values() if n > start]
    if not later:
        return [*_strip_end(lines), *items, ""]
    at = min(later) - 1  # index of the next key's line
    while at > start and (not lines[at - 1].strip() or lines[at - 1].startswith("#")):
        at -= 1  # margin comments and blank lines before the next key stay with it
    return [*lines[:at], *items, *lines[at:]]


def _verify(text: str, f, expect: dict[int, set[str]], added: int, rel: str) -> None:
    try:
        data = yaml.safe_load(text)
        results = data["results"]
        ok = len(results) == len(f.results) + added and all(
            results[i]["center"] == f.results[i].center and keys <= set(results[i]) for i, keys in expect.items())
        ok = ok and all(k in data for k in f.model_fields_set)
    except (yaml.YAMLError, KeyError, TypeError, IndexError):
        ok = False
    if not ok:
        raise UsageError(f"{rel} 的写法没法自动合并，没有改动；请把评分表另导入一个空年度（不加 --merge）后手工抄过去")
