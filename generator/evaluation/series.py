"""One evaluation series as loaded: its rounds by year and its open-year facts."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from generator.evaluation.grading import EXCELLENT, FAIL, GOOD, PASS, Fact, Round
from generator.problems import Problem
from generator.publication import public_on


@dataclass(frozen=True)
class Gate:
    """When a round or a fact may be public: the same rule as stories (generator.publication)."""

    status: str = "published"
    publish_date: dt.date | None = None
    file: str = ""
    line: int | None = None


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

    def public(self, today: dt.date) -> EvaluationSeries:
        """Only the rounds and facts public on `today`: what every artifact is built from. A draft
        or future round is then absent everywhere (grades, history flags, annexes, search)."""
        gates = self.fact_gates or [OPEN] * len(self.facts)
        return replace(self, rounds={y: r for y, r in self.rounds.items() if public_on(self.round_gate(y), today)},
                       facts=[f for f, g in zip(self.facts, gates) if public_on(g, today)],
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


def public_evaluations(evaluations: dict[str, EvaluationSeries], today: dt.date) -> dict[str, EvaluationSeries]:
    return {series: ev.public(today) for series, ev in evaluations.items()}


def round_for(evaluations: dict[str, EvaluationSeries], ref: str | None) -> Round | None:
    """The round a notice names as `evaluation: <series-id>/<year>`, if it exists."""
    series, _, year = (ref or "").partition("/")
    found = evaluations.get(series)
    return found.rounds.get(int(year)) if found and year.isdigit() else None
