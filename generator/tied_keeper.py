"""The keeper of one tied child (see tied.py): run as `python -I -S tied_keeper.py FD ARGV...`.

It starts ARGV in its own process group and waits. When file descriptor FD reaches end of file
(the process that started it has ended, however) or the keeper gets SIGTERM/SIGINT, it kills the
whole group. Otherwise it exits as its child did. Standard library only: it runs isolated (-I -S).
"""
import ctypes
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1


def kill_group(*_):
    os.killpg(0, signal.SIGKILL)  # the keeper included


def main() -> None:
    lifeline, argv = int(sys.argv[1]), sys.argv[2:]
    child = os.fork()
    if child == 0:
        os.close(lifeline)
        if sys.platform.startswith("linux"):
            ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() == 1:  # the keeper is already gone
            os._exit(1)
        try:
            os.execvp(argv[0], argv)
        except OSError as exc:
            os.write(2, f"{argv[0]}: {exc.strerror}\n".encode())
        os._exit(127)
    signal.signal(signal.SIGTERM, kill_group)
    signal.signal(signal.SIGINT, kill_group)

    def watch() -> None:
        while os.read(lifeline, 4096):
            pass
        kill_group()

    threading.Thread(target=watch, daemon=True).start()
    _, status = os.waitpid(child, 0)
    if os.WIFSIGNALED(status):
        signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
        os.kill(os.getpid(), os.WTERMSIG(status))
    os._exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
