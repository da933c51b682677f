"""Stage 3 — assemble: validated content → the site's structure (issues, stories, centers, archive).

Pure data: no markup, no files. Unpublished content is dropped here, once, so that no later
stage (pages, search, PDFs, listings, counts) can leak it.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from .assemble_notices import center_histories, notice_views
from .load import Content
from .models import Center, Closing, Commentary, Issue, Series, Story

QUARTER_CN = {1: "第1季度", 2: "第2季度", 3: "第3季度", 4: "第4季度"}


@dataclass
class StoryView:
    story: Story
    center: Center
    partners: list[Center]
    commentary: Commentary | None
    issue: "IssueView" = None  # set once the issue is built
    number: int = 0  # position in the issue, 1-based
    prev: "StoryView | None" = None
    next: "StoryView | None" = None
    public: bool = True
    commentary_public: bool = True  # False only in a preview, for a 点评 still in review

    @property
    def url(self) -> str:
        return f"{self.issue.url}{self.story.slug}/"

    @property
    def title(self) -> str:
        return self.story.title


@dataclass
class SectionView:
    title: str | None
    stories: list[StoryView]


@dataclass
class IssueView:
    issue: Issue
    series: Series
    sections: list[SectionView]
    closing: Closing
    public: bool = True
    pdf: dict | None = None  # {"url":…, "bytes":…} once the PDF exists

    @property
    def url(self) -> str:
        return f"{self.series.id}/{self.issue.year}-q{self.issue.quarter}/"

    @property
    def date(self):
        return self.issue.date

    @property
    def period(self) -> str:
        return f"{self.issue.year}年{QUARTER_CN[self.issue.quarter]}"

    @property
    def title(self) -> str:
        return f"{self.series.name}（{self.period}）"

    @property
    def stories(self) -> list[StoryView]:
        return [s for section in self.sections for s in section.stories]


@dataclass
class CenterView:
    center: Center
    stories: list[StoryView] = field(default_factory=list)
    history: list = field(default_factory=list)  # assemble_notices.CenterYear, newest first

    @property
    def has_page(self) -> bool:
        return bool(self.stories or self.history)

    @property
    def url(self) -> str:
        return f"centers/{self.center.id}/"


@dataclass
class SiteModel:
    title: str
    description: str
    series: list[Series]
    issues: list[IssueView]  # newest first
    centers: list[CenterView]
    notices: list = field(default_factory=list)  # assemble_notices.NoticeView, newest first
    url: str = ""  # public address from content/site.yml ("" when not configured)

    @property
    def latest(self) -> list:
        """Issues and notices, newest first: the home page's and the feed's order."""
        return sorted([*self.issues, *self.notices], key=lambda doc: (doc.date, doc.url), reverse=True)

    @property
    def stories(self) -> list[StoryView]:
        return [s for issue in self.issues for s in issue.stories]

    def issues_by_year(self, series_id: str) -> dict[int, list[IssueView]]:
        return _by_year((i for i in self.issues if i.series.id == series_id), lambda i: i.issue.year)

    def notices_by_year(self, series_id: str) -> dict[int, list]:
        return _by_year((n for n in self.notices if n.series.id == series_id), lambda n: n.notice.date.year)


def _by_year(items, year_of) -> dict[int, list]:
    """Newest year first; items keep their (newest-first) order within a year."""
    years: dict[int, list] = defaultdict(list)
    for item in items:
        years[year_of(item)].append(item)
    return dict(sorted(years.items(), reverse=True))


def merged_closing(series: Series, issue: Issue) -> Closing:
    """The issue's own closing fields win; everything it does not set comes from the series."""
    if issue.closing is None:
        return series.closing
    overrides = {name: getattr(issue.closing, name) for name in issue.closing.model_fields_set}
    return series.closing.model_copy(update=overrides)


def _visible(item, today: dt.date, preview: bool) -> bool:
    return preview or item.is_public(today)


def assemble(content: Content, site_config: dict, today: dt.date, preview: bool = False) -> SiteModel:
    centers = {c.id: c for c in content.centers}
    series = {s.id: s for s in content.series}
    commentary = {c.story: c for c in content.commentaries if _visible(c, today, preview)}
    stories = {s.id: s for s in content.stories if _visible(s, today, preview)}
    center_views = {cid: CenterView(c) for cid, c in sorted(centers.items())}

    issues = []
    for issue in content.issues:
        if not _visible(issue, today, preview):
            continue
        sections = []
        for section in issue.sections:
            views = [
                StoryView(s, centers[s.center], [centers[p] for p in s.partners], commentary.get(s.id),
                          public=s.is_public(today) and issue.is_public(today),  # a draft issue hides its stories
                          commentary_public=s.id not in commentary or commentary[s.id].is_public(today))
                for slug in section.stories
                if (s := stories.get(f"{issue.id}/{slug}"))
            ]
            if views:
                sections.append(SectionView(section.title, views))
        view = IssueView(issue, series[issue.series], sections, merged_closing(series[issue.series], issue),
                         public=issue.is_public(today))
        _link_stories(view)
        issues.append(view)
    issues.sort(key=lambda v: (v.issue.date, v.issue.year, v.issue.quarter, v.series.id), reverse=True)

    for issue in issues:
        for story in issue.stories:
            for cid in [story.center.id, *(p.id for p in story.partners)]:
                center_views[cid].stories.append(story)

    notices = notice_views(content, today, preview)
    for cid, history in center_histories(content, notices).items():
        center_views[cid].history = history

    return SiteModel(
        title=site_config.get("title", "医疗质量控制工作简报与通报"),
        description=site_config.get("description", ""),
        url=(site_config.get("url") or "").rstrip("/") + ("/" if site_config.get("url") else ""),
        series=sorted(series.values(), key=lambda s: s.id),
        issues=issues,
        centers=list(center_views.values()),
        notices=notices,
    )



def _link_stories(issue: IssueView) -> None:
    stories = issue.stories
    for n, story in enumerate(stories, start=1):
        story.issue, story.number = issue, n
        story.prev = stories[n - 2] if n > 1 else None
        story.next = stories[n] if n < len(stories) else None
