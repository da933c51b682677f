"""Stage 4 — render: the assembled site → page files (Markdown with front matter + HTML).

All markup lives in templates/site; this module only chooses templates, computes relative
links and hands data over. Output is a list of plain Pages (path, text), so any static-site builder can
take it (MkDocs today).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from generator.assemble import SiteModel, StoryView
from generator.charts import ChartSet
from generator.deferred import later
from generator.load import paths
from generator.load.hygiene import printable_text
from generator.load.models import Series
from generator.load.paths import centers_url, home_url, search_url, series_url, stats_url
from generator.parallel import in_two
from generator.phrasing import label_phrases
from generator.render import markup
from generator.render.cache import TextCache, code_version, memory_cache
from generator.render.markup import theme_text, to_html
from generator.render.page_cache import PageCache, code_key, hash_of

TEMPLATES = Path(__file__).parent / "templates"
_REL_SRC = re.compile(r'(<img[^>]*\bsrc=")(?![a-z][a-z0-9+.-]*:|/|#)')
def printable(value):
    """Every template expression passes here before it is escaped (Jinja's `finalize`): no
    control character or bidi override reaches a page (load/hygiene.UNPRINTABLE, the same filter
    as the PDFs' and Word files')."""
    if isinstance(value, Markup):
        return Markup(printable_text(value))
    if isinstance(value, str):
        return printable_text(value)
    return value

AUTOESCAPE = True


@dataclass(frozen=True)
class Page:
    path: str  # relative to the docs folder, e.g. "series/2024-q3/index.md"
    text: str
    digest: str | None = field(default=None, compare=False)  # sha256 of the text, when known (page_cache.py)


class KeptPage(Page):
    """A page kept from the run before (page_cache.py): its path and the sha256 of its text, which
    that run wrote (build/docs holds it, publish.write_pages skips it by that digest). A stage that
    needs the text anyway (its file was lost, its search document was not kept) gets it rendered
    again: the same text, as its key is unchanged. Keeping every text in the cache instead meant
    reading and writing 100 MB of pickles per run at 10,000 stories."""

    def __init__(self, path: str, digest: str, render: Callable[[], str]):
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "digest", digest)
        object.__setattr__(self, "_render", render)
        object.__setattr__(self, "_text", None)

    @property
    def text(self) -> str:
        if self._text is None:
            object.__setattr__(self, "_text", self._render())
        return self._text


@dataclass
class Pending:
    """A page still to render: `render()` makes its text; `key` is its page cache key (None: not kept)."""

    path: str
    render: Callable[[], str]
    key: str | None = None


@dataclass(frozen=True)
class Download:
    """A file a document's page offers (its PDF, its Word copy), made by the print stage."""

    url: str  # relative to the site root
    label: str  # "PDF", "Word", "Excel"
    bytes: int
    what: str = ""  # what the file holds when it is not the whole document: "附件" (下载附件 Excel 版)
    kind: str = "file"  # "wechat": the 公众号 article, offered as a copy button (print/wechat.py)


def template_cache(autoescape: bool = True) -> FileSystemBytecodeCache | None:
    """Compiled templates kept in the user's temp folder, keyed by template source (a fresh process
    or a preview rebuild skips compiling); none when that folder is unusable."""
    # Jinja keys compiled code by template source only, yet autoescape and finalize are compiled
    # into it: the name carries those options, so code compiled under other options is never reused.
    try:
        return FileSystemBytecodeCache(pattern=f"__zk_jinja_{'ae' if autoescape else 'raw'}_%s.cache")
    except (OSError, RuntimeError):
        return None


def environment(folder: Path = TEMPLATES / "site") -> Environment:
    """Templates of `folder` (web pages by default; the print stage passes its own) plus the shared macros.

    Autoescape is on for every template (HTML pages, print HTML, the Atom feed): an editor's string
    is text wherever it lands. Only HTML this generator produced and sanitized is `Markup`: to_html
    output (the `markdown` filter, story bodies and 点评) and the JSON of front matter values."""
    env = Environment(loader=FileSystemLoader([folder, TEMPLATES / "common"]),
                      undefined=StrictUndefined, autoescape=AUTOESCAPE, finalize=printable, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True, bytecode_cache=template_cache(AUTOESCAPE))
    env.filters["cn_date"] = cn_date
    env.filters["meta"] = meta
    env.filters["filesize"] = filesize
    env.filters["markdown"] = lambda text: Markup(to_html(text))
    env.filters["summary"] = summary
    env.filters["phrases"] = label_phrases  # where a name or table head may break (phrasing.py)
    env.globals["urls"] = paths  # what a URL is (load/paths.py): urls.center_url(id) …
    return env


def summary(value, limit: int = 110) -> str:
    """A page's meta description from its content: the text of `value` (HTML this generator made,
    or plain text), whitespace collapsed, cut after the last full stop within `limit` characters,
    or at `limit` with an ellipsis."""
    text = Markup(value).striptags() if isinstance(value, Markup) else " ".join(str(value).split())
    if len(text) <= limit:
        return text
    stop = text.rfind("。", 0, limit)
    return text[: stop + 1] if stop >= limit // 2 else text[:limit].rstrip() + "…"


def page_dates(site: SiteModel) -> dict[str, str]:
    """Each page's last change, from the content's dates (the sitemap's lastmod): a story and its
    issue the issue's date, a notice its release, a center or a series its newest document, the
    home, centers and search pages the newest of all. ISO dates by page url."""
    dates: dict[str, dt.date] = {}

    def seen(url: str, day: dt.date) -> None:
        dates[url] = max(day, dates.get(url, day))

    for issue in site.issues:
        for url in [issue.url, series_url(issue.series.id), stats_url(issue.series.id), *(s.url for s in issue.stories)]:
            seen(url, issue.issue.date)
    for notice in site.notices:
        for url in [notice.url, series_url(notice.series.id), stats_url(notice.series.id)]:
            seen(url, notice.released)
    for cv in site.centers:
        for day in [s.issue.issue.date for s in cv.stories] + [h.notice.released for h in cv.history if h.notice]:
            seen(cv.url, day)
    if dates:
        for url in (home_url(), centers_url(), search_url()):
            seen(url, max(dates.values()))
    return {url: day.isoformat() for url, day in dates.items()}


def meta(value) -> Markup:
    """A front matter value: a JSON string (valid YAML) whose HTML specials are full-width look-alikes,
    because the site theme prints some values unescaped (<title>, header, <meta>). It contains no
    markup, so it is passed through as is (escaping would turn its quotes into &#34;)."""
    return Markup(json.dumps(theme_text(printable(str(value))), ensure_ascii=False))


def cn_date(value) -> str:
    """2025-08-25 → 2025年8月25日 (official style: no leading zeros)."""
    return f"{value.year}年{value.month}月{value.day}日"


def filesize(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{max(1, round(n / 1024))} KB"


def root_prefix(url: str) -> str:
    """Relative path from a page at `url` (directory style) back to the site root."""
    return "../" * url.count("/")


def prefixed_images(html: str, image_prefix: str) -> str:
    """Relative image sources moved under `image_prefix` (a page one folder deeper, a PDF's base)."""
    return _REL_SRC.sub(lambda m: m.group(1) + image_prefix, html) if image_prefix else html


def body_html(markdown_text: str, image_prefix: str = "") -> Markup:
    return Markup(prefixed_images(to_html(markdown_text), image_prefix))


class Renderer:
    def __init__(self, site: SiteModel, folder: Path = TEMPLATES / "site", markup_cache: TextCache | None = None,
                 downloads: dict[str, list[Download]] | None = None, kept: PageCache | None = None,
                 digests: dict[str, str] | None = None, charts: ChartSet | None = None,
                 edited: dict[str, object] | None = None):
        """`edited`: file → the model read from it since the site was assembled, whose body is
        shown in place of the site's (edited_pages)."""
        self.site = site
        self.edited = edited or {}
        self.downloads = downloads or {}  # document url → its files
        self.charts = charts or ChartSet()
        self.env = environment(folder)
        self.markup = markup_cache or memory_cache()  # Markdown → HTML, kept between runs by render_site
        self._converted: dict[str, dict] = {}  # story id → HTML: Markdown is converted once per story
        self._bodies: dict[tuple[str, str], dict] = {}
        self.dates = page_dates(site)
        self._peers: dict[str, list] | None = None
        self.kept, self.digests = kept, digests or {}
        self._files: dict[int, str] = {}  # id of a StoryView (all held by the site) → _files_of

    def story_html(self, story: StoryView, image_prefix: str) -> dict:
        """Body and 点评 HTML of a story; Markdown converted once, image links per prefix."""
        key = (story.story.id, image_prefix)
        if key not in self._bodies:
            html = self._converted.get(story.story.id)
            if html is None:
                body = self.edited.get(story.story.file, story.story).body
                commentary = self.edited.get(story.commentary.file, story.commentary).body if story.commentary else ""
                html = self._converted[story.story.id] = {
                    "body": self.markup.get(body, to_html),
                    "commentary": self.markup.get(commentary, to_html) if commentary else "",
                }
            # Sanitized by to_html; the prefix only moves relative image sources.
            self._bodies[key] = {"body": Markup(prefixed_images(html["body"], image_prefix)),
                                 "commentary": Markup(html["commentary"])}
        return self._bodies[key]

    def peers_of(self, cv) -> list:
        """Centers of the same specialty with a page, but `cv` itself, in site order. Grouped once:
        a scan of every center on every center page grew with the square of the registry."""
        if self._peers is None:
            self._peers = {}
            for c in self.site.centers:
                if c.has_page:
                    self._peers.setdefault(c.center.specialty, []).append(c)
        return [c for c in self._peers.get(cv.center.specialty, []) if c.center.id != cv.center.id]

    def text(self, template: str, url: str, **context) -> str:
        return self.env.get_template(template).render(site=self.site, root=root_prefix(url), url=url,
                                                      html=self.story_html, files=self.downloads,
                                                      charts=self.charts, stats=self.site.statistics,
                                                      lastmod=self.dates.get(url, ""), **context)

    def page(self, template: str, url: str, **context) -> Pending:
        """A page rendered in every run (it lists or counts across the site)."""
        return Pending(f"{url}index.md" if url else "index.md", partial(self.text, template, url, **context))

    def kept_page(self, template: str, url: str, shows: tuple, **context) -> Page | Pending:
        """A page rendered only when its key changed (page_cache.py): the site key, the template,
        the page's date and downloads and `shows`, the files of the stories it shows."""
        pending = self.page(template, url, **context)
        if self.kept is None:
            return pending
        files = [repr(d) for d in self.downloads.get(url, [])]  # every field a download link shows
        pending.key, entry = self.kept.lookup(pending.path, (template, self.dates.get(url, ""), files, *shows))
        return pending if entry is None else KeptPage(pending.path, entry[1], pending.render)

    def shown(self, stories) -> str:
        """A key over the story and 点评 files of `stories`, in order (what a list shows)."""
        return hash_of(*(self._files_of(s) for s in stories))

    def _files_of(self, s: StoryView) -> str:
        """A story's url and the digests of its files (once per story: issue and center pages ask)."""
        known = self._files.get(id(s))
        if known is None:
            d = self.digests
            known = self._files[id(s)] = (f"{s.url} {d.get(s.story.file)} "
                                          f"{d.get(s.commentary.file) if s.commentary else '-'}")
        return known

    def pages(self) -> list[Page]:
        """Every page, in site order; those not kept from the previous run rendered here and, when
        there are many (a first build), half of them in a forked copy of this process (parallel.py)."""
        planned = self.planned_pages()
        pending = [p for p in planned if isinstance(p, Pending)]
        if pending:
            for name in self.env.list_templates(extensions=["j2"]):  # compiled once, before the fork
                self.env.get_template(name)
        texts, converted = in_two([p.render for p in pending], harvest=lambda: self.markup.new)
        if converted:  # the child's Markdown conversions, kept for the next run
            self.markup.new.update(converted)
        rendered = iter(texts)
        pages = []
        for page in planned:
            if isinstance(page, Pending):
                text = next(rendered)
                digest = self.kept.keep(page.path, page.key, text) if page.key is not None else None
                page = Page(page.path, text, digest)
            pages.append(page)
        return pages

    def planned_pages(self) -> list[Page | Pending]:
        site = self.site
        pages = [self.page("home.md.j2", home_url()), self.page("search.md.j2", search_url()),
                 self.page("centers.md.j2", centers_url())]
        for series in site.series:
            years = site.issues_by_year(series.id) if series.kind == "bulletin" else site.notices_by_year(series.id)
            if years:
                pages.append(self.page("series.md.j2", series_url(series.id), series=series, years=years))
            if (ss := site.statistics.series.get(series.id)) is not None:
                pages.append(self.page("stats.md.j2", ss.url, series=series, ss=ss,
                                       centers={c.center.id: c for c in site.centers}))
        for issue in site.issues:
            # An issue page and its story pages show the issue's stories (titles, prev/next).
            shows = (self.shown(issue.stories),)
            pages.append(self.kept_page("issue.md.j2", issue.url, shows, issue=issue))
            pages += [self.kept_page("story.md.j2", story.url, shows, story=story, issue=issue)
                      for story in issue.stories]
        for notice in site.notices:  # from the notice, its round and the registry: all in the site key
            pages.append(self.kept_page("notice.md.j2", notice.url, (), notice=notice))
        pages += [self.kept_page("center.md.j2", c.url, (self.shown(c.stories),), cv=c, peers_of=self.peers_of)
                  for c in site.centers if c.has_page]
        pages.append(Pending("feed.xml", partial(self.env.get_template("feed.xml.j2").render, site=site,
                                                 entries=site.latest[:30])))
        # Every page may be indexed; the sitemap exists only with a public address (absolute URLs).
        robots = "User-agent: *\nAllow: /\n" + (f"Sitemap: {site.url}sitemap.xml\n" if site.url else "")
        pages.append(Page("robots.txt", robots))
        return pages


KIND_SECTIONS = {"bulletin": "简报", "notice": "通报"}  # the same words as the home page's list


def nav(site: SiteModel) -> list:
    """Issue-level navigation: never one entry per story (keeps every page small at scale). A
    kind with several series (two bulletins, or the publishers of a national site) is one section
    of its series, so a page's pruned nav carries one entry per kind, not one per series."""
    by_kind: dict[str, list] = {}
    for series in site.series:
        entries = series_nav(site, series)
        if entries:
            by_kind.setdefault(series.kind, []).append({series.name: entries})
    items: list = [{"首页": "index.md"}]
    for kind, sections in by_kind.items():
        items += sections if len(sections) == 1 else [{KIND_SECTIONS[kind]: sections}]
    items += [{"质控中心": f"{centers_url()}index.md"}, {"搜索": f"{search_url()}index.md"}]
    return items


def series_nav(site: SiteModel, series: Series) -> list:
    """A series' entries: its archive, its statistics, its documents by year (none: no entries)."""
    if series.kind == "bulletin":
        years = site.issues_by_year(series.id)
        label = lambda i: i.period
    else:
        years = site.notices_by_year(series.id)
        label = lambda n: n.doc_number
    if not years:
        return []
    entries: list = [{"往期目录": f"{series_url(series.id)}index.md"}]
    if series.id in site.statistics.series:
        entries.append({"统计": f"{site.statistics.series[series.id].url}index.md"})
    for year, docs in years.items():
        entries.append({f"{year}年": [{label(d): f"{d.url}index.md"} for d in docs]})
    return entries


def site_key(site: SiteModel, digests: dict[str, str], run: str) -> str:
    """What every page may show (page_cache.py): the code, the run (day, preview or public), every
    content file but stories and 点评, and which centers have a page (the peers lists)."""
    shared = sorted((f, d) for f, d in digests.items() if not f.startswith(("content/stories/", "content/commentary/")))
    return hash_of(code_key(), run, site.url, shared, [c.center.id for c in site.centers if c.has_page])


def edited_pages(site: SiteModel, edited: dict[str, object], cache_dir: Path | None = None,
                 downloads: dict[str, list[Download]] | None = None, charts: ChartSet | None = None) -> list[Page]:
    """The pages showing the text of `edited` (file → its model as read again), the site as it
    was assembled otherwise: each story page whose story or 点评 is an edited file, and its issue's
    page, rendered by the same templates as render_site's (the preview's first answer to an edit:
    generator/edited.py). Only bodies change here: what is shown, numbered and listed is the site's."""
    renderer = Renderer(site, markup_cache=TextCache(cache_dir / "markup.json" if cache_dir else None, code_version(markup)),
                        downloads=downloads, charts=charts, edited=edited)
    pages: dict[str, Pending] = {}
    for story in site.stories:
        if story.story.file in edited or (story.commentary and story.commentary.file in edited):
            issue = story.issue
            page = renderer.page("story.md.j2", story.url, story=story, issue=issue)
            pages[page.path] = page
            page = renderer.page("issue.md.j2", issue.url, issue=issue)
            pages[page.path] = page
    return [Page(p.path, p.render()) for p in pages.values()]


def render_site(site: SiteModel, cache_dir: Path | None = None,
                downloads: dict[str, list[Download]] | None = None,
                digests: dict[str, str] | None = None, run: str = "",
                charts: ChartSet | None = None) -> tuple[list[Page], list]:
    """Web pages and the navigation. With `cache_dir`, Markdown conversions of unchanged texts
    are reused from the previous run (see cache.py): the warm path of the preview and of builds.
    With `digests` (the loaded files' sha1, content.digests) too, pages whose inputs did not change
    are taken from the previous run (page_cache.py); `run` is "<day> <mode>" (preview or public)."""
    html = TextCache(cache_dir / "markup.json" if cache_dir else None, code_version(markup))
    kept = None
    if cache_dir and digests:
        mode = run.rpartition(" ")[2] or "site"  # one file per mode, the day in the key: no file per day
        kept = PageCache(cache_dir / f"pages-{mode}.pickle", site_key(site, digests, run))
    pages = Renderer(site, markup_cache=html, downloads=downloads, kept=kept, digests=digests, charts=charts).pages()
    later(html.save)
    if kept:
        later(kept.save)
    return pages, nav(site)


