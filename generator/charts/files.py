"""Chart files from the assembled statistics, cached by the hash of their data.

Each chart is a spec (plain JSON: what is drawn, nothing else) → build/cache/charts/<hash>.svg.
The hash covers the spec, the drawing code and the matplotlib version, so an edit that changes
one issue's figures redraws only that issue's chart (and the series' and its center's) and an
unchanged build draws nothing and never imports matplotlib. The print copies (black
only: an SVG for the PDF, a PNG for Word) are drawn on demand, beside the web's SVG.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path

from generator.assemble import SiteModel
from generator.assemble.statistics import CenterStatistics, FigureTable, SeriesStatistics
from generator.charts import LABEL_CHARS, LABEL_LINES
from generator.phrasing import fits

CACHE = Path("build") / "cache" / "charts"


@cache
def _code_version() -> str:
    digest = hashlib.sha256(version("matplotlib").encode())
    digest.update((Path(__file__).parent / "draw.py").read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Chart:
    rel: str  # docs-relative path of the SVG, e.g. "<series>/stats/grades.svg"
    caption: str
    alt: str  # what the picture shows; its numbers are in the table beside it
    spec: dict
    folder: Path  # the cache folder
    key: str  # hash of spec and drawing code

    @property
    def svg(self) -> Path:
        return self.folder / f"{self.key}.svg"

    @property
    def name(self) -> str:
        return self.rel.rsplit("/", 1)[-1]

    def png(self) -> Path:
        """The PNG at print resolution (300 dpi) in print's black, for Word; drawn when first asked for."""
        return _ensure(self, "png", "print")

    def print_svg(self) -> Path:
        """The SVG in print's black (the PDF prints black and red only); drawn when first asked for."""
        return _ensure(self, "svg", "print")


@dataclass
class ChartSet:
    issues: dict[str, Chart] = field(default_factory=dict)  # issue url → 本期统计 chart
    series_figures: dict[str, Chart] = field(default_factory=dict)  # series id → activity per period
    series_grades: dict[str, Chart] = field(default_factory=dict)  # series id → 每年各等次数量
    centers: dict[str, Chart] = field(default_factory=dict)  # center id → grade history
    drawn: int = 0  # charts drawn in this run (not taken from the cache)
    workers: list = field(default_factory=list, repr=False, compare=False)  # drawing beside the generator

    def all(self) -> list[Chart]:
        return [*self.issues.values(), *self.series_figures.values(), *self.series_grades.values(),
                *self.centers.values()]

    @property
    def files(self) -> dict[str, Path]:
        """The web SVGs by their docs path, every one drawn (waits for the workers)."""
        self.wait()
        return {c.rel: c.svg for c in self.all()}

    def wait(self) -> None:
        """Every web SVG exists: the workers' drawings finished, anything they left drawn here."""
        for worker in self.workers:
            worker.wait()
        self.workers = []
        for chart in self.all():
            _ensure(chart, "svg")
        if self.all():
            prune(self.all()[0].folder, {c.key for c in self.all()})


def _ensure(chart: Chart, fmt: str, ink: str = "web") -> Path:
    path = chart.folder / (f"{chart.key}.{fmt}" if ink == "web" else f"{chart.key}-{ink}.{fmt}")
    if not path.exists():
        from generator.charts.draw import draw, write_whole  # matplotlib only when something must be drawn

        write_whole(path, draw(chart.spec, fmt, ink))
    return path


PARALLEL_MIN = 3  # missing charts worth a worker process (its start costs about one chart)
SECOND_WORKER_MIN = 20  # missing charts worth a second worker beside the early one (importing matplotlib: ~5 charts)
KEEP_UNUSED_S = 86_400  # a file no chart of this run uses, left a day: a preview running beside may


