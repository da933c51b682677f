"""Disclosure gating (公开前需经政府信息公开审查): unpublished content reaches no public file.

Markers are planted in (a) a draft story, (b) a story with a future publish_date, (c) a 点评 in
review, (d) a draft issue with its preface, story and 点评, (e) a draft notice, (f) a draft
evaluation round, a future-dated round and a draft open-year fact (their grades are the markers), (g) a
published round cited by a draft notice, a published round and a published fact naming a notice that
is still to come as the one disclosing them (issue 23: grades only with their notice). The public build
must not contain any of them in any file under site/ — pages, listings, counts, sitemap, search
index (decompressed, and queried through Pagefind in Chromium), PDFs (text extracted), file
names. The preview (`serve`) shows them, marked 未公开.
"""
from __future__ import annotations

import gzip
import io
import re
from pathlib import Path

import pytest
from conftest import copy_project
from htmltext import page, visible_text
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from benchmarks.browser import served
from generator.cli import main
from generator.pipeline import generate

Q3 = "hubei-bulletin/2024-q3"
MARKERS = {
    "draft story": "ZKLEAKDRAFTSTORY",
    "future story": "ZKLEAKFUTURESTORY",
    "review commentary": "ZKLEAKREVIEWCOMMENT",
    "draft issue": "ZKLEAKDRAFTISSUE",
    "draft notice": "ZKLEAKDRAFTNOTICE",
    "draft round": "ZKLEAKDRAFTROUND",
    "future round": "ZKLEAKFUTUREROUND",
    "draft fact": "ZKLEAKDRAFTFACT",
    "round of a draft notice": "ZKLEAKCITEDBYDRAFT",
    "round naming a future notice": "ZKLEAKNAMESFUTURE",
    "fact naming a future notice": "ZKLEAKFACTNAMESFUTURE",
}
EVALUATIONS = "content/evaluations/guangxi-notices"


