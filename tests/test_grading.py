"""The grading engine (generator/evaluation/) on its own
fixtures, and the Guangxi demo data."""
from __future__ import annotations

import datetime as dt
import random
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from benchmarks.project import DEMO
from generator.evaluation import checks as checks
from generator.evaluation import grading as g
from generator.evaluation import history, notice_text
from generator.evaluation.grading import EXCELLENT, FAIL, GOOD, PASS, Fact, Result, Round, Scheme, Tier
from generator.load import evaluations as el
from generator.load.content import load_content

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED_SENTENCE = (
    "其中，护理、临床检验、医院感染管理、病案管理质控中心为优秀；产科、药事管理、精神医学、结核病医疗、病理、"
    "艾滋病医疗、放射影像、核医学专业质控中心为良好；血液内科、消化内科、人体器官移植技术、综合介入技术质控中心"
    "为不合格；其余为合格（详见附件）。"
)


def D(x) -> Decimal:
    return Decimal(str(x))


def totals_round(totals, scheme: Scheme | None = None, **kw) -> Round:
    results = tuple(Result(f"c{i + 1}", total=D(t)) for i, t in enumerate(totals))
    return Round(2024, results, scheme or Scheme(), **kw)


def grades_of(totals, **scheme_kw) -> list[str]:
    scheme = Scheme(**scheme_kw)
    return [x.grade for x in g.grades_from_scores(scheme, [Result(f"c{i}", total=D(t)) for i, t in enumerate(totals)])]


def codes(problems) -> list[str]:
    return [p.code for p in problems]


# ---------------------------------------------------------------- rounding


def test_default_rule_gives_the_published_counts_for_39():
    assert g.tier_counts(Scheme(), 39) == {EXCELLENT: 4, GOOD: 8, PASS: 23, FAIL: 4}


@pytest.mark.parametrize(
    "rounding, expected",
    [
        ("round_half_up", {EXCELLENT: 4, GOOD: 8, PASS: 23, FAIL: 4}),
        ("ceil", {EXCELLENT: 4, GOOD: 8, PASS: 23, FAIL: 4}),
        ("floor", {EXCELLENT: 3, GOOD: 8, PASS: 25, FAIL: 3}),  # contradicts the published result
    ],
)
def test_rounding_rules_at_39(rounding, expected):
    assert g.tier_counts(Scheme(rounding=rounding), 39) == expected


def test_round_half_up_is_not_bankers_rounding():
    # 10% of 25 = 2.5: half-up gives 3 (Python's round() would give 2); 10% of 5 = 0.5 → 1 (round() → 0)
    assert g.count_for_share(Fraction(1, 10), 25, "round_half_up") == 3
    assert g.count_for_share(Fraction(1, 10), 5, "round_half_up") == 1
    assert g.count_for_share(Decimal("0.3"), 39, "round_half_up") == 12  # 11.7, exact decimal input
    assert g.count_for_share("0.1", 39, "floor") == 3


@pytest.mark.parametrize(
    "n, expected",
    [
        # 10% and 30% of 1 round to 0: a lone center is 合格
        (1, [PASS]),
        # 30% of 2 = 0.6 → 1 良好; 10% → 0 优秀, 0 不合格
        (2, [GOOD, PASS]),
        # 30% of 3 = 0.9 → 1 良好; 10% of 3 = 0.3 → no 优秀, no 不合格
        (3, [GOOD, PASS, PASS]),
        # 10% of 5 = 0.5 → 1 (half up); 30% of 5 = 1.5 → 2 (so 1 良好); bottom 0.5 → 1
        (5, [EXCELLENT, GOOD, PASS, PASS, FAIL]),
        # 1 优秀, 3 − 1 = 2 良好, 1 不合格, 6 合格
        (10, [EXCELLENT, GOOD, GOOD] + [PASS] * 6 + [FAIL]),
    ],
)
def test_small_rounds(n, expected):
    totals = [100 - i for i in range(n)]
    assert grades_of(totals) == expected


def test_ceil_on_one_center_top_tier_wins_over_bottom_tier():
    # ceil claims the lone center for both 优秀 (top 10%) and 不合格 (bottom 10%): the top tier wins
    assert grades_of([80], rounding="ceil") == [EXCELLENT]
    assert grades_of([80, 70, 60], rounding="ceil") == [EXCELLENT, PASS, FAIL]


