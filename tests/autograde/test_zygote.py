"""The zygote's accounting: what a job reports about the CPU spent inside the candidate's cells."""

from __future__ import annotations

import pytest

from workbench.autograde.sandbox import Limits, Zygote

pytestmark = pytest.mark.slow

BUSY = "s = 0\nfor i in range(200_000):\n    s += i\n"


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
