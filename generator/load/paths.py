"""Path names the site itself uses, so editors' ids cannot take them (checked by validate/).

The site's URLs are `<series>/` (archive), `<series>/<issue key or notice file>/`, `centers/<id>/`,
`search/` (assemble/ and render/ decide them) and `admin/` (the form editor, generator/cms); these
sets are the one list of names that an editor's id may not be, next to the one constant each page
kind uses for its own folder.
"""
from __future__ import annotations

STATS = "stats"  # a series' 统计 page: <series>/stats/
ADMIN = "admin"  # the form editor (generator/cms): /admin/ of the preview, and of the public site with `editing:`

# Folders at the site root that are not series: pages, the search index, theme files, the form editor.
RESERVED_SERIES_IDS = frozenset({"centers", "search", "pagefind", "assets", ADMIN})
# Folders inside a series that are not issues or notices.
RESERVED_DOCUMENT_KEYS = frozenset({STATS})
