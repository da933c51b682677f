"""Installs the form editor (Decap CMS, decap-server, js-yaml; pinned in generator/cms/npm/) into
`<project>/.decap/`, only when missing or when the pinned versions changed.

The lock file is package data of the generator, so an office repository made by `bulletin init`
(which gets the publisher as an installed package) installs exactly the same versions into its own
writable folder; nothing is ever written into site-packages and nothing is committed (`.decap/` is
git-ignored). Run by `make setup`: `python -m generator.cms.install [--if-editing] [project folder]`;
`--if-editing` (an office's `make setup`, so that its CI builds the public /admin/) installs only
when content/site.yml has an `editing:` block (`make edit` installs always). Node and npm come from
Debian (generator/system) when the machine has none.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

PINNED = Path(__file__).parent / "npm"
FOLDER = ".decap"
LOCK = "package-lock.json"


def folder(root: Path) -> Path:
    return root / FOLDER


def bundle_dir(root: Path) -> Path:
    """Decap's prebuilt bundle (decap-cms.js and the chunks it loads lazily)."""
    return folder(root) / "node_modules" / "decap-cms" / "dist"


def server_script(root: Path) -> Path:
    return folder(root) / "node_modules" / "decap-server" / "dist" / "index.js"


def yaml_script(root: Path) -> Path:
    return folder(root) / "node_modules" / "js-yaml" / "dist" / "js-yaml.min.js"


def installed(root: Path) -> bool:
    """Everything present, from the lock file pinned now (a changed pin installs again)."""
    lock = folder(root) / LOCK
    return (lock.is_file() and lock.read_bytes() == (PINNED / LOCK).read_bytes()
            and (bundle_dir(root) / "decap-cms.js").is_file() and server_script(root).is_file()
            and yaml_script(root).is_file())


def ensure_installed(root: Path, quiet: bool = False) -> bool:
    """Install when missing; True when it is (or already was) installed."""
    if installed(root):
        return True
    if shutil.which("npm") is None or shutil.which("node") is None:
        subprocess.run([sys.executable, "-m", "generator.system", "setup", "node:nodejs", "npm:npm"])  # Debian's
    npm = shutil.which("npm")
    if npm is None:
        print("setup: 找不到 npm，无法安装网页表单编辑器（Debian：apt-get install npm）", file=sys.stderr)
        return False
    target = folder(root)
    target.mkdir(exist_ok=True)
    for name in ("package.json", LOCK):
        shutil.copyfile(PINNED / name, target / name)
    if not quiet:
        print("setup: installing the form editor (Decap CMS, decap-server; npm, pinned; a few minutes, once)")
    done = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=target,
                          stdout=subprocess.DEVNULL)
    if done.returncode != 0:
        (target / LOCK).unlink(missing_ok=True)  # so that the next setup tries again
        return False
    return installed(root)


def wants_editing(root: Path) -> bool:
    """content/site.yml has an `editing:` block (a line of its own, not commented out); read as
    text, so that setup works whatever else the content says."""
    site = root / "content" / "site.yml"
    return site.is_file() and re.search(r"^editing:", site.read_text(encoding="utf-8", errors="replace"), re.M) is not None


def main(argv: list[str]) -> int:
    only_editing = "--if-editing" in argv
    args = [a for a in argv if a != "--if-editing"]
    project = Path(args[0] if args else ".").resolve()
    if only_editing and not wants_editing(project):
        return 0
    return 0 if ensure_installed(project) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
