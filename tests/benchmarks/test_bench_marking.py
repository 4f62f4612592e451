"""benchmarks/bench_marking.py on 300 candidates: our figures equal the textbook baseline's (scipy, pandas, loops)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]


def _bench():
    spec = importlib.util.spec_from_file_location("_bench_marking", ROOT / "benchmarks" / "bench_marking.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_agreement_and_item_analysis_equal_the_baseline(tmp_path):
    bench = _bench()
    n = 300
    cmap, cells, true, criteria = bench.make_cells(n, np.random.default_rng(7))
    marks = bench.make_marks(true, criteria, np.random.default_rng(8))
    url = f"sqlite:///{tmp_path / 'decisions.db'}"
    bench.write_store(url, marks)
    out, _ = bench.workbench_run(url, cmap, cells, n)
    base, _ = bench.baseline_run(out, cells, n)
    assert len(out["marks"]) == len(marks) and len(out["pairs"]) == 18 and len(base["pairs"]) == 18
    assert max(bench.differences(out, base)) < 1e-9
    assert len(out["alphas"]) == 6  # three markers on 10 % of the cells: Krippendorff's alpha on every criterion
