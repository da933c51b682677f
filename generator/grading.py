"""Evaluation engine for annual 质控中心 evaluations (评估): scores → totals → ranks → grades.

Pure: no file access, no MkDocs, no knowledge of any province. Everything here works on the
small typed classes below; `evaluation_load.py` turns content files into them.

What it answers:
- grades from scores by a published tier rule (`grades_from_scores`), with the rounding rule
  that turns "10% of N" into a whole number of centers (`count_for_share`) and the tie rule at a
  boundary;
- what is wrong with a scheme, a set of scores or a round (`scheme_problems`, `score_problems`,
  `round_problems`, `history_problems`), as structured `Problem`s (code, Chinese message and
  hint, path of the offending field) so that the caller can attach file and line;
- history flags across years (`history_flags`) from complete rounds, partial rounds and
  open-year facts, never inventing a grade that was not published;
- the generated parts of a notice that must agree with the annex: the grade sentence
  (`grade_sentence`), the annex rows (`annex_rows`) and the `{{ 名称 }}` placeholders in a
  notice body (`filled_text`).

Defaults, and why
-----------------
Rounding `round_half_up` (x.5 goes up; exact arithmetic on fractions, so 10% of 39 is exactly
3.9, never 3.8999…):
    N = 39: 10% → 3.9 → 4 优秀; 30% → 11.7 → 12, so 8 良好; bottom 10% → 3.9 → 4 不合格; 23 合格,
    which is the published result of the reference notice. `ceil` also gives 4/8/23/4 at N = 39,
    but for small rounds it is absurd (one center alone would be both in the top 10% and in the
    bottom 10%, and every round of up to 10 centers would have a 不合格); `floor` gives
    3/8/25/3 at N = 39, which contradicts the published result. Python's built-in round() is
    round-half-even (2.5 → 2) and is deliberately not used: N = 25 would give 2 优秀, not 3.
    With round_half_up a round of 1–4 centers has no 优秀 and no 不合格 (10% of N < 0.5).
Ties `include`: centers with equal totals always get the same grade; when a tie group straddles a
    boundary, `include` gives the whole group the better grade (the tier "includes" them, so it
    may hold more centers than its quota), `exclude` gives them all the worse grade. `include`
    is the default because it never fails a center that scored exactly as much as one that
    passed, which is what an evaluated center would accept as fair; bottom tiers therefore
    shrink under `include` and grow under `exclude`.
Tier shares are cumulative from the top (`top`) or from the bottom (`bottom`): "前 10% 优秀，
    前 10%–30% 良好，后 10% 不合格" is [优秀 top 10%, 良好 top 30%, 不合格 bottom 10%], rest 合格.
    If a tiny round makes a top and a bottom tier claim the same position, the top tier wins.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Iterable, Literal, Mapping, Sequence

Rounding = Literal["round_half_up", "floor", "ceil"]
TieRule = Literal["include", "exclude"]
ROUNDINGS: tuple[str, ...] = ("round_half_up", "floor", "ceil")
TIE_RULES: tuple[str, ...] = ("include", "exclude")
Severity = Literal["error", "warning"]
PathPart = str | int

EXCELLENT, GOOD, PASS, FAIL = "优秀", "良好", "合格", "不合格"


# ---------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located by the path of the offending field, e.g. ("results", 3, "grade").

    `line` is only set for problems found in free text (placeholders in a notice body): it is the
    line within the text that was given. The caller adds the file and the file's line.
    """

    code: str
    message: str  # what is wrong (Chinese)
    hint: str  # what to write instead (Chinese)
    path: tuple[PathPart, ...] = ()
    severity: Severity = "error"
    line: int | None = None

    def path_text(self) -> str:
        text = ""
        for part in self.path:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
        return text

    def located(self, file: str, line: int | None = None):
        """As the project's editor-facing problem (generator.errors.Problem)."""
        from .errors import Problem as EditorProblem

        return EditorProblem(file, line if line is not None else self.line, self.message, self.hint,
                             warning=self.severity == "warning")


