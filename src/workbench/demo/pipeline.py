"""The main job as a list of one-step functions over a shared :class:`DemoContext`.

Like nbgrader's preprocessors, each step does one thing and the job is the list. Every step
uses the same public entry points a user would: the course functions, and the ``workbench``
commands documented in the README.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rich.console import Console

from workbench.demo import cohort as cohort_mod
from workbench.exercises.answers import fill, reference_answers
from workbench.errors import WorkbenchError

MARKER = ".workbench-demo"


@dataclass
class DemoContext:
    """Everything the steps share; paths live under ``out``."""

    out: Path
    work: Path
    scenario: str
    size: int
    workers: int
    sandbox: bool
    console: Console
    assignment: str = "block1"
    course_id: str = "block1-demo"
    cohort: list = field(default_factory=list)
    flaws: dict = field(default_factory=dict)
    facts: list[str] = field(default_factory=list)

    @property
    def course_dir(self) -> Path:
        return self.work / "course"

    @property
    def exchange(self) -> Path:
        return self.work / "exchange"

    @property
    def inputs(self) -> Path:
        return self.out / "inputs"

    @property
    def reports(self) -> Path:
        return self.out / "reports"

    @property
    def gradebook(self) -> str:
        return str(self.course_dir / "gradebook.db")

    @property
    def audit(self) -> str:
        # Outside the course: the audit trail survives a rebuilt demo course, so a second run
        # shows "unchanged" instead of new versions.
        return str(self.out / "decisions.db")


@dataclass(frozen=True)
class DemoResult:
    out: Path
    course_dir: Path
    jury_html: Path
    jury_csv: Path
    decisions_json: Path
    feedback_dir: Path
    facts: tuple[str, ...]


def _workbench(ctx: DemoContext, *args: str) -> None:
    """Run a ``workbench`` command in-process, as a user would type it."""
    from workbench.cli import main

    ctx.console.print(f"[dim]$ workbench {' '.join(args)}[/]")
    code = main(list(args))
    if code != 0:
        raise WorkbenchError(f"'workbench {' '.join(args)}' failed with exit code {code}", where="demo")


def prepare_out(ctx: DemoContext) -> None:
    """Start clean: remove what an earlier demo wrote in --out (never anything else)."""
    ctx.out.mkdir(parents=True, exist_ok=True)
    for sub in (ctx.inputs, ctx.reports):
        if sub.exists():
            if not (ctx.out / MARKER).exists():
                raise WorkbenchError("folder is not a demo output; choose an empty --out", where=str(sub))
            shutil.rmtree(sub)
    (ctx.out / MARKER).write_text("written by `workbench demo`; safe to delete\n", encoding="utf-8")
    ctx.inputs.mkdir()


def plan(ctx: DemoContext) -> None:
    """Pick each candidate's answers: reference or one typical mistake, deterministically."""
    flaws = cohort_mod.load_flaws(ctx.scenario)
    ctx.flaws = {f.id: f for f in flaws}
    ctx.cohort = cohort_mod.plan_cohort(size=ctx.size, flaw_ids=[f.id for f in flaws])
    cohort_mod.write_candidates_csv(ctx.cohort, ctx.inputs / "candidates.csv")
    n_ref = sum(c.variant == "reference" for c in ctx.cohort)
    ctx.facts.append(f"cohort: {len(ctx.cohort)} candidates, {n_ref} reference answers, "
                     f"{len(ctx.cohort) - n_ref} with one of {len(flaws)} typical mistakes")


def create(ctx: DemoContext) -> None:
    """Instructor: a course from exercises/ and grading/, candidates imported from the CSV."""
    from workbench.course.create import create_course

    created = create_course(course_dir=ctx.course_dir, course_id=ctx.course_id,
                            candidates_csv=ctx.inputs / "candidates.csv", exchange_dir=ctx.exchange,
                            scenario=ctx.scenario)
    ctx.facts.append(f"course {ctx.course_id}: {created.candidates} candidates imported, scenario {ctx.scenario}")