# ---------------------------------------------------------------- ranking and grading from scores


def test_competition_ranks():
    assert g.competition_ranks([D(90), D(80), D(80), D(70)]) == [1, 2, 2, 4]
    assert g.competition_ranks([D(70), D(80), D(90), D(80)]) == [4, 2, 1, 2]
    assert g.competition_ranks([D(5)] * 3) == [1, 1, 1]


def test_totals_are_area_sums_plus_bonus():
    r = Result("c", scores={"甲": D("30.5"), "乙": D("40.25")}, bonus=D(3))
    assert g.total_of(r) == D("73.75")
    assert g.total_of(Result("c", total=D(88))) == D(88)
    with pytest.raises(ValueError):
        g.total_of(Result("c", grade=PASS))


def test_39_distinct_totals_in_any_order():
    totals = [D(60) + D("0.5") * i for i in range(39)]  # 60.0 … 79.0, all distinct
    shuffled = totals[:]
    random.Random(7).shuffle(shuffled)
    results = [Result(f"c{i}", total=t) for i, t in enumerate(shuffled)]
    graded = g.grades_from_scores(Scheme(), results)
    by_total = sorted(graded, key=lambda x: x.total, reverse=True)
    assert [x.grade for x in by_total] == [EXCELLENT] * 4 + [GOOD] * 8 + [PASS] * 23 + [FAIL] * 4
    assert [x.rank for x in by_total] == list(range(1, 40))
    assert [x.center for x in graded] == [r.center for r in results]  # input order kept
    assert not any(x.straddles for x in graded)


def test_39_from_area_scores_with_bonus():
    areas = ("组织管理", "质控培训")
    scheme = Scheme(areas=tuple(g.Area(a, D(50)) for a in areas))
    results = [
        # integer part i from 质控培训, a fraction below 1 from the rest: 39 distinct totals
        Result(f"c{i}", scores={"组织管理": D("0.1") * (i % 7), "质控培训": D(i)}, bonus=D("0.01") * (i % 3))
        for i in range(39)
    ]
    assert len({g.total_of(r) for r in results}) == 39
    assert not checks.score_problems(scheme, results)
    graded = g.grades_from_scores(scheme, results)
    # c38 has the highest total (38.x), c0 the lowest
    assert [x.grade for x in reversed(graded)] == [EXCELLENT] * 4 + [GOOD] * 8 + [PASS] * 23 + [FAIL] * 4


BOUNDARY_CASES = [
    # (tied positions, grade under include, grade under exclude) for N = 10 (1 优秀, 2 良好, 6 合格, 1 不合格)
    ((0, 1), EXCELLENT, GOOD),
    ((2, 3), GOOD, PASS),
    ((8, 9), PASS, FAIL),
    ((0, 1, 2, 3), EXCELLENT, PASS),  # a tie group spanning two boundaries
]


@pytest.mark.parametrize("ties", ["include", "exclude"])
@pytest.mark.parametrize("tied, better, worse", BOUNDARY_CASES)
def test_ties_on_every_boundary(ties, tied, better, worse):
    totals = [D(100 - 5 * i) for i in range(10)]
    for p in tied:
        totals[p] = totals[tied[0]]
    graded = g.grades_from_scores(Scheme(ties=ties), [Result(f"c{i}", total=t) for i, t in enumerate(totals)])
    expected_tied = better if ties == "include" else worse
    assert {graded[p].grade for p in tied} == {expected_tied}
    assert {graded[p].rank for p in tied} == {tied[0] + 1}
    assert all(graded[p].straddles for p in tied)
    untied = [x for i, x in enumerate(graded) if i not in tied]
    no_ties = g.positional_grades(Scheme(), 10)
    assert [x.grade for x in untied] == [no_ties[i] for i in range(10) if i not in tied]


def test_include_is_the_default_tie_rule():
    assert Scheme().ties == "include"
    assert grades_of([90, 90] + [50 - i for i in range(8)]) [:2] == [EXCELLENT, EXCELLENT]


@pytest.mark.parametrize("ties, grade", [("include", EXCELLENT), ("exclude", FAIL)])
def test_everything_equal(ties, grade):
    # One tie group covers every position: include gives everyone the best grade any position has,
    # exclude the worst. Both are the literal rule; `straddles` lets an editor see it happened.
    graded = g.grades_from_scores(Scheme(ties=ties), [Result(f"c{i}", total=D(77)) for i in range(10)])
    assert {x.grade for x in graded} == {grade}
    assert {x.rank for x in graded} == {1}
    assert all(x.straddles for x in graded)