def _pct(share: Fraction | None) -> str:
    if share is None:
        return "？"
    value = share * 100
    return f"{int(value)}%" if value.denominator == 1 else f"{float(value):g}%"


# ---------------------------------------------------------------- scheme


@dataclass(frozen=True)
class Area:
    """One evaluated area (评估内容); `max` is None when the maximum is not published."""

    name: str
    max: Decimal | None = None


@dataclass(frozen=True)
class Tier:
    """A grade given to a cumulative share of centers counted from the top or from the bottom."""

    grade: str
    top: Fraction | None = None
    bottom: Fraction | None = None

    @property
    def share(self) -> Fraction | None:
        return self.top if self.top is not None else self.bottom


DEFAULT_TIERS: tuple[Tier, ...] = (
    Tier(EXCELLENT, top=Fraction(1, 10)),
    Tier(GOOD, top=Fraction(3, 10)),
    Tier(FAIL, bottom=Fraction(1, 10)),
)


@dataclass(frozen=True)
class Scheme:
    """A published scoring scheme and tier rule.

    Tiers are listed from the best grade to the worst: top tiers first (cumulative shares
    increasing), then bottom tiers (cumulative shares decreasing). `rest` is the grade of every
    center no tier claims.
    """

    areas: tuple[Area, ...] = ()
    tiers: tuple[Tier, ...] = DEFAULT_TIERS
    rest: str = PASS
    bonus_max: Decimal = Decimal(10)
    total_max: Decimal = Decimal(110)
    rounding: Rounding = "round_half_up"
    ties: TieRule = "include"

    def grade_order(self) -> tuple[str, ...]:
        """All grades, best first: top tiers, the rest, bottom tiers."""
        tops = [t.grade for t in self.tiers if t.top is not None]
        bottoms = [t.grade for t in self.tiers if t.top is None and t.bottom is not None]
        return tuple(tops + [self.rest] + bottoms)

    def bottom_grades(self) -> frozenset[str]:
        return frozenset(t.grade for t in self.tiers if t.top is None and t.bottom is not None)


# ---------------------------------------------------------------- rounds, results, facts


@dataclass(frozen=True)
class Result:
    """One center's result in a round: a published grade, scores, or both (then they must agree).

    `scores` maps area name → points; `total` is the final total including the bonus, for rounds
    where only totals are known. With `scores`, the total is their sum plus `bonus`.
    """

    center: str
    grade: str | None = None
    scores: Mapping[str, Decimal] | None = None
    bonus: Decimal | None = None
    total: Decimal | None = None
    source: str | None = None

    @property
    def has_scores(self) -> bool:
        return self.scores is not None or self.total is not None


@dataclass(frozen=True)
class Excluded:
    """Centers not evaluated this round (e.g. 委托筹建), by count: their names need not be known."""

    count: int
    reason: str


@dataclass(frozen=True)
class Rectification:
    """整改报告 required from centers with the listed grades, due by a date or a text deadline."""

    applies_to: tuple[str, ...] = (FAIL,)
    report: str = "整改报告"
    due_text: str | None = None  # as written in the notice, e.g. "9月底前"
    due: dt.date | None = None
    to: str | None = None


@dataclass(frozen=True)
class Round:
    """One year's evaluation of a series. Results are listed in annex order.

    A `partial` round lists only the centers whose grade is known (e.g. from a later notice);
    every center not listed has an unknown grade, never an assumed 合格.
    """

    year: int
    results: tuple[Result, ...] = ()
    scheme: Scheme | None = None
    partial: bool = False
    evaluated: int | None = None
    excluded: Excluded | None = None
    rectification: Rectification | None = None
    source: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Fact:
    """A center received `grade` in one of `years`; which one was not published.

    Each fact is one occurrence. Nothing is implied about the other years of the list.
    """

    center: str
    grade: str
    years: tuple[int, ...]
    source: str = ""
    note: str | None = None


# ---------------------------------------------------------------- counting and ranking