def release(ctx: DemoContext) -> None:
    """Instructor: generate the student version and release it to the exchange."""
    from workbench.course.exchange import release as release_assignment

    release_assignment(course_dir=ctx.course_dir, assignment=ctx.assignment)


def _answers(ctx: DemoContext, variant: str) -> dict[str, dict[str, str]]:
    source = ctx.course_dir / "source" / ctx.assignment
    per_nb = {nb.stem: reference_answers(nb) for nb in sorted(source.glob("*.ipynb"))}
    flaw = ctx.flaws.get(variant)
    if flaw is not None:
        per_nb[flaw.notebook] = flaw.apply(per_nb[flaw.notebook])
    return per_nb


def _submit(ctx: DemoContext, candidate: str, variant: str, *, listed: bool = True) -> None:
    from workbench.course.exchange import submit_as

    release_dir = ctx.course_dir / "release" / ctx.assignment
    with tempfile.TemporaryDirectory() as tmp:
        for name, answers in _answers(ctx, variant).items():
            fill(release_dir / f"{name}.ipynb", answers, Path(tmp) / f"{name}.ipynb")
        submit_as(course_dir=ctx.course_dir, candidate=candidate, assignment=ctx.assignment, notebook_dir=tmp,
                  listed_only=listed)


def submit(ctx: DemoContext) -> None:
    """Candidates: fetch, answer and submit through nbgrader's exchange.

    The first flawed candidate submits twice (a draft, then the final version: the latest
    wins), and someone who is not on the list submits too (reported, not collected).
    """
    from rich.progress import Progress

    twice = next((c for c in ctx.cohort if c.variant != "reference"), None)
    with Progress(console=ctx.console, transient=True) as bar:
        task = bar.add_task("candidates submitting", total=len(ctx.cohort))
        for c in ctx.cohort:
            if c is twice:
                _submit(ctx, c.id, "reference")  # the draft; replaced by the final submission below
            _submit(ctx, c.id, c.variant)
            bar.advance(task)
    _submit(ctx, "intrus", "reference", listed=False)


def collect(ctx: DemoContext) -> None:
    """Grader: collect the latest submission of every listed candidate."""
    from workbench.course.collect import collect as collect_submissions

    report = collect_submissions(course_dir=ctx.course_dir, assignment=ctx.assignment)
    for line in report.lines():
        ctx.console.print(f"  {line}")
    ctx.facts.append(f"collected {len(report.collected)} submissions "
                     f"({len(report.earlier)} resubmitted, {len(report.unknown)} unknown sender)")


def autograde(ctx: DemoContext) -> None:
    """Grader: autograde in parallel, sandboxed workers into the nbgrader gradebook."""
    args = ["autograde", ctx.assignment, "--course-dir", str(ctx.course_dir)]
    if ctx.workers:
        args += ["--workers", str(ctx.workers)]
    if not ctx.sandbox:
        args.append("--no-sandbox")
    _workbench(ctx, *args)


def rubric(ctx: DemoContext) -> None:
    """Markers: import the rubric levels graded offline, double-marked on a sample, one moderated."""
    from workbench.scores import load_criterion_map

    cmap = load_criterion_map()
    criteria = sorted({cell.criterion for _, cell in cmap.cells() if cell.kind == "rubric"})
    path = cohort_mod.write_rubric_csv(ctx.cohort, ctx.flaws, criteria, ctx.inputs / "rubric_levels.csv")
    files = _double_marking(path, ctx.inputs)
    db = ("--gradebook", ctx.gradebook, "--audit-db", ctx.audit)
    for marker in ("helene", "marc"):  # each blind to the other's levels
        _workbench(ctx, "rubric", str(files[marker]), *db, "--marker", marker)
    _workbench(ctx, "marking", "queue", *db)
    if "claire" in files:
        _workbench(ctx, "marking", "moderate", str(files["claire"]), *db, "--moderator", "claire")
    _workbench(ctx, "marking", "agreement", *db)


