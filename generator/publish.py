"""Stage 5 — publish: page files → docs folder (incrementally) → site engine + search index → site/.

The site folder is replaced only when everything succeeded, so a failed build leaves the
previous site exactly as it was.
"""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

from generator.parallel import settle
from generator.render.pages import Page
from generator.search.pagefind import SEARCH_PAGES, index_search, start_index_search
from generator.site.engine import ASSETS, build_with, engine_config, write_engine_config

MANIFEST = ".zk-manifest.json"  # hashes (or copied files' stat: _file_mark) of what the generator last wrote


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_pages(pages: list[Page], files: dict[str, Path], docs: Path,
                changed: set[str] | None = None, assets: bool = True,
                late: Callable[[], dict[str, Path]] | None = None) -> dict[str, int]:
    """Write only what changed; delete what no longer exists. Returns counts for the log;
    `changed` receives the paths written or deleted (what the preview's engine builds again);
    `assets`: the site's scripts and styles too (the site engine's pages need them); `late()`:
    more files, asked for once the others are written (a first build's charts, drawn meanwhile)."""
    docs.mkdir(parents=True, exist_ok=True)
    manifest_path = docs.parent / MANIFEST
    old = _manifest(manifest_path)
    existing, empty_folders = _existing(docs)
    new: dict[str, str] = {}
    made = {""}
    wanted: dict[str, Page | Path | bytes] = {p.path: p for p in pages}
    wanted.update(files)
    if assets:
        wanted.update({f"assets/{a.name}": a for a in sorted(ASSETS.iterdir()) if a.is_file()})
    written = _write_all(wanted, docs, old, existing, new, made, changed)
    if late is not None:
        written += _write_all(late(), docs, old, existing, new, made, changed)
    # Anything not wanted now goes, manifest or not: a preview page (draft) left by an
    # interrupted `serve` must never reach a public build.
    removed = _prune(docs, existing - new.keys(), empty_folders, changed)
    _write_manifest(manifest_path, new)
    return {"pages": len(pages), "written": written, "removed": removed}


def _write_all(wanted: dict, docs: Path, old: dict[str, str], existing: set[str], new: dict[str, str],
               made: set[str], changed: set[str] | None) -> int:
    """The `wanted` files whose content differs from the last write (`old`) or that are missing;
    `new` receives every wanted file's digest or mark. Returns how many were written."""
    written = 0
    for rel, source in sorted(wanted.items()):
        if isinstance(source, Page) and source.digest and old.get(rel) == source.digest:
            new[rel] = source.digest  # a kept page (render/page_cache.py): not even encoded
            if rel in existing:
                continue
        mark = _file_mark(source) if isinstance(source, Path) else None
        if mark and old.get(rel) == mark and rel in existing:
            new[rel] = mark  # the same file as last time (a PDF, a picture): not even read
            continue
        if isinstance(source, bytes):  # a file made in memory (print/wechat.py)
            data = source
        else:
            data = source.read_bytes() if isinstance(source, Path) else source.text.encode("utf-8")
        digest = _digest(data)
        new[rel] = mark or digest
        if old.get(rel) is None or old.get(rel) not in (digest, mark) or rel not in existing:
            folder = os.path.dirname(rel)
            if folder not in made:  # each folder made once, not once per file
                os.makedirs(docs / folder, exist_ok=True)
                made.add(folder)
            with open(docs / rel, "wb") as out:
                out.write(data)
            written += 1
            if changed is not None:
                changed.add(rel)
    return written


def write_edited(pages: list[Page], docs: Path, changed: set[str]) -> int:
    """Write `pages` whose text differs from the last write and note them in the manifest, as
    write_pages does; nothing else is looked at or removed (the preview's first answer to an
    edit: generator/edited.py; the full run after it does the rest). `changed` receives the paths
    written. Returns how many were written."""
    manifest_path = docs.parent / MANIFEST
    manifest = _manifest(manifest_path)
    existing = {p.path for p in pages if (docs / p.path).is_file()}
    new: dict[str, str] = {}
    written = _write_all({p.path: p for p in pages}, docs, manifest, existing, new, {""}, changed)
    if written:
        _write_manifest(manifest_path, manifest | new)
    return written


def _file_mark(path: Path) -> str | None:
    """A copied file's identity while it is unchanged: its path and stat (size, mtime, ctime,
    inode: a save or replace changes one of them), so an unchanged PDF is neither read nor
    hashed again (335 MB per build at 10,000 stories). None: not a plain file, always read."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"file:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{path}"


def _write_manifest(path: Path, entries: dict[str, str]) -> None:
    """One line, keys sorted beforehand: json's C encoder (any `indent` takes the pure-Python
    one: 0.23 s for the 11,000 pages of 10,000 stories, on every refresh)."""
    path.write_text(json.dumps(dict(sorted(entries.items())), separators=(",", ":")))


def _manifest(path: Path) -> dict:
    """The previous write's hashes; a damaged or foreign file only costs a full rewrite."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and all(isinstance(v, str) for v in data.values()) else {}