def count_for_share(share: Fraction | Decimal | float | str, n: int, rounding: Rounding = "round_half_up") -> int:
    """How many of `n` centers a cumulative share covers, by the rounding rule (exact arithmetic)."""
    x = Fraction(str(share)) * n if not isinstance(share, Fraction) else share * n
    if rounding == "round_half_up":
        return math.floor(x + Fraction(1, 2))
    if rounding == "floor":
        return math.floor(x)
    if rounding == "ceil":
        return math.ceil(x)
    raise ValueError(f"unknown rounding rule {rounding!r}")


def positional_grades(scheme: Scheme, n: int) -> list[str]:
    """Grade of each position 1..n (best first) as if there were no ties."""
    tops = [(count_for_share(t.top, n, scheme.rounding), t.grade) for t in scheme.tiers if t.top is not None]
    bottoms = [
        (count_for_share(t.bottom, n, scheme.rounding), t.grade)
        for t in scheme.tiers
        if t.top is None and t.bottom is not None
    ]
    bottoms.sort(key=lambda item: item[0])  # the smallest bottom share is the worst grade
    grades = []
    for i in range(n):
        grade = next((g for count, g in tops if i < count), None)
        if grade is None:
            from_bottom = n - 1 - i
            grade = next((g for count, g in bottoms if from_bottom < count), scheme.rest)
        grades.append(grade)
    return grades


def tier_counts(scheme: Scheme, n: int) -> dict[str, int]:
    """Centers per grade for a round of n centers without ties, in grade order (best first)."""
    counts = Counter(positional_grades(scheme, n))
    return {grade: counts.get(grade, 0) for grade in scheme.grade_order()}


def competition_ranks(totals: Sequence[Decimal]) -> list[int]:
    """Standard competition ranking (1, 2, 2, 4): 1 + the number of strictly higher totals."""
    ordered = sorted(totals, reverse=True)
    first = {}
    for index, value in enumerate(ordered):
        first.setdefault(value, index + 1)
    return [first[value] for value in totals]


def total_of(result: Result) -> Decimal:
    """Sum of the area scores plus the bonus, or the published total."""
    if result.scores is not None:
        return sum((Decimal(v) for v in result.scores.values()), Decimal(0)) + Decimal(result.bonus or 0)
    if result.total is not None:
        return Decimal(result.total)
    raise ValueError(f"no scores for {result.center}")


@dataclass(frozen=True)
class Graded:
    center: str
    total: Decimal
    rank: int
    grade: str
    straddles: bool = False  # in a tie group that spans a tier boundary (grade decided by the tie rule)


def grades_from_scores(scheme: Scheme, results: Sequence[Result]) -> list[Graded]:
    """Totals, competition ranks and grades by the scheme's tier, rounding and tie rules.

    Returned in the order given. Validate first (`score_problems`): a result without scores
    raises ValueError.
    """
    totals = [total_of(r) for r in results]
    ranks = competition_ranks(totals)
    n = len(results)
    by_position = positional_grades(scheme, n)
    order = {g: k for k, g in enumerate(scheme.grade_order())}
    size = Counter(totals)
    graded = []
    for result, total, rank in zip(results, totals, ranks):
        candidates = {by_position[p] for p in range(rank - 1, rank - 1 + size[total])}
        pick = min if scheme.ties == "include" else max
        grade = pick(candidates, key=lambda g: order[g])
        graded.append(Graded(result.center, total, rank, grade, len(candidates) > 1))
    return graded


# ---------------------------------------------------------------- validation


