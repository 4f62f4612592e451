"""A judge's verdict written as nbgrader reads a test cell: outputs, then ``determine_grade``.

Points are never computed by us from the outputs: nbgrader's own ``determine_grade`` reads them
(an ``error`` output scores 0; a numeric ``execute_result`` is partial credit), so formgrader,
``nbgrader export``, ``workbench scores`` and the validator work unchanged.
"""

from __future__ import annotations

from workbench_candidate.checks import Declaration
from workbench_candidate.outcome import Outcome


def _lines(outcome: Outcome, decl: Declaration, score: float) -> str:
    head = "✔" if outcome.passed else ("◐" if score > 0 else "✘")
    text = [f"{head} {decl.id} ({decl.criterion}): {score:g}/{decl.points:g}"]
    for fault in outcome.faults:
        text.append(f"  - {fault.en}\n    {fault.fr}")
    for note in outcome.notes:
        text.append(f"  ℹ {note.en}\n    {note.fr}")
    if outcome.passed:
        text.append(f"  {decl.public.en}\n  {decl.public.fr}")
    return "\n".join(text) + "\n"


def outputs(outcome: Outcome, decl: Declaration, points: float) -> tuple[list[dict], float]:
    """The test cell's outputs for ``outcome`` and the score they give out of ``points``."""
    score = round(points * outcome.fraction, 2)
    stream = {"output_type": "stream", "name": "stdout", "text": _lines(outcome, decl, score)}
    if score <= 0:
        message = "; ".join(f.en for f in outcome.faults) or "no points"
        return [stream, {"output_type": "error", "ename": "CheckFailed", "evalue": message,
                         "traceback": [f"CheckFailed: {message}"]}], 0.0
    result = {"output_type": "execute_result", "execution_count": None, "metadata": {},
              "data": {"text/plain": f"{score:g}"}}
    return [stream, result], score
