"""Benchmark `workbench autograde` against `nbgrader autograde` (figures -> benchmarks/results/autograde.md).

Usage: .venv/bin/python benchmarks/bench_autograde.py [--n 60] [--tiny 500] [--dask 20] [--skip-nbgrader]

1. the same cohort (default 60 submissions of the realistic segmentation assignment) graded by
   `nbgrader autograde` and by `workbench autograde` (both as CLI processes): wall-time ratio and
   identical scores;
2. per-submission overhead beyond the candidate's own code: the same cells run by `exec` in a
   child forked from a warm parent (no grading, no sandbox, no kernel) give the candidate's own
   time; the overhead is the steady-state worker time per submission minus that;
3. coordinator peak RSS (VmHWM) while grading 500 cheap submissions;
4. Dask: 1 local worker against 2.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

# One BLAS/OpenMP thread, as in the sandboxed children (and: thread pools do not survive fork).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
BIN = Path(sys.executable).parent
os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ['PATH']}"

from tests.autograde import services  # noqa: E402
from tests.autograde.conftest import copy_course, gradebook_scores  # noqa: E402
from tests.autograde.fixtures import factory  # noqa: E402


def timed(cmd: list[str], cwd: Path) -> tuple[float, int, str]:
    """Run a command; return (wall seconds, coordinator peak RSS in kB, output tail)."""
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    out_chunks: list[str] = []
    import threading

    reader = threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True)
    reader.start()
    while proc.poll() is None:
        try:
            for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(0.05)
    reader.join()
    wall = time.monotonic() - t0
    out = "".join(out_chunks)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd} failed ({proc.returncode}):\n{out[-3000:]}")
    return wall, peak, out[-600:]


def own_code_seconds(root: Path, students: list[str]) -> list[float]:
    """The candidates' own time: their sanitized cells exec'd in a fork of a warm parent."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401
    import nbformat
    import pandas  # noqa: F401
    import sklearn.cluster  # noqa: F401
    import sklearn.preprocessing  # noqa: F401

    times = []
    for student in students:
        nbdir = root / "autograded" / student / "segmentation"
        cells = [c.source for c in nbformat.read(str(nbdir / "segmentation.ipynb"), 4).cells
                 if c.cell_type == "code"]
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            os.chdir(nbdir)
            ns: dict = {}
            t0, c0 = time.perf_counter(), _cpu(resource.RUSAGE_SELF)
            for src in cells:
                try:
                    exec(compile(src, "<cell>", "exec"), ns)
                except BaseException:
                    pass
                matplotlib.pyplot.close("all")
            os.write(w, json.dumps([time.perf_counter() - t0, _cpu(resource.RUSAGE_SELF) - c0]).encode())
            os._exit(0)
        os.close(w)
        data = os.read(r, 200)
        os.close(r)
        os.waitpid(pid, 0)
        times.append(tuple(json.loads(data)))
    return times


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def steady_state(root: Path, workers: int) -> tuple[float, float, float]:
    """Grade in-process with timestamps: (startup seconds to first result, seconds/submission,
    CPU seconds/submission of coordinator + zygotes + children, start-up imports included)."""
    from workbench.autograde.runner import Options, run

    stamps: list[float] = []
    t0 = time.monotonic()
    c0 = _cpu(resource.RUSAGE_SELF)
    summary = run(course_dir=root, assignment="segmentation", opts=Options(workers=workers, force=True),
                  listen=lambda e, d: stamps.append(time.monotonic()) if e == "candidate" else None)
    cpu = _cpu(resource.RUSAGE_SELF) - c0 + summary.worker_cpu  # coordinator + candidates' children
    return stamps[0] - t0, (stamps[-1] - stamps[0]) / (len(stamps) - 1), cpu / len(stamps)


