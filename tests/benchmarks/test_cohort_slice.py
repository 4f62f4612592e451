"""A slice of the labelled cohort (benchmarks/cohort, issue #13 §6) through the real judge.

Six candidates, two per competence (a legitimate alternative and a flaw each), both scenarios:
course create, release, submit through the exchange, collect, sandboxed ``workbench autograde``,
rubric import, scores, validate; the evidence verdict of every criterion (each autograded cell
at the threshold share, as ``benchmarks/bench_cohort.py`` defines it) must equal the examiner's
label. About a minute on 2 cores.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SLICE = ("ca06", "cd06",   # B1.1: economical argued categories (valid) / mean instead of total
         "cd11", "ca08",   # B1.2: Gaussian mixture (valid) / nominal codes fed to k-means as numbers
         "cd26", "cd30")   # B1.3: seaborn figures (valid) / map zoomed on the middle quantiles


def _bench():
    spec = importlib.util.spec_from_file_location("_bench_cohort", ROOT / "benchmarks" / "bench_cohort.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_cohort_slice_agrees_with_the_examiners_labels(tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    bench = _bench()
    cohort = [c for c in bench.load_cohort() if c.id in SLICE]
    assert sorted(c.id for c in cohort) == sorted(SLICE)
    results = {}
    for scenario in sorted({c.scenario for c in cohort}):
        part = [c for c in cohort if c.scenario == scenario]
        results.update(bench.run_scenario(scenario, part, tmp_path / scenario, log=lambda *_: None))
    disagree = [(c.id, crit, c.labels[crit][0], results[c.id]["criteria"][crit]["evidence"],
                 results[c.id]["criteria"][crit]["points"])
                for c in cohort for crit in bench.CRITERIA
                if c.labels[crit][0] != results[c.id]["criteria"][crit]["evidence"]]
    assert disagree == []
    # every valid candidate of the slice validates block 1 with satisfactory rubric levels
    for c in cohort:
        if c.all_valid:
            assert bench._validated(results[c.id]["block1"]), (c.id, results[c.id]["block1"])
