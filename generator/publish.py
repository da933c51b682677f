"""Stage 5 — publish: page files → docs folder (incrementally) → site engine + search index → site/.

The site folder is replaced only when everything succeeded, so a failed build leaves the
previous site exactly as it was.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

from generator.render.pages import Page
from generator.search.pagefind import SEARCH_PAGES, index_search, start_index_search
from generator.site.engine import ASSETS, build_with, engine_config, write_engine_config

MANIFEST = ".zk-manifest.json"  # hashes of what the generator last wrote, for incremental writes


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
    return str(int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()))


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


def build_site(root: Path, tmp: Path, out: Path, generated, engine: str = "mkdocs") -> None:
    """Pages in build/docs → a complete site in `tmp` → swapped in as `out`; raises on any failure
    before the swap, so `out` is then untouched."""
    shutil.rmtree(tmp, ignore_errors=True)
    config = write_engine_config(root / "build" / "engine.yml", engine_config(
        root, site_name=generated.site.title, nav=generated.nav, docs=(root / "build" / "docs").resolve(),
        site_dir=tmp.resolve(), copyright=generated.site.copyright, site_url=generated.site.url or None))
    # Pagefind writes beside tmp (the engine empties tmp when it starts) while the engine builds.
    indexing = start_index_search(root / SEARCH_PAGES, tmp.with_name(tmp.name + ".pagefind"))
    try:
        build_with(engine, config, tmp, source_date_epoch(generated.latest_date))
        index_search(tmp, root / SEARCH_PAGES, indexing)
    finally:
        if indexing.process.poll() is None:
            indexing.process.kill()
            indexing.process.wait()
        shutil.rmtree(indexing.output, ignore_errors=True)
    swap_in(tmp, out)
