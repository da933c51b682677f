"""Every editor-written string, in every file kind, is inert in every output.

The demo project is rewritten so that every string value of every content file (series incl.
doc_prefix, centers, issues, stories, 点评, notices, evaluation rounds incl. grade names, `rest` and
facts, site.yml) ends with a script payload, and every Markdown body carries the Markdown payloads.
References stay consistent (the same suffix everywhere), so the build succeeds and the payloads
reach the pages. Then every HTML page is audited, feed.xml and sitemap.xml must parse as XML with
no element or attribute an editor invented, and the print HTML of every document is audited too.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from conftest import copy_project
from test_html_safety import SITE_PAYLOADS as PAYLOADS
from test_html_safety import audit

from generator.cli import main
from generator.render.pages import Markup, environment, printable

# Appended to every string field. Breaks out of text, attributes (both quote styles), <title> and XML.
SUFFIX = "</title><script>alert('zkxss')</script>\"'><img src=x onerror=alert('zkxss')>&amp;]]>"
# Values that are ids, references, enums, dates or numbers written as text: changing them would
# only make the content invalid (check rejects it), not test escaping.
KEEP = {"id", "center", "centers", "partners", "series", "issue", "story", "evaluation", "notice", "level", "status",
        "kind", "rounding", "ties", "url", "stories", "top", "bottom", "max", "bonus_max", "total_max",
        "bonus", "total", "scores", "due", "date", "publish_date", "years", "year"}


# Maps keyed by a declared figure name (a story's `figures`, a round's `figure_totals`): the keys are
# references to the series' poisoned names, so they carry the same suffix.
NAMED_KEYS = {"figures", "figure_totals"}


def _poison(value, key: str | None = None):
    if key in KEEP:
        return value
    if key == "email" and isinstance(value, str) and "@" in value:  # still an address (check refuses others)
        return value.replace("@", SUFFIX.replace(" ", "/") + "@", 1)
    if key in NAMED_KEYS and isinstance(value, dict) and "name" not in value:  # not a declaration
        return {k + SUFFIX: v for k, v in value.items()}
    if isinstance(value, dict):
        return {k: _poison(v, k) for k, v in value.items()}
    if key == "title_lines" and value:  # the lines must still spell the (poisoned) title
        return [*value[:-1], value[-1] + SUFFIX]
    if isinstance(value, list):
        return [_poison(v, key) for v in value]
    if isinstance(value, str):
        return value + SUFFIX
    return value


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


def _poison_yaml(path: Path) -> None:
    path.write_text(_dump(_poison(yaml.safe_load(path.read_text(encoding="utf-8")))), encoding="utf-8")


def _poison_markdown(path: Path) -> None:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    body = body + "\n\n" + "\n\n".join(PAYLOADS) + "\n"
    path.write_text("---\n" + _dump(_poison(yaml.safe_load(front))) + "---\n" + body, encoding="utf-8")


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("fields") / "project")
    for path in sorted((root / "content").rglob("*.yml")) + sorted((root / "bulletins").rglob("*.yml")):
        _poison_yaml(path)
    for path in sorted((root / "content").rglob("*.md")):
        _poison_markdown(path)
    for path in sorted((root / "content/notices").rglob("*.md")):  # {{ 工作量.<name> }} names a figure too
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\{\{ 工作量\.([^{}\n]*?) \}\}", lambda m: "{{ 工作量." + m.group(1) + SUFFIX + " }}", text),
                        encoding="utf-8")
    # Rounds without their own scheme use the default grade names: give them the poisoned one.
    rounds = root / "content/evaluations/guangxi-notices"
    scheme = yaml.safe_load((rounds / "2024.yml").read_text(encoding="utf-8"))["scheme"]
    for path in rounds.glob("20*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(_dump({**data, "scheme": data.get("scheme") or scheme}), encoding="utf-8")
    site = root / "content/site.yml"
    site.write_text(site.read_text(encoding="utf-8") + "url: https://example.org/zk/\n", encoding="utf-8")
    assert main(["--root", str(root), "check"]) == 0
    assert main(["--root", str(root), "build", "--no-pdf"]) == 0
    return root


def test_every_file_kind_was_poisoned(poisoned):
    """The corpus covers what the issue lists: the suffix reached each of these fields."""
    def text(rel):
        return (poisoned / rel).read_text(encoding="utf-8")
    assert "doc_prefix: 桂卫办发</title>" in text("content/series/guangxi-notices.yml")
    rnd = yaml.safe_load(text("content/evaluations/guangxi-notices/2024.yml"))
    assert rnd["scheme"]["rest"].endswith(SUFFIX) and rnd["results"][0]["grade"].endswith(SUFFIX)
    facts = yaml.safe_load(text("content/evaluations/guangxi-notices/facts.yml"))
    assert all(f["grade"].endswith(SUFFIX) and f["source"].endswith(SUFFIX) for f in facts["facts"])
    assert yaml.safe_load(text("content/site.yml"))["title"].endswith(SUFFIX)


def test_payloads_reach_the_pages_as_text(poisoned):
    site = poisoned / "site"
    center = (site / "centers/gx-organ-transplant/index.html").read_text(encoding="utf-8")
    assert "不合格&lt;/title&gt;&lt;script&gt;" in center  # a grade name, shown as text
    notice = (site / "guangxi-notices/2025-15/index.html").read_text(encoding="utf-8")
    assert "桂卫办发&lt;/title&gt;" in notice  # doc_prefix inside the 发文字号


def _site_audit(html: str) -> list[str]:
    """The audit, knowing that 404.html loads the theme's scripts from the site's own path (/zk/)."""
    return [p for p in audit(html) if not KNOWN_UNDER_SITE_PATH.fullmatch(p)]


KNOWN_UNDER_SITE_PATH = re.compile(r"<script src=/zk/assets/(javascripts/bundle\.[0-9a-f]+\.min\.js|zk-search\.js|zk-wechat\.js)>")


def test_no_script_in_any_page(poisoned):
    pages = sorted((poisoned / "site").rglob("*.html"))
    assert len(pages) > 50
    found = {p.relative_to(poisoned).as_posix(): problems
             for p in pages if (problems := _site_audit(p.read_text(encoding="utf-8")))}
    assert found == {}


ATOM = "{http://www.w3.org/2005/Atom}"
ATOM_TAGS = {f"{ATOM}{t}" for t in ("feed", "title", "subtitle", "id", "link", "updated", "entry", "author",
                                    "name", "summary", "content")}


def test_feed_and_sitemap_are_valid_xml(poisoned):
    feed = ET.parse(poisoned / "site/feed.xml").getroot()
    assert {e.tag for e in feed.iter()} <= ATOM_TAGS
    assert all(k in {"href", "rel", "type", "{http://www.w3.org/XML/1998/namespace}lang",
                     "{http://www.w3.org/XML/1998/namespace}base"} for e in feed.iter() for k in e.attrib)
    titles = [e.text for e in feed.iter(f"{ATOM}title")]
    assert any(t and t.endswith(SUFFIX) for t in titles)  # the text came through whole, as text
    sitemap = ET.parse(poisoned / "site/sitemap.xml").getroot()
    assert all("zkxss" not in (e.text or "") for e in sitemap.iter())


def test_front_matter_and_engine_config_stay_data(poisoned):
    """Titles reach the site engine as JSON strings with HTML specials made full-width."""
    docs = poisoned / "build/docs"
    for page in docs.rglob("index.md"):
        front = page.read_text(encoding="utf-8").split("---\n")[1]
        meta = yaml.safe_load(front)
        assert "<" not in str(meta) and ">" not in str(meta), page
    engine = (poisoned / "build/engine.yml").read_text(encoding="utf-8")
    assert "<script" not in engine


def test_print_html_is_inert(poisoned):
    from generator.assemble import assemble
    from generator.pipeline import checked_content
    from generator.print.engine import template_source
    from generator.print.pdf import documents

    content = checked_content(poisoned)
    docs = documents(assemble(content, content.site, dt.date.today()), poisoned)
    assert len(docs) >= 2
    for _, job in docs:
        # Typst gets editors' text as JSON data only (sys.inputs), never inside its markup.
        assert "zkxss" in job.data and json.loads(job.data)
        assert "zkxss" not in template_source(job.kind)


def test_poisoned_text_prints_as_text(poisoned):
    """A poisoned notice compiles, and its PDF shows the payload as plain characters."""
    import subprocess
    from types import SimpleNamespace

    from generator.assemble import assemble
    from generator.pipeline import checked_content
    from generator.print.pdf import render_pdfs

    content = checked_content(poisoned)
    site = assemble(content, content.site, dt.date.today())
    files, _ = render_pdfs(SimpleNamespace(issues=[], notices=site.notices[:1]), poisoned, progress=False)
    [pdf] = files.values()
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "<script>alert('zkxss')</script>" in text.replace("\n", "")


def test_autoescape_is_on_and_markup_is_only_ours():
    env = environment()
    assert env.autoescape is True
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    assert env.from_string("{{ x | markdown }}").render(x="<b>x</b>") == "<p>&lt;b&gt;x&lt;/b&gt;</p>"
    assert env.from_string("{{ x | meta }}").render(x='<a href="x">') == '"＜a href=＂x＂＞"'


def test_invisible_breakers_never_reach_an_output():
    """C0/C1 controls and line/paragraph separators would break XML and YAML front matter."""
    env = environment()
    text = "标题\x00\x08\x1b\x7f\x85\x9f\u2028\u2029尾"
    assert env.from_string("{{ x }}").render(x=text) == "标题尾"
    assert env.from_string("{{ x | meta }}").render(x=text) == '"标题尾"'
    assert printable(Markup("<p>\x85</p>")) == Markup("<p></p>")
    assert printable("a\tb\nc") == "a\tb\nc"


WORD_NAMESPACES = ("{http://schemas.openxmlformats.org/", "{http://schemas.microsoft.com/office/",
                   "{urn:schemas-microsoft-com:")


def test_word_files_keep_every_payload_as_text(poisoned):
    """The .docx of every document opens, holds the payloads as characters, and no element of its
    body was written by an editor."""
    import docx

    from generator.assemble import assemble
    from generator.pipeline import checked_content
    from generator.print.word import render_docx

    content = checked_content(poisoned)
    files, _ = render_docx(assemble(content, content.site, dt.date.today()), poisoned)
    assert len(files) >= 2
    for rel, path in files.items():
        document = docx.Document(str(path))
        body = document.element.body
        assert all(str(e.tag).startswith(WORD_NAMESPACES) for e in body.iter() if isinstance(e.tag, str)), rel
        text = "".join(t.text or "" for t in body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
        assert SUFFIX.replace("&amp;", "&") in text or SUFFIX in text, rel
