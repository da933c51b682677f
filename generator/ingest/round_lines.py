"""The lines of an evaluation round file that a score-sheet import writes (new round or --merge)."""
from __future__ import annotations

from dataclasses import dataclass

from .centers import UNSURE, CenterMatcher
from .scores import ScoreRow
from .write import scalar


@dataclass
class SchemeSource:
    year: int
    rel: str
    areas: list  # AreaFile
    file: object  # SchemeFile
    text: str  # the `scheme:` block as written in its round (comments kept)


@dataclass
class Placed:
    row: ScoreRow
    center: str | None  # id, or None (【待确认】)
    candidates: list[str]


def result_fields(row: ScoreRow) -> list[str]:
    """`scores: {…}`, `bonus: …`, `total: …` as one flow line's parts, numbers as written."""
    parts = []
    if row.scores:
        parts.append("scores: {" + ", ".join(f"{scalar(k)}: {v:f}" for k, v in row.scores.items()) + "}")
    if row.bonus is not None:
        parts.append(f"bonus: {row.bonus:f}")
    if row.total is not None:
        parts.append(f"total: {row.total:f}")  # :f — never 1E+2, which YAML would read as text
    return parts


def result_line(p: Placed, matcher: CenterMatcher, indent: str = "  - ") -> str:
    note = f"{p.row.where} {p.row.name}"
    if p.center is None:
        note += "；候选：" + ("、".join(p.candidates) or "无")
    fields = [f"center: {scalar(p.center or UNSURE)}", *result_fields(p.row)]
    return f"{indent}{{{', '.join(fields)}}}   # {note}"
