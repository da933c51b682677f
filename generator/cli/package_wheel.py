"""The running publisher as a wheel file, for an office repository's vendor/ folder.

Why a wheel made here instead of one from a build tool: `bulletin init` and `bulletin upgrade` run
from any installation (an editable checkout of this repository, or an office's own .venv that was
itself installed from such a wheel), with no source tree and no network. The wheel is packed from
the installed package's own files and metadata, byte for byte the same for the same code: entries
sorted, fixed timestamps, and a version whose local label is a hash of everything inside
(`0.1.0+g1a2b3c4d5e6f`), so pip installs a changed publisher on the next `make site` and an
unchanged one leaves vendor/ untouched in Git.
"""
from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import re
import zipfile
from pathlib import Path

import generator
from generator.problems import UsageError

DISTRIBUTION = "zkjb-publisher"
WHEEL_STEM = "zkjb_publisher"  # the distribution name as wheel file names spell it
TAG = "py3-none-any"
VERSION_LINE = re.compile(r"(?m)^Version: .*\n")
EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


def package_files() -> list[tuple[str, bytes]]:
    """(archive path, bytes) of every file of the installed `generator` package, sorted."""
    root = Path(generator.__file__).parent
    files = [p for p in root.rglob("*")
             if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")]
    return sorted((f"generator/{p.relative_to(root).as_posix()}", p.read_bytes()) for p in files)


def _metadata() -> tuple[str, str, str]:
    """The distribution's METADATA, its version without a local label, and its entry points."""
    # An installed .dist-info first: a source checkout on sys.path may also hold an .egg-info.
    found = sorted(importlib.metadata.distributions(name=DISTRIBUTION), key=lambda d: d.read_text("METADATA") is None)
    if not found:
        raise UsageError("发布工具没有作为软件包安装（找不到 zkjb-publisher 的安装信息）：请在发布工具的环境里运行 "
                         "bulletin（make setup 之后的 .venv/bin/bulletin）")
    dist = found[0]
    meta = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    entry_points = dist.read_text("entry_points.txt") or ""
    base = dist.version.split("+")[0]
    return meta, base, entry_points


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def wheel_name(version: str) -> str:
    return f"{WHEEL_STEM}-{version}-{TAG}.whl"


def write_wheel(folder: Path) -> Path:
    """Writes the running publisher as a wheel into folder; returns its path."""
    files = package_files()
    meta, base, entry_points = _metadata()
    content = hashlib.sha256()
    unversioned = VERSION_LINE.sub("", meta)
    for name, data in [*files, ("METADATA", unversioned.encode()), ("entry_points", entry_points.encode())]:
        content.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    version = f"{base}+g{content.hexdigest()[:12]}"
    info = f"{WHEEL_STEM}-{version}.dist-info"
    meta = VERSION_LINE.sub(f"Version: {version}\n", meta, count=1)
    entries = [*files,
               (f"{info}/METADATA", meta.encode()),
               (f"{info}/WHEEL", f"Wheel-Version: 1.0\nGenerator: {DISTRIBUTION}\nRoot-Is-Purelib: true\nTag: {TAG}\n"
                .encode()),
               (f"{info}/entry_points.txt", entry_points.encode()),
               (f"{info}/top_level.txt", b"generator\n")]
    record = "\n".join([*(_record_line(n, d) for n, d in entries), f"{info}/RECORD,,"]) + "\n"
    entries.append((f"{info}/RECORD", record.encode()))
    path = folder / wheel_name(version)
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in entries:
            entry = zipfile.ZipInfo(name, EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = (0o755 if name.endswith(".sh") else 0o644) << 16
            wheel.writestr(entry, data)
    return path