def test_everything_equal_in_a_round_too_small_for_any_tier():
    graded = g.grades_from_scores(Scheme(ties="exclude"), [Result(f"c{i}", total=D(77)) for i in range(4)])
    # 4 centers: no 优秀 (0.4 → 0) and no 不合格; 30% of 4 = 1.2 → 1 良好; exclude → all 合格
    assert {x.grade for x in graded} == {PASS}


def test_custom_scheme_with_two_bottom_tiers():
    scheme = Scheme(tiers=(Tier(EXCELLENT, top=Fraction(1, 5)), Tier("基本合格", bottom=Fraction(2, 5)),
                           Tier(FAIL, bottom=Fraction(1, 5))))
    assert scheme.grade_order() == (EXCELLENT, PASS, "基本合格", FAIL)
    assert g.positional_grades(scheme, 5) == [EXCELLENT, PASS, PASS, "基本合格", FAIL]
    assert scheme_problems_ok(scheme)


def scheme_problems_ok(scheme):
    return checks.scheme_problems(scheme) == []


# ---------------------------------------------------------------- validation


def test_default_scheme_is_valid():
    assert checks.scheme_problems(Scheme()) == []
    assert checks.scheme_problems(Scheme(areas=(g.Area("甲", D(60)), g.Area("乙", D(40))))) == []


@pytest.mark.parametrize(
    "scheme, code, path",
    [
        (Scheme(tiers=(Tier(EXCELLENT, top=Fraction(3, 10)), Tier(GOOD, top=Fraction(1, 10)))),
         "tiers_overlap", ("scheme", "tiers", 1, "top")),
        (Scheme(tiers=(Tier(FAIL, bottom=Fraction(1, 10)), Tier("基本合格", bottom=Fraction(2, 10)))),
         "tiers_overlap", ("scheme", "tiers", 1, "bottom")),
        (Scheme(tiers=(Tier(EXCELLENT, top=Fraction(6, 10)), Tier(FAIL, bottom=Fraction(5, 10)))),
         "tiers_exceed_total", ("scheme", "tiers")),
        (Scheme(tiers=(Tier(EXCELLENT, top=Fraction(3, 2)),)), "tier_share_range", ("scheme", "tiers", 0, "top")),
        (Scheme(tiers=(Tier(EXCELLENT, top=Fraction(0)),)), "tier_share_range", ("scheme", "tiers", 0, "top")),
        (Scheme(tiers=(Tier(EXCELLENT),)), "tier_share", ("scheme", "tiers", 0)),
        (Scheme(tiers=(Tier(EXCELLENT, top=Fraction(1, 10), bottom=Fraction(1, 10)),)), "tier_share",
         ("scheme", "tiers", 0)),
        (Scheme(tiers=(Tier(FAIL, bottom=Fraction(1, 10)), Tier(EXCELLENT, top=Fraction(1, 10)))), "tier_order",
         ("scheme", "tiers", 1)),
        (Scheme(tiers=(Tier(PASS, top=Fraction(1, 10)),)), "duplicate_grade", ("scheme", "rest")),
        (Scheme(areas=(g.Area("甲", D(60)), g.Area("乙", D(30)))), "total_max_mismatch", ("scheme", "total_max")),
        (Scheme(areas=(g.Area("甲", D(0)),)), "negative_max", ("scheme", "areas", 0, "max")),
        (Scheme(areas=(g.Area("甲"), g.Area("甲"))), "duplicate_area", ("scheme", "areas", 1)),
        (Scheme(bonus_max=D(-1)), "negative_max", ("scheme", "bonus_max")),
        (Scheme(rounding="nearest"), "unknown_rounding", ("scheme", "rounding")),
        (Scheme(ties="share"), "unknown_ties", ("scheme", "ties")),
    ],
)
def test_scheme_problems(scheme, code, path):
    problems = checks.scheme_problems(scheme)
    assert (code, path) in [(p.code, p.path) for p in problems]
    found = next(p for p in problems if p.code == code)
    assert re.search(r"[\u4e00-\u9fff]", found.message) and re.search(r"[\u4e00-\u9fff]", found.hint)


SCHEME = Scheme(areas=(g.Area("组织管理", D(40)), g.Area("质控培训", D(60))))