def scheme_problems(scheme: Scheme, base: tuple[PathPart, ...] = ("scheme",)) -> list[Problem]:
    """What is inconsistent in a scheme: tiers, shares, maxima, rule names."""
    out: list[Problem] = []
    tiers_path = base + ("tiers",)
    example = "例如 - {grade: 优秀, top: 10%} 或 - {grade: 不合格, bottom: 10%}"
    seen_bottom = False
    last_top: Fraction | None = None
    last_bottom: Fraction | None = None
    grades: list[str] = []
    for i, tier in enumerate(scheme.tiers):
        path = tiers_path + (i,)
        grades.append(tier.grade)
        if (tier.top is None) == (tier.bottom is None):
            out.append(Problem(
                "tier_share", f"等次“{tier.grade}”须且只能写 top（前百分之几）或 bottom（后百分之几）之一",
                example, path))
            continue
        share = tier.share
        key = "top" if tier.top is not None else "bottom"
        if not (0 < share <= 1):
            out.append(Problem(
                "tier_share_range", f"等次“{tier.grade}”的比例 {_pct(share)} 不在 0 到 100% 之间",
                "写成 10% 或 0.1 这样的比例", path + (key,)))
            continue
        if tier.top is not None:
            if seen_bottom:
                out.append(Problem(
                    "tier_order", f"等次“{tier.grade}”（前 {_pct(share)}）写在了“后百分之几”的等次之后",
                    "等次按从好到差排列：先写所有 top 等次，再写 bottom 等次", path))
            elif last_top is not None and share <= last_top:
                out.append(Problem(
                    "tiers_overlap",
                    f"等次“{tier.grade}”的 top {_pct(share)} 不大于上一等次的 {_pct(last_top)}，两个等次重叠",
                    "top 是从第一名起累计的比例：如“前 10% 优秀、前 10%–30% 良好”写作 优秀 top: 10%，良好 top: 30%",
                    path + ("top",)))
            last_top = share if last_top is None or share > last_top else last_top
        else:
            seen_bottom = True
            if last_bottom is not None and share >= last_bottom:
                out.append(Problem(
                    "tiers_overlap",
                    f"等次“{tier.grade}”的 bottom {_pct(share)} 不小于上一等次的 {_pct(last_bottom)}，两个等次重叠",
                    "bottom 是从最后一名起累计的比例，较差的等次比例较小、写在后面", path + ("bottom",)))
            last_bottom = share if last_bottom is None or share < last_bottom else last_bottom
    tops = [t.top for t in scheme.tiers if t.top is not None and 0 < t.top <= 1]
    bottoms = [t.bottom for t in scheme.tiers if t.top is None and t.bottom is not None and 0 < t.bottom <= 1]
    if tops and bottoms and max(tops) + max(bottoms) > 1:
        out.append(Problem(
            "tiers_exceed_total",
            f"各等次比例合计超过 100%（前 {_pct(max(tops))} 与后 {_pct(max(bottoms))}）",
            "检查比例是否写错：top 与 bottom 的最大值之和不能超过 100%", tiers_path))
    if scheme.rest in grades:
        out.append(Problem(
            "duplicate_grade", f"“其余”等次“{scheme.rest}”也出现在等次列表中",
            "rest 写未被任何比例覆盖的等次（通常是 合格），不要在 tiers 中重复", base + ("rest",)))
    for grade, count in Counter(grades).items():
        if count > 1:
            out.append(Problem("duplicate_grade", f"等次“{grade}”写了 {count} 次", "每个等次只写一次", tiers_path))
    if scheme.rounding not in ROUNDINGS:
        out.append(Problem(
            "unknown_rounding", f"取整规则“{scheme.rounding}”不认识", "只能是 round_half_up、floor 或 ceil",
            base + ("rounding",)))
    if scheme.ties not in TIE_RULES:
        out.append(Problem(
            "unknown_ties", f"并列规则“{scheme.ties}”不认识",
            "只能是 include（并列者同得较好等次）或 exclude（并列者同得较差等次）", base + ("ties",)))
    names = Counter(a.name for a in scheme.areas)
    for i, area in enumerate(scheme.areas):
        if names[area.name] > 1:
            out.append(Problem("duplicate_area", f"评估内容“{area.name}”写了两次", "每项只写一次", base + ("areas", i)))
        if area.max is not None and area.max <= 0:
            out.append(Problem(
                "negative_max", f"评估内容“{area.name}”的满分 {area.max} 应大于 0", "写该项的满分，未公布则不写 max",
                base + ("areas", i, "max")))
    if scheme.bonus_max < 0:
        out.append(Problem("negative_max", f"加分上限 {scheme.bonus_max} 不能为负", "没有加分项写 0", base + ("bonus_max",)))
    maxima = [a.max for a in scheme.areas]
    if scheme.areas and all(m is not None for m in maxima):
        expected = sum(maxima, Decimal(0)) + scheme.bonus_max
        if expected != scheme.total_max:
            out.append(Problem(
                "total_max_mismatch",
                f"各项满分之和加加分上限为 {expected}，与总分 {scheme.total_max} 不符",
                "核对各项 max、bonus_max 与 total_max", base + ("total_max",)))
    return out


