"""Stage 5 — publish: page files → docs folder (incrementally) → MkDocs site → search index → site/.

The site folder is replaced only when everything succeeded, so a failed build leaves the
previous site exactly as it was.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .pagefind_stable import stabilize
from .render import Page

ASSETS = Path(__file__).parent / "assets"
MANIFEST = ".zk-manifest.json"  # hashes of what the generator last wrote, for incremental writes
SEARCH_PAGES = Path("build") / "search" / "pages"  # index documents (search_terms.py), same URLs as the site


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_pages(pages: list[Page], files: dict[str, Path], docs: Path) -> dict[str, int]:
    """Write only what changed; delete what no longer exists. Returns counts for the log."""
    docs.mkdir(parents=True, exist_ok=True)
    manifest_path = docs.parent / MANIFEST
    old = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    new: dict[str, str] = {}
    written = 0
    wanted: dict[str, bytes | Path] = {p.path: p.text.encode("utf-8") for p in pages}
    wanted.update(files)
    wanted.update({f"assets/{a.name}": a for a in sorted(ASSETS.iterdir()) if a.is_file()})
    for rel, source in sorted(wanted.items()):
        data = source.read_bytes() if isinstance(source, Path) else source
        digest = new[rel] = _digest(data)
        target = docs / rel
        if old.get(rel) != digest or not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written += 1
    # Anything not wanted now goes, manifest or not: a preview page (draft) left by an
    # interrupted `serve` must never reach a public build.
    removed = _prune(docs, set(new))
    manifest_path.write_text(json.dumps(new, sort_keys=True, indent=0))
    return {"pages": len(pages), "written": written, "removed": removed}


def _prune(docs: Path, keep: set[str]) -> int:
    """Delete every file under `docs` not in `keep`, then the folders left empty (one walk)."""
    removed = 0
    for folder, _, names in os.walk(docs, topdown=False):
        rel = Path(folder).relative_to(docs).as_posix()
        for name in names:
            if (name if rel == "." else f"{rel}/{name}") not in keep:
                os.unlink(os.path.join(folder, name))
                removed += 1
        if rel != "." and not os.listdir(folder):
            os.rmdir(folder)
    return removed


def source_date_epoch(latest: dt.date | None) -> str:
    """Dates MkDocs stamps into the sitemap come from the content, so two builds are identical."""
    day = latest or dt.date(2000, 1, 1)
    return str(int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp()))


def build_mkdocs(config_file: Path, site_dir: Path, epoch: str) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        config = load_config(config_file=str(config_file), site_dir=str(site_dir), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


@dataclass
class Indexing:
    process: subprocess.Popen
    output: Path


def start_index_search(documents: Path, output: Path) -> Indexing:
    """Pagefind (extended build) indexes the index documents in `documents` (each page's indexed
    regions plus their Chinese bigram terms, see search_terms.py) into `output`; result URLs are
    the documents' paths, which are the site's. It needs nothing MkDocs makes, so it runs in its
    own process beside the MkDocs build (on 2 cores the build takes ~4 s less)."""
    shutil.rmtree(output, ignore_errors=True)
    process = subprocess.Popen([sys.executable, "-m", "pagefind", "--site", str(documents),
                                "--output-path", str(output), "--silent"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return Indexing(process, output)


def index_search(site_dir: Path, documents: Path, started: Indexing | None = None) -> None:
    """The search index into site_dir/pagefind/: waits for the run `started` earlier (see
    start_index_search), or runs one now."""
    indexing = started or start_index_search(documents, site_dir.with_name(site_dir.name + ".pagefind"))
    log, _ = indexing.process.communicate()
    if indexing.process.returncode != 0:
        raise RuntimeError(f"pagefind failed: {log}")
    stabilize(indexing.output)  # same pages → same index files (reproducible builds)
    shutil.rmtree(site_dir / "pagefind", ignore_errors=True)
    indexing.output.rename(site_dir / "pagefind")


def swap_in(new_site: Path, site: Path) -> None:
    """Replace `site` by `new_site` in two renames; the old copy is removed only afterwards.

    Readers of `site` see the old tree or the new one, never a mix; if the second rename fails
    the old tree is put back.
    """
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    try:
        new_site.rename(site)
    except BaseException:
        if old.exists() and not site.exists():
            old.rename(site)
        raise
    shutil.rmtree(old, ignore_errors=True)


def build_site(root: Path, tmp: Path, out: Path, generated, args) -> None:
    """Pages in build/docs → a complete site in `tmp` → swapped in as `out`; raises on any failure
    before the swap, so `out` is then untouched."""
    shutil.rmtree(tmp, ignore_errors=True)
    for step in getattr(generated.site, "extra", {}).get("publish_steps", []):
        step(root, tmp, args)
    # Pagefind writes beside tmp (MkDocs empties tmp when it starts) while MkDocs builds.
    indexing = start_index_search(root / SEARCH_PAGES, tmp.with_name(tmp.name + ".pagefind"))
    try:
        build_mkdocs(root / "mkdocs.yml", tmp, source_date_epoch(generated.latest_date))
        index_search(tmp, root / SEARCH_PAGES, indexing)
    finally:
        if indexing.process.poll() is None:
            indexing.process.kill()
            indexing.process.wait()
        shutil.rmtree(indexing.output, ignore_errors=True)
    swap_in(tmp, out)
