"""Mutation score of the rule modules, per module, with mutmut 3 (issue #18).

mutmut changes one small thing in a rule module at a time (a ``<`` for a ``<=``, a constant, a
removed call...) and runs the tests that reach the changed function; a mutant that no test
notices *survives*. The score of a module is killed / mutants. Every survivor is listed in the
results with why it is harmless (``benchmarks/mutation_equivalent.yml``: mutant name -> reason),
or flagged "not explained".

The configuration is ``[tool.mutmut]`` in ``pyproject.toml`` (modules, test selection, pytest
options). mutmut 3 imports mutants from ``./src`` only, while the public rules live in the
candidate distribution (``candidate/src/workbench_candidate``): this script therefore lays both
packages out under ``build/mutation/src/`` (with ``tests/``, ``grading/`` and ``pyproject.toml``)
and runs mutmut there, once per module, so a long run can be split and each module timed.

Usage::

    .venv/bin/python benchmarks/bench_mutation.py [--module validator/rules] [--keep]
                                                  [--max-children 2] [--write]

``--module`` (repeatable) keeps the modules whose path contains the text; ``--keep`` reuses
``build/mutation`` (mutmut's cache: only changed functions are run again); ``--write`` updates
``benchmarks/results/mutation.md`` with the modules measured (the others keep their last figures).
A full run of every module takes tens of minutes on two shared cores: run it in the background.
"""

from __future__ import annotations

import argparse
import ast
import difflib
from fnmatch import fnmatch
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import tomllib
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "build" / "mutation"
RESULTS = ROOT / "benchmarks" / "results" / "mutation.md"
STATE = ROOT / "benchmarks" / "results" / "mutation.json"
EQUIVALENT = ROOT / "benchmarks" / "mutation_equivalent.yml"
# where each package of the layout comes from (mutmut sees both under src/)
LAYOUT = {"src/workbench": ROOT / "src" / "workbench",
          "src/workbench_candidate": ROOT / "candidate" / "src" / "workbench_candidate"}
GOALS = {"validator": 0.90, "scores": 0.90, "referentiel": 0.85, "grading rules": 0.85, "course": 0.85}
KILLED = {1, 3, 37}
STATUS = {0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", 36: "timeout", 24: "timeout",
          -24: "timeout", 152: "timeout", 255: "timeout", None: "not checked"}


def modules() -> list[str]:
    """The modules to mutate (``only_mutate`` of ``[tool.mutmut]``), paths of the layout."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    return list(config["only_mutate"])


def group_of(path: str) -> str:
    """The goal a module counts towards (issue #18's goals)."""
    for name in ("validator", "scores", "referentiel", "course"):
        if f"/workbench/{name}/" in path:
            return name
    return "grading rules"


def dotted(path: str) -> str:
    """``src/workbench/validator/rules.py`` -> ``workbench.validator.rules`` (mutmut's mutant names)."""
    return path.removeprefix("src/").removesuffix(".py").replace("/", ".")


def source_of(path: str) -> Path:
    """The repository file a module of the layout is copied from."""
    for prefix, origin in LAYOUT.items():
        if path.startswith(prefix + "/"):
            return origin / path[len(prefix) + 1:]
    raise ValueError(path)


def prepare(keep: bool) -> None:
    """Copy the packages, tests, rules and configuration into ``build/mutation`` (fresh unless ``keep``)."""
    if WORK.exists() and not keep:
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "_artifacts")
    for target, origin in LAYOUT.items():
        shutil.copytree(origin, WORK / target, ignore=ignore, dirs_exist_ok=True)
    for name in ("tests", "grading"):
        shutil.copytree(ROOT / name, WORK / name, ignore=ignore, dirs_exist_ok=True)
    # mutmut regenerates the mutated copy of a changed .py file, never the package's data files
    # (rules.yml, segmentation.yml...): a kept copy would read the old thresholds
    for target, origin in LAYOUT.items():
        if (WORK / "mutants" / target).is_dir():
            shutil.copytree(origin, WORK / "mutants" / target, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("*.py", "__pycache__", "*.pyc", "*.egg-info", "_artifacts"))
    if not (keep and (WORK / "pyproject.toml").exists()):  # mutmut's cached verdicts hold for its configuration
        shutil.copy2(ROOT / "pyproject.toml", WORK / "pyproject.toml")


def survivors_of(path: str) -> list[str]:
    """The mutants of one module that no test killed in the last run (to test them again)."""
    meta = json.loads((WORK / "mutants" / f"{path}.meta").read_text("utf-8"))
    return [name for name, code in meta["exit_code_by_key"].items() if code not in KILLED and code is not None]


def run_module(path: str, max_children: int, functions: str = "*", names: list[str] | None = None) -> float:
    """Run mutmut on the mutants of one module (of its ``functions``, or the ``names`` given);
    return the wall time in seconds."""
    # one BLAS/OpenMP thread per test process: mutmut limits each mutant's CPU time, and idle BLAS
    # threads spinning beside 2 children on 2 cores turned slow-but-killed mutants into timeouts
    env = dict(os.environ, WORKBENCH_HOME=str(ROOT), PYTHONDONTWRITEBYTECODE="1", OMP_NUM_THREADS="1",
               OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children),
                    *(names or [f"{dotted(path)}.{f}" for f in functions.split(",")])], cwd=WORK, env=env, check=True,
                   stdout=subprocess.DEVNULL if not os.environ.get("MUTATION_VERBOSE") else None)
    return time.perf_counter() - start


