"""The labelled cohort (issue #13 §6) through the real pipeline, against the examiner's labels.

For each scenario: ``course create`` (SQLite gradebook, exchange), ``release``, every candidate
submits through nbgrader's exchange (``submit_as``), ``collect``, ``workbench autograde``
(sandboxed, parallel), ``workbench rubric`` with every rubric level *satisfactory*,
``workbench scores`` and ``workbench validate`` (blocks 2-5 all satisfactory in the jury CSV).

**Evidence verdict of a criterion** (the rule this script measures): ``valid`` when *each* of
the criterion's autograded cells reaches the criterion's threshold share of its points
(``grading/thresholds.yml``: satisfactory = 2/3), else ``flawed``: a criterion evidenced by
several cells (three figures for B1.3.a/b) is met when each piece of evidence is. A false
negative is valid work whose evidence says flawed; a false positive is a flaw whose evidence says
valid. For comparison the script also prints the *pooled* rule (the criterion's autograded points
summed, against the same share), which is what the validator sees with a satisfactory rubric
level (grading/scoring.yml: weighted mean of the kinds' shares); under it one figure scored 0 of
three still leaves 4/6, the threshold, so a single-figure flaw can never show.

Run: ``.venv/bin/python benchmarks/bench_cohort.py [--only cd01,ca07] [--scenario S] [--md PATH]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from cohort import CRITERIA, Candidate, load_cohort  # noqa: E402

ASSIGNMENT = "block1"


def _workbench(*args: str) -> None:
    from workbench.cli import main

    code = main(list(args))
    if code not in (0, None):
        raise SystemExit(f"'workbench {' '.join(args)}' failed with exit code {code}")


def _model_answers(course: Path) -> dict[str, dict[str, str]]:
    from workbench.exercises.answers import reference_answers

    return {nb.stem: reference_answers(nb) for nb in sorted((course / "source" / ASSIGNMENT).glob("*.ipynb"))}


def run_scenario(scenario: str, cohort: list[Candidate], work: Path, *, workers: int = 2,
                 log=print) -> dict[str, dict]:
    """Grade ``cohort`` (all of ``scenario``) in a fresh course; per candidate: evidence, scores, block."""
    from workbench.course.collect import collect
    from workbench.course.create import create_course
    from workbench.course.exchange import release, submit_as
    from workbench.exercises.answers import fill

    course, inputs = work / "course", work / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    with (inputs / "candidates.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["candidate_id", "last_name", "first_name", "email"])
        for c in cohort:
            w.writerow([c.id, "Cohort", c.id.upper(), f"{c.id}@example.invalid"])
    t0 = time.perf_counter()
    create_course(course_dir=course, course_id=f"cohort-{scenario.split('_')[0]}", scenario=scenario,
                  candidates_csv=inputs / "candidates.csv", exchange_dir=work / "exchange")
    release(course_dir=course, assignment=ASSIGNMENT)
    model = _model_answers(course)
    rel = course / "release" / ASSIGNMENT
    for c in cohort:
        with tempfile.TemporaryDirectory() as tmp:
            for name, answers in c.answers(model).items():
                fill(rel / f"{name}.ipynb", answers, Path(tmp) / f"{name}.ipynb")
            submit_as(course_dir=course, candidate=c.id, assignment=ASSIGNMENT, notebook_dir=tmp)
    collect(course_dir=course, assignment=ASSIGNMENT)
    log(f"  {scenario}: course, release, {len(cohort)} submissions, collect: {time.perf_counter() - t0:.0f} s")
    t1 = time.perf_counter()
    _workbench("autograde", ASSIGNMENT, "--course-dir", str(course), "--workers", str(workers))
    log(f"  {scenario}: workbench autograde (sandboxed, {workers} workers): {time.perf_counter() - t1:.0f} s")
    gradebook = str(course / "gradebook.db")
    rubric_csv = inputs / "rubric.csv"
    with rubric_csv.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["candidate", "criterion", "level", "comment", "grader"])
        for c in cohort:
            for crit in CRITERIA:
                w.writerow([c.id, crit, "satisfactory", "cohort benchmark: every rubric level satisfactory", "bench"])
    jury_csv = inputs / "jury.csv"
    _write_jury(cohort, jury_csv)
    audit = str(work / "decisions.db")
    _workbench("rubric", str(rubric_csv), "--gradebook", gradebook, "--audit-db", audit)
    _workbench("scores", "--gradebook", gradebook, "--course-dir", str(course), "--format", "json",
               "--out", str(inputs / "scores.json"))
    _workbench("validate", "--gradebook", gradebook, "--jury", str(jury_csv), "--audit-db", audit,
               "--out", str(inputs / "decisions.json"))
    return _evidence(cohort, json.loads((inputs / "scores.json").read_text()),
                     json.loads((inputs / "decisions.json").read_text()), course)


def _write_jury(cohort: list[Candidate], path: Path) -> None:
    from workbench.referentiel import load_referentiel

    ref = load_referentiel()
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["candidate", "criterion", "level", "comment"])
        for c in cohort:
            for block in ref.blocks[1:]:
                for crit in ref.criteria(block.id):
                    w.writerow([c.id, crit.id, "satisfactory", ""])


def _thresholds() -> dict[str, float]:
    from workbench.referentiel import load_referentiel, load_rubrics
    from workbench.validator.thresholds import load_thresholds

    return load_thresholds(referentiel=load_referentiel(), rubrics=load_rubrics())


def _block1(decisions: object, candidate: str) -> str | None:
    """Block 1's decision for ``candidate`` in ``workbench validate --out`` JSON (a status word)."""
    found = []

    def walk(node, cand):
        if isinstance(node, dict):
            cand = node.get("candidate", cand)
            if cand == candidate and node.get("block") == "B1" and "status" in node:
                found.append(node["status"])
            if cand == candidate and "blocks" in node and isinstance(node["blocks"], dict) and "B1" in node["blocks"]:
                b = node["blocks"]["B1"]
                found.append(b.get("status") if isinstance(b, dict) else b)
            for key, value in node.items():
                walk(value, key if key == candidate else cand)
        elif isinstance(node, list):
            for value in node:
                walk(value, cand)

    walk(decisions, None)
    return found[0] if found else None


