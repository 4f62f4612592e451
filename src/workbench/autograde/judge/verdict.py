"""A judge's verdict written as nbgrader reads a test cell: outputs, then ``determine_grade``.

Points are never computed by us from the outputs: nbgrader's own ``determine_grade`` reads them
(an ``error`` output scores 0; a numeric ``execute_result`` is partial credit), so formgrader,
``nbgrader export``, ``workbench scores`` and the validator work unchanged.

What the candidate reads (feedback, the autograded notebook) is one line per outcome, in the
course's language, in plain words: the mark, the score, then the rule's sentence; no check id
and no exception name. A cell that scores 0 has its verdict once, as the error nbgrader needs.
"""

from __future__ import annotations

from workbench_candidate.checks import Declaration
from workbench_candidate.lang import capital, message, wrap
from workbench_candidate.outcome import Outcome


def _lines(outcome: Outcome, decl: Declaration, score: float, points: float, lang: str) -> str:
    texts = [capital(f.text(lang)) for f in outcome.faults]
    if outcome.passed:
        key, texts = "verdict_passed", [capital(decl.public.text(lang))]
    else:
        key, texts = ("verdict_partial" if score > 0 else "verdict_failed"), texts or [message("no_points", lang)]
    lines = [message(key, lang, score=f"{score:g}", points=f"{points:g}", text=texts[0])]
    lines += [f"- {t}" for t in texts[1:]]
    lines += [message("note", lang, text=capital(n.text(lang))) for n in outcome.notes]
    return wrap("\n".join(lines)) + "\n"


def outputs(outcome: Outcome, decl: Declaration, points: float, *, lang: str = "en") -> tuple[list[dict], float]:
    """The test cell's outputs for ``outcome`` and the score they give out of ``points``."""
    score = round(points * outcome.fraction, 2)
    text = _lines(outcome, decl, max(score, 0.0), points, lang)
    if score <= 0:
        # nbgrader needs an error to score 0; its traceback is what Validate and feedback show.
        return [{"output_type": "error", "ename": "CheckFailed", "evalue": text.rstrip("\n"),
                 "traceback": text.rstrip("\n").splitlines()}], 0.0
    stream = {"output_type": "stream", "name": "stdout", "text": text}
    result = {"output_type": "execute_result", "execution_count": None, "metadata": {},
              "data": {"text/plain": f"{score:g}"}}
    return [stream, result], score
