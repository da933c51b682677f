"""Stage 2 — validate: rules that span files, every problem with its file and line.

references.py  ids, centers, issue memberships, file locations, notices and their rounds
publishing.py  periods, template placeholders, complete published issues, markup slips (warnings),
               HTML comments and nesting no output can carry
disclosure.py  the notices rounds and facts name as disclosing them exist and agree
levels.py      center levels written in traditional characters (warnings)
figures.py     activity figures declared by series and carried by stories; reserved path names
common.py      a problem at a model's field; close-match suggestions
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from generator.load.content import Content
from generator.problems import Problem
from generator.validate.disclosure import named_notices_exist
from generator.validate.figures import figure_declarations, figure_references, reserved_names
from generator.validate.levels import traditional_levels
from generator.validate.publishing import (
    PLACEHOLDER,
    hidden_or_deep_markup,
    issue_periods,
    issues_complete,
    markup_slips,
    overlong_titles,
    title_lines_match,
    unfinished_published,
)
from generator.validate.references import (
    center_references,
    commentary_references,
    duplicate_ids,
    file_locations,
    issue_memberships,
    notice_references,
    notice_rounds_public,
)

__all__ = ["PLACEHOLDER", "RULES", "validate"]


RULES: list[Callable[[Content], list[Problem]]] = [
    duplicate_ids,
    center_references,
    issue_memberships,
    commentary_references,
    file_locations,
    issue_periods,
    notice_references,
    named_notices_exist,
    unfinished_published,
    title_lines_match,
    overlong_titles,
    markup_slips,
    hidden_or_deep_markup,
    figure_declarations,
    figure_references,
    reserved_names,
    traditional_levels,
]


def validate(content: Content, today: dt.date) -> list[Problem]:
    """All problems: those found while loading, then every cross-file rule. `today` (decided by
    the pipeline, generator.publication) decides which scheduled stories and rounds are still to
    come (a published issue or notice must not silently lack them)."""
    problems = list(content.problems)
    for rule in RULES:
        problems += rule(content)
    return problems + issues_complete(content, today) + notice_rounds_public(content, today)
