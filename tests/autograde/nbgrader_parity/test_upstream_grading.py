"""nbgrader 0.9.6's own autograde tests (grading, timestamps, late penalties), run by both tools.

Ported from ``nbgrader/tests/apps/test_nbgrader_autograde.py`` (jupyter/nbgrader v0.9.6): one
test per upstream test, same name, same fixtures (``files/``), same commands and upstream's
assertions checked on *both* copies; then :meth:`Twins.differences` must be empty, except the
lines a documented difference ("Differences from nbgrader autograde", docs/autograde.md)
explains, which the test asserts instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from nbgrader.api import MissingEntry

from tests.autograde.nbgrader_parity.harness import Course, Twins, twins
from tests.autograde.nbgrader_parity.scenario import A, S, _course, _leftover, _same, _scores, _two_submissions

pytestmark = pytest.mark.slow


# -- test_grade ------------------------------------------------------------------------------
def test_grade(tmp_path: Path) -> None:
    course = _course(tmp_path)
    course.copy("submitted-unchanged.ipynb", "source/ps1/p1.ipynb")
    course.generate()
    course.copy("submitted-unchanged.ipynb", "submitted/foo/ps1/p1.ipynb")
    course.copy("submitted-changed.ipynb", "submitted/bar/ps1/p1.ipynb")
    pair = twins(course, tmp_path)
    assert pair.autograde() == (0, 0)
    for c in pair.both:
        assert c.isfile(A.format("foo", "p1.ipynb")) and not c.isfile(A.format("foo", "timestamp.txt"))
        assert c.isfile(A.format("bar", "p1.ipynb")) and not c.isfile(A.format("bar", "timestamp.txt"))
        with c.gradebook() as gb:
            nb = gb.find_submission_notebook("p1", "ps1", "foo")
            assert (nb.score, nb.max_score, nb.needs_manual_grade) == (1, 7, False)
            for name in ("set_a", "baz", "quux"):
                assert gb.find_comment(name, "p1", "ps1", "foo").comment == "No response."
            nb = gb.find_submission_notebook("p1", "ps1", "bar")
            assert (nb.score, nb.max_score, nb.needs_manual_grade) == (2, 7, True)
            assert gb.find_comment("set_a", "p1", "ps1", "bar").comment is None
            assert gb.find_comment("quux", "p1", "ps1", "bar").comment is None
    _same(pair)



# -- test_missing_student --------------------------------------------------------------------
def test_missing_student(tmp_path: Path) -> None:
    course = _course(tmp_path)
    course.copy("submitted-changed.ipynb", "source/ps1/p1.ipynb")
    course.generate()
    course.copy("submitted-changed.ipynb", S.format("baz", "p1.ipynb"))
    pair = twins(course, tmp_path)
    nb_code, wb_code = pair.autograde("ps1", config=("--Autograde.create_student=False",))
    assert nb_code == 1
    # documented difference: the workbench names the unknown student and grades the others,
    # exit 2 (a fault to fix first), where nbgrader stops with a traceback (exit 1)
    assert wb_code == 2
    _same(pair)
    assert pair.autograde() == (0, 0)  # the default creates missing students
    _same(pair)


# -- test_missing_assignment -----------------------------------------------------------------
def test_missing_assignment(tmp_path: Path) -> None:
    course = _course(tmp_path)
    course.copy("submitted-changed.ipynb", "source/ps1/p1.ipynb")
    course.generate()
    course.copy("submitted-changed.ipynb", "submitted/ps2/foo/p1.ipynb")
    pair = twins(course, tmp_path)
    nb_code, wb_code = pair.autograde("ps2")
    assert nb_code == 1 and wb_code == 2  # the workbench: one line naming the missing assignment
    _same(pair)


# -- test_grade_autotest, test_grade_hashed_autotest, test_grade_complex_autotest ------------
@pytest.mark.parametrize("kind, max_score, bar_score", [("simple", 1, 1), ("hashed", 1, 1), ("multi", 4, 3)])
def test_grade_autotest(tmp_path: Path, kind: str, max_score: int, bar_score: int) -> None:
    pair = _two_submissions(tmp_path, f"autotest-{kind}.ipynb", f"autotest-{kind}-unchanged.ipynb",
                            f"autotest-{kind}-changed.ipynb", root_files=["autotests.yml"])
    assert pair.autograde() == (0, 0)
    for c in pair.both:
        for student in ("foo", "bar"):
            assert c.isfile(A.format(student, "p1.ipynb")) and not c.isfile(A.format(student, "timestamp.txt"))
        _scores(c, {"foo": (0, max_score, False), "bar": (bar_score, max_score, False)})
    _same(pair)


# -- test_showtraceback_exploit --------------------------------------------------------------
def test_showtraceback_exploit(tmp_path: Path) -> None:
    course = _course(tmp_path, ("foo", "bar", "spam", "eggs"))
    course.copy("submitted-unchanged.ipynb", "source/ps1/p1.ipynb")
    course.generate()
    course.config("c.Execute.timeout = None")
    for student, fixture in [("foo", "submitted-unchanged.ipynb"), ("bar", "submitted-changed.ipynb"),
                             ("spam", "submitted-cheat-attempt.ipynb"),
                             ("eggs", "submitted-cheat-attempt-alternative.ipynb")]:
        course.copy(fixture, S.format(student, "p1.ipynb"))
    pair = twins(course, tmp_path)
    assert pair.autograde() == (0, 0)
    for c in pair.both:
        for student in ("foo", "bar", "spam", "eggs"):
            assert c.isfile(A.format(student, "p1.ipynb")) and not c.isfile(A.format(student, "timestamp.txt"))
        _scores(c, {"foo": (1, 7, False), "bar": (2, 7, True), "spam": (1, 7, True), "eggs": (1, 7, True)})
    _same(pair)


# -- test_student_id_exclude -----------------------------------------------------------------
def test_student_id_exclude(tmp_path: Path) -> None:
    course = _course(tmp_path)
    course.copy("submitted-unchanged.ipynb", "source/ps1/p1.ipynb")
    course.generate()
    course.copy("submitted-unchanged.ipynb", S.format("foo", "p1.ipynb"))
    course.copy("submitted-changed.ipynb", S.format("bar", "p1.ipynb"))
    course.copy("submitted-changed.ipynb", S.format("baz", "p1.ipynb"))
    pair = twins(course, tmp_path)
    assert pair.autograde("ps1", config=("--CourseDirectory.student_id_exclude=bar,baz",)) == (0, 0)
    for c in pair.both:
        assert c.isfile(A.format("foo", "p1.ipynb"))
        assert not c.isfile(A.format("bar", "p1.ipynb")) and not c.isfile(A.format("baz", "p1.ipynb"))
        with c.gradebook() as gb:
            assert gb.find_submission_notebook("p1", "ps1", "foo").score == 1
            for student in ("bar", "baz"):
                with pytest.raises(MissingEntry):
                    gb.find_submission_notebook("p1", "ps1", student)
    _same(pair)


# -- test_grade_timestamp --------------------------------------------------------------------
def test_grade_timestamp(tmp_path: Path) -> None:
    course = _course(tmp_path)
    course.copy("submitted-unchanged.ipynb", "source/ps1/p1.ipynb")
    course.generate()
    course.copy("submitted-unchanged.ipynb", S.format("foo", "p1.ipynb"))
    course.make(S.format("foo", "timestamp.txt"), "2015-02-02 15:58:23.948203 America/Los_Angeles")
    course.copy("submitted-changed.ipynb", S.format("bar", "p1.ipynb"))
    course.make(S.format("bar", "timestamp.txt"), "2015-02-01 14:58:23.948203 America/Los_Angeles")
    pair = twins(course, tmp_path)
    assert pair.autograde() == (0, 0)
    for c in pair.both:
        for student in ("foo", "bar"):
            assert c.isfile(A.format(student, "p1.ipynb")) and c.isfile(A.format(student, "timestamp.txt"))
        with c.gradebook() as gb:
            assert gb.find_submission("ps1", "foo").total_seconds_late > 0
            assert gb.find_submission("ps1", "bar").total_seconds_late == 0
    _same(pair)
    assert pair.autograde() == (0, 0)  # a second run still works
    _same(pair)


# -- test_grade_empty_timestamp --------------------------------------------------------------
def test_grade_empty_timestamp(tmp_path: Path) -> None:
    course = _course(tmp_path)
    course.copy("submitted-unchanged.ipynb", "source/ps1/p1.ipynb")
    course.generate()
    course.copy("submitted-unchanged.ipynb", S.format("foo", "p1.ipynb"))
    course.make(S.format("foo", "timestamp.txt"), "")
    pair = twins(course, tmp_path)
    assert pair.autograde() == (0, 0)
    for c in pair.both:
        assert c.isfile(A.format("foo", "p1.ipynb")) and c.isfile(A.format("foo", "timestamp.txt"))
        with c.gradebook() as gb:
            assert gb.find_submission("ps1", "foo").total_seconds_late == 0
    _same(pair)

    def invalid(c: Course) -> None:
        c.copy("submitted-changed.ipynb", S.format("bar", "p1.ipynb"))
        c.make(S.format("bar", "timestamp.txt"), "But I want to be a timestamp string :(")

    pair.each(invalid)
    nb_code, wb_code = pair.autograde()
    assert nb_code == 1 and wb_code == 2  # the workbench: one line naming timestamp.txt
    for c in pair.both:
        assert not c.exists("autograded/bar/ps1")
    _same(pair, ignore=_leftover(pair, "bar"))


# -- test_late_submission_penalty_none / _zero / _plugin -------------------------------------
PLUGIN = '''
from nbgrader.plugins import BasePlugin

class Blarg(BasePlugin):
    def late_submission_penalty(self, student_id, score, total_seconds_late):
        # loss 1 mark per hour late
        hours_late = total_seconds_late / 3600
        return int(hours_late)
'''


def _late(tmp_path: Path, *, config: str | None, foo_stamp: str, plugin: bool = False) -> Twins:
    course = _course(tmp_path)
    if plugin:
        course.make("late_plugin.py", PLUGIN)
    if config:
        course.config(config)
    course.copy("submitted-unchanged.ipynb", "source/ps1/p1.ipynb")
    course.generate()
    course.copy("submitted-unchanged.ipynb", S.format("foo", "p1.ipynb"))
    course.make(S.format("foo", "timestamp.txt"), foo_stamp)
    course.copy("submitted-changed.ipynb", S.format("bar", "p1.ipynb"))
    course.make(S.format("bar", "timestamp.txt"), "2015-02-02 15:58:23.948203 America/Los_Angeles")  # 1 h late
    pair = twins(course, tmp_path)
    assert pair.autograde() == (0, 0)
    for c in pair.both:
        for student in ("foo", "bar"):
            assert c.isfile(A.format(student, "p1.ipynb")) and c.isfile(A.format(student, "timestamp.txt"))
    return pair


def _late_rows(c: Course, student: str) -> tuple:
    with c.gradebook() as gb:
        sub = gb.find_submission("ps1", student)
        nb = sub.notebooks[0]
        return nb.score, sub.total_seconds_late, nb.late_submission_penalty


def test_late_submission_penalty_none(tmp_path: Path) -> None:
    pair = _late(tmp_path, config=None, foo_stamp="2015-02-02 14:58:23.948203 America/Los_Angeles")
    for c in pair.both:
        assert _late_rows(c, "foo") == (1, 0, None)
        score, late, penalty = _late_rows(c, "bar")
        assert score == 2 and late > 0 and penalty is None
    _same(pair)


def test_late_submission_penalty_zero(tmp_path: Path) -> None:
    pair = _late(tmp_path, config="c.LateSubmissionPlugin.penalty_method = 'zero'",
                 foo_stamp="2015-02-02 14:58:23.948203 America/Los_Angeles")
    for c in pair.both:
        assert _late_rows(c, "foo") == (1, 0, None)
        score, late, penalty = _late_rows(c, "bar")
        assert score == 2 and late > 0 and penalty == score
    _same(pair)
    # upstream issue 723: the penalty is reset when the timestamp changes
    pair.each(lambda c: c.make(S.format("bar", "timestamp.txt"), "2015-02-02 14:58:23.948203 America/Los_Angeles"))
    assert pair.autograde("ps1", "--force") == (0, 0)
    for c in pair.both:
        assert _late_rows(c, "bar") == (2, 0, None)
    _same(pair)


def test_late_submission_penalty_plugin(tmp_path: Path) -> None:
    pair = _late(tmp_path, config="c.AssignLatePenalties.plugin_class = 'late_plugin.Blarg'", plugin=True,
                 foo_stamp="2015-02-02 18:58:23.948203 America/Los_Angeles")  # 4 h late
    for c in pair.both:
        score, late, penalty = _late_rows(c, "foo")
        assert score == 1 and late > 0 and penalty == score
        score, late, penalty = _late_rows(c, "bar")
        assert score == 2 and late > 0 and penalty == 1
    _same(pair)
