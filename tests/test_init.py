"""`bulletin init DIR`: a new office's site that `bulletin check` passes and `bulletin build` builds."""
from __future__ import annotations

import datetime as dt

import pytest
import yaml

from generator.cli import main

ANSWERS = ["--office", "某省医疗质量控制中心管理办公室", "--bulletin", "某省医疗质控工作简报",
           "--commission", "某省卫生健康委员会办公室", "--region", "某省"]


def run(capsys, *argv) -> tuple[int, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize("numbering, key, period", [
    ("quarter", f"{dt.date.today().year}-q{(dt.date.today().month + 2) // 3}", None),
    # an irregular 第N期 series starts at the year's first; the next issue is -02
    ("number", f"{dt.date.today().year}-01", f"{dt.date.today().year}年第2期"),
])
def test_init_makes_a_site_that_checks_and_builds(tmp_path, capsys, numbering, key, period):
    site = tmp_path / "office"
    code, output = run(capsys, "init", str(site), *ANSWERS, "--numbering", numbering, "--doc-prefix", "某卫办发",
                       *(["--frequency", "irregular"] if numbering == "number" else []))
    assert code == 0, output
    assert f"bulletin new story bulletin/{key} 文件名 example-center" in output
    for rel in ("mkdocs.yml", "content/site.yml", "content/series/bulletin.yml", "content/series/notices.yml",
                "content/centers/centers.yml", f"bulletins/bulletin/{key}.yml", ".gitignore"):
        assert (site / rel).is_file(), rel
    series = yaml.safe_load((site / "content/series/notices.yml").read_text(encoding="utf-8"))
    assert series["kind"] == "notice" and series["doc_prefix"] == "某卫办发"
    assert run(capsys, "--root", str(site), "check")[0] == 0
    code, output = run(capsys, "--root", str(site), "build")
    assert code == 0, output
    assert "某省医疗质控工作简报与评估通报" in (site / "site/index.html").read_text(encoding="utf-8")
    # The first story goes into the draft issue, as the printed next step says.
    code, output = run(capsys, "--root", str(site), "new", "story", f"bulletin/{key}", "first", "example-center")
    assert code == 0, output
    if period:
        assert f"期次：{period}" in run(capsys, "--root", str(site), "new", "issue", f"bulletin/{dt.date.today().year}-02")[1]


def test_init_never_writes_into_a_folder_with_files(tmp_path, capsys):
    (tmp_path / "x.txt").write_text("keep", encoding="utf-8")
    code, output = run(capsys, "init", str(tmp_path), *ANSWERS)
    assert code == 2 and "不是空文件夹" in output
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]


def test_init_without_a_terminal_names_the_missing_flags(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, output = run(capsys, "init", str(tmp_path / "new"), "--office", "某办公室")
    assert code == 2 and "缺少 --bulletin、--commission、--region" in output
    assert not (tmp_path / "new").exists()


def test_init_asks_in_a_terminal(tmp_path, capsys, monkeypatch):
    answers = iter(["某省医疗质量控制中心管理办公室", "某省医疗质控工作简报", "某省卫生健康委员会办公室", "某省"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    code, output = run(capsys, "init", str(tmp_path / "asked"))
    assert code == 0, output
    assert run(capsys, "--root", str(tmp_path / "asked"), "check")[0] == 0
