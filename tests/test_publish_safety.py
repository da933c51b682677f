"""Nothing outside the build is touched, and a build that says 已生成网站 left a complete site.

Site folders that would replace editors' files are refused; leftovers of an interrupted build
are recovered; builds of one project run one at a time; a damaged manifest is rebuilt; PDF
workers die with the build; a write refused by the system is reported in Chinese.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO

from generator.cli import main


def _tree(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        h.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.mark.parametrize("target", [".", "..", "content", "content/stories", "bulletins", "build", "build/docs"])
def test_a_site_folder_over_editors_files_is_refused(project, capsys, target):
    before = {name: _tree(project / name) for name in ("content", "bulletins")}
    assert main(["--root", str(project), "build", "--no-pdf", "--site-dir", str(project / target)]) == 2
    err = capsys.readouterr().err
    assert "不能把网站生成到" in err and "--site-dir" in err and "Traceback" not in err
    assert {name: _tree(project / name) for name in ("content", "bulletins")} == before
    assert not (project / "build").exists()


def test_a_foreign_folder_is_not_replaced(project, tmp_path, capsys):
    mine = tmp_path / "文档"
    mine.mkdir()
    (mine / "notes.txt").write_text("编辑的笔记", encoding="utf-8")
    assert main(["--root", str(project), "build", "--no-pdf", "--site-dir", str(mine)]) == 2
    assert "不是本工具生成的文件" in capsys.readouterr().err
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "编辑的笔记"


def test_leftovers_recovered_and_damaged_manifest_rebuilt(project, capsys):
    """A site renamed aside by a killed build comes back; stale temp folders go; a truncated
    manifest costs a full rewrite, not a failure."""
    (project / "site.old").mkdir()
    (project / "site.old" / "index.html").write_text("旧网站", encoding="utf-8")
    (project / "site.tmp").mkdir()
    (project / "build").mkdir()
    (project / "build" / ".zk-manifest.json").write_text('{"index.md": "ab', encoding="utf-8")
    assert main(["--root", str(project), "build", "--no-pdf"]) == 0, capsys.readouterr().err
    assert "已生成网站" in capsys.readouterr().out
    assert (project / "site" / "index.html").read_text(encoding="utf-8") != "旧网站"
    assert not list(project.glob("site.old*")) and not list(project.glob("site.tmp*"))
    assert (project / "site" / ".zk-site").exists()
    # and again: the site this tool built is replaced without complaint
    assert main(["--root", str(project), "build", "--no-pdf"]) == 0


def test_two_builds_at_once_take_turns(project):
    """Both succeed, one after the other; the site is complete after each (no shared temp names)."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    command = [sys.executable, "-m", "generator", "--root", str(project), "build", "--no-pdf"]
    first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    out, err = first.communicate(timeout=600)
    assert first.returncode == 0 and second.returncode == 0, err + second.stderr
    assert "已生成网站" in out and "已生成网站" in second.stdout
    pages = sorted(p.relative_to(project / "site").as_posix() for p in (project / "site").rglob("*.html"))
    assert len(pages) > 50 and "index.html" in pages and "404.html" in pages
    assert not list(project.glob("site.*"))


def test_a_refused_write_is_reported_in_chinese(project, capsys, monkeypatch):
    import generator.publish as publish

    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied", str(project / "site"))

    monkeypatch.setattr(publish, "build_site", refuse)
    assert main(["--root", str(project), "build", "--no-pdf"]) == 3
    err = capsys.readouterr().err
    assert "没有写入权限" in err and str(project / "site") in err and "PermissionError" not in err


WORKER = """
import os, signal, sys, time
from concurrent.futures import ProcessPoolExecutor
from generator.tied import die_with_parent
pool = ProcessPoolExecutor(max_workers=1, initializer=die_with_parent)
pid = pool.submit(os.getpid).result()
pool.submit(time.sleep, 60)
print(pid, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_pdf_workers_die_with_a_killed_build():
    env = dict(os.environ, PYTHONPATH=str(REPO))
    run = subprocess.run([sys.executable, "-c", WORKER], env=env, capture_output=True, text=True, timeout=60)
    worker = int(run.stdout.split()[0])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(worker, 9)
    pytest.fail("the worker outlived its killed parent")


def test_copied_files_are_read_again_only_when_changed(tmp_path, monkeypatch):
    """An unchanged PDF is known by its stat and neither read nor copied again; a replaced one
    (same size, other bytes), a lost copy and a stray file left in the docs folder are all
    seen to."""
    from generator.publish import write_pages

    source, docs = tmp_path / "pdf-cache" / "issue.pdf", tmp_path / "build" / "docs"
    source.parent.mkdir()
    source.write_bytes(b"%PDF-1.7 first")
    assert write_pages([], {"s/issue.pdf": source}, docs, assets=False)["written"] == 1
    reads = []
    real_read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or real_read(self))
    assert write_pages([], {"s/issue.pdf": source}, docs, assets=False)["written"] == 0 and reads == []
    replacement = source.with_suffix(".new")
    replacement.write_bytes(b"%PDF-1.7 other")
    os.replace(replacement, source)
    assert write_pages([], {"s/issue.pdf": source}, docs, assets=False)["written"] == 1
    assert (docs / "s" / "issue.pdf").read_bytes() == b"%PDF-1.7 other"
    (docs / "s" / "issue.pdf").unlink()
    (docs / "draft").mkdir()
    (docs / "draft" / "index.md").write_text("草稿", encoding="utf-8")
    stats = write_pages([], {"s/issue.pdf": source}, docs, assets=False)
    assert stats["written"] == 1 and stats["removed"] == 1 and not (docs / "draft").exists()
    assert (docs / "s" / "issue.pdf").read_bytes() == b"%PDF-1.7 other"
