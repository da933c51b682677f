"""Make Pagefind's output byte-identical between builds of the same site.

Pagefind 1.5 writes its fragments and word index deterministically, but its filter files list
each filter's values in hash-map order, which changes from run to run; the metadata file names
those filter files by content hash, and pagefind-entry.json names the metadata file. This module
rewrites the filter files with their values sorted, renames them by a hash of the new content, and
updates the metadata file and the entry file to match. The browser only follows names, so search
works exactly as before.

Files are gzip-compressed CBOR after a 12-byte signature ("pagefind_dcd"). The tiny CBOR codec
below covers what Pagefind writes: integers, text, byte strings and arrays.
"""
from __future__ import annotations

import gzip
import hashlib
import struct
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


def cbor_decode(data: bytes, pos: int = 0) -> tuple[object, int]:
    head = data[pos]
    major, info = head >> 5, head & 31
    pos += 1
    if info < 24:
        value = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        value = int.from_bytes(data[pos:pos + size], "big")
        pos += size
    else:
        raise ValueError(f"unsupported CBOR item {head:#x}")
    if major == 0:
        return value, pos
    if major == 1:
        return -1 - value, pos
    if major == 2:
        return bytes(data[pos:pos + value]), pos + value
    if major == 3:
        return data[pos:pos + value].decode("utf-8"), pos + value
    if major == 4:
        items = []
        for _ in range(value):
            item, pos = cbor_decode(data, pos)
            items.append(item)
        return items, pos
    raise ValueError(f"unsupported CBOR major type {major}")


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if value < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, value)
    raise ValueError("integer too large")


def cbor_encode(value: object) -> bytes:
    if isinstance(value, bool) or value is None:
        raise ValueError("unsupported value")
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(cbor_encode(v) for v in value)
    raise ValueError(f"unsupported value {type(value)}")


def read_pagefind_file(path: Path) -> object:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path}: not a Pagefind file")
    value, end = cbor_decode(data, len(SIGNATURE))
    if end != len(data):
        raise ValueError(f"{path}: trailing data")
    return value


def _packed(value: object) -> bytes:
    return gzip.compress(SIGNATURE + cbor_encode(value), compresslevel=9, mtime=0)


def _content_name(language: str, packed: bytes, length: int) -> str:
    return f"{language}_{hashlib.sha256(packed).hexdigest()[:length]}"


def _stable_filter(path: Path) -> str:
    """Rewrite one filter file with its values sorted; returns its new hash name."""
    name, values = read_pagefind_file(path)
    values = sorted(([value, sorted(pages)] for value, pages in values), key=lambda v: v[0])
    packed = _packed([name, values])
    language, old_hash = path.stem.rsplit("_", 1)
    new_name = _content_name(language, packed, len(old_hash))
    path.unlink()
    (path.parent / f"{new_name}.pf_filter").write_bytes(packed)
    return new_name


def stabilize(bundle: Path) -> None:
    """Rewrite `bundle` (site/pagefind) so that the same pages always give the same files."""
    renamed = {p.stem: _stable_filter(p) for p in sorted((bundle / "filter").glob("*.pf_filter"))}
    entry_file = bundle / "pagefind-entry.json"
    entry = entry_file.read_text(encoding="utf-8")
    for meta_path in sorted(bundle.glob("pagefind.*.pf_meta")):
        meta = read_pagefind_file(meta_path)
        filters = meta[3]  # [version, pages, index chunks, filters, sorts, meta fields]
        meta[3] = sorted(([name, renamed.get(h, h)] for name, h in filters), key=lambda f: f[0])
        packed = _packed(meta)
        old_hash = meta_path.name[len("pagefind."):-len(".pf_meta")]
        language, digits = old_hash.rsplit("_", 1)
        new_hash = _content_name(language, packed, len(digits))
        meta_path.unlink()
        (bundle / f"pagefind.{new_hash}.pf_meta").write_bytes(packed)
        entry = entry.replace(f'"{old_hash}"', f'"{new_hash}"')
    entry_file.write_text(entry, encoding="utf-8")
