"""The declared figure nearest to a name an editor wrote (for "是不是…？" hints in load and validate)."""
from __future__ import annotations

import difflib

# Measure words editors use for one another ("培训次数" for 培训场次, "培训人数" for 培训人次): the same
# key before names are compared, so the suggestion follows what is counted, not code points.
_MEASURES = (("人次", "人"), ("人数", "人"), ("场次", "场"), ("次数", "场"), ("场数", "场"))


def _measured(name: str) -> str:
    for word, key in _MEASURES:
        name = name.replace(word, key)
    return name


def closest_figure(name: str, declared: list[str]) -> str | None:
    """The declared name nearest to `name` (ties: the one declared first); None when nothing is alike."""
    def score(candidate: str) -> float:
        return difflib.SequenceMatcher(None, _measured(name), _measured(candidate)).ratio()
    best = max(declared, key=lambda c: (score(c), -declared.index(c)), default=None)
    return best if best is not None and score(best) > 0 else None
