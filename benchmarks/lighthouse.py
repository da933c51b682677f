"""Lighthouse accessibility and SEO scores of the built site: `make lighthouse`, or
`python -m benchmarks.lighthouse [site folder]` (default site/).

A measurement, not a test: Lighthouse (npm, pinned as a dev dependency in benchmarks/web, installed
by `make lighthouse`) drives Debian's Chromium (CHROME_PATH=/usr/bin/chromium) against the site
served locally with compression, as a web host serves it. Prints one line per page and a JSON
line last; exits 1 when a page scores under the targets (accessibility ≥ 98, SEO 100).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.accessibility import WEB
from benchmarks.browser import CHROMIUM, served

LIGHTHOUSE = WEB / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = {"home": "", "issue": "hubei-bulletin/2024-q3/", "notice": "guangxi-notices/2025-15/"}
TARGETS = {"accessibility": 98, "seo": 100}


def audit(url: str) -> dict:
    """Scores (0–100) and the failing audits of one page."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(
            ["node", str(LIGHTHOUSE), url, "--quiet", "--only-categories=accessibility,seo",
             "--output=json", f"--output-path={report}", "--form-factor=mobile",
             "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking"],
            check=True, env=dict(os.environ, CHROME_PATH=CHROMIUM), capture_output=True, text=True, timeout=300)
        data = json.loads(report.read_text(encoding="utf-8"))
    scores = {name: round(cat["score"] * 100) for name, cat in data["categories"].items()}
    failing = sorted({ref["id"] for cat in data["categories"].values() for ref in cat["auditRefs"]
                      if ref["weight"] and (data["audits"][ref["id"]]["score"] or 0) < 1
                      and data["audits"][ref["id"]]["scoreDisplayMode"] == "binary"})
    return {"scores": scores, "failing": failing}


def main(argv: list[str]) -> int:
    if not LIGHTHOUSE.is_file():
        print(f"Lighthouse missing at {LIGHTHOUSE}: run `make lighthouse` (npm ci in benchmarks/web)", file=sys.stderr)
        return 2
    site = Path(argv[0] if argv else "site")
    results = {}
    with served(site, gzip_text=True) as base:
        for kind, path in PAGES.items():
            results[kind] = audit(f"{base}/{path}")
            r = results[kind]
            print(f"{kind:8} accessibility {r['scores']['accessibility']:3}  SEO {r['scores']['seo']:3}"
                  f"  {'failing: ' + ', '.join(r['failing']) if r['failing'] else ''}")
    print(json.dumps({k: r["scores"] for k, r in results.items()}))
    met = all(r["scores"][cat] >= target for r in results.values() for cat, target in TARGETS.items())
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
