"""Where notebooks run: a local pool of warm zygotes (default) or a Dask distributed cluster.

Both return, per submission, the raw per-notebook results; infrastructure faults are retried
here (restarting the zygote) and counted, never turned into a candidate's failure.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import stat
import threading
import time
from typing import Any, Iterable

from workbench.autograde.outcome import InfraFault, answers_by_cell, merge
from workbench.autograde.sandbox import InfraError, Limits, Zygote, require_bwrap
from workbench.errors import ConfigError

BASE_UID = 62000

_local = threading.local()


def _zygote(sandbox: bool, uid: int, preload: list[str] | None) -> Zygote:
    """This thread's (or Dask worker's) zygote, started on first use."""
    zyg = getattr(_local, "zygote", None)
    if zyg is None or zyg.sandbox != sandbox:
        zyg = Zygote(sandbox=sandbox, uid=uid, preload=preload)
        _local.zygote = zyg
    return zyg


def run_submission(notebooks: list[dict], *, files: dict[str, bytes], sandbox: bool, limits: dict,
                   infra_retries: int, uid: int | None = None, preload: list[str] | None = None) -> dict:
    """Run a submission's notebooks in order, each in a fresh child, in one working folder
    holding ``files``; retry infrastructure faults.

    After an infrastructure fault the whole submission runs again in a freshly staged folder:
    what the interrupted attempt wrote there must not reach the notebooks that follow.
    Returns ``{"notebooks": {name: {"cells", "status", "detail"}}, "infra_retries": n, ...}`` or,
    when the retries are exhausted, ``{"infra_failed": message, "infra_retries": n}``.
    """
    if uid is None:
        uid = BASE_UID + 100 + os.getpid() % 800
    lim = Limits(**limits)
    retries = 0
    while True:
        zyg = _zygote(sandbox, uid, preload)
        try:
            return dict(_attempt(zyg, notebooks, files, lim), infra_retries=retries)
        except (InfraError, InfraFault, OSError) as exc:
            retries += 1
            zyg.stop()
            if retries > infra_retries:
                return {"infra_failed": str(exc), "infra_retries": retries}


def _attempt(zyg: Zygote, notebooks: list[dict], files: dict[str, bytes], lim: Limits) -> dict:
    """One run of every notebook of a submission (raises on an infrastructure fault)."""
    out: dict[str, Any] = {"notebooks": {}, "seconds": 0.0, "cpu": 0.0, "cells_cpu": 0.0}
    with zyg.workdir(files) as folder:
        for nb in notebooks:
            raw = zyg.run(cells=nb["cells"], limits=lim, folder=folder)
            cells, status, detail = merge(raw, nb["cells"])
            out["seconds"] += raw.get("seconds", 0.0)
            out["cpu"] += raw.get("cpu", 0.0)
            out["cells_cpu"] += min(raw.get("cells_cpu", 0.0), raw.get("cpu", 0.0))
            out["notebooks"][nb["name"]] = {"cells": cells, "status": status, "detail": detail,
                                            "answers": answers_by_cell(raw)}
        out["written"] = written_files(os.path.join(zyg.jobs_dir, folder), files, cap=lim.max_output_bytes)
    return out


def written_files(folder: str, staged: dict[str, bytes], *, cap: int, max_files: int = 1000) -> dict[str, bytes]:
    """Files the notebooks created or changed in their working folder (nbgrader keeps them in the
    autograded folder, where the notebooks ran): regular files only, never followed through a
    link, notebooks left out (the autograded ones are written there), at most ``cap`` bytes and
    ``max_files`` files in all (the rest is dropped: the candidate's folder is not a disk)."""
    found: dict[str, bytes] = {}
    total = 0
    for root, dirs, names in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(root, name)
            rel = os.path.relpath(path, folder)
            if name.endswith(".ipynb") or len(found) >= max_files:
                continue
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            except OSError:  # a link, a fifo the candidate left, a file it made unreadable
                continue
            try:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    continue
                with os.fdopen(fd, "rb", closefd=False) as fh:
                    content = fh.read(cap - total + 1)
            finally:
                os.close(fd)
            if staged.get(rel) == content or total + len(content) > cap:
                continue
            total += len(content)
            found[rel] = content
    return found


class LocalBackend:
    """N threads, each owning one warm zygote (one per core by default)."""

    def __init__(self, *, workers: int, sandbox: bool, retries: int, preload: list[str] | None = None,
                 uid_base: int = BASE_UID):
        self.workers = workers
        self.uid_base = uid_base
        self.sandbox = sandbox
        self.retries = retries
        self.preload = preload
        if sandbox:
            require_bwrap()  # before any thread: a missing sandbox is the user's one-line error
        self._slots = iter(range(10_000))
        self._lock = threading.Lock()
        self.pool = cf.ThreadPoolExecutor(max_workers=workers, initializer=self._init_thread)
        self._zygotes: list[Zygote] = []
        self._closing = False
        for _ in range(workers):  # start every slot's zygote now, in the background
            self.pool.submit(time.sleep, 0.01)

    def _new_zygote(self) -> Zygote:
        """This thread's zygote, recorded so that :meth:`close` ends it whatever happens."""
        zyg = Zygote(sandbox=self.sandbox, uid=_local.uid, preload=self.preload)
        with self._lock:
            self._zygotes.append(zyg)
            if self._closing:
                zyg.cancel()
        _local.zygote = zyg
        return zyg

    def _init_thread(self) -> None:
        # Never raise here: an initializer that raises breaks the whole pool (BrokenThreadPool)
        # and hides the real error. A slot that cannot start tries again on first use, where
        # the error (e.g. a ConfigError) reaches the coordinator through the job's future.
        with self._lock:
            _local.uid = self.uid_base + next(self._slots)
        _local.zygote = None
        try:
            self._new_zygote().start()  # warm all slots at once, in parallel
        except Exception:  # noqa: BLE001 - raised again, with its own message, on first use
            pass

    def _run(self, notebooks: list[dict], files: dict[str, bytes], limits: dict) -> dict:
        if getattr(_local, "zygote", None) is None:
            self._new_zygote()
        return run_submission(notebooks, files=files, sandbox=self.sandbox, limits=limits,
                              infra_retries=self.retries, uid=_local.uid, preload=self.preload)

    def submit(self, notebooks: list[dict], files: dict[str, bytes], limits: dict) -> cf.Future:
        return self.pool.submit(self._run, notebooks, files, limits)

    @staticmethod
    def wait_any(futures: Iterable[cf.Future]) -> set:
        done, _ = cf.wait(list(futures), return_when=cf.FIRST_COMPLETED)
        return done

    def warm_cpu(self) -> float:
        """CPU seconds the slots' zygotes spent warming up (restarts included)."""
        with self._lock:
            return sum(zyg.warm_cpu for zyg in self._zygotes)

    def close(self) -> None:
        with self._lock:
            zygotes = list(self._zygotes)
            self._closing = True
        for zyg in zygotes:
            zyg.cancel()  # a slot still warming up stops now instead of finishing its imports
        self.pool.shutdown(wait=True)
        for zyg in self._zygotes:
            zyg.close()


class DaskBackend:
    """Run submissions as tasks on a Dask distributed cluster; results come back to us."""

    def __init__(self, *, address: str, sandbox: bool, retries: int, preload: list[str] | None = None):
        from distributed import Client

        try:
            self.client = Client(address, timeout="30s", set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ConfigError(f"cannot reach the Dask scheduler: {exc}", where=address) from exc
        self.sandbox = sandbox
        self.retries = retries
        self.preload = preload
        self.workers = max(1, sum(self.client.nthreads().values()))

    @staticmethod
    def warm_cpu() -> float:
        """Dask workers warm their zygotes on their own machines: not accounted for here."""
        return 0.0

    def submit(self, notebooks: list[dict], files: dict[str, bytes], limits: dict):
        # pure=False: the same submission graded twice must really run twice.
        return self.client.submit(run_submission, notebooks, files=files, sandbox=self.sandbox, limits=limits,
                                  infra_retries=self.retries, preload=self.preload, pure=False)

    @staticmethod
    def wait_any(futures: Iterable) -> set:
        # Polling keeps us independent of a "default client"; 20 ms is nothing next to a notebook.
        futures = list(futures)
        while True:
            done = {f for f in futures if f.done()}
            if done:
                return done
            time.sleep(0.02)

    def close(self) -> None:
        self.client.close()
