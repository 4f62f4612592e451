"""Hostile candidates in one real sandboxed batch: no trick raises a grade (issue #12).

Every trick of :mod:`tests.autograde.judge.tricks` is one candidate: an empty notebook (every
solution ``pass``) or the model answer, plus the cells of the trick. The whole cohort, with an
empty and a model control, is graded once by ``workbench autograde`` (bubblewrap sandbox, judge in
the coordinator); each test then reads that batch: per-cell scores from the gradebook, statuses
from the summary and the journal, and what the hostile cells printed from the autograded notebooks.

A trick holds when its candidate scores no more, cell by cell, than the control with the same base.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from tests.autograde.conftest import copy_course
from tests.autograde.judge import tricks as T
from tests.autograde.judge.conftest import autograded_scores, grade, model_answers, submit
from tests.exercises.course import ASSIGNMENT

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[3]
CONTROLS = {"empty": "c_empty", "model": "c_model"}
NOT_DISPLAYED = "is not a figure this notebook displayed"
FIGURE_CELLS = ["clarity_sizes", "adequacy_sizes", "clarity_heatmap", "adequacy_heatmap", "clarity_map", "adequacy_map"]


@dataclass
class Batch:
    course: Path
    tricks: dict[str, T.Trick]
    summary: object
    seconds: float
    scores: dict[str, dict[tuple[str, str], tuple[float, float]]]
    journal: dict[str, object]

    def notebook(self, student: str, name: str):
        path = self.course / "autograded" / student / ASSIGNMENT / f"{name}.ipynb"
        return nbformat.read(path, as_version=4) if path.exists() else None

    def text(self, student: str, notebook: str | None = None) -> str:
        """Everything the candidate's autograded notebooks show (streams, errors, text data)."""
        parts = []
        for name in [notebook] if notebook else T.ALL:
            nb = self.notebook(student, name)
            for cell in nb.cells if nb else []:
                for out in cell.get("outputs", []):
                    parts.append(out.get("text", "") if isinstance(out.get("text"), str) else "")
                    parts += [out.get("ename", ""), out.get("evalue", "")]
                    parts.append(str((out.get("data") or {}).get("text/plain", "")))
        return "\n".join(parts)

    def cell_text(self, student: str, notebook: str, grade_id: str) -> str:
        nb = self.notebook(student, notebook)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
                return json.dumps(cell.get("outputs", []), ensure_ascii=False)
        raise KeyError(grade_id)

    def score(self, student: str, notebook: str, grade_id: str) -> float:
        return self.scores[student].get((notebook, grade_id), (0.0, 0.0))[0]

    def status(self, student: str) -> str:
        return self.summary.statuses.get(student, "<missing>")


def _answers(base: str, notebooks: tuple[str, ...], model: dict, overrides: dict) -> dict:
    out = {}
    for nb in notebooks:
        filled = dict(model[nb]) if base == "model" else {gid: "pass" for gid in model[nb]}
        for gid, code in overrides.get(nb, {}).items():
            filled[gid] = code.replace("@model@", model[nb][gid])
        out[nb] = filled
    return out


@pytest.fixture(scope="module")
def batch(judged_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Batch:
    from nbgrader.api import Gradebook

    from workbench.autograde.course import load_config
    from workbench.autograde.journal import Journal
    from workbench.autograde.runner import journal_path

    course = copy_course(judged_template, tmp_path_factory.mktemp("tricks") / "course")
    # copy_course rewrites the root only: the gradebook URL must point at the copy too.
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text().replace(str(judged_template), str(course)))
    model = model_answers(course)
    submit(course, CONTROLS["empty"], _answers("empty", T.ALL, model, {}))
    submit(course, CONTROLS["model"], _answers("model", T.ALL, model, {}))
    cohort = {t.name: t for t in T.tricks(course=course, repo=REPO)}
    for trick in cohort.values():
        submit(course, trick.name, _answers(trick.base, trick.notebooks, model, trick.overrides), extra_cells=trick.cells)
    course_id = load_config(course, None).CourseDirectory.course_id
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id) as gb:  # as `course create` registers candidates
        for student in [*CONTROLS.values(), *cohort]:
            gb.update_or_create_student(student)
    started = time.monotonic()
    summary = grade(course)
    seconds = time.monotonic() - started
    students = [*CONTROLS.values(), *cohort]
    scores = {s: autograded_scores(course, s) for s in students if s in summary.scores}
    journal = Journal(journal_path(course))
    try:
        entries = journal.entries(ASSIGNMENT)
    finally:
        journal.close()
    return Batch(course, cohort, summary, seconds, scores, entries)


NAMES = [t.name for t in T.tricks(course=Path("/course"), repo=REPO, key_texts=[])]


