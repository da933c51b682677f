"""Thin MkDocs glue: the generator owns the content; MkDocs only lays pages into the theme.

`bulletin build` generates pages before MkDocs starts. Under `mkdocs serve` (what `bulletin serve`
runs) every rebuild regenerates first, in preview mode, so an edit to content/ or bulletins/
shows up on reload, unpublished drafts included with a visible banner.
"""
from __future__ import annotations

import json
from pathlib import Path

from mkdocs.exceptions import Abort

from generator.markup import theme_text

_command = "build"


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_config(config):
    from generator.pipeline import output_paths

    root = Path(config.config_file_path).parent
    preview = _command == "serve"
    if preview:
        from generator.errors import ContentError
        from generator.pipeline import generate

        try:
            generate(root, preview=True)
        except ContentError as exc:
            raise Abort("\n" + exc.report())
    docs, nav_file = output_paths(root, preview)
    config.docs_dir = str(docs)  # the preview's own pages (build/preview/docs), never the public ones
    if not nav_file.exists():
        raise Abort("build/nav.json 不存在：请用 `bulletin build` 或 `make site` 构建，而不是直接运行 mkdocs。")
    data = json.loads(nav_file.read_text(encoding="utf-8"))
    config.nav = _theme_safe_nav(data["nav"])
    config.site_name = theme_text(data["site_name"])
    if data.get("site_url"):  # public address: canonical links and a filled sitemap.xml
        config.site_url = data["site_url"].rstrip("/") + "/"
    if data.get("copyright"):
        config.copyright = theme_text(data["copyright"])
    return config


def on_env(env, config, files):
    """The theme's compiled templates are kept between builds (a preview rebuild recompiled
    Material's main.html every time: ~0.2 s)."""
    from generator.render import template_cache

    env.bytecode_cache = env.bytecode_cache or template_cache()
    return env


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Titles and descriptions come from editors; Material prints some of them unescaped
    (<title>, the header, <meta content>), so they are made inert before the theme sees them."""
    for key in ("title", "description"):
        if isinstance(page.meta.get(key), str):
            page.meta[key] = theme_text(page.meta[key])
    return markdown


def _theme_safe_nav(items):
    if isinstance(items, list):
        return [_theme_safe_nav(item) for item in items]
    if isinstance(items, dict):
        return {theme_text(str(title)): _theme_safe_nav(value) for title, value in items.items()}
    return items  # a page path, written by the generator