def diff_of(name: str, path: str) -> str:
    """The mutant's changed lines, as ``mutmut show`` prints them: the mutant function against the
    original, both read from mutmut's mutated copy of the module (one parse per module; ``mutmut
    show`` starts Python for each survivor, minutes for a module with many)."""
    functions = _functions(WORK / "mutants" / path)
    short = name[len(dotted(path)) + 1:]
    original, mutant = functions.get(short.rsplit("__mutmut_", 1)[0] + "__mutmut_orig"), functions.get(short)
    if original is None or mutant is None:
        return ""
    changed = difflib.unified_diff(original.splitlines()[1:], mutant.splitlines()[1:], lineterm="", n=0)
    return "\n".join(ln for ln in changed if ln[:1] in "+-" and not ln.startswith(("+++", "---")))


@lru_cache(maxsize=8)
def _functions(mutated: Path) -> dict[str, str]:
    """Source of every function of mutmut's mutated module, by name (methods too)."""
    text = mutated.read_text("utf-8")
    lines = text.splitlines()  # by line numbers: ast.get_source_segment splits the file at each call
    return {node.name: "\n".join(lines[node.lineno - 1:node.end_lineno]) for node in ast.walk(ast.parse(text))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


def collect(path: str, seconds: float, functions: str = "*") -> dict:
    """Counts and survivors of one module (of its ``functions``) from mutmut's ``.meta`` file."""
    meta = json.loads((WORK / "mutants" / f"{path}.meta").read_text("utf-8"))
    codes = {k: v for k, v in meta["exit_code_by_key"].items() if _matches(k, path, functions)}
    unchecked = sum(1 for code in codes.values() if code is None)  # an interrupted run: left out, said so
    codes = {k: v for k, v in codes.items() if v is not None}
    counts = {"mutants": len(codes), "killed": 0, "survived": 0, "no tests": 0, "timeout": 0, "other": 0,
              "not checked": unchecked}
    survivors = []
    for name, code in sorted(codes.items(), key=lambda kv: _natural(kv[0])):
        if code in KILLED:
            counts["killed"] += 1
            continue
        status = STATUS.get(code, "other")
        counts[status if status in counts else "other"] += 1
        if status == "timeout":  # the tests hung or crawled on it: detected, but listed
            continue
        survivors.append({"name": name, "status": status, "diff": diff_of(name, path)})
    checked = counts["mutants"]
    detected = counts["killed"] + counts["timeout"]
    return {"module": path, "functions": functions, "group": group_of(path), **counts,
            "score": detected / checked if checked else None,
            "seconds": round(seconds, 1), "survivors": survivors, "date": date.today().isoformat()}


def _matches(name: str, path: str, functions: str) -> bool:
    """Is mutant ``name`` one of ``functions`` (comma-separated globs) of module ``path``?"""
    return any(fnmatch(name, f"{dotted(path)}.{f}") for f in functions.split(","))


def _natural(name: str) -> tuple:
    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name))


