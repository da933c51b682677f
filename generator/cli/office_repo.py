"""An office's own repository around the site files `bulletin init` writes, and `bulletin upgrade`.

What an office pushes to its Git host as is: the Makefile (`make site`, `make test` = check + strict
build, check, serve, view, edit, deploy), CI for GitHub Actions, GitLab CI and Gitea/Forgejo Actions
(templates/office/), a Chinese README, the editors' guides (docs/, the same files as this
repository's docs/: templates/office/docs/ links to them, so the package carries them unchanged),
the publisher itself as a wheel in vendor/ (package_wheel.py: a fresh machine needs only the
package registries), and a first Git commit.

`bulletin upgrade` brings the tool files (TOOL_FILES: Makefile, CI, guides, vendor/) in step with
the running publisher; content, bulletins, .gitignore and the README stay the office's.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator.cli.package_wheel import WHEEL_STEM, write_wheel
from generator.problems import EXIT_CODES_HELP, UsageError
from generator.render.markup import theme_text

TEMPLATES = Path(__file__).parent / "templates" / "office"
GUIDES = ("editor-guide.md", "online-editing.md")  # docs/ of this repository, shipped as they are
# Gitea reads .gitea/workflows, Forgejo .forgejo/workflows (each falls back to .github/workflows,
# whose GitHub Pages steps they cannot run); one template, the runner label their defaults use.
ACTIONS_WORKFLOWS = {".gitea/workflows/site.yml": "ubuntu-latest", ".forgejo/workflows/site.yml": "docker"}
VENDOR = "vendor"
FIRST_COMMIT = "新建简报网站（bulletin init）"


def tool_files() -> dict[str, str]:
    """Relative path → text of every file `bulletin upgrade` keeps in step with the publisher."""
    def read(name: str) -> str:
        return (TEMPLATES / name).read_text(encoding="utf-8")

    files = {"Makefile": read("Makefile"),
             ".github/workflows/site.yml": read("github-workflow.yml"),
             ".gitlab-ci.yml": read("gitlab-ci.yml")}
    for rel, label in ACTIONS_WORKFLOWS.items():
        files[rel] = read("actions-workflow.yml").replace("RUNS_ON", label)
    for name in GUIDES:
        if (TEMPLATES / "docs" / name).is_file():  # a guide not written yet is simply not shipped
            files[f"docs/{name}"] = read(f"docs/{name}")
    return files


def readme(values: dict, args, issue_key: str, wheel: str) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, keep_trailing_newline=True)
    names = {key: theme_text(value) for key, value in values.items()}  # inert where a host renders Markdown
    return env.get_template("README.md.j2").render(**names, bulletin_id=args.bulletin_id, notices_id=args.notices_id,
                                                   issue_key=issue_key, wheel=wheel)


def write_files(root: Path, files: dict[str, str]) -> list[str]:
    """Writes the files that differ; returns their paths."""
    changed = []
    for rel, text in files.items():
        path = root / rel
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        changed.append(rel)
    return changed


def vendor_wheel(root: Path) -> tuple[str, bool]:
    """The running publisher into vendor/ (older wheels removed); its file name, and whether it changed."""
    folder = root / VENDOR
    before = {p.name: p.read_bytes() for p in folder.glob(f"{WHEEL_STEM}-*.whl")}
    staging = root / ".vendor.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        made = write_wheel(staging)
        folder.mkdir(exist_ok=True)
        for name in before:
            if name != made.name:
                (folder / name).unlink()
        os.replace(made, folder / made.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return made.name, before.get(made.name) != (folder / made.name).read_bytes()


def write_office_repo(root: Path, values: dict, args, issue_key: str) -> str | None:
    """Everything around the site files, then the first commit. Returns a warning, if any."""
    wheel, _ = vendor_wheel(root)
    write_files(root, {**tool_files(), "README.md": readme(values, args, issue_key, wheel),
                       ".gitignore": (TEMPLATES / "gitignore").read_text(encoding="utf-8")})
    return first_commit(root, values["office"])


def _git(root: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *argv], cwd=root, capture_output=True, text=True)


def first_commit(root: Path, office: str) -> str | None:
    """`git init` and a first commit of everything; a warning instead when Git is missing or fails."""
    if shutil.which("git") is None:
        return "没有找到 git：文件都已写好；装上 git 后在这个文件夹里运行 git init、git add -A、git commit"
    steps = [("init", "-q"), ("symbolic-ref", "HEAD", "refs/heads/main"), ("add", "-A")]
    # A machine where Git knows no author (a bare CI runner) still gets its commit, by the office;
    # later commits are each editor's own (README: git config --global user.name …).
    identity = []
    for key, fallback in (("user.name", office), ("user.email", "bulletin@localhost")):
        if not _git(root, "config", key).stdout.strip():
            identity += ["-c", f"{key}={fallback}"]
    commit = (*identity, "-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", FIRST_COMMIT)
    for argv in [*steps, commit]:
        done = _git(root, *argv)
        if done.returncode != 0:
            step = "commit" if "commit" in argv else argv[0]
            return f"git {step} 没有成功（{done.stderr.strip()[:200]}）：文件都已写好，可以手动提交"
    return None


def cmd_upgrade(args) -> int:
    root: Path = args.root
    if not (root / "Makefile").is_file() or not (root / VENDOR).is_dir():
        raise UsageError(f"{root} 不是由 bulletin init 建立的网站仓库（没有 Makefile 或 vendor/）：请在本单位网站的文件夹里运行")
    if args.wheel:
        return _upgrade_from(root, args.wheel)
    wheel, new_wheel = vendor_wheel(root)
    changed = write_files(root, tool_files()) + ([f"{VENDOR}/{wheel}"] if new_wheel else [])
    if not changed:
        print(f"已是这个版本的发布工具（{VENDOR}/{wheel}），没有改动。")
        return 0
    print("已更新：\n" + "".join(f"  {rel}\n" for rel in changed)
          + "下一步：make test（用新版本检查、构建一遍），然后 git add -A、git commit、git push。")
    return 0


def _upgrade_from(root: Path, wheel: Path) -> int:
    """A wheel file received from elsewhere: install it into this Python, then let its own code upgrade."""
    wheel = wheel.resolve()
    if not wheel.is_file() or not re.fullmatch(rf"{WHEEL_STEM}-[^-]+-py3-none-any\.whl", wheel.name):
        raise UsageError(f"{wheel} 不是发布工具的安装文件（应为 {WHEEL_STEM}-版本-py3-none-any.whl）")
    install = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)])
    if install.returncode != 0:
        raise UsageError(f"pip 没能安装 {wheel.name}（见上面的输出）")
    return subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "upgrade"]).returncode


def add_upgrade_command(sub) -> None:
    u = sub.add_parser("upgrade", help="把本单位网站仓库里的发布工具（vendor/）、Makefile、CI 文件和指南更新到当前版本",
                       description="把正在运行的发布工具放进 vendor/（替换旧版本），并更新 Makefile、CI 文件和 docs/ 里的指南；"
                                   "不改动 content/、bulletins/、.gitignore 和 README.md。给出 .whl 文件时先安装它，再用它更新。",
                       epilog="例：.venv/bin/bulletin upgrade ~/下载/zkjb_publisher-0.2.0-py3-none-any.whl\n" + EXIT_CODES_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    u.add_argument("wheel", type=Path, nargs="?", default=None, help="新版本发布工具的 .whl 文件（可选）")
    u.set_defaults(func=cmd_upgrade)
