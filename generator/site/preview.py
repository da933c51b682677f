"""`bulletin serve`: the editors' live preview, fast at archive scale.

The generator regenerates the preview's pages (build/preview/docs) whenever a file under
content/ or bulletins/ changes, writing only the pages whose text changed (publish.write_pages),
and rewrites the preview's engine config when the navigation changes. MkDocs' server watches
that folder and that config and runs its *dirty* build: only pages whose source is newer than
their HTML are rendered again (1,000 story pages take ~7 s in a full build). Navigation lists
issues, not stories, so an edited story never needs other pages re-rendered. MkDocs warns about
dirty builds, so the preview is not strict.
"""
from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from generator.problems import ContentError
from generator.site.engine import engine_config, write_engine_config

WATCHED = ("content", "bulletins")
POLL_S = 0.5


class _DirtyWarningFilter(logging.Filter):
    """MkDocs' warning that a dirty build may show stale navigation: expected here (see above)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


def snapshot(root: Path) -> dict[str, int]:
    """Modification time of every file editors may change (a cheap poll: no extra dependency)."""
    stamps = {}
    for name in WATCHED:
        for folder, _, files in os.walk(root / name):
            for file in files:
                path = os.path.join(folder, file)
                try:
                    stamps[path] = os.stat(path).st_mtime_ns
                except OSError:
                    pass
    return stamps


# The pipeline's preview run, handed in by the command: (root) → its result with site, nav, docs.
Generate = Callable[[Path], object]


def regenerate(root: Path, config_file: Path, generate: Generate) -> bool:
    """Pages and engine config of the preview; False (problems printed) when content is wrong."""
    try:
        write_preview(root, config_file, generate)
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        return False
    return True


def write_preview(root: Path, config_file: Path, generate: Generate) -> None:
    result = generate(root)
    config = engine_config(root, site_name=result.site.title, nav=result.nav, docs=result.docs.resolve(),
                           site_dir=config_file.parent / "site", copyright=result.site.copyright)
    text_before = config_file.read_text(encoding="utf-8") if config_file.exists() else None
    write_engine_config(config_file.with_suffix(".new"), config)
    if config_file.with_suffix(".new").read_text(encoding="utf-8") != text_before:
        os.replace(config_file.with_suffix(".new"), config_file)  # the server reloads on a change only
    else:
        config_file.with_suffix(".new").unlink()


def watch_content(root: Path, config_file: Path, generate: Generate, stop: threading.Event) -> None:
    before = snapshot(root)
    while not stop.wait(POLL_S):
        now = snapshot(root)
        if now != before:
            before = now
            regenerate(root, config_file, generate)


def serve_preview(root: Path, config_file: Path, generate: Generate, dev_addr: str, dirty: bool = True) -> None:
    """Serve the preview whose pages `generate(root)` writes and whose engine config is `config_file`."""
    from mkdocs.commands.serve import serve

    write_preview(root, config_file, generate)  # content problems stop here, before the server starts
    stop = threading.Event()
    threading.Thread(target=watch_content, args=(root, config_file, generate, stop), daemon=True).start()
    logging.getLogger("mkdocs.commands.build").addFilter(_DirtyWarningFilter())
    try:
        serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True,
              build_type="dirty" if dirty else None, strict=False)
    finally:
        stop.set()
