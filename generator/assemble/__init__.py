"""Stage 3 — assemble: validated content → the site's structure, as plain data.

bulletins.py  issues, their stories and 点评, 报尾 (IssueView, StoryView)
notices.py    notices with their annex and history flags; each center's grades (NoticeView, CenterYear)
statistics.py roll-ups of figures and grades from what is published (Statistics: 本期统计, 统计 pages, centers)
site.py       the whole site: centers, archive by year, newest first (SiteModel, assemble)
"""
from generator.assemble.bulletins import IssueView, SectionView, StoryView
from generator.assemble.notices import CenterYear, NoticeView
from generator.assemble.site import CenterView, SiteModel, assemble

__all__ = ["IssueView", "SectionView", "StoryView", "CenterYear", "NoticeView", "CenterView", "SiteModel",
           "assemble"]
