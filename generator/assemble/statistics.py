"""Assemble, statistics: roll-ups of activity figures and grades, from the assembled site only.

Pure data (other outputs — charts, a spreadsheet — read these tables). Everything is computed
from what assemble already let through (`SiteModel.issues`, `CenterView.history`), so a draft,
a story in review, a future `publish_date` or a grade not yet disclosed counts nowhere; this module
never decides publication itself.

Rules: a story's figures count for its own center (`center`), never for its `partners`. A figure
declared `summed: false` (several centers may count the same institutions) is never added up: a
cell with one contribution shows it, a cell with several shows nothing unless the office gave the
total (an issue's `figure_totals`).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from generator.assemble.bulletins import IssueView, StoryView
from generator.assemble.notices import UNPUBLISHED_GRADE
from generator.load.models import FigureDef, Series
from generator.load.paths import stats_url


@dataclass
class FigureRow:
    label: str  # a center's name, a period, a year
    key: str  # center id, issue url or year: what a chart or a spreadsheet keys the row by
    values: dict[str, int | None]  # figure name → number (None: not reported, or not added up)
    stories: int = 0  # stories the row is made of


@dataclass
class FigureTable:
    """Rows of figures with their total: 本期统计 (rows: centers), a year (rows: periods)."""

    figures: list[FigureDef]
    rows: list[FigureRow]
    total: FigureRow

    @property
    def unsummed(self) -> list[FigureDef]:
        return [f for f in self.figures if not f.summed]

    def text_rows(self, first: str = "质控中心") -> list[list[str]]:
        """The table as printed text: the head, a row per row, the total ("—": no number)."""
        def cells(row: FigureRow) -> list[str]:
            return [row.label, *("—" if row.values[f.name] is None else str(row.values[f.name]) for f in self.figures)]
        return [[first, *(f"{f.name}（{f.unit}）" for f in self.figures)], *map(cells, self.rows), cells(self.total)]

    @property
    def note(self) -> str:
        """Why an unsummed figure's total may be empty (the same words on the web and in print)."""
        names = "、".join(f.name for f in self.unsummed)
        return f"{names}：各质控中心可能重复计数，不相加；合计只填写编辑部给出的数字，未给出时为“—”。" if names else ""


@dataclass
class SeriesYear:
    year: int
    periods: FigureTable  # one row per issue of the year (oldest first), total = the year's


@dataclass
class GradeCount:
    grade: str
    count: int


@dataclass
class RoundGrades:
    """How one round's grades are spread (每年各等次数量), from the centers' published histories."""

    year: int
    counts: list[GradeCount]  # in the series' grade order, best first; every grade of the order
    partial: bool  # only some grades were published: the counts are not the whole round
    notice_url: str | None = None

    @property
    def total(self) -> int:
        return sum(c.count for c in self.counts)


@dataclass
class OpenFact:
    """A grade whose year was not published ("2022 或 2023"): shown as such, never placed in a year."""

    center: str  # center id
    grade: str
    years: tuple[int, ...]


@dataclass
class SeriesStatistics:
    series: Series
    years: list[SeriesYear] = field(default_factory=list)  # oldest first
    grade_order: list[str] = field(default_factory=list)
    rounds: list[RoundGrades] = field(default_factory=list)  # oldest first
    open_facts: list[OpenFact] = field(default_factory=list)

    @property
    def url(self) -> str:
        return stats_url(self.series.id)

    @property
    def has_figures(self) -> bool:
        return any(y.periods.rows for y in self.years)


@dataclass
class HistoryPoint:
    year: int
    grade: str
    partial: bool


@dataclass
class CenterStatistics:
    """A center's page: its stories and own figures per year, its grade history per series."""

    center_id: str
    years: FigureTable | None  # rows: years (oldest first), for the figures of its series
    grade_order: list[str] = field(default_factory=list)
    history: list[HistoryPoint] = field(default_factory=list)  # oldest first
    open_facts: list[OpenFact] = field(default_factory=list)


@dataclass
class Statistics:
    issues: dict[str, FigureTable] = field(default_factory=dict)  # issue url → 本期统计 (with figures only)
    series: dict[str, SeriesStatistics] = field(default_factory=dict)  # series id → its 统计 page
    centers: dict[str, CenterStatistics] = field(default_factory=dict)  # center id → its numbers


def _combine(figure: FigureDef, values: list[int]) -> int | None:
    """A roll-up cell: the sum of a summed figure; one contribution of the others, else nothing."""
    if not values:
        return None
    if figure.summed:
        return sum(values)
    return values[0] if len(values) == 1 else None


def _row(label: str, key: str, figures: list[FigureDef], parts: list[dict[str, int | None]], stories: int,
         given: dict[str, int] | None = None) -> FigureRow:
    values = {}
    for f in figures:
        if not f.summed and given and f.name in given:
            values[f.name] = given[f.name]
        else:
            values[f.name] = _combine(f, [p[f.name] for p in parts if p.get(f.name) is not None])
    return FigureRow(label, key, values, stories)


