"""Stage 3 — assemble: validated content → the site's structure (issues, stories, centers, archive).

Pure data: no markup, no files. Unpublished content is dropped here, once, so that no later
stage (pages, search, PDFs, listings, counts) can leak it.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from generator.assemble.bulletins import IssueView, StoryView, issue_views
from generator.assemble.notices import (
    CenterYear,
    NoticeView,
    center_histories,
    mark_undisclosed,
    notice_views,
    visible_evaluations,
)
from generator.assemble.statistics import Statistics, statistics
from generator.evaluation.series import EvaluationSeries
from generator.load.content import Content
from generator.load.models import Center, Series, SiteConfig
from generator.load.paths import center_url


@dataclass
class CenterView:
    center: Center
    stories: list[StoryView] = field(default_factory=list)
    history: list[CenterYear] = field(default_factory=list)  # newest first

    @property
    def has_page(self) -> bool:
        return bool(self.stories or self.history)

    @property
    def url(self) -> str:
        return center_url(self.center.id)


@dataclass
class RegionGroup:
    """A province on the centers index: its own centers, then each city's, in registry order."""

    province: str
    centers: list[CenterView] = field(default_factory=list)
    cities: dict[str, list[CenterView]] = field(default_factory=dict)


def region_groups(centers: list[CenterView]) -> list[RegionGroup]:
    """Provinces, and cities under them, in the order the registry first names them (never by
    code point, which scatters a province's cities among other provinces)."""
    groups: dict[str, RegionGroup] = {}
    for cv in centers:
        group = groups.setdefault(cv.center.region.province, RegionGroup(cv.center.region.province))
        if cv.center.region.city:
            group.cities.setdefault(cv.center.region.city, []).append(cv)
        else:
            group.centers.append(cv)
    return list(groups.values())


@dataclass
class SiteModel:
    title: str
    description: str
    series: list[Series]
    issues: list[IssueView]  # newest first
    centers: list[CenterView]
    notices: list[NoticeView] = field(default_factory=list)  # newest first
    url: str = ""  # public address from content/site.yml ("" when not configured)
    copyright: str | None = None
    regions: list[RegionGroup] = field(default_factory=list)  # the centers by place, registry order
    # series id → the rounds and facts disclosed on the build's day (assemble/notices.py's rule);
    # what anything counting grades (statistics, spreadsheets) reads, never content.evaluations
    evaluations: dict[str, EvaluationSeries] = field(default_factory=dict)
    statistics: Statistics = field(default_factory=Statistics)  # roll-ups of all the above (statistics.py)

    @property
    def latest(self) -> list:
        """Issues and notices, newest first: the home page's and the feed's order."""
        return sorted([*self.issues, *self.notices], key=lambda doc: (doc.date, doc.url), reverse=True)

    @property
    def stories(self) -> list[StoryView]:
        return [s for issue in self.issues for s in issue.stories]

    def issues_by_year(self, series_id: str) -> dict[int, list[IssueView]]:
        return _by_year((i for i in self.issues if i.series.id == series_id), lambda i: i.issue.year)

    def notices_by_year(self, series_id: str) -> dict[int, list[NoticeView]]:
        return _by_year((n for n in self.notices if n.series.id == series_id), lambda n: n.notice.date.year)


def _by_year(items, year_of) -> dict[int, list]:
    """Newest year first; items keep their (newest-first) order within a year."""
    years: dict[int, list] = defaultdict(list)
    for item in items:
        years[year_of(item)].append(item)
    return dict(sorted(years.items(), reverse=True))


def assemble(content: Content, config: SiteConfig, today: dt.date, preview: bool = False) -> SiteModel:
    issues = issue_views(content, today, preview)
    center_views = {c.id: CenterView(c) for c in sorted(content.centers, key=lambda c: c.id)}
    for issue in issues:
        for story in issue.stories:
            for cid in [story.center.id, *(p.id for p in story.partners)]:
                center_views[cid].stories.append(story)
    evaluations = visible_evaluations(content, today, preview)  # undisclosed rounds and facts left out
    notices = notice_views(content, today, preview, evaluations)
    histories = center_histories(content, notices, evaluations)
    if preview:
        mark_undisclosed(histories, visible_evaluations(content, today, preview=False))
    for cid, history in histories.items():
        center_views[cid].history = history
    centers = list(center_views.values())
    orders = {sid: list(ev.scheme.grade_order()) for sid, ev in evaluations.items() if ev.scheme}
    return SiteModel(
        title=config.title,
        description=config.description,
        url=config.url or "",
        copyright=config.copyright,
        series=sorted(content.series, key=lambda s: s.id),
        issues=issues,
        centers=centers,
        notices=notices,
        regions=region_groups([center_views[c.id] for c in content.centers]),
        evaluations=evaluations,
        statistics=statistics(sorted(content.series, key=lambda s: s.id), issues, centers, orders),
    )