def score_problems(scheme: Scheme, results: Sequence[Result], base: tuple[PathPart, ...] = ("results",)) -> list[Problem]:
    """What is wrong with scores: missing, negative, above a maximum, inconsistent totals."""
    out: list[Problem] = []
    areas = {a.name: a for a in scheme.areas}
    for i, r in enumerate(results):
        path = base + (i,)
        if not r.has_scores:
            out.append(Problem(
                "missing_scores", f"质控中心“{r.center}”没有得分", "写 scores（各项得分）或 total（总分）", path))
            continue
        if r.scores is not None:
            for name, value in r.scores.items():
                where = path + ("scores", name)
                if areas and name not in areas:
                    out.append(Problem(
                        "unknown_area", f"评估内容“{name}”不在评分方案中",
                        "可用的评估内容：" + "、".join(areas), where))
                if value < 0:
                    out.append(Problem("negative_score", f"“{name}”得分 {value} 不能为负", "得分最低为 0", where))
                elif name in areas and areas[name].max is not None and value > areas[name].max:
                    out.append(Problem(
                        "area_above_max", f"“{name}”得分 {value} 超过该项满分 {areas[name].max}",
                        "核对得分，或核对评分方案中该项的 max", where))
            for name in areas:
                if name not in r.scores:
                    out.append(Problem(
                        "missing_area", f"质控中心“{r.center}”缺少“{name}”的得分", f"在 scores 中加上 {name}: 分数",
                        path + ("scores",)))
        if r.bonus is not None:
            if r.bonus < 0:
                out.append(Problem("negative_score", f"加分 {r.bonus} 不能为负", "没有加分写 0 或不写", path + ("bonus",)))
            elif r.bonus > scheme.bonus_max:
                out.append(Problem(
                    "bonus_above_max", f"加分 {r.bonus} 超过加分上限 {scheme.bonus_max}",
                    f"加分最多 {scheme.bonus_max} 分", path + ("bonus",)))
        if r.total is not None and r.total < 0:
            out.append(Problem("negative_score", f"总分 {r.total} 不能为负", "核对总分", path + ("total",)))
        computed = total_of(r)
        if r.scores is not None and r.total is not None and Decimal(r.total) != computed:
            out.append(Problem(
                "total_mismatch", f"总分 {r.total} 与各项得分加加分之和 {computed} 不符",
                "删除 total 让系统自动计算，或核对各项得分", path + ("total",)))
        elif computed > scheme.total_max:
            out.append(Problem(
                "total_above_max", f"总分 {computed} 超过满分 {scheme.total_max}", "核对得分",
                path + ("total" if r.scores is None else "scores",)))
    return out