def issue_table(issue: IssueView) -> FigureTable | None:
    """本期统计: one row per center whose stories carry figures (in the order they first appear),
    then the total. None when no story of the issue carries a figure."""
    figures = issue.series.figures
    by_center: dict[str, list[StoryView]] = defaultdict(list)
    for story in issue.stories:
        if story.story.figures:
            by_center[story.center.id].append(story)
    if not figures or not by_center:
        return None
    rows = [_row(stories[0].center.name, cid, figures, [s.story.figures for s in stories], len(stories))
            for cid, stories in by_center.items()]
    total = _row("合计", "", figures, [s.story.figures for group in by_center.values() for s in group],
                 sum(r.stories for r in rows), issue.issue.figure_totals)
    return FigureTable(figures, rows, total)


def _series_years(series: Series, issues: list[IssueView], tables: dict[str, FigureTable]) -> list[SeriesYear]:
    years: dict[int, list[IssueView]] = defaultdict(list)
    for issue in sorted(issues, key=lambda i: (i.issue.date, i.issue.key)):
        if issue.url in tables:
            years[issue.issue.year].append(issue)
    out = []
    for year, docs in sorted(years.items()):
        rows = [FigureRow(i.period_in_year, i.url, dict(tables[i.url].total.values), tables[i.url].total.stories)
                for i in docs]
        total = _row(f"{year}年", str(year), series.figures, [r.values for r in rows], sum(r.stories for r in rows))
        out.append(SeriesYear(year, FigureTable(series.figures, rows, total)))
    return out


def _grade_order(order: list[str], grades) -> list[str]:
    """The scheme's order, then any other grade in the order first seen (a partial round's words)."""
    out = list(order)
    for g in grades:
        if g not in out:
            out.append(g)
    return out


def _rounds(lines: list, order: list[str]) -> tuple[list[RoundGrades], list[OpenFact], list[str]]:
    """Round spreads from the centers' history lines of one series (center id, CenterYear)."""
    by_year: dict[int, dict] = defaultdict(lambda: {"grades": [], "partial": False, "notice": None})
    facts = []
    for cid, line in lines:
        if line.open_years:
            facts.append(OpenFact(cid, line.fact_grade, line.open_years))
            continue
        entry = by_year[int(line.year)]
        entry["partial"] |= line.partial
        if line.notice is not None:
            entry["notice"] = line.notice.url
        if line.grade != UNPUBLISHED_GRADE:
            entry["grades"].append(line.grade)
    order = _grade_order(order, [g for e in by_year.values() for g in e["grades"]])
    rounds = [RoundGrades(year, [GradeCount(g, e["grades"].count(g)) for g in order], e["partial"], e["notice"])
              for year, e in sorted(by_year.items()) if e["grades"]]
    return rounds, sorted(facts, key=lambda f: (f.years, f.center)), order


def statistics(series: list[Series], issues: list[IssueView], centers: list, grade_orders: dict[str, list[str]]) \
        -> Statistics:
    """All roll-ups of the assembled site. `centers`: CenterViews (their stories and published
    histories); `grade_orders`: each evaluation series' grades, best first (its scheme)."""
    stats = Statistics()
    for issue in issues:
        if (table := issue_table(issue)) is not None:
            stats.issues[issue.url] = table
    history_lines: dict[str, list] = defaultdict(list)
    for cv in centers:
        for line in cv.history:
            history_lines[line.series].append((cv.center.id, line))
    for s in series:
        ss = SeriesStatistics(s, _series_years(s, [i for i in issues if i.series.id == s.id], stats.issues))
        if s.id in history_lines:
            ss.rounds, ss.open_facts, ss.grade_order = _rounds(history_lines[s.id], grade_orders.get(s.id, []))
        if ss.has_figures or ss.rounds:
            stats.series[s.id] = ss
    for cv in centers:
        if (cs := _center(cv, stats.series)) is not None:
            stats.centers[cv.center.id] = cs
    return stats


def _center(cv, series_stats: dict[str, SeriesStatistics]) -> CenterStatistics | None:
    own = [s for s in cv.stories if s.center.id == cv.center.id and s.story.figures]
    figures: list[FigureDef] = []
    for s in own:  # the figures of every series the center wrote for, declared order, once each
        figures += [f for f in s.issue.series.figures if f.name not in {g.name for g in figures}]
    table = None
    if own:
        years: dict[int, list[StoryView]] = defaultdict(list)
        for s in own:
            years[s.issue.issue.year].append(s)
        rows = [_row(f"{y}年", str(y), figures, [s.story.figures for s in group], len(group))
                for y, group in sorted(years.items())]
        table = FigureTable(figures, rows, _row("合计", "", figures, [s.story.figures for s in own], len(own)))
    points = [HistoryPoint(int(h.year), h.grade, h.partial) for h in cv.history
              if not h.open_years and h.grade != UNPUBLISHED_GRADE]
    facts = [OpenFact(cv.center.id, h.fact_grade, h.open_years) for h in cv.history if h.open_years]
    if table is None and not points and not facts:
        return None
    series_ids = {h.series for h in cv.history}
    order: list[str] = []
    for sid in sorted(series_ids):
        if sid in series_stats:
            order = _grade_order(order, series_stats[sid].grade_order)
    order = _grade_order(order, [p.grade for p in points] + [f.grade for f in facts])
    return CenterStatistics(cv.center.id, table, order, sorted(points, key=lambda p: p.year), facts)
