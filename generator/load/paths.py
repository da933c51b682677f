"""What a URL of the site is, and the path names the site itself uses, so editors' ids cannot
take them (checked by validate/).

Every page's address, relative to the site root, is made here and nowhere else: `<series>/`
(archive), `<series>/<issue key or notice file>/`, `<issue>/<story>/`, `<series>/stats/`,
`centers/`, `centers/<id>/`, `search/`, and `admin/` (the form editor, generator/cms). assemble/
gives each view its `url` from these; render/ and the templates use the views' urls or these
functions (`urls` in every template). The reserved sets are the one list of names that an
editor's id may not be.
"""
from __future__ import annotations

STATS = "stats"  # a series' 统计 page: <series>/stats/
ADMIN = "admin"  # the form editor (generator/cms): /admin/ of the preview, and of the public site with `editing:`

CENTERS = "centers"  # the centers index and each center's page
SEARCH = "search"  # the search page


def home_url() -> str:
    return ""


def series_url(series_id: str) -> str:
    return f"{series_id}/"


def document_url(series_id: str, key: str) -> str:
    """An issue (key = its file name) or a notice (key = its file name) of a series."""
    return f"{series_id}/{key}/"


def story_url(issue_id: str, slug: str) -> str:
    """A story of an issue (issue_id = "<series>/<key>")."""
    return f"{issue_id}/{slug}/"


def stats_url(series_id: str) -> str:
    return f"{series_id}/{STATS}/"


def centers_url() -> str:
    return f"{CENTERS}/"


def center_url(center_id: str) -> str:
    return f"{CENTERS}/{center_id}/"


def search_url() -> str:
    return f"{SEARCH}/"


# Folders at the site root that are not series: pages, the search index, theme files, the form editor.
RESERVED_SERIES_IDS = frozenset({CENTERS, SEARCH, "pagefind", "assets", ADMIN})
# Folders inside a series that are not issues or notices.
RESERVED_DOCUMENT_KEYS = frozenset({STATS})