def _existing(docs: Path) -> tuple[set[str], list[str]]:
    """Every file under `docs` (paths relative to it), and the folders holding nothing: one walk
    (os.scandir, as os.walk classifies entries: a link to a folder is not descended)."""
    found: set[str] = set()
    empty: list[str] = []
    stack = [(str(docs), "")]
    while stack:
        folder, prefix = stack.pop()
        count = 0
        with os.scandir(folder) as entries:
            for entry in entries:
                count += 1
                if not entry.is_dir():
                    found.add(prefix + entry.name)
                elif not entry.is_symlink():
                    stack.append((entry.path, f"{prefix}{entry.name}/"))
        if not count and prefix:
            empty.append(folder)
    return found, empty


def _prune(docs: Path, unwanted: set[str], empty_folders: list[str], removed_paths: set[str] | None = None) -> int:
    """Delete the `unwanted` files under `docs`, then the folders left empty."""
    folders = set(empty_folders)
    for path in unwanted:
        os.unlink(docs / path)
        folders.add(os.path.dirname(os.path.join(docs, path)))
        if removed_paths is not None:
            removed_paths.add(path)
    top = os.path.normpath(docs)
    for folder in sorted(folders, key=len, reverse=True):  # deepest first, then up while empty
        while (os.path.normpath(folder) != top and folder.startswith(top) and os.path.isdir(folder)
               and not os.listdir(folder)):
            os.rmdir(folder)
            folder = os.path.dirname(folder)
    return len(unwanted)


def source_date_epoch(latest: dt.date | None) -> str:
    """Dates MkDocs stamps into the sitemap come from the content, so two builds are identical."""
    day = latest or dt.date(2000, 1, 1)
    return str(int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()))


def swap_in(new_site: Path, site: Path) -> None:
    """Replace `site` by `new_site` in two renames; the old copy is removed only afterwards.

    Readers of `site` see the old tree or the new one, never a mix; if the second rename fails
    the old tree is put back. The old copy's name is unique to this build, so one that cannot be
    deleted (a read-only file in it) is left aside without blocking any later build.
    """
    old = site.with_name(f"{site.name}.old-{os.getpid()}-{secrets.token_hex(3)}")
    (new_site / SITE_MARK).write_text("bulletin build\n", encoding="utf-8")
    if site.exists():
        site.rename(old)
    try:
        new_site.rename(site)
    except BaseException:
        if old.exists() and not site.exists():
            old.rename(site)
        raise
    shutil.rmtree(old, ignore_errors=True)


SITE_MARK = ".zk-site"  # in every site this tool built: a folder without it is not ours to replace


def recover_site(site: Path) -> None:
    """Leftovers of an interrupted build: a site renamed aside but never replaced is put back;
    other aside copies and temp folders go (they are ours by name, and no build holds them:
    the caller has the build lock)."""
    aside = sorted(site.parent.glob(f"{site.name}.old*"), key=lambda p: p.stat().st_mtime, reverse=True)
    if not site.exists() and aside:
        aside.pop(0).rename(site)
    for leftover in aside + list(site.parent.glob(f"{site.name}.tmp*")):
        shutil.rmtree(leftover, ignore_errors=True)


def unsafe_site_dir(root: Path, site: Path) -> str | None:
    """Why `site` must not be the output folder (it is replaced wholesale), or None."""
    root, site = root.resolve(), site.resolve()
    if site == root or root.is_relative_to(site):
        return "它是项目文件夹本身或其上级文件夹，替换它会删除编辑的全部文件"
    for folder, what in (("content", "稿件和名录"), ("bulletins", "期文件"), ("build", "生成器的工作文件"),
                         (".git", "版本库")):
        mine = root / folder
        if site == mine or site.is_relative_to(mine):
            return f"它在 {folder}/ 里（{what}），替换它会删除这些文件"
    if site.is_dir() and any(site.iterdir()) and not (site / SITE_MARK).exists() \
            and not ((site / "index.html").exists() and (site / "sitemap.xml").exists()):
        return "这个文件夹里已有不是本工具生成的文件，替换它会删除这些文件"
    return None


def build_site(root: Path, tmp: Path, out: Path, generated, engine: str = "mkdocs") -> None:
    """Pages in build/docs → a complete site in `tmp` → swapped in as `out`; raises on any failure
    before the swap, so `out` is then untouched."""
    shutil.rmtree(tmp, ignore_errors=True)
    config = write_engine_config(root / "build" / "engine.yml", engine_config(
        root, site_name=generated.site.title, nav=generated.nav, docs=(root / "build" / "docs").resolve(),
        site_dir=tmp.resolve(), copyright=generated.site.copyright, site_url=generated.site.url or None,
        description=generated.site.description))
    if getattr(generated, "search", None) is not None:
        generated.search.result()  # the search documents, written beside the pages (pipeline.search_documents)
    # The generator's run left its objects frozen for the collector (pipeline.generate): its
    # cyclic garbage is freed once, here, before the engine and Pagefind need the memory, and
    # what lives on is frozen again, out of the engine's collections. After its cache writers
    # ended (parallel.settle): a collection writes to every object, each page they share copied.
    settle()
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    # Pagefind writes beside tmp (the engine empties tmp when it starts) while the engine builds.
    indexing = start_index_search(root / SEARCH_PAGES, tmp.with_name(tmp.name + ".pagefind"))
    try:
        build_with(engine, config, tmp, source_date_epoch(generated.latest_date))
        index_search(tmp, root / SEARCH_PAGES, indexing)
    finally:
        indexing.stop()  # after a failure: no Pagefind run outlives the build
        shutil.rmtree(indexing.output, ignore_errors=True)
    swap_in(tmp, out)