def render(state: dict[str, dict], reasons: dict[str, str], command: str) -> str:
    """``results/mutation.md``: per module, per goal, and every survivor with its reason."""
    load = os.getloadavg()[0]
    lines = ["# Mutation testing of the rule modules (mutmut)", "",
             f"- date: {date.today().isoformat()}; machine: {platform.machine()}, {os.cpu_count()} CPU(s), "
             f"{platform.platform()}; Python {platform.python_version()}; load average at the end {load:.1f} "
             "(shared machine)",
             f"- command: `{command}` (configuration: `[tool.mutmut]` in `pyproject.toml`)",
             "- score = (killed + timeout) / mutants (a mutant no test reaches counts as survived; a timeout, "
             "tests hanging on the mutant, as detected); time = wall time of the "
             "module's mutmut run, the first module of a run also pays the test-coverage collection", "",
             "| module | goal | detected / mutants | survived | no tests | timeout | score | run time | measured |",
             "|---|---|---|---|---|---|---|---|---|"]
    by_group: dict[str, list[int]] = {}
    for path in modules():
        r = state.get(path)
        if r is None:
            lines.append(f"| `{path}` | {GOALS[group_of(path)]:.0%} | not measured yet | | | | | | |")
            continue
        g = by_group.setdefault(r["group"], [0, 0])
        g[0] += r["killed"] + r["timeout"]
        g[1] += r["mutants"]
        part = "" if r.get("functions", "*") == "*" else f" (functions `{r['functions']}` only)"
        if r.get("note"):
            part += f" ({r['note']})"
        if r.get("not checked"):
            part += f" (run interrupted: {r['not checked']} mutants not checked, left out)"
        lines.append(f"| `{path}`{part} | {GOALS[r['group']]:.0%} | {r['killed'] + r['timeout']} / {r['mutants']} | {r['survived']} | "
                     f"{r['no tests']} | {r['timeout']} | **{r['score']:.1%}** | {r['seconds']:.0f} s | {r['date']} |")
    lines += ["", "| goal | modules measured | detected / mutants | score | goal met (on what is measured) |",
              "|---|---|---|---|---|"]
    for group, (killed, total) in by_group.items():
        score = killed / total if total else 0.0
        measured = [p for p in modules() if group_of(p) == group]
        done = sum(1 for p in measured if p in state)
        partial = any(state[p].get("functions", "*") != "*" for p in measured if p in state)
        lines.append(f"| {group} | {done} of {len(measured)}{' (some in part)' if partial else ''} | {killed} / {total} "
                     f"| **{score:.1%}** | {'yes' if score >= GOALS[group] else 'no'} (goal {GOALS[group]:.0%}) |")
    notes = RESULTS.with_name("mutation-notes.md")  # what a run could not say in the table
    if notes.exists():
        lines += ["", notes.read_text("utf-8").strip()]
    lines += ["", "## Surviving mutants", "",
              "Each survivor with why it is harmless (`benchmarks/mutation_equivalent.yml`); "
              "**not explained** marks a gap in the tests still to close.", ""]
    for path in modules():
        r = state.get(path)
        if not r or not r["survivors"]:
            continue
        lines += [f"### `{path}`", ""]
        for s in r["survivors"]:
            reason = reasons.get(s["name"], "**not explained**")
            lines += [f"- `{s['name']}` ({s['status']}): {reason}", "", "  ```diff",
                      *[f"  {ln}" for ln in s["diff"].splitlines()], "  ```", ""]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    global WORK
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--module", action="append", default=[], help="only modules whose path contains this")
    parser.add_argument("--keep", action="store_true", help="reuse build/mutation (mutmut's cache)")
    parser.add_argument("--retest", action="store_true",
                        help="with the tests as they are now, run again only the survivors of the last run that "
                             "are not explained as equivalent (implies --keep; the recorded time adds up both runs)")
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--work", default=str(WORK.relative_to(ROOT)),
                        help="the mutation copy (a second one lets two runs go side by side)")
    parser.add_argument("--write", action="store_true", help="update benchmarks/results/mutation.md")
    parser.add_argument("--collect", action="store_true",
                        help="record what the last (perhaps interrupted) run checked, without running mutmut")
    parser.add_argument("--render", action="store_true",
                        help="only write results/mutation.md again from results/mutation.json (reasons updated)")
    parser.add_argument("--functions", default="*", help="only mutants of these functions (comma-separated globs of "
                        "mutmut's names, e.g. 'x_segmentation_*,x_measure_*'): a partial measure of a large module, said so in the results")
    args = parser.parse_args(argv)
    reasons = yaml.safe_load(EQUIVALENT.read_text("utf-8")) or {} if EQUIVALENT.exists() else {}
    if args.render:
        state = json.loads(STATE.read_text("utf-8"))
        RESULTS.write_text(render(state, reasons, "benchmarks/bench_mutation.py (per module, see below)"), "utf-8")
        return 0
    chosen = [m for m in modules() if not args.module or any(k in m for k in args.module)]
    if not chosen:
        parser.error(f"no module matches {args.module}")
    WORK = ROOT / args.work
    if not args.collect:
        prepare(args.keep or args.retest)
    reasons = yaml.safe_load(EQUIVALENT.read_text("utf-8")) or {} if EQUIVALENT.exists() else {}
    for path in chosen:
        before = 0.0
        if args.collect:
            meta = json.loads((WORK / "mutants" / f"{path}.meta").read_text("utf-8"))
            durations = meta.get("durations_by_key", {})
            seconds = sum(durations.values()) / max(args.max_children, 1)
        elif args.retest:
            # equivalent ones (explained in mutation_equivalent.yml) cannot be killed: not run again
            names = [n for n in survivors_of(path) if _matches(n, path, args.functions) and n not in reasons]
            before = (json.loads(STATE.read_text("utf-8")).get(path, {}).get("seconds", 0.0)
                      if STATE.exists() else 0.0)
            seconds = run_module(path, args.max_children, names=names) if names else 0.0
        else:
            seconds = run_module(path, args.max_children, args.functions)
        result = collect(path, before + seconds, args.functions)
        print(f"{path}: {result['killed']}/{result['mutants']} killed ({result['score']:.1%}), "
              f"{len(result['survivors'])} survivors, {seconds:.0f} s", flush=True)
        if args.write:  # read again: another run may have recorded other modules meanwhile
            state = json.loads(STATE.read_text("utf-8")) if STATE.exists() else {}
            state[path] = result
            STATE.write_text(json.dumps(state, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            command = "benchmarks/bench_mutation.py" + "".join(f" --module {m}" for m in args.module) + (
                f" --functions '{args.functions}'" if args.functions != "*" else "")
            RESULTS.write_text(render(state, reasons, command), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
