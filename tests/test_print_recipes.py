"""PDFs after one edit (issue 22, print/recipes.py): a story edited in one issue prepares and
typesets that issue's PDF again and no other document; the PDF shows the edit; the keys the
recipes keep are the ones a full preparation computes.

The project: the demo with its issue repeated as the quarter before (benchmarks/archive.py), so
there are two issues and a notice.
"""
from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest

from benchmarks.archive import read_seed, write_quarter
from benchmarks.project import copy_project
from generator.assemble import assemble
from generator.charts import chart_files
from generator.pipeline import checked_content
from generator.print import pdf, typeset

SEED = "bulletins/hubei-bulletin/2024-q3.yml"
EDIT = "本季度复核后补记：随访资料已于月底前全部归档。"
NOTE_EDIT = "点评补记：归档经验值得推广。"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("recipes") / "project")
    seed = read_seed(root, root / SEED)
    write_quarter(root, seed, 38, 2024, 2)  # 38: keeps the seed's slugs (archive.py varies every third)
    return root


def run(root: Path, monkeypatch) -> dict:
    """One print run as the build makes it: {prepared: issue/notice urls, compiled: new cache files,
    keys: {url: PDF key}, files: {rel: path}, site, charts}."""
    prepared: list[str] = []
    converted: list[str] = []
    to_html = typeset.to_html
    monkeypatch.setattr(typeset, "to_html", lambda text: converted.append(text) or to_html(text))
    for name in ("bulletin_data", "notice_data"):
        original = getattr(pdf, name)

        def counted(view, *args, _original=original, **kwargs):
            prepared.append(view.url)
            return _original(view, *args, **kwargs)

        monkeypatch.setattr(pdf, name, counted)
    content = checked_content(root, keep=True)
    site = assemble(content, content.site, dt.date.today())
    charts = chart_files(site, root)
    cache = root / pdf.CACHE_DIR
    before = {p.name for p in cache.glob("*.pdf")} if cache.is_dir() else set()
    files, _ = pdf.render_pdfs(site, root, progress=False, charts=charts, digests=content.digests)
    monkeypatch.undo()
    compiled = sorted(p.name for p in cache.glob("*.pdf") if p.name not in before)
    keys = {rel: path.stem for rel, path in files.items()}
    return {"prepared": sorted(prepared), "compiled": compiled, "converted": converted, "keys": keys, "files": files,
            "site": site, "charts": charts}


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True)
    return re.sub(r"\s+", "", out.stdout)


def append(path: Path, sentence: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{sentence}\n", encoding="utf-8")


def test_an_edit_prepares_and_typesets_its_issue_only(project, monkeypatch):
    cold = run(project, monkeypatch)
    assert len(cold["keys"]) == 3 and len(cold["compiled"]) == 3  # two issues, one notice
    again = run(project, monkeypatch)
    assert again["prepared"] == [] and again["compiled"] == [] and again["keys"] == cold["keys"]

    append(project / "content/stories/hubei-bulletin/2024-q2/nursing.md", EDIT)
    edited = run(project, monkeypatch)
    q2 = next(rel for rel in cold["keys"] if rel.startswith("hubei-bulletin/2024-q2/"))
    assert edited["prepared"] == ["hubei-bulletin/2024-q2/"]
    assert edited["compiled"] == [f"{edited['keys'][q2]}.pdf"]
    assert {r: k for r, k in edited["keys"].items() if r != q2} == {r: k for r, k in cold["keys"].items() if r != q2}
    assert edited["keys"][q2] != cold["keys"][q2]
    assert EDIT in pdf_text(edited["files"][q2])
    q3 = next(rel for rel in cold["keys"] if rel.startswith("hubei-bulletin/2024-q3/"))
    assert EDIT not in pdf_text(edited["files"][q3])

    append(project / "content/commentary/hubei-bulletin/2024-q3/nursing.md", NOTE_EDIT)  # a 点评 is printed too
    noted = run(project, monkeypatch)
    assert noted["prepared"] == ["hubei-bulletin/2024-q3/"] and len(noted["compiled"]) == 1
    assert NOTE_EDIT in pdf_text(noted["files"][q3])

    # What the recipes kept is what preparing every document from scratch gives.
    fresh = {job.rel: job.key for _, job in pdf.documents(noted["site"], project, noted["charts"])}
    assert fresh == noted["keys"]


def test_a_shared_file_prepares_every_document(project, monkeypatch):
    """A change outside stories and 点评 (here the series file's 报尾) may show in any document."""
    series = project / "content/series/hubei-bulletin.yml"
    text = series.read_text(encoding="utf-8")
    run(project, monkeypatch)
    append(project / "content/stories/hubei-bulletin/2024-q2/nursing.md", "再补一句。")
    assert run(project, monkeypatch)["prepared"] == ["hubei-bulletin/2024-q2/"]  # the others kept
    series.write_text(text + "\n# 编辑的备注\n", encoding="utf-8")
    changed = run(project, monkeypatch)
    assert len(changed["prepared"]) == 3 and changed["compiled"] == []  # same data: PDFs reused
    # The run that kept two documents kept their bodies' block trees too: nothing is converted again.
    assert changed["converted"] == []
