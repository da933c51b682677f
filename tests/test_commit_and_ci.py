"""The safety nets around a commit: the pre-commit hook runs `bulletin check` on content changes,
and the CI workflow tests, builds strictly and deploys main to GitHub Pages."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, copy_project

STORY = "content/stories/hubei-bulletin/2024-q3/pediatrics.md"


def test_workflow_tests_checks_content_builds_strictly_and_deploys_main():
    flow = yaml.safe_load((REPO / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    triggers = flow[True]  # YAML 1.1 reads the key `on` as true
    assert {"push", "pull_request"} <= set(triggers)
    jobs = flow["jobs"]
    commands = {name: [step.get("run", "") for step in job["steps"]] for name, job in jobs.items()}
    # The tool's suite runs on fixtures, in a job of its own: content cannot break it.
    assert any("make test" in c for c in commands["tool"])
    assert not any("make check" in c or "make site" in c or "bulletin" in c for c in commands["tool"])
    # The office's content is checked, then built strictly, by the job that uploads the site.
    checks = [i for i, c in enumerate(commands["content"]) if "make check" in c or "bulletin check" in c]
    builds = [i for i, c in enumerate(commands["content"]) if "make site" in c]
    assert checks and builds and checks[0] < builds[0]
    assert yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").split("\ntheme:")[0])["strict"] is True
    upload = next(s for s in jobs["content"]["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site" and "refs/heads/main" in upload["if"]
    deploy = jobs["deploy"]
    assert sorted(deploy["needs"]) == ["content", "tool"] and "refs/heads/main" in deploy["if"]
    assert "pull_request" in deploy["if"]  # never from a pull request
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in deploy["steps"])
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_precommit_hook_is_local_and_watches_content():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = config["repos"][0]["hooks"][0]
    assert config["repos"][0]["repo"] == "local"
    assert "bulletin check" in hook["entry"] and hook["pass_filenames"] is False
    assert hook["language"] in ("system", "python")
    import re

    assert re.search(hook["files"], "content/stories/x/2024-q1/a.md")
    assert re.search(hook["files"], "bulletins/x/2024-q1.yml")
    assert not re.search(hook["files"], "generator/cli.py")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_precommit_stops_a_commit_with_broken_content(tmp_path):
    root = copy_project(tmp_path / "project")
    shutil.copy(REPO / ".pre-commit-config.yaml", root)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}

    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True)

    def hook(*files: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--files", *files],
                              cwd=root, env=env, capture_output=True, text=True)

    assert git("init", "-q").returncode == 0
    git("add", ".")
    ok = hook(STORY)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    path = root / STORY
    path.write_text(path.read_text(encoding="utf-8").replace("center: hb-pediatrics", "center: hb-pediatric"),
                    encoding="utf-8")
    git("add", STORY)
    bad = hook(STORY)
    assert bad.returncode != 0
    assert f"{STORY}:3: 错误：未知的质控中心“hb-pediatric”" in bad.stdout
    unrelated = hook("mkdocs.yml")  # no content file in the commit: the check is not run
    assert unrelated.returncode == 0 and "Skipped" in unrelated.stdout
