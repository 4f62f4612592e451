"""Time every block-1 check on the full real CDNOW data (23,570 customers).

Prints, per check and per part (check = public, grade = public + hidden + integrity), the
first (cold: reference recomputed) and the median / p90 over N warm runs, against the 200 ms
budget. Usage: ``.venv/bin/python benchmarks/bench_checks.py [N]``.
"""

from __future__ import annotations

import contextlib
import io
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

t0 = time.perf_counter()
from workbench.checks import block1  # noqa: E402

IMPORT_S = time.perf_counter() - t0

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.checks.answers import REASONS, S  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
BUDGET_MS = 200.0


def candidate_work() -> dict:
    """What a candidate's notebook computes, from the raw file."""
    tx = pd.read_csv(REPO / "datasets/cdnow/CDNOW_master.txt", sep=r"\s+",
                     dtype={"customer_id": str, "date": str})
    tx["date"] = pd.to_datetime(tx["date"], format="%Y%m%d")
    g = tx.groupby("customer_id")
    rfm = pd.DataFrame({"recency_days": (pd.Timestamp("1998-07-01") - g["date"].max()).dt.days,
                        "frequency": g.size(), "monetary": g["dollar_value"].sum()}).reset_index()
    x = StandardScaler().fit_transform(np.log1p(rfm[["recency_days", "frequency", "monetary"]]))
    labels = KMeans(4, random_state=0, n_init=4).fit_predict(x)
    prof = rfm.assign(s=labels).groupby("s")[["recency_days", "frequency", "monetary"]].mean()
    size = np.bincount(labels)
    prof.insert(0, "share", size / size.sum())
    prof.insert(0, "size", size)
    m, r = prof["monetary"], prof["recency_days"]
    names = {s: f"{'high value' if m[s] > m.median() else 'low value'} "
                f"{'lapsed' if r[s] > r.median() else 'active'} {s}" for s in prof.index}
    fig, ax = plt.subplots()
    ax.bar([str(i) for i in prof.index], prof["monetary"])
    ax.set(title="Mean spend per segment", xlabel="segment", ylabel="mean spend ($)")
    return dict(tx=tx, rfm=rfm, x=x, labels=labels, prof=prof, names=names, fig=fig)


def calls(w: dict) -> list[tuple[str, object, tuple, dict]]:
    return [
        ("collect.categories", block1.categories,
         (["purchase_dates", "purchase_volume", "purchase_value"],), {"scenario": S}),
        ("collect.analysis_table", block1.analysis_table, (w["rfm"],), {"scenario": S}),
        ("collect.justifications", block1.justifications, (REASONS,),
         {"chosen": ["purchase_dates", "purchase_volume", "purchase_value"], "scenario": S}),
        ("segment.quality", block1.segmentation, (w["x"],),
         {"labels": w["labels"], "table": w["rfm"], "scenario": S}),
        ("segment.profiles", block1.profiles, (w["prof"],),
         {"table": w["rfm"], "labels": w["labels"], "scenario": S}),
        ("segment.names", block1.target_names, (w["names"],),
         {"table": w["rfm"], "labels": w["labels"], "scenario": S}),
        ("figures.clarity", block1.figure_clarity, (w["fig"],), {}),
        ("figures.adequacy", block1.figure_adequacy, (w["fig"],), {"expected": w["prof"]["monetary"]}),
    ]


def timed(fn, args, kwargs) -> float:
    with contextlib.redirect_stdout(io.StringIO()):
        t = time.perf_counter()
        fn(*args, **kwargs)
        return (time.perf_counter() - t) * 1000


def main(n: int = 20) -> int:
    w = candidate_work()
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · {platform.node()} · "
          f"{platform.processor() or platform.machine()} · {os.cpu_count()} cpu · "
          f"python {platform.python_version()} · N={n} · import {IMPORT_S * 1000:.0f} ms")
    print(f"| check | part | cold ms | median ms | p90 ms | ≤ {BUDGET_MS:g} ms |")
    print("|---|---|---:|---:|---:|---|")
    worst = 0.0
    for name, chk, args, kwargs in calls(w):
        for part in ("check", "grade"):
            fn = getattr(chk, part)
            cold = timed(fn, args, kwargs)
            runs = sorted(timed(fn, args, kwargs) for _ in range(n))
            med, p90 = statistics.median(runs), runs[int(0.9 * (len(runs) - 1))]
            worst = max(worst, med)
            print(f"| {name} | {part} | {cold:.0f} | {med:.1f} | {p90:.1f} | "
                  f"{'yes' if med <= BUDGET_MS else 'NO'} |")
    print(f"\nworst median: {worst:.1f} ms")
    return 0 if worst <= BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20))
