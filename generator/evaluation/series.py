"""One evaluation series as loaded: its rounds by year and its open-year facts."""
from __future__ import annotations

from dataclasses import dataclass, field

from generator.evaluation.grading import EXCELLENT, FAIL, GOOD, PASS, Fact, Round
from generator.problems import Problem


@dataclass
class EvaluationSeries:
    series: str
    rounds: dict[int, Round] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

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
