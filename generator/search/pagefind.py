"""Pagefind: the search index of the site's pages, built beside the site engine, made reproducible."""
from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from generator.search.stable import stabilize
from generator.tied import TiedProcess

SEARCH_PAGES = Path("build") / "search" / "pages"  # index documents (terms.py), same URLs as the site


@dataclass
class Indexing:
    process: subprocess.Popen | None  # None: nothing is published yet (a new site), nothing to index
    output: Path


def start_index_search(documents: Path, output: Path) -> Indexing:
    """Pagefind (extended build) indexes the index documents in `documents` (each page's indexed
    regions plus their Chinese bigram terms, see terms.py) into `output`; result URLs are
    the documents' paths, which are the site's. It needs nothing MkDocs makes, so it runs in its
    own process beside the MkDocs build (on 2 cores the build takes ~4 s less)."""
    shutil.rmtree(output, ignore_errors=True)
    if not any(documents.rglob("*.html")):  # Pagefind refuses an empty site; the search page says so
        return Indexing(None, output)
    process = TiedProcess([*pagefind_command(), "--site", str(documents), "--output-path", str(output), "--silent"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return Indexing(process, output)


def pagefind_command() -> list[str]:
    """The Pagefind binary itself (the PyPI package ships it in pagefind_bin_extended), so the
    process tied to the build is the indexer, not a Python launcher in front of it."""
    try:
        from pagefind_bin_extended import get_executable
        return [str(get_executable())]
    except (ImportError, FileNotFoundError):
        return [sys.executable, "-m", "pagefind"]


def index_search(site_dir: Path, documents: Path, started: Indexing | None = None) -> None:
    """The search index into site_dir/pagefind/: waits for the run `started` earlier (see
    start_index_search), or runs one now."""
    indexing = started or start_index_search(documents, site_dir.with_name(site_dir.name + ".pagefind"))
    if indexing.process is None:
        return
    with indexing.process:  # a failure or Ctrl-C on the way here ends it too (tied.py)
        log, _ = indexing.process.communicate()
    if indexing.process.returncode != 0:
        raise RuntimeError(f"pagefind failed: {log}")
    stabilize(indexing.output)  # same pages → same index files (reproducible builds)
    shutil.rmtree(site_dir / "pagefind", ignore_errors=True)
    indexing.output.rename(site_dir / "pagefind")
