"""Host side of a worker slot: start a warm zygote (inside bubblewrap by default) and feed it jobs.

The zygote runs inside ``bwrap`` with no network, a read-only view of the system and of the
Python environment, a private /tmp and only this slot's job folder writable; it runs as an
unprivileged uid (``setpriv`` when we are root, because root ignores RLIMIT_NPROC).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from workbench.autograde import wire
from workbench.autograde.nsutil import python_dirs
from workbench.errors import ConfigError

PRELOAD = ["numpy", "pandas", "sklearn", "sklearn.cluster", "sklearn.preprocessing",
           "sklearn.linear_model", "sklearn.metrics", "sklearn.model_selection", "scipy",
           "matplotlib", "seaborn", "matplotlib_inline.backend_inline", "workbench_candidate"]


class InfraError(Exception):
    """A fault of the grading machinery (not of the candidate): the job is retried elsewhere."""


@dataclass(frozen=True)
class Limits:
    """Per-notebook limits applied to a candidate's child process."""

    cell_timeout: float = 30.0
    notebook_timeout: float = 300.0
    cpu_seconds: int = 300
    memory_bytes: int = 2 * 1024**3
    nproc: int = 64
    file_bytes: int = 256 * 1024**2
    tmp_bytes: int = 256 * 1024**2
    max_output_bytes: int = 16 * 1024**2

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _thread_env() -> dict[str, str]:
    """A small, clean environment: one BLAS/OpenMP thread per child since slots already fill the cores."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp",
           "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1",
           "MPLBACKEND": "module://matplotlib_inline.backend_inline",
           "IPYTHONDIR": "/tmp/.ipython", "MPLCONFIGDIR": "/tmp/.mpl"}
    return env


def _ro_binds(folders: list[str], made: set[str]) -> list[str]:
    """Read-only binds of ``folders``, creating their parents traversable (0755) first."""
    args: list[str] = []
    for folder in folders:
        # bwrap would create the parents 0700 as root: make them traversable for the sandbox uid.
        for parent in reversed(Path(folder).parents):
            if str(parent) not in ("/", "/tmp") and str(parent) not in made:
                made.add(str(parent))
                args += ["--perms", "0755", "--dir", str(parent)]
        args += ["--ro-bind", folder, folder]
    return args


def require_bwrap() -> str:
    """The path of ``bwrap``; a one-line ConfigError saying what to install when it is missing.

    Called before any worker starts (see :class:`workbench.autograde.backends.LocalBackend`),
    so a missing sandbox stops the batch at once instead of inside a worker thread.
    """
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise ConfigError("bubblewrap (bwrap) is not installed: install it as root with "
                          "`apt-get install bubblewrap` (or `scripts/install-system-packages`), "
                          "or pass --no-sandbox to grade trusted submissions without isolation",
                          where="autograde")
    return bwrap


def bwrap_command(*, jobs_dir: str, uid: int | None) -> list[str]:
    """The bubblewrap command line confining one zygote."""
    bwrap = require_bwrap()
    cmd = [bwrap, "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
           "--unshare-cgroup-try", "--die-with-parent", "--new-session"]
    if os.geteuid() != 0:
        cmd.append("--unshare-user")
    for top in ("/usr", "/etc"):
        cmd += ["--ro-bind", top, top]
    for top in ("/lib", "/lib64", "/bin", "/sbin", "/lib32"):
        if os.path.islink(top):
            cmd += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            cmd += ["--ro-bind", top, top]
    # A checkout (and its venv) may live under the host's /tmp: those binds must come after the
    # private /tmp is mounted, or it would hide them.
    tmp = tempfile.gettempdir().rstrip("/") + "/"
    folders = python_dirs()
    under_tmp = [f for f in folders if f.startswith(tmp)]
    made: set[str] = set()
    cmd += _ro_binds([f for f in folders if f not in under_tmp], made)
    # /tmp first: the jobs folder usually lives under the host's /tmp and must stay visible.
    cmd += ["--perms", "1777", "--tmpfs", "/tmp", "--bind", jobs_dir, jobs_dir]
    cmd += _ro_binds(under_tmp, made)
    cmd += ["--perms", "0755", "--dir", "/candidate",
            "--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/dev/shm",
            "--chdir", "/"]
    if os.geteuid() == 0 and uid is not None:
        cmd += [shutil.which("setpriv") or "setpriv", "--reuid", str(uid), "--regid", str(uid),
                "--clear-groups"]
    return cmd


def _remove_slot_files(jobs_dir: str, log: Any) -> None:
    log.close()
    shutil.rmtree(jobs_dir, ignore_errors=True)
    try:
        os.remove(jobs_dir + ".log")
    except OSError:
        pass


class Zygote:
    """One worker slot: a warm zygote process and the folder its jobs are staged in."""

    def __init__(self, *, sandbox: bool, uid: int, preload: list[str] | None = None,
                 start_timeout: float = 180.0) -> None:
        self.sandbox = sandbox
        self.uid = uid if os.geteuid() == 0 else os.getuid()
        self.preload = PRELOAD if preload is None else preload
        self.start_timeout = start_timeout
        self.jobs_dir = tempfile.mkdtemp(prefix="wb-autograde-")
        os.chmod(self.jobs_dir, 0o755)
        self.proc: subprocess.Popen | None = None
        self.cancelled = False
        self.ready = False
        # The zygote's own stderr (never the candidate's) is kept for diagnosing infra faults.
        self._log = open(self.jobs_dir + ".log", "ab")
        # A slot that is never closed (a Dask worker exiting) still cleans its folder at exit.
        self._cleanup = weakref.finalize(self, _remove_slot_files, self.jobs_dir, self._log)
        self._reader: wire.FrameReader | None = None
        self.starts = 0
        self.warm_cpu = 0.0  # CPU seconds this slot's zygotes spent warming up, for accounting

    # -- lifecycle ---------------------------------------------------------------------------
    def cancel(self) -> None:
        """Abandon this slot, even while it is starting (a batch with nothing to grade)."""
        self.cancelled = True
        if self.proc is not None and not self.ready:
            self._kill()  # a ready zygote is stopped gracefully by close()

    def start(self) -> None:
        """Spawn the zygote (raises InfraError if it is not ready in time)."""
        self.stop()
        if self.cancelled:
            raise InfraError("slot cancelled")
        config = {"preload": self.preload, "jobs_dir": self.jobs_dir, "sandbox": self.sandbox}
        cmd = [sys.executable, "-m", "workbench.autograde.zygote", json.dumps(config)]
        if self.sandbox:
            cmd = bwrap_command(jobs_dir=self.jobs_dir, uid=self.uid) + cmd
        # A session of its own: the zygote and everything bwrap clones form one process group,
        # which _kill() ends whole; and a Ctrl-C in the terminal reaches only the coordinator,
        # which stops its slots itself.
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._log, env=_thread_env(), cwd="/", start_new_session=True)
        self.starts += 1
        if self.cancelled:  # cancel() raced with Popen
            self._kill()
        self._reader = wire.FrameReader(self.proc.stdout.fileno())
        hello = self._reader.next(time.monotonic() + self.start_timeout)
        if not hello or not hello.get("ready"):
            self.stop()
            raise InfraError("the warm zygote did not start")
        if isinstance(hello.get("cpu"), (int, float)):
            self.warm_cpu += float(hello["cpu"])
        self.ready = True

    def stop(self) -> None:
        """Stop the zygote (closing its stdin ends its loop; kill if it lingers)."""
        self.ready = False
        if self.proc is None:
            return
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self._kill()
            self.proc.wait()
        self._kill()  # whatever is left of the group (an inner bwrap whose outer half died) ends too
        self.proc = None

    def _kill(self) -> None:
        """Kill the zygote's whole process group, not only the process we started.

        bwrap clones its inner half before it arms --die-with-parent, and that half waits, on
        an eventfd of its own, for the outer one to release it: an outer bwrap killed alone
        in that moment leaves the inner one waiting forever (parent PID 1, no children), and
        holding the zygote's stdout open.
        """
        proc = self.proc  # read once: cancel() may run while the slot's thread stops it
        if proc is None:
            return
        try:  # a group lives on while it has members, even once its leader is reaped
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # the group is gone already

    def close(self) -> None:
        self.stop()
        self._cleanup()

    # -- jobs --------------------------------------------------------------------------------
    @contextlib.contextmanager
    def workdir(self, files: dict[str, bytes]) -> Iterator[str]:
        """A working folder holding ``files``, removed afterwards; yields its name.

        A submission's notebooks run one after the other in the same folder, as nbgrader runs
        them in the autograded folder: staged once, and what one notebook writes the next sees.
        """
        name = uuid.uuid4().hex
        job_dir = os.path.join(self.jobs_dir, name)
        self._stage(job_dir, files)
        try:
            yield name
        finally:
            shutil.rmtree(job_dir, ignore_errors=True)

    def run(self, *, cells: list[dict], limits: Limits, folder: str | None = None,
            files: dict[str, bytes] | None = None) -> dict:
        """Run one notebook's cells in ``folder`` (from :meth:`workdir`), or in a folder of its
        own holding ``files``; return the raw result."""
        if folder is None:
            with self.workdir(files or {}) as own:
                return self.run(cells=cells, limits=limits, folder=own)
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        job_id = uuid.uuid4().hex
        data = wire.Job(job=job_id, dir=folder, cells=cells, limits=limits.as_dict()).to_bytes()
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except OSError as exc:
            raise InfraError(f"zygote went away: {exc}") from exc
        reply = self._reader.next(time.monotonic() + limits.notebook_timeout + 60)
        if reply is None or reply.get("job") != job_id:
            self.stop()
            raise InfraError("no reply from the zygote (it died or stalled)")
        return reply

    def _stage(self, job_dir: str, files: dict[str, bytes]) -> None:
        os.mkdir(job_dir, 0o700)
        for rel, content in files.items():
            path = os.path.join(job_dir, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(content)
        if os.geteuid() == 0 and self.sandbox:
            for root, dirs, names in os.walk(job_dir):
                for name in dirs + names:
                    os.chown(os.path.join(root, name), self.uid, self.uid)
            os.chown(job_dir, self.uid, self.uid)
