"""The warm "zygote": imports the heavy libraries once, then forks a fresh child per notebook.

Run as ``python -m workbench.autograde.zygote`` (normally inside bubblewrap, as an unprivileged
uid). It speaks length-prefixed JSON on stdin/stdout:

* it sends ``{"ready": true}`` once warm;
* it receives ``{"job": id, "cells": [...], "limits": {...}}``, the job's files being already
  in ``<jobs_dir>/<id>/``;
* it answers ``{"job": id, "cells": [{index, outputs, execution_count}, ...], "exit": {...}}``.

Each job runs in a child forked from the zygote, which never runs candidate code itself, so no
state is shared between two candidates. In sandbox mode the child gets its own user, mount and
PID namespaces: only its own job folder is visible (at ``/work``), ``/tmp`` is a fresh tmpfs,
and every process it leaves behind dies with it.
"""

from __future__ import annotations

import functools
import gc
import importlib
import json
import os
import resource
import select
import signal
import struct
import sys
import time
from typing import Any, BinaryIO

from workbench.autograde import nsutil

_HEADER = struct.Struct("!I")
MAX_FRAME = 512 * 1024 * 1024


def write_msg(stream: BinaryIO, obj: Any) -> None:
    """Write one length-prefixed JSON message."""
    data = json.dumps(obj).encode("utf-8")
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def read_msg(stream: BinaryIO) -> Any:
    """Read one length-prefixed JSON message, or None at end of stream."""
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        return None
    return json.loads(data)


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


def _child(shell: Any, job: dict, job_dir: str, frame_fd: int, sandbox: bool) -> None:
    """The grandchild: confine itself, then run the candidate's cells. Never returns."""
    from workbench.autograde.executor import fd_tail_reader, run_cells

    limits = job["limits"]
    try:
        nsutil.die_with_parent()
        if sandbox:
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
        os.write(frame_fd, _frame({"infra": f"child setup failed: {exc!r}"}))
        os._exit(70)

    def emit(frame: dict) -> None:
        os.write(frame_fd, _frame({"cell": frame}))

    os.write(frame_fd, _frame({"ready": True}))  # from here on, candidate code runs

    reader = fd_tail_reader(out_fd, err_fd, limits["max_output_bytes"])
    in_cells = run_cells(shell, job["cells"], cell_timeout=limits["cell_timeout"],
                         max_output_bytes=limits["max_output_bytes"], fd_reader=reader, emit=emit,
                         protected=job.get("protected", []))
    os.write(frame_fd, _frame({"done": True, "cells_cpu": in_cells}))
    os._exit(0)


def _frame(obj: Any) -> bytes:
    data = json.dumps(obj).encode("utf-8")
    return _HEADER.pack(len(data)) + data


@functools.lru_cache(maxsize=1)
def _kept_under_tmp() -> tuple[str, ...]:
    """Python folders bound under /tmp (a checkout there) that the child's fresh /tmp must keep.

    Computed once in the zygote (``main``) and inherited by every fork: it walks sys.path."""
    from workbench.autograde.sandbox import _python_dirs

    return tuple(d for d in _python_dirs() if d.startswith("/tmp/"))


def _intermediate(shell: Any, job: dict, jobs_dir: str, frame_w: int, ctl_w: int,
                  sandbox: bool) -> None:
    """Set up the namespaces, fork the grandchild (PID 1 of its own namespace) and reap it."""
    job_dir = os.path.join(jobs_dir, job["job"])
    # The candidate must not reach the zygote's protocol pipes: keep only stdio and our pipes.
    keep = sorted((frame_w, ctl_w))
    os.closerange(3, keep[0])
    os.closerange(keep[0] + 1, keep[1])
    os.closerange(keep[1] + 1, 4096)
    try:
        if sandbox:
            nsutil.enter_private_namespaces(job_dir=job_dir, jobs_dir=jobs_dir,
                                            tmp_bytes=job["limits"]["tmp_bytes"], keep=_kept_under_tmp())
        pid = os.fork()
    except Exception as exc:
        os.write(ctl_w, _frame({"infra": f"namespace setup failed: {exc!r}"}))
        os._exit(70)
    if pid == 0:
        os.close(ctl_w)
        _child(shell, job, job_dir, frame_w, sandbox)
    os.close(frame_w)
    os.write(ctl_w, _frame({"child": pid}))
    _, status = os.waitpid(pid, 0)
    if not sandbox:
        nsutil.kill_group(pid)
    exit_info = ({"signal": os.WTERMSIG(status)} if os.WIFSIGNALED(status)
                 else {"code": os.WEXITSTATUS(status)})
    os.write(ctl_w, _frame({"exit": exit_info}))
    os._exit(0)


