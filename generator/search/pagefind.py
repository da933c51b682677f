"""Pagefind: the search index of the site's pages, built beside the site engine, made reproducible.

Pagefind holds every page's words in memory until it writes the index: measured ~0.6 MB per
index document (Chinese text plus its bigram terms, terms.py), so one run over a national
archive of 11,000 pages peaked at 6.6 GB. The pages are therefore indexed in parts of at most
PART_PAGES documents, one Pagefind run after the other (each run uses every core): the first
part is the bundle at site/pagefind/, the others are bundles in site/pagefind/part-N/ listed in
site/pagefind/zk-parts.json, which the search page (assets/zk-search.js) merges into one search
with Pagefind's mergeIndex (the merged bundles reuse the first one's code and wasm). Pages are
dealt to the parts in turn (sorted by URL), so every part is a sample of the whole site and the
parts' scores compare (and, measured on the national bench archive, benchmarks/national.py, a
part's index is half the size and 20 % faster to make than a part drawn at random: neighbours in
URL order are alike and land in different parts). A site of up to PART_PAGES pages is one
bundle, as before.

A part's folder of links is made and removed by a child process (_files_in_child): made or
removed in this thread while MkDocs builds in the same process, every one of the 11,000 system
calls waited for the interpreter lock MkDocs holds (10 of the 57 s of a national build).
"""
from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from generator.search.stable import stabilize
from generator.tied import TiedProcess

SEARCH_PAGES = Path("build") / "search" / "pages"  # index documents (terms.py), same URLs as the site
PART_PAGES = 3000  # index documents per Pagefind run: its peak memory stays near 1.5 GB
PARTS_FILE = "zk-parts.json"  # in the first bundle: the other bundles, relative to it
# What a merged bundle needs (mergeIndex loads no code or wasm of its own).
PART_KEEP = ("pagefind-entry.json", "index", "fragment", "filter")


@dataclass
class Indexing:
    """Pagefind runs under way in a worker thread, one part after the other."""

    output: Path
    parts: list[list[str]] = field(default_factory=list)  # index documents (relative paths) per part
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


def split_parts(documents: list[str], size: int) -> list[list[str]]:
    """`documents` dealt in turn to as few parts as keep each at most `size` long."""
    count = max(1, math.ceil(len(documents) / size))
    return [documents[k::count] for k in range(count)]


def part_name(k: int) -> str:
    return f"part-{k}"


def start_index_search(documents: Path, output: Path) -> Indexing:
    """Pagefind (extended build) indexes the index documents in `documents` (each page's indexed
    regions plus their Chinese bigram terms, see terms.py) into `output`; result URLs are the
    documents' paths, which are the site's. It needs nothing MkDocs makes, so it runs in its own
    processes beside the MkDocs build (on 2 cores the build takes ~4 s less)."""
    shutil.rmtree(output, ignore_errors=True)
    found = sorted(p.relative_to(documents).as_posix() for p in documents.rglob("*.html"))
    if not found:  # Pagefind refuses an empty site; the search page says so
        return Indexing(output)
    indexing = Indexing(output, split_parts(found, PART_PAGES))
    indexing.thread = threading.Thread(target=_run_parts, args=(indexing, documents), daemon=True,
                                       name="pagefind")
    indexing.thread.start()
    return indexing


def _run_parts(indexing: Indexing, documents: Path) -> None:
    """Each part indexed in turn; with several, the next part's links are made while Pagefind
    indexes this one, and a part's links are removed while the next one is indexed."""
    several = len(indexing.parts) > 1
    children: list[tuple[subprocess.Popen, Path]] = []  # link and remove runs not waited for yet
    try:
        for k in range(len(indexing.parts)):
            if indexing.stopped:
                return
            site = documents
            if several:  # the last child started is this part's linking
                site = _finish(children.pop() if k else _start_linking(documents, indexing.parts, 0))
                if k + 1 < len(indexing.parts):
                    children.append(_start_linking(documents, indexing.parts, k + 1))
            target = indexing.output if k == 0 else indexing.output / part_name(k)
            _run_pagefind(indexing, site, target)
            if several:
                children.insert(0, _files_in_child("remove", str(site)))
            if indexing.error or indexing.stopped:
                return
            stabilize(target)  # same pages → same index files (reproducible builds)
            if k:
                _keep_data_only(target)
        (indexing.output / PARTS_FILE).write_text(json.dumps(
            {"parts": [f"{part_name(k)}/" for k in range(1, len(indexing.parts))]}), encoding="utf-8")
    except Exception as exc:  # reported by index_search in the building thread
        indexing.error = f"{type(exc).__name__}: {exc}"
    finally:
        for child in children:
            _finish(child, check=False)
        if several and (indexing.error or indexing.stopped):  # folders a stopped run left
            for k in range(len(indexing.parts)):
                _finish(_files_in_child("remove", str(_part_folder(documents, k))))


def _part_folder(documents: Path, k: int) -> Path:
    return documents.with_name(f"{documents.name}.{part_name(k)}")


def _start_linking(documents: Path, parts: list[list[str]], k: int) -> tuple[subprocess.Popen, Path]:
    """A folder holding only part k's index documents (hard links, same relative paths, so the
    same URLs; a copy where the file system has no hard links), being made."""
    return _files_in_child("link", str(_part_folder(documents, k)), str(documents), rels=parts[k])


# Run by _files_in_child: the standard library only, nothing of this package.
_FILES_CHILD = r"""
import os, shutil, sys
action, folder = sys.argv[1], sys.argv[2]
shutil.rmtree(folder, ignore_errors=True)
if action == "link":
    for rel in sys.stdin.buffer.read().decode("utf-8").splitlines():
        source, target = os.path.join(sys.argv[3], rel), os.path.join(folder, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
"""


def _files_in_child(action: str, folder: str, *args: str, rels: list[str] = ()) -> tuple[subprocess.Popen, Path]:
    """`folder` removed, then ("link") filled with links to `rels` under args[0], by a child
    process (see the module docstring), started; `_finish` waits for it."""
    child = TiedProcess([sys.executable, "-I", "-S", "-c", _FILES_CHILD, action, folder, *args],
                        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    threading.Thread(target=_feed, args=(child, "\n".join(rels).encode("utf-8")), daemon=True).start()
    return child, Path(folder)


def _feed(child: subprocess.Popen, data: bytes) -> None:
    try:
        child.stdin.write(data)
    finally:
        child.stdin.close()


def _finish(started: tuple[subprocess.Popen, Path], check: bool = True) -> Path:
    """The folder of a `_files_in_child` run, once it ended; raises if it failed (and `check`)."""
    child, folder = started
    with child:
        error = child.stderr.read()
        child.wait()
    if child.returncode and check:
        raise RuntimeError(f"link folder {folder}: {error.decode('utf-8', 'replace')[-800:]}")
    return folder


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
