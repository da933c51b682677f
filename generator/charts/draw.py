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
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display; Figure.savefig picks the SVG or PNG canvas by format

from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path
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
PNG_DPI = 300  # Word's picture: print resolution
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
    fig.savefig(out, format=fmt, dpi=PNG_DPI if fmt == "png" else 72, metadata=metadata, bbox_inches=None)
    return out.getvalue()


# --- A fixed layout: margins from the measured sizes of the texts that stand outside the plot ----
# Matplotlib's constrained layout finds them by drawing the whole figure once more and measuring
# every tick label several times (most of a large chart's time); here each label's width is
# measured once, unhinted as the SVG's text paths are drawn, and every band has a known height.
PAD = 4.0  # points of white around everything
TICK = 7.0  # a tick's length and its label's distance from it (3.5 + 3.5 points)
LINE = 1.2  # a line's height in ems: the CJK font's ascender + descender (1 em) × matplotlib's spacing


@lru_cache(maxsize=4096)
def _width(text: str, size: float) -> float:
    """The width in points of `text`'s longest line at `size` points, as matplotlib draws it: the
    larger of the SVG's unhinted glyph paths and the PNG's glyphs hinted to its 300 dpi pixels
    (each advance rounded up to a whole pixel: up to ~1.5 % wider), so both files share one layout."""
    prop = FontProperties(family=STYLE["font.family"], size=size)
    return max(max(text_to_path.get_text_width_height_descent(line, prop, ismath=False)[0],
                   _png_renderer().get_text_width_height_descent(line, prop, ismath=False)[0] * 72 / PNG_DPI)
               for line in text.split("\n"))


@lru_cache(maxsize=1)
def _png_renderer() -> RendererAgg:
    return RendererAgg(1, 1, PNG_DPI)


def _height(text: str, size: float) -> float:
    return (text.count("\n") + 1) * LINE * size


def _place(fig: Figure, ax, left: float, bottom: float, width: float, height: float) -> None:
    """The axes at a rectangle given in points from the figure's lower left corner."""
    w, h = fig.get_size_inches() * 72
    ax.set_position((left / w, bottom / h, width / w, height / h))


def _fixed_axis_labels(ax) -> None:
    """Axis labels at their usual distance below/left of the ticks, without measuring every tick
    label to find it (an axis label's own position is measured on each draw otherwise)."""
    ax.xaxis.set_label_coords(0.5, 0.0)
    ax.xaxis.label.set_verticalalignment("top")
    ax.yaxis.set_label_coords(0.0, 0.5)


def _right_overhang(top: float, size: float) -> float:
    """Half the width of the widest x tick label: the last tick may sit at the plot's right edge."""
    ticks = [t for t in MaxNLocator(integer=True).tick_values(0, top) if 0 <= t <= top]
    return max((_width(f"{int(t)}", size) for t in ticks), default=0) / 2


