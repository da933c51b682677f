"""适老化 / GB/T 37668: reader-facing text keeps a contrast of at least 4.5:1, on a phone too."""
from __future__ import annotations

import pytest

ISSUE = "hubei-bulletin/2024-q3"
# (page, CSS selector of text a reader must read)
TEXTS = [
    ("", ".md-header__topic"), ("", ".zk-list__meta"), ("", ".zk-toc__list a"), ("", ".zk-recent__kind"),
    (ISSUE + "/", ".zk-masthead__name"), (ISSUE + "/", ".zk-preface p"), (ISSUE + "/", ".zk-byline"),
    (ISSUE + "/", ".zk-headline a"), (ISSUE + "/", ".zk-body p"), (ISSUE + "/", ".zk-commentary__label"),
    (ISSUE + "/", ".zk-commentary p"), (ISSUE + "/", ".zk-toc__center"), (ISSUE + "/", ".zk-closing__line"),
    ("guangxi-notices/2025-15/", ".zk-official__issuer"), ("guangxi-notices/2025-15/", ".zk-meta th"),
    ("guangxi-notices/2025-15/", ".zk-grade--不合格"), ("centers/gx-hematology/", ".zk-flag"), ("guangxi-notices/2025-15/", ".zk-flags li"),
    ("search/?q=消毒供应", ".zk-result a"),
]

CONTRAST = """(selector) => {
  const el = document.querySelector(selector);
  if (!el) return null;
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
                                      .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  let bg = null;
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length < 4 || c[3] > 0) { bg = c; break; }
  }
  bg = bg || [255, 255, 255];
  const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_text_contrast_is_at_least_4_5(browser, demo_url, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    low = []
    for url, selector in TEXTS:
        page.goto(f"{demo_url}/{url}")
        if "search" in url:
            page.wait_for_selector(selector)
        ratio = page.evaluate(CONTRAST, selector)
        assert ratio is not None, f"{selector} missing on /{url}"
        if ratio < 4.5:
            low.append((url, selector, round(ratio, 2)))
    page.close()
    assert low == []


def test_body_text_is_large_enough_on_a_phone(browser, demo_url):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{demo_url}/{ISSUE}/pediatrics/")
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.zk-body p')).fontSize)")
    page.close()
    assert size >= 16