def run_job(shell: Any, job: dict, jobs_dir: str, sandbox: bool) -> dict:
    """Run one notebook in a fresh child and collect its per-cell frames.

    Two pipes: the grandchild's frames (cells; the candidate's code could write there too) and
    the intermediate's control pipe (child pid, exit status), which the grandchild closes before
    running any candidate code, so the exit status cannot be forged.
    """
    frame_r, frame_w = os.pipe()
    ctl_r, ctl_w = os.pipe()
    started = time.monotonic()
    cpu0 = _cpu_children()
    pid = os.fork()
    if pid == 0:
        os.close(frame_r)
        os.close(ctl_r)
        _intermediate(shell, job, jobs_dir, frame_w, ctl_w, sandbox)
    os.close(frame_w)
    os.close(ctl_w)
    frames, control = _FrameReader(frame_r), _FrameReader(ctl_r)
    result: dict[str, Any] = {"job": job["job"], "cells": []}
    state = {"ready": False, "child": None}
    deadline = started + job["limits"]["notebook_timeout"]
    frames_open = True
    while True:
        watch = [ctl_r] + ([frame_r] if frames_open else [])
        ready, _, _ = select.select(watch, [], [], max(0.0, deadline - time.monotonic()))
        if not ready:  # wall time exceeded: kill the whole namespace
            result["wall_timeout"] = True
            break
        if ctl_r in ready:
            msg = control.next(time.monotonic() + 5)
            if msg is None:
                result["broken_pipe"] = True
                break
            if "child" in msg:
                state["child"] = msg["child"]
            elif "infra" in msg:
                result["infra"] = msg["infra"]
            elif "exit" in msg:
                result["exit"] = msg["exit"]
                while frames_open and _take(frames.next(time.monotonic() + 0.5), result, state):
                    pass  # what the child wrote just before exiting
                break
        if frame_r in ready and frames_open:
            frames_open = _take(frames.next(deadline), result, state)
            if result.get("corrupt"):
                break
    if "exit" not in result:  # killing the intermediate takes its grandchild along (PDEATHSIG)
        for target in (state["child"], pid):
            if target:
                try:
                    os.kill(target, signal.SIGKILL)
                except ProcessLookupError:
                    pass
    os.close(frame_r)
    os.close(ctl_r)
    os.waitpid(pid, 0)
    result["seconds"] = round(time.monotonic() - started, 4)
    result["cpu"] = round(_cpu_children() - cpu0, 4)  # the child's CPU: fork, set-up, cells
    return result


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _take(frame: dict | None, result: dict, state: dict) -> bool:
    """Record one frame from the grandchild; False at end of stream."""
    if frame is None:
        return False
    if "cell" in frame and state["ready"]:
        result["cells"].append(frame["cell"])
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


class _FrameReader:
    """Read frames from the child's pipe with a deadline, tolerating a slow or hostile writer."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buf = bytearray()

    def _fill(self, n: int, deadline: float) -> bool:
        while len(self.buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                return False
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                return False
            self.buf += chunk
        return True

    def next(self, deadline: float) -> dict | None:
        if not self._fill(_HEADER.size, deadline):
            return None
        (size,) = _HEADER.unpack(bytes(self.buf[:_HEADER.size]))
        if size > MAX_FRAME:
            return {"corrupt": True}
        if not self._fill(_HEADER.size + size, deadline):
            return None
        data = bytes(self.buf[_HEADER.size:_HEADER.size + size])
        del self.buf[:_HEADER.size + size]
        try:
            frame = json.loads(data)
        except ValueError:
            return {"corrupt": True}
        return frame if isinstance(frame, dict) else {"corrupt": True}


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
    if config["sandbox"]:
        _kept_under_tmp()  # fill the cache before forking, not in each job's child
    write_msg(proto_out, {"ready": True, "pid": os.getpid()})
    while True:
        job = read_msg(proto_in)
        if job is None:
            break
        write_msg(proto_out, run_job(shell, job, config["jobs_dir"], config["sandbox"]))


if __name__ == "__main__":
    main()
