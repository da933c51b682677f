"""Assemble, bulletins: issues with their stories, 点评 and 报尾, in print order."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.load import periods
from generator.load.content import Content
from generator.load.models import Center, Closing, Commentary, Issue, Series, Story
from generator.load.paths import document_url, story_url
from generator.publication import opens_on, public_on


@dataclass
class StoryView:
    story: Story
    center: Center
    partners: list[Center]
    commentary: Commentary | None
    issue: IssueView = None  # set once the issue is built
    number: int = 0  # position in the issue, 1-based
    prev: StoryView | None = None
    next: StoryView | None = None
    public: bool = True
    commentary_public: bool = True  # False only in a preview, for a 点评 still in review
    opens: dt.date | None = None  # preview: the day a scheduled story becomes public
    commentary_opens: dt.date | None = None

    @property
    def url(self) -> str:
        return story_url(self.issue.issue.id, self.story.slug)

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
    opens: dt.date | None = None  # preview: the day a scheduled issue becomes public

    @property
    def url(self) -> str:
        return document_url(self.issue.series, self.issue.key)

    @property
    def date(self):
        return self.issue.date

    @property
    def period(self) -> str:
        """The one period string (报头 web and print, nav, home, archive, feed, PDF, centers, search):
        the series' period_format filled from the issue, or a special issue's own title."""
        return periods.period_text(self.series.period_format, self.issue)

    @property
    def special_title(self) -> str | None:
        """A special issue's (专刊) own title, printed under the bulletin's name."""
        return self.issue.title

    @property
    def masthead_period(self) -> str:
        """The period line under the name: "（2024年第3季度）"; "" when the title already says it."""
        return "" if self.period == self.special_title else periods.parenthesized(self.period)

    @property
    def period_in_year(self) -> str:
        """The period without its year, for lists grouped by year ("第3季度", "第7期（总第58期）")."""
        return periods.in_year(self.period, self.issue.year)

    @property
    def title(self) -> str:
        """<bulletin name>（<period>）, e.g. …工作简报（2024年第3季度）; a bracketed period follows after a space."""
        period = periods.parenthesized(self.period)
        return f"{self.series.name}{period}" if period != self.period else f"{self.series.name} {period}"

    @property
    def stories(self) -> list[StoryView]:
        return [s for section in self.sections for s in section.stories]


def merged_closing(series: Series, issue: Issue) -> Closing:
    """The issue's own closing fields win; everything it does not set comes from the series."""
    if issue.closing is None:
        return series.closing
    overrides = {name: getattr(issue.closing, name) for name in issue.closing.model_fields_set}
    merged = series.closing.model_copy(update=overrides)
    if "wechat_qr" in overrides:  # the verified file goes with the path (load/content.closing_images)
        merged._wechat_qr_file = issue.closing.wechat_qr_file
    return merged


def visible(item, today: dt.date, preview: bool) -> bool:
    return preview or public_on(item, today)


def issue_views(content: Content, today: dt.date, preview: bool) -> list[IssueView]:
    """The issues a reader (or, in preview, an editor) sees, newest first."""
    centers = {c.id: c for c in content.centers}
    series = {s.id: s for s in content.series}
    commentary = {c.story: c for c in content.commentaries if visible(c, today, preview)}
    stories = {s.id: s for s in content.stories if visible(s, today, preview)}
    issues = []
    for issue in content.issues:
        if not visible(issue, today, preview):
            continue
        sections = []
        for section in issue.sections:
            views = [
                StoryView(s, centers[s.center], [centers[p] for p in s.partners], commentary.get(s.id),
                          public=public_on(s, today) and public_on(issue, today),  # a draft issue hides its stories
                          commentary_public=s.id not in commentary or public_on(commentary[s.id], today),
                          opens=opens_on(s, issue), commentary_opens=opens_on(commentary.get(s.id), s, issue))
                for slug in section.stories
                if (s := stories.get(f"{issue.id}/{slug}"))
            ]
            if views:
                sections.append(SectionView(section.title, views))
        view = IssueView(issue, series[issue.series], sections, merged_closing(series[issue.series], issue),
                         public=public_on(issue, today), opens=opens_on(issue))
        _link_stories(view)
        issues.append(view)
    issues.sort(key=lambda v: (v.issue.date, v.issue.year, v.series.id, v.issue.key), reverse=True)
    return issues


def _link_stories(issue: IssueView) -> None:
    stories = issue.stories
    for n, story in enumerate(stories, start=1):
        story.issue, story.number = issue, n
        story.prev = stories[n - 2] if n > 1 else None
        story.next = stories[n] if n < len(stories) else None