# Faults this file found, now fixed (a deep JSON frame killed the zygote; a non-text SVG output
# failed finalize): both used to leave the candidate pending as an infrastructure failure.
BLOCKS_OWN_GRADING: dict[str, str] = {}


def _blocked(name: str):
    reason = BLOCKS_OWN_GRADING.get(name)
    return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=reason)) if reason else name


# -- the batch itself -----------------------------------------------------------------------------------
def test_batch_is_not_stopped(batch: Batch):
    students = [*CONTROLS.values(), *batch.tricks]
    assert sorted(batch.summary.statuses) == sorted(students)
    assert batch.seconds < 240, f"the batch took {batch.seconds:.0f} s"


@pytest.mark.parametrize("name", [_blocked(n) for n in [*CONTROLS.values(), *NAMES]])
def test_candidate_gets_a_candidate_status(batch: Batch, name: str):
    """A fault caused by a notebook's content is that candidate's outcome, never pending."""
    assert batch.status(name) not in ("infra-failed", "<missing>"), batch.journal[name].detail
    assert batch.journal[name].state == "done"


def test_controls(batch: Batch):
    full = batch.scores["c_model"]
    assert full and all(score == maximum for score, maximum in full.values()), full
    assert batch.status("c_model") == "ok"
    assert sum(s for s, _ in batch.scores["c_empty"].values()) == 0, batch.scores["c_empty"]


# -- no trick raises a grade -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", [n for n in NAMES if not n.startswith("l_zero")])
def test_trick_does_not_raise_the_score(batch: Batch, name: str):
    trick = batch.tricks[name]
    control = batch.scores[trick.control or CONTROLS[trick.base]]
    got = batch.scores.get(name, {})  # a candidate left pending has no score to raise
    raised = {cell: (got[cell][0], control[cell][0]) for cell in got if got[cell][0] > control.get(cell, (0, 0))[0]}
    assert raised == {}, f"{name} ({trick.klass}) raised cells above its control: {raised}"
    if trick.status:
        assert batch.status(name) == trick.status, batch.summary.statuses
    if trick.status == "needs-review":
        assert name in batch.summary.needs_review


# -- 1. hooks: the test cells show the judge's verdict, whatever the shell was made to do ------------------
@pytest.mark.parametrize("name", ["h_input_transformer", "h_ast_transformer", "h_wrap_run_cell",
                                  "h_silent_tracebacks", "h_post_run_clear", "h_settrace"])
def test_hooks_leave_the_verdict_to_the_judge(batch: Batch, name: str):
    text = batch.cell_text(name, T.NB11, "collect_categories")
    assert "✘ 0/2 · " in text and "collect.categories" not in text, text[:500]  # plain words, no check id
    assert "passed" not in text


# -- 2. the library -------------------------------------------------------------------------------------
def test_numpy_patch_does_not_make_a_zero_table_pass(batch: Batch):
    full = batch.score("c_model", T.NB11, "analysis_table")
    zero = batch.score("l_zero_table", T.NB11, "analysis_table")
    assert zero < full
    assert batch.score("l_patch_numpy", T.NB11, "analysis_table") == zero


def test_patched_encoder_is_an_altered_answer(batch: Batch):
    assert batch.status("l_patch_encoder") == "needs-review"
    assert any("altered" in why for why in batch.summary.needs_review["l_patch_encoder"])


# -- 3. frames -------------------------------------------------------------------------------------------
def test_forged_verdict_frames_score_nothing_and_are_flagged(batch: Batch):
    review = batch.summary.needs_review.get("f_forge_all_exit", [])
    assert any("collect_categories" in why and "altered" in why for why in review), review
    assert all(batch.score("f_forge_all_exit", nb, gid) == 0 for nb, gid in batch.scores["f_forge_all_exit"])


def test_duplicate_hand_over_scores_zero_even_when_correct(batch: Batch):
    assert batch.text("f_forge_duplicate", T.NB11).count("PIPES: [") == 1
    assert re.search(r"PIPES: \[\d+", batch.text("f_forge_duplicate", T.NB11)), "the trick found no pipe"
    assert batch.score("f_forge_duplicate", T.NB11, "collect_categories") == 0
    assert batch.score("c_model", T.NB11, "collect_categories") > 0
    assert batch.status("f_forge_duplicate") == "needs-review"


def test_flooding_the_pipe_does_not_cost_an_honest_notebook(batch: Batch):
    flood = {k: v for k, v in batch.scores["f_flood"].items() if k[0] == T.NB11}
    assert flood == {k: v for k, v in batch.scores["c_model"].items() if k[0] == T.NB11}
    assert batch.status("f_flood") == "ok"


