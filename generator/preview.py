"""`bulletin serve`: the local preview, fast at archive scale.

MkDocs' `serve` rebuilds every page on each change: 1,000 story pages take ~7 s or more, and a
save during a rebuild queues another. The preview therefore runs MkDocs' *dirty* build: on
each change the hook (mkdocs_hooks.on_config) regenerates the content, the generator rewrites
only the pages whose text changed (content hash, publish.write_pages), and MkDocs renders only
the pages whose source is newer than their HTML. Navigation lists issues, not stories, so an
edited story never needs other pages re-rendered; a new or removed issue shows in the navigation
of pages rendered after it (restart the preview for a fully consistent site; `bulletin build`
always builds everything). MkDocs warns about dirty builds, so the preview is not strict.
"""
from __future__ import annotations

import logging
from pathlib import Path


class _DirtyWarningFilter(logging.Filter):
    """MkDocs' warning that a dirty build may show stale navigation: expected here (see above)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


def serve_preview(root: Path, dev_addr: str, dirty: bool = True) -> None:
    from mkdocs.commands.serve import serve

    logging.getLogger("mkdocs.commands.build").addFilter(_DirtyWarningFilter())
    serve(config_file=str(root / "mkdocs.yml"), dev_addr=dev_addr, livereload=True,
          build_type="dirty" if dirty else None, strict=False)
