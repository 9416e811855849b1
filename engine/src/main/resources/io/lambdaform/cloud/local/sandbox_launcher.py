# Lambdaform local cloud: the sandbox launcher (Linux). Runs one invocation's runtime as its child and, when the
# runtime ends, when the engine sends SIGTERM (timeout) or when the engine dies, kills every process the handler
# started, double-forked setsid daemons included, then exits with the runtime's status.
#
# Usage: python3 -I -S sandbox_launcher.py ENGINE_PID PROGRAM [ARG...]
#
# The launcher is a child subreaper (prctl PR_SET_CHILD_SUBREAPER): a process orphaned anywhere below it is
# reparented to it, not to init, so "no children left" means "nothing the handler started is left". It asks for
# SIGTERM when the engine's thread that started it dies (PR_SET_PDEATHSIG), and cleans up the same way then.
import ctypes
import os
import signal
import sys
import time

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36


class Stop(Exception):
    """Raised by the signal handler: the engine asks the invocation to end now."""


def ignore_signals():
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)


def stop(signum, frame):
    # The engine's exit can deliver the parent-death signal more than once (once per thread that ends): the first
    # one starts the cleanup, and no later one may interrupt it.
    ignore_signals()
    raise Stop(signum)


def children_by_parent():
    """Maps each parent pid to its child pids, from /proc/PID/stat."""
    children = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/" + name + "/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses; the fields after the last ')' are state, ppid, ...
        fields = stat[stat.rindex(b")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(name))
    return children


def descendants(root):
    children = children_by_parent()
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            found.append(child)
            todo.append(child)
    return found


def reap():
    """Reaps the children that have exited; returns whether any child is left."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return False
        if pid == 0:
            return True


def kill_everything():
    """SIGKILLs every descendant until none is left. Orphans reparent to us, so this ends when we have no child."""
    me = os.getpid()
    while reap():
        for pid in descendants(me):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.002)


def exit_code(status):
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def main():
    engine = int(sys.argv[1])
    program = sys.argv[2:]
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, stop)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        os.write(2, b"[lambdaform] cannot become a child subreaper; daemons may outlive the invocation\n")
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    code = 128 + signal.SIGTERM
    try:
        if os.getppid() != engine:
            return code  # the engine died before PR_SET_PDEATHSIG took effect
        pid = os.fork()
        if pid == 0:
            try:
                for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                    signal.signal(signum, signal.SIG_DFL)
                os.execv(program[0], program)
            except BaseException as e:  # noqa: BLE001 - the child must never return into the launcher's code
                os.write(2, ("[lambdaform] cannot run %s: %s\n" % (program[0], e)).encode())
            finally:
                os._exit(127)
        _, status = os.waitpid(pid, 0)
        code = exit_code(status)
    except Stop:
        pass
    finally:
        while True:
            try:
                ignore_signals()
                kill_everything()
                break
            except Stop:
                continue  # a signal that came before it was ignored: clean up all the same
    return code


if __name__ == "__main__":
    sys.exit(main())
