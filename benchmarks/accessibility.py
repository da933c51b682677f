"""axe-core in headless Debian Chromium on every kind of page, at a phone's and a desktop's width.

axe-core is an npm package pinned in benchmarks/web/package.json and installed by `make setup`
(scripts/setup-system.sh) into benchmarks/web/node_modules (git-ignored); nothing is downloaded
when the checks run. Used by tests/test_web.py and by `python -m benchmarks.accessibility <site>`,
which prints a table of violations per page kind and width.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

WEB = Path(__file__).resolve().parent / "web"
AXE = WEB / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (320, 390, 1366)
# One page of every kind the site has (demo content), by path below the site's root.
PAGE_KINDS = {
    "home": "",
    "issue": "hubei-bulletin/2024-q3/",
    "story": "hubei-bulletin/2024-q3/infection-control/",
    "center": "centers/gx-hematology/",
    "centers index": "centers/",
    "series archive": "hubei-bulletin/",
    "notice": "guangxi-notices/2025-15/",
    "statistics": "guangxi-notices/stats/",
    "search with results": "search/?q=消毒供应",
    "404": "no-such-page/",
}
SEVERE = ("serious", "critical")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

# Widest element beyond the viewport: a page that scrolls sideways fails reflow (WCAG 1.4.10).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scroll = document.documentElement.scrollWidth;
  const wide = [];
  if (scroll > width) {
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 0.5 && r.width > 0 && getComputedStyle(el).visibility !== 'hidden')
        wide.push((el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : el.tagName.toLowerCase()) + ' ' + Math.round(r.right - width) + 'px');
    }
  }
  return {width, scroll, wide: wide.slice(0, 5)};
}"""

# Words a reader takes in at a glance, which must never be split over two lines: dates as the
# site writes them and the grades, wherever the site (not an editor's prose, which wraps as
# Chinese text does) prints them. Returns the ones rendered on more than one line.
SPLIT_WORDS = r"""() => {
  const words = /\d{4}年\d{1,2}月\d{1,2}日|不合格|基本合格|合格|良好|优秀/g;
  const split = [];
  const PROSE = '.zk-body, .zk-preface, .zk-commentary, .zk-official__body, .zk-result__excerpt';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !parent.getClientRects().length || parent.closest(PROSE)) continue;
    for (const m of node.data.matchAll(words)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) split.push(m[0]);
    }
  }
  return split;
}"""


def axe_available() -> bool:
    return AXE.is_file()


def open_page(page, base: str, path: str) -> None:
    page.goto(f"{base}/{path}")
    if path.startswith("search/"):
        page.wait_for_function("() => document.querySelector('#zk-search')?.dataset.state === 'done'")
    page.wait_for_load_state("networkidle")


def run_axe(page) -> list[dict]:
    """Violations on the current page: id, impact, help and the first nodes' selectors."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"], "count": len(v["nodes"]),
             "nodes": [n["target"] for n in v["nodes"][:5]]} for v in result["violations"]]


def check_page(browser, base: str, path: str, width: int) -> dict:
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        open_page(page, base, path)
        overflow = page.evaluate(OVERFLOW)
        split = page.evaluate(SPLIT_WORDS)
        violations = run_axe(page)
    finally:
        page.close()
    return {"violations": violations, "severe": [v for v in violations if v["impact"] in SEVERE],
            "overflow": overflow, "split": split}


def survey(browser, base: str) -> dict:
    return {(kind, width): check_page(browser, base, path, width)
            for kind, path in PAGE_KINDS.items() for width in WIDTHS}


def main(argv: list[str]) -> int:
    from benchmarks.browser import chromium, served

    site = Path(argv[0] if argv else "site")
    with served(site) as base, chromium() as browser:
        results = survey(browser, base)
    for (kind, width), r in results.items():
        o = r["overflow"]
        side = f"scrolls sideways by {o['scroll'] - o['width']} px {o['wide']}" if o["scroll"] > o["width"] else ""
        split = f"split over lines: {r['split']}" if r["split"] else ""
        print(f"{kind:20} {width:5}  serious/critical {len(r['severe'])}  other {len(r['violations']) - len(r['severe'])}"
              f"  {side}{split}")
        for v in r["violations"]:
            print(f"    {v['impact']:9} {v['id']} ×{v['count']}: {json.dumps(v['nodes'], ensure_ascii=False)[:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
