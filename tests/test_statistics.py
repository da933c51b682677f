"""Statistics (issue 20): figures declared by a series and carried by stories, rolled up from what
is published, drawn as charts with the same numbers as tables — on the web, in the PDF, in Word."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
import yaml
from htmltext import page, visible_text

from benchmarks.project import copy_project
from generator.assemble import assemble
from generator.charts import chart_files
from generator.cli import main
from generator.pipeline import checked_content

Q3 = "hubei-bulletin/2024-q3"
SERIES = "content/series/hubei-bulletin.yml"
STORY = f"content/stories/{Q3}/ezhou-emergency.md"
ISSUE_FILE = f"bulletins/{Q3}.yml"
TODAY = dt.date(2026, 1, 1)


class _Tables(HTMLParser):
    """Tables of a page as lists of rows of cell texts, by their class."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[str, list[list[str]]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append((dict(attrs).get("class") or "", []))
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag in ("td", "th") and self.tables:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][1][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def tables(html: str, cls: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return [rows for c, rows in parser.tables if cls in c.split()]


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def fixture_sums(root: Path) -> tuple[list[dict], dict[str, int]]:
    """The figures as the fixture's files state them, summed per declared summed figure."""
    declared = yaml.safe_load((root / SERIES).read_text(encoding="utf-8"))["figures"]
    figures = [front_matter(p).get("figures") or {} for p in sorted((root / "content/stories" / Q3).glob("*.md"))]
    sums = {f["name"]: sum(s.get(f["name"], 0) for s in figures) for f in declared if f.get("summed", True)}
    return declared, sums


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check(root: Path, capsys) -> tuple[int, str]:
    code = main(["--root", str(root), "check"])
    out = capsys.readouterr()
    return code, out.out + out.err


def site_of(root: Path):
    content = checked_content(root, TODAY)
    return assemble(content, content.site, TODAY)


@pytest.fixture(scope="module")
def sums(built_demo):
    return fixture_sums(built_demo)


# --- numbers equal the data everywhere ------------------------------------------------------------

def test_issue_page_table_totals_equal_the_fixture_sums(built_demo, sums):
    declared, summed = sums
    html = page(built_demo / "site", f"{Q3}/")
    assert "本期统计" in visible_text(html)
    [rows] = tables(html, "zk-stats")
    head, *body, total = rows
    assert head[1:] == [f"{f['name']}（{f['unit']}）" for f in declared]
    # A head breaks only between its words: the unit in brackets is a phrase of its own.
    heads = re.findall(r'<th scope="col">(.*?)</th>', html)
    assert heads and all("<wbr>（" in h for h in heads[1:]), heads
    assert total[0] == "合计" and len(body) == 3  # three stories by three centers carry figures
    for f, cell in zip(declared, total[1:]):
        assert cell == (str(summed[f["name"]]) if f["name"] in summed else "—"), f["name"]
    assert 'class="zk-chart"' in html and f'{Q3}/stats.svg' in html


def test_pdf_prints_the_same_table(built_demo, sums):
    _, summed = sums
    pdf = built_demo / "site" / Q3 / f"{Q3.replace('/', '-')}.pdf"
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    tail = text[text.rindex("本期统计"):]
    total = re.search(r"合计((?:\s+(?:\d+|—))+)", tail)
    assert total, tail[:400]
    assert total.group(1).split() == [str(summed["培训场次"]), str(summed["培训人次"]), str(summed["现场指导"]), "—"]


def test_word_file_carries_the_table_and_chart(built_demo, sums):
    _, summed = sums
    document = docx.Document(str(built_demo / "site" / Q3 / f"{Q3.replace('/', '-')}.docx"))
    [table] = [t for t in document.tables if t.rows[0].cells[0].text == "质控中心"]
    total = [c.text for c in table.rows[-1].cells]
    assert total == ["合计", str(summed["培训场次"]), str(summed["培训人次"]), str(summed["现场指导"]), "—"]
    assert any(p.text == "本期统计" for p in document.paragraphs)
    pictures = [r for r in document.part.related_parts.values() if r.content_type == "image/png"]
    assert pictures  # the chart, at print resolution
    import io

    from PIL import Image
    assert max(Image.open(io.BytesIO(p.blob)).info.get("dpi", (0, 0))[0] for p in pictures) >= 299


# --- the notice series' 统计 page and the center pages ----------------------------------------------

def test_grade_distribution_of_the_2024_round(built_demo):
    html = page(built_demo / "site", "guangxi-notices/stats/")
    assert re.search(r"<h1[^>]*>统计</h1>", html)
    [rows] = tables(html, "zk-stats--grades")
    assert rows[0] == ["年度", "优秀", "良好", "合格", "不合格", "合计"]
    by_year = {r[0]: r[1:] for r in rows[1:]}
    assert by_year["2024年度"] == ["4", "8", "23", "4", "39"]
    assert by_year["2023年度（部分公布）"] == ["0", "0", "0", "3", "3"]  # partial: marked as such
    assert "grades.svg" in html and "<figcaption>" in html
    text = visible_text(html)
    assert "2022 或 2023年度不合格" in text  # an open-year fact is said, not placed in a year


def test_stats_page_is_linked_from_series_page_and_navigation(built_demo):
    site = built_demo / "site"
    for series in ("guangxi-notices", "hubei-bulletin"):
        assert 'href="stats/"' in page(site, f"{series}/") or f'{series}/stats/"' in page(site, f"{series}/")
    # the site navigation (pruned to the open section: a page of the series shows its entries)
    assert re.search(r'href="\.\./stats/"[^>]*>\s*(<span[^>]*>)?\s*统计', page(site, "guangxi-notices/2025-15/"))
    assert re.search(r"<h1[^>]*>统计</h1>", page(site, "hubei-bulletin/stats/"))


def test_center_page_has_grade_history_chart_and_table(built_demo):
    html = page(built_demo / "site", "centers/gx-organ-transplant/")
    assert "centers/gx-organ-transplant/grades.svg" in html
    svg = (built_demo / "site/centers/gx-organ-transplant/grades.svg").read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "<dc:date>" not in svg
    assert "2022 或 2023" in visible_text(html)


def test_figures_count_for_the_own_center_not_partners(built_demo):
    site = site_of(built_demo)
    table = site.statistics.issues[f"{Q3}/"]
    keys = [r.key for r in table.rows]
    story = next(s for s in site.stories if s.story.partners and s.story.figures)
    assert story.center.id in keys
    assert not set(p.id for p in story.partners) & set(keys)
    for partner in story.partners:
        assert partner.id not in site.statistics.centers or site.statistics.centers[partner.id].years is None
    own = site.statistics.centers[story.center.id].years
    assert own.total.values["现场指导"] == story.story.figures["现场指导"]
    html = page(built_demo / "site", f"centers/{story.center.id}/")
    assert "工作量" in visible_text(html)


# --- only what is published counts ------------------------------------------------------------------

def test_unpublished_story_counts_nowhere(tmp_path):
    root = copy_project(tmp_path / "p")
    edit(root, STORY, "issue: hubei-bulletin/2024-q3\n", "issue: hubei-bulletin/2024-q3\nstatus: review\n")
    edit(root, ISSUE_FILE, "sections:", "published_later:\n  stories: [ezhou-emergency]\n  pdf_will_change: true\nsections:")
    site = site_of(root)
    table = site.statistics.issues[f"{Q3}/"]
    assert "ez-emergency" not in [r.key for r in table.rows]
    assert table.total.values["现场指导"] == 15 + 17  # without the unpublished story's 24
    assert "ez-emergency" not in site.statistics.centers or site.statistics.centers["ez-emergency"].years is None
    year = site.statistics.series["hubei-bulletin"].years[-1]
    assert year.periods.total.values["现场指导"] == 32


def test_unsummed_total_is_given_never_added(tmp_path):
    root = copy_project(tmp_path / "p")
    site = site_of(root)
    assert site.statistics.issues[f"{Q3}/"].total.values["涉及医疗机构"] is None  # 24 + 92 + 46 never added
    edit(root, ISSUE_FILE, "sections:", "figure_totals: {涉及医疗机构: 130}\nsections:")
    assert site_of(root).statistics.issues[f"{Q3}/"].total.values["涉及医疗机构"] == 130


# --- errors editors get ------------------------------------------------------------------------------

def test_undeclared_figure_is_a_file_line_error_naming_the_closest(tmp_path, capsys):
    root = copy_project(tmp_path / "p")
    edit(root, STORY, "{现场指导: 24,", "{培训次数: 3, 现场指导: 24,")
    code, out = check(root, capsys)
    assert code == 1
    line = next(n for n, t in enumerate((root / STORY).read_text(encoding="utf-8").split("\n"), 1) if "培训次数" in t)
    assert f"{STORY}:{line}" in out and "培训次数" in out and "是不是“培训场次”" in out


@pytest.mark.parametrize("value, words", [("-3", "负数"), ("2.5", "小数"), ("很多", "正整数"), ("true", "正整数")])
def test_bad_counts_are_errors(tmp_path, capsys, value, words):
    root = copy_project(tmp_path / "p")
    edit(root, STORY, "{现场指导: 24,", f"{{现场指导: {value},")
    code, out = check(root, capsys)
    assert code == 1 and STORY in out and words in out and "Traceback" not in out


def test_summed_figure_total_and_reserved_key_are_errors(tmp_path, capsys):
    root = copy_project(tmp_path / "p")
    edit(root, ISSUE_FILE, "sections:", "figure_totals: {现场指导: 60}\nsections:")
    (root / "bulletins/hubei-bulletin/stats.yml").write_text(
        (root / ISSUE_FILE).read_text(encoding="utf-8").replace("status: published", "status: draft"), encoding="utf-8")
    code, out = check(root, capsys)
    assert code == 1
    assert "“现场指导”按各篇相加，不用写合计" in out
    assert "bulletins/hubei-bulletin/stats.yml" in out and "网站自己使用的地址" in out


# --- charts: deterministic, cached by their data ---------------------------------------------------

def test_charts_are_byte_identical_across_clean_builds_and_redrawn_only_when_data_change(tmp_path):
    one, two = copy_project(tmp_path / "one"), copy_project(tmp_path / "two")
    first, second = chart_files(site_of(one), one), chart_files(site_of(two), two)
    assert first.drawn > 0 and first.files.keys() == second.files.keys()
    for rel in first.files:
        assert first.files[rel].read_bytes() == second.files[rel].read_bytes(), rel
    svg = next(iter(first.files.values())).read_text(encoding="utf-8")
    assert "<text" not in svg and "dc:date" not in svg  # text as paths; no date
    assert chart_files(site_of(one), one).drawn == 0  # nothing changed: nothing drawn
    edit(one, STORY, "{现场指导: 24,", "{现场指导: 25,")
    again = chart_files(site_of(one), one)
    changed = {rel for rel in again.files if again.files[rel] != first.files[rel]}
    assert changed == {f"{Q3}/stats.svg", "hubei-bulletin/stats/figures.svg"} and again.drawn == 2


# --- a notice's totals sentence from its round's data ------------------------------------------------

ROUND = "content/evaluations/guangxi-notices/2024.yml"
NOTICE = "content/notices/guangxi-notices/2025-15.md"


def test_notice_totals_come_from_the_round(tmp_path):
    root = copy_project(tmp_path / "p")
    body = site_of(root).notices[0].body
    assert "累计开展质控培训181次，培训70685人次，质控指导199次，累计涉及医疗机构4852个。" in body
    assert "{{" not in body
    # Per-center figures are added up (the published total of a summed figure is then optional) ...
    edit(root, ROUND, "{质控培训: 181, ", "{")
    edit(root, ROUND, "{center: gx-nursing, grade: 优秀}", "{center: gx-nursing, grade: 优秀, figures: {质控培训: 12}}")
    edit(root, ROUND, "{center: gx-clinical-lab, grade: 优秀}",
         "{center: gx-clinical-lab, grade: 优秀, figures: {质控培训: 30, 涉及医疗机构: 40}}")
    edit(root, NOTICE, "累计开展质控培训{{ 工作量.质控培训 }}，", "{{ 工作量 }}")
    body = site_of(root).notices[0].body
    # ... an unsummed one only ever shows the published total (4852, not 40)
    assert "2024年各质控中心累计质控培训42次，培训70685人次，质控指导199次，涉及医疗机构4852个。" in body


def test_round_figure_errors(tmp_path, capsys):
    root = copy_project(tmp_path / "p")
    edit(root, ROUND, "{center: gx-nursing, grade: 优秀}", "{center: gx-nursing, grade: 优秀, figures: {质控培训: 12, 培训次数: 2}}")
    edit(root, ROUND, "{center: gx-clinical-lab, grade: 优秀}", "{center: gx-clinical-lab, grade: 优秀, figures: {质控培训: 30}}")
    code, out = check(root, capsys)
    assert code == 1
    line = next(n for n, t in enumerate((root / ROUND).read_text(encoding="utf-8").split("\n"), 1) if "培训次数" in t)
    assert f"{ROUND}:{line}" in out and "数字“培训次数”没有在系列里声明" in out
    assert "“质控培训”的合计 181 与各中心相加的 42 不一致" in out
