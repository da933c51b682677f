"""The five stages wired together; the CLI and the MkDocs hook both call these functions."""
from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from .assemble import SiteModel, assemble
from .errors import ContentError
from .load import Content, load_content
from .markup import image_refs
from .pdf import render_pdfs
from .publish import SEARCH_PAGES, write_pages
from .render import render_site
from .search_terms import index_pages
from .validate import validate

BUILD = "build"


@dataclass
class Generated:
    site: SiteModel
    nav: list
    stats: dict
    latest_date: dt.date | None


def checked_content(root: Path) -> Content:
    """load + validate; raises ContentError with every problem at once."""
    content = load_content(root)
    problems = validate(content)
    if any(not p.warning for p in problems):
        raise ContentError(problems)
    for warning in sorted(set(problems)):
        print(warning.format(), file=sys.stderr)
    return content


def story_images(site: SiteModel, root: Path) -> dict[str, Path]:
    """Images of the stories on the site, placed beside their issue page (validated to exist).
    Taken from the assembled site, not from all content: a draft's images are not published."""
    files = {}
    for view in site.stories:
        folder = (root / view.story.file).parent
        for ref in image_refs(view.story.body):
            files[f"{view.story.issue}/{ref}"] = (folder / ref).resolve()
    return files


def output_paths(root: Path, preview: bool) -> tuple[Path, Path]:
    """(pages folder, navigation file). The preview has its own: a `serve` running while `build`
    runs must never put an unpublished page where the public build reads its pages."""
    base = root / BUILD / "preview" if preview else root / BUILD
    return base / "docs", base / "nav.json"


def generate(root: Path, today: dt.date | None = None, preview: bool = False, pdf: bool = True) -> Generated:
    """Content → pages in build/docs (only changed files rewritten) and the navigation.

    PDFs come before pages because each page links its PDF with the file size. The preview
    skips them (an editor's refresh must stay fast); `bulletin build` always makes them.
    """
    today = today or dt.date.today()
    content = checked_content(root)
    site = assemble(content, content.site, today, preview)
    files = story_images(site, root)
    if pdf and not preview:
        files.update(render_pdfs(site, root))
    pages, nav = render_site(site, root / BUILD / "cache")
    docs, nav_file = output_paths(root, preview)
    stats = write_pages(pages, files, docs)
    if not preview:  # what the search index reads: the pages' indexed regions with their terms
        write_pages(index_pages(pages, root / BUILD / "cache"), {}, root / SEARCH_PAGES)
    theme = {"site_name": site.title, "nav": nav, "copyright": content.site.get("copyright"),
             "site_url": content.site.get("url")}
    nav_file.write_text(json.dumps(theme, ensure_ascii=False, indent=1))
    dates = [i.issue.date for i in site.issues] + [n.notice.date for n in site.notices]
    return Generated(site, nav, stats, max(dates) if dates else None)
