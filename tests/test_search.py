"""Search as a reader uses it: the built demo site on a local server, headless Debian Chromium,
queries typed into the header's search box. The whole query set (tests/data/search_queries.json)
must find its story in the first 5 results, and no request may leave the local server."""
from __future__ import annotations

import re

import pytest

from benchmarks.browser import (
    TOP,
    Traffic,
    is_hit,
    load_queries,
    measure_recall,
    search_from_header,
    search_page,
    story_slug,
)
from generator.search.terms import INDEX_ONLY, bigram_terms

ENCODED = re.compile(r"\bx[0-9a-z]{6}\b")


@pytest.fixture(scope="module")
def base(demo_url):
    return demo_url


@pytest.fixture
def watched(browser, base):
    """A fresh page whose every request (workers included) is recorded; none may leave localhost."""
    context = browser.new_context()
    traffic = Traffic()
    traffic.watch(context)
    page = context.new_page()
    yield page, traffic
    context.close()
    assert traffic.urls, "the page made no requests at all"
    assert traffic.foreign(base) == []


@pytest.mark.parametrize("query, slug", [("消毒供应", "infection-control"), ("窒息复苏", "neonatology"),
                                         ("PIVAS", "clinical-pharmacy"), ("英山县", "cardiology")])
def test_header_search_box_finds_the_story(watched, base, query, slug):
    page, _ = watched
    links = search_from_header(page, base, query)
    assert page.url.startswith(f"{base}/search/?q=")
    assert page.input_value("#zk-search-input") == query
    assert is_hit(links, slug), f"{query}: {slug} not in the first {TOP} results {links[:TOP]}"
    first = page.locator("#zk-search .zk-result").first
    assert first.locator("mark").count() >= 1, "the excerpt marks the query"
    excerpt = page.locator("#zk-search .zk-result__excerpt").all_inner_texts()
    assert not any(ENCODED.search(text) for text in excerpt), "index-only terms leaked into an excerpt"


def test_query_set_recall_on_demo(browser, base, record_property):
    queries = load_queries()
    assert len(queries) >= 25
    recall = measure_recall(browser, base, queries, via_header=True)
    record_property("search_recall_demo", recall.share)
    print(f"\nrecall@{TOP} on the demo: {recall.share} ({recall.hits}/{recall.total}), misses: {recall.misses}")
    assert recall.share >= 0.95, recall.misses
    assert recall.foreign_requests == []


# Index-only text: encoded bigrams (x + 3 or 6 base-36 digits) and the word that starts the
# index-only part of a page (terms.INDEX_ONLY); page furniture: download links, 按：, bylines, a center's facts.
INDEX_TOKEN = re.compile(rf"\bx[0-9a-z]{{3}}(?:[0-9a-z]{{3}})?\b|{INDEX_ONLY}")
FURNITURE = re.compile(r"下载 ?(?:PDF|Word)|按：|中心——|级别(?:省级|市州级)")


def test_snippets_are_readable_text_for_every_query(browser, base):
    """Across the whole query set, no excerpt shows an index token or starts with furniture."""
    context = browser.new_context()
    page = context.new_page()
    shown, bad, queries = 0, [], load_queries()
    for item in queries:
        search_page(page, base, item["q"])
        for text in page.locator("#zk-search .zk-result__excerpt").all_inner_texts():
            shown += 1
            if INDEX_TOKEN.search(text) or FURNITURE.search(text):
                bad.append((item["q"], text[:80]))
    context.close()
    assert shown >= len(queries)  # every query found something to show
    assert bad == []


def test_unknown_word_finds_nothing_and_says_so(watched, base):
    page, _ = watched
    assert search_page(page, base, "量子纠缠望远镜") == []
    assert "没有找到" in page.inner_text("#zk-search .zk-search__status")


def test_search_box_on_search_page_searches_again(watched, base):
    page, _ = watched
    search_page(page, base, "消毒供应")
    page.fill("#zk-search-input", "肾性贫血")
    page.press("#zk-search-input", "Enter")
    page.wait_for_function("() => new URL(location.href).searchParams.get('q') === '肾性贫血'")
    page.wait_for_function("() => document.querySelector('#zk-search').dataset.state === 'done'")
    links = page.eval_on_selector_all("#zk-search [data-result-url]", "els => els.map(a => a.getAttribute('href'))")
    assert "nephrology" in [story_slug(link) for link in links[:TOP]]


def test_query_encoding_matches_the_index_documents(watched, base, built_demo):
    """The browser encodes a query as the generator encodes a page (zk-search.js ↔
    search/terms.py); the terms live in the index documents only, never in published pages."""
    page, _ = watched
    document = (built_demo / "build/search/pages/hubei-bulletin/2024-q3/cardiology/index.html").read_text(encoding="utf-8")
    indexed = set(re.search(r'class="zk-search-terms"[^>]*>([^<]*)<', document).group(1).split())
    page.goto(f"{base}/search/")
    for query in ["英山县", "廖玉华", "心血管内科"]:
        encoded = page.evaluate("q => window.zkEncodeQuery(q)", query).split()
        assert encoded == [t for t in bigram_terms(query).split() if len(t) == 7]  # the bigrams, in order
        assert set(encoded) <= indexed, query
    published = (built_demo / "site/hubei-bulletin/2024-q3/cardiology/index.html").read_text(encoding="utf-8")
    assert "zk-search-terms" not in published and not ENCODED.search(published)


def test_pages_and_searches_stay_on_the_local_server(watched, base):
    page, traffic = watched
    for path in ["/", "/centers/", "/hubei-bulletin/2024-q3/", "/hubei-bulletin/2024-q3/nursing/"]:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    search_page(page, base, "护理")
    assert any("/pagefind/" in url for url in traffic.urls), "the search ran on the local index"