def round_problems(rnd: Round, centers: Iterable[str] | None = None, base: tuple[PathPart, ...] = ()) -> list[Problem]:
    """Everything inconsistent inside one round; `centers` (registry ids) enables the id check."""
    out: list[Problem] = []
    known = set(centers) if centers is not None else None
    scheme = rnd.scheme
    if scheme is not None:
        out += scheme_problems(scheme, base + ("scheme",))
    elif not rnd.partial:
        out.append(Problem(
            "missing_scheme", f"{rnd.year} 年度评估缺少评分方案 scheme",
            "写明评估内容、满分、等次规则；只知道部分结果的年度写 partial: true", base + ("scheme",)))
    grades = set(scheme.grade_order()) if scheme else {EXCELLENT, GOOD, PASS, FAIL}
    seen: dict[str, int] = {}
    for i, r in enumerate(rnd.results):
        path = base + ("results", i)
        if r.center in seen:
            out.append(Problem(
                "duplicate_center", f"质控中心“{r.center}”在结果中出现两次（另见第 {seen[r.center] + 1} 项）",
                "每个质控中心只写一行结果", path + ("center",)))
        seen.setdefault(r.center, i)
        if known is not None and r.center not in known:
            out.append(Problem(
                "unknown_center", f"质控中心编号“{r.center}”不在质控中心名录中",
                "使用 content/centers/ 中登记的 id，或先在名录中登记该中心", path + ("center",)))
        if r.grade is not None and r.grade not in grades:
            out.append(Problem(
                "unknown_grade", f"等次“{r.grade}”不在评分方案的等次中", "只能是：" + "、".join(sorted(grades, key=_grade_key(scheme))),
                path + ("grade",)))
        if r.grade is None and not (r.has_scores and not rnd.partial):
            out.append(Problem("missing_grade", f"质控中心“{r.center}”没有等次", "写 grade: 等次（或在完整年度中写得分）", path))
    if rnd.partial:
        return out
    if not rnd.results:
        out.append(Problem("empty_round", f"{rnd.year} 年度评估没有任何结果", "按附件顺序列出每个参评中心的结果", base + ("results",)))
        return out
    if rnd.evaluated is not None and rnd.evaluated != len(rnd.results):
        out.append(Problem(
            "evaluated_count", f"参评数量写的是 {rnd.evaluated} 家，结果列出了 {len(rnd.results)} 家",
            "核对 evaluated 与 results", base + ("evaluated",)))
    if scheme is None:
        return out
    scored = [r.has_scores for r in rnd.results]
    if any(scored) and not all(scored):
        out.append(Problem(
            "mixed_results", "部分中心有得分、部分没有：等次须由全部中心的得分排名得出",
            "给每个中心写得分，或全部只写公布的等次", base + ("results",)))
        return out
    if all(scored):
        problems = score_problems(scheme, rnd.results, base + ("results",))
        out += problems
        if any(p.code in ("missing_scores", "negative_score", "unknown_area", "missing_area") for p in problems):
            return out
        for i, g in enumerate(grades_from_scores(scheme, rnd.results)):
            published = rnd.results[i].grade
            if published is not None and published != g.grade:
                out.append(Problem(
                    "grade_disagrees",
                    f"质控中心“{g.center}”写的等次是“{published}”，按得分（{g.total} 分，第 {g.rank} 名）和等次规则应为“{g.grade}”",
                    "删除 grade 让系统按得分计算，或核对得分", base + ("results", i, "grade")))
    elif all(r.grade in grades for r in rnd.results):
        expected = tier_counts(scheme, len(rnd.results))
        actual = Counter(r.grade for r in rnd.results)
        if any(actual.get(g, 0) != c for g, c in expected.items()):
            said = "、".join(f"{g} {c} 家" for g, c in expected.items())
            got = "、".join(f"{g} {actual.get(g, 0)} 家" for g in expected)
            out.append(Problem(
                "grade_counts_differ",
                f"{len(rnd.results)} 家按等次规则应为 {said}，结果中为 {got}",
                "若因成绩并列可忽略；否则核对各中心等次", base + ("results",), severity="warning"))
    return out


def _grade_key(scheme: Scheme | None):
    order = {g: k for k, g in enumerate(scheme.grade_order() if scheme else (EXCELLENT, GOOD, PASS, FAIL))}
    return lambda g: order.get(g, len(order))


# ---------------------------------------------------------------- final grades, annex, sentence


def final_grades(rnd: Round) -> dict[str, str]:
    """center → grade, in annex order: computed from scores when every result has them, else published."""
    if rnd.scheme is not None and not rnd.partial and rnd.results and all(r.has_scores for r in rnd.results):
        return {g.center: g.grade for g in grades_from_scores(rnd.scheme, rnd.results)}
    return {r.center: r.grade for r in rnd.results if r.grade is not None}