def _double_marking(levels_csv: Path, inputs: Path) -> dict[str, Path]:
    """Split the grid into two markers' files by the sample of ``grading/marking.yml``.

    helene marks every cell; marc the sampled ones, agreeing except once one level higher
    (the final level, the mean rounded down, stays helene's) and once two levels apart, which
    claire moderates back to helene's level: the decisions are those of the single grid.
    """
    import csv

    from workbench.marking.config import load_marking_rule

    rule = load_marking_rule()
    with levels_csv.open(encoding="utf-8", newline="") as fh:
        rows = [{**r, "level": str(_value(r["level"]))} for r in csv.DictReader(fh)]
    sample = [r for r in rows if rule.required_markers(r["candidate"], r["criterion"]) == 2]
    diverge = next((r for r in sample), None)
    adjacent = next((r for r in sample if r is not diverge and int(r["level"]) < 3), None)
    second = []
    for r in sample:
        level = int(r["level"])
        if r is diverge:
            level = level + 2 if level <= 1 else level - 2
        elif r is adjacent:
            level += 1
        second.append({**r, "level": str(level), "comment": ""})
    files = {"helene": _write(inputs / "levels_helene.csv", rows), "marc": _write(inputs / "levels_marc.csv", second)}
    if diverge is not None:
        files["claire"] = _write(inputs / "moderation_claire.csv", [
            {"candidate": diverge["candidate"], "criterion": diverge["criterion"], "level": diverge["level"],
             "reason": "Relu : le niveau de la grille est justifié par le descripteur."}], columns=("reason",))
    return files


def _value(level: str) -> int:
    from workbench.referentiel import load_rubrics

    return load_rubrics().level(level).value


def _write(path: Path, rows: list[dict], columns: tuple[str, ...] = ("comment",)) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, ["candidate", "criterion", "level", *columns], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def scores(ctx: DemoContext) -> None:
    """Criterion scores per candidate, with their evidence."""
    _workbench(ctx, "scores", "--gradebook", ctx.gradebook, "--format", "csv",
               "--out", str(ctx.reports / "criterion_scores.csv"))


def validate(ctx: DemoContext) -> None:
    """The block validator: block 1 from the gradebook, blocks 2–5 from the jury's CSV."""
    from workbench.referentiel import load_referentiel, load_rubrics

    jury = cohort_mod.write_jury_csv(ctx.cohort, load_referentiel(), load_rubrics(), ctx.inputs / "jury_blocks_2_5.csv")
    _workbench(ctx, "validate", "--gradebook", ctx.gradebook, "--jury", str(jury), "--audit-db", ctx.audit,
               "--out", str(ctx.reports / "decisions.json"))


def report(ctx: DemoContext) -> None:
    """The jury report (HTML, CSV) and each candidate's feedback, in French and English."""
    for lang in ("fr", "en"):
        _workbench(ctx, "report", "--gradebook", ctx.gradebook, "--jury", str(ctx.inputs / "jury_blocks_2_5.csv"),
                   "--audit-db", ctx.audit, "--course-dir", str(ctx.course_dir), "--lang", lang,
                   "--session", "2026-06", "--out", str(ctx.reports))


def feedback(ctx: DemoContext) -> None:
    """Instructor: each graded candidate's feedback through nbgrader (per criterion, nothing hidden), released."""
    _workbench(ctx, "feedback", ctx.assignment, "--course-dir", str(ctx.course_dir), "--release")
    pages = sorted((ctx.course_dir / "feedback").glob(f"*/{ctx.assignment}/*.html"))
    candidates = {p.parent.parent.name for p in pages}
    ctx.facts.append(f"feedback: {len(pages)} nbgrader page(s) for {len(candidates)} candidate(s), released "
                     "(Fetch Feedback in JupyterLab)")


# --- Deliberation: the jury's minutes, then one appeal (steps of their own; see docs/scores-validator-reports.md)

