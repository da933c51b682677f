"""Images a Markdown body refers to: found at load time, so that validation can check them and
the pipeline can publish exactly those files."""
from __future__ import annotations

import re

IMAGE_RE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?")


def image_refs(text: str) -> list[str]:
    """Relative image paths a Markdown body refers to (for validation and asset copying)."""
    return [ref for ref in IMAGE_RE.findall(text) if "://" not in ref and not ref.startswith("data:")]