def _entry(registry: Mapping[str, Any], center: str, attr: str) -> str | None:
    entry = registry[center]
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


def annex_rows(rnd: Round, registry: Mapping[str, Any]) -> list[AnnexRow]:
    """The annex table (序号 | 质控中心 | 评估结果 | 挂靠单位) in annex order."""
    return [
        AnnexRow(i, _entry(registry, c, "name") or c, g, _entry(registry, c, "host") or "", c)
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


def notice_values(rnd: Round, registry: Mapping[str, Any]) -> dict[str, str]:
    """Values of the placeholders a notice body may use, for its evaluation round."""
    return {GRADE_SENTENCE: grade_sentence(rnd, registry)}


def filled_text(text: str, values: Mapping[str, str]) -> tuple[str, list[Problem]]:
    """Replace every `{{ 名称 }}` with its value; unknown names and stray braces are problems."""
    problems: list[Problem] = []

    def line_of(pos: int) -> int:
        return text.count("\n", 0, pos) + 1

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name in values:
            return values[name]
        problems.append(Problem(
            "unknown_placeholder", f"占位符“{{{{ {name} }}}}”不认识",
            "可用的占位符：" + "、".join(f"{{{{ {k} }}}}" for k in values), ("body",), line=line_of(match.start())))
        return match.group(0)

    filled = PLACEHOLDER_RE.sub(replace, text)
    rest = PLACEHOLDER_RE.sub(lambda m: " " * len(m.group(0)), text)
    for match in re.finditer(r"\{\{|\}\}", rest):
        problems.append(Problem(
            "broken_placeholder", "有不成对的“{{”或“}}”",
            "占位符写成 {{ 评估结果 }}：两个左花括号、名称、两个右花括号，在同一行", ("body",),
            line=line_of(match.start())))
    return filled, problems


# ---------------------------------------------------------------- history


@dataclass(frozen=True)
class HistoryFlags:
    """True: proven by the published record; False: proven not; None: not known."""

    consecutive_fail: bool | None
    two_fails_in_three_years: bool | None
    repeatedly_bottom: bool | None


@dataclass(frozen=True)
class _Open:
    grade: str
    years: frozenset[int]


def _known_and_open(rounds: Sequence[Round], facts: Sequence[Fact]):
    """center → {year: grade} (from rounds and facts that resolve to one year), and open facts."""
    known: dict[str, dict[int, str]] = {}
    for rnd in rounds:
        for center, grade in final_grades(rnd).items():
            known.setdefault(center, {})[rnd.year] = grade
    pending = list(facts)
    open_facts: dict[str, list[_Open]] = {}
    changed = True
    while changed:  # a fact resolved to one year may settle another fact of the same center
        changed = False
        still = []
        for fact in pending:
            grades = known.setdefault(fact.center, {})
            if any(grades.get(y) == fact.grade for y in fact.years):
                continue  # possibly the same occurrence as a known one: adds nothing certain
            candidates = [y for y in fact.years if y not in grades]
            if len(candidates) == 1:
                grades[candidates[0]] = fact.grade
                changed = True
            elif candidates:
                still.append(fact)
        pending = still
    for fact in pending:
        open_facts.setdefault(fact.center, []).append(_Open(fact.grade, frozenset(fact.years)))
    return known, open_facts


def _bounds(grades: dict[int, str], opens: list[_Open], window: Sequence[int], hit, missing: int = 0) -> tuple[int, int]:
    """(certain, possible) number of hits in the window; open facts count when wholly inside it."""
    certain = sum(1 for y in window if y in grades and hit(grades[y], y))
    certain += sum(1 for o in opens if o.years <= set(window) and hit(o.grade, None))
    possible = missing + sum(1 for y in window if y not in grades or hit(grades[y], y))
    return certain, max(possible, certain)


def _flag(certain: int, possible: int, needed: int = 2) -> bool | None:
    if certain >= needed:
        return True
    if possible < needed:
        return False
    return None


def history_flags(
    rounds: Sequence[Round], facts: Sequence[Fact], year: int, fail: str = FAIL
) -> dict[str, HistoryFlags]:
    """Flags at `year` for every center in the rounds or facts.

    consecutive_fail: `fail` in `year` and `year`-1.
    two_fails_in_three_years: at least 2 `fail` within `year`-2..`year` (calendar years); an
        open-year fact counts once when all its candidate years are inside the window.
    repeatedly_bottom: a bottom-tier grade (from the round's scheme; `fail` when the round has
        no scheme) in at least 2 of the last 3 rounds on record up to `year` (rounds may skip
        years); record missing for fewer than 3 rounds counts as unknown.
    A year whose grade is not published is unknown: a flag is False only when no unknown could
    make it True.
    """
    known, opens = _known_and_open(rounds, facts)
    by_year = {r.year: r for r in rounds}
    bottom_of = {y: (r.scheme.bottom_grades() if r.scheme and r.scheme.bottom_grades() else frozenset({fail}))
                 for y, r in by_year.items()}
    default_bottom = frozenset({fail})
    recent = sorted(y for y in by_year if y <= year)[-3:]
    is_fail = lambda g, y: g == fail  # noqa: E731
    is_bottom = lambda g, y: g in bottom_of.get(y, default_bottom) if y is not None else g in default_bottom  # noqa: E731
    flags = {}
    for center in sorted(set(known) | set(opens)):
        grades, open_list = known.get(center, {}), opens.get(center, [])
        now, before = grades.get(year), grades.get(year - 1)
        if now == fail and before == fail:
            consecutive = True
        elif (now is not None and now != fail) or (before is not None and before != fail):
            consecutive = False
        else:
            consecutive = None
        two = _flag(*_bounds(grades, open_list, [year - 2, year - 1, year], is_fail))
        bottom = _flag(*_bounds(grades, open_list, recent, is_bottom, missing=3 - len(recent)))
        flags[center] = HistoryFlags(consecutive, two, bottom)
    return flags


def history_problems(rounds: Sequence[Round], facts: Sequence[Fact], centers: Iterable[str] | None = None,
                     base: tuple[PathPart, ...] = ("facts",)) -> list[Problem]:
    """Duplicate round years; facts with unknown centers, no years, or contradicted by the rounds."""
    out: list[Problem] = []
    known_ids = set(centers) if centers is not None else None
    for year, count in Counter(r.year for r in rounds).items():
        if count > 1:
            out.append(Problem("duplicate_round_year", f"{year} 年度的评估写了 {count} 份", "每个年度只保留一个文件", ()))
    grades: dict[str, dict[int, str]] = {}
    for rnd in rounds:
        for center, grade in final_grades(rnd).items():
            grades.setdefault(center, {})[rnd.year] = grade
    for i, fact in enumerate(facts):
        path = base + (i,)
        if known_ids is not None and fact.center not in known_ids:
            out.append(Problem(
                "unknown_center", f"质控中心编号“{fact.center}”不在质控中心名录中", "使用 content/centers/ 中登记的 id",
                path + ("center",)))
        if not fact.years:
            out.append(Problem("fact_years", "没有写年份", "写 years: [2022, 2023]（可能的年份）", path + ("years",)))
            continue
        mine = grades.get(fact.center, {})
        if all(y in mine and mine[y] != fact.grade for y in fact.years):
            said = "、".join(f"{y} 年度为{mine[y]}" for y in fact.years)
            out.append(Problem(
                "fact_contradiction", f"该事实称“{fact.grade}”出现在 {'或'.join(map(str, fact.years))} 年度，但各年度结果为：{said}",
                "核对年份或该年度的结果", path))
        if not fact.source:
            out.append(Problem("fact_source", "没有写出处 source", "引用通报中的原句，注明文号", path + ("source",),
                               severity="warning"))
    return out
