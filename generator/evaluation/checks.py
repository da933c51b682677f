"""What is wrong with evaluation data, as structured `Finding`s located by field path.

Pure, like `grading.py`, whose classes it checks: a scheme (`scheme_problems`), a set of scores
(`score_problems`), one round (`round_problems`) and the history facts across rounds
(`history_problems`). Each problem has a code, a Chinese message and hint, and the path of the
offending field, so that the caller can attach file and line.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction

from generator.evaluation.grading import (
    EXCELLENT,
    FAIL,
    GOOD,
    PASS,
    ROUNDINGS,
    TIE_RULES,
    Fact,
    Finding,
    PathPart,
    Result,
    Round,
    Scheme,
    final_grades,
    grades_from_scores,
    tier_counts,
    total_of,
)


def _pct(share: Fraction | None) -> str:
    if share is None:
        return "？"
    value = share * 100
    return f"{int(value)}%" if value.denominator == 1 else f"{float(value):g}%"


# ---------------------------------------------------------------- scheme, scores, round


def scheme_problems(scheme: Scheme, base: tuple[PathPart, ...] = ("scheme",)) -> list[Finding]:
    """What is inconsistent in a scheme: tiers, shares, maxima, rule names."""
    out: list[Finding] = []
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
            out.append(Finding(
                "tier_share", f"等次“{tier.grade}”须且只能写 top（前百分之几）或 bottom（后百分之几）之一",
                example, path))
            continue
        share = tier.share
        key = "top" if tier.top is not None else "bottom"
        if not (0 < share <= 1):
            out.append(Finding(
                "tier_share_range", f"等次“{tier.grade}”的比例 {_pct(share)} 不在 0 到 100% 之间",
                "写成 10% 或 0.1 这样的比例", path + (key,)))
            continue
        if tier.top is not None:
            if seen_bottom:
                out.append(Finding(
                    "tier_order", f"等次“{tier.grade}”（前 {_pct(share)}）写在了“后百分之几”的等次之后",
                    "等次按从好到差排列：先写所有 top 等次，再写 bottom 等次", path))
            elif last_top is not None and share <= last_top:
                out.append(Finding(
                    "tiers_overlap",
                    f"等次“{tier.grade}”的 top {_pct(share)} 不大于上一等次的 {_pct(last_top)}，两个等次重叠",
                    "top 是从第一名起累计的比例：如“前 10% 优秀、前 10%–30% 良好”写作 优秀 top: 10%，良好 top: 30%",
                    path + ("top",)))
            last_top = share if last_top is None or share > last_top else last_top
        else:
            seen_bottom = True
            if last_bottom is not None and share >= last_bottom:
                out.append(Finding(
                    "tiers_overlap",
                    f"等次“{tier.grade}”的 bottom {_pct(share)} 不小于上一等次的 {_pct(last_bottom)}，两个等次重叠",
                    "bottom 是从最后一名起累计的比例，较差的等次比例较小、写在后面", path + ("bottom",)))
            last_bottom = share if last_bottom is None or share < last_bottom else last_bottom
    tops = [t.top for t in scheme.tiers if t.top is not None and 0 < t.top <= 1]
    bottoms = [t.bottom for t in scheme.tiers if t.top is None and t.bottom is not None and 0 < t.bottom <= 1]
    if tops and bottoms and max(tops) + max(bottoms) > 1:
        out.append(Finding(
            "tiers_exceed_total",
            f"各等次比例合计超过 100%（前 {_pct(max(tops))} 与后 {_pct(max(bottoms))}）",
            "检查比例是否写错：top 与 bottom 的最大值之和不能超过 100%", tiers_path))
    if scheme.rest in grades:
        out.append(Finding(
            "duplicate_grade", f"“其余”等次“{scheme.rest}”也出现在等次列表中",
            "rest 写未被任何比例覆盖的等次（通常是 合格），不要在 tiers 中重复", base + ("rest",)))
    for grade, count in Counter(grades).items():
        if count > 1:
            out.append(Finding("duplicate_grade", f"等次“{grade}”写了 {count} 次", "每个等次只写一次", tiers_path))
    named = set(grades) | {scheme.rest}
    for i, grade in enumerate(scheme.bottom or ()):
        if grade not in named:
            out.append(Finding(
                "unknown_bottom_grade", f"末档等次“{grade}”不在本方案的等次中",
                "bottom_grades 只列本方案中算作末档的等次，如 [基本合格, 不合格]", base + ("bottom_grades", i)))
    if scheme.rounding not in ROUNDINGS:
        out.append(Finding(
            "unknown_rounding", f"取整规则“{scheme.rounding}”不认识", "只能是 round_half_up、floor 或 ceil",
            base + ("rounding",)))
    if scheme.ties not in TIE_RULES:
        out.append(Finding(
            "unknown_ties", f"并列规则“{scheme.ties}”不认识",
            "只能是 include（并列者同得较好等次）或 exclude（并列者同得较差等次）", base + ("ties",)))
    names = Counter(a.name for a in scheme.areas)
    for i, area in enumerate(scheme.areas):
        if names[area.name] > 1:
            out.append(Finding("duplicate_area", f"评估内容“{area.name}”写了两次", "每项只写一次", base + ("areas", i)))
        if area.max is not None and area.max <= 0:
            out.append(Finding(
                "negative_max", f"评估内容“{area.name}”的满分 {area.max} 应大于 0", "写该项的满分，未公布则不写 max",
                base + ("areas", i, "max")))
    if scheme.bonus_max < 0:
        out.append(Finding("negative_max", f"加分上限 {scheme.bonus_max} 不能为负", "没有加分项写 0", base + ("bonus_max",)))
    if scheme.total_max <= 0:
        out.append(Finding("negative_max", f"满分 total_max 写的是 {scheme.total_max}，应大于 0",
                           "写总分的满分，如 100 或 110（含加分）", base + ("total_max",)))
    maxima = [a.max for a in scheme.areas]
    if scheme.areas and all(m is not None for m in maxima):
        expected = sum(maxima, Decimal(0)) + scheme.bonus_max
        if expected != scheme.total_max:
            out.append(Finding(
                "total_max_mismatch",
                f"各项满分之和加加分上限为 {expected}，与总分 {scheme.total_max} 不符",
                "核对各项 max、bonus_max 与 total_max", base + ("total_max",)))
    return out


def score_problems(scheme: Scheme, results: Sequence[Result], base: tuple[PathPart, ...] = ("results",)) -> list[Finding]:
    """What is wrong with scores: missing, negative, above a maximum, inconsistent totals."""
    out: list[Finding] = []
    areas = {a.name: a for a in scheme.areas}
    for i, r in enumerate(results):
        path = base + (i,)
        if not r.has_scores:
            out.append(Finding(
                "missing_scores", f"质控中心“{r.center}”没有得分", "写 scores（各项得分）或 total（总分）", path))
            continue
        if r.scores is not None:
            for name, value in r.scores.items():
                where = path + ("scores", name)
                if areas and name not in areas:
                    out.append(Finding(
                        "unknown_area", f"评估内容“{name}”不在评分方案中",
                        "可用的评估内容：" + "、".join(areas), where))
                if value < 0:
                    out.append(Finding("negative_score", f"“{name}”得分 {value} 不能为负", "得分最低为 0", where))
                elif name in areas and areas[name].max is not None and value > areas[name].max:
                    out.append(Finding(
                        "area_above_max", f"“{name}”得分 {value} 超过该项满分 {areas[name].max}",
                        "核对得分，或核对评分方案中该项的 max", where))
            for name in areas:
                if name not in r.scores:
                    out.append(Finding(
                        "missing_area", f"质控中心“{r.center}”缺少“{name}”的得分", f"在 scores 中加上 {name}: 分数",
                        path + ("scores",)))
        if r.bonus is not None:
            if r.bonus < 0:
                out.append(Finding("negative_score", f"加分 {r.bonus} 不能为负", "没有加分写 0 或不写", path + ("bonus",)))
            elif r.bonus > scheme.bonus_max:
                out.append(Finding(
                    "bonus_above_max", f"加分 {r.bonus} 超过加分上限 {scheme.bonus_max}",
                    f"加分最多 {scheme.bonus_max} 分", path + ("bonus",)))
        if r.total is not None and r.total < 0:
            out.append(Finding("negative_score", f"总分 {r.total} 不能为负", "核对总分", path + ("total",)))
        computed = total_of(r)
        if r.scores is not None and r.total is not None and Decimal(r.total) != computed:
            out.append(Finding(
                "total_mismatch", f"总分 {r.total} 与各项得分加加分之和 {computed} 不符",
                "删除 total 让系统自动计算，或核对各项得分", path + ("total",)))
        elif computed > scheme.total_max:
            out.append(Finding(
                "total_above_max", f"总分 {computed} 超过满分 {scheme.total_max}", "核对得分",
                path + ("total" if r.scores is None else "scores",)))
    return out


def round_problems(rnd: Round, centers: Iterable[str] | None = None, base: tuple[PathPart, ...] = (),
                   series_grades: Sequence[str] | None = None) -> list[Finding]:
    """Everything inconsistent inside one round; `centers` (registry ids) enables the id check.
    A round without a scheme (partial) is checked against `series_grades`, its series' grade names."""
    out: list[Finding] = []
    known = set(centers) if centers is not None else None
    scheme = rnd.scheme
    if scheme is not None:
        out += scheme_problems(scheme, base + ("scheme",))
    elif not rnd.partial:
        out.append(Finding(
            "missing_scheme", f"{rnd.year} 年度评估缺少评分方案 scheme",
            "写明评估内容、满分、等次规则；只知道部分结果的年度写 partial: true", base + ("scheme",)))
    grades = set(scheme.grade_order()) if scheme else set(series_grades or (EXCELLENT, GOOD, PASS, FAIL))
    seen: dict[str, int] = {}
    for i, r in enumerate(rnd.results):
        path = base + ("results", i)
        if r.center in seen:
            out.append(Finding(
                "duplicate_center", f"质控中心“{r.center}”在结果中出现两次（另见第 {seen[r.center] + 1} 项）",
                "每个质控中心只写一行结果", path + ("center",)))
        seen.setdefault(r.center, i)
        if known is not None and r.center not in known:
            out.append(Finding(
                "unknown_center", f"质控中心编号“{r.center}”不在质控中心名录中",
                "使用 content/centers/ 中登记的 id，或先在名录中登记该中心", path + ("center",), subject=r.center))
        if r.grade is not None and r.grade not in grades:
            out.append(Finding(
                "unknown_grade", f"等次“{r.grade}”不在评分方案的等次中",
                "只能是：" + "、".join(sorted(grades, key=_grade_key(scheme, series_grades))),
                path + ("grade",)))
        if r.grade is None and not (r.has_scores and not rnd.partial):
            out.append(Finding("missing_grade", f"质控中心“{r.center}”没有等次", "写 grade: 等次（或在完整年度中写得分）", path))
    if rnd.partial:
        return out
    if not rnd.results:
        out.append(Finding("empty_round", f"{rnd.year} 年度评估没有任何结果", "按附件顺序列出每个参评中心的结果", base + ("results",)))
        return out
    if rnd.evaluated is not None and rnd.evaluated != len(rnd.results):
        out.append(Finding(
            "evaluated_count", f"参评数量写的是 {rnd.evaluated} 家，结果列出了 {len(rnd.results)} 家",
            "核对 evaluated 与 results", base + ("evaluated",)))
    if scheme is None:
        return out
    scored = [r.has_scores for r in rnd.results]
    if any(scored) and not all(scored):
        out.append(Finding(
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
                out.append(Finding(
                    "grade_disagrees",
                    f"质控中心“{g.center}”写的等次是“{published}”，按得分（{g.total} 分，第 {g.rank} 名）和等次规则应为“{g.grade}”",
                    "删除 grade 让系统按得分计算，或核对得分", base + ("results", i, "grade")))
    elif all(r.grade in grades for r in rnd.results):
        expected = tier_counts(scheme, len(rnd.results))
        actual = Counter(r.grade for r in rnd.results)
        if any(actual.get(g, 0) != c for g, c in expected.items()):
            said = "、".join(f"{g} {c} 家" for g, c in expected.items())
            got = "、".join(f"{g} {actual.get(g, 0)} 家" for g in expected)
            out.append(Finding(
                "grade_counts_differ",
                f"{len(rnd.results)} 家按等次规则应为 {said}，结果中为 {got}",
                "若因成绩并列可忽略；否则核对各中心等次", base + ("results",), severity="warning"))
    return out


def _grade_key(scheme: Scheme | None, series_grades: Sequence[str] | None = None):
    default = series_grades or (EXCELLENT, GOOD, PASS, FAIL)
    order = {g: k for k, g in enumerate(scheme.grade_order() if scheme else default)}
    return lambda g: order.get(g, len(order))

# ---------------------------------------------------------------- history across rounds


def history_problems(rounds: Sequence[Round], facts: Sequence[Fact], centers: Iterable[str] | None = None,
                     base: tuple[PathPart, ...] = ("facts",)) -> list[Finding]:
    """Duplicate round years; facts with unknown centers, no years, or contradicted by the rounds."""
    out: list[Finding] = []
    known_ids = set(centers) if centers is not None else None
    for year, count in Counter(r.year for r in rounds).items():
        if count > 1:
            out.append(Finding("duplicate_round_year", f"{year} 年度的评估写了 {count} 份", "每个年度只保留一个文件", ()))
    grades: dict[str, dict[int, str]] = {}
    for rnd in rounds:
        for center, grade in final_grades(rnd).items():
            grades.setdefault(center, {})[rnd.year] = grade
    for i, fact in enumerate(facts):
        path = base + (i,)
        if known_ids is not None and fact.center not in known_ids:
            out.append(Finding(
                "unknown_center", f"质控中心编号“{fact.center}”不在质控中心名录中", "使用 content/centers/ 中登记的 id",
                path + ("center",), subject=fact.center))
        if not fact.years:
            out.append(Finding("fact_years", "没有写年份", "写 years: [2022, 2023]（可能的年份）", path + ("years",)))
            continue
        mine = grades.get(fact.center, {})
        if all(y in mine and mine[y] != fact.grade for y in fact.years):
            said = "、".join(f"{y} 年度为{mine[y]}" for y in fact.years)
            out.append(Finding(
                "fact_contradiction", f"该事实称“{fact.grade}”出现在 {'或'.join(map(str, fact.years))} 年度，但各年度结果为：{said}",
                "核对年份或该年度的结果", path))
        if not fact.source:
            out.append(Finding("fact_source", "没有写出处 source", "引用通报中的原句，注明文号", path + ("source",),
                               severity="warning"))
    return out
