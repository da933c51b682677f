"""One evaluation series as loaded: its rounds by year and its open-year facts."""
from __future__ import annotations

from dataclasses import dataclass, field

from generator.evaluation.grading import Fact, Round
from generator.problems import Problem


@dataclass
class EvaluationSeries:
    series: str
    rounds: dict[int, Round] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def round_for(evaluations: dict[str, EvaluationSeries], ref: str | None) -> Round | None:
    """The round a notice names as `evaluation: <series-id>/<year>`, if it exists."""
    series, _, year = (ref or "").partition("/")
    found = evaluations.get(series)
    return found.rounds.get(int(year)) if found and year.isdigit() else None
