"""History flags across years: repeated 不合格 and bottom grades, from the published record only.

Pure, like `grading.py`, whose classes it reads: complete rounds, partial rounds and open-year
facts (a grade received in one of several years). A grade that was not published is unknown,
never invented: a flag is True or False only when the record proves it, else None.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.evaluation.grading import FAIL, Fact, Round, final_grades


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
    repeatedly_bottom: a 末档 grade (the round scheme's bottom grades: its failing grade unless it
        lists `bottom_grades`; `fail` when the round has no scheme) in at least 2 of the last 3 rounds on record up to `year` (rounds may skip
        years); record missing for fewer than 3 rounds counts as unknown.
    A year whose grade is not published is unknown: a flag is False only when no unknown could
    make it True.
    """
    known, opens = _known_and_open(rounds, facts)
    by_year = {r.year: r for r in rounds}
    bottom_of = {y: r.scheme.bottom_grades() if r.scheme else frozenset({fail}) for y, r in by_year.items()}
    default_bottom = frozenset({fail})
    recent = sorted(y for y in by_year if y <= year)[-3:]
    is_fail = lambda g, y: g == fail
    is_bottom = lambda g, y: g in bottom_of.get(y, default_bottom) if y is not None else g in default_bottom
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