def _worker():
    """A process that imports matplotlib and draw.py at once, then draws the jobs it reads on stdin (batch.py)."""
    from generator.tied import TiedProcess

    return TiedProcess([sys.executable, "-m", "generator.charts.batch"], stdin=subprocess.PIPE,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def early_worker(root: Path):
    """A first build (no chart cache yet: every chart will be drawn): the drawing worker started
    before the content is loaded, so that importing matplotlib (about a second) overlaps the
    load; chart_files hands it the charts. None when the cache exists (most charts are kept) or
    no process can be started. The caller kills it if the build fails before chart_files."""
    if (root / CACHE).exists():
        return None
    try:
        return _worker()
    except OSError:
        return None


def _start_workers(missing: list[Chart], early=None) -> list:
    """Processes drawing the `missing` charts' SVGs, the largest first, on the other cores: the
    `early` one (already importing matplotlib) and, with many charts or none early, more."""
    wanted = max(1, min(2, (os.cpu_count() or 1), len(missing) // PARALLEL_MIN))
    if early is not None and len(missing) < SECOND_WORKER_MIN:
        wanted = 1
    workers = [early] if early is not None else []
    while len(workers) < wanted:
        workers.append(_worker())
    jobs: list[list[dict]] = [[] for _ in workers]
    for n, chart in enumerate(sorted(missing, key=lambda c: -len(json.dumps(c.spec)))):
        jobs[n % len(workers)].append({"spec": chart.spec, "fmt": "svg", "ink": "web", "path": str(chart.svg)})
    for worker, batch in zip(workers, jobs):
        worker.stdin.write(json.dumps(batch, ensure_ascii=False).encode("utf-8"))
        worker.stdin.close()
    return workers


def prune(folder: Path, keys: set[str]) -> None:
    """Files of the cache no chart of this run uses (a key is a file's name up to its first "."
    or "-"), once a day old: a preview running beside this build uses its own (drafts' data)."""
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        key = entry.name.split(".", 1)[0].split("-", 1)[0]
        if key in keys:
            continue
        try:
            if now - entry.stat().st_mtime > KEEP_UNUSED_S:
                os.unlink(entry.path)
        except OSError:
            pass


def _unit(table: FigureTable, name: str) -> str:
    return next(f.unit for f in table.figures if f.name == name)


def _panels(table: FigureTable, labels: list[str]) -> list[dict]:
    panels = []
    for figure in table.figures:
        bars = [[label, row.values[figure.name]] for label, row in zip(labels, table.rows)
                if row.values.get(figure.name) is not None]
        if bars:
            panels.append({"title": f"{figure.name}（{_unit(table, figure.name)}）", "bars": bars})
    return panels


def bar_labels(table: FigureTable, short: dict[str, str]) -> list[str]:
    """A center's full name, or its short name (`short`: center id → short_name) when the full
    name cannot be broken between its words within the label's room and the short one can; a
    short name two rows share is not used (the chart would not tell them apart)."""
    counts: dict[str, int] = {}
    for r in table.rows:
        counts[short.get(r.key, "")] = counts.get(short.get(r.key, ""), 0) + 1
    out = []
    for r in table.rows:
        name, alt = r.label, short.get(r.key, "")
        use_short = alt and counts[alt] == 1 and not fits(name, LABEL_CHARS, LABEL_LINES) and fits(alt, LABEL_CHARS, LABEL_LINES)
        out.append(alt if use_short else name)
    return out


def issue_spec(table: FigureTable, short: dict[str, str] | None = None) -> dict:
    return {"kind": "bars", "panels": _panels(table, bar_labels(table, short or {}))}


def series_figures_spec(ss: SeriesStatistics) -> dict | None:
    rows = [(f"{y.year}年{r.label}", r) for y in ss.years for r in y.periods.rows]
    if not rows:
        return None
    table = FigureTable(ss.years[0].periods.figures, [r for _, r in rows], ss.years[-1].periods.total)
    return {"kind": "bars", "panels": _panels(table, [label for label, _ in rows])}


def round_label(year: int, partial: bool) -> str:
    return f"{year}年度" + ("（部分公布）" if partial else "")


def grades_spec(ss: SeriesStatistics) -> dict:
    return {"kind": "grades", "categories": [round_label(r.year, r.partial) for r in ss.rounds],
            "series": [[g, [r.counts[k].count for r in ss.rounds]] for k, g in enumerate(ss.grade_order)]}


def history_spec(cs: CenterStatistics) -> dict:
    return {"kind": "history", "order": cs.grade_order,
            "points": [[p.year, p.grade, p.partial] for p in cs.history],
            "facts": [[list(f.years), f.grade] for f in cs.open_facts]}


def chart_files(site: SiteModel, root: Path, early=None, before_writing: Callable[[], None] = lambda: None) -> ChartSet:
    """Every chart the site shows, drawn when its data changed, taken from the cache otherwise;
    `early`: the worker early_worker started (it draws them, or is killed when nothing is missing).
    `before_writing()` is called before the first file or folder is made (the pipeline's content
    check, running beside: a run that fails writes nothing); it may raise."""
    folder = root / CACHE
    code = _code_version()
    charts = ChartSet()
    stats = site.statistics
    missing: list[Chart] = []

    def chart(rel: str, caption: str, alt: str, spec: dict) -> Chart:
        key = hashlib.sha256((code + json.dumps(spec, ensure_ascii=False, sort_keys=True)).encode()).hexdigest()[:24]
        made = Chart(rel, caption, alt, spec, folder, key)
        if not made.svg.exists():
            missing.append(made)
        return made

    short = {cv.center.id: cv.center.short_name for cv in site.centers}
    for issue in site.issues:
        if (table := stats.issues.get(issue.url)) is not None and (spec := issue_spec(table, short))["panels"]:
            charts.issues[issue.url] = chart(f"{issue.url}stats.svg", f"本期统计：{issue.period}各质控中心工作量",
                                             "条形图：本期各质控中心的工作量，数字见下表", spec)
    for sid, ss in stats.series.items():
        if ss.has_figures and (spec := series_figures_spec(ss)) and spec["panels"]:
            charts.series_figures[sid] = chart(f"{ss.url}figures.svg", f"{ss.series.name}各期工作量",
                                               "条形图：各期工作量，数字见下表", spec)
        if ss.rounds:
            partial = [r.year for r in ss.rounds if r.partial]
            note = "；" + "、".join(f"{y}年度" for y in partial) + "仅部分公布" if partial else ""
            charts.series_grades[sid] = chart(f"{ss.url}grades.svg", f"每年各等次数量{note}",
                                              "堆积条形图：每年度各评估等次的质控中心数，数字见下表", grades_spec(ss))
    for cv in site.centers:
        cs = stats.centers.get(cv.center.id)
        if cv.has_page and cs is not None and (cs.history or cs.open_facts):
            charts.centers[cv.center.id] = chart(f"{cv.url}grades.svg", f"{cv.center.name}历年评估结果",
                                                 "折线图：历年评估等次，数字见下表", history_spec(cs))
    charts.drawn = len({c.key for c in missing})
    unique = list({c.key: c for c in missing}.values())
    if unique or not folder.exists():
        before_writing()
    if unique and (early is not None or len(missing) >= PARALLEL_MIN):  # a first build: drawn beside the pages (ChartSet.wait)
        try:
            charts.workers = _start_workers(unique, early)
        except OSError:
            charts.wait()  # no process to be had: drawn here
    else:
        if early is not None:  # nothing to draw: the early worker is not needed
            early.kill()
        charts.wait()
    folder.mkdir(parents=True, exist_ok=True)  # the next build finds a cache: no early worker
    _touch_used(charts)
    return charts


def _touch_used(charts: ChartSet) -> None:
    """Files in use get a fresh time once an hour, so `prune` never takes what a build uses."""
    now = time.time()
    for chart in charts.all():
        try:
            if now - chart.svg.stat().st_mtime > 3600:
                os.utime(chart.svg)
        except OSError:
            pass  # being drawn by a worker
