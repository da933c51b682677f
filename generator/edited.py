"""The preview's first answer to an edit: the edited story's page and its issue's page, at once.

An editor who saves a story waits for its page. When every file changed since the last good run
is a story or 点评 that run showed, and only the text below its front matter changed (the same
fields, the same verified images), the pages that differ from that run's are the pages showing
the text: the story's page and its issue's page. Those files are read and checked on their own
(load: the same reader as a full run's), the pages rendered with the new text in place of the old
(render.pages.edited_pages: the same templates) and written (publish.write_edited), and the
engine builds them. Nothing is decided here: what is public, numbered, listed and counted is the
last full run's, untouched (no model of it is changed).

It is only ever a first answer. The full run follows it at once, on the whole content, off the
critical path (site/preview.py): every cross-file rule, every other page (a center's list, the
search page), and its problems replace the preview as they always do. A file that has a problem
of its own, a changed title, date, status, issue or picture, a file that came or went: no first
answer, the full run alone, as before.
"""
from __future__ import annotations

from pathlib import Path

from generator.load.content import read_document
from generator.pipeline import BUILD, BuildResult
from generator.publish import write_edited
from generator.render.pages import edited_pages


def shown_files(last: BuildResult) -> dict[str, object]:
    """The story and 点评 models the last run's site shows, by file."""
    shown: dict[str, object] = {}
    for view in last.site.stories:
        shown[view.story.file] = view.story
        if view.commentary:
            shown[view.commentary.file] = view.commentary
    return shown


def same_but_text(old, new) -> bool:
    """Whether `new` is `old` with another body: the same kind, fields and verified images."""
    return (type(new) is type(old) and new.model_dump() == old.model_dump()
            and getattr(new, "images", None) == getattr(old, "images", None))


def edited_models(root: Path, last: BuildResult, files: list[str]) -> dict[str, object] | None:
    """Each of `files` (relative to the root) read again, when every one is a shown story or 点评
    whose text alone changed and that reads without an error; else None."""
    shown = shown_files(last)
    edited = {}
    for rel in files:
        old = shown.get(rel)
        if old is None:
            return None
        new, problems = read_document(root, rel)
        if new is None or any(not p.warning for p in problems) or not same_but_text(old, new):
            return None
        edited[rel] = new
    return edited


def show_edit(root: Path, last: BuildResult, files: list[str]) -> BuildResult | None:
    """The pages showing the edited `files` written to the last run's docs folder, with the last
    run's site and navigation; None when this edit needs the full run (see above)."""
    edited = edited_models(root, last, files)
    if not edited:
        return None
    pages = edited_pages(last.site, edited, root / BUILD / "cache", last.downloads, last.charts)
    changed: set[str] = set()
    written = write_edited(pages, last.docs, changed)
    return BuildResult(last.site, last.nav, {"pages": len(pages), "written": written, "removed": 0},
                       last.latest_date, last.docs, changed, last.charts, last.downloads)
