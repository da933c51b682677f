"""Print room, Word side: one .docx per bulletin issue and per notice, beside its PDF.

Offices draft, sign off and exchange documents as .docx (Word or WPS), so every document the
site prints also comes out as Word, from the same assembled views the PDF prints: `IssueView`
(报头, 按语, bylines, headlines, bodies, 点评, 报尾) and `NoticeView` (GB/T 9704 版头, body, 署名,
附注, annex as a real table whose header row repeats). Page numbers "— N —" are PAGE fields in
different odd / even footers: right on odd pages, left on even ones.

`render_docx(site, root)` first reduces each view to plain data (`issue_data`, `notice_data`);
the writers read nothing else, so a hash of that data (plus this code and python-docx's version)
is a complete cache key: build/docx-cache/<key>.docx is reused while the document is unchanged.
Like `render_pdfs` it returns ({docs-relative path: cached file}, {document url: [its Download]});
the page templates' `downloads` macro shows the link "下载 Word 版" with the file's size.
"""
from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import zipfile
from concurrent.futures import ProcessPoolExecutor
from importlib import metadata
from pathlib import Path

from generator.print import word_layout, word_markup
from generator.print.qr import ALT, page_address
from generator.print.typeset import ISSUE_STATS_CAPTION
from generator.print.word_layout import bulletin_document, notice_document
from generator.render.pages import Download
from generator.tied import die_with_parent

CACHE_DIR = Path("build") / "docx-cache"
def docx_rel_path(doc) -> str:
    """Beside the PDF: inside the page's folder, named after that folder."""
    return f"{doc.url}{doc.url.strip('/').replace('/', '-')}.docx"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"


# --- what each document prints, as plain data -------------------------------------------------------

def issue_statistics_data(view, table, chart) -> dict | None:
    """本期统计 as plain data (the PNG's path and digest make the cache key follow the chart)."""
    if table is None or not view.series.print_statistics:
        return None
    png = chart.png() if chart is not None else None
    return {"png": str(png) if png else None, "digest": _digest(png) if png else "", "caption": ISSUE_STATS_CAPTION,
            "rows": table.text_rows(), "note": table.note}


def issue_data(view, root: Path, stats: dict | None = None) -> dict:
    stories = []
    for section in view.sections:
        for s in section.stories:
            # The files the load stage verified (load/images.py): address → [file, content digest].
            images = {image.src: [str(image.path), _digest(image.path)] for image in getattr(s.story, "images", [])}
            stories.append({"section": section.title, "byline": s.center.name, "title": s.title,
                            "body": s.story.body, "commentary": s.commentary.body if s.commentary else None,
                            "images": images})
    issue = view.issue
    return {"kind": "bulletin", "name": view.series.name, "publisher": view.series.publisher,
            "title": view.title, "period": view.masthead_period, "special": view.special_title,
            "date": issue.date.isoformat(),
            "preface": issue.preface, "stories": stories, "closing": {"wechat": view.closing.wechat, "lines": view.closing.lines(),
                                      "contact": view.closing.contact(), "wechat_qr": wechat_qr(view.closing)}, "stats": stats}


def wechat_qr(closing) -> list[str] | None:
    """The 公众号's QR image as [file, content digest] (the digest keys the cache), or None."""
    image = closing.wechat_qr_file
    return [str(image.path), _digest(image.path)] if image else None


def page_qr(site_url: str, view) -> dict | None:
    """The page's address for its QR code (word_layout.page_qr), with segno's version for the key."""
    address = page_address(site_url, view.url)
    return {"address": address, "label": "扫码阅读网页版", "alt": ALT, "segno": metadata.version("segno")} if address else None


def notice_data(view) -> dict:
    return {"kind": "notice", "issuer_mark": view.issuer_mark, "doc_number": view.doc_number,
            "title": view.title, "addressees": view.addressees, "body": view.body,
            "attachments": list(view.attachments), "signer": view.signer, "date": view.date.isoformat(),
            "note": view.note, "columns": view.annex_columns,
            "annex": [[r.cell(c) for c in view.annex_columns] for r in view.annex]}


def code_version() -> str:
    h = hashlib.sha256(metadata.version("python-docx").encode())
    for module in (word_markup, word_layout, __import__(__name__, fromlist=["_"])):
        h.update(Path(module.__file__).read_bytes())
    return h.hexdigest()


def cache_key(data: dict, version: str) -> str:
    return hashlib.sha256((version + json.dumps(data, ensure_ascii=False, sort_keys=True)).encode()).hexdigest()


# --- the page and the styles ---------------------------------------------------------------------

def stable_zip(data: bytes) -> bytes:
    """The same parts with fixed timestamps: python-docx stamps each zip member with the current
    time, and two builds of unchanged content must be byte-identical."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            dst.writestr(info, src.read(item))
    return out.getvalue()


def write_docx(data: dict, target: Path) -> None:
    """Write beside, then rename: the cache never holds half a file."""
    doc = bulletin_document(data) if data["kind"] == "bulletin" else notice_document(data)
    buffer = io.BytesIO()
    doc.save(buffer)
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    partial.write_bytes(stable_zip(buffer.getvalue()))
    os.replace(partial, target)


def write_missing(todo: list[tuple[str, dict, Path]]) -> None:
    """Write the documents not cached yet; several in parallel, one process per core (workers get
    plain data, pickled)."""
    workers = min(len(todo), os.cpu_count() or 1)
    if workers <= 1 or len(todo) < 4:  # a pool costs more than it saves for a few documents
        results = [(rel, _attempt(write_docx, data, path)) for rel, data, path in todo]
    else:
        # spawn, not fork: a fork of a process that already runs threads (a preview, a test runner,
        # Typst's compiler) can inherit a held lock and hang.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent, mp_context=context) as pool:
            futures = [(rel, pool.submit(_attempt, write_docx, data, path)) for rel, data, path in todo]
            results = [(rel, future.result()) for rel, future in futures]
    for rel, error in results:
        if error:
            raise RuntimeError(f"Word 文件生成失败：{rel}：{error}")


def _attempt(work, *args) -> str | None:
    """Run `work`; its error as text (an exception may not survive the trip back from a worker)."""
    try:
        work(*args)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def render_docx(site, root: Path, charts=None) -> tuple[dict[str, Path], dict[str, list[Download]]]:
    cache = root / CACHE_DIR
    cache.mkdir(parents=True, exist_ok=True)
    version = code_version()

    def stats(v) -> dict | None:
        chart = charts.issues.get(v.url) if charts is not None else None
        return issue_statistics_data(v, site.statistics.issues.get(v.url), chart)

    docs = [*((v, issue_data(v, root, stats(v))) for v in site.issues), *((v, notice_data(v)) for v in site.notices)]
    for view, data in docs:
        if qr := page_qr(getattr(site, "url", ""), view):
            data["qr"] = qr
    jobs = [(docx_rel_path(view), data, cache / f"{cache_key(data, version)}.docx") for view, data in docs]
    write_missing([job for job in jobs if not job[2].exists()])
    files, downloads, keep = {}, {}, set()
    for (view, _), (rel, _, path) in zip(docs, jobs):
        keep.add(path.name)
        downloads[view.url] = [Download(rel, "Word", path.stat().st_size)]
        files[rel] = path
    for old in cache.glob("*.docx"):  # the cache holds one build's worth
        if old.name not in keep:
            old.unlink(missing_ok=True)
    return files, downloads
