"""Which print documents may have changed since the last run, known without preparing them.

Preparing a document's data (typeset.py: block trees, phrases, statistics, QR code) costs ~10 ms
per issue; at 400 issues that alone was several seconds after every edit. So each document gets
a *recipe*: a hash of the content files it prints, by their digests (content.digests, the sha1
the load stage keeps), and of everything else that shapes the PDF (the generator's code and the
Typst templates, the fonts, Typst's version, the PDF standard, the public address). The recipe
maps to the PDF cache key (engine.cache_key) the document had when its data was last prepared;
while the recipe is unchanged and that PDF is in build/pdf-cache, the data is not prepared again.

What a recipe covers:
- every content file that is not a story or a 点评 (site.yml, series, centers, rounds, notices,
  issue files): an edit to one of them prepares every document again (their PDFs are still
  reused when their data comes out the same);
- a bulletin issue: its sections' titles, its stories in order (page address, number, the story's
  and its 点评's file digests), the images its stories embed (content digest) and its 本期统计
  chart (the chart's key, a hash of its data);
- a notice: its page address (its file, round and the registry are all shared files).

Kept in build/cache/print-recipes.json; entries of documents not in this run are dropped.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from generator.render.page_cache import code_key, hash_of

PATH = Path("build") / "cache" / "print-recipes.json"


def shared_key(digests: dict[str, str]) -> str:
    """Every content file but stories and 点评: what any document may print."""
    return hash_of(sorted((f, d) for f, d in digests.items()
                          if not f.startswith(("content/stories/", "content/commentary/"))))


class Recipes:
    """Recipe → PDF key, read from and saved to build/cache/print-recipes.json. Without
    `digests` (a caller that loaded content without the load cache) nothing is known or kept."""

    def __init__(self, root: Path, digests: dict[str, str] | None, engine_key: str):
        self.digests = digests or {}
        self.path = root / PATH if digests else None
        self.base = hash_of(code_key(), engine_key, shared_key(self.digests)) if digests else ""
        self.old: dict[str, str] = {}
        self.new: dict[str, str] = {}
        if self.path and self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self.old = data if isinstance(data, dict) else {}
            except (OSError, ValueError):
                self.old = {}  # a damaged file only makes this run prepare every document

    def bulletin(self, issue, site_url: str, chart, image_digest) -> str | None:
        """The recipe of an issue's PDF, or None when a file it prints has no digest."""
        if not self.path:
            return None
        d = self.digests
        parts = [self.base, "bulletin", site_url, issue.url, chart and (chart.key, chart.alt)]
        for section in issue.sections:
            parts.append(f"§{section.title or ''}")
            for s in section.stories:
                story = d.get(str(s.story.file))
                note = d.get(str(s.commentary.file)) if s.commentary else "-"
                if story is None or note is None:
                    return None
                images = [image_digest(image.path) for image in getattr(s.story, "images", [])]
                parts.append(f"{s.url} {s.number} {story} {note} {images}")
        return hash_of(*parts)

    def notice(self, notice, site_url: str) -> str | None:
        return hash_of(self.base, "notice", site_url, notice.url) if self.path else None

    def known(self, recipe: str | None) -> str | None:
        """The PDF key this recipe had in the last run (kept for the next one), or None."""
        key = self.old.get(recipe) if recipe else None
        if key:
            self.new[recipe] = key
        return key

    def put(self, recipe: str | None, key: str) -> None:
        if recipe:
            self.new[recipe] = key

    def save(self) -> None:
        if not self.path or self.new == self.old:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(self.new), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only build/ only makes the next run slower
