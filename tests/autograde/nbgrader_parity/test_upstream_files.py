"""nbgrader 0.9.6's own autograde tests (files, notebooks, failures, kernels, timeouts), run by both tools.

Ported from ``nbgrader/tests/apps/test_nbgrader_autograde.py`` (jupyter/nbgrader v0.9.6): one
test per upstream test, same name, same fixtures (``files/``), same commands and upstream's
assertions checked on *both* copies; then :meth:`Twins.differences` must be empty, except the
lines a documented difference ("Differences from nbgrader autograde", docs/autograde.md)
explains, which the test asserts instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.autograde.nbgrader_parity.harness import Course, Twins, run_workbench, twins
from tests.autograde.nbgrader_parity.scenario import (A, S, _course, _leftover, _refuses_notebook, _same,
                                                      _two_submissions)

pytestmark = pytest.mark.slow


# -- test_force, test_force_f ----------------------------------------------------------------
def _extras(tmp_path: Path) -> Twins:
    course = _course(tmp_path)
    course.copy("submitted-unchanged.ipynb", "source/ps1/p1.ipynb")
    course.make("source/ps1/foo.txt", "foo")
    course.make("source/ps1/data/bar.txt", "bar")
    course.generate()
    course.copy("submitted-unchanged.ipynb", S.format("foo", "p1.ipynb"))
    course.make(S.format("foo", "foo.txt"), "foo")
    course.make(S.format("foo", "data/bar.txt"), "bar")
    course.make(S.format("foo", "blah.pyc"), "asdf")
    return twins(course, tmp_path)


@pytest.mark.parametrize("force", ["--force", "-f"])
def test_force(tmp_path: Path, force: str) -> None:
    pair = _extras(tmp_path)
    assert pair.autograde() == (0, 0)
    for c in pair.both:
        assert c.isfile(A.format("foo", "p1.ipynb")) and c.isfile(A.format("foo", "foo.txt"))
        assert c.isfile(A.format("foo", "data/bar.txt")) and not c.isfile(A.format("foo", "blah.pyc"))
    _same(pair)
    # it skips the existing folder
    pair.each(lambda c: c.remove(A.format("foo", "foo.txt")))
    assert pair.autograde() == (0, 0)
    for c in pair.both:
        assert not c.isfile(A.format("foo", "foo.txt"))
    _same(pair)
    # force overwrites the supplemental files
    assert pair.autograde("ps1", force) == (0, 0)
    for c in pair.both:
        assert c.isfile(A.format("foo", "foo.txt"))
    _same(pair)
    pair.each(lambda c: (c.remove("source/ps1/foo.txt"), c.remove(S.format("foo", "foo.txt"))))
    assert pair.autograde("ps1", force) == (0, 0)
    for c in pair.both:
        assert c.isfile(A.format("foo", "p1.ipynb")) and not c.isfile(A.format("foo", "foo.txt"))
        assert c.isfile(A.format("foo", "data/bar.txt")) and not c.isfile(A.format("foo", "blah.pyc"))
    _same(pair)


# -- test_filter_notebook --------------------------------------------------------------------
def test_filter_notebook(tmp_path: Path) -> None:
    pair = _extras(tmp_path)
    _refuses_notebook(pair, "--notebook", "p1")
    c = pair.nb  # upstream's assertions, on nbgrader's side
    assert c.nbgrader("autograde", "ps1", "--notebook", "p1") == 0
    assert c.isfile(A.format("foo", "p1.ipynb")) and c.isfile(A.format("foo", "foo.txt"))
    assert c.isfile(A.format("foo", "data/bar.txt")) and not c.isfile(A.format("foo", "blah.pyc"))
    c.remove(A.format("foo", "p1.ipynb"))
    c.remove(A.format("foo", "foo.txt"))
    assert c.nbgrader("autograde", "ps1", "--notebook", "p1") == 0
    assert c.isfile(A.format("foo", "p1.ipynb")) and c.isfile(A.format("foo", "foo.txt"))
    c.remove(A.format("foo", "foo.txt"))
    assert c.nbgrader("autograde", "ps1", "--notebook", "p1") == 0
    assert c.isfile(A.format("foo", "p1.ipynb")) and not c.isfile(A.format("foo", "foo.txt"))
    c.remove(A.format("foo", "p1.ipynb"))
    assert c.nbgrader("autograde", "ps1") == 0
    assert not c.isfile(A.format("foo", "p1.ipynb")) and not c.isfile(A.format("foo", "foo.txt"))
    assert c.isfile(A.format("foo", "data/bar.txt")) and not c.isfile(A.format("foo", "blah.pyc"))
    _refuses_notebook(pair, "--notebook", "p1")


# -- test_grade_overwrite_files, test_grade_overwrite_files_subdirs --------------------------
@pytest.mark.parametrize("sub", ["", "subdir/"])
def test_grade_overwrite_files(tmp_path: Path, sub: str) -> None:
    course = _course(tmp_path)
    course.config(f'c.Autograde.exclude_overwriting = {{"ps1": ["{sub}helper.py"]}}')
    course.copy("submitted-unchanged.ipynb", "source/ps1/p1.ipynb")
    course.make(f"source/ps1/{sub}data.csv", "some,data\n")
    course.make(f"source/ps1/{sub}helper.py", "print('hello!')\n")
    course.generate()
    course.copy("submitted-unchanged.ipynb", S.format("foo", "p1.ipynb"))
    course.make(S.format("foo", "timestamp.txt"), "2015-02-02 15:58:23.948203 America/Los_Angeles")
    course.make(S.format("foo", f"{sub}data.csv"), "some,other,data\n")
    course.make(S.format("foo", f"{sub}helper.py"), "print('this is different!')\n")
    pair = twins(course, tmp_path)
    assert pair.autograde() == (0, 0)
    for c in pair.both:
        assert c.isfile(A.format("foo", "p1.ipynb"))
        assert c.read(A.format("foo", "timestamp.txt")) == "2015-02-02 15:58:23.948203 America/Los_Angeles"
        assert c.read(A.format("foo", f"{sub}data.csv")) == "some,data\n"
        assert c.read(A.format("foo", f"{sub}helper.py")) == "print('this is different!')\n"
    _same(pair)


# -- test_side_effects -----------------------------------------------------------------------
def test_side_effects(tmp_path: Path) -> None:
    pair = _two_submissions(tmp_path, "side-effects.ipynb", "side-effects.ipynb", "side-effects.ipynb")
    pair.each(lambda c: c.remove(S.format("bar", "p1.ipynb")))  # upstream submits for foo only
    assert pair.autograde() == (0, 0)
    for c in pair.both:
        assert c.isfile(A.format("foo", "side-effect.txt"))
        assert not c.isfile(S.format("foo", "side-effect.txt"))
    _same(pair)


# -- test_skip_extra_notebooks ---------------------------------------------------------------
def test_skip_extra_notebooks(tmp_path: Path) -> None:
    course = _course(tmp_path)
    course.copy("submitted-unchanged.ipynb", "source/ps1/p1.ipynb")
    course.generate()
    course.copy("submitted-unchanged.ipynb", S.format("foo", "p1 copy.ipynb"))
    course.copy("submitted-changed.ipynb", S.format("foo", "p1.ipynb"))
    pair = twins(course, tmp_path)
    assert pair.autograde() == (0, 0)
    for c in pair.both:
        assert c.isfile(A.format("foo", "p1.ipynb")) and not c.isfile(A.format("foo", "p1 copy.ipynb"))
    _same(pair)


# -- test_permissions, test_custom_permissions -----------------------------------------------
def _permissions_course(tmp_path: Path, *, config: str | None = None) -> Twins:
    course = Course(tmp_path / "build")
    course.setup(["foo", "bar"], duedate=None)
    if config:
        course.config(config)
    course.empty_notebook("source/ps1/foo.ipynb")
    course.make("source/ps1/foo.txt", "foo")
    course.generate()
    course.empty_notebook(S.format("foo", "foo.ipynb"))
    course.make("source/foo/ps1/foo.txt", "foo")  # sic upstream: source/, not submitted/
    return twins(course, tmp_path)


@pytest.mark.parametrize("groupshared", [False, True])
def test_permissions(tmp_path: Path, groupshared: bool) -> None:
    pair = _permissions_course(tmp_path, config="c.CourseDirectory.groupshared = True" if groupshared else None)
    assert pair.autograde() == (0, 0)
    perms, dirperms = ("664", "2775") if groupshared else ("444", None)
    for c in pair.both:
        assert c.isfile(A.format("foo", "foo.ipynb")) and c.isfile(A.format("foo", "foo.txt"))
        if groupshared:
            assert c.mode("autograded/foo/ps1") == dirperms
        assert c.mode(A.format("foo", "foo.ipynb")) == perms and c.mode(A.format("foo", "foo.txt")) == perms
    _same(pair)


def test_custom_permissions(tmp_path: Path) -> None:
    pair = _permissions_course(tmp_path)
    assert pair.autograde("ps1", config=("--AutogradeApp.permissions=644",)) == (0, 0)
    for c in pair.both:
        assert c.mode(A.format("foo", "foo.ipynb")) == "644" and c.mode(A.format("foo", "foo.txt")) == "644"
    _same(pair)


# -- test_force_single_notebook, test_update_newer, test_update_newer_single_notebook --------
CLEAR_METADATA = ("--ClearMetadataPreprocessor.enabled=True",
                  "--ClearMetadataPreprocessor.clear_notebook_metadata=False",
                  "--ClearMetadataPreprocessor.preserve_cell_metadata_mask=[('nbgrader')]")


def _two_notebooks(tmp_path: Path, notebooks=("p1", "p2"), stamp: str | None = None) -> Twins:
    course = Course(tmp_path / "build")
    course.setup(["foo", "bar"])
    for name in notebooks:
        course.copy("test.ipynb", f"source/ps1/{name}.ipynb")
    course.generate()
    for name in notebooks:
        course.copy("test.ipynb", S.format("foo", f"{name}.ipynb"))
    if stamp:
        course.make(S.format("foo", "timestamp.txt"), stamp)
    return twins(course, tmp_path)


def test_force_single_notebook(tmp_path: Path) -> None:
    pair = _two_notebooks(tmp_path)
    assert pair.autograde("ps1", config=CLEAR_METADATA) == (0, 0)
    before = {}
    for c in pair.both:
        p1, p2 = c.read(A.format("foo", "p1.ipynb")), c.read(A.format("foo", "p2.ipynb"))
        assert p1 == p2
        before[c.root.name] = p1, p2
    _same(pair)
    pair.each(lambda c: (c.empty_notebook(S.format("foo", "p1.ipynb")), c.empty_notebook(S.format("foo", "p2.ipynb"))))
    _refuses_notebook(pair, "--notebook", "p1", "--force")
    c = pair.nb
    assert c.nbgrader("autograde", "ps1", "--notebook", "p1", "--force") == 0
    p1, p2 = before[c.root.name]
    assert p1 != c.read(A.format("foo", "p1.ipynb")) and p2 == c.read(A.format("foo", "p2.ipynb"))


STAMP1 = "2015-02-02 15:58:23.948203 America/Los_Angeles"
STAMP2 = "2015-02-02 16:58:23.948203 America/Los_Angeles"


def test_update_newer(tmp_path: Path) -> None:
    pair = _two_notebooks(tmp_path, ("p1",), stamp=STAMP1)
    assert pair.autograde() == (0, 0)
    before = {}
    for c in pair.both:
        assert c.read(A.format("foo", "timestamp.txt")) == STAMP1
        before[c.root.name] = c.read(A.format("foo", "p1.ipynb"))
    _same(pair)
    pair.each(lambda c: (c.empty_notebook(S.format("foo", "p1.ipynb")), c.make(S.format("foo", "timestamp.txt"), STAMP2)))
    assert pair.autograde() == (0, 0)
    for c in pair.both:
        assert c.read(A.format("foo", "timestamp.txt")) == STAMP2
        assert before[c.root.name] != c.read(A.format("foo", "p1.ipynb"))
    _same(pair)


def test_update_newer_single_notebook(tmp_path: Path) -> None:
    pair = _two_notebooks(tmp_path, stamp=STAMP1)
    assert pair.autograde("ps1", config=CLEAR_METADATA) == (0, 0)
    before = {}
    for c in pair.both:
        assert c.read(A.format("foo", "timestamp.txt")) == STAMP1
        p1, p2 = c.read(A.format("foo", "p1.ipynb")), c.read(A.format("foo", "p2.ipynb"))
        assert p1 == p2
        before[c.root.name] = p1, p2
    _same(pair)
    pair.each(lambda c: (c.empty_notebook(S.format("foo", "p1.ipynb")), c.empty_notebook(S.format("foo", "p2.ipynb")),
                         c.make(S.format("foo", "timestamp.txt"), STAMP2)))
    _refuses_notebook(pair, "--notebook", "p1")
    c = pair.nb
    assert c.nbgrader("autograde", "ps1", "--notebook", "p1") == 0
    p1, p2 = before[c.root.name]
    assert c.read(A.format("foo", "timestamp.txt")) == STAMP2
    assert p1 != c.read(A.format("foo", "p1.ipynb")) and p2 == c.read(A.format("foo", "p2.ipynb"))


# -- test_hidden_tests_single_notebook, test_hidden_tests_autotest ---------------------------
# Upstream also runs `nbgrader validate` on the submitted and autograded copies: that checks
# nbgrader's validator, not autograde; the scores and the restored hidden tests are kept.
def test_hidden_tests_single_notebook(tmp_path: Path) -> None:
    course = _course(tmp_path)
    course.config('c.ClearSolutions.code_stub = dict(python="# YOUR CODE HERE")')
    course.copy("test-hidden-tests.ipynb", "source/ps1/p1.ipynb")
    course.generate()
    assert "BEGIN HIDDEN TESTS" not in course.read("release/ps1/p1.ipynb")
    course.copy("release/ps1/p1.ipynb", S.format("foo", "p1.ipynb"))
    pair = twins(course, tmp_path)
    assert pair.autograde() == (0, 0)
    for c in pair.both:
        assert "BEGIN HIDDEN TESTS" in c.read(A.format("foo", "p1.ipynb"))
        with c.gradebook() as gb:
            assert gb.find_submission("ps1", "foo").notebooks[0].score == 1.5
    _same(pair)


def test_hidden_tests_autotest(tmp_path: Path) -> None:
    course = _course(tmp_path, ("foo", "bar", "baz"))
    course.config('c.ClearSolutions.code_stub = dict(python="# YOUR CODE HERE")')
    course.copy("autotest-hidden.ipynb", "source/ps1/p1.ipynb")
    course.copy("autotests.yml", "autotests.yml")
    course.generate()
    course.copy("autotest-hidden-unchanged.ipynb", S.format("foo", "p1.ipynb"))
    course.copy("autotest-hidden-changed-wrong.ipynb", S.format("bar", "p1.ipynb"))
    course.copy("autotest-hidden-changed-right.ipynb", S.format("baz", "p1.ipynb"))
    pair = twins(course, tmp_path)
    assert pair.autograde() == (0, 0)
    for c in pair.both:
        for student in ("foo", "bar", "baz"):
            assert "BEGIN HIDDEN TESTS" in c.read(A.format(student, "p1.ipynb"))
        with c.gradebook() as gb:
            scores = [gb.find_submission("ps1", s).notebooks[0].score for s in ("foo", "bar", "baz")]
        assert scores == [0, 0, 1]
    _same(pair)


# -- test_handle_failure, test_handle_failure_single_notebook --------------------------------
def _failure_course(tmp_path: Path) -> Course:
    course = Course(tmp_path / "build")
    course.setup(["foo", "bar"])
    course.empty_notebook("source/ps1/p1.ipynb")
    course.empty_notebook("source/ps1/p2.ipynb")
    course.generate()
    return course


def test_handle_failure(tmp_path: Path) -> None:
    course = _failure_course(tmp_path)
    course.empty_notebook(S.format("bar", "p1.ipynb"))
    course.copy("test.ipynb", S.format("bar", "p2.ipynb"))
    course.empty_notebook(S.format("foo", "p1.ipynb"))
    course.empty_notebook(S.format("foo", "p2.ipynb"))
    pair = twins(course, tmp_path)
    nb_code, wb_code = pair.autograde()
    assert nb_code == 1
    assert not pair.nb.exists("autograded/bar/ps1") and pair.nb.exists("autograded/foo/ps1")
    # documented difference (a broken notebook in a submission): nbgrader fails the whole
    # submission and removes its autograded folder; the workbench scores that notebook 0
    # (status invalid-notebook) and grades the others. The gradebook rows are the same.
    assert wb_code == 0
    assert pair.wb.isfile(A.format("bar", "p1.ipynb")) and not pair.wb.exists(A.format("bar", "p2.ipynb"))
    _same(pair, ignore=lambda line: line.startswith(("exit status: nbgrader 1, workbench 0", "autograded: bar/")))


def test_handle_failure_single_notebook(tmp_path: Path) -> None:
    course = _failure_course(tmp_path)
    course.empty_notebook(S.format("foo", "p1.ipynb"))
    course.copy("test.ipynb", S.format("foo", "p2.ipynb"))
    pair = twins(course, tmp_path)
    _refuses_notebook(pair, "--notebook", "p*")
    assert pair.nb.nbgrader("autograde", "ps1", "--notebook", "p*") == 1
    assert pair.nb.exists("autograded/foo/ps1")
    assert not pair.nb.isfile(A.format("foo", "p1.ipynb")) and not pair.nb.isfile(A.format("foo", "p2.ipynb"))


# -- kernelspecs -----------------------------------------------------------------------------
def _kernel_course(tmp_path: Path, source_kernel: str | None) -> Course:
    course = Course(tmp_path / "build")
    course.setup(["foo", "bar"])
    course.config("c.ClearSolutions.code_stub = {'python': '## Answer', 'blah': '## Answer'}")
    course.empty_notebook("source/ps1/p1.ipynb", kernel=source_kernel)
    course.generate()
    return course


def test_missing_source_kernelspec(tmp_path: Path) -> None:
    course = _kernel_course(tmp_path, None)
    course.empty_notebook(S.format("foo", "p1.ipynb"), kernel="python")
    pair = twins(course, tmp_path)
    assert pair.autograde() == (0, 0)
    for c in pair.both:
        assert c.isfile(A.format("foo", "p1.ipynb"))
    _same(pair)
    pair.each(lambda c: c.empty_notebook(S.format("bar", "p1.ipynb"), kernel="blarg"))
    nb_code, wb_code = pair.autograde()
    assert nb_code == 1 and wb_code == 2  # the workbench: one line naming the kernel
    for c in pair.both:
        assert not c.exists("autograded/bar/ps1")
    _same(pair, ignore=_leftover(pair, "bar"))


def test_incorrect_source_kernelspec(tmp_path: Path) -> None:
    course = _kernel_course(tmp_path, "blah")
    course.empty_notebook(S.format("foo", "p1.ipynb"), kernel="python")
    pair = twins(course, tmp_path)
    nb_code, wb_code = pair.autograde()
    assert nb_code == 1 and wb_code == 2
    for c in pair.both:
        assert not c.exists("autograded/foo/ps1")
    _same(pair, ignore=_leftover(pair, "foo"))


def test_incorrect_submitted_kernelspec(tmp_path: Path) -> None:
    course = _kernel_course(tmp_path, "python")
    course.empty_notebook(S.format("foo", "p1.ipynb"), kernel="blah")
    pair = twins(course, tmp_path)
    assert pair.autograde() == (0, 0)
    for c in pair.both:
        assert c.isfile(A.format("foo", "p1.ipynb"))
    _same(pair)


# -- test_infinite_loop, test_autograde_timeout ----------------------------------------------
def test_infinite_loop(tmp_path: Path) -> None:
    course = _course(tmp_path)
    course.config("c.Execute.timeout = 1")
    course.copy("infinite-loop.ipynb", "source/ps1/p1.ipynb")
    course.generate()
    course.copy("infinite-loop.ipynb", S.format("foo", "p1.ipynb"))
    pair = twins(course, tmp_path)
    assert pair.autograde() == (0, 0)
    for c in pair.both:
        assert c.isfile(A.format("foo", "p1.ipynb"))
    _same(pair)


def test_autograde_timeout(tmp_path: Path) -> None:
    pair = _two_submissions(tmp_path, "timeout.ipynb", "timeout.ipynb", "timeout.ipynb")
    assert pair.autograde("ps1", "--student", "foo") == (0, 0)
    assert pair.autograde("ps1", "--student", "bar", config=("--Execute.timeout=2",)) == (0, 0)
    for c, bar in ((pair.nb, 0), (pair.wb, 1)):
        with c.gradebook() as gb:
            assert gb.find_submission_notebook("p1", "ps1", "foo").score == 1
            assert gb.find_submission_notebook("p1", "ps1", "bar").score == bar
    # documented difference: the cell timeout counts CPU time (a wall-clock backstop at 3x), so
    # a cell that sleeps 5 s under a 2 s timeout is not interrupted; nbgrader counts wall time
    _same(pair, ignore=lambda line: line.split(": ")[1].startswith(("bar/", "ps1/bar")))


# -- test_missing_files, test_grade_missing_notebook, test_grade_with_validating_envvar ------
def test_missing_files(tmp_path: Path) -> None:
    course = Course(tmp_path / "build")
    course.setup(["foo", "bar"])
    course.empty_notebook("source/ps1/p1.ipynb")
    course.generate()
    course.empty_notebook(S.format("foo", "p1.ipynb"))
    course.path("submitted/bar/ps1").mkdir(parents=True)
    pair = twins(course, tmp_path)
    assert pair.autograde() == (0, 0)
    for c in pair.both:
        assert c.isfile(A.format("foo", "p1.ipynb")) and not c.exists("autograded/bar")
    _same(pair)


def test_grade_missing_notebook(tmp_path: Path) -> None:
    course = _course(tmp_path)
    course.copy("submitted-unchanged.ipynb", "source/ps1/p1.ipynb")
    course.copy("submitted-unchanged.ipynb", "source/ps1/p2.ipynb")
    course.generate()
    course.copy("submitted-changed.ipynb", S.format("foo", "p1.ipynb"))
    pair = twins(course, tmp_path)
    assert pair.autograde() == (0, 0)
    for c in pair.both:
        assert c.isfile(A.format("foo", "p1.ipynb")) and not c.isfile(A.format("foo", "p2.ipynb"))
        with c.gradebook() as gb:
            _, nb2 = gb.find_submission("ps1", "foo").notebooks
            assert not nb2.needs_manual_grade and nb2.score == 0
    _same(pair)


def test_grade_with_validating_envvar(tmp_path: Path) -> None:
    course = _course(tmp_path, ("foo",))
    course.copy("validating-environment-variable.ipynb", "source/ps1/p1.ipynb")
    course.generate()
    course.copy("validating-environment-variable.ipynb", S.format("foo", "p1.ipynb"))
    pair = twins(course, tmp_path)
    assert pair.autograde() == (0, 0)
    for c in pair.both:
        assert c.isfile(A.format("foo", "p1.ipynb"))
        with c.gradebook() as gb:
            assert gb.find_submission("ps1", "foo").notebooks[0].score == 0
    _same(pair)


# -- test_no_execute -------------------------------------------------------------------------
def test_no_execute(tmp_path: Path) -> None:
    course = Course(tmp_path / "build")
    course.setup(["foo", "bar"])
    course.copy("test.ipynb", "source/ps1/p1.ipynb")
    course.generate()
    course.copy("test-with-output.ipynb", S.format("foo", "p1.ipynb"))
    pair = twins(course, tmp_path)
    assert pair.autograde() == (0, 0)
    _same(pair)
    nb_code = pair.nb.nbgrader("autograde", "ps1", "--force", "--no-execute")
    assert nb_code == 0
    # documented refusal: the workbench always executes (a submission's stored outputs are the
    # candidate's, never evidence); --no-execute is not an option of `workbench autograde`
    code, crash = run_workbench(pair.wb.root, ["ps1", "--force", "--no-execute"])
    assert code == 2 and not crash


# -- convert hooks (not in nbgrader's autograde tests: its converter tests cover them) --------
HOOKS = '''
import os

def _log(kind, assignment, student, notebooks):
    with open(os.path.join(os.path.dirname(__file__), "hooks.log"), "a") as fh:
        fh.write(f"{kind} {assignment} {student} {sorted(os.path.basename(n) for n in notebooks)}\\n")

def pre(assignment, student, notebooks):
    _log("pre", assignment, student, notebooks)

def post(assignment, student, notebooks):
    _log("post", assignment, student, notebooks)
'''


def test_convert_hooks(tmp_path: Path) -> None:
    course = _course(tmp_path)
    course.make("course_hooks.py", HOOKS)
    course.config("c.Autograde.pre_convert_hook = 'course_hooks.pre'")
    course.config("c.Autograde.post_convert_hook = 'course_hooks.post'")
    course.copy("submitted-unchanged.ipynb", "source/ps1/p1.ipynb")
    course.generate()
    course.copy("submitted-unchanged.ipynb", S.format("foo", "p1.ipynb"))
    course.copy("submitted-changed.ipynb", S.format("bar", "p1.ipynb"))
    pair = twins(course, tmp_path)
    assert pair.autograde() == (0, 0)
    logs = [sorted(c.read("hooks.log").splitlines()) for c in pair.both]
    assert logs[0] == logs[1] and len(logs[0]) == 4, logs
    _same(pair)
