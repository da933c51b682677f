"""Publish stage, print side: one PDF per bulletin issue and per notice, from the same content.

`render_pdfs(site, root)` renders each document's print HTML (print/templates) with WeasyPrint,
or takes the PDF from build/pdf-cache/<key>.pdf when nothing that shapes it changed; the key is
a sha256 of the print HTML (its CSS is inlined), the files of the fonts that HTML names, the
images it embeds, WeasyPrint's version and the write options. Missing PDFs render in parallel
(one process per core; workers receive HTML strings, never WeasyPrint objects). It returns
the files to publish and, per document, a `Download` that the page templates' `downloads` macro
shows as a link with its size.

Notices: every `assemble.NoticeView` in `site.notices` is rendered with
print/templates/notice.html.j2 after GB/T 9704-2012, from the view's own attributes: url,
issuer_mark (lines), doc_number, title, addressees, body_html ("## 一、…" → 黑体, "### （一）…" and
bold run-in headings → 楷体, "#### 1. …" → 仿宋), signer, date, note, attachments, annex.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlparse

import weasyprint
import weasyprint.urls

from generator.render.pages import Download, Renderer

TEMPLATES = Path(__file__).parent / "templates"

CACHE_DIR = Path("build") / "pdf-cache"
# Measured on the demo issue (see docs/print.md): font subsetting is kept (full fonts would embed
# 20+ MB of Noto CJK); images are few and small, so optimize_images is off.
WRITE_OPTIONS: dict = {}

_FONT_FAMILY = re.compile(r"font-family\s*:\s*([^;}\"]*(?:\"[^\"]*\"[^;}\"]*)*)")
_FILE_SRC = re.compile(r'src="(file:[^"]+)"')


@dataclass(frozen=True)
class PrintJob:
    rel: str  # docs-relative path of the PDF, e.g. "my-bulletin/2024-q3/my-bulletin-2024-q3.pdf"
    html: str
    key: str


# --- what each document prints ----------------------------------------------------------------

def pdf_rel_path(doc) -> str:
    """Where a document's PDF lives: inside its page's folder, named after that folder."""
    name = doc.url.strip("/").replace("/", "-") + ".pdf"
    return f"{doc.url}{name}"


def bulletin_html(renderer: Renderer, issue, root: Path) -> str:
    """Print HTML of one issue; story images resolve to absolute file URLs under content/."""
    folder = (root / "content" / "stories" / issue.issue.id).resolve()
    template = renderer.env.get_template("bulletin.html.j2")
    return template.render(issue=issue, html=renderer.story_html, image_prefix=folder.as_uri() + "/")


def notice_html(renderer: Renderer, notice) -> str:
    return renderer.env.get_template("notice.html.j2").render(n=notice)


def documents(site, root: Path) -> list[tuple[object, str]]:
    """(view, print HTML) for every issue and notice of the site."""
    renderer = Renderer(site, TEMPLATES)
    docs: list[tuple[object, str]] = [(issue, bulletin_html(renderer, issue, root)) for issue in site.issues]
    docs += [(notice, notice_html(renderer, notice)) for notice in site.notices]
    return docs


# --- cache key ------------------------------------------------------------------------------------

def font_families(html: str) -> list[str]:
    """Every family name the document's CSS mentions, in first-seen order."""
    names: dict[str, None] = {}
    for stack in _FONT_FAMILY.findall(html):
        for name in stack.split(","):
            names.setdefault(name.strip().strip("\"'"), None)
    return [n for n in names if n]


@cache
def font_file_stamp(family: str) -> str:
    """The font file fontconfig picks for a family, with its size and mtime (fonts change → new key)."""
    try:
        path = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True,
                              check=True).stdout.strip()
        stat = os.stat(path)
        return f"{family}={path}:{stat.st_size}:{stat.st_mtime_ns}"
    except (OSError, subprocess.CalledProcessError):
        return f"{family}=?"


def image_digests(html: str) -> list[str]:
    """Content hashes of the local images the HTML embeds."""
    digests = []
    for url in _FILE_SRC.findall(html):
        path = Path(unquote(urlparse(url).path))
        digests.append(hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else f"missing:{path}")
    return digests


def cache_key(html: str) -> str:
    h = hashlib.sha256()
    for part in [html, *map(font_file_stamp, font_families(html)), *image_digests(html),
                 weasyprint.__version__, json.dumps(WRITE_OPTIONS, sort_keys=True)]:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


# --- rendering --------------------------------------------------------------------------------------

def write_pdf(html: str, base_url: str, target: str) -> str:
    """Worker: HTML string → PDF file (written beside, then renamed: the cache never holds half a file)."""
    partial = f"{target}.{os.getpid()}.part"
    # Content may embed local files only: a build never goes online.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols={"file", "data"})
    weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(partial, **WRITE_OPTIONS)
    os.replace(partial, target)
    return target


def progress_bar(total: int, progress: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="PDF", unit="份", disable=not (progress and sys.stderr.isatty()))


def render_missing(jobs: list[PrintJob], cache: Path, base_url: str, progress: bool) -> None:
    """Render the jobs whose PDF is not cached yet, in parallel on the available cores."""
    todo = [job for job in jobs if not (cache / f"{job.key}.pdf").exists()]
    if not todo:
        return
    with progress_bar(len(todo), progress) as bar:
        if len(todo) == 1:
            wait_for(todo[0], lambda: write_pdf(todo[0].html, base_url, str(cache / f"{todo[0].key}.pdf")), bar)
            return
        workers = min(len(todo), os.cpu_count() or 1)
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {job: pool.submit(write_pdf, job.html, base_url, str(cache / f"{job.key}.pdf")) for job in todo}
            for job, future in futures.items():
                wait_for(job, future.result, bar)


def wait_for(job: PrintJob, result, bar) -> None:
    """Wait for one job; a failure names the document it was printing."""
    try:
        result()
    except Exception as exc:
        raise RuntimeError(f"PDF 生成失败：{job.rel}：{exc}") from exc
    bar.update()


def prune_cache(cache: Path, keep: set[str]) -> None:
    """Drop cached PDFs no current document uses (the cache holds one build's worth)."""
    for file in cache.glob("*.pdf"):
        if file.stem not in keep:
            file.unlink(missing_ok=True)


def render_pdfs(site, root: Path, progress: bool = True) -> tuple[dict[str, Path], dict[str, list[Download]]]:
    """({docs-relative path: cached PDF file}, {document url: [its PDF download]})."""
    docs = documents(site, root)
    jobs = [PrintJob(pdf_rel_path(view), html, cache_key(html)) for view, html in docs]
    cache = root / CACHE_DIR
    cache.mkdir(parents=True, exist_ok=True)
    render_missing(jobs, cache, root.resolve().as_uri() + "/", progress)
    prune_cache(cache, {job.key for job in jobs})
    files, downloads = {}, {}
    for (view, _), job in zip(docs, jobs):
        path = cache / f"{job.key}.pdf"
        downloads[view.url] = [Download(job.rel, "PDF", path.stat().st_size)]
        files[job.rel] = path
    return files, downloads
