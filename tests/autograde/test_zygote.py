"""The zygote's accounting: what a job reports about the CPU spent inside the candidate's cells."""

from __future__ import annotations

import pytest

from workbench.autograde.sandbox import Limits, Zygote

pytestmark = pytest.mark.slow

# tens of ms of plain Python per cell: the forks and page faults outside the cells (slower on a VM)
# stay a small share of the job
BUSY = "s = 0\nfor i in range(1_000_000):\n    s += i\n"


def test_cells_cpu_accounts_for_nearly_all_of_a_cpu_bound_job() -> None:
    """Many short CPU-bound cells: the CPU a job reports inside the cells (what the benchmark
    subtracts as the candidate's own) is nearly all of the job's CPU, and never more."""
    zygote = Zygote(sandbox=False, uid=0, preload=[])
    try:
        raw = zygote.run(cells=[{"cell_type": "code", "source": BUSY}] * 40, files={}, limits=Limits())
        warm = zygote.warm_cpu
    finally:
        zygote.close()
    assert warm > 0.2  # IPython and matplotlib at least, imported once, accounted apart
    assert raw.get("done") and len(raw["cells"]) == 40
    assert 0 < raw["cells_cpu"] <= raw["cpu"]
    assert raw["cells_cpu"] / raw["cpu"] > 0.85, raw


def test_nothing_after_a_forged_frame_is_taken(monkeypatch) -> None:
    """A forged frame ends the notebook there: the cell the child sends after it (before the kill
    lands, which a PID namespace makes late) is not recorded, however the pipe is timed."""
    import os
    import signal
    import time

    from workbench.autograde import wire, zygote

    kills: list[int] = []
    monkeypatch.setattr(zygote.os, "kill", lambda pid, sig: kills.append(sig))  # the kill lands late
    frame_r, frame_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: ready, a forged frame, then a cell's outputs in a later read
        try:
            os.close(frame_r)
            os.write(frame_w, wire.child_frame("ready") + wire.encode({"exit": {"code": 0}}))
            time.sleep(0.3)
            os.write(frame_w, wire.child_frame("cell", {"index": 1, "outputs": []}))
            time.sleep(0.3)
        finally:
            os._exit(0)
    os.close(frame_w)
    result: dict = {"cells": [], "answers": []}
    try:
        zygote._watch(pid, frame_r, result, deadline=time.monotonic() + 30)
    finally:
        os.close(frame_r)
    assert kills == [signal.SIGKILL] and result["corrupt"] is True
    assert result["cells"] == [], result
