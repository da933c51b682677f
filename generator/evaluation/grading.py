"""Evaluation engine for annual 质控中心 evaluations (评估): scores → totals → ranks → grades.

Pure: no file access, no MkDocs, no knowledge of any province. Everything here works on the
small typed classes below; `generator/load/evaluations.py` turns content files into them.

What it answers:
- grades from scores by a published tier rule (`grades_from_scores`), with the rounding rule
  that turns "10% of N" into a whole number of centers (`count_for_share`) and the tie rule at a
  boundary; the grade of every center of a round (`final_grades`).

The rest of the engine works on the same classes, in its own modules:
- `checks.py`: what is wrong with a scheme, a set of scores, a round or the history
  facts (`scheme_problems`, `score_problems`, `round_problems`, `history_problems`), as
  structured `Problem`s (code, Chinese message and hint, path of the offending field) so that
  the caller can attach file and line;
- `history.py`: history flags across years (`history_flags`) from complete rounds, partial
  rounds and open-year facts, never inventing a grade that was not published;
- `notice_text.py`: the generated parts of a notice that must agree with the annex: the grade
  sentence (`grade_sentence`), the annex rows (`annex_rows`) and the `{{ 名称 }}` placeholders
  in a notice body (`filled_text`).

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
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from generator.problems import Problem

Rounding = Literal["round_half_up", "floor", "ceil"]
TieRule = Literal["include", "exclude"]
ROUNDINGS: tuple[str, ...] = ("round_half_up", "floor", "ceil")
TIE_RULES: tuple[str, ...] = ("include", "exclude")
Severity = Literal["error", "warning"]
PathPart = str | int

EXCELLENT, GOOD, PASS, FAIL = "优秀", "良好", "合格", "不合格"


# ---------------------------------------------------------------- problems


@dataclass(frozen=True)
class Finding:
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
    subject: str = ""  # the value at fault (an unknown center's id), for a caller that knows more to say

    def path_text(self) -> str:
        text = ""
        for part in self.path:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
        return text

    def at(self, file: str, line: int | None = None) -> Problem:
        """The editor-facing problem, once the caller knows the file and line."""
        return Problem(file, line if line is not None else self.line, self.message, self.hint,
                       warning=self.severity == "warning")


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
    fail: str = FAIL  # the failing grade, named as the commission names it: history flags count it
    bottom: tuple[str, ...] | None = None  # grades that count as 末档; None: the failing grade only

    def grade_order(self) -> tuple[str, ...]:
        """All grades, best first: top tiers, the rest, bottom tiers."""
        tops = [t.grade for t in self.tiers if t.top is not None]
        bottoms = [t.grade for t in self.tiers if t.top is None and t.bottom is not None]
        return tuple(tops + [self.rest] + bottoms)

    def bottom_grades(self) -> frozenset[str]:
        """末档: the failing grade, unless the scheme lists its bottom grades. A 基本合格 tier
        counted from the bottom is not 末档 unless listed."""
        return frozenset(self.bottom) if self.bottom is not None else frozenset({self.fail})


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
    figures: Mapping[str, int] | None = None  # the center's activity figures of the year (培训人次 …)

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
    figure_totals: Mapping[str, int] | None = None  # totals as the commission published them


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


# ---------------------------------------------------------------- final grades


def final_grades(rnd: Round) -> dict[str, str]:
    """center → grade, in annex order: computed from scores when every result has them, else published."""
    if rnd.scheme is not None and not rnd.partial and rnd.results and all(r.has_scores for r in rnd.results):
        return {g.center: g.grade for g in grades_from_scores(rnd.scheme, rnd.results)}
    return {r.center: r.grade for r in rnd.results if r.grade is not None}
