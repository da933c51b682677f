"""Worker processes that never outlive the build that started them.

A `ProcessPoolExecutor` worker waits on its queue forever if the main process is killed (SIGKILL
cannot be caught, so no cleanup runs there). Linux lets a child ask to be killed when its parent
dies (prctl PR_SET_PDEATHSIG); each worker asks for that as it starts. Elsewhere this is a no-op.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """ProcessPoolExecutor initializer: SIGKILL this worker when the build process dies."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the request took effect
        os._exit(1)
