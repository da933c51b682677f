"""`bulletin init` makes an office's complete repository (issue 18): a first commit, a Makefile whose
`make test` (check + strict build) and `make site` work from a clean clone with only the system's
tools on PATH, CI for GitHub, GitLab and Gitea/Forgejo that the hosts' published schemas accept,
a Chinese README, the editors' guides, the publisher in vendor/, and `bulletin upgrade`."""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from generator.cli import main, parser
from generator.cli.office_repo import GUIDES
from generator.cli.package_wheel import write_wheel

OFFICE = ["--office", "江苏省医疗质量控制中心管理办公室", "--bulletin", "江苏医疗质控工作简报",
          "--commission", "江苏省卫生健康委员会办公室", "--region", "江苏省", "--numbering", "number",
          "--doc-prefix", "苏卫办医政"]


def _init_help() -> str:
    commands = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return commands.choices["init"].format_help()


# The example names --total-number 27 (the series prints 总第N期); given once init has it.
TOTAL = ["--total-number", "27"] if "--total-number" in _init_help() else []
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
CI_FILES = (".github/workflows/site.yml", ".gitlab-ci.yml", ".gitea/workflows/site.yml", ".forgejo/workflows/site.yml")
needs_tools = pytest.mark.skipif(not all(shutil.which(t, path=SYSTEM_PATH) for t in ("git", "make", "python3")),
                                 reason="needs git, make and python3 among the system's tools")


def git(root: Path, *argv: str) -> str:
    return subprocess.run(["git", *argv], cwd=root, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("office") / "js"
    assert main(["init", str(root), *OFFICE, *TOTAL]) == 0
    return root


def test_init_makes_a_repository_with_one_commit_of_everything(office):
    assert git(office, "log", "--format=%s").splitlines() == ["新建简报网站（bulletin init）"]
    assert git(office, "status", "--porcelain") == ""
    tracked = set(git(office, "ls-files").splitlines())
    for rel in ("Makefile", ".gitignore", "README.md", "mkdocs.yml", "content/site.yml", *CI_FILES):
        assert rel in tracked, rel
    assert [p for p in tracked if re.fullmatch(r"vendor/zkjb_publisher-[^-]+-py3-none-any\.whl", p)]
    targets = re.findall(r"(?m)^([a-z]+):", (office / "Makefile").read_text(encoding="utf-8"))
    assert {"site", "test", "check", "serve", "view", "edit"} <= set(targets)
    ignored = (office / ".gitignore").read_text(encoding="utf-8")
    for folder in ("/site/", "/build/", "/.venv/", "node_modules/", "/public/"):
        assert folder in ignored


def test_the_first_commit_needs_no_configured_author(tmp_path, monkeypatch, capsys):
    # A bare CI machine: no global or system Git configuration, no author in the environment.
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)
    assert main(["init", str(tmp_path / "bare"), *OFFICE]) == 0
    assert "注意" not in capsys.readouterr().out
    assert git(tmp_path / "bare", "log", "--format=%an|%s") == "江苏省医疗质量控制中心管理办公室|新建简报网站（bulletin init）\n"
    # Only that commit: later ones are each editor's own, so no author is stored in the repository.
    assert subprocess.run(["git", "config", "--local", "user.name"], cwd=tmp_path / "bare").returncode != 0


def test_readme_is_chinese_and_says_how_to_write_check_preview_publish(office):
    text = (office / "README.md").read_text(encoding="utf-8")
    assert text.startswith("# 江苏医疗质控工作简报\n")
    assert "make site" in text.split("\n## ", 2)[1] and "make test" in text.split("\n## ", 2)[1]  # first section
    for heading in ("## 怎么写", "## 预览、检查", "## 发布", "### GitHub", "### GitLab", "### Gitea 或 Forgejo",
                    "### 本单位自己的服务器", "## 发布工具", "## 遇到问题"):
        assert heading in text, heading
    for secret in ("DEPLOY_HOST", "DEPLOY_PATH", "DEPLOY_KEY", "DEPLOY_KNOWN_HOSTS"):
        assert f"`{secret}`" in text
    assert "流水线计划" in text and "30 8 * * *" in text  # GitLab's daily schedule, set by hand
    assert "docs/editor-guide.md" in text and "docs/online-editing.md" in text
    wheel = next((office / "vendor").glob("*.whl")).name
    assert f"vendor/{wheel}" in text and "bulletin upgrade" in text
    assert "{{" not in text and "【" not in text
    chinese = len(re.findall(r"[\u4e00-\u9fff]", text))
    assert chinese > 1500


def test_guides_travel_unchanged(office):
    for name in GUIDES:
        source = REPO / "docs" / name
        if source.is_file():  # each guide is written by its own change; once it exists it ships
            assert (office / "docs" / name).read_bytes() == source.read_bytes()


def _validate(schema: str, *files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
                          capture_output=True, text=True)


