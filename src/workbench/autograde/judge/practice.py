"""The judge inside the candidate's kernel, for plain ``nbgrader autograde`` (practice only).

**Not exam-safe.** Here the judge runs in the same process as the candidate's code, which can
change anything in it. ``workbench autograde`` never runs this: it sends a judged test cell's
variables out of the sandbox and judges them outside. This path exists so that an instructor can
still autograde a practice run with nbgrader alone; on honest notebooks both give the same scores
(the same codec, rules and outputs: tests/autograde/judge/test_practice_parity.py).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from workbench.autograde.answers import decode_value, encode_answers, svg_sha256
from workbench.autograde.judge.keys import JUDGE_DIR, ScenarioKey, load_key
from workbench.autograde.judge.registry import EVALUATORS
from workbench.autograde.judge.verdict import outputs
from workbench_candidate import scenario as public_scenario
from workbench_candidate.checks import declarations
from workbench_candidate.lang import released_lang
from workbench_candidate.outcome import BadAnswer, Outcome


class CheckFailed(AssertionError):
    """The practice judge gave no points; the message is the candidate's, shown as is."""

    def _render_traceback_(self) -> list[str]:
        return str(self).splitlines()


def _key(scenario_id: str, data_dir: Path) -> ScenarioKey:
    """The course's key copy when the notebook runs inside a course, else the repository's."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        path = folder / JUDGE_DIR / f"{scenario_id}.yml"
        if path.is_file():
            return load_key(path, data_dir=data_dir)
    from workbench.scenarios.load import scenarios_dir

    return load_key(scenarios_dir() / f"{scenario_id}.yml", data_dir=data_dir)


def judge(check_id: str, data_dir: str | Path = "data", **answers: Any) -> None:
    """Judge one test cell in the kernel: print the verdict and show the points (or raise).

    The points are shown at once as the cell's result (``sys.displayhook``), before the cell's
    visible self-check runs: nbgrader's ``determine_grade`` reads the first result or error, so a
    self-check that then raises on a fault the judge gave partial credit for leaves that credit
    as it is, as ``workbench autograde`` (which never runs the visible line) gives it.
    """
    from workbench_candidate.figures import render_svg
    from workbench.autograde.answers import _figure_of

    data_dir = Path(data_dir)
    decl = declarations()[check_id]
    params = {k: answers.pop(k) for k in list(answers) if k not in decl.answers}
    figures, svgs = {}, {}
    for value in answers.values():
        fig = _figure_of(value)
        if fig is not None:
            svg = render_svg(fig)
            figures[id(fig)] = svg_sha256(svg)
            svgs[figures[id(fig)]] = svg
    docs = encode_answers(list(answers), answers, figures=figures)
    try:
        key = _key(public_scenario.load(data_dir).id, data_dir)
        values = {name: decode_value(doc, name, figure_svg=svgs) for name, doc in docs.items()}
        outcome = EVALUATORS[check_id](values, params, key)
    except BadAnswer as exc:
        outcome = Outcome(0.0, (exc.fault(),))
    cell_outputs, score = outputs(outcome, decl, decl.points, lang=released_lang(data_dir))
    if score <= 0:
        raise CheckFailed(cell_outputs[0]["evalue"])
    from workbench_candidate import block1

    block1.quiet_next_check()  # the visible self-check below would say it again: one line per outcome
    print(cell_outputs[0]["text"], end="")
    sys.displayhook(score)