def _evidence(cohort: list[Candidate], scores: dict, decisions: object, course: Path) -> dict[str, dict]:
    thresholds = _thresholds()
    out = {}
    for c in cohort:
        cells = scores.get(c.id, {}).get("cells", [])
        auto = defaultdict(lambda: [0.0, 0.0])
        worst = defaultdict(lambda: 1.0)
        msgs = defaultdict(list)
        for cell in cells:
            if cell["kind"] == "autograde":
                auto[cell["criterion"]][0] += float(cell["points"] or 0.0)
                auto[cell["criterion"]][1] += float(cell["max_points"])
                worst[cell["criterion"]] = min(worst[cell["criterion"]],
                                               float(cell["points"] or 0.0) / float(cell["max_points"]))
                if float(cell["points"] or 0.0) < float(cell["max_points"]):
                    text = cell.get("auto_comment") or cell.get("reason") or ""
                    msgs[cell["criterion"]].append(f"{cell['cell']} {cell['points']}/{cell['max_points']:g}: "
                                                   + " ".join(str(text).split())[:300])
        verdicts = {}
        for crit in CRITERIA:
            got, top = auto[crit]
            share = got / top if top else float("nan")
            verdicts[crit] = {"share": share, "points": got, "max": top, "worst_cell": worst[crit],
                              "evidence": "valid" if top and worst[crit] >= thresholds[crit] - 1e-9 else "flawed",
                              "pooled": "valid" if top and share >= thresholds[crit] - 1e-9 else "flawed",
                              "messages": msgs[crit]}
        out[c.id] = {"criteria": verdicts, "score": scores.get(c.id, {}).get("criteria", {}),
                     "block1": _block1(decisions, c.id)}
    return out


def summarise(cohort: list[Candidate], results: dict[str, dict]) -> dict:
    per = {crit: {"agree": 0, "n": 0, "fn": [], "fp": []} for crit in CRITERIA}
    pooled = {"agree": 0, "fn": 0, "fp": 0}
    for c in cohort:
        for crit in CRITERIA:
            label = c.labels[crit][0]
            ev = results[c.id]["criteria"][crit]["evidence"]
            pv = results[c.id]["criteria"][crit]["pooled"]
            pooled["agree"] += label == pv
            pooled["fn"] += label == "valid" and pv == "flawed"
            pooled["fp"] += label == "flawed" and pv == "valid"
            per[crit]["n"] += 1
            per[crit]["agree"] += label == ev
            if label == "valid" and ev == "flawed":
                per[crit]["fn"].append(c.id)
            elif label == "flawed" and ev == "valid":
                per[crit]["fp"].append(c.id)
    all_valid = [c for c in cohort if c.all_valid]
    validated = [c.id for c in all_valid if _validated(results[c.id]["block1"])]
    agree = sum(p["agree"] for p in per.values())
    total = sum(p["n"] for p in per.values())
    return {"per": per, "agree": agree, "total": total, "pooled": pooled, "all_valid": [c.id for c in all_valid], "validated": validated}


