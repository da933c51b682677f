"""Installs the form editor (Decap CMS, decap-server, js-yaml; pinned in generator/cms/npm/) into
`<project>/.decap/`, only when missing or when the pinned versions changed.

The lock file is package data of the generator, so an office repository made by `bulletin init`
(which gets the publisher as an installed package) installs exactly the same versions into its own
writable folder; nothing is ever written into site-packages and nothing is committed (`.decap/` is
git-ignored). Run by `make setup`: `python -m generator.cms.install [project folder]`.
"""
from __future__ import annotations

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


if __name__ == "__main__":
    project = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    sys.exit(0 if ensure_installed(project) else 1)
