"""`bulletin import` of a monthly 第N期 bulletin (issue 18): the masthead's 第N期 and 总第N期, centers
inferred from bylines or offered as candidates that `check` lists, and meaningful file names."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from generator.cli import main

JS = ["--office", "江苏省医疗质量控制中心管理办公室", "--bulletin", "江苏医疗质控工作简报",
      "--commission", "江苏省卫生健康委员会办公室", "--region", "江苏省"]
CENTERS = """\
- {id: js-nursing, name: 江苏省护理质量控制中心, short_name: 护理, level: 省级, region: 江苏省, specialty: 护理}
- {id: js-anesthesiology, name: 江苏省麻醉质量控制中心, short_name: 麻醉, level: 省级, region: 江苏省, specialty: 麻醉}
- {id: js-critical-care, name: 江苏省重症医学质量控制中心, short_name: 重症医学, level: 省级, region: 江苏省, specialty: 重症医学}
- {id: js-critical-nursing, name: 江苏省重症护理质量控制中心, short_name: 重症护理, level: 省级, region: 江苏省, specialty: 护理}
- id: nj-nursing
  name: 南京市护理质量控制中心
  short_name: 护理
  level: 市级
  region: {province: 江苏省, city: 南京市}
  specialty: 护理
"""
BODY = "2025年2月，{}组织专家赴各地开展督导，覆盖医疗机构30家，发现问题并督促整改。"


def run(capsys, *argv) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out + out.err


def _line(doc, text, bold=False, centre=False, size=16):
    p = doc.add_paragraph()
    if centre:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = bold or None
    run.font.size = Pt(size)


def bulletin_docx(path: Path, stories: list[tuple[str, str]]) -> Path:
    """A bulletin as an office types it in Word: 报头, then byline, bold centred headline, body, 点评."""
    doc = Document()
    _line(doc, "江苏医疗质控工作简报", bold=True, centre=True, size=36)
    _line(doc, "2025年第2期（总第26期）", centre=True)
    _line(doc, "江苏省医疗质量控制中心管理办公室　　2025年2月28日", centre=True)
    _line(doc, "按：本期刊登各质控中心2月份的工作动态，供参考借鉴。")
    for byline, headline in stories:
        _line(doc, f"{byline}——")
        _line(doc, headline, bold=True, centre=True, size=18)
        _line(doc, BODY.format(byline))
        _line(doc, "点评：督导扎实，整改到位，值得推广。")
    _line(doc, "报：省卫生健康委医政医管处。")
    doc.save(path)
    return path


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A new office's site (init) with its registry, before any import."""
    root = tmp_path_factory.mktemp("js") / "js"
    assert main(["init", str(root), *JS, "--numbering", "number", "--total-number", "27",
                 "--doc-prefix", "苏卫办医政"]) == 0
    (root / "content/centers/centers.yml").write_text(CENTERS, encoding="utf-8")
    return root


@pytest.fixture
def js(template, tmp_path):
    return Path(shutil.copytree(template, tmp_path / "js", symlinks=True))


@pytest.fixture(scope="module")
def imported(template, tmp_path_factory):
    js = Path(shutil.copytree(template, tmp_path_factory.mktemp("imported") / "js", symlinks=True))
    source = bulletin_docx(tmp_path_factory.mktemp("docx") / "2025年第2期.docx", [
        ("江苏省护理质量控制中心", "强化护理质控 提升服务质量"),
        ("省麻醉质控中心", "规范麻醉管理 保障手术安全"),  # no registered name, one center fits
        ("南京市护理质量控制中心", "织密基层护理质控网络"),
    ])
    code = main(["--root", str(js), "import", str(source), "--series", "bulletin", "--issue", "2025-02"])
    assert code == 0
    return js


def test_the_masthead_gives_number_and_total_number(imported, capsys):
    issue = yaml.safe_load((imported / "bulletins/bulletin/2025-02.yml").read_text(encoding="utf-8"))
    assert (issue["year"], issue["number"], issue["total_number"]) == (2025, 2, 26)
    assert "quarter" not in issue and str(issue["date"]) == "2025-02-28"
    code, output = run(capsys, "--root", imported, "check")
    assert code == 0, output