def test_ci_files_validate_against_the_hosts_schemas(office, tmp_path):
    actions = [office / rel for rel in CI_FILES if rel != ".gitlab-ci.yml"]
    done = _validate("vendor.github-workflows", *actions)  # Gitea and Forgejo Actions follow it too
    assert done.returncode == 0, done.stdout + done.stderr
    done = _validate("vendor.github-workflows", REPO / ".github/workflows/site.yml")  # this repository's own
    assert done.returncode == 0, done.stdout + done.stderr
    done = _validate("vendor.gitlab-ci", office / ".gitlab-ci.yml")
    assert done.returncode == 0, done.stdout + done.stderr
    # The validation can fail: a job without steps, a stage GitLab does not know.
    broken = yaml.safe_load((office / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    del broken["jobs"]["site"]["steps"]
    (tmp_path / "gh.yml").write_text(yaml.safe_dump(broken), encoding="utf-8")
    assert _validate("vendor.github-workflows", tmp_path / "gh.yml").returncode != 0
    broken = yaml.safe_load((office / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    broken["test"]["when"] = "sometimes"
    (tmp_path / "gl.yml").write_text(yaml.safe_dump(broken), encoding="utf-8")
    assert _validate("vendor.gitlab-ci", tmp_path / "gl.yml").returncode != 0


def test_ci_runs_make_test_on_every_push_daily_and_deploys_main(office):
    for rel in (".github/workflows/site.yml", ".gitea/workflows/site.yml", ".forgejo/workflows/site.yml"):
        flow = yaml.safe_load((office / rel).read_text(encoding="utf-8"))
        triggers = flow[True]  # YAML 1.1 reads the key `on` as true
        assert {"push", "pull_request", "schedule"} <= set(triggers), rel
        steps = flow["jobs"]["site"]["steps"]
        runs = [s.get("run", "") for s in steps]
        test = next(i for i, r in enumerate(runs) if r.strip() == "make test")
        deploy = next(i for i, r in enumerate(runs) if r.strip() == "make deploy")
        assert test < deploy and "refs/heads/main" in steps[deploy]["if"] and "DEPLOY_HOST" in steps[deploy]["if"]
        assert flow["jobs"]["site"]["env"]["DEPLOY_KEY"] == "${{ secrets.DEPLOY_KEY }}"
    pages = yaml.safe_load((office / ".github/workflows/site.yml").read_text(encoding="utf-8"))["jobs"]["pages"]
    assert pages["needs"] == "site" and "refs/heads/main" in pages["if"]
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in pages["steps"])
    lab = yaml.safe_load((office / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert lab["test"]["script"] == ["make test"]
    assert lab["pages"]["artifacts"]["paths"] == ["public/"] and "mv site public" in lab["pages"]["script"][0]
    assert "CI_DEFAULT_BRANCH" in lab["pages"]["rules"][0]["if"]
    assert lab["server"]["script"] == ["make deploy"] and "$DEPLOY_HOST" in lab["server"]["rules"][0]["if"]


def test_the_wheel_is_the_running_publisher_and_the_same_for_the_same_code(office, tmp_path):
    vendored = next((office / "vendor").glob("*.whl"))
    again = write_wheel(tmp_path)
    assert again.name == vendored.name and again.read_bytes() == vendored.read_bytes()
    names = zipfile.ZipFile(vendored).namelist()
    for inside in ("generator/cli/__init__.py", "generator/system/setup-system.sh", "generator/system/compact_fonts.py",
                   "generator/cli/templates/office/Makefile", "generator/site/theme/main.html"):
        assert inside in names, inside
    assert not [n for n in names if "__pycache__" in n]


def test_upgrade_restores_the_tool_files_and_leaves_content_alone(office, capsys):
    makefile = (office / "Makefile").read_text(encoding="utf-8")
    site = (office / "content/site.yml").read_text(encoding="utf-8")
    assert main(["--root", str(office), "upgrade"]) == 0
    assert "没有改动" in capsys.readouterr().out
    (office / "Makefile").write_text("broken\n", encoding="utf-8")
    (office / "content/site.yml").write_text(site + "# 编辑写的\n", encoding="utf-8")
    try:
        assert main(["--root", str(office), "upgrade"]) == 0
        assert "Makefile" in capsys.readouterr().out
        assert (office / "Makefile").read_text(encoding="utf-8") == makefile
        assert (office / "content/site.yml").read_text(encoding="utf-8").endswith("# 编辑写的\n")
    finally:
        git(office, "checkout", "--", ".")


def test_upgrade_refuses_a_folder_that_is_no_office_repository(tmp_path, capsys):
    (tmp_path / "content").mkdir()
    assert main(["--root", str(tmp_path), "upgrade"]) == 2
    assert "不是由 bulletin init 建立的网站仓库" in capsys.readouterr().err


@needs_tools
def test_make_test_and_make_site_pass_in_a_clean_clone_with_only_system_tools(office, tmp_path):
    """The office's two commands from a clean clone: a new virtualenv from the system's python3,
    the publisher from vendor/, its dependencies from the package registry (pip's cache)."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(office), str(clone)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = SYSTEM_PATH
    env["PIP_NO_COMPILE"] = "1"  # the suite's CPU: modules compile when first imported instead
    out = {}
    for target in ("test", "site", "check"):
        done = subprocess.run(["make", target], cwd=clone, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"make {target}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        out[target] = done.stdout
    assert "检查通过" in out["test"] and "已生成网站" in out["test"] and "已生成网站" in out["site"]
    home = (clone / "site/index.html").read_text(encoding="utf-8")
    assert "江苏医疗质控工作简报" in home
    venv_python = (clone / ".venv/bin/python").resolve()
    assert not str(venv_python).startswith(str(Path(sys.prefix).resolve()))
    assert git(clone, "status", "--porcelain") == ""  # site/, build/, .venv/ are ignored
    # `bulletin upgrade WHEEL` with the office's own publisher: pip installs the file, then the
    # installed code packs itself again: the same wheel, byte for byte, so nothing changes.
    wheel = write_wheel(tmp_path / "received")
    done = subprocess.run([str(clone / ".venv/bin/bulletin"), "upgrade", str(wheel)], cwd=clone, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0 and "没有改动" in done.stdout, done.stdout + done.stderr
    assert git(clone, "status", "--porcelain") == ""
