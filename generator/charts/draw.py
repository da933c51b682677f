"""Drawing one chart from its spec with matplotlib: SVG (web, Typst) or PNG (Word).

Imported only when a chart is missing from the cache (charts/files.py), so an unchanged build
never pays for importing matplotlib. Deterministic: a fixed `svg.hashsalt`, no date or software
metadata, text drawn as paths in the CJK font the setup installs (fonts-noto-cjk), so the file is
the same on every machine and Typst, which cannot draw CJK text inside an SVG, shows it as is.

Colours are the Okabe–Ito colour-blind-safe set; grades are ordinal, so they also get falling
lightness and a hatch each, and every bar carries its number: legible in greyscale print.
"""
from __future__ import annotations

import io
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display; Figure.savefig picks the SVG or PNG canvas by format

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from generator.charts import LABEL_CHARS, LABEL_LINES
from generator.phrasing import wrap

FONT = "Noto Sans CJK SC"  # Debian fonts-noto-cjk (scripts/setup-system.sh)
STYLE = {
    "svg.hashsalt": "zkjb-chart",
    "svg.fonttype": "path",
    "font.family": [FONT, "DejaVu Sans"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.unicode_minus": False,
    "hatch.linewidth": 0.6,
    "path.simplify": False,
    "text.parse_math": False,  # an editor's "$" is a character, never mathtext
}
# Inks: the web's colours (Okabe–Ito: colour-blind safe; grades also hatched, so greyscale
# legible) and print's black on white (the printed documents use black and the masthead's red only).
INKS = {
    "web": {"bar": "#0072B2", "grades": ["#0072B2", "#009E73", "#F0E442", "#D55E00", "#CC79A7", "#999999"],
            "muted": "#555555", "grid": "#dddddd"},
    "print": {"bar": "black", "grades": ["white"] * 6, "muted": "black", "grid": None},
}
GRADE_HATCHES = ["", "///", "...", "xxx", "\\\\\\", "---"]
WIDTH = 6.4  # inches: the web column and the print text width both scale it




def _label(text: str) -> str:
    """A long name (a center's full name) on up to three lines, so the plot keeps its width,
    broken between its words (generator/phrasing.py), never inside one."""
    lines = wrap(text, LABEL_CHARS)
    if len(lines) > LABEL_LINES:
        lines = [*lines[:LABEL_LINES - 1], lines[LABEL_LINES - 1][:-1] + "…"]
    return "\n".join(lines)


def _render(fig: Figure, fmt: str) -> bytes:
    out = io.BytesIO()
    metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
    fig.savefig(out, format=fmt, dpi=300 if fmt == "png" else 72, metadata=metadata, bbox_inches=None)
    return out.getvalue()


def _bars(spec: dict, ink: dict) -> Figure:
    """One horizontal bar panel per figure (figures have different units and scales)."""
    panels = spec["panels"]
    height = sum(0.45 + sum(0.14 + 0.14 * _label(b[0]).count("\n") + 0.12 for b in p["bars"]) for p in panels)
    fig = Figure(figsize=(WIDTH, 0.6 + height), layout="constrained")
    axes = fig.subplots(len(panels), 1, squeeze=False)[:, 0]
    for ax, panel in zip(axes, panels):
        labels = [_label(b[0]) for b in panel["bars"]]
        values = [b[1] for b in panel["bars"]]
        ys = list(range(len(labels)))[::-1]
        ax.barh(ys, values, color=ink["bar"], edgecolor="black", linewidth=0.5, height=0.6)
        ax.set_yticks(ys, labels)
        title = panel["title"]
        ax.set_title(title if len(title) <= 40 else title[:39] + "…", loc="left", fontsize=9)
        top = max(values) if values else 0
        ax.set_xlim(0, top * 1.18 if top else 1)
        for y, v in zip(ys, values):
            ax.text(v + (top or 1) * 0.01, y, f"{v}", va="center", fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def _grades(spec: dict, ink: dict) -> Figure:
    """每年各等次数量: a stacked bar per round, a segment per grade with its count."""
    years = [_label(c) for c in spec["categories"]]
    fig = Figure(figsize=(WIDTH, 1.4 + 0.5 * len(years)), layout="constrained")
    ax = fig.subplots()
    ys = list(range(len(years)))[::-1]
    left = [0] * len(years)
    for k, (grade, counts) in enumerate(spec["series"]):
        colour, hatch = ink["grades"][k % len(ink["grades"])], GRADE_HATCHES[k % len(GRADE_HATCHES)]
        ax.barh(ys, counts, left=left, color=colour, hatch=hatch, edgecolor="black", linewidth=0.5,
                height=0.6, label=grade)
        for y, x0, n in zip(ys, left, counts):
            if n:
                ax.text(x0 + n / 2, y, str(n), ha="center", va="center", fontsize=8,
                        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})
        left = [a + b for a, b in zip(left, counts)]
    ax.set_yticks(ys, years)
    ax.set_xlabel("质控中心数（家）")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(ncols=len(spec["series"]), loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=8)
    return fig


def _history(spec: dict, ink: dict) -> Figure:
    """A center's grade by year: filled marks for published grades, hollow for partial rounds, a
    dashed span for a grade whose year is open (never placed in one year)."""
    order = spec["order"]
    level = {g: len(order) - 1 - i for i, g in enumerate(order)}  # best at the top
    years = sorted({p[0] for p in spec["points"]} | {y for f in spec["facts"] for y in f[0]})
    fig = Figure(figsize=(WIDTH, 0.9 + 0.35 * len(order)), layout="constrained")
    ax = fig.subplots()
    pts = spec["points"]
    if pts:
        ax.plot([p[0] for p in pts], [level[p[1]] for p in pts], color=ink["bar"], linewidth=1.2)
    for year, grade, partial in pts:
        ax.plot([year], [level[grade]], marker="o", markersize=7, color=ink["bar"],
                markerfacecolor="white" if partial else ink["bar"], markeredgewidth=1.5, linestyle="none")
    for fact_years, grade in spec["facts"]:
        y = level[grade]
        ax.plot(fact_years, [y] * len(fact_years), linestyle="--", color=ink["muted"], linewidth=1)
        ax.plot(fact_years, [y] * len(fact_years), marker="D", markersize=6, markerfacecolor="white",
                color=ink["muted"], linestyle="none")
        ax.annotate("年度未公布（其中一年）", (sum(fact_years) / len(fact_years), y), textcoords="offset points",
                    xytext=(0, 7), ha="center", fontsize=7, color=ink["muted"])
    ax.set_yticks(range(len(order)), [_label(g) for g in order[::-1]])
    ax.set_ylim(-0.6, len(order) - 0.4)
    ax.set_xticks(years, [f"{y}年度" for y in years])
    ax.set_xlim(min(years) - 0.6, max(years) + 0.6) if years else None
    if ink["grid"]:
        ax.grid(axis="y", color=ink["grid"], linewidth=0.5)
    return fig


KINDS = {"bars": _bars, "grades": _grades, "history": _history}


def draw(spec: dict, fmt: str, ink: str = "web") -> bytes:
    """The chart of `spec` as SVG or PNG bytes, in the web's colours or print's black."""
    with matplotlib.rc_context(STYLE):
        return _render(KINDS[spec["kind"]](spec, INKS[ink]), fmt)



def write_whole(path: Path, data: bytes) -> None:
    """The file written whole or not at all: a reader never sees half a chart."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