@pytest.mark.parametrize(
    "result, code, path",
    [
        (Result("a", scores={"组织管理": D(41), "质控培训": D(50)}), "area_above_max", ("results", 0, "scores", "组织管理")),
        (Result("a", scores={"组织管理": D(-1), "质控培训": D(50)}), "negative_score", ("results", 0, "scores", "组织管理")),
        (Result("a", scores={"组织管理": D(30), "质控培训": D(50)}, bonus=D(11)), "bonus_above_max",
         ("results", 0, "bonus")),
        (Result("a", scores={"组织管理": D(30), "质控培训": D(50)}, bonus=D(-2)), "negative_score", ("results", 0, "bonus")),
        (Result("a", total=D(111)), "total_above_max", ("results", 0, "total")),
        (Result("a", total=D(-3)), "negative_score", ("results", 0, "total")),
        (Result("a", scores={"组织管理": D(30), "质控培训": D(50)}, total=D(81)), "total_mismatch",
         ("results", 0, "total")),
        (Result("a", scores={"组织管理": D(30), "质控培训": D(50), "加分": D(3)}), "unknown_area",
         ("results", 0, "scores", "加分")),
        (Result("a", scores={"组织管理": D(30)}), "missing_area", ("results", 0, "scores")),
        (Result("a", grade=PASS), "missing_scores", ("results", 0)),
    ],
)
def test_score_problems(result, code, path):
    problems = checks.score_problems(SCHEME, [result])
    assert [(p.code, p.path) for p in problems] == [(code, path)]
    assert problems[0].path_text().startswith("results[0]")


def test_valid_scores_have_no_problems():
    ok = Result("a", scores={"组织管理": D(40), "质控培训": D(60)}, bonus=D(10))
    assert g.total_of(ok) == D(110)
    assert checks.score_problems(SCHEME, [ok]) == []


def test_round_problems():
    r = Round(2024, (
        Result("a", grade=EXCELLENT),
        Result("a", grade=PASS),
        Result("zz", grade="优良"),
        Result("b"),
    ), Scheme(), evaluated=5)
    found = [(p.code, p.path) for p in checks.round_problems(r, centers={"a", "b"})]
    assert ("duplicate_center", ("results", 1, "center")) in found
    assert ("unknown_center", ("results", 2, "center")) in found
    assert ("unknown_grade", ("results", 2, "grade")) in found
    assert ("missing_grade", ("results", 3)) in found
    assert ("evaluated_count", ("evaluated",)) in found


def test_round_problems_scores():
    mixed = Round(2024, (Result("a", total=D(80)), Result("b", grade=PASS)), Scheme())
    assert "mixed_results" in codes(checks.round_problems(mixed))
    # 10 centers by score: the best one is 优秀, not 良好
    results = tuple(Result(f"c{i}", total=D(90 - i), grade=GOOD if i == 0 else None) for i in range(10))
    disagree = checks.round_problems(Round(2024, results, Scheme()))
    assert [(p.code, p.path) for p in disagree] == [("grade_disagrees", ("results", 0, "grade"))]
    assert "优秀" in disagree[0].message
    assert "missing_scheme" in codes(checks.round_problems(Round(2024, (Result("a", grade=PASS),))))
    assert "empty_round" in codes(checks.round_problems(Round(2024, (), Scheme())))


def test_published_grade_counts_are_checked_against_the_rule():
    grades = [EXCELLENT] * 2 + [PASS] * 8  # the rule gives 1 优秀, 2 良好, 6 合格, 1 不合格
    r = Round(2024, tuple(Result(f"c{i}", grade=x) for i, x in enumerate(grades)), Scheme())
    problems = checks.round_problems(r)
    assert codes(problems) == ["grade_counts_differ"]
    assert problems[0].severity == "warning"
    good = [EXCELLENT, GOOD, GOOD] + [PASS] * 6 + [FAIL]
    assert checks.round_problems(Round(2024, tuple(Result(f"c{i}", grade=x) for i, x in enumerate(good)), Scheme())) == []


def test_partial_round_needs_no_scheme_and_no_full_list():
    r = Round(2023, (Result("a", grade=FAIL),), partial=True)
    assert checks.round_problems(r, centers={"a"}) == []
    assert "unknown_grade" in codes(checks.round_problems(Round(2023, (Result("a", grade="不合各"),), partial=True)))