def _marked_png(marker: str) -> bytes:
    """A 1×1 PNG with the marker in a text chunk: the image file itself must not be published either."""
    info = PngInfo()
    info.add_text("c", marker)
    out = io.BytesIO()
    Image.new("RGBA", (1, 1)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


PNG = _marked_png(MARKERS["draft story"])


def _write(root: Path, rel: str, text: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


def _story(title: str, center: str, issue: str, body: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\ncenter: {center}\ndate: 2024-09-27\nissue: {issue}\n{extra}---\n\n{body}\n"


def plant_unpublished(root: Path) -> None:
    m = MARKERS
    # (a) a draft story listed in the public issue, with an image of its own
    _write(root, f"content/stories/{Q3}/leak-draft.md",
           _story(f"草稿 {m['draft story']}", "hb-pediatrics", Q3,
                  f"草稿正文 {m['draft story']}。\n\n![现场](images/zkleakdraftstory-photo.png \"图注\")", "status: draft\n"))
    _write(root, f"content/stories/{Q3}/images/zkleakdraftstory-photo.png", PNG)
    _write(root, f"content/commentary/{Q3}/leak-draft.md",
           f"---\nstory: {Q3}/leak-draft\n---\n\n草稿的点评 {m['draft story']}。\n")
    # (b) a published story whose publish date has not come
    _write(root, f"content/stories/{Q3}/leak-future.md",
           _story(f"定时 {m['future story']}", "hb-nursing", Q3, f"定时正文 {m['future story']}。",
                  "publish_date: 2099-01-01\n"))
    # The published issue lists both; that is only allowed when it says they follow later.
    issue = root / f"bulletins/{Q3}.yml"
    issue.write_text(issue.read_text(encoding="utf-8").replace(
        "      - yichang-nursing\n", "      - yichang-nursing\n      - leak-draft\n      - leak-future\n")
        + "published_later: {stories: [leak-draft, leak-future], pdf_will_change: true}\n", encoding="utf-8")
    # (c) a 点评 still in review, on a public story
    _write(root, f"content/commentary/{Q3}/pediatrics.md",
           f"---\nstory: {Q3}/pediatrics\nstatus: review\n---\n\n待审点评 {m['review commentary']}。\n")
    # (d) a draft issue, its preface, its (published) story and that story's 点评
    _write(root, "bulletins/hubei-bulletin/2024-q4.yml",
           "series: hubei-bulletin\nyear: 2024\nquarter: 4\ndate: 2024-12-27\nstatus: draft\n"
           f"preface: 按语 {m['draft issue']}\nsections:\n  - title: 草稿节 {m['draft issue']}\n    stories: [q4-story]\n")
    _write(root, "content/stories/hubei-bulletin/2024-q4/q4-story.md",
           _story(f"四季度 {m['draft issue']}", "hb-oncology", "hubei-bulletin/2024-q4", f"四季度正文 {m['draft issue']}。"))
    _write(root, "content/commentary/hubei-bulletin/2024-q4/q4-story.md",
           f"---\nstory: hubei-bulletin/2024-q4/q4-story\n---\n\n四季度点评 {m['draft issue']}。\n")
    # (e) a draft notice
    _write(root, "content/notices/guangxi-notices/2026-3.md",
           "---\nseries: guangxi-notices\ndoc_number: {prefix: 桂卫办发, year: 2026, number: 3}\n"
           f"title: 通报 {m['draft notice']}\naddressees: 各单位\ndate: 2026-01-05\nstatus: draft\n---\n\n"
           f"通报正文 {m['draft notice']}。\n")
    # (f) evaluation data not yet public: its grades must reach no center page, flag or notice
    for year, gate, marker in [(2025, "status: draft\n", m["draft round"]),
                               (2026, "publish_date: 2099-01-01\n", m["future round"])]:
        _write(root, f"{EVALUATIONS}/{year}.yml",
               f"year: {year}\npartial: true\n{gate}source: 来源 {marker}\n"
               f"scheme:\n  total_max: 100\n  bonus_max: 0\n  tiers:\n    - {{grade: {marker}, top: 10%}}\n    - {{grade: 不合格, bottom: 10%}}\nresults:\n"
               f"  - {{center: gx-nursing, grade: {marker}, source: 来源 {marker}}}\n"
               f"  - {{center: gx-gastroenterology, grade: 不合格, source: 来源 {marker}}}\n")
    # (g) published rounds and a fact whose disclosing notice is a draft or still to come
    _write(root, "content/notices/guangxi-notices/2026-4.md",
           "---\nseries: guangxi-notices\ndoc_number: {prefix: 桂卫办发, year: 2026, number: 4}\n"
           "title: 通报 未到公开日\naddressees: 各单位\ndate: 2026-01-06\npublish_date: 2099-01-01\n---\n\n通报正文。\n")
    _write(root, "content/notices/guangxi-notices/2026-5.md",
           "---\nseries: guangxi-notices\ndoc_number: {prefix: 桂卫办发, year: 2026, number: 5}\n"
           "title: 通报 草稿\naddressees: 各单位\ndate: 2026-01-07\nstatus: draft\n"
           "evaluation: guangxi-notices/2027\n---\n\n通报正文。\n")
    for year, named, marker in [(2027, "", m["round of a draft notice"]),
                                (2028, "notice: 桂卫办发〔2026〕4号\n", m["round naming a future notice"])]:
        _write(root, f"{EVALUATIONS}/{year}.yml",
               f"year: {year}\npartial: true\n{named}source: 来源 {marker}\n"
               f"scheme:\n  total_max: 100\n  bonus_max: 0\n  tiers:\n    - {{grade: {marker}, top: 10%}}\n    - {{grade: 不合格, bottom: 10%}}\nresults:\n"
               f"  - {{center: gx-nursing, grade: {marker}, source: 来源 {marker}}}\n"
               f"  - {{center: gx-gastroenterology, grade: 不合格, source: 来源 {marker}}}\n")
    facts = root / f"{EVALUATIONS}/facts.yml"
    facts.write_text(facts.read_text(encoding="utf-8") + f"  - center: gx-nursing\n    grade: {m['fact naming a future notice']}\n"
                     f"    years: [2018, 2019]\n    source: 来源\n    notice: guangxi-notices/2026-4\n", encoding="utf-8")
    facts.write_text(facts.read_text(encoding="utf-8") + f"  - center: gx-hematology\n    grade: {m['draft fact']}\n"
                     f"    years: [2020, 2021]\n    source: 来源 {m['draft fact']}\n    status: draft\n", encoding="utf-8")


@pytest.fixture(scope="module")
def gated(tmp_path_factory) -> dict:
    """The demo with unpublished content planted: the preview pages first (as `serve` writes them,
    into build/preview/docs), then a public build over the same folder. Returns both."""
    root = copy_project(tmp_path_factory.mktemp("gated") / "project")
    plant_unpublished(root)
    with (root / "content/site.yml").open("a", encoding="utf-8") as f:
        f.write("url: https://example.org/zk/\n")  # a public address fills sitemap.xml
    assert main(["--root", str(root), "check"]) == 0
    generate(root, preview=True)
    assert not (root / "build/docs").exists()  # the public pages folder is not the preview's
    preview = {p.relative_to(root / "build/preview/docs").as_posix(): p.read_text(encoding="utf-8")
               for p in (root / "build/preview/docs").rglob("*.md")}
    assert main(["--root", str(root), "build"]) == 0
    return {"root": root, "site": root / "site", "preview": preview}


def public_texts(site: Path):
    """(file, text) for every file under site/: gzip members and Pagefind files decompressed,
    PDFs as extracted text plus raw bytes, .docx/.xlsx as their unpacked parts."""
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        if path.suffix == ".pdf":
            from pypdf import PdfReader

            text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
            yield path, text + data.decode("latin-1")
        elif data[:4] == b"PK\x03\x04":  # Word and Excel files: their XML parts, unpacked
            import zipfile

            with zipfile.ZipFile(io.BytesIO(data)) as z:
                yield path, "\n".join(z.read(name).decode("utf-8", errors="replace") for name in z.namelist())
        else:
            yield path, data.decode("utf-8", errors="replace")


def test_no_marker_in_any_public_file(gated):
    site = gated["site"]
    leaks = [(label, path.relative_to(site).as_posix())
             for path, text in public_texts(site)
             for label, marker in MARKERS.items()
             if marker.lower() in text.lower() or marker.lower() in path.as_posix().lower()]
    assert leaks == []
    assert any(p.suffix == ".html" for p in site.rglob("*"))  # the scan did look at a real site


def test_unpublished_pages_are_not_generated(gated):
    site = gated["site"]
    for url in [f"{Q3}/leak-draft", f"{Q3}/leak-future", "hubei-bulletin/2024-q4",
                "hubei-bulletin/2024-q4/q4-story", "guangxi-notices/2026-3"]:
        assert not (site / url).exists(), url
    every_page = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    for url in ["leak-draft", "leak-future", "2024-q4", "q4-story", "2026-3"]:
        assert url not in every_page, url


def test_counts_and_listings_ignore_unpublished(gated):
    site = gated["site"]
    archive = visible_text(page(site, "hubei-bulletin"))
    assert "25 篇" in archive and "27 篇" not in archive and "2024年第4季度" not in archive
    for center in ["hb-pediatrics", "hb-nursing", "hb-oncology"]:  # each has one public story
        assert "简报稿件（1 篇）" in visible_text(page(site, f"centers/{center}")), center
    home = visible_text(page(site, ""))
    assert "2024年第3季度" in home and "第4季度" not in home
    issue = visible_text(page(site, Q3))
    assert "点评" in issue and "未公开" not in issue


def test_preview_shows_unpublished_content_with_the_banner(gated):
    preview = gated["preview"]
    banner = "未公开"
    for rel, marker in [(f"{Q3}/leak-draft/index.md", "draft story"), (f"{Q3}/leak-future/index.md", "future story"),
                        ("hubei-bulletin/2024-q4/index.md", "draft issue"),
                        ("hubei-bulletin/2024-q4/q4-story/index.md", "draft issue")]:
        assert MARKERS[marker] in preview[rel] and banner in preview[rel], rel
    assert "将于2099年1月1日公开" in preview[f"{Q3}/leak-future/index.md"]  # scheduled: its date
    assert "将于" not in preview[f"{Q3}/leak-draft/index.md"]  # a draft has no date to promise
    center = preview["centers/gx-nursing/index.md"]
    assert MARKERS["draft round"] in center and MARKERS["future round"] in center  # the preview shows all
    assert MARKERS["round of a draft notice"] in center and MARKERS["round naming a future notice"] in center
    # each undisclosed grade says so on its own line; a disclosed one (the demo's 2024) does not
    rows = {re.sub(r"<[^>]+>", "", row).split("（未公开")[0]: "（未公开：" in row
            for row in re.findall(r"<tr><td>.*?</tr>", center)}
    marked = {text for text, is_marked in rows.items() if is_marked}
    for marker in ("draft round", "future round", "round of a draft notice", "round naming a future notice",
                   "fact naming a future notice"):
        assert any(MARKERS[marker] in text for text in marked), (marker, rows)
    assert any(text.startswith("2024") for text, is_marked in rows.items() if not is_marked), rows
    story = preview[f"{Q3}/pediatrics/index.md"]
    assert MARKERS["review commentary"] in story and "此点评仅在本地预览中可见" in story
    assert "未公开" not in preview[f"{Q3}/health-checkup/index.md"]  # public content: no banner


def test_serve_reads_the_preview_pages_and_build_the_public_ones(gated):
    import yaml

    from generator.pipeline import generate_preview, preview_config
    from generator.site.preview import write_preview

    root = gated["root"]
    write_preview(root, preview_config(root), generate_preview)
    for config_file, docs in [("build/preview/engine.yml", root / "build/preview/docs"),
                              ("build/engine.yml", root / "build/docs")]:
        config = yaml.safe_load((root / config_file).read_text(encoding="utf-8"))
        assert Path(config["docs_dir"]) == docs.resolve(), config_file
    public = "".join(p.read_text(encoding="utf-8") for p in (root / "build/docs").rglob("*.md"))
    assert not any(marker in public for marker in MARKERS.values())


def test_pagefind_finds_public_text_but_no_marker(gated, browser):
    # the query encoded as the search page sends it (zk-search.js, terms.py)
    script = """async (q) => { const pf = await import('/pagefind/pagefind.js');
        const r = await pf.search(window.zkEncodeQuery(q)); const out = [];
        for (const x of r.results) { out.push((await x.data()).url); } return out; }"""
    with served(gated["site"]) as base:
        tab = browser.new_page()
        tab.goto(base + "/search/")
        assert any("pediatrics" in url for url in tab.evaluate(script, "儿科"))  # search works
        for marker in MARKERS.values():
            assert tab.evaluate(script, marker.lower()) == [], marker
        filters = tab.evaluate("async () => (await import('/pagefind/pagefind.js')).filters()")
        assert filters["类型"]["简报稿件"] == 25  # counts in the index: public stories only
        tab.close()


def test_unpublished_rounds_change_no_history(gated):
    """The public center page lists the published rounds only: no 2025 or 2026 line, no flag
    (已连续 2 年评估不合格 for 2024→2025) computed from a round nobody may see yet."""
    site = gated["site"]
    for center in ["gx-nursing", "gx-gastroenterology", "gx-hematology"]:
        html = page(site, f"centers/{center}")
        years = re.findall(r"<tr><td>([^<]*)</td><td class=\"zk-grade\">", html)
        assert "2024" in years and not {"2025", "2026", "2027", "2028", "2020 或 2021", "2018 或 2019"} & set(years), \
            (center, years)


def test_sitemap_lists_public_pages_only(gated):
    sitemap = (gated["site"] / "sitemap.xml").read_text(encoding="utf-8")
    assert f"https://example.org/zk/{Q3}/pediatrics/" in sitemap
    for url in ["leak-draft", "leak-future", "2024-q4", "q4-story", "2026-3"]:
        assert url not in sitemap, url
