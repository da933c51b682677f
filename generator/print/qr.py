"""QR codes of a document's web page for its PDF (vector SVG) and Word file (PNG), made by segno.

Only with the site's public address (`url` in content/site.yml): a code of a local path would
lead nowhere. Both forms are pure functions of the address, so the address in a document's data
is all its cache key needs.
"""
from __future__ import annotations

import io
from urllib.parse import quote

import segno

ALT = "本页网址二维码"


def page_address(site_url: str, doc_url: str) -> str:
    """The public address of a document's page ("" without a site url)."""
    return site_url + quote(doc_url, safe="/") if site_url else ""


def _code(address: str):
    return segno.make(address, error="m", micro=False)


def qr_svg(address: str) -> str:
    """Black modules on a white, quiet-zoned square: a standalone SVG document, no XML declaration."""
    buffer = io.BytesIO()
    _code(address).save(buffer, kind="svg", border=2, dark="#000", light="#fff", xmldecl=False, svgns=True,
                        unit=None, scale=1)
    return buffer.getvalue().decode("utf-8")


def qr_png(address: str) -> bytes:
    buffer = io.BytesIO()
    _code(address).save(buffer, kind="png", border=2, scale=8, dark="#000", light="#fff")
    return buffer.getvalue()