def minutes(ctx: DemoContext) -> None:
    """Jury: the minutes of the session (procès-verbal, HTML and PDF), from the audit store."""
    from workbench.paths import grading_dir

    panel = ctx.inputs / "jury_panel.yml"
    shutil.copyfile(grading_dir() / "jury_panel_sample.yml", panel)
    _workbench(ctx, "minutes", "--panel", str(panel), "--gradebook", ctx.gradebook, "--audit-db", ctx.audit,
               "--out", str(ctx.reports / "minutes"))


def appeal(ctx: DemoContext) -> None:
    """Appeal: a candidate whose block 1 is not validated appeals; evidence frozen, re-marked, answered."""
    import json

    from workbench.deliberation.appeal import appeals_of
    from workbench.deliberation.store import open_store

    decided = json.loads((ctx.reports / "decisions.json").read_text(encoding="utf-8"))["decisions"]
    failed = [d["candidate"] for d in decided if d["blocks"]["B1"] == "not_validated"]
    if not failed:
        ctx.facts.append("appeal: no candidate with block 1 not validated, none shown")
        return
    cand = failed[0]
    common = ["--gradebook", ctx.gradebook, "--audit-db", ctx.audit]
    _workbench(ctx, "appeal", "open", cand, "--reason", "Le candidat conteste le niveau de grille de B1.1.b",
               "--course-dir", str(ctx.course_dir), "--evidence-dir", str(ctx.out / "appeals"), *common)
    store = open_store(f"sqlite:///{ctx.audit}")
    try:
        appeal_id = str(appeals_of(store, cand)[-1]["id"])
    finally:
        store.dispose()
    _workbench(ctx, "appeal", "regrade", appeal_id, "--reason", "Second correcteur : copies relues, niveaux maintenus",
               "--jury", str(ctx.inputs / "jury_blocks_2_5.csv"), *common)
    _workbench(ctx, "appeal", "answer", appeal_id, "--outcome", "upheld",
               "--text", "Le jury maintient sa décision après relecture par un second correcteur", *common)
    _workbench(ctx, "history", cand, *common)
    ctx.facts.append(f"appeal {appeal_id}: {cand}, evidence frozen in {ctx.out / 'appeals'}, decision upheld")


def analysis(ctx: DemoContext) -> None:
    """Marking quality and item analysis (agreement, moderation, harmonisation, items), in French and English."""
    for lang in ("fr", "en"):
        _workbench(ctx, "analysis", "--gradebook", ctx.gradebook, "--audit-db", ctx.audit, "--lang", lang,
                   "--out", str(ctx.reports))


STEPS: list[Callable[[DemoContext], None]] = [
    prepare_out, plan, create, release, submit, collect, autograde, rubric, scores, validate, report, feedback,
    analysis, minutes, appeal,
]


def run_demo(*, out: Path, scenario: str | None = None, size: int = 32, workers: int = 0,
             sandbox: bool = True, console: Console | None = None) -> DemoResult:
    """Run every step of the main job; see the module docstring."""
    from workbench.exercises.config import load_config

    console = console or Console()
    if sandbox:
        # Before any step: the autograde step needs bubblewrap, and half a demo helps nobody.
        from workbench.autograde.sandbox import require_bwrap

        require_bwrap()
    # The course and exchange are temporary folders outside the repository (nbgrader's course
    # must not live in the code tree); they are kept so formgrader can be opened on them.
    work = Path(tempfile.mkdtemp(prefix="workbench-demo-"))
    ctx = DemoContext(out=Path(out).resolve(), work=work, scenario=scenario or load_config().released_scenario,
                      size=size, workers=workers, sandbox=sandbox, console=console)
    for number, step in enumerate(STEPS, 1):
        console.rule(f"[bold]{number}/{len(STEPS)} {step.__name__}[/] — {step.__doc__.splitlines()[0]}")
        step(ctx)
    return DemoResult(out=ctx.out, course_dir=ctx.course_dir, jury_html=ctx.reports / "jury.fr.html", jury_csv=ctx.reports / "jury.fr.csv",
                      decisions_json=ctx.reports / "decisions.json", feedback_dir=ctx.reports / "feedback",
                      facts=tuple(ctx.facts))
