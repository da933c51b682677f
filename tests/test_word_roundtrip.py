"""Word round trip: the demo issue and notice exported to .docx, then imported with `bulletin import`
into a copy of the project without them, come back with identical content."""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from conftest import copy_project

from generator.assemble import assemble
from generator.cli import main
from generator.load import load_content
from generator.pipeline import checked_content
from generator.print.word import render_docx

ISSUE = "hubei-bulletin/2024-q3"
NOTICE = "guangxi-notices/2025-15"
TODAY = dt.date(2030, 1, 1)


def squash(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


@pytest.fixture
def exported(tmp_path):
    """(project copy, its demo content, assembled site, {docs path: exported .docx outside the project})."""
    root = copy_project(tmp_path / "project")
    content = checked_content(root)
    site = assemble(content, content.site, TODAY)
    files, _ = render_docx(site, root)
    out = {}
    for rel, path in files.items():
        out[rel] = tmp_path / Path(rel).name
        shutil.copy(path, out[rel])
    shutil.rmtree(root / "build")
    return root, content, site, out


def run(root: Path, capsys, *args: str) -> str:
    code = main(["--root", str(root), *args])
    output = "".join(capsys.readouterr())
    assert code == 0, output
    return output


def in_order(content, issue_id: str) -> list:
    issue = next(i for i in content.issues if i.id == issue_id)
    stories = {s.slug: s for s in content.stories if s.issue == issue_id}
    notes = {c.story: c for c in content.commentaries}
    return [(stories[slug], notes.get(f"{issue_id}/{slug}")) for slug in issue.slugs]


def test_issue_comes_back_identical(exported, capsys):
    root, demo, _, files = exported
    (root / "bulletins" / f"{ISSUE}.yml").unlink()
    shutil.rmtree(root / "content" / "stories" / ISSUE)
    shutil.rmtree(root / "content" / "commentary" / ISSUE)
    source = files[f"{ISSUE}/hubei-bulletin-2024-q3.docx"]
    run(root, capsys, "import", str(source), "--series", "hubei-bulletin", "--issue", "2024-q3")
    run(root, capsys, "check")
    imported = load_content(root)
    want, got = in_order(demo, ISSUE), in_order(imported, ISSUE)
    assert [s.title for s, _ in got] == [s.title for s, _ in want]
    assert [s.center for s, _ in got] == [s.center for s, _ in want]
    for (s1, c1), (s2, c2) in zip(want, got):
        assert squash(s2.body) == squash(s1.body), s1.slug  # Markdown too: bold lead-ins stay bold
        assert squash(c2.body) == squash(c1.body), s1.slug
    issue = next(i for i in imported.issues if i.id == ISSUE)
    original = next(i for i in demo.issues if i.id == ISSUE)
    assert squash(issue.preface) == squash(original.preface) and issue.date == original.date


def test_notice_comes_back_identical(exported, capsys):
    root, demo, site, files = exported
    (root / "content" / "notices" / "guangxi-notices" / "2025-15.md").unlink()
    (root / "content" / "evaluations" / "guangxi-notices" / "2024.yml").unlink()
    run(root, capsys, "import", str(files[f"{NOTICE}/guangxi-notices-2025-15.docx"]), "--series", "guangxi-notices")
    run(root, capsys, "check")
    content = checked_content(root)
    back = next(n for n in assemble(content, content.site, TODAY, preview=True).notices if n.notice.id == NOTICE)
    sent = next(n for n in site.notices if n.notice.id == NOTICE)
    assert [(r.center, r.grade) for r in back.annex] == [(r.center, r.grade) for r in sent.annex]
    assert len(back.annex) == 39
    for field in ("title", "addressees", "date", "signer", "note", "evaluation", "attachments", "doc_number"):
        assert getattr(back.notice, field) == getattr(sent.notice, field), field
    assert back.body.split() == sent.body.split()  # with the grade sentence generated from the round
