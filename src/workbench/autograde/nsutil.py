"""Linux confinement primitives used by the zygote's children (namespaces, capabilities, rlimits).

Python 3.11 has no ``os.unshare`` or ``mount``, hence the small ctypes layer.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
import sys
from typing import Iterator

_libc = ctypes.CDLL(None, use_errno=True)

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWIPC = 0x08000000
MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
MS_REMOUNT = 32
MNT_DETACH = 2
PR_SET_NO_NEW_PRIVS = 38
PR_SET_PDEATHSIG = 1
# Where a candidate sees its own working folder inside the sandbox.
WORKDIR = "/candidate"


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(source: str, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    _check(_libc.mount(source.encode(), target.encode(), fstype.encode() if fstype else None,
                       flags, data.encode() if data else None), f"mount {target}")


def own_user_namespace() -> None:
    """Make this process the owner of a new user namespace and of the PID namespace its next
    child starts (that child is the zygote proper, which takes :func:`pid_namespace_handle`).

    Done once per zygote. Owning both is what lets the zygote give each job's child a fresh PID
    namespace with a plain ``fork`` (see :func:`fresh_pid_namespace`) instead of two forks of its
    large warm heap. The mapping keeps the same unprivileged uid, so RLIMIT_NPROC still applies.
    """
    uid, gid = os.getuid(), os.getgid()
    _check(_libc.unshare(CLONE_NEWUSER | CLONE_NEWPID), "unshare")
    with open("/proc/self/setgroups", "w") as fh:
        fh.write("deny")
    with open("/proc/self/uid_map", "w") as fh:
        fh.write(f"{uid} {uid} 1")
    with open("/proc/self/gid_map", "w") as fh:
        fh.write(f"{gid} {gid} 1")


def pid_namespace_handle() -> int:
    """A file descriptor on this process's own PID namespace."""
    return os.open("/proc/self/ns/pid", os.O_RDONLY | os.O_CLOEXEC)


@contextlib.contextmanager
def fresh_pid_namespace(home: int) -> Iterator[None]:
    """The next ``fork`` inside this block starts a new PID namespace (its child is PID 1 there).

    ``home`` is the zygote's :func:`pid_namespace_handle` (the zygote owns that namespace, from
    :func:`own_user_namespace`): afterwards its children go back there, so the next job can start anew.
    """
    _check(_libc.unshare(CLONE_NEWPID), "unshare pid")
    try:
        yield
    finally:
        _check(_libc.setns(home, CLONE_NEWPID), "setns pid")


def confine(*, job_dir: str, jobs_dir: str, tmp_bytes: int, keep: tuple[str, ...] = ()) -> None:
    """Give a job's child its own mount and IPC namespaces, showing only its own files.

    The job's folder is bound at ``/candidate``, ``/tmp`` becomes a fresh size-limited tmpfs and the
    folder holding every job is covered by an empty tmpfs, so the child sees only its own files.
    ``keep`` lists read-only folders under ``/tmp`` (a checkout or venv living there) that must stay
    visible through the fresh ``/tmp``. A fresh IPC namespace: no SysV segment outlives its job.
    """
    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWIPC), "unshare")
    _mount("none", "/", None, MS_REC | MS_PRIVATE)
    _mount(job_dir, WORKDIR, None, MS_BIND | MS_REC)
    _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, f"size={tmp_bytes},mode=1777")
    # Park the folders to keep on the fresh /dev/shm before /tmp is replaced, then bind them back.
    parked = []
    for i, folder in enumerate(keep):
        spot = f"/dev/shm/.keep{i}"
        os.mkdir(spot, 0o700)
        _mount(folder, spot, None, MS_BIND | MS_REC)
        parked.append((spot, folder))
    _mount("tmpfs", jobs_dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_RDONLY, "size=4k,mode=0")
    _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={tmp_bytes},mode=1777")
    for spot, folder in parked:
        os.makedirs(folder, mode=0o755, exist_ok=True)
        _mount(spot, folder, None, MS_BIND | MS_REC)
        # read-only again (the parked bind is a new mount); the files are root's anyway
        _mount("none", folder, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
        _check(_libc.umount2(spot.encode(), MNT_DETACH), f"umount {spot}")
        os.rmdir(spot)


def mount_proc() -> None:
    """Mount a /proc showing only this PID namespace (best effort: the sandbox already has one)."""
    try:
        _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV)
    except OSError:
        pass


def drop_capabilities() -> None:
    """Drop every capability (held only inside our own user namespace) and forbid regaining any."""

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    header = Header(0x20080522, 0)
    data = (Data * 2)()
    _check(_libc.capset(ctypes.byref(header), data), "capset")
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


def die_with_parent() -> None:
    """Get SIGKILL when the parent process dies (the zygote, or for the zygote its outer process)."""
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    """CPU seconds (user + system) of this process, or of its waited-for children, so far.

    Exact to the moment of the call, unlike ``time.process_time``: while a CPU timer is armed
    (RLIMIT_CPU is, in every child) Linux answers that clock from a sample refreshed at scheduler
    ticks, up to a tick late. ``getrusage`` brings the running thread's time up to date first.
    """
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _vm_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def apply_rlimits(limits: dict) -> None:
    """CPU seconds, address space (on top of what the warm imports already map), processes, files."""
    cpu = int(limits["cpu_seconds"])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
    memory = _vm_bytes() + int(limits["memory_bytes"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_NPROC, (int(limits["nproc"]), int(limits["nproc"])))
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(limits["file_bytes"]), int(limits["file_bytes"])))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def kill_group(pid: int) -> None:
    """Kill what is left of a child's process group (only used without the sandbox)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def python_dirs() -> list[str]:
    """Folders a zygote needs read-only: the interpreter, the venv and every import path.

    Never the repository itself (pytest puts it on sys.path), nor its ``grading/``,
    ``exercises/`` or ``datasets/``: they hold answer keys, model answers and source notebooks.
    A sandboxed child reads only its own job folder (the released data come with it).
    """
    import tempfile
    from pathlib import Path

    import workbench
    import workbench_candidate

    repo = os.path.realpath(Path(workbench.__file__).resolve().parents[2])
    dirs = {os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix), sys.prefix,
            str(Path(workbench.__file__).resolve().parents[1]),
            str(Path(workbench_candidate.__file__).resolve().parents[1])}
    for entry in sys.path:
        if entry and os.path.isdir(entry) and not entry.startswith(tempfile.gettempdir()):
            real = os.path.realpath(entry)
            # never the root either: `python -m` puts the cwd ("/" in the zygote) on sys.path
            if real not in (repo, "/") and not real.startswith(repo + "/") or real in dirs:
                dirs.add(real)
    ordered = sorted(dirs, key=len)
    kept: list[str] = []
    for d in ordered:
        if not any(d == k or d.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(d)
    return kept
