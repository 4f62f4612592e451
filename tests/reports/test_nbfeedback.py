"""Feedback through nbgrader's path: per criterion, in the course's language, nothing hidden, released on decision."""

from __future__ import annotations

import pytest

from tests.course.graded import ASSIGNMENT, fixture_map, graded_course
from workbench.errors import InputError
from workbench.reports.nbfeedback import generate_feedback, release_feedback

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def french_course(tmp_path_factory):
    return graded_course(tmp_path_factory.mktemp("fb") / "course", lang="fr")


def test_french_feedback_page_per_criterion_without_hidden_tests(french_course):
    made = generate_feedback(course_dir=french_course, assignment=ASSIGNMENT, criterion_map=fixture_map())
    (page,) = made.pages["c002"]
    html = page.read_text(encoding="utf-8")
    assert html.count('data-criterion="') == 3  # B1.1.a, B1.1.b, B1.3.a: the criteria this notebook evidences
    assert "Retour au candidat — c002" in html and "Pour progresser" in html and "non évalué" in html
    # the unanswered figure: plain French words, no exception class, no internal id of a check
    assert "Pas encore de réponse : `fig` n&#39;est pas défini" in html
    assert "Pas de réponse." in html and "Réponse du candidat" in html
    assert "Cellule notée" not in html and "Grade cell" not in html  # a plain title, never the grade id
    for english in ("No response.", "Student&#39;s answer", "Student's answer", "(Top)", "Score: "):
        assert english not in html, english
    for leak in ("NameError", "CheckFailed", "Traceback (most recent", "churn_rate(3, 3)", "HIDDEN TESTS", "figures.clarity"):
        assert leak not in html, leak
    assert "white-space: pre-wrap" in html  # long messages wrap in the page
    # not released until the instructor decides
    assert not list((french_course / "exchange" / "cert-b1" / "feedback").glob("*.html"))
    assert release_feedback(course_dir=french_course, assignment=ASSIGNMENT) == ["c002"]
    assert len(list((french_course / "exchange" / "cert-b1" / "feedback").glob("*.html"))) == 1


def test_feedback_for_a_candidate_not_graded_is_one_clear_line(french_course):
    with pytest.raises(InputError, match=r"not graded yet for 'warmup': c001 \(autograde first\), no feedback"):
        generate_feedback(course_dir=french_course, assignment=ASSIGNMENT, candidates=["c001"],
                          criterion_map=fixture_map())
    with pytest.raises(InputError, match="no feedback generated for 'warmup': c001"):
        release_feedback(course_dir=french_course, assignment=ASSIGNMENT, candidates=["c001"])
