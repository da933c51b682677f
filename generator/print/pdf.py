"""Publish stage, print side: one PDF per bulletin issue and per notice, from the same content.

`render_pdfs(site, root)` turns each document's view into JSON data (print/typeset.py), and has
Typst set it with the templates in print/templates (print/engine.py), or takes the PDF from
build/pdf-cache/<key>.pdf when nothing that shapes it changed (key: data, template sources,
fonts, images, Typst version, PDF standard). With the content's digests, a document whose
recipe (print/recipes.py: the files it prints) is unchanged is not even prepared: only an edited
story's issue is. Missing PDFs compile in parallel, one process per core. It returns the files to publish ({docs-relative path: cached PDF file}) and, per document
URL, a `Download` that the page templates' `downloads` macro shows as a link with its size.
"""
from __future__ import annotations

import hashlib
import inspect
import json
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.load import hygiene
from generator.load.hygiene import printable_text
from generator.print import blocks, coverage
from generator.print.coverage import with_missing_marks
from generator.print.engine import (
    PDF_STANDARDS,
    cache_key,
    compile_pdf,
    file_digest,
    font_stamp,
    fonts,
    template_source,
    typst_version,
    write_templates,
)
from generator.print.qr import ALT, page_address, qr_svg
from generator.print.recipes import Recipes
from generator.print.typeset import block_cache, bulletin_data, issue_statistics, notice_data
from generator.render import markup
from generator.render.cache import code_version
from generator.render.page_cache import hash_of
from generator.render.pages import Download
from generator.tied import die_with_parent

CACHE_DIR = Path("build") / "pdf-cache"


@dataclass(frozen=True)
class PrintJob:
    rel: str  # docs-relative path of the PDF, e.g. "my-bulletin/2024-q3/my-bulletin-2024-q3.pdf"
    kind: str  # "bulletin" or "notice": the template
    data: str  # the document as JSON ("" when its recipe and PDF were kept: nothing to compile)
    key: str
    date: object  # creation date written into the PDF


def pdf_rel_path(doc) -> str:
    """Where a document's PDF lives: inside its page's folder, named after that folder."""
    name = doc.url.strip("/").replace("/", "-") + ".pdf"
    return f"{doc.url}{name}"


def figure_sources(tree) -> list[str]:
    found = []
    for block in tree:
        if block.get("t") == "figure" and block.get("src"):
            found.append(block["src"])
        for items in block.get("items", []):
            found += figure_sources(items)
        found += figure_sources(block.get("blocks", []))
    return found


FILE_KEYS = {"src", "svg", "chart", "wechat_qr"}  # files the template loads: their names stay as written


