"""The stages wired together: load → validate → assemble → charts → print → render → write pages.

Print runs before the web pages only because each page links its documents' files with their
sizes: print returns those as data (`Download`s) and render takes them; no stage writes into
another's models. `bulletin build` then hands the written pages to publish (site engine, search).
"""
from __future__ import annotations

import datetime as dt
import gc
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from generator.assemble import SiteModel, assemble
from generator.charts import ChartSet, chart_files, early_worker
from generator.cms.admin import public_admin_files
from generator.deferred import later
from generator.load import Content, load_content
from generator.load.cache import LoadCache
from generator.load.paths import ADMIN
from generator.print.coverage import lacking_characters
from generator.problems import ContentError
from generator.publication import publication_day
from generator.publish import write_pages
from generator.render.pages import render_site
from generator.search.pagefind import SEARCH_PAGES
from generator.search.terms import index_pages
from generator.validate import validate

BUILD = "build"


@dataclass
class BuildResult:
    """What `generate` made: the site model, its navigation, write counts, the newest date."""

    site: SiteModel
    nav: list
    stats: dict
    latest_date: dt.date | None
    docs: Path  # where the pages were written
    changed: set[str] = field(default_factory=set)  # pages and files written or deleted in docs
    charts: ChartSet | None = None  # what the pages were rendered with (edited.py renders some again)
    downloads: dict = field(default_factory=dict)


def checked_content(root: Path, today: dt.date | None = None, keep: bool = False) -> Content:
    """load + validate; raises ContentError with every problem at once. `today`: the day the
    content is checked for (default: publication_day(), decided here, at the pipeline's edge).
    `keep`: reuse and keep the loaded files in build/cache (load/cache.py): what builds and the
    preview do; `check` writes nothing."""
    files = LoadCache(root) if keep else None
    content = load_content(root, files)
    problems = validate(content, today or publication_day())
    if any(not p.warning for p in problems):  # nothing kept from a failed run (its warnings still said)
        raise ContentError(problems + lacking_characters(root, listing=content.listing))
    problems += lacking_characters(root, keep, content.listing)
    if files:
        later(files.save)  # only good content is kept: a failed run leaves build/ as it was
    for warning in sorted(set(problems)):
        print(warning.format(), file=sys.stderr)
    return content


def story_images(site: SiteModel) -> dict[str, Path]:
    """Images of the stories on the site, placed beside their issue page: the files the load
    stage verified (load/images.py), nothing resolved again here. Taken from the assembled site,
    not from all content: a draft's images are not published."""
    return {f"{view.story.issue}/{image.name}": image.path for view in site.stories for image in view.story.images}


def preview_config(root: Path) -> Path:
    """The preview's engine config (site/preview.py writes it beside the preview's pages)."""
    return root / BUILD / "preview" / "engine.yml"


def generate_preview(root: Path) -> BuildResult:
    return generate(root, preview=True)


def docs_folder(root: Path, preview: bool) -> Path:
    """Where pages are written. The preview has its own: a `serve` running while `build` runs
    must never put an unpublished page where the public build reads its pages."""
    return root / BUILD / "preview" / "docs" if preview else root / BUILD / "docs"


def offer(downloads: dict, more: dict) -> None:
    """Add a stage's files to what each document page offers, after those already there."""
    for url, offered in more.items():
        downloads[url] = [*downloads.get(url, []), *offered]


_pause = {"runs": 0, "was_enabled": False}  # runs of generate under way (the preview's watcher and a test may overlap)
_pause_lock = threading.Lock()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a run builds its models, restored after (also on error).

    A run allocates hundreds of thousands of objects beside the ones it keeps (20,000 models and
    their problems at 10,000 stories); each full collection walks every live object, so the cost
    of the collections a run triggers grew with the archive times the allocations: measured 8.7 →
    5.9 CPU s for one edit at 10,000 stories (0.45 of validate's 0.59 s in one list comprehension).
    What a run frees is freed by reference counting; the few cycles wait for the next collection."""
    with _pause_lock:
        if _pause["runs"] == 0:
            _pause["was_enabled"] = gc.isenabled()
            gc.disable()
        _pause["runs"] += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pause["runs"] -= 1
            if _pause["runs"] == 0 and _pause["was_enabled"]:
                gc.enable()


def generate(root: Path, today: dt.date | None = None, preview: bool = False, pdf: bool = True) -> BuildResult:
    """Content → pages in build/docs (only changed files rewritten), PDFs and the navigation.

    The preview skips the print documents, PDFs and Word files (an editor's refresh must stay
    fast); `bulletin build` makes them, unless `pdf` is False (--no-pdf, for debugging).
    """
    with collector_paused():
        return _generate(root, today, preview, pdf)


def _generate(root: Path, today: dt.date | None, preview: bool, pdf: bool) -> BuildResult:
    today = today or publication_day()  # once: every stage below is handed this day
    drawer = early_worker(root)  # a first build: matplotlib loads beside the content (charts/files.py)
    try:
        content = checked_content(root, today, keep=True)
        site = assemble(content, content.site, today, preview)
        files = story_images(site)
        charts = chart_files(site, root, drawer)  # drawn only when their data changed
    except BaseException:
        if drawer is not None:
            drawer.kill()
        raise
    downloads: dict = {}
    if pdf and not preview:
        from generator.print.annex_sheet import render_annex_sheets  # Typst, python-docx, openpyxl:
        from generator.print.pdf import render_pdfs  # imported only when printing
        from generator.print.word import render_docx

        pdf_files, downloads = render_pdfs(site, root, charts=charts, digests=content.digests)
        files.update(pdf_files)
        word_files, word_downloads = render_docx(site, root, charts=charts)
        sheet_files, sheet_downloads = render_annex_sheets(site, root)
        files.update(word_files | sheet_files)
        offer(downloads, word_downloads)
        offer(downloads, sheet_downloads)
    if not preview:  # the 公众号 articles need the public address for their images and notes
        from generator.print.wechat import missing_url_notice, render_wechat

        wechat_files, wechat_downloads = render_wechat(site, root)
        if not site.url and (site.issues or site.notices):
            print(missing_url_notice().format(), file=sys.stderr)
        files.update(wechat_files)
        offer(downloads, wechat_downloads)
    if not preview and content.site.editing:  # the form editor on the office's Git host
        files.update({f"{ADMIN}/{name}": data for name, data in public_admin_files(root, content).items()})
    run = f"{today.isoformat()} {'preview' if preview else 'public'}"  # what is public depends on both
    pages, nav = render_site(site, root / BUILD / "cache", downloads, content.digests, run, charts)
    files.update(charts.files)  # a first build's charts were drawn beside the stages above: waits for them
    docs = docs_folder(root, preview)
    changed: set[str] = set()
    stats = write_pages(pages, files, docs, changed)
    if not preview:  # what the search index reads: the pages' indexed regions with their terms
        write_pages(index_pages(pages, root / BUILD / "cache"), {}, root / SEARCH_PAGES, assets=False)
    dates = [i.issue.date for i in site.issues] + [n.notice.date for n in site.notices]
    return BuildResult(site, nav, stats, max(dates) if dates else None, docs, changed, charts, downloads)
