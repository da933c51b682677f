"""The one seam to the site engine: a complete engine config written for each build.

The generator owns everything the site engine needs to know (site name, navigation, where the
pages are, the theme override and its assets) and writes it into `build/…/engine.yml`, starting
from the project's own mkdocs.yml (theme options an office may tune). No hook or plugin of the
engine is written into that config, so the same config builds with MkDocs or with Zensical,
which reads mkdocs.yml-style configs (MkDocs 1.x is unmaintained; Material's maintenance ended
2026-11-05). A MkDocs build adds one plugin object in this process only, for speed
(passthrough.py: the pages are HTML already); the output is the same without it.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

import yaml

from generator.render.markup import theme_text
from generator.tied import run_tied

ENGINES = ("mkdocs", "zensical")
HERE = Path(__file__).parent
THEME = HERE / "theme"
ASSETS = HERE / "assets"
# Keys the generator decides; an office's mkdocs.yml may set everything else (theme features, palette).
OWNED = {"site_name", "site_description", "nav", "docs_dir", "site_dir", "copyright", "site_url", "hooks", "watch",
         "extra_css", "extra_javascript"}


class _ProjectLoader(yaml.SafeLoader):
    """mkdocs.yml may carry engine tags (!ENV, !relative); they are kept as their plain value."""


_ProjectLoader.add_multi_constructor("!", lambda loader, suffix, node: (
    loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)))


def project_options(root: Path) -> dict:
    """The office's engine options from mkdocs.yml, minus what the generator decides."""
    path = root / "mkdocs.yml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ProjectLoader) if path.exists() else None
    return {k: v for k, v in (data or {}).items() if k not in OWNED}


def _safe_nav(items):
    """Navigation titles come from editors; themes print them unescaped, so they are made inert."""
    if isinstance(items, list):
        return [_safe_nav(item) for item in items]
    if isinstance(items, dict):
        return {theme_text(str(title)): _safe_nav(value) for title, value in items.items()}
    return items  # a page path, written by the generator


def engine_config(root: Path, *, site_name: str, nav: list, docs: Path, site_dir: Path,
                  copyright: str | None = None, site_url: str | None = None, description: str = "") -> dict:
    config = project_options(root)
    theme = dict(config.get("theme") or {"name": "material"})
    theme["custom_dir"] = str(THEME)
    config.update({
        "site_name": theme_text(site_name),
        "nav": _safe_nav(nav),
        "docs_dir": str(docs),
        "site_dir": str(site_dir),
        "theme": theme,
        "extra_css": ["assets/zk.css"],
        "extra_javascript": ["assets/zk-search.js", "assets/zk-wechat.js"],
    })
    if description:  # the meta description of pages without their own (the 404 page)
        config["site_description"] = theme_text(description)
    if copyright:
        config["copyright"] = theme_text(copyright)
    if site_url:
        config["site_url"] = site_url
    return config


def write_engine_config(path: Path, config: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@contextmanager
def _epoch(epoch: str):
    """SOURCE_DATE_EPOCH from the content: dates stamped into the sitemap make builds identical."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def build_with_mkdocs(config_file: Path, site_dir: Path, epoch: str, passthrough: bool = True,
                      compact: bool = True) -> None:
    """MkDocs' build; the generator's HTML pages skip its Markdown pass (passthrough.py) unless
    `passthrough` is False, and are written without the theme's indentation (compact.py) unless
    `compact` is False (tests compare both ways)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.site.compact import add_compact
    from generator.site.passthrough import add_passthrough

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    with _epoch(epoch):
        config = load_config(config_file=str(config_file), site_dir=str(site_dir), strict=True)
        if passthrough:
            add_passthrough(config)
        if compact:
            add_compact(config)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()


def build_with_zensical(config_file: Path, site_dir: Path, epoch: str) -> None:
    """Zensical runs as its own process (a Rust core) and writes only inside the config's folder,
    so it builds into build/zensical-site, which then moves to `site_dir`. The process is tied
    to the build (tied.py): a killed build leaves no engine running."""
    inside = config_file.parent / "zensical-site"
    shutil.rmtree(inside, ignore_errors=True)
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    # Zensical wants both folders given relative to its config (absolute ones abort its build).
    config["docs_dir"] = os.path.relpath(config["docs_dir"], config_file.parent)
    config["site_dir"] = inside.name
    own = write_engine_config(config_file.with_name("zensical.yml"), config)
    zensical = Path(sys.executable).with_name("zensical")
    command = [str(zensical) if zensical.exists() else "zensical", "build", "--clean", "-f", str(own)]
    result = run_tied(command, cwd=own.parent, env=dict(os.environ, SOURCE_DATE_EPOCH=epoch),
                            capture_output=True, text=True)
    if result.returncode != 0 or not (inside / "index.html").exists():
        raise RuntimeError(f"zensical build failed: {(result.stderr or result.stdout)[-2000:]}")
    shutil.rmtree(site_dir, ignore_errors=True)
    shutil.move(inside, site_dir)
    from generator.site.compact import compact_folder

    compact_folder(site_dir)  # as MkDocs' pages are (compact.py)


# Material ships its own search (lunr, a web worker) and source maps; the site searches with
# Pagefind and nothing loads these, so they are not published (2.5 MB a reader never needs).
UNUSED_ASSETS = ("assets/javascripts/lunr", "assets/javascripts/workers")
_SOURCE_MAP_COMMENT = re.compile(rb"\n?(?://|/\*)# sourceMappingURL=[^\n]*?(?:\*/)?\s*$")


def prune_unused_assets(site_dir: Path) -> None:
    """Theme files nothing loads, and a sitemap without a single URL (no `url` in content/site.yml:
    the theme's sitemap.xml renders nothing, which MkDocs skips but another engine may write)."""
    sitemap = site_dir / "sitemap.xml"
    if sitemap.is_file() and b"<url>" not in sitemap.read_bytes():
        sitemap.unlink()
        (site_dir / "sitemap.xml.gz").unlink(missing_ok=True)
    for rel in UNUSED_ASSETS:
        shutil.rmtree(site_dir / rel, ignore_errors=True)
    for source_map in (site_dir / "assets").rglob("*.map"):
        source_map.unlink()
        built = source_map.with_suffix("")  # bundle.js.map → bundle.js: drop its pointer to the map
        if built.is_file():
            built.write_bytes(_SOURCE_MAP_COMMENT.sub(b"\n", built.read_bytes()))


def build_with(engine: str, config_file: Path, site_dir: Path, epoch: str) -> None:
    {"mkdocs": build_with_mkdocs, "zensical": build_with_zensical}[engine](config_file, site_dir, epoch)
    prune_unused_assets(site_dir)
