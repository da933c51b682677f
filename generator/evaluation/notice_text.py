"""The generated parts of an evaluation notice, which must agree with its annex.

Pure, like `grading.py`: from a round's final grades and the center registry, the annex rows
(`annex_rows`), the body's grade sentence (`grade_sentence`), its totals sentence from the results'
figures (`workload_values`: `{{ 工作量 }}`), and the `{{ 名称 }}` placeholders
in a notice body (`notice_values`, `filled_text`).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.evaluation.grading import Finding, Round, final_grades, grades_from_scores
from generator.problems import Problem as EditorProblem

# ---------------------------------------------------------------- annex and grade sentence


def _entry(registry: Mapping[str, Any], center: str, attr: str) -> str | None:
    entry = registry.get(center)  # None: not registered (a check error; the id stands in its place)
    if entry is None:
        return None
    if isinstance(entry, str):
        return entry if attr == "short_name" else None
    if isinstance(entry, Mapping):
        return entry.get(attr)
    return getattr(entry, attr, None)


@dataclass(frozen=True)
class AnnexRow:
    number: int  # 序号
    name: str  # 质控中心
    grade: str  # 评估结果
    host: str  # 挂靠单位 ("" when not published)
    center: str = ""  # registry id, for links
    score: str = ""  # 得分: the total, when the round has scores
    rank: int | None = None  # 排名: competition rank, when the round has scores

    def cell(self, column: str) -> str:
        """The text of one annex column (ANNEX_COLUMNS)."""
        return {"序号": str(self.number), "质控中心": self.name, "得分": self.score,
                "排名": "" if self.rank is None else str(self.rank), "评估结果": self.grade,
                "挂靠单位": self.host}[column]


# The columns a notice may publish in its annex, and the default (what most commissions print).
ANNEX_COLUMNS = ("序号", "质控中心", "得分", "排名", "评估结果", "挂靠单位")
DEFAULT_ANNEX_COLUMNS = ("序号", "质控中心", "评估结果", "挂靠单位")


_WIDTH = {"序号": 9, "质控中心": 47, "得分": 11, "排名": 9, "评估结果": 13, "挂靠单位": 31}


def column_widths(columns) -> list[float]:
    """Shares of the text width for the chosen annex columns (the default four: 9/47/13/31 %)."""
    total = sum(_WIDTH[c] for c in columns)
    return [_WIDTH[c] / total for c in columns]


def has_scores(rnd: Round) -> bool:
    return rnd.scheme is not None and not rnd.partial and bool(rnd.results) and all(r.has_scores for r in rnd.results)


def annex_rows(rnd: Round, registry: Mapping[str, Any]) -> list[AnnexRow]:
    """The annex table in annex order: every column a notice may choose (序号, 质控中心, 得分,
    排名, 评估结果, 挂靠单位); 得分 and 排名 are empty when only grades were published."""
    scored = {g.center: g for g in grades_from_scores(rnd.scheme, rnd.results)} if has_scores(rnd) else {}
    return [
        AnnexRow(i, _entry(registry, c, "name") or c, g, _entry(registry, c, "host") or "", c,
                 f"{scored[c].total.normalize():f}" if c in scored else "", scored[c].rank if c in scored else None)
        for i, (c, g) in enumerate(final_grades(rnd).items(), start=1)
    ]


def grade_sentence(rnd: Round, registry: Mapping[str, Any]) -> str:
    """The body's grade sentence, generated from the same data as the annex.

    "其中，A、B质控中心为优秀；C质控中心为良好；D质控中心为不合格；其余为合格（详见附件）。"
    Groups follow the scheme's grade order (best first) with the `rest` grade last as "其余为…";
    names are short names in annex order; empty groups are left out. When every center has the
    rest grade: "参评质控中心均为合格（详见附件）。" The leading "其中，" belongs to the sentence
    (it is left out in that case), so the body text ends the previous sentence with "。".
    """
    if rnd.partial or rnd.scheme is None:
        raise ValueError(f"round {rnd.year} is partial or has no scheme: no grade sentence")
    grades = final_grades(rnd)
    if not grades:
        raise ValueError(f"round {rnd.year} has no results")
    scheme = rnd.scheme
    groups = []
    for grade in scheme.grade_order():
        if grade == scheme.rest:
            continue
        names = [_entry(registry, c, "short_name") or c for c, g in grades.items() if g == grade]
        if names:
            groups.append(f"{'、'.join(names)}质控中心为{grade}")
    has_rest = any(g == scheme.rest for g in grades.values())
    if not groups:
        return f"参评质控中心均为{scheme.rest}（详见附件）。"
    sentence = "其中，" + "；".join(groups)
    if has_rest:
        sentence += f"；其余为{scheme.rest}"
    return sentence + "（详见附件）。"


# ---------------------------------------------------------------- placeholders in a notice body

PLACEHOLDER_RE = re.compile(r"\{\{\s*([^{}\n]*?)\s*\}\}")
GRADE_SENTENCE = "评估结果"
WORKLOAD = "工作量"  # {{ 工作量 }}: the totals sentence; {{ 工作量.名称 }}: one total with its unit


def workload_totals(rnd: Round, figures) -> list[tuple[str, int, str]]:
    """(name, total, unit) of the series' figures (declared order; objects with name, unit and
    summed): a summed figure adds the centers' results, unless only its total was published; an
    unsummed one has only the published total, never a sum. Figures with neither are left out."""
    given = rnd.figure_totals or {}
    out = []
    for f in figures:
        values = [r.figures[f.name] for r in rnd.results if r.figures and f.name in r.figures]
        total = given.get(f.name) if f.name in given or not f.summed else (sum(values) if values else None)
        if total is not None:
            out.append((f.name, total, f.unit))
    return out


def workload_values(rnd: Round, figures) -> dict[str, str]:
    totals = workload_totals(rnd, figures)
    if not totals:
        return {}
    parts = [f"{name}{total}{unit}" for name, total, unit in totals]
    return {WORKLOAD: f"{rnd.year}年各质控中心累计{'，'.join(parts)}。",
            **{f"{WORKLOAD}.{name}": f"{total}{unit}" for name, total, unit in totals}}


def notice_values(rnd: Round, registry: Mapping[str, Any], figures=()) -> dict[str, str]:
    """Values of the placeholders a notice body may use, for its evaluation round."""
    return {GRADE_SENTENCE: grade_sentence(rnd, registry), **workload_values(rnd, figures)}


def filled_text(text: str, values: Mapping[str, str]) -> tuple[str, list[Finding]]:
    """Replace every `{{ 名称 }}` with its value; unknown names and stray braces are problems."""
    problems: list[Finding] = []

    def line_of(pos: int) -> int:
        return text.count("\n", 0, pos) + 1

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name in values:
            return values[name]
        problems.append(Finding(
            "unknown_placeholder", f"占位符“{{{{ {name} }}}}”不认识",
            ("可用的占位符：" + "、".join(f"{{{{ {k} }}}}" for k in values)) if values else
            "这里没有可用的占位符（通报写了 evaluation: 且该年度有结果时才有）：删去 {{ }}，直接写文字",
            ("body",), line=line_of(match.start())))
        return match.group(0)

    filled = PLACEHOLDER_RE.sub(replace, text)
    rest = PLACEHOLDER_RE.sub(lambda m: " " * len(m.group(0)), text)
    for match in re.finditer(r"\{\{|\}\}", rest):
        problems.append(Finding(
            "broken_placeholder", "有不成对的“{{”或“}}”",
            "占位符写成 {{ 评估结果 }}：两个左花括号、名称、两个右花括号，在同一行", ("body",),
            line=line_of(match.start())))
    return filled, problems


def filled_notice_body(notice, rnd: Round | None, registry, figures=()) -> tuple[str, list[EditorProblem]]:
    """A notice model's body with `{{ … }}` filled; a grade placeholder needs a complete round,
    a workload one a round with figures (`figures`: the series' declarations)."""
    if rnd is not None and (rnd.partial or rnd.scheme is None):
        values = workload_values(rnd, figures)
    else:
        values = notice_values(rnd, registry, figures) if rnd is not None else {}
    text, problems = filled_text(notice.body, values)
    return text, [p.at(notice.file, notice.body_line + (p.line or 1) - 1) for p in problems]
