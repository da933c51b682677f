"""No helper process outlives the command that started it (generator/tied.py), however that
command ends: SIGKILL, SIGTERM, an exception, a normal exit. Every process of a run is found by a
marker in its environment (inherited by children and grandchildren alike), so a survivor is found
even after it was re-parented away from the killed process."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from benchmarks.project import REPO, copy_project

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and PR_SET_PDEATHSIG")


def marked(marker: str) -> dict[int, list[str]]:
    """pid → command line of every process whose environment carries `marker`."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                found[int(entry.name)] = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:  # gone meanwhile, or not ours
            continue
    return found


def survivors(marker: str, within: float = 10.0) -> dict[int, list[str]]:
    """The marked processes still alive after `within` seconds (zombies count as gone)."""
    deadline = time.monotonic() + within
    while True:
        alive = {pid: cmd for pid, cmd in marked(marker).items() if not zombie(pid)}
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def start_marked(argv: list[str], marker: str, **kwargs) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO), ZK_TIED_TEST=marker)
    return subprocess.Popen(argv, env=env, start_new_session=True, **kwargs)


def clean_up(marker: str) -> None:
    for pid in marked(marker):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


# A command with a child and a grandchild (sh runs sleep in the background, then waits on another).
PARENT = """
import os, signal, sys
from generator.tied import TiedProcess
child = TiedProcess(["sh", "-c", "sleep 120 & sleep 120"])
print(child.pid, flush=True)
sys.stdin.readline()
how = sys.argv[1]
if how == "exit":
    sys.exit(0)
if how == "raise":
    raise SystemExit("failed")
os.kill(os.getpid(), getattr(signal, how))
"""


@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM", "SIGINT", "exit", "raise"])
def test_a_tied_child_and_grandchild_die_with_their_parent(how):
    marker = f"tied-{uuid.uuid4().hex}"
    parent = start_marked([sys.executable, "-c", PARENT, how], marker, stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True)
    try:
        parent.stdout.readline()
        deadline = time.monotonic() + 10
        while sum("sleep" in cmd[0] for cmd in marked(marker).values()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        running = marked(marker)
        assert sum(cmd[0] == "sleep" for cmd in running.values()) == 2, running  # child sh's two sleeps
        parent.stdin.write("go\n")
        parent.stdin.flush()
        parent.wait(timeout=30)
        assert survivors(marker) == {}
    finally:
        clean_up(marker)


def test_run_tied_behaves_like_subprocess_run():
    from generator.tied import run_tied

    result = run_tied(["sh", "-c", "echo 输出; echo 错误 >&2; exit 3"], capture_output=True, text=True)
    assert (result.returncode, result.stdout, result.stderr) == (3, "输出\n", "错误\n")
    assert result.args[0] == "sh"
    with pytest.raises(FileNotFoundError):
        run_tied(["no-such-program-here"])
    marker = f"tied-{uuid.uuid4().hex}"
    with pytest.raises(subprocess.TimeoutExpired):
        run_tied(["sh", "-c", "sleep 120 & sleep 120"], timeout=0.5, env=dict(os.environ, ZK_TIED_TEST=marker))
    assert survivors(marker) == {}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("tied") / "project")


def is_pagefind(cmd: list[str]) -> bool:
    return Path(cmd[0]).name.startswith("pagefind")


def is_zensical(cmd: list[str]) -> bool:
    return "tied_keeper.py" not in " ".join(cmd) and any(Path(part).name == "zensical" for part in cmd[:2])


@pytest.mark.parametrize("engine, helper", [("mkdocs", is_pagefind), ("zensical", is_zensical)])
def test_a_killed_build_leaves_no_helper_running(project, engine, helper):
    """A real build, SIGKILLed while Pagefind (or the Zensical engine) runs: the helper is frozen
    (SIGSTOP) the moment it appears, so the build cannot finish first, then the build is killed."""
    marker = f"tied-{uuid.uuid4().hex}"
    build = start_marked([sys.executable, "-m", "generator", "--root", str(project), "build", "--no-pdf",
                          "--engine", engine], marker, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        frozen = None
        deadline = time.monotonic() + 300
        while frozen is None and build.poll() is None and time.monotonic() < deadline:
            frozen = next((pid for pid, cmd in marked(marker).items() if helper(cmd)), None)
            time.sleep(0.02)
        assert frozen, f"the helper never ran: {build.stderr.read() if build.poll() is not None else ''}"
        os.kill(frozen, signal.SIGSTOP)
        assert build.poll() is None
        build.kill()
        build.wait(timeout=30)
        assert survivors(marker) == {}
    finally:
        clean_up(marker)
