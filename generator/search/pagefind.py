"""Pagefind: the search index of the site's pages, built beside the site engine, made reproducible.

Pagefind holds every page's words in memory until it writes the index: measured ~0.6 MB per
index document (Chinese text plus its bigram terms, terms.py), so one run over a national
archive of 11,000 pages peaked at 6.6 GB. A site of more than PART_PAGES index documents is
therefore indexed in parts, one Pagefind run after the other (each run uses every core): the
generator writes each document straight into its part's folder, build/search/pages/_part-K/
(`placed`: by a hash of its URL, so a page keeps its part when others come and go, and every
part is a sample of the whole site whose scores compare with the others'). The first part is
the bundle at site/pagefind/, the others are bundles in site/pagefind/part-N/ listed in
site/pagefind/zk-parts.json, which the search page (assets/zk-search.js) merges into one search
with Pagefind's mergeIndex (the merged bundles reuse the first one's code and wasm). A site of
up to PART_PAGES documents is one bundle, its documents at build/search/pages/ itself.

Nothing of this runs in Python while MkDocs builds in the same process: folders of links made
and removed per part there took 10 of the 57 s of a national build, waiting for the
interpreter lock MkDocs holds.
"""
from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from generator.search.stable import stabilize
from generator.tied import TiedProcess

SEARCH_PAGES = Path("build") / "search" / "pages"  # index documents (terms.py), same URLs as the site
PART_PAGES = 2500  # index documents per Pagefind run, on average: its peak memory stays near 1.2 GB
PART_FOLDER = "_part-"  # no URL starts with "_" (file names are a-z, 0-9 and "-": load/content.slug_problem)
PARTS_FILE = "zk-parts.json"  # in the first bundle: the other bundles, relative to it
# What a merged bundle needs (mergeIndex loads no code or wasm of its own).
PART_KEEP = ("pagefind-entry.json", "index", "fragment", "filter")


@dataclass
class Indexing:
    """Pagefind runs under way in a worker thread, one part after the other."""

    output: Path
    parts: list[Path] = field(default_factory=list)  # the folder of each part's index documents
    thread: threading.Thread | None = None  # None: nothing is published yet (a new site), nothing to index
    process: subprocess.Popen | None = None  # the run under way
    error: str | None = None
    stopped: bool = False

    def stop(self) -> None:
        """End the runs now (a failed build): the current Pagefind process and every later one."""
        self.stopped = True
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        if self.thread is not None:
            self.thread.join()


def part_count(documents: int) -> int:
    """How many Pagefind runs index `documents` index documents."""
    return max(1, math.ceil(documents / PART_PAGES))


def placed(path: str, count: int) -> str:
    """Where the index document of URL path `path` is written (relative to SEARCH_PAGES) when
    the site has `count` parts: its part's folder, chosen by the path alone."""
    return path if count == 1 else f"{PART_FOLDER}{zlib.crc32(path.encode()) % count}/{path}"


def part_name(k: int) -> str:
    return f"part-{k}"


def start_index_search(documents: Path, output: Path) -> Indexing:
    """Pagefind (extended build) indexes the index documents in `documents` (each page's indexed
    regions plus their Chinese bigram terms, see terms.py; in part folders, see `placed`) into
    `output`; result URLs are the documents' paths, which are the site's. It needs nothing MkDocs
    makes, so it runs in its own processes beside the MkDocs build (on 2 cores the build takes
    ~4 s less)."""
    shutil.rmtree(output, ignore_errors=True)
    parts = sorted(documents.glob(f"{PART_FOLDER}*"), key=lambda p: int(p.name.removeprefix(PART_FOLDER)))
    if not parts and next(documents.rglob("*.html"), None) is not None:
        parts = [documents]
    if not parts:  # Pagefind refuses an empty site; the search page says so
        return Indexing(output)
    indexing = Indexing(output, parts)
    indexing.thread = threading.Thread(target=_run_parts, args=(indexing,), daemon=True, name="pagefind")
    indexing.thread.start()
    return indexing


def _run_parts(indexing: Indexing) -> None:
    try:
        for k, site in enumerate(indexing.parts):
            if indexing.stopped:
                return
            target = indexing.output if k == 0 else indexing.output / part_name(k)
            _run_pagefind(indexing, site, target)
            if indexing.error or indexing.stopped:
                return
            stabilize(target)  # same pages → same index files (reproducible builds)
            if k:
                _keep_data_only(target)
        (indexing.output / PARTS_FILE).write_text(json.dumps(
            {"parts": [f"{part_name(k)}/" for k in range(1, len(indexing.parts))]}), encoding="utf-8")
    except Exception as exc:  # reported by index_search in the building thread
        indexing.error = f"{type(exc).__name__}: {exc}"


def _run_pagefind(indexing: Indexing, site: Path, output: Path) -> None:
    process = TiedProcess([*pagefind_command(), "--site", str(site), "--output-path", str(output), "--silent"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    indexing.process = process
    if indexing.stopped:  # stop() came while this run was starting
        process.kill()
    with process:  # a failure or Ctrl-C on the way here ends it too (tied.py)
        log, _ = process.communicate()
    if process.returncode != 0 and not indexing.stopped:
        indexing.error = f"pagefind failed: {log}"


def _keep_data_only(bundle: Path) -> None:
    """A merged bundle without Pagefind's scripts, styles and wasm (the first bundle's serve)."""
    for path in bundle.iterdir():
        if path.name in PART_KEEP or path.name.endswith(".pf_meta"):
            continue
        shutil.rmtree(path) if path.is_dir() else path.unlink()


def pagefind_command() -> list[str]:
    """The Pagefind binary itself (the PyPI package ships it in pagefind_bin_extended), so the
    process tied to the build is the indexer, not a Python launcher in front of it."""
    try:
        from pagefind_bin_extended import get_executable
        return [str(get_executable())]
    except (ImportError, FileNotFoundError):
        return [sys.executable, "-m", "pagefind"]


def index_search(site_dir: Path, documents: Path, started: Indexing | None = None) -> None:
    """The search index into site_dir/pagefind/: waits for the runs `started` earlier (see
    start_index_search), or runs them now."""
    indexing = started or start_index_search(documents, site_dir.with_name(site_dir.name + ".pagefind"))
    if indexing.thread is None:
        return
    indexing.thread.join()
    if indexing.error:
        raise RuntimeError(indexing.error)
    shutil.rmtree(site_dir / "pagefind", ignore_errors=True)
    indexing.output.rename(site_dir / "pagefind")
