"""One evaluation series as loaded: its rounds by year and its open-year facts."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from generator.evaluation.grading import EXCELLENT, FAIL, GOOD, PASS, Fact, Round
from generator.problems import Problem


@dataclass(frozen=True)
class Gate:
    """When a round or a fact may be public: its own status and date (generator.publication),
    and the notice that discloses it (`notice:`, as written; assemble/notices.py applies both)."""

    status: str = "published"
    publish_date: dt.date | None = None
    file: str = ""
    line: int | None = None
    notice: str | None = None  # the disclosing notice the file names: "<series-id>/<file name>" or 发文字号
    notice_line: int | None = None


OPEN = Gate()


@dataclass
class EvaluationSeries:
    series: str
    rounds: dict[int, Round] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    round_gates: dict[int, Gate] = field(default_factory=dict)  # year → gate (absent: public)
    fact_gates: list[Gate] = field(default_factory=list)  # parallel to facts (absent: public)

    def round_gate(self, year: int) -> Gate:
        return self.round_gates.get(year, OPEN)

    def gated_facts(self) -> list[tuple[Fact, Gate]]:
        return list(zip(self.facts, self.fact_gates or [OPEN] * len(self.facts)))

    def keeping(self, round_shown: Callable[[int, Gate], bool], fact_shown: Callable[[Gate], bool]) -> EvaluationSeries:
        """Only the rounds (by year and gate) and facts (by gate) the predicates keep: what every
        artifact is built from, so a round left out is absent everywhere (grades, history flags,
        annexes, search, statistics)."""
        return replace(self, rounds={y: r for y, r in self.rounds.items() if round_shown(y, self.round_gate(y))},
                       facts=[f for f, g in self.gated_facts() if fact_shown(g)],
                       round_gates={}, fact_gates=[])

    @property
    def scheme(self):
        """The newest scheme of the series: its grade names and failing grade stand for the
        series (a partial round, which has no scheme, uses them)."""
        schemes = [r.scheme for _, r in sorted(self.rounds.items()) if r.scheme is not None]
        return schemes[-1] if schemes else None

    @property
    def fail(self) -> str:
        return self.scheme.fail if self.scheme else FAIL

    @property
    def grades(self) -> tuple[str, ...]:
        """Every grade any scheme of the series names, best first as the newest scheme orders them."""
        schemes = [r.scheme for _, r in sorted(self.rounds.items(), reverse=True) if r.scheme is not None]
        found: list[str] = []
        for scheme in schemes:
            found += [g for g in scheme.grade_order() if g not in found]
        return tuple(found) or (EXCELLENT, GOOD, PASS, FAIL)


def round_for(evaluations: dict[str, EvaluationSeries], ref: str | None) -> Round | None:
    """The round a notice names as `evaluation: <series-id>/<year>`, if it exists."""
    series, _, year = (ref or "").partition("/")
    found = evaluations.get(series)
    return found.rounds.get(int(year)) if found and year.isdigit() else None
