"""Contributed text cannot inject script into any page.

Policy (markup.py): raw HTML in Markdown is escaped, the result is sanitized by nh3 with an
allowlist, templates escape every field, and titles/names the theme prints unescaped are made
inert (markup.theme_text). Every payload below carries the token "zkxss" in its executable part;
a site built with all of them, in every field an editor controls, is parsed page by page.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import copy_project

from generator.cli import main
from generator.render.markup import to_html

PAYLOADS = [
    "<script>alert('zkxss')</script>",
    "<SCRIPT SRC=//zkxss.example/x.js></SCRIPT>",
    "<img src=x onerror=\"alert('zkxss')\">",
    "<body onload=alert('zkxss')>",
    "<a href=\"javascript:alert('zkxss')\">链接</a>",
    "[点我](javascript:alert('zkxss'))",
    "[点我](JaVaScRiPt:alert('zkxss'))",
    "[点我](javascript&#58;alert('zkxss'))",
    "[点我](&#106;avascript:alert('zkxss'))",
    "[点我](jav&#x09;ascript:alert('zkxss'))",
    "[点我](vbscript:msgbox('zkxss'))",
    "[点我](data:text/html;base64,PHNjcmlwdD5hbGVydCgnemt4c3MnKTwvc2NyaXB0Pg==)",
    "[点我](<javascript:alert('zkxss')>)",
    "[点我]( javascript:alert('zkxss') \"标题\")",
    "<javascript:alert('zkxss')>",
    "[参考][zkxss-ref]\n\n[zkxss-ref]: javascript:alert('zkxss')",
    "[标题诡计](https://example.org/ \"\\\" onmouseover=\\\"alert('zkxss')\")",
    "<iframe src=\"https://zkxss.example/\"></iframe>",
    "<object data=\"zkxss.swf\"></object>",
    "<embed src=\"zkxss.swf\">",
    "<svg onload=alert('zkxss')><script>alert('zkxss')</script></svg>",
    "<svg><a xlink:href=\"javascript:alert('zkxss')\"><text x=\"0\" y=\"10\">x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('zkxss')>",
    "<math href=\"javascript:alert('zkxss')\">x</math>",
    "<style>body{background:url(\"javascript:alert('zkxss')\")}</style>",
    "<div style=\"width:expression(alert('zkxss'))\">x</div>",
    "<!-- <script>alert('zkxss')</script> -->",
    "<scr<script>ipt>alert('zkxss')</scr</script>ipt>",
    "<img src=\"x\n onerror=alert('zkxss')",
    "<form action=\"javascript:alert('zkxss')\"><button>提交</button></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('zkxss')\">",
    "<base href=\"javascript:alert('zkxss')//\">",
    "<details open ontoggle=alert('zkxss')>",
    "<a href=\"&#x6A;avascript:alert('zkxss')\">x</a>",
    "`<script>alert('zkxss')</script>`",
    "    <script>alert('zkxss')</script>",
]
# For places that are plain text (titles, names, 按语): break out of attributes, tags and <title>.
TEXT_PAYLOADS = [
    "</title><script>alert('zkxss')</script>",
    "&lt;/title&gt;&lt;script&gt;alert('zkxss')&lt;/script&gt;",
    "\" onmouseover=\"alert('zkxss')\" x=\"",
    "' onfocus='alert(`zkxss`)' autofocus='",
    "<img src=x onerror=alert('zkxss')>",
]
# An HTML comment is refused by check (it would print as typed, not hidden); inert after markup.
SITE_PAYLOADS = [p for p in PAYLOADS if "<!--" not in p]
IMAGE_PAYLOADS = [  # refused by check (test_image_paths.py); still inert after markup
    "![图](javascript:alert('zkxss'))",
    "![图](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoJ3preHNzJyk+)",
    "![图](x.png \"\\\" onerror=\\\"alert('zkxss')\")",
]

KNOWN_SCRIPT_SRC = re.compile(r"^(/|(\.\./)*)(assets/javascripts/bundle\.[0-9a-f]+\.min\.js|assets/zk-search\.js|assets/zk-wechat\.js)$")
# Material's own inline scripts: its bootstrap, the anchor fix, and its JSON configuration.
KNOWN_INLINE = ("__md_scope=new URL(", "var target=document.getElementById(location.hash", '{"annotate"')
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "frame", "frameset", "applet", "base", "math", "style"}


class _Audit(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.script: str | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            squashed = re.sub(r"[\x00-\x20]+", "", value).lower()
            if name in URL_ATTRS and re.match(r"(javascript|vbscript|data):", squashed):
                self.problems.append(f"<{tag} {name}={value[:40]}>")
            if name == "style" and ("expression" in squashed or "zkxss" in squashed):
                self.problems.append(f"<{tag} style={value[:40]}>")
            if tag == "meta" and name == "http-equiv" and squashed == "refresh":
                self.problems.append("<meta http-equiv=refresh>")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "script":
            src = dict(attrs).get("src")
            if src is not None and not KNOWN_SCRIPT_SRC.match(src):
                self.problems.append(f"<script src={src}>")
            self.script = "" if src is None else None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self.script is not None:
            self.script += data

    def handle_endtag(self, tag):
        if tag == "script" and self.script is not None:
            text = self.script.strip()
            if not text.startswith(KNOWN_INLINE) or "zkxss" in text.lower():
                self.problems.append(f"inline <script>{text[:60]}")
            self.script = None


def audit(html: str) -> list[str]:
    parser = _Audit()
    parser.feed(html)
    parser.close()
    return parser.problems


def test_the_audit_catches_what_it_looks_for():
    for bad in ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href=' JaVa\tscript:x'>",
                "<iframe src=x>", "<svg><a xlink:href='javascript:x'></a></svg>", "<div style='x:expression(1)'>",
                "<script src='https://evil.example/x.js'></script>", "<meta http-equiv='refresh' content='0'>"]:
        assert audit(bad), bad
    assert audit('<script src="../../assets/zk-search.js"></script><a href="https://example.org/">x</a>') == []


@pytest.mark.parametrize("payload", PAYLOADS + IMAGE_PAYLOADS)
def test_each_payload_is_inert_after_markup(payload):
    html = to_html(f"前文。\n\n{payload}\n\n后文。")
    assert audit(html) == [], html
    assert "<script" not in html.lower() and "<iframe" not in html.lower()


def _quote(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    story = root / "content/stories/hubei-bulletin/2024-q3/pediatrics.md"
    text = story.read_text(encoding="utf-8")
    title = "儿科 " + " ".join(TEXT_PAYLOADS)
    text = text.replace("title: 推进全省同质化管理 提升基层诊疗服务能力", f"title: {_quote(title)}")
    story.write_text(text + "\n\n" + "\n\n".join(SITE_PAYLOADS) + "\n", encoding="utf-8")
    commentary = root / "content/commentary/hubei-bulletin/2024-q3/pediatrics.md"
    commentary.write_text(f"---\nstory: hubei-bulletin/2024-q3/pediatrics\nauthor: {_quote(' '.join(TEXT_PAYLOADS))}\n---\n\n"
                          + "\n\n".join(SITE_PAYLOADS) + "\n", encoding="utf-8")
    # IMAGE_PAYLOADS are refused by check now (a 点评 takes no image, a story no remote one):
    # test_image_paths.py; test_each_payload_is_inert_after_markup keeps them as markup tests.
    issue = root / "bulletins/hubei-bulletin/2024-q3.yml"
    text = issue.read_text(encoding="utf-8")
    text = re.sub(r"preface: \|\n  .*\n", lambda m: f"preface: {_quote(chr(10).join(TEXT_PAYLOADS + SITE_PAYLOADS))}\n", text)
    text = text.replace("  - stories:\n", f"  - title: {_quote(' '.join(TEXT_PAYLOADS))}\n    stories:\n")
    issue.write_text(text, encoding="utf-8")
    for rel, old in [("content/centers/hubei.yml", "name: 湖北省儿科医疗质量控制中心"),
                     ("content/series/hubei-bulletin.yml", "name: 湖北医疗质控管理工作简报")]:
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8").replace(old, f"{old.split(':')[0]}: {_quote(old.split(': ')[1] + ' ' + ' '.join(TEXT_PAYLOADS))}"),
                        encoding="utf-8")
    site_yml = root / "content/site.yml"
    site_yml.write_text(f"title: {_quote('简报 ' + ' '.join(TEXT_PAYLOADS))}\n", encoding="utf-8")
    assert main(["--root", str(root), "build", "--no-pdf"]) == 0
    return root / "site"


def test_payloads_reached_the_pages(hostile_site):
    """The payloads are shown as text (so the audit below is auditing real exposure)."""
    story = (hostile_site / "hubei-bulletin/2024-q3/pediatrics/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;zkxss&#39;)&lt;/script&gt;" in story or "&lt;script&gt;alert('zkxss')" in story
    assert story.count("zkxss") > len(SITE_PAYLOADS)


def test_no_executable_script_in_any_page(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 50
    found = {p.relative_to(hostile_site).as_posix(): problems for p in pages if (problems := audit(p.read_text(encoding="utf-8")))}
    assert found == {}