def _validated(status: str | None) -> bool:
    return str(status).lower() in {"validated", "valide", "validé", "true", "passed", "yes"}


def render(cohort: list[Candidate], results: dict[str, dict], summary: dict, timing: str) -> str:
    per, fn = summary["per"], [(crit, cid) for crit in CRITERIA for cid in summary["per"][crit]["fn"]]
    fp = [(crit, cid) for crit in CRITERIA for cid in summary["per"][crit]["fp"]]
    by_id = {c.id: c for c in cohort}
    lines = ["| criterion | agreement | labelled valid / flawed | false negatives | false positives |",
             "|---|---|---|---|---|"]
    for crit in CRITERIA:
        p = per[crit]
        nv = sum(by_id[cid].labels[crit][0] == "valid" for cid in by_id)
        lines.append(f"| {crit} | {p['agree']}/{p['n']} ({p['agree'] / p['n']:.1%}) | {nv} / {p['n'] - nv} | "
                     f"{', '.join(p['fn']) or '0'} | {', '.join(p['fp']) or '0'} |")
    lines.append(f"| **all** | **{summary['agree']}/{summary['total']} ({summary['agree'] / summary['total']:.1%})** | | "
                 f"**{len(fn)}** | **{len(fp)}** |")
    detail = []
    for kind, items in (("False negative", fn), ("False positive", fp)):
        for crit, cid in items:
            r = results[cid]["criteria"][crit]
            detail.append(f"- {kind} {cid} {crit} ({by_id[cid].why}): evidence {r['points']:g}/{r['max']:g} "
                          f"(weakest cell {r['worst_cell']:.0%}); "
                          f"label: {by_id[cid].labels[crit][1]}; judge: {'; '.join(r['messages']) or '-'}")
    nv = len(summary["all_valid"])
    return "\n".join([
        timing, "",
        f"Cohort: {len(cohort)} candidates ({sum(c.scenario == 'cdnow_winback' for c in cohort)} cdnow_winback, "
        f"{sum(c.scenario == 'caravan_crosssell' for c in cohort)} caravan_crosssell), {len(cohort) * len(CRITERIA)} labelled verdicts.",
        "", *lines, "",
        f"Pooled rule (autograded points summed per criterion, what the validator weighs with the rubric): "
        f"{summary['pooled']['agree']}/{summary['total']} ({summary['pooled']['agree'] / summary['total']:.1%}), "
        f"{summary['pooled']['fn']} false negatives, {summary['pooled']['fp']} false positives.", "",
        f"Block 1 with every rubric level *satisfactory*: **{len(summary['validated'])} of the {nv}** candidates labelled "
        f"valid on every criterion validate it"
        + (f" (not: {', '.join(sorted(set(summary['all_valid']) - set(summary['validated'])))})." if nv != len(summary['validated']) else "."),
        "", *(detail or ["No false negative, no false positive."]), ""])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="", help="comma-separated candidate ids")
    ap.add_argument("--scenario", default="", help="one scenario only")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--md", type=Path, default=None, help="write the table to this Markdown file")
    ap.add_argument("--json", type=Path, default=None, help="write per-candidate evidence as JSON")
    ap.add_argument("--keep", type=Path, default=None, help="keep the courses in this folder (default: a temporary one)")
    args = ap.parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    cohort = load_cohort((args.scenario,) if args.scenario else None)
    if args.only:
        keep = set(args.only.split(","))
        cohort = [c for c in cohort if c.id in keep]
    start, t0 = datetime.now(timezone.utc), time.perf_counter()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-cohort-") as tmp:
        tmp = args.keep or tmp
        for scenario in sorted({c.scenario for c in cohort}, reverse=True):
            part = [c for c in cohort if c.scenario == scenario]
            results.update(run_scenario(scenario, part, Path(tmp) / scenario, workers=args.workers))
    wall = time.perf_counter() - t0
    summary = summarise(cohort, results)
    timing = (f"Run {start:%Y-%m-%d %H:%M} UTC, {wall:.0f} s wall, machine `{platform.node()}` "
              f"({os.cpu_count()} cores, Python {platform.python_version()}); "
              f"command: `.venv/bin/python benchmarks/bench_cohort.py{' ' + ' '.join(argv or sys.argv[1:]) if (argv or sys.argv[1:]) else ''}`.")
    text = render(cohort, results, summary, timing)
    print(text)
    if args.md:
        args.md.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
