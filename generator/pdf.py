"""Publish stage, print side: one PDF per issue (and notice) from the same assembled content.

Placeholder: returns no PDFs yet. Contract: render_pdfs(site, root) renders (or takes from the
cache) every document's PDF, sets `view.pdf = {"url": …, "bytes": …}` on each IssueView (and
notice view), and returns {docs-relative path: Path of the PDF file} for the publish stage to copy.
"""
from __future__ import annotations

from pathlib import Path

from .assemble import SiteModel


def render_pdfs(site: SiteModel, root: Path, progress: bool = True) -> dict[str, Path]:
    return {}