def printable(data):
    """The document's data with every string through the web pages' filter (load/hygiene
    .printable_text): Typst's PDF/UA export refuses control characters, and a bidi override would
    reorder the printed text; a character no print font has becomes 〓 (coverage.py), as Typst
    would otherwise stop the build."""
    if isinstance(data, str):
        return with_missing_marks(printable_text(data))
    if isinstance(data, dict):
        return {key: value if key in FILE_KEYS else printable(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [printable(value) for value in data]
    return data


# The data as written goes into a PDF's key, with the code of the filter that printable() applies
# before Typst (the fonts are in the key already): the filter, a walk over every string, then runs
# only for the documents that compile — at 10,000 stories it cost ~2 s on every build.
_PRINTABLE_CODE = hashlib.sha1(b"".join(Path(m.__file__).read_bytes() for m in (coverage, hygiene))
                               + inspect.getsource(printable).encode()).hexdigest()


def printable_json(data_json: str) -> str:
    """A job's data as Typst reads it: every string through printable()."""
    return json.dumps(printable(json.loads(data_json)), ensure_ascii=False, separators=(",", ":"))


def engine_key() -> str:
    """What shapes every PDF besides its data and the generator's code (recipes.py)."""
    from importlib.metadata import version

    return hash_of(template_source("bulletin"), template_source("notice"), font_stamp(), typst_version(),
                   PDF_STANDARDS, code_version(markup, blocks), version("segno"))


def documents(site, root: Path, charts=None, digests: dict[str, str] | None = None) -> list[tuple[object, PrintJob]]:
    """(view, print job) for every issue and notice of the site; `charts`: the ChartSet (本期统计).
    With `digests` (content.digests), a document whose recipe (recipes.py) is unchanged and whose
    PDF is cached is not prepared again: its job carries the key and no data."""
    blocks_of: list = []  # the block cache (typeset.py), read only when a document is prepared
    recipes = Recipes(root, digests, engine_key() if digests else "")
    pdfs = root / CACHE_DIR
    site_url = getattr(site, "url", "")
    out, kept = [], 0

    def stats(issue) -> dict | None:
        chart = charts.issues.get(issue.url) if charts is not None else None
        return issue_statistics(issue, site.statistics.issues.get(issue.url), chart, root)

    def chart_of(issue):
        return charts.issues.get(issue.url) if charts is not None and issue.series.print_statistics else None

    def prepare(view, kind) -> PrintJob:
        if not blocks_of:
            blocks_of.append(block_cache(root))
        cache = blocks_of[0]
        data = bulletin_data(view, root, cache, stats(view)) if kind == "bulletin" else notice_data(view, cache)
        if address := page_address(site_url, view.url):  # the page's QR code, with the site's address only
            data["qr"] = {"svg": qr_svg(address), "address": address, "label": "扫码阅读网页版", "alt": ALT}
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        images = [src for s in data.get("sections", []) for story in s["stories"] for src in figure_sources(story["body"])]
        if (data.get("stats") or {}).get("chart"):
            images.append(data["stats"]["chart"])
        if qr_image := data.get("closing", {}).get("wechat_qr"):
            images.append(qr_image)  # its content is part of the key
        key = cache_key(kind, text + _PRINTABLE_CODE, images, root)
        return PrintJob(pdf_rel_path(view), kind, text, key, view.date)

    for view, kind in [*((i, "bulletin") for i in site.issues), *((n, "notice") for n in site.notices)]:
        recipe = (recipes.bulletin(view, site_url, chart_of(view), file_digest) if kind == "bulletin"
                  else recipes.notice(view, site_url))
        key = recipes.known(recipe)
        if key and (pdfs / f"{key}.pdf").is_file():
            out.append((view, PrintJob(pdf_rel_path(view), kind, "", key, view.date)))
            kept += 1
            continue
        job = prepare(view, kind)
        recipes.put(recipe, job.key)
        out.append((view, job))
    if blocks_of:
        cache = blocks_of[0]
        if kept:  # the kept documents' bodies were not looked up: their entries stay for the next run
            cache.new = {**cache.old, **cache.new}
        cache.save()
    recipes.save()
    return out


def progress_bar(total: int, progress: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="PDF", unit="份", disable=not (progress and sys.stderr.isatty()))


def _warm_worker() -> None:
    die_with_parent()  # a killed build takes its print workers with it
    fonts()


def render_missing(jobs: list[PrintJob], cache: Path, root: Path, progress: bool) -> None:
    """Compile the jobs whose PDF is not cached yet, in parallel on the available cores."""
    todo = [job for job in jobs if not (cache / f"{job.key}.pdf").exists()]
    if not todo:
        return

    def args(job):
        return job.kind, printable_json(job.data), str(root.resolve()), str(cache / f"{job.key}.pdf"), job.date

    with progress_bar(len(todo), progress) as bar:
        workers = min(len(todo), os.cpu_count() or 1)
        if workers == 1:
            for job in todo:
                wait_for(job, lambda job=job: compile_pdf(*args(job)), bar)
            return
        # Spawned workers, not forked ones: after an in-process compile, Typst's threads may hold
        # locks that a forked child would wait on forever (seen under pytest-xdist: workers stuck
        # in a futex wait). A spawned worker imports only the engine (about 0.3 s, once).
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, initializer=_warm_worker, mp_context=context) as pool:
            # Longest first: the big issues do not end up last on one core.
            futures = {job: pool.submit(compile_pdf, *args(job)) for job in sorted(todo, key=lambda j: -len(j.data))}
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


def render_pdfs(site, root: Path, progress: bool = True, charts=None,
                digests: dict[str, str] | None = None) -> tuple[dict[str, Path], dict[str, list[Download]]]:
    docs = documents(site, root, charts, digests)
    jobs = [job for _, job in docs]
    cache = root / CACHE_DIR
    cache.mkdir(parents=True, exist_ok=True)
    write_templates(root)
    render_missing(jobs, cache, root, progress)
    prune_cache(cache, {job.key for job in jobs})
    files, downloads = {}, {}
    for view, job in docs:
        path = cache / f"{job.key}.pdf"
        files[job.rel] = path
        downloads[view.url] = [Download(job.rel, "PDF", path.stat().st_size)]
    return files, downloads