def test_problem_located_as_editor_problem():
    p = g.Finding("x", "等次不对", "改成合格", ("results", 2, "grade"), severity="warning")
    e = p.at("content/evaluations/s/2024.yml", 12)
    assert (e.file, e.line, e.hint) == ("content/evaluations/s/2024.yml", 12, "改成合格")
    assert e.message == "等次不对" and e.warning  # shown as 提醒, does not stop the build
    assert "提醒：等次不对" in e.format()
    assert p.path_text() == "results[2].grade"


# ---------------------------------------------------------------- grade sentence and placeholders


def simple_round(grades: list[str]) -> tuple[Round, dict[str, str]]:
    results = tuple(Result(f"c{i}", grade=x) for i, x in enumerate(grades))
    registry = {f"c{i}": f"甲{i}" for i in range(len(grades))}
    return Round(2024, results, Scheme()), registry


def test_grade_sentence_shapes():
    r, reg = simple_round([EXCELLENT, GOOD, GOOD, PASS, PASS, PASS, PASS, PASS, PASS, FAIL])
    assert notice_text.grade_sentence(r, reg) == "其中，甲0质控中心为优秀；甲1、甲2质控中心为良好；甲9质控中心为不合格；其余为合格（详见附件）。"
    r, reg = simple_round([GOOD, PASS])
    assert notice_text.grade_sentence(r, reg) == "其中，甲0质控中心为良好；其余为合格（详见附件）。"
    r, reg = simple_round([PASS])
    assert notice_text.grade_sentence(r, reg) == "参评质控中心均为合格（详见附件）。"
    r, reg = simple_round([EXCELLENT, FAIL])  # no rest: no "其余为"
    assert notice_text.grade_sentence(r, reg) == "其中，甲0质控中心为优秀；甲1质控中心为不合格（详见附件）。"
    with pytest.raises(ValueError):
        notice_text.grade_sentence(Round(2023, (Result("c0", grade=FAIL),), partial=True), {"c0": "甲"})


def test_grade_sentence_follows_annex_order_not_grade_order_of_input():
    r, reg = simple_round([PASS] * 8 + [FAIL, EXCELLENT])
    reg = {**reg, "c8": "乙", "c9": "丙"}
    assert notice_text.grade_sentence(r, reg) == "其中，丙质控中心为优秀；乙质控中心为不合格；其余为合格（详见附件）。"


def test_filled_text():
    values = {"评估结果": "其中，甲质控中心为优秀。"}
    text, problems = notice_text.filled_text("第一行\n等次如下。{{ 评估结果 }}\n{{评估结果}}", values)
    assert text == "第一行\n等次如下。其中，甲质控中心为优秀。\n其中，甲质控中心为优秀。" and problems == []
    text, problems = notice_text.filled_text("一\n二{{ 评估名单 }}", values)
    assert text == "一\n二{{ 评估名单 }}"
    assert [(p.code, p.line) for p in problems] == [("unknown_placeholder", 2)]
    _, problems = notice_text.filled_text("一\n\n{{ 评估结果 }\n", values)
    assert [(p.code, p.line) for p in problems] == [("broken_placeholder", 3)]


# ---------------------------------------------------------------- history


def rounds_of(*years_and_grades, partial_years=()) -> list[Round]:
    """rounds_of((2022, {"a": 合格}), …) — a round per year; partial years list only known grades."""
    return [
        Round(y, tuple(Result(c, grade=x) for c, x in grades.items()), None if y in partial_years else Scheme(),
              partial=y in partial_years)
        for y, grades in years_and_grades
    ]


def test_consecutive_fail():
    rounds = rounds_of((2023, {"a": FAIL, "b": PASS, "c": FAIL}), (2024, {"a": FAIL, "b": FAIL, "c": PASS}),
                       partial_years=(2023,))
    flags = history.history_flags(rounds, [], 2024)
    assert flags["a"].consecutive_fail is True
    assert flags["b"].consecutive_fail is False
    assert flags["c"].consecutive_fail is False


def test_unknown_year_is_unknown_not_pass():
    rounds = rounds_of((2023, {"a": FAIL}), (2024, {"a": FAIL, "b": FAIL, "c": PASS}), partial_years=(2023,))
    flags = history.history_flags(rounds, [], 2024)
    assert flags["b"].consecutive_fail is None  # 2023 grade of b not published
    assert flags["b"].two_fails_in_three_years is None
    assert flags["c"].two_fails_in_three_years is None  # 2022 and 2023 could both have been 不合格
    assert flags["c"].repeatedly_bottom is None


