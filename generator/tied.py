"""Child processes tied to this one: none outlives it, however it ends (SIGKILL included).

`TiedProcess(argv, ...)` is a `subprocess.Popen` for the helpers a command starts (the Pagefind
binary, the Zensical engine, decap-server for `serve --edit`); `run_tied` is its
`subprocess.run`. On Linux and other POSIX systems the command runs under a small keeper
(tied_keeper.py) in a process group of its own:

- the keeper holds the read end of a pipe whose write end only this process has; when this
  process ends in any way (normal exit, exception, SIGTERM, SIGKILL) the pipe closes and the
  keeper kills the whole group: the child and every grandchild that stayed in it;
- the child also asks the kernel to die with the keeper (PR_SET_PDEATHSIG), should the keeper
  itself be killed;
- `kill()`, `terminate()` and leaving a `with` block kill the group at once; so does this
  process's normal exit (atexit) for groups whose child has exited but left grandchildren.

A pipe, not PR_SET_PDEATHSIG on the keeper: the death signal follows the *thread* that started
a child, so a helper started from a worker thread would die with that thread. Elsewhere
(Windows) a plain Popen.
"""
from __future__ import annotations

import atexit
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import weakref
from pathlib import Path

KEEPER = Path(__file__).with_name("tied_keeper.py")
PR_SET_PDEATHSIG = 1
_LIVE: weakref.WeakSet = weakref.WeakSet()


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Ask the kernel to send `sig` to this process when its parent (thread) dies (Linux only;
    elsewhere a no-op). For ProcessPoolExecutor initializers and the keeper's child."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)


class TiedProcess(subprocess.Popen):
    """A Popen whose process group dies with this process (see the module docstring)."""

    def __init__(self, args, **kwargs):
        self._group = None
        if os.name != "posix":
            super().__init__(args, **kwargs)
            return
        argv = [os.fspath(a) for a in args]
        if os.sep not in argv[0] and not shutil.which(argv[0], path=(kwargs.get("env") or os.environ).get("PATH")):
            raise FileNotFoundError(2, "No such file or directory", argv[0])  # as Popen would
        read_end, self._lifeline = os.pipe()  # both ends non-inheritable; the keeper gets read_end
        try:
            super().__init__([sys.executable, "-I", "-S", str(KEEPER), str(read_end), *argv],
                             pass_fds=(read_end,), start_new_session=True, **kwargs)
        except BaseException:
            os.close(self._lifeline)
            raise
        finally:
            os.close(read_end)
        self.args = args  # what the caller ran, not the keeper's command line
        self._group = self.pid  # the keeper leads its own session and group
        _LIVE.add(self)

    def kill_group(self) -> None:
        """Kill the child and everything in its group now, and reap the keeper."""
        if self._group is None:
            if self.returncode is None:
                super().kill()
            self.wait()
            return
        try:
            os.killpg(self._group, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass  # the group is empty already
        self.wait()
        if self._lifeline is not None:
            os.close(self._lifeline)
            self._lifeline = None
        _LIVE.discard(self)

    kill = terminate = kill_group  # never only the keeper: that would orphan the child

    def __exit__(self, *exc):
        try:
            for stream in (self.stdin, self.stdout, self.stderr):
                if stream:
                    stream.close()
        finally:
            self.kill_group()
        return False

    def __del__(self, *args, **kwargs):
        lifeline = getattr(self, "_lifeline", None)
        if lifeline is not None and self.returncode is not None:
            # the keeper has exited; its grandchildren (if any) go with the group
            try:
                os.killpg(self._group, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            os.close(lifeline)
            self._lifeline = None
        super().__del__(*args, **kwargs)


def run_tied(args, *, timeout: float | None = None, **kwargs) -> subprocess.CompletedProcess:
    """subprocess.run for a TiedProcess: the output captured or not as asked, the group killed
    when the run ends, normally, on a timeout or on KeyboardInterrupt."""
    if kwargs.pop("capture_output", False):
        kwargs["stdout"] = kwargs["stderr"] = subprocess.PIPE
    with TiedProcess(args, **kwargs) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill_group()
            raise
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@atexit.register
def _end_all() -> None:
    for process in list(_LIVE):
        process.kill_group()
