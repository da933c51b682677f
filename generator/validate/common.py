"""Shared by the rules: a problem at a model's field, a close-match suggestion."""
from __future__ import annotations

import difflib

from generator.load.models import Model
from generator.problems import Problem


def problem(obj: Model, field: str | None, message: str, hint: str = "", warning: bool = False) -> Problem:
    return Problem(obj.file, obj.line_of(field) if field else obj.line_of(""), message, hint, warning=warning)


def suggest(word: str, choices: list[str]) -> str:
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return f"是不是“{found[0]}”？" if found else ""


def listed_stories(issue) -> list[tuple[str, str]]:
    """(dotted path of the list item, slug) for every story the issue lists, in order."""
    return [(f"sections.{i}.stories.{k}", slug)
            for i, section in enumerate(issue.sections) for k, slug in enumerate(section.stories)]
