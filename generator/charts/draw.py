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

import matplotlib

matplotlib.use("Agg")  # no display; Figure.savefig picks the SVG or PNG canvas by format

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

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
BAR = "#0072B2"  # Okabe–Ito blue
# Best to worst: dark to light, each with its own hatch (greyscale and colour-blind legible).
GRADE_COLOURS = ["#0072B2", "#009E73", "#F0E442", "#D55E00", "#CC79A7", "#999999"]
GRADE_HATCHES = ["", "///", "...", "xxx", "\\\\\\", "---"]
WIDTH = 6.4  # inches: the web column and the print text width both scale it


def _render(fig: Figure, fmt: str) -> bytes:
    out = io.BytesIO()
    metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
    fig.savefig(out, format=fmt, dpi=300 if fmt == "png" else 72, metadata=metadata, bbox_inches=None)
    return out.getvalue()


def _bars(spec: dict) -> Figure:
    """One horizontal bar panel per figure (figures have different units and scales)."""
    panels = spec["panels"]
    rows = max(len(p["bars"]) for p in panels)
    fig = Figure(figsize=(WIDTH, 0.6 + len(panels) * (0.45 + 0.26 * rows)), layout="constrained")
    axes = fig.subplots(len(panels), 1, squeeze=False)[:, 0]
    for ax, panel in zip(axes, panels):
        labels = [b[0] for b in panel["bars"]]
        values = [b[1] for b in panel["bars"]]
        ys = list(range(len(labels)))[::-1]
        ax.barh(ys, values, color=BAR, edgecolor="black", linewidth=0.5, height=0.6)
        ax.set_yticks(ys, labels)
        ax.set_title(panel["title"], loc="left", fontsize=9)
        top = max(values) if values else 0
        ax.set_xlim(0, top * 1.18 if top else 1)
        for y, v in zip(ys, values):
            ax.text(v + (top or 1) * 0.01, y, f"{v}", va="center", fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def _grades(spec: dict) -> Figure:
    """每年各等次数量: a stacked bar per round, a segment per grade with its count."""
    years = spec["categories"]
    fig = Figure(figsize=(WIDTH, 1.4 + 0.5 * len(years)), layout="constrained")
    ax = fig.subplots()
    ys = list(range(len(years)))[::-1]
    left = [0] * len(years)
    for k, (grade, counts) in enumerate(spec["series"]):
        colour, hatch = GRADE_COLOURS[k % len(GRADE_COLOURS)], GRADE_HATCHES[k % len(GRADE_HATCHES)]
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


def _history(spec: dict) -> Figure:
    """A center's grade by year: filled marks for published grades, hollow for partial rounds, a
    dashed span for a grade whose year is open (never placed in one year)."""
    order = spec["order"]
    level = {g: len(order) - 1 - i for i, g in enumerate(order)}  # best at the top
    years = sorted({p[0] for p in spec["points"]} | {y for f in spec["facts"] for y in f[0]})
    fig = Figure(figsize=(WIDTH, 0.9 + 0.35 * len(order)), layout="constrained")
    ax = fig.subplots()
    pts = spec["points"]
    if pts:
        ax.plot([p[0] for p in pts], [level[p[1]] for p in pts], color=BAR, linewidth=1.2)
    for year, grade, partial in pts:
        ax.plot([year], [level[grade]], marker="o", markersize=7, color=BAR,
                markerfacecolor="white" if partial else BAR, markeredgewidth=1.5, linestyle="none")
    for fact_years, grade in spec["facts"]:
        y = level[grade]
        ax.plot(fact_years, [y] * len(fact_years), linestyle="--", color="#555555", linewidth=1)
        ax.plot(fact_years, [y] * len(fact_years), marker="D", markersize=6, markerfacecolor="white",
                color="#555555", linestyle="none")
        ax.annotate("年度未公布（其中一年）", (sum(fact_years) / len(fact_years), y), textcoords="offset points",
                    xytext=(0, 7), ha="center", fontsize=7, color="#333333")
    ax.set_yticks(range(len(order)), order[::-1])
    ax.set_ylim(-0.6, len(order) - 0.4)
    ax.set_xticks(years, [f"{y}年度" for y in years])
    ax.set_xlim(min(years) - 0.6, max(years) + 0.6) if years else None
    ax.grid(axis="y", color="#dddddd", linewidth=0.5)
    return fig


KINDS = {"bars": _bars, "grades": _grades, "history": _history}


def draw(spec: dict, fmt: str) -> bytes:
    """The chart of `spec` as SVG or PNG bytes."""
    with matplotlib.rc_context(STYLE):
        return _render(KINDS[spec["kind"]](spec), fmt)

