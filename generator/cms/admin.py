"""The admin page (/admin/): Decap's bundle, our formats and preview, and the generated config.

The same files serve the preview (`bulletin serve --edit`, config pointing at the local
decap-server) and the public site (only when site.yml has `editing:`, config pointing at the
office's Git host). Every file is local: the bundle comes from .decap/ (generator/cms/install.py).
"""
from __future__ import annotations

import json
from pathlib import Path

from generator.cms.config import cms_config, pair_fields
from generator.cms.install import bundle_dir, installed, yaml_script
from generator.load.center_names import search_terms
from generator.load.content import Content
from generator.load.images import EXTENSIONS
from generator.problems import UsageError

HERE = Path(__file__).parent / "admin"
INDEX = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>内容编辑</title>
<script>window.CMS_MANUAL_INIT = true;</script>
<script src="decap-cms.js"></script>
<script src="js-yaml.min.js"></script>
<script src="zk-formats.js"></script>
<script src="zk-cms.js"></script>
</head>
<body></body>
</html>
"""


def config_json(content: Content, local_backend: str | None = None) -> bytes:
    cfg = cms_config(content, local_backend)
    cfg["zk_centers"] = {c.id: c.name for c in content.centers}  # the preview's bylines
    cfg["zk_center_terms"] = {c.id: search_terms(c) for c in content.centers}  # the picker's (zk-formats.js)
    cfg["zk_pairs"] = pair_fields()  # mappings edited as lists of pairs (zk-formats.js)
    cfg["zk_image_extensions"] = sorted(EXTENSIONS)  # what an upload may be (zk-cms.js): the image check's
    return json.dumps(cfg, ensure_ascii=False, indent=1).encode()


def static_files(root: Path) -> dict[str, Path]:
    """name → file of everything /admin/ serves besides index.html and config.json."""
    bundle = bundle_dir(root)
    files = {p.name: p for p in sorted(bundle.glob("*decap-cms.js"))}
    files.update({p.name: p for p in sorted(bundle.glob("*.wasm"))})
    files["js-yaml.min.js"] = yaml_script(root)
    for name in ("zk-formats.js", "zk-cms.js"):
        files[name] = HERE / name
    return files


def admin_files(root: Path, content: Content, local_backend: str | None = None) -> dict[str, bytes | Path]:
    return {"index.html": INDEX.encode(), "config.json": config_json(content, local_backend), **static_files(root)}


def public_admin_files(root: Path, content: Content) -> dict[str, bytes | Path]:
    """/admin/ of the public site (site.yml `editing:`), committing to the office's Git host."""
    if not installed(root):
        raise UsageError("content/site.yml 写了 editing:（网页表单编辑），但还没有安装表单编辑器：先运行 make setup")
    return admin_files(root, content)