def test_false_only_when_proven():
    rounds = rounds_of((2022, {"a": PASS}), (2023, {"a": FAIL}), (2024, {"a": PASS}))
    flags = history.history_flags(rounds, [], 2024)["a"]
    assert flags == history.HistoryFlags(False, False, False)


def test_open_year_fact_counts_once_inside_the_window():
    rounds = rounds_of((2022, {}), (2023, {}), (2024, {"t": FAIL}), partial_years=(2022, 2023))
    fact = Fact("t", FAIL, (2022, 2023), source="近 3 年评估中有 2 次不合格")
    flags = history.history_flags(rounds, [fact], 2024)["t"]
    assert flags.two_fails_in_three_years is True
    assert flags.repeatedly_bottom is True
    assert flags.consecutive_fail is None  # which year is not known
    # the same fact seen from 2025: its candidate 2022 is outside 2023–2025, so it no longer counts
    rounds25 = rounds + rounds_of((2025, {"t": PASS}))
    assert history.history_flags(rounds25, [fact], 2025)["t"].two_fails_in_three_years is None
    # a fact whose candidate years reach outside the window does not count
    old = Fact("t", FAIL, (2021, 2022), source="x")
    assert history.history_flags(rounds, [old], 2024)["t"].two_fails_in_three_years is None


def test_fact_is_not_double_counted_with_a_known_grade():
    rounds = rounds_of((2023, {"t": FAIL}), (2024, {"t": PASS}), partial_years=(2023,))
    fact = Fact("t", FAIL, (2022, 2023), source="x")  # may be the very 2023 不合格
    assert history.history_flags(rounds, [fact], 2024)["t"].two_fails_in_three_years is None


def test_fact_resolves_to_its_only_possible_year():
    rounds = rounds_of((2023, {"t": PASS}), (2024, {"t": FAIL}), partial_years=(2023,))
    fact = Fact("t", FAIL, (2022, 2023), source="x")  # 2023 was 合格, so it is 2022
    flags = history.history_flags(rounds, [fact], 2024)["t"]
    assert flags.two_fails_in_three_years is True
    assert flags.consecutive_fail is False
    assert checks.history_problems(rounds, [fact]) == []


def test_contradicted_fact_is_a_problem():
    rounds = rounds_of((2022, {"t": PASS}), (2023, {"t": GOOD}))
    problems = checks.history_problems(rounds, [Fact("t", FAIL, (2022, 2023), source="x")], centers={"t"})
    assert [(p.code, p.path) for p in problems] == [("fact_contradiction", ("facts", 0))]
    problems = checks.history_problems([], [Fact("nobody", FAIL, (2022,), source="")], centers={"t"})
    assert codes(problems) == ["unknown_center", "fact_source"]


def test_repeatedly_bottom_counts_rounds_on_record_not_calendar_years():
    # evaluations held in 2019, 2021 and 2024 only: 不合格 in 2019 and 2024 is 2 of the last 3 rounds,
    # but not 2 不合格 within the calendar years 2022–2024.
    rounds = rounds_of((2019, {"a": FAIL}), (2021, {"a": PASS}), (2024, {"a": FAIL}))
    flags = history.history_flags(rounds, [], 2024)["a"]
    assert flags.repeatedly_bottom is True
    assert flags.two_fails_in_three_years is None  # 2022 and 2023 have no record
    assert flags.consecutive_fail is None


def test_repeatedly_bottom_uses_the_rounds_bottom_grades():
    tiers = (Tier(EXCELLENT, top=Fraction(1, 5)), Tier("基本合格", bottom=Fraction(2, 5)), Tier(FAIL, bottom=Fraction(1, 5)))
    record = ((2022, "基本合格"), (2023, PASS), (2024, FAIL))
    listed = Scheme(tiers=tiers, bottom=("基本合格", FAIL))
    flags = history.history_flags([Round(y, (Result("a", grade=x),), listed, partial=True) for y, x in record], [], 2024)["a"]
    assert flags.repeatedly_bottom is True
    assert flags.two_fails_in_three_years is False  # 基本合格 is listed as bottom, but is not 不合格
    # Not listed: 末档 is the failing grade only, so one 不合格 in three rounds is not "repeatedly".
    plain = Scheme(tiers=tiers)
    flags = history.history_flags([Round(y, (Result("a", grade=x),), plain, partial=True) for y, x in record], [], 2024)["a"]
    assert flags.repeatedly_bottom is False