def overhead_rows(root: Path, students: list[str]) -> list[str]:
    """Per-submission overhead beyond the candidate's own code, in wall and in CPU time."""
    own = own_code_seconds(root, students)
    startup, per_sub, cpu_per_sub = steady_state(root, workers=2)
    own_wall = statistics.mean(w for w, _ in own)
    own_cpu = statistics.mean(c for _, c in own)
    return [
        f"| candidate's own code (cells exec'd in a warm fork, no grading) | mean {own_wall:.2f} s wall "
        f"| {own_cpu:.2f} s CPU |",
        f"| steady state, 2 workers (in-process coordinator) | {per_sub:.2f} s/submission "
        f"| {per_sub * 2:.2f} worker·s/submission |",
        f"| **overhead beyond the candidate's code, wall** | **{per_sub * 2 - own_wall:.2f} s/submission** "
        f"| start-up before the first result: {startup:.1f} s (once per batch) |",
        f"| **overhead beyond the candidate's code, CPU** (coordinator + each candidate's child; "
        f"zygote warm-up excluded) | **{cpu_per_sub - own_cpu:.2f} s/submission** | total "
        f"{cpu_per_sub:.2f} s CPU/submission |",
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--tiny", type=int, default=500)
    ap.add_argument("--dask", type=int, default=20)
    ap.add_argument("--skip-nbgrader", action="store_true")
    ap.add_argument("--overhead-only", action="store_true", help="only the overhead rows")
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "autograde.md")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-autograde-"))
    rows: list[str] = []
    try:
        ours_root = work / "ours"
        ours_root.mkdir()
        students = factory.build_cohort(ours_root, args.n)
        if args.overhead_only:
            from workbench.autograde.runner import Options, run

            run(course_dir=ours_root, assignment="segmentation", opts=Options(workers=2))
            rows += overhead_rows(ours_root, students)
            write(args.out, rows)
            return
        twin = copy_course(ours_root, work / "nbgrader")
        dask_root = copy_course(ours_root, work / "dask")
        wb_wall, wb_rss, wb_tail = timed([str(BIN / "workbench"), "autograde", "segmentation",
                                          "--course-dir", str(ours_root)], ours_root)
        print(f"workbench: {wb_wall:.1f} s", flush=True)
        rows.append(f"| `workbench autograde` ({args.n} submissions, 2 workers, sandbox on) | {wb_wall:.1f} s "
                    f"| {wb_wall / args.n:.2f} s |")
        if not args.skip_nbgrader:
            nb_wall, _, _ = timed([str(BIN / "nbgrader"), "autograde", "segmentation"], twin)
            print(f"nbgrader: {nb_wall:.1f} s", flush=True)
            same = gradebook_scores(ours_root) == gradebook_scores(twin)
            rows.insert(0, f"| `nbgrader autograde` ({args.n} submissions) | {nb_wall:.1f} s "
                           f"| {nb_wall / args.n:.2f} s |")
            rows.append(f"| **speed-up** | **{nb_wall / wb_wall:.1f}×** | scores identical "
                        f"(every grade cell, every candidate): **{same}** |")
        rows += overhead_rows(ours_root, students)

        tiny = work / "tiny"
        tiny.mkdir()
        factory.build_tiny_cohort(tiny, args.tiny)
        t_wall, t_rss, _ = timed([str(BIN / "workbench"), "autograde", "tiny", "--course-dir", str(tiny)], tiny)
        rows.append(f"| coordinator peak RSS, {args.tiny} cheap submissions | **{t_rss / 1024:.0f} MB** "
                    f"| {t_wall:.1f} s wall ({t_wall / args.tiny:.2f} s/submission) |")
        rows.append(f"| coordinator peak RSS, {args.n} realistic submissions | {wb_rss / 1024:.0f} MB | |")

        dask_students = students[: args.dask]
        dask_rows = []
        for nworkers in (1, 2):
            with services.dask_cluster(workers=nworkers) as address:
                cmd = [str(BIN / "workbench"), "autograde", "segmentation", "--course-dir", str(dask_root),
                       "--scheduler", address, "--force"]
                for s in dask_students:
                    cmd += ["--student", s]
                wall, _, _ = timed(cmd, dask_root)
                dask_rows.append(wall)
                print(f"dask {nworkers}: {wall:.1f} s", flush=True)
        rows.append(f"| Dask, {args.dask} submissions: 1 worker / 2 workers | {dask_rows[0]:.1f} s / "
                    f"{dask_rows[1]:.1f} s | {dask_rows[0] / dask_rows[1]:.2f}× |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write(args.out, rows)


def write(out: Path, rows: list[str]) -> None:
    load = os.getloadavg()
    header = (f"# Autograde benchmark\n\n"
              f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.node()} "
              f"({os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python "
              f"{platform.python_version()}); load average at the end {load[0]:.1f} "
              f"(shared machine). Command: `.venv/bin/python benchmarks/bench_autograde.py`.\n\n"
              f"| measure | value | per submission / note |\n|---|---|---|\n")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(header + "\n".join(rows) + "\n")
    print(out.read_text())


if __name__ == "__main__":
    main()
