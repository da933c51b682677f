"""How often a series appears (`frequency`) and what every command makes of it: init, new issue, check."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
import yaml

from generator.cli import main
from generator.load import periods
from generator.load.content import load_content
from generator.validate import validate

JS = ["--office", "江苏省医疗质量控制中心管理办公室", "--bulletin", "江苏医疗质控工作简报",
      "--commission", "江苏省卫生健康委员会办公室", "--region", "江苏省"]


def run(capsys, *argv) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out + out.err


def issue(year=2025, quarter=None, month=None, number=None, total_number=None, title=None):
    return SimpleNamespace(year=year, quarter=quarter, month=month, number=number, total_number=total_number,
                           title=title)


def _yaml(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("frequency, number, first, last, text", [
    ("monthly", 3, dt.date(2025, 3, 1), dt.date(2025, 3, 31), "2025年3月"),
    ("bimonthly", 3, dt.date(2025, 5, 1), dt.date(2025, 6, 30), "2025年5—6月"),
    ("quarterly", 2, dt.date(2025, 4, 1), dt.date(2025, 6, 30), "2025年第2季度（4—6月）"),
    ("irregular", 3, dt.date(2025, 1, 1), dt.date(2025, 12, 31), "2025年"),
    (None, 3, dt.date(2025, 1, 1), dt.date(2025, 12, 31), "2025年"),  # as before frequencies
    ("monthly", 13, dt.date(2025, 1, 1), dt.date(2025, 12, 31), "2025年"),  # check reports it
])
def test_a_numbered_issue_covers_what_its_frequency_says(frequency, number, first, last, text):
    assert periods.date_range(issue(number=number), frequency) == (first, last)
    assert periods.range_text(issue(number=number), frequency) == text
    # an issue's own month or quarter wins over its number
    assert periods.date_range(issue(number=3, month=4), frequency)[0] == dt.date(2025, 4, 1)


def test_total_numbers_count_the_issues_between():
    earlier = [issue(2024, number=11, total_number=20), issue(2025, number=2, total_number=23)]
    assert periods.next_total(issue(2025, number=3), earlier, "monthly") == 24
    assert periods.next_total(issue(2025, number=5), earlier, "monthly") == 26  # 3 and 4 still to come
    assert periods.next_total(issue(2024, number=9), earlier, "monthly") == 18  # before all: counted back
    assert periods.next_total(issue(2026, number=1), [issue(2025, number=6, total_number=9)], "bimonthly") == 10
    assert periods.next_total(issue(2026, number=1), earlier, "irregular") == 24
    assert periods.next_total(issue(2026, number=1), [], "monthly") is None


@pytest.fixture(scope="module")
def js_site(tmp_path_factory):
    """The office of issue 18: a monthly bulletin printed 2025年第3期（总第27期）."""
    site = tmp_path_factory.mktemp("js") / "js"
    assert main(["init", str(site), *JS, "--numbering", "number", "--total-number", "27",
                 "--doc-prefix", "苏卫办医政"]) == 0
    return site


def test_init_total_number_is_the_first_issues(js_site, capsys):
    series = _yaml(js_site / "content/series/bulletin.yml")
    assert series["frequency"] == "monthly"
    assert series["period_format"] == "{year}年第{number}期（总第{total_number}期）"
    today = dt.date.today()
    first = _yaml(js_site / f"bulletins/bulletin/{today.year}-{today.month:02d}.yml")
    assert (first["number"], first["total_number"]) == (today.month, 27)
    assert run(capsys, "--root", js_site, "check")[0] == 0


def test_new_issue_on_a_monthly_series_is_dated_in_its_month(js_site, capsys):
    code, output = run(capsys, "--root", js_site, "new", "issue", "bulletin/2025-03")
    assert code == 0, output
    new = _yaml(js_site / "bulletins/bulletin/2025-03.yml")
    assert new["number"] == 3 and dt.date(2025, 3, 1) <= new["date"] <= dt.date(2025, 3, 31)
    assert "期次：2025年第3期（总第" in output
    code, output = run(capsys, "--root", js_site, "check")
    assert code == 0, output
    # the month after init's first issue carries on its 总第27期
    today = dt.date.today()
    key = f"{today.year}-{today.month + 1:02d}" if today.month < 12 else f"{today.year + 1}-01"
    code, output = run(capsys, "--root", js_site, "new", "issue", f"bulletin/{key}")
    assert code == 0, output
    assert _yaml(js_site / f"bulletins/bulletin/{key}.yml")["total_number"] == 28
    assert f"总期号由 bulletins/bulletin/{today.year}-{today.month:02d}.yml 的总第27期推算" in output
    assert run(capsys, "--root", js_site, "check")[0] == 0
    code, output = run(capsys, "--root", js_site, "new", "issue", "bulletin/2025-13")
    assert code == 2 and "月刊，一年最多 12 期" in output


def test_check_holds_a_monthly_issue_to_its_month(js_site, capsys, tmp_path):
    path = js_site / "bulletins/bulletin/2024-05.yml"
    path.write_text("series: bulletin\nyear: 2024\nnumber: 5\ntotal_number: 3\ndate: 2024-12-31\n"
                    "status: draft\nsections:\n  - stories: []\n", encoding="utf-8")
    try:
        problems = [p.format() for p in validate(load_content(js_site), dt.date.today())]
        assert any("bulletins/bulletin/2024-05.yml:5" in p and "不在本期所属的2024年5月之内" in p for p in problems), problems
        path.write_text(path.read_text(encoding="utf-8").replace("number: 5", "number: 14"), encoding="utf-8")
        problems = [p.format() for p in validate(load_content(js_site), dt.date.today())]
        assert any("2024-05.yml:3" in p and "一年最多 12 期" in p for p in problems), problems
    finally:
        path.unlink()


@pytest.mark.parametrize("frequency, key, number, month", [
    ("quarterly", "2025-q3", 3, 8),
    ("bimonthly", "2025-04", 4, 8),
    ("irregular", "2025-04", 4, None),
])
def test_new_issue_of_other_frequencies(tmp_path, capsys, frequency, key, number, month):
    site = tmp_path / "s"
    assert run(capsys, "init", site, *JS, "--numbering", "number", "--frequency", frequency)[0] == 0
    code, output = run(capsys, "--root", site, "new", "issue", f"bulletin/{key}")
    assert code == 0, output
    new = _yaml(site / f"bulletins/bulletin/{key}.yml")
    assert new["number"] == number and "quarter" not in new
    if month:
        assert month - 1 <= new["date"].month <= month + 1 and new["date"].year == 2025
    assert run(capsys, "--root", site, "check")[0] == 0


def test_init_refuses_a_frequency_its_numbering_contradicts(tmp_path, capsys):
    code, output = run(capsys, "init", tmp_path / "x", *JS, "--numbering", "quarter", "--frequency", "monthly")
    assert code == 2 and "--numbering quarter 要求 --frequency quarterly" in output
    assert not (tmp_path / "x").exists()


def test_init_first_issue_carries_on_a_printed_archive(tmp_path, capsys):
    """An office whose last printed issue was 2025年第2期（总第26期） starts at 2025-03 with 总第27期:
    the draft is dated inside March 2025 and `new issue` counts on from it, whatever today is."""
    site = tmp_path / "js"
    code, output = run(capsys, "init", site, *JS, "--numbering", "number", "--total-number", "27",
                       "--first-issue", "2025-03")
    assert code == 0, output
    first = _yaml(site / "bulletins/bulletin/2025-03.yml")
    assert (first["year"], first["number"], first["total_number"]) == (2025, 3, 27)
    assert dt.date(2025, 3, 1) <= first["date"] <= dt.date(2025, 3, 31)
    code, output = run(capsys, "--root", site, "new", "issue", "bulletin/2025-04")
    assert code == 0, output
    assert _yaml(site / "bulletins/bulletin/2025-04.yml")["total_number"] == 28
    assert run(capsys, "--root", site, "check")[0] == 0


@pytest.mark.parametrize("numbering, key, said", [
    ("quarter", "2025-03", "年份-q季度，如 2025-q1"),
    ("quarter", "2025-q5", "序号应在 1 到 4 之间"),
    ("month", "2025-13", "序号应在 1 到 12 之间"),
    ("number", "2025-3", "年份-两位期号，如 2025-03"),
    ("number", "25-03", "年份-两位期号"),
])
def test_init_first_issue_written_wrong_is_explained(tmp_path, capsys, numbering, key, said):
    code, output = run(capsys, "init", tmp_path / "x", *JS, "--numbering", numbering, "--first-issue", key)
    assert code == 2 and said in output and "Traceback" not in output, output
    assert not (tmp_path / "x").exists()  # nothing written