def _bars(spec: dict, ink: dict) -> Figure:
    """One horizontal bar panel per figure (figures have different units and scales), stacked;
    each panel as tall as its bars need."""
    panels = spec["panels"]
    labels = [[_label(b[0]) for b in p["bars"]] for p in panels]
    titles = [p["title"] if len(p["title"]) <= 40 else p["title"][:39] + "…" for p in panels]
    tops = [max((b[1] for b in p["bars"]), default=0) for p in panels]
    limits = [top * 1.18 if top else 1 for top in tops]
    title_band = LINE * 9 + matplotlib.rcParams["axes.titlepad"]
    tick_band = TICK + LINE * 7
    gap = 8.0
    # a bar's row: the room the old layout gave each label's lines, at least the label's height
    rows = [max(sum(0.26 + 0.14 * lab.count("\n") for lab in labs) / max(len(labs), 1) * 72,
                max((_height(lab, 9) for lab in labs), default=0) + 2) for labs in labels]
    heights = [row * (len(labs) + 0.4) for row, labs in zip(rows, labels)]
    left = PAD + TICK + max((_width(lab, 9) for labs in labels for lab in labs), default=0)
    right = PAD + max((_right_overhang(lim, 7) for lim in limits), default=0)
    total = 2 * PAD + sum(heights) + len(panels) * (title_band + tick_band) + gap * max(len(panels) - 1, 0)
    fig = Figure(figsize=(WIDTH, total / 72))
    axes = fig.subplots(len(panels), 1, squeeze=False)[:, 0]
    y = total - PAD
    page = WIDTH * 72
    for ax, panel, labs, title, top, limit, height in zip(axes, panels, labels, titles, tops, limits, heights):
        y -= title_band + height
        _place(fig, ax, left, y, page - left - right, height)
        y -= tick_band + gap
        values = [b[1] for b in panel["bars"]]
        ys = list(range(len(labs)))[::-1]
        ax.barh(ys, values, color=ink["bar"], edgecolor="black", linewidth=0.5, height=0.6)
        ax.set_yticks(ys, labs)
        ax.set_ylim(-0.7, len(labs) - 0.3)
        # the title starts at the plot's left edge, or further left when it would run off the figure
        shift = min(0.0, page - PAD - left - _width(title, 9)) / (page - left - right)
        ax.set_title(title, loc="left", fontsize=9, x=max(shift, -(left - PAD) / (page - left - right)), y=1.0)
        ax.set_xlim(0, limit)
        for yy, v in zip(ys, values):
            ax.text(v + (top or 1) * 0.01, yy, f"{v}", va="center", fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        _fixed_axis_labels(ax)
    return fig


def _grades(spec: dict, ink: dict) -> Figure:
    """每年各等次数量: a stacked bar per round, a segment per grade with its count; the legend above."""
    years = [_label(c) for c in spec["categories"]]
    fig = Figure(figsize=(WIDTH, 1.4 + 0.5 * len(years)))
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
    legend = ax.legend(ncols=len(spec["series"]), loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, fontsize=8)
    top_value = max(left, default=0)
    size = matplotlib.rcParams["font.size"]
    w, h = WIDTH * 72, fig.get_size_inches()[1] * 72
    legend_h = legend.get_window_extent(FigureCanvasAgg(fig).get_renderer()).height * 72 / fig.dpi
    plot_left = PAD + TICK + max((_width(y, size) for y in years), default=0)
    x_max = ax.get_xlim()[1] if top_value else 1  # the bars' limit with matplotlib's usual margin
    bottom = PAD + TICK + LINE * size + matplotlib.rcParams["axes.labelpad"] + LINE * size
    right = PAD + _right_overhang(x_max, size)
    plot_h = h - bottom - PAD - legend_h
    _place(fig, ax, plot_left, bottom, w - plot_left - right, plot_h)
    # the axis label under the tick labels, at matplotlib's usual distance from them
    ax.xaxis.set_label_coords(0.5, -(TICK + LINE * size + matplotlib.rcParams["axes.labelpad"]) / plot_h)
    ax.xaxis.label.set_verticalalignment("top")
    return fig


def _history(spec: dict, ink: dict) -> Figure:
    """A center's grade by year: filled marks for published grades, hollow for partial rounds, a
    dashed span for a grade whose year is open (never placed in one year)."""
    order = spec["order"]
    level = {g: len(order) - 1 - i for i, g in enumerate(order)}  # best at the top
    years = sorted({p[0] for p in spec["points"]} | {y for f in spec["facts"] for y in f[0]})
    fig = Figure(figsize=(WIDTH, 0.9 + 0.35 * len(order)))
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
    grade_labels = [_label(g) for g in order[::-1]]
    year_labels = [f"{y}年度" for y in years]
    ax.set_yticks(range(len(order)), grade_labels)
    ax.set_ylim(-0.6, len(order) - 0.4)
    ax.set_xticks(years, year_labels)
    ax.set_xlim(min(years) - 0.6, max(years) + 0.6) if years else None
    if ink["grid"]:
        ax.grid(axis="y", color=ink["grid"], linewidth=0.5)
    size = matplotlib.rcParams["font.size"]
    w, h = WIDTH * 72, fig.get_size_inches()[1] * 72
    # the first and last year's labels, centred on their ticks 0.6 years inside the plot, may
    # stand out of it by the rest of their half width
    ends = [_width(year_labels[0], size) / 2, _width(year_labels[-1], size) / 2] if years else [0.0, 0.0]
    left = PAD + TICK + max((_width(g, size) for g in grade_labels), default=0)
    right = PAD
    for _ in range(3):  # the margins and the plot's width depend on each other: settles in a step or two
        year = (w - left - right) / (max(years) - min(years) + 1.2) if years else 0
        left = max(left, PAD + ends[0] - 0.6 * year)
        right = max(PAD, PAD + ends[1] - 0.6 * year)
    bottom = PAD + TICK + LINE * size
    top = PAD + 8.0  # an open year's note above the top grade's mark stands a little over the plot
    _place(fig, ax, left, bottom, w - left - right, h - bottom - top)
    _fixed_axis_labels(ax)
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
