"""The build is atomic (a failure leaves the previous site/ byte-identical) and reproducible (the
same content gives a byte-identical site/, PDFs and search index included); Windows-edited files
(UTF-8 with BOM, CRLF) are accepted."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from conftest import copy_project

import generator.publish as publish
from generator.cli import main
from generator.load.content import load_content
from generator.search.stable import cbor_decode, cbor_encode, read_pagefind_file, stabilize

STORY = "content/stories/hubei-bulletin/2024-q3/pediatrics.md"


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(root: Path, capsys, *args: str) -> tuple[int, str]:
    code = main(["--root", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("atomic") / "project")
    assert main(["--root", str(root), "build", "--no-pdf"]) == 0
    return root


@pytest.fixture
def before(built) -> dict[str, str]:
    digest = tree_digest(built / "site")
    assert len(digest) > 100
    yield digest
    assert not list(built.glob("site.tmp*")) and not list(built.glob("site.old*"))  # no debris


def test_content_error_leaves_the_site_untouched(built, before, capsys):
    path = built / STORY
    good = path.read_bytes()
    path.write_text(good.decode("utf-8").replace("center: hb-pediatrics", "center: nowhere"), encoding="utf-8")
    try:
        code, output = run(built, capsys, "build", "--no-pdf")
    finally:
        path.write_bytes(good)
    assert code == 1 and "未知的质控中心“nowhere”" in output
    assert tree_digest(built / "site") == before


@pytest.mark.parametrize("stage", ["build_with", "index_search"])
def test_builder_failure_leaves_the_site_untouched(built, before, capsys, monkeypatch, stage):
    real = getattr(publish, stage)

    def half_then_fail(*args, **kwargs):
        if stage == "index_search":
            real(*args, **kwargs)  # the new site is complete and indexed… then the step fails
        else:
            site_dir = Path(args[2])  # build_with(engine, config_file, site_dir, epoch)
            (site_dir / "index.html").parent.mkdir(parents=True, exist_ok=True)
            (site_dir / "index.html").write_text("half-written", encoding="utf-8")
        raise RuntimeError(f"simulated {stage} failure")

    monkeypatch.setattr(publish, stage, half_then_fail)
    code, output = run(built, capsys, "build", "--no-pdf")
    assert code == 3 and f"构建失败，原有 site/ 保持不变：RuntimeError: simulated {stage} failure" in output
    assert "Traceback" not in output
    assert tree_digest(built / "site") == before


def test_interrupted_build_leaves_the_site_untouched(built, before, capsys, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(publish, "build_with", interrupted)
    code, _ = run(built, capsys, "build", "--no-pdf")
    assert code == 130
    assert tree_digest(built / "site") == before


def test_swap_puts_the_old_site_back_when_the_new_one_cannot_move_in(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    with pytest.raises(OSError):
        publish.swap_in(tmp_path / "missing.tmp", site)
    assert (site / "index.html").read_text(encoding="utf-8") == "old"


def test_a_successful_build_replaces_the_site(built, before, capsys):
    (built / "site" / "stale.html").write_text("from an old build", encoding="utf-8")
    code, _ = run(built, capsys, "build", "--no-pdf")
    assert code == 0
    assert tree_digest(built / "site") == before  # stale file gone, the rest identical


def test_two_builds_are_byte_identical(tmp_path):
    """From scratch twice (no build/ cache, PDFs rendered anew), in the same folder."""
    root = copy_project(tmp_path / "project")
    assert main(["--root", str(root), "build"]) == 0
    first = tmp_path / "first"
    (root / "site").rename(first)
    shutil.rmtree(root / "build")
    assert main(["--root", str(root), "build"]) == 0
    a, b = tree_digest(first), tree_digest(root / "site")
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    assert any(name.startswith("pagefind/filter/") for name in a)


# --- Pagefind output, made stable ------------------------------------------------------------------

def test_cbor_codec_round_trips():
    for value in [0, 23, 24, 255, 256, 65536, 2**32, -1, -500, "", "质控", b"\x00\x01", [], [1, ["a", [2, -3]]]]:
        data = cbor_encode(value)
        assert cbor_decode(data) == (value, len(data))


def test_filters_are_sorted_and_renamed_consistently(built):
    bundle = built / "site" / "pagefind"
    names = [f.stem for f in (bundle / "filter").glob("*.pf_filter")]
    assert names
    for path in (bundle / "filter").glob("*.pf_filter"):
        _, values = read_pagefind_file(path)
        assert [v[0] for v in values] == sorted(v[0] for v in values)
    meta = next(bundle.glob("pagefind.*.pf_meta"))
    assert sorted(h for _, h in read_pagefind_file(meta)[3]) == sorted(names)
    assert meta.name[len("pagefind."):-len(".pf_meta")] in (bundle / "pagefind-entry.json").read_text(encoding="utf-8")
    copy = built / "pagefind-copy"
    shutil.copytree(bundle, copy)
    try:
        stabilize(copy)  # already stable: nothing changes
        assert tree_digest(copy) == tree_digest(bundle)
    finally:
        shutil.rmtree(copy)


# --- files from Windows editors ------------------------------------------------------------------

def test_bom_and_crlf_are_accepted(project, capsys):
    for rel in [STORY, "bulletins/hubei-bulletin/2024-q3.yml", "content/centers/hubei.yml"]:
        path = project / rel
        text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    code, output = run(project, capsys, "check")
    assert code == 0, output
    content = load_content(project)
    story = next(s for s in content.stories if s.slug == "pediatrics")
    assert story.title == "推进全省同质化管理 提升基层诊疗服务能力"
    assert "\r" not in story.body and "\ufeff" not in story.body
    assert story.line_of("center") == 3  # line numbers unchanged by CRLF


def test_bom_and_crlf_mistakes_are_located_like_any_other(project, capsys):
    path = project / STORY
    text = path.read_text(encoding="utf-8").replace("center: hb-pediatrics", "center: nowhere").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    code, output = run(project, capsys, "check")
    assert code == 1 and f"{STORY}:3: 错误：未知的质控中心“nowhere”" in output
