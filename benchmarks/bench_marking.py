"""Agreement between markers and item analysis for 10,000 candidates x 18 graded cells.

Data (setup, timed apart): the real criterion map (grading/criterion_map.yml: 12 autograded
checks, 6 rubric cells); each candidate's points drawn from a latent ability, 3 % of rubric cells
not yet evaluated; every rubric cell double-marked by a rotating pair of three markers (one
marker lenient), 10 % of cells marked by all three (Krippendorff's alpha): about 130,000
levels, written to a SQLite audit store through the marking tables.

Measured in the same run:
  workbench  read every level from the audit store; agreement per criterion and marker pair
             (exact, adjacent, quadratic kappa), Krippendorff's alpha per criterion,
             harmonisation; criterion scores from the cell table (the scoring rule); item
             analysis (difficulty, corrected item-total correlation, Cronbach's alpha).
  baseline   the textbook loop: per item, scipy.stats.pearsonr against the rest total
             (pandas columns), per competence Cronbach's alpha with pandas, per criterion and
             pair a Python loop over the cells for exact/adjacent agreement plus the same
             kappa. Its figures must equal ours (checked, max difference printed).

Usage: .venv/bin/python benchmarks/bench_marking.py [--candidates 10000] [--write]
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from datetime import date
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import pearsonr

from workbench.marking import store as st
from workbench.marking.agreement import alpha_per_criterion, harmonisation, kappa, pair_agreement
from workbench.marking.config import load_item_thresholds, load_marking_rule
from workbench.marking.items import analyse_items
from workbench.referentiel import load_referentiel
from workbench.scores.compute import aggregate
from workbench.scores.criterion_map import load_criterion_map
from workbench.scores.scoring import load_scoring_rule

LEVELS = [0, 1, 2, 3]
MARKERS = ["helene", "marc", "sofia"]
RESULTS = Path(__file__).parent / "results" / "marking.md"


def make_cells(n: int, rng: np.random.Generator):
    """The cell table of n candidates on the real map, and the true rubric levels."""
    cmap = load_criterion_map()
    mp = cmap.frame()
    k = len(mp)
    ability = rng.normal(size=(n, 1))
    difficulty = rng.normal(scale=0.8, size=(1, k))
    p = 1 / (1 + np.exp(-(1.4 * ability - difficulty)))
    max_pts = mp["max_points"].to_numpy(float)[None, :]
    points = rng.binomial(max_pts.astype(int), p).astype(float)
    rubric = (mp["kind"] == "rubric").to_numpy()
    evaluated = ~(rubric[None, :] & (rng.random((n, k)) < 0.03))
    cells = pd.DataFrame({
        "candidate": np.repeat([f"c{i:05d}" for i in range(n)], k),
        "notebook": np.tile(mp["notebook"].to_numpy(), n), "cell": np.tile(mp["cell"].to_numpy(), n),
        "criterion": np.tile(mp["criterion"].to_numpy(), n), "kind": np.tile(mp["kind"].to_numpy(), n),
        "max_points": np.tile(mp["max_points"].to_numpy(), n), "points": points.ravel(),
        "evaluated": evaluated.ravel(),
    })
    return cmap, cells, points[:, rubric], list(mp["criterion"][rubric])


def make_marks(true: np.ndarray, criteria: list[str], rng: np.random.Generator) -> pd.DataFrame:
    """Two markers per rubric cell (rotating pairs), all three on 10 %; 'sofia' half a level lenient."""
    n = len(true)
    rows = []
    for j, crit in enumerate(criteria):
        pair = (np.arange(n) + j) % 3
        for m, marker in enumerate(MARKERS):
            marks_it = (pair != m) | (rng.random(n) < 0.10)
            noise = rng.choice([-1, 0, 0, 0, 1], size=n) + (rng.random(n) < 0.5) * (marker == "sofia")
            level = np.clip(true[:, j] + noise, 0, 3).astype(int)
            idx = np.nonzero(marks_it)[0]
            rows.append(pd.DataFrame({"candidate": [f"c{i:05d}" for i in idx], "criterion": crit,
                                      "marker": marker, "level": level[idx]}))
    return pd.concat(rows, ignore_index=True)


def write_store(url: str, marks: pd.DataFrame) -> None:
    engine = st.open_store(url)
    with engine.begin() as conn:
        conn.execute(st.IMPORT.insert().values(id=1, kind="levels", person="bench", imported_at="2026-12-06T00:00:00",
                                               file_name="bench.csv", file_sha256="0" * 64, gradebook="bench"))
        conn.execute(st.LEVEL.insert(), [dict(r, import_id=1, line=i + 2, comment=None, gradebook="bench")
                                         for i, r in enumerate(marks.to_dict("records"))])
    engine.dispose()


def workbench_run(url: str, cmap, cells: pd.DataFrame, n: int) -> dict:
    ref, thr, rule = load_referentiel(), load_item_thresholds(), load_marking_rule()
    out, times = {}, {}
    t = time.perf_counter(), time.process_time()

    def lap(name):
        nonlocal t
        now = time.perf_counter(), time.process_time()
        times[name] = (now[0] - t[0], now[1] - t[1])
        t = now

    engine = st.open_store(url)
    marks = st.marks(engine, "bench")
    engine.dispose()
    lap("read every level from the audit store (SQLite)")
    out["pairs"] = pair_agreement(marks, LEVELS)
    lap("agreement per criterion and marker pair: exact, adjacent, quadratic kappa")
    out["alphas"] = alpha_per_criterion(marks, LEVELS)
    out["harm"] = harmonisation(marks, LEVELS, rule.harmonisation_margin)
    lap("Krippendorff's alpha per criterion, harmonisation of markers")
    candidates = [f"c{i:05d}" for i in range(n)]
    scores = aggregate(cmap, candidates, cells, load_scoring_rule())
    lap("criterion scores from the cell table (scoring rule)")
    out["items"] = analyse_items(cells, scores.score, scores.criteria, ref=ref, thresholds=thr)
    lap("item analysis: 18 cells + 6 criteria, Cronbach's alpha x 3 competences")
    out["marks"], out["scores"] = marks, scores
    return out, times


def baseline_run(out: dict, cells: pd.DataFrame, n: int) -> tuple[dict, tuple[float, float]]:
    t0, c0 = time.perf_counter(), time.process_time()
    k = len(cells) // n
    wide = pd.DataFrame(cells["points"].to_numpy().reshape(n, k))
    complete = cells["evaluated"].to_numpy().reshape(n, k).all(axis=1)
    wide = wide[complete]
    disc = []
    for j in wide.columns:
        rest = wide.drop(columns=j).sum(axis=1)
        disc.append(pearsonr(wide[j], rest).statistic)
    crit_of = cells["criterion"].iloc[:k].to_numpy()
    alphas = {}
    for comp in ("B1.1", "B1.2", "B1.3"):
        sub = wide.loc[:, [c.startswith(comp + ".") for c in crit_of]]
        kk = sub.shape[1]
        alphas[comp] = kk / (kk - 1) * (1 - sub.var().sum() / sub.sum(axis=1).var())
    marks = out["marks"]
    pairs = []
    for crit, grp in marks.groupby("criterion"):
        by = {m: dict(zip(g["candidate"], g["level"])) for m, g in grp.groupby("marker")}
        for a, b in combinations(sorted(by), 2):
            shared = [c for c in by[a] if c in by[b]]
            la, lb = [by[a][c] for c in shared], [by[b][c] for c in shared]
            exact = sum(x == y for x, y in zip(la, lb)) / len(shared)
            adjacent = sum(abs(x - y) <= 1 for x, y in zip(la, lb)) / len(shared)
            pairs.append((crit, a, b, exact, adjacent, kappa(np.array(la), np.array(lb), LEVELS)))
    elapsed = time.perf_counter() - t0, time.process_time() - c0
    return {"disc": np.array(disc), "alphas": alphas, "pairs": pairs}, elapsed


def differences(out: dict, base: dict) -> tuple[float, float, float]:
    """Largest differences between our figures and the baseline's: discrimination, alpha, agreement."""
    items = out["items"].items
    ours_disc = items[items["level"] == "cell"]["discrimination"].to_numpy()
    d_disc = float(np.nanmax(np.abs(ours_disc - base["disc"])))
    comps = out["items"].competences.set_index("competence")["alpha"]
    d_alpha = max(abs(comps[c] - v) for c, v in base["alphas"].items())
    ours = out["pairs"].set_index(["criterion", "marker_a", "marker_b"])
    d_pairs = max(max(abs(ours.loc[(c, a, b), "exact"] - e), abs(ours.loc[(c, a, b), "adjacent"] - ad),
                      abs(ours.loc[(c, a, b), "kappa"] - kp)) for c, a, b, e, ad, kp in base["pairs"])
    return d_disc, float(d_alpha), float(d_pairs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--candidates", type=int, default=10_000)
    ap.add_argument("--write", action="store_true", help=f"write the figures to {RESULTS}")
    args = ap.parse_args()
    n = args.candidates
    load = os.getloadavg()[0]
    t = time.perf_counter()
    rng = np.random.default_rng(20261206)
    cmap, cells, true, criteria = make_cells(n, rng)
    marks = make_marks(true, criteria, rng)
    tmp = Path(tempfile.mkdtemp(prefix="bench-marking-"))
    url = f"sqlite:///{tmp / 'decisions.db'}"
    write_store(url, marks)
    setup = time.perf_counter() - t

    out, times = workbench_run(url, cmap, cells, n)
    base, base_t = baseline_run(out, cells, n)

    items = out["items"].items
    d_disc, d_alpha, d_pairs = differences(out, base)
    assert max(d_disc, d_alpha, d_pairs) < 1e-9, (d_disc, d_alpha, d_pairs)

    total = tuple(sum(v[i] for v in times.values()) for i in (0, 1))
    # what the baseline computes too: pair agreement, item discrimination and Cronbach's alpha
    same = [k for k in times if k.startswith(("agreement per", "criterion scores", "item analysis"))]
    comparable = sum(times[k][0] for k in same)
    lines = [
        "# Marking-quality benchmark (agreement, item analysis)", "",
        f"- date: {date.today().isoformat()}; machine: {platform.machine()}, {os.cpu_count()} CPU(s), "
        f"{platform.platform()}; Python {platform.python_version()}; load average at start {load:.1f} (shared machine)",
        f"- command: `.venv/bin/python benchmarks/bench_marking.py --candidates {n}`",
        f"- data: {n} candidates x {len(cells) // n} graded cells (real criterion map), {len(marks):,} marker levels "
        f"(3 markers, {len(out['pairs'])} criterion x pair rows, Krippendorff's alpha on {len(out['alphas'])} criteria); "
        f"item analysis on {out['items'].candidates} complete candidates; setup (not timed below) {setup:.1f} s", "",
        "| step | wall s | CPU s |", "|---|---|---|",
        *[f"| {name} | {w:.3f} | {c:.3f} |" for name, (w, c) in times.items()],
        f"| **agreement + item analysis, {n} candidates (sum of the above)** | **{total[0]:.3f}** | **{total[1]:.3f}** |",
        f"| baseline: per-item scipy pearsonr, pandas Cronbach, Python loop agreement (same figures) "
        f"| {base_t[0]:.3f} | {base_t[1]:.3f} |", "",
        f"Goal ≤ 5 s: {total[0]:.2f} s wall ({total[1]:.2f} s CPU). On what the baseline computes too (pair "
        f"agreement, criterion scores, item analysis: {comparable:.3f} s), ratio baseline / workbench "
        f"**{base_t[0] / comparable:.1f}x** wall; the baseline does not read the store, nor compute Krippendorff's "
        f"alpha or the harmonisation. Largest difference between the two sets of figures: "
        f"{max(d_disc, d_alpha, d_pairs):.1e} (discrimination {d_disc:.1e}, alpha {d_alpha:.1e}, agreement {d_pairs:.1e}).",
        "Flagged items: " + (", ".join(f"{r.item} ({r.flags})" for r in items[items["flags"] != ""].itertuples())
                             or "none") + "; markers to harmonise: "
        + (", ".join(sorted({f"{r.marker} on {r.criterion}" for r in out["harm"][out["harm"]["flagged"]].itertuples()}))
           or "none") + " (synthetic data: one marker half a level lenient on half her cells, within the margin).",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
