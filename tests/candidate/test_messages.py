"""What a candidate reads: one language, plain words, one line per outcome, lines that fit Validate."""

from __future__ import annotations

import re

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from workbench.autograde.judge.verdict import outputs  # noqa: E402
from workbench_candidate import block1  # noqa: E402
from workbench_candidate.checks import declarations  # noqa: E402
from workbench_candidate.lang import LANGS, WIDTH, catalogue, placeholders, wrap  # noqa: E402
from workbench_candidate.outcome import Fault, Outcome  # noqa: E402
from workbench_candidate.plain import CheckFailed, not_answered, plain_error  # noqa: E402

INTERNAL = re.compile(r"CheckFailed|NameError|Traceback|\b(collect|segment|figures)\.[a-z_]+")
VALIDATE_CUT = 87  # nbgrader's Validate cuts longer lines (width 90 minus "...")


def test_every_message_exists_in_both_languages_with_the_same_placeholders():
    for key, texts in catalogue().items():
        assert set(texts) == set(LANGS), key
        assert all(t.strip() for t in texts.values()), key
        assert placeholders(texts["fr"]) == placeholders(texts["en"]), key
    for decl in declarations().values():
        for text in (decl.title, decl.public, decl.hint):
            assert text.en.strip() and text.fr.strip() and text.en != text.fr, decl.id


@pytest.fixture
def untitled():
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    yield fig
    plt.close(fig)


@pytest.mark.parametrize("lang, fragment", [("en", "The chart has no title"), ("fr", "Le graphique n'a pas de titre")])
def test_a_failed_self_check_reads_plainly_in_the_course_language(untitled, monkeypatch, lang, fragment):
    monkeypatch.setenv("WORKBENCH_LANG", lang)
    with pytest.raises(CheckFailed) as err:
        block1.figure_clarity.check(untitled)
    lines = err.value._render_traceback_()
    text = "\n".join(lines)
    assert fragment in text and not INTERNAL.search(text), text
    assert text.startswith("✘ ") and text.count("✘") == 1
    other = "Le graphique" if lang == "en" else "The chart"
    assert other not in text  # one language, not both
    assert max(map(len, lines)) <= VALIDATE_CUT - 4


def test_a_passing_self_check_is_one_plain_line(untitled, capsys, monkeypatch):
    monkeypatch.setenv("WORKBENCH_LANG", "fr")
    ax = untitled.axes[0]
    ax.set_title("Titre"), ax.set_xlabel("x"), ax.set_ylabel("y")
    block1.figure_clarity.check(untitled)
    out = capsys.readouterr().out
    assert out == "✔ La figure est claire\n"


@pytest.mark.parametrize("exc, expected", [
    (NameError("name 'chosen' is not defined"), "Not answered yet: `chosen` is not defined"),
    (NotImplementedError(), "Not answered yet: replace `raise NotImplementedError()`"),
    (NotImplementedError("a library's own"), None),
    (NameError("something else"), None),
])
def test_unanswered_questions_say_so(exc, expected):
    text = not_answered(exc, "en")
    assert (text is None) if expected is None else text.startswith(expected)
    if expected:
        assert not_answered(exc, "fr").startswith("Pas encore de réponse")


def test_feedback_error_lines_carry_no_class_name():
    assert plain_error("NameError", "name 'names' is not defined", "fr").startswith("Pas encore de réponse : `names`")
    assert plain_error("CheckFailed", "✘ 0/2 · The chart has no title", "en") == "✘ 0/2 · The chart has no title"
    assert plain_error("AssertionError", "", "en") == "AssertionError"  # a bare assert: nothing else to say


def test_a_verdict_is_one_line_per_outcome():
    decl = declarations()["figures.clarity"]
    passed, score = outputs(Outcome(), decl, 2, lang="en")
    assert score == 2 and passed[0]["text"] == "✔ 2/2 · The figure is clear\n"
    partial, score = outputs(Outcome(0.5, (Fault("figures.title", "the chart has no title", "pas de titre"),)),
                             decl, 2, lang="fr")
    assert score == 1 and partial[0]["text"] == "◐ 1/2 · Pas de titre\n"
    faults = (Fault("a", "the chart has no title", "x"), Fault("b", "the x axis has no label", "y"))
    failed, score = outputs(Outcome(0.0, faults), decl, 2, lang="en")
    assert score == 0 and [o["output_type"] for o in failed] == ["error"]  # the verdict once, not three times
    assert failed[0]["traceback"] == ["✘ 0/2 · The chart has no title", "- The x axis has no label"]
    assert not any(INTERNAL.search(line) for line in failed[0]["traceback"])


def test_wrap_keeps_every_line_within_validate():
    text = wrap("✘ " + "word " * 60)
    assert all(len(line) <= WIDTH + 2 for line in text.splitlines()) and len(text.splitlines()) > 2