def test_story_files_have_meaningful_names(imported):
    folder = imported / "content/stories/bulletin/2025-02"
    assert sorted(p.name for p in folder.glob("*.md")) == ["anesthesiology.md", "nanjing-nursing.md", "nursing.md"]
    story = (folder / "anesthesiology.md").read_text(encoding="utf-8")
    assert "center: js-anesthesiology" in story and "推断" in story
    assert (imported / "content/commentary/bulletin/2025-02/nanjing-nursing.md").is_file()


def test_the_report_lists_the_inferred_center_and_asks_for_no_quarter(js, tmp_path, capsys):
    source = bulletin_docx(tmp_path / "b.docx", [("省麻醉质控中心", "规范麻醉管理 保障手术安全")])
    code, output = run(capsys, "--root", js, "import", source, "--series", "bulletin", "--issue", "2025-01")
    assert code == 0, output
    assert "推断供稿中心为 js-anesthesiology（江苏省麻醉质量控制中心），请核对" in output
    assert "季度" not in output and "quarter" not in output
    # the file name 2025-01 says 第1期 while the masthead says 第2期: reported, the name kept
    assert "命令里的期号 2025-01 说是 1" in output


def test_several_fitting_centers_are_written_where_check_offers_them(js, tmp_path, capsys):
    source = bulletin_docx(tmp_path / "c.docx", [("江苏省重症质控中心", "推进重症质控同质化建设")])
    code, output = run(capsys, "--root", js, "import", source, "--series", "bulletin", "--issue", "2025-02")
    assert code == 0, output
    story = js / "content/stories/bulletin/2025-02/tuijin-zhongzheng.md"  # from the headline, in pinyin
    data = yaml.safe_load(story.read_text(encoding="utf-8").split("---")[1])
    assert data["center"] == "【待确认】"
    assert sorted(data["center_candidates"][:2]) == ["js-critical-care", "js-critical-nursing"]  # best first
    code, check = run(capsys, "--root", js, "check")
    assert code == 1
    line = next(line for line in check.split("\n") if "tuijin-zhongzheng.md" in line)
    hint = check.split(line, 1)[1].split("\n")[1]
    assert "供稿中心还没有确定" in line and "从候选中选定一个：js-critical-care（江苏省重症医学质量控制中心）" in hint
    assert hint.index("从候选中选定") < hint.index("登记")  # registering comes last, only if none fits
    # once picked, the candidates line must go
    text = story.read_text(encoding="utf-8").replace("center: 【待确认】", "center: js-critical-care")
    story.write_text(text, encoding="utf-8")
    code, check = run(capsys, "--root", js, "check")
    assert "center_candidates 不再需要" in check
    story.write_text("\n".join(ln for ln in text.split("\n") if not ln.startswith("center_candidates")),
                     encoding="utf-8")
    code, check = run(capsys, "--root", js, "check")
    assert code == 0, check


def test_the_office_of_issue_18_end_to_end(js, tmp_path, capsys):
    """init (the fixture) → new issue 2025-03 → import 2025年第2期（总第26期） → check passes."""
    code, output = run(capsys, "--root", js, "new", "issue", "bulletin/2025-03")
    assert code == 0 and "期次：2025年第3期（总第" in output, output
    march = yaml.safe_load((js / "bulletins/bulletin/2025-03.yml").read_text(encoding="utf-8"))
    assert march["number"] == 3 and (march["date"].year, march["date"].month) == (2025, 3)
    source = bulletin_docx(tmp_path / "d.docx", [("江苏省护理质量控制中心", "强化护理质控 提升服务质量")])
    code, output = run(capsys, "--root", js, "import", source, "--series", "bulletin", "--issue", "2025-02")
    assert code == 0, output
    february = yaml.safe_load((js / "bulletins/bulletin/2025-02.yml").read_text(encoding="utf-8"))
    assert (february["number"], february["total_number"], february["sections"][0]["stories"]) == (2, 26, ["nursing"])
    code, output = run(capsys, "--root", js, "check")
    assert code == 0, output
