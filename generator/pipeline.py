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
from functools import partial
from pathlib import Path

from generator import deferred, superseded
from generator.assemble import SiteModel, assemble
from generator.charts import ChartSet, chart_files, early_worker
from generator.cms.admin import public_admin_files
from generator.deferred import deferring, later
from generator.load import Content, load_content
from generator.load.cache import LoadCache
from generator.load.paths import ADMIN
from generator.parallel import Beside, run_later, settle
from generator.print.coverage import lacking_characters
from generator.problems import ContentError, Problem
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
    search: Beside | None = None  # the search documents being written (search_documents); None: a preview


def checked_content(root: Path, today: dt.date | None = None, keep: bool = False) -> Content:
    """load + validate; raises ContentError with every problem at once. `today`: the day the
    content is checked for (default: publication_day(), decided here, at the pipeline's edge).
    `keep`: reuse and keep the loaded files in build/cache (load/cache.py): what builds and the
    preview do; `check` writes nothing."""
    files = LoadCache(root) if keep else None
    content = load_content(root, files)
    return checked(content, content_problems(content, today or publication_day(), keep), files)


def content_problems(content: Content, today: dt.date, keep: bool = False) -> list[Problem]:
    """Every problem of loaded content: the cross-file rules' and the characters print lacks
    (those kept in build/cache with `keep`, unless there are errors: a failed run keeps nothing)."""
    problems = validate(content, today)
    failed = any(not p.warning for p in problems)
    return problems + lacking_characters(content.root, keep and not failed, content.listing)


def checked(content: Content, problems: list[Problem], files: LoadCache | None) -> Content:
    """`content` if `problems` holds no error (its warnings printed), else ContentError."""
    if any(not p.warning for p in problems):  # nothing kept from a failed run (its warnings still said)
        raise ContentError(problems)
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
    A run that nobody defers for (a build, not the preview: deferred.py) leaves its caches'
    writes to a forked child (parallel.run_later); a failed run writes none.
    """
    settle()  # the caches of an earlier run in this process are on disk before this one reads them
    with collector_paused():
        if deferred.active():
            return _generate(root, today, preview, pdf)
        gc.unfreeze()  # an earlier build's objects in this process (below): collectable again
        with deferring() as saves:
            result = _generate(root, today, preview, pdf)
        run_later(saves)
        # The collector was off while the run allocated (collector_paused): turned on again, its
        # first collection would walk every object the run made (0.15 s at 10,000 stories, and
        # a copy of each page of memory the cache writer shares: run_later). A build's objects
        # live on in its result or end with the process: frozen, out of the collector's way.
        gc.freeze()
        return result


def _generate(root: Path, today: dt.date | None, preview: bool, pdf: bool) -> BuildResult:
    """The stages. The cross-file check (validate, print coverage) runs in a forked child beside
    assemble, charts and the web pages when the machine has two cores (parallel.Beside); nothing
    is printed or written to build/docs before its answer, the PDFs wait for it, and with an
    error in it the run stops with every problem, as a serial run does."""
    today = today or publication_day()  # once: every stage below is handed this day
    drawer = early_worker(root)  # a first build: matplotlib loads beside the content (charts/files.py)
    loaded = LoadCache(root)
    content = load_content(root, loaded)
    check = Beside(partial(content_problems, content, today, True))
    good: list[Content] = []

    def await_check() -> None:
        if not good:
            good.append(checked(content, check.result(), loaded))

    try:
        if check.ready:  # checked here already (no second core, the preview's thread): no stage on bad content
            await_check()
        superseded.check()  # the preview's editor saved again meanwhile: its next run starts now
        site = assemble(content, content.site, today, preview)
        files = story_images(site)
        charts = chart_files(site, root, drawer, await_check)  # drawn only when their data changed
        superseded.check()
        downloads: dict = {}
        if pdf and not preview:
            await_check()  # the print documents only of good content
            downloads = printed(site, root, content, charts, files)
        if not preview:  # the 公众号 articles need the public address for their images and notes
            downloads = wechat_articles(site, root, files, downloads)
        if not preview and content.site.editing:  # the form editor on the office's Git host
            files.update({f"{ADMIN}/{name}": data for name, data in public_admin_files(root, content).items()})
        run = f"{today.isoformat()} {'preview' if preview else 'public'}"  # what is public depends on both
        pages, nav = render_site(site, root / BUILD / "cache", downloads, content.digests, run, charts)
    except BaseException as exc:
        if drawer is not None:
            drawer.kill()
        if not good and isinstance(exc, Exception):  # an error of the content is the reason, not what it made fail here
            problems = check.result()
            if any(not p.warning for p in problems):
                raise ContentError(problems) from None
        raise
    await_check()
    if not preview and not site.url and (site.issues or site.notices):  # said after the check's own problems
        from generator.print.wechat import missing_url_notice

        print(missing_url_notice().format(), file=sys.stderr)
    superseded.check()
    search = None if preview else Beside(partial(search_documents, pages, root), settled=True)
    docs = docs_folder(root, preview)
    changed: set[str] = set()
    # A first build's charts are drawn beside the stages above: waited for once the pages are written.
    stats = write_pages(pages, files, docs, changed, late=lambda: charts.files)
    dates = [i.issue.date for i in site.issues] + [n.notice.date for n in site.notices]
    return BuildResult(site, nav, stats, max(dates) if dates else None, docs, changed, charts, downloads, search)


def search_documents(pages: list, root: Path) -> dict:
    """What the search index reads (build/search/pages): each page's indexed regions with their
    terms. Made and written in a forked child beside the docs pages (they are the same pages):
    `BuildResult.search`, which the site's search index waits for (publish.build_site)."""
    return write_pages(index_pages(pages, root / BUILD / "cache"), {}, root / SEARCH_PAGES, assets=False)


def printed(site: SiteModel, root: Path, content: Content, charts: ChartSet, files: dict) -> dict:
    """PDFs, Word files and annex spreadsheets (added to `files`); what each page offers."""
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
    return downloads


def wechat_articles(site: SiteModel, root: Path, files: dict, downloads: dict) -> dict:
    """The 公众号 articles (added to `files`); `downloads` with their links."""
    from generator.print.wechat import render_wechat

    wechat_files, wechat_downloads = render_wechat(site, root)
    files.update(wechat_files)
    offer(downloads, wechat_downloads)
    return downloads