# -- 4. keys ---------------------------------------------------------------------------------------------
def test_no_key_is_readable_from_the_sandbox(batch: Batch):
    probe = batch.text("k_probe", T.NB11)
    assert "PROBED" in probe, probe[-2000:]
    assert "LEAK:" not in probe, [line for line in probe.splitlines() if "LEAK:" in line]
    assert "FAILED: load_scenario" in probe and "FAILED: practice key" in probe
    scan = batch.text("k_scan", T.NB11)
    found = re.search(r"SCANNED: (\d+)", scan)
    assert found and int(found.group(1)) > 100, scan[-2000:]
    assert "LEAK:" not in scan, [line for line in scan.splitlines() if "LEAK:" in line]


def test_the_key_probe_sees_keys_outside_the_sandbox(batch: Batch):
    """The same probe, run on the host, finds the keys: the sandbox test really observes it."""
    code = next(c for _, c in batch.tricks["k_probe"].cells[T.NB11])
    cwd = batch.course / "release" / ASSIGNMENT
    proc = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert "PROBED" in proc.stdout, proc.stderr[-2000:]
    assert "LEAK: read" in proc.stdout and "LEAK: load_scenario" in proc.stdout, proc.stdout


# -- 5. oracle -------------------------------------------------------------------------------------------
def test_no_oracle_in_the_sandbox(batch: Batch):
    text = batch.text("o_oracle", T.NB11)
    assert "JUDGE-ERRORS:" in text, text[-2000:]
    assert "ORACLE:" not in text and "SELFCHECK-SCORE" not in text
    returned = re.search(r"SELFCHECK-RETURNED: (.*)", text).group(1)
    assert set(re.findall(r"'([^']+)'", returned)) <= {"None", "CheckFailed"}, returned


# -- bad input ---------------------------------------------------------------------------------------------
def test_formatter_override_gets_a_candidate_status(batch: Batch):
    assert batch.status("b_formatter") not in ("infra-failed", "<missing>")
    assert batch.journal["b_formatter"].state == "done"
    assert all(score == maximum for score, maximum in batch.scores["c_model"].values())


def test_too_large_list_scores_zero_and_names_the_variable(batch: Batch):
    for gid in ("collect_categories", "justification_structure"):
        assert batch.score("b_big_list", T.NB11, gid) == 0
    assert "`chosen`" in batch.cell_text("b_big_list", T.NB11, "collect_categories")
    assert batch.score("b_big_list", T.NB11, "analysis_table") == batch.score("c_model", T.NB11, "analysis_table") > 0


def test_too_large_array_scores_zero(batch: Batch):
    assert batch.score("b_big_array", T.NB11, "analysis_table") == 0
    assert "MB" in batch.cell_text("b_big_array", T.NB11, "analysis_table")
    assert batch.score("b_big_array", T.NB11, "collect_categories") == batch.score("c_model", T.NB11, "collect_categories") > 0


# -- figures -------------------------------------------------------------------------------------------------
def test_png_only_figures_are_refused(batch: Batch):
    for gid in FIGURE_CELLS:
        assert batch.score("g_png_only", T.NB13, gid) == 0, gid
        assert NOT_DISPLAYED in batch.cell_text("g_png_only", T.NB13, gid)


def test_undisplayed_figure_b_is_refused(batch: Batch):
    for gid in ("clarity_sizes", "adequacy_sizes"):
        assert batch.score("g_undisplayed_b", T.NB13, gid) == 0
        assert NOT_DISPLAYED in batch.cell_text("g_undisplayed_b", T.NB13, gid)
    for gid in FIGURE_CELLS[2:]:
        assert batch.score("g_undisplayed_b", T.NB13, gid) == batch.score("c_model", T.NB13, gid) > 0


def test_forged_figure_sha_is_refused(batch: Batch):
    for gid in FIGURE_CELLS:
        assert batch.score("g_forged_sha", T.NB13, gid) == 0
    assert NOT_DISPLAYED in batch.cell_text("g_forged_sha", T.NB13, "clarity_sizes")


def test_too_large_array_message_names_the_variable(batch: Batch):
    assert "`table`" in batch.cell_text("b_big_array", T.NB11, "analysis_table")


def test_graded_svg_is_what_the_reader_sees(batch: Batch):
    """The output holding the graded SVG keeps no richer representation (HTML) showing another chart."""
    nb = batch.notebook("g_html_over_svg", T.NB13)
    holders = [out for cell in nb.cells for out in cell.get("outputs", [])
               if "image/svg+xml" in (out.get("data") or {})]
    assert holders
    shown = [sorted(out["data"]) for out in holders if "text/html" in out["data"]]
    assert shown == [], f"a graded SVG sits under an HTML representation: {shown}"