def test_repeatedly_bottom_with_fewer_than_three_rounds_on_record():
    rounds = rounds_of((2024, {"a": PASS, "b": FAIL}))
    flags = history.history_flags(rounds, [], 2024)
    assert flags["a"].repeatedly_bottom is None  # two earlier rounds may exist off the record
    assert flags["b"].repeatedly_bottom is None


# ---------------------------------------------------------------- the Guangxi demo data


@pytest.fixture(scope="module")
def demo():
    content = load_content(DEMO)
    assert [p.format() for p in content.problems] == []
    notice_series = {c.id for c in content.centers if c.region.province == "广西壮族自治区"}
    registry = {c.id: c for c in content.centers if c.id in notice_series}
    return registry, content.evaluations["guangxi-notices"], content


def annex_tsv() -> list[list[str]]:
    lines = (ROOT / "tests/data/guangxi_annex.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == ["序号", "质控中心", "评估结果", "挂靠单位"]
    return [line.split("\t") for line in lines[1:]]


def test_demo_registry(demo):
    registry, _, _ = demo
    assert len(registry) == 39
    assert all(cid.startswith("gx-") for cid in registry)
    assert [registry[c].name for c in registry] == [row[1] for row in annex_tsv()]
    assert all(" " not in c.host for c in registry.values())
    assert registry["gx-infection-control"].aliases == ["院感质控中心"]


def test_demo_round_matches_the_annex(demo):
    registry, ev, _ = demo
    rnd = ev.rounds[2024]
    rows = notice_text.annex_rows(rnd, registry)
    assert [[str(r.number), r.name, r.grade, r.host] for r in rows] == annex_tsv()
    assert (rnd.evaluated, rnd.excluded.count, rnd.excluded.reason) == (39, 10, "委托筹建")
    assert (rnd.scheme.total_max, rnd.scheme.bonus_max, len(rnd.scheme.areas)) == (110, 10, 6)
    assert all(a.max is None for a in rnd.scheme.areas)  # area maxima are not published
    assert (rnd.rectification.due_text, rnd.rectification.due) == ("9月底前", dt.date(2025, 9, 30))
    counts = {k: 0 for k in rnd.scheme.grade_order()}
    for grade in g.final_grades(rnd).values():
        counts[grade] += 1
    assert counts == g.tier_counts(rnd.scheme, 39) == {EXCELLENT: 4, GOOD: 8, PASS: 23, FAIL: 4}


def test_demo_grade_sentence_is_the_published_one(demo):
    registry, ev, _ = demo
    assert notice_text.grade_sentence(ev.rounds[2024], registry) == PUBLISHED_SENTENCE


def test_demo_scores_in_annex_order_reproduce_the_published_grades(demo):
    # The annex lists centers best grade first; any strictly decreasing totals in that order must
    # give back exactly the published grades and sentence through the score path.
    registry, ev, _ = demo
    rnd = ev.rounds[2024]
    scored = Round(2024, tuple(Result(r.center, total=D(100) - i) for i, r in enumerate(rnd.results)), rnd.scheme)
    assert g.final_grades(scored) == g.final_grades(rnd)
    assert notice_text.grade_sentence(scored, registry) == PUBLISHED_SENTENCE


def test_demo_notice_body_is_filled_from_the_round(demo):
    registry, ev, content = demo
    [notice] = [n for n in content.notices if n.slug == "2025-15"]
    assert notice.evaluation == "guangxi-notices/2024"
    assert str(notice.doc_number) == "桂卫办发〔2025〕15号"
    assert "质控中心为优秀" not in notice.body  # the sentence is generated, never typed
    assert notice.body.count("{{ 评估结果 }}") == 1
    figures = next(s.figures for s in content.series if s.id == "guangxi-notices")  # {{ 工作量.… }}
    text, problems = notice_text.filled_notice_body(notice, ev.rounds[2024], registry, figures)
    assert problems == []
    assert "{{" not in text
    assert "其余为合格）。" + PUBLISHED_SENTENCE + "\n" in text + "\n"


def test_demo_history_flags(demo):
    _, ev, _ = demo
    flags = history.history_flags(list(ev.rounds.values()), ev.facts, 2024)
    for center in ("gx-gastroenterology", "gx-comprehensive-intervention", "gx-hematology"):
        assert flags[center] == history.HistoryFlags(True, True, True)
    assert flags["gx-organ-transplant"] == history.HistoryFlags(None, True, True)
    for center, f in flags.items():
        if center not in ("gx-gastroenterology", "gx-comprehensive-intervention", "gx-hematology",
                          "gx-organ-transplant"):
            assert f == history.HistoryFlags(False, None, None), center  # 2022/2023 grades unknown


def test_demo_partial_rounds_state_only_published_facts(demo):
    _, ev, _ = demo
    assert ev.rounds[2023].partial and ev.rounds[2022].partial
    assert {r.center: r.grade for r in ev.rounds[2023].results} == {
        "gx-gastroenterology": FAIL, "gx-comprehensive-intervention": FAIL, "gx-hematology": FAIL}
    assert ev.rounds[2022].results == ()
    assert [(f.center, f.grade, f.years) for f in ev.facts] == [("gx-organ-transplant", FAIL, (2022, 2023))]
    assert "近 3 年评估中有 2 次不合格" in ev.facts[0].source


# ---------------------------------------------------------------- loader: problems point at lines


def test_loader_locates_engine_problems(tmp_path):
    folder = tmp_path / "content/evaluations/demo"
    folder.mkdir(parents=True)
    (folder / "2024.yml").write_text(
        "year: 2023\n"
        "scheme:\n"
        "  areas: [{name: 甲, max: 60}, {name: 乙, max: 40}]\n"
        "  tiers:\n"
        "    - {grade: 优秀, top: 30%}\n"
        "    - {grade: 良好, top: 10%}\n"
        "  total_max: 110\n"
        "  bonus_max: 10\n"
        "results:\n"
        "  - center: a\n"
        "    scores: {甲: 50, 乙: 40}\n"
        "    bonus: 12\n",
        encoding="utf-8",
    )
    (folder / "facts.yml").write_text(
        "facts:\n  - center: a\n    grade: 不合格\n    years: [2023]\n    source: 某通报\n", encoding="utf-8")
    ev = el.load_evaluations(tmp_path, "demo", {"a"})
    where = {(p.line, p.message.split("，")[0]) for p in ev.problems}
    lines = sorted(p.line for p in ev.problems if p.file.endswith("2024.yml"))
    # line 1: year differs from the file name; 6: 良好 top 10% overlaps 优秀 top 30%; 12: bonus above its cap
    assert {1, 6, 12} <= set(lines), lines
    assert all(p.file.startswith("content/evaluations/demo/") for p in ev.problems), where


def test_loader_accepts_percent_and_fraction_shares(tmp_path):
    folder = tmp_path / "content/evaluations/demo"
    folder.mkdir(parents=True)
    (folder / "2024.yml").write_text(
        "year: 2024\nscheme:\n  tiers:\n    - {grade: 优秀, top: 10%}\n    - {grade: 良好, top: 0.3}\n"
        "    - {grade: 不合格, bottom: 10 %}\n  total_max: 110\n  bonus_max: 10\nresults:\n  - {center: a, grade: 合格}\n",
        encoding="utf-8",
    )
    ev = el.load_evaluations(tmp_path, "demo", {"a"})
    assert ev.problems == []
    assert ev.rounds[2024].scheme.tiers == Scheme().tiers


def test_loader_reports_bad_share(tmp_path):
    folder = tmp_path / "content/evaluations/demo"
    folder.mkdir(parents=True)
    (folder / "2024.yml").write_text(
        "year: 2024\nscheme:\n  tiers:\n    - {grade: 优秀, top: 前十}\n  total_max: 100\n  bonus_max: 0\nresults: []\n",
        encoding="utf-8")
    ev = el.load_evaluations(tmp_path, "demo")
    assert [p.line for p in ev.problems] == [4]


# ---------------------------------------------------------------- project rule


def test_engine_code_names_no_province():
    for name in ("evaluation/grading.py", "evaluation/checks.py", "evaluation/history.py",
                 "evaluation/notice_text.py", "evaluation/series.py", "load/evaluations.py"):
        text = (ROOT / "generator" / name).read_text(encoding="utf-8")
        assert not re.search(r"广西|湖北|桂卫|鄂卫|自治区", text), name
