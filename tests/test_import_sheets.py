"""`bulletin import SHEET --series S --year Y`: a panel's score sheet (.xlsx, GB18030 .csv, .ods)
becomes a review round; what an editor must confirm is reported by sheet and row; --merge adds
scores to a round written from a notice; broken workbooks get a Chinese answer and nothing written.
The sheets are built here from the demo's registry and its 2024 round (tests/sheets.py)."""
from __future__ import annotations

import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import copy_project
from sheets import UNKNOWN, UNKNOWN_ROW, WRONG_TOTAL_ROW, as_csv, as_ods, as_xlsx, panel_rows

from generator.cli import main
from generator.load.evaluations import read_round

SERIES = "guangxi-notices"
ROUNDS = Path("content") / "evaluations" / SERIES
FIRST_DATA_ROW = {"xlsx": 4, "ods": 4, "csv": 3}  # title row, (blank row,) header row above


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("sheets") / "project")


@pytest.fixture
def root(base, tmp_path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(base, target)
    return target


def run(root: Path, capsys, *args: str) -> tuple[int, str]:
    code = main(["--root", str(root), "import", *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def build(kind: str, root: Path, folder: Path, rows=None, header=None) -> Path:
    h, r = panel_rows(root)
    header, rows = header or h, rows if rows is not None else r
    make = {"xlsx": as_xlsx, "csv": as_csv, "ods": as_ods}[kind]
    return make(folder / f"2025年度评分汇总.{kind}", header, rows)


@pytest.mark.parametrize("kind", ["xlsx", "csv", "ods"])
def test_panel_sheet_imports_into_a_review_round(root, tmp_path, capsys, kind):
    source = build(kind, root, tmp_path)
    code, report = run(root, capsys, str(source), "--series", SERIES, "--year", "2025")
    assert code == 0, report
    assert "Traceback" not in report
    sheet = "评分汇总" if kind != "csv" else source.name
    first = FIRST_DATA_ROW[kind]
    if kind == "csv":
        assert report.splitlines()[1].startswith("文字编码：GB18030")
    # the unmatched name and the wrong total, by sheet and row, with the closest candidates
    unknown_at = f"{sheet} 第{first + UNKNOWN_ROW}行“{UNKNOWN}”"
    pending = report.split("需要确认：")[1].split("请注意：")[0]
    assert unknown_at in pending and "最接近的：gx-" in pending
    assert f"{sheet} 第{first + WRONG_TOTAL_ROW}行" in pending and "不符" in pending
    assert pending.count("\n  - ") == 2, pending  # nothing else needs a decision
    # the round: review, the sheet's order, scores as written (decimals kept), the wrong total kept
    path = root / ROUNDS / "2025.yml"
    rnd, src, f = read_round(path, root)
    assert not src.problems, src.problems
    assert f.status == "review" and f.year == 2025 and f.scheme is not None
    _, rows = panel_rows(root)
    _, _, demo = read_round(root / ROUNDS / "2024.yml", root)
    assert len(f.results) == 39
    assert [r.center for r in f.results] == [
        "【待确认】" if i == UNKNOWN_ROW else demo.results[i].center for i in range(39)]
    for result, row in zip(f.results, rows, strict=True):
        assert list(result.scores.values()) == row[3:9]
        assert result.bonus == row[9] and result.total == row[10]
    assert Decimal("16.5") in f.results[0].scores.values()  # a decimal stays a decimal
    wrong = f.results[WRONG_TOTAL_ROW]
    assert wrong.total == sum(wrong.scores.values()) + wrong.bonus + 1  # never silently corrected
    # check holds the round until an editor decides: the unknown center and the total, nothing else
    code = main(["--root", str(root), "check"])
    out = capsys.readouterr()
    assert code == 1
    problems = [line for line in out.err.splitlines() if "2025.yml" in line]
    assert len(problems) == 2 and "【待确认】" in "".join(problems) and "总分" in "".join(problems), problems


def test_existing_round_is_refused_without_merge(root, tmp_path, capsys):
    source = build("xlsx", root, tmp_path)
    before = files(root)
    code, report = run(root, capsys, str(source), "--series", SERIES, "--year", "2024")
    assert code == 2 and "已存在" in report and "--merge" in report and "Traceback" not in report
    assert files(root) == before


def test_merge_adds_scores_to_a_round_written_with_grades_only(root, tmp_path, capsys):
    """The demo's 2024 round holds the notice's grades only: --merge adds the panel's scores to
    each result it names, keeps every other line, adds the unmatched row, lists every change."""
    source = build("xlsx", root, tmp_path)
    path = root / ROUNDS / "2024.yml"
    nursing = "  - {center: gx-nursing, grade: 优秀}"  # an editor's comment on a result line is kept too
    path.write_text(path.read_text(encoding="utf-8").replace(nursing + "\n", nursing + "   # 附件序号 1\n", 1),
                    encoding="utf-8")
    before = path.read_text(encoding="utf-8").split("\n")
    code, report = run(root, capsys, str(source), "--series", SERIES, "--year", "2024", "--merge")
    assert code == 0, report
    after = path.read_text(encoding="utf-8").split("\n")
    changes = report.split("共 ")[1].split("\n\n")[0]
    assert "39 处" in changes  # 38 results scored, one row added
    assert changes.count("加上 scores、bonus、total") == 38 and "results 末尾新增一行" in changes
    _, _, f = read_round(path, root)
    assert len(f.results) == 40 and f.results[-1].center == "【待确认】"
    kept = [line for line in before if "{center:" not in line]
    assert [line for line in after if "{center:" not in line and line.strip()] == [line for line in kept if line.strip()]
    for old, result in zip([line for line in before if "{center:" in line], f.results, strict=False):
        assert "grade:" in old and result.grade is not None  # grades and comments kept
    assert "   # 附件序号 1" in next(line for line in after if "gx-nursing" in line)
    assert f.results[0].scores and f.results[0].grade == "优秀"
    # merging the same sheet again changes no score
    code, again = run(root, capsys, str(source), "--series", SERIES, "--year", "2024", "--merge")
    assert code == 0 and "已有相同的分数，没有改动" in again


def test_faulty_rows_are_reported_by_row(root, tmp_path, capsys):
    """Blank and non-numeric cells, duplicate centers, scores over a maximum, a 筹建 center."""
    registry = root / "content" / "centers" / "guangxi.yml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("  host: 自治区人民医院\n  status: active", "  host: 自治区人民医院\n  status: 筹建", 1),
                        encoding="utf-8")
    header, rows = panel_rows(root)
    rows[0][3] = ""  # blank 组织管理
    rows[2][4] = "缺考"  # not a number
    rows[3][3] = 25  # over the header's （20分）
    rows[4][9] = 12  # bonus over bonus_max 10
    rows[5][1] = rows[6][1]  # the same center twice
    source = as_xlsx(tmp_path / "评分.xlsx", header, rows)
    code, report = run(root, capsys, str(source), "--series", SERIES, "--year", "2025")
    assert code == 0, report
    assert "评分汇总 第4行" in report and "“组织管理”空白" in report
    assert "评分汇总 第6行" in report and "写的是“缺考”，不是数字" in report
    assert "“组织管理”得分 25 超过该项满分 20" in report
    assert "加分 12 超过加分上限 10" in report
    assert "评分汇总 第10行" in report and "与评分汇总 第9行是同一个质控中心" in report
    assert "gx-clinical-lab" in report and "状态是“筹建”" in report


@pytest.mark.parametrize("data, words, code", [
    (b"PK\x03\x04 not really a zip", "不是有效的 .xlsx", 2),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "不是有效的 .xlsx", 2),  # a truncated OLE file
    (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "网页（HTML）", 2),  # web "Excel" exports
    (b"\x00\x01\x02 binary", "不是有效的 .xlsx", 2),
])
def test_broken_workbooks_are_a_chinese_message(root, tmp_path, capsys, data, words, code):
    source = tmp_path / "评分.xlsx"
    source.write_bytes(data)
    before = files(root)
    got, report = run(root, capsys, str(source), "--series", SERIES, "--year", "2025")
    assert got == code and words in report and "Traceback" not in report, report
    assert files(root) == before


def test_empty_workbook_and_a_sheet_without_a_header_exit_1(root, tmp_path, capsys):
    from openpyxl import Workbook

    empty = tmp_path / "空.xlsx"
    Workbook().save(empty)
    code, report = run(root, capsys, str(empty), "--series", SERIES, "--year", "2025")
    assert code == 1 and "工作簿是空的" in report and "什么也没有写" in report
    letter = as_xlsx(tmp_path / "信.xlsx", ["各位专家："], [["请于月底前交回评分表。"]])
    code, report = run(root, capsys, str(letter), "--series", SERIES, "--year", "2025")
    assert code == 1 and "没有找到表头行" in report and "质控中心" in report
    assert not (root / ROUNDS / "2025.yml").exists()


def test_a_sheet_is_no_bulletin_and_needs_a_year(root, tmp_path, capsys):
    source = build("xlsx", root, tmp_path)
    code, report = run(root, capsys, str(source), "--series", "hubei-bulletin", "--issue", "2024-q4")
    assert code == 2 and "评分表" in report and "通报系列" in report
    code, report = run(root, capsys, str(source), "--series", SERIES)
    assert code == 2 and "--year" in report


def test_scheme_from_names_the_round_and_a_round_without_one_is_refused(root, tmp_path, capsys):
    source = build("csv", root, tmp_path)
    code, report = run(root, capsys, str(source), "--series", SERIES, "--year", "2025", "--scheme-from", "2023")
    assert code == 2 and "没有评分方案" in report  # 2023 is partial: no scheme
    code, report = run(root, capsys, str(source), "--series", SERIES, "--year", "2025", "--scheme-from", "2024")
    assert code == 0 and "评分方案取自 2024 年度" in report


def test_two_row_header_and_utf8_csv(root, tmp_path, capsys):
    """评估内容 merged over the area names in a second header row; a UTF-8 CSV with a BOM."""
    header, rows = panel_rows(root)
    top = ["序号", "质控中心", "挂靠单位", "评估内容", "", "", "", "", "", "加分", "总分", "等次"]
    second = ["", "", "", *header[3:9], "", "", ""]
    import csv
    import io

    out = io.StringIO()
    csv.writer(out).writerows([["评分汇总表"], top, second, *rows])
    source = tmp_path / "评分.csv"
    source.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    code, report = run(root, capsys, str(source), "--series", SERIES, "--year", "2025")
    assert code == 0, report
    assert report.splitlines()[1] == "文字编码：UTF-8（带 BOM）"
    data = yaml.safe_load((root / ROUNDS / "2025.yml").read_text(encoding="utf-8"))
    assert len(data["results"]) == 39 and len(data["results"][0]["scores"]) == 6


def test_a_workbook_that_unpacks_huge_is_refused(root, tmp_path, capsys, monkeypatch):
    from generator.ingest import read_sheet

    source = build("xlsx", root, tmp_path)
    monkeypatch.setattr(read_sheet, "MAX_UNPACKED", 10_000)  # the real limit, 200 MB, on a small file
    code, report = run(root, capsys, str(source), "--series", SERIES, "--year", "2025")
    assert code == 2 and "解压后" in report and not (root / ROUNDS / "2025.yml").exists()


def test_password_protected_workbooks_are_a_chinese_message(root, tmp_path, capsys):
    """A real encrypted .xlsx (as Excel's 用密码进行加密 saves it) and an .ods whose parts are encrypted."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = build("xlsx", root, tmp_path)
    locked = tmp_path / "加密.xlsx"
    with plain.open("rb") as src, locked.open("wb") as out:
        OOXMLFile(src).encrypt("123456", out)
    ods = build("ods", root, tmp_path)
    locked_ods = tmp_path / "加密.ods"
    with zipfile.ZipFile(ods) as src, zipfile.ZipFile(locked_ods, "w") as out:
        for name in src.namelist():
            data = src.read(name)
            if name == "META-INF/manifest.xml":
                data = data.replace(b'manifest:media-type="text/xml"/>', b'manifest:media-type="text/xml">'
                                    b'<manifest:encryption-data manifest:checksum="x"/></manifest:file-entry>')
            out.writestr(name, data)
    before = files(root)
    for source in (locked, locked_ods):
        code, report = run(root, capsys, str(source), "--series", SERIES, "--year", "2025")
        assert code == 2 and "设了打开密码" in report and "Traceback" not in report, report
    assert files(root) == before


@pytest.mark.parametrize("made, named", [("xlsx", "评分.csv"), ("ods", "评分.xlsx"), ("csv", "评分.xls")])
def test_the_contents_decide_the_reader_not_the_name(root, tmp_path, capsys, made, named):
    source = build(made, root, tmp_path).rename(tmp_path / named)
    code, report = run(root, capsys, str(source), "--series", SERIES, "--year", "2025")
    assert code == 0, report
    _, _, f = read_round(root / ROUNDS / "2025.yml", root)
    assert len(f.results) == 39


def test_hostile_cells_never_reach_the_round_file_raw(root, tmp_path, capsys):
    """Control and bidi characters in a name, a number Excel shows as 1E+16: the round file stays
    valid YAML without them, and the absurd total is reported, not hidden."""
    header, rows = panel_rows(root)
    rows[0][1] = "广西护理管理专业\u202e医疗质量控制中心\x07"
    rows[1][10] = "1E+16"
    source = as_csv(tmp_path / "评分.csv", header, rows)
    code, report = run(root, capsys, str(source), "--series", SERIES, "--year", "2025")
    assert code == 0, report
    text = (root / ROUNDS / "2025.yml").read_text(encoding="utf-8")
    assert "\u202e" not in text and "\x07" not in text and "E+" not in text
    _, src, f = read_round(root / ROUNDS / "2025.yml", root)
    assert f.results[0].center == "gx-nursing"
    assert "“总分”写的是“1E+16”，不是数字" in report  # text in a CSV cell: reported, not read


def test_a_huge_number_is_written_without_exponent():
    from generator.ingest.round_lines import result_fields
    from generator.ingest.scores import ScoreRow, read_number

    value, _ = read_number(1e16)  # what calamine gives for a cell Excel shows as 1E+16
    fields = result_fields(ScoreRow("表 第3行", "甲", {"组织管理": Decimal("92.50")}, None, value))
    assert fields == ["scores: {组织管理: 92.50}", "total: 10000000000000000"]
    assert yaml.safe_load("{" + ", ".join(fields) + "}")["total"] == 10**16
