"""Nothing province- or publisher-specific in the generator: the places and publishers of the demo
(and of the third-publisher fixture) live in content, never in code, templates or assets."""
from __future__ import annotations

import re

import yaml
from conftest import REPO

FIXTURES = REPO / "tests" / "fixtures"
SUFFIXES = {".py", ".j2", ".typ", ".html", ".js", ".css", ".yml"}


def place_names() -> set[str]:
    """Provinces, cities and publishers the fixtures name, plus their short forms (湖北省 → 湖北)."""
    names: set[str] = set()
    for path in FIXTURES.glob("*/content/centers/*.yml"):
        for center in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            region = center.get("region")
            parts = region.values() if isinstance(region, dict) else [region]
            names.update(str(p) for p in parts if p)
    for path in FIXTURES.glob("*/content/series/*.yml"):
        names.add(yaml.safe_load(path.read_text(encoding="utf-8"))["publisher"])
    names |= document_prefixes()
    short = {re.sub(r"(壮族自治区|回族自治区|维吾尔自治区|自治区|省|市|州|县)$", "", n) for n in names}
    return {n for n in names | short if len(n) >= 2}


def document_prefixes() -> set[str]:
    """The issuer prefixes of the 发文字号 the fixtures cite (桂卫办发 in 桂卫办发〔2025〕15号): a document
    number names its publisher as surely as the publisher's name does. 国办发 (the State Council's) is
    national, not a publisher's, but no more belongs in code than the others."""
    prefixes: set[str] = set()
    for path in FIXTURES.rglob("*"):
        if path.suffix in {".yml", ".md"}:
            text = path.read_text(encoding="utf-8")
            prefixes.update(re.findall(r"([\u4e00-\u9fff]{2,8})〔\d{4}〕", text))
    return prefixes


def test_no_fixture_place_or_publisher_in_the_generator():
    names = place_names()
    assert "湖北" in names and "桂卫办发" in names and len(names) > 5  # the scan does know the demo's places
    found = [(path.relative_to(REPO).as_posix(), name)
             for path in sorted((REPO / "generator").rglob("*")) if path.suffix in SUFFIXES
             for name in names if name in path.read_text(encoding="utf-8")]
    assert found == []
