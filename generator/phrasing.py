"""Where a Chinese name or label may break across lines: between the words it is made of, never
inside one ("南京市儿科 / 医疗质量控制中心", not "南京市儿科医疗质量控制中 / 心"). Used by the print
tables (print/typeset.py) and the charts' labels (charts/draw.py), so both break names alike."""
from __future__ import annotations

import itertools
import re

# Where an institution's name may break: after 大学/学院/医院 or a region word, before 医疗质量控制中心
# and the like. Generic Chinese words, nothing of one province.
_ENDS = ("大学", "学院", "医院", "自治区", "省", "市", "县")  # a phrase may end after these
_TAILS = ("医疗质量控制中心", "质量控制中心", "质控中心")  # ... and before these


def phrases(name: str) -> list[str]:
    """A name split into phrases the annex table keeps whole when they fit their column."""
    cuts = set()
    for word in _ENDS:
        at = name.find(word)
        while at >= 0:
            end = at + len(word)
            if 2 <= end <= len(name) - 2:
                cuts.add(end)
            at = name.find(word, end)
    for tail in _TAILS:
        if name.endswith(tail) and len(name) - len(tail) >= 2:
            cuts.add(len(name) - len(tail))
            break
    bounds = [0, *sorted(cuts), len(name)]
    return [name[a:b] for a, b in itertools.pairwise(bounds) if b > a] or [name]


_UNIT = re.compile(r"(?=（[^（）]*）$)")  # "涉及医疗机构（个）": the unit in brackets is a phrase of its own


def label_phrases(text: str) -> list[str]:
    """A table head or chart label split into phrases: its name's phrases, then the bracketed unit."""
    parts = [p for p in _UNIT.split(text, maxsplit=1) if p]
    return [*phrases(parts[0]), *parts[1:]] if parts else [text]


def wrap(text: str, width: int) -> list[str]:
    """The text in lines of at most `width` characters, broken between phrases; a phrase longer
    than a line is the only thing cut inside (at the line's width)."""
    lines: list[str] = []
    for phrase in label_phrases(text):
        while len(phrase) > width:
            if lines and len(lines[-1]) < width:  # fill the line begun, then cut
                room = width - len(lines[-1])
                lines[-1] += phrase[:room]
                phrase = phrase[room:]
                continue
            lines.append(phrase[:width])
            phrase = phrase[width:]
        if not phrase:
            continue
        if lines and len(lines[-1]) + len(phrase) <= width:
            lines[-1] += phrase
        else:
            lines.append(phrase)
    return lines or [""]


def fits(text: str, width: int, lines: int) -> bool:
    """The text goes on at most `lines` lines of `width` characters without cutting a phrase."""
    return all(len(p) <= width for p in label_phrases(text)) and len(wrap(text, width)) <= lines
