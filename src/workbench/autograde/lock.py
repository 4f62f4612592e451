"""One grader at a time per course: an advisory lock on ``<course>/.workbench/autograde.lock``.

``flock`` locks belong to the open file, so the kernel releases them when the holder dies (a
``kill -9`` included): a lock left by a killed run is never stale; the next run takes it at
once and says whose it was. The file itself stays (unlinking a lock file races with a waiter)
and holds the holder's pid and start time, for the message the second run prints.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from pathlib import Path
from typing import Callable, Iterator

from workbench.errors import BusyError, StorageError

LOCK_NAME = "autograde.lock"


def lock_path(course_dir: Path) -> Path:
    return course_dir / ".workbench" / LOCK_NAME


def _holder(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 200).decode("utf-8", "replace").strip()


def _write_holder(fd: int, text: str) -> None:
    """Who holds the lock, for the message of a second run; informative only (a full disk
    must not stop the run that holds the lock)."""
    try:
        os.ftruncate(fd, 0)
        if text:
            os.pwrite(fd, (text + "\n").encode(), 0)
    except OSError:
        pass


@contextlib.contextmanager
def grading_lock(course_dir: Path, *, wait: bool = False,
                 notify: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the course's grading lock for the ``with`` block.

    Parameters
    ----------
    course_dir : Path
        The course folder.
    wait : bool
        Queue behind the run holding the lock instead of refusing at once.
    notify : callable, optional
        Told, in one line, about waiting and about a lock taken over from a stopped run.

    Raises
    ------
    BusyError
        Another run holds the lock and ``wait`` is false.
    StorageError
        The lock file cannot be created (e.g. a read-only course folder).
    """
    notify = notify or (lambda line: None)
    path = lock_path(course_dir)
    try:
        path.parent.mkdir(exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StorageError(f"cannot create the grading lock: {exc.strerror}", where=str(path)) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise
            holder = _holder(fd) or "another run"
            if not wait:
                raise BusyError(f"another `workbench autograde` is grading this course ({holder}); "
                                "try again when it ends, or pass --wait to queue behind it",
                                where=str(course_dir)) from None
            notify(f"waiting for the run grading this course ({holder}) to end")
            fcntl.flock(fd, fcntl.LOCK_EX)
        left = _holder(fd)
        if left:  # the holder's line is cleared on a normal exit: this one stopped without it
            notify(f"took over the grading lock of a run that stopped ({left}); its unfinished "
                   "submissions are graded again")
        _write_holder(fd, f"pid {os.getpid()}, since {time.strftime('%Y-%m-%d %H:%M:%S')}")
        try:
            yield
        finally:
            _write_holder(fd, "")
    finally:
        os.close(fd)  # releases the lock
