"""The warm "zygote": imports the heavy libraries once, then forks a fresh child per notebook.

Run as ``python -m workbench.autograde.zygote`` (normally inside bubblewrap, as an unprivileged
uid). It speaks length-prefixed JSON on stdin/stdout:

* it sends ``{"ready": true}`` once warm;
* it receives ``{"job": id, "dir": folder, "cells": [...], "limits": {...}}``, the job's files
  being already in ``<jobs_dir>/<folder>/`` (a submission's notebooks share one folder, as in
  nbgrader's autograded folder);
* it answers ``{"job": id, "cells": [{index, outputs, execution_count}, ...], "exit": {...}}``.

Each job runs in a fresh child of the zygote, which never runs candidate code itself, so no
state is shared between two candidates. In sandbox mode the zygote owns a user and a PID
namespace, and each child starts in fresh PID, mount and IPC namespaces: only its own job folder
is visible (at ``/candidate``), ``/tmp`` is a fresh tmpfs, and every process it leaves behind
dies with it.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib
import json
import os
import resource
import select
import signal
import sys
import time
from typing import Any, BinaryIO

from workbench.autograde import nsutil, wire

def _warm(preload: list[str]) -> Any:
    """Import the libraries candidates use, so each fork starts with them already loaded."""
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for name in preload:
        try:
            importlib.import_module(name)
        except Exception:  # a missing optional library only costs the candidate an import
            pass
    from workbench.autograde.executor import make_shell

    shell = make_shell()
    import matplotlib.pyplot  # noqa: F401  (after the backend is chosen by make_shell)

    _warm_tracebacks(shell)
    # Put everything imported so far out of the collector's reach: without this, each full
    # collection in a child (gc.collect() in library or candidate code) walks the whole warm heap,
    # copying its pages on write: measured 0.17 s and 3,300 page faults each, 0.006 s frozen.
    gc.collect()
    gc.freeze()
    return shell


def _warm_tracebacks(shell: Any) -> None:
    """Format a few typical library errors once: IPython's traceback formatter parses the source
    of every frame (seconds for pandas), and forked children inherit the parsed caches."""
    probes = ["import pandas as pd; pd.DataFrame({'a': [1]})['b']",
              "import numpy as np; np.zeros(2) + np.zeros(3)",
              "from sklearn.cluster import KMeans; KMeans(n_clusters=3).fit([[0.0]])",
              "undefined_name"]
    for code in probes:
        try:
            exec(compile(code, "<warm-up>", "exec"), {})
        except Exception:
            try:
                shell.InteractiveTB.structured_traceback(*sys.exc_info())
            except Exception:
                pass


def _child(shell: Any, job: wire.Job, job_dir: str, jobs_dir: str, frame_fd: int, sandbox: bool) -> None:
    """The fresh child: confine itself, then run the candidate's cells. Never returns."""
    from workbench.autograde.executor import fd_tail_reader, run_cells

    limits = job.limits
    try:
        nsutil.die_with_parent()
        # The candidate must not reach the zygote's protocol pipes: keep only stdio and our pipe.
        os.closerange(3, frame_fd)
        os.closerange(frame_fd + 1, 4096)
        if sandbox:
            nsutil.confine(job_dir=job_dir, jobs_dir=jobs_dir, tmp_bytes=limits["tmp_bytes"],
                           keep=_kept_under_tmp())
            nsutil.mount_proc()
            nsutil.drop_capabilities()
        # Own session and process group: kill(0, ...) must not reach the zygote, and without a
        # PID namespace the group is what we kill afterwards.
        os.setsid()
        work = nsutil.WORKDIR if sandbox else job_dir
        os.chdir(work)
        out_fd = os.open("/tmp/.stdout" if sandbox else os.path.join(job_dir, ".stdout"),
                         os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        err_fd = os.open("/tmp/.stderr" if sandbox else os.path.join(job_dir, ".stderr"),
                         os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(out_fd, 1)
        os.dup2(err_fd, 2)
        os.environ.update({"HOME": work, "TMPDIR": "/tmp", "NBGRADER_EXECUTION": "autograde",
                           "MPLCONFIGDIR": "/tmp"})
        nsutil.apply_rlimits(limits)
        sys.path.insert(0, work)
    except Exception as exc:  # confinement failed: an infrastructure fault, never the candidate's
        os.write(frame_fd, wire.child_frame("infra", f"child setup failed: {exc!r}"))
        os._exit(70)

    def emit(kind: str, payload: dict) -> None:
        os.write(frame_fd, wire.child_frame(kind, payload))

    os.write(frame_fd, wire.child_frame("ready"))  # from here on, candidate code runs

    reader = fd_tail_reader(out_fd, err_fd, limits["max_output_bytes"])
    in_cells = run_cells(shell, job.cells, cell_timeout=limits["cell_timeout"],
                         max_output_bytes=limits["max_output_bytes"], fd_reader=reader, emit=emit)
    os.write(frame_fd, wire.encode({"done": True, "cells_cpu": in_cells}))
    os._exit(0)


@functools.lru_cache(maxsize=1)
def _kept_under_tmp() -> tuple[str, ...]:
    """Python folders bound under /tmp (a checkout there) that the child's fresh /tmp must keep.

    Computed once in the zygote (``main``) and inherited by every fork: it walks sys.path."""
    return tuple(d for d in nsutil.python_dirs() if d.startswith("/tmp/"))


def run_job(shell: Any, job: wire.Job, jobs_dir: str, home: int | None) -> dict:
    """Run one notebook in a fresh child and collect its per-cell frames.

    ``home`` is the handle of the zygote's own PID namespace (sandbox), or None (no sandbox).
    With the sandbox the child is PID 1 of a fresh PID namespace, so whatever it leaves behind
    dies with it. Either way it is our own child: its exit status comes from ``waitpid``, which
    the candidate's code cannot forge, and a pidfd tells us when it has ended even if a process
    it left behind still holds the frame pipe.
    """
    started = time.monotonic()
    cpu0 = _cpu_with_children()
    result: dict[str, Any] = {"job": job.job, "cells": [], "answers": []}
    frame_r, frame_w = os.pipe()
    try:
        job_dir = os.path.join(jobs_dir, job.dir)
        with nsutil.fresh_pid_namespace(home) if home is not None else contextlib.nullcontext():
            pid = os.fork()
            if pid == 0:  # never leaves this block: the namespace reset is the parent's
                try:
                    _child(shell, job, job_dir, jobs_dir, frame_w, home is not None)
                finally:
                    os._exit(70)
    except Exception as exc:  # no child was made: an infrastructure fault
        os.close(frame_r)
        os.close(frame_w)
        result["infra"] = f"cannot create the child: {exc!r}"
        return result
    os.close(frame_w)
    _watch(pid, frame_r, result, deadline=started + job.limits["notebook_timeout"])
    os.close(frame_r)
    if home is None:
        nsutil.kill_group(pid)  # what the candidate left running (a PID namespace kills it itself)
    result["seconds"] = round(time.monotonic() - started, 4)
    # This job's CPU on the worker: the child (fork, set-up, cells) and the zygote's own share.
    result["cpu"] = round(_cpu_with_children() - cpu0, 4)
    return result


def _watch(pid: int, frame_r: int, result: dict, *, deadline: float) -> None:
    """Collect the child's frames until it exits, or kill it at the wall-clock deadline."""
    pidfd = os.pidfd_open(pid)
    frames = wire.FrameReader(frame_r)
    state = {"ready": False}
    frames_open = True
    try:
        while True:
            watch = [pidfd] + ([frame_r] if frames_open else [])
            ready, _, _ = select.select(watch, [], [], max(0.0, deadline - time.monotonic()))
            if not ready:  # wall time exceeded: kill the child (and with it its namespace)
                result["wall_timeout"] = True
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return
            if frame_r in ready:
                frames_open = _take(frames.next(deadline), result, state)
                if result.get("corrupt"):
                    os.kill(pid, signal.SIGKILL)
                    # Nothing after a forged frame is taken: the child may write on until the kill
                    # lands (a PID namespace dies after its holder), and what a hostile write left
                    # in the pipe must not depend on how fast that happens.
                    frames_open = False
            if pidfd in ready:
                _, status = os.waitpid(pid, 0)
                result["exit"] = ({"signal": os.WTERMSIG(status)} if os.WIFSIGNALED(status)
                                  else {"code": os.WEXITSTATUS(status)})
                # What it wrote just before exiting is already in the pipe. The bound is for a
                # process left behind that still writes (only possible without the sandbox).
                drained = time.monotonic() + 2.0
                while frames_open and not result.get("corrupt") and time.monotonic() < drained:
                    frames_open = _take(frames.next(drained), result, state)
                return
    finally:
        os.close(pidfd)


def _cpu_with_children() -> float:
    """This process's CPU and its waited-for children's: the zygote's share of a job and the job's."""
    return nsutil.cpu_seconds() + nsutil.cpu_seconds(resource.RUSAGE_CHILDREN)


def _take(frame: dict | None, result: dict, state: dict) -> bool:
    """Record one frame from the child; False at end of stream."""
    if frame is None:
        return False
    if "cell" in frame and state["ready"]:
        result["cells"].append(frame["cell"])
    elif "answer" in frame and state["ready"]:
        result["answers"].append(frame["answer"])
    elif frame.get("ready") and not state["ready"]:
        state["ready"] = True
    elif "infra" in frame and not state["ready"]:  # set-up failed before any candidate code
        result["infra"] = frame["infra"]
    elif frame.get("done") and state["ready"]:
        result["done"] = True
        # For accounting only (never for grades): the candidate's process could forge it.
        cells_cpu = frame.get("cells_cpu")
        if isinstance(cells_cpu, (int, float)) and 0 <= cells_cpu < 1e6:
            result["cells_cpu"] = float(cells_cpu)
    else:  # anything else was written by the candidate's code
        result["corrupt"] = True
    return True


def _own_namespaces() -> int:
    """Sandbox: hand over to a child that owns a user and a PID namespace; return its handle on
    that PID namespace. This process only waits for the child and exits with its status."""
    nsutil.own_user_namespace()
    pid = os.fork()
    if pid:
        _, status = os.waitpid(pid, 0)
        os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
    nsutil.die_with_parent()
    return nsutil.pid_namespace_handle()


def main() -> None:
    """Warm up, say ready, then serve jobs until stdin closes."""
    config = json.loads(sys.argv[1])
    proto_in = os.fdopen(os.dup(0), "rb")
    proto_out = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a full file must fail a write, not kill us
    shell = _warm(config["preload"])
    threads = os.listdir("/proc/self/task")
    if len(threads) != 1:  # a thread holding a lock at fork time would leave it held in the child
        raise SystemExit(f"the zygote must be single-threaded after warm-up, has {len(threads)} threads")
    home, warm_cpu = None, 0.0
    if config["sandbox"]:
        _kept_under_tmp()  # fill the cache before forking, not in each job's child
        warm_cpu = nsutil.cpu_seconds()  # the imports: the fork below starts a fresh count
        home = _own_namespaces()
    _send(proto_out, {"ready": True, "pid": os.getpid(), "cpu": round(warm_cpu + nsutil.cpu_seconds(), 4)})
    while True:
        message = wire.read_stream(proto_in)
        if message is None:
            break
        _send(proto_out, run_job(shell, wire.Job.from_message(message), config["jobs_dir"], home))


def _send(stream: BinaryIO, message: dict) -> None:
    stream.write(wire.encode(message))
    stream.flush()


if __name__ == "__main__":
    main()
