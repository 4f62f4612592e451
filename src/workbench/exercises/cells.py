"""Turn template cells into nbformat cells carrying nbgrader and workbench metadata.

nbgrader strips unknown keys from ``metadata.nbgrader``, so the criterion a cell
evidences lives in ``metadata.workbench.criterion``.
"""

from __future__ import annotations

import nbformat
from nbformat.notebooknode import NotebookNode

from workbench.exercises.template import DEFAULT_LANG, CellSpec
from workbench.exercises.words import load_words
from workbench.referentiel import Referentiel, Rubrics

SCHEMA_VERSION = 3  # nbgrader's cell metadata schema


def _nbgrader(*, grade_id: str, grade: bool, solution: bool, locked: bool, points: int | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA_VERSION,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return meta


def rubric_guide(criterion_id: str, *, referentiel: Referentiel, rubrics: Rubrics, lang: str = DEFAULT_LANG) -> str:
    """Markdown shown above a rubric answer: the criterion and every level's descriptor, in ``lang``.

    The criterion keeps its official French wording; an English course shows the English beside it.
    """
    crit, words = referentiel.criterion(criterion_id), load_words()
    lines = [
        words.get("rubric_title", lang, id=crit.id, label_fr=crit.label.fr, label_en=crit.label.en),
        "",
        words.get("rubric_note", lang),
        "",
        words.get("rubric_columns", lang),
        "|---|---|---|",
    ]
    for level in rubrics.levels:
        text = rubrics.descriptors[criterion_id][level.id]
        lines.append(f"| {level.value} | {level.fr if lang == 'fr' else level.en} | {text.get(lang)} |")
    return "\n".join(lines)


def judge_spec(spec: CellSpec) -> dict | None:
    """What the judge reads for a test cell whose header names a check, e.g.
    ``check=segment.quality answers=features:X,labels,table params=kind:bar``
    (``answers``: rule parameter, or ``parameter:variable``; ``params``: fixed values)."""
    check = spec.attrs.get("check")
    if check is None:
        return None
    answers = {}
    for item in spec.attrs.get("answers", "").split(","):
        param, _, var = item.partition(":")
        answers[param] = var or param
    params = dict(item.split(":", 1) for item in spec.attrs.get("params", "").split(",") if item)
    return {"check": check, "answers": answers, "params": params}


def hidden_part(judge: dict) -> str:
    """The hidden tests of a judged cell: run only by plain ``nbgrader autograde`` (practice).

    ``workbench autograde`` never sends this source to the candidate's process: there, the cell
    hands over the variables it names and the judge decides outside.
    """
    args = [f"{param}={var}" for param, var in judge["answers"].items()]
    args += [f"{name}={value!r}" for name, value in judge["params"].items()]
    return ("### BEGIN HIDDEN TESTS\n"
            "# Judged outside your kernel by the workbench; plain nbgrader (practice, not exam-safe) judges here.\n"
            "from workbench.autograde.judge.practice import judge\n"
            f"judge({judge['check']!r}, {', '.join(args)})\n"
            "### END HIDDEN TESTS\n")


def to_cells(spec: CellSpec, *, referentiel: Referentiel, rubrics: Rubrics,
             lang: str = DEFAULT_LANG) -> list[NotebookNode]:
    """Return the notebook cell(s) for one template cell (a rubric gives a guide and an answer);
    only the text of markdown cells and rubric guides depends on ``lang``."""
    role, src = spec.role, spec.source
    if role == "markdown":
        return [nbformat.v4.new_markdown_cell(src)]
    if role == "locked_markdown":
        cell = nbformat.v4.new_markdown_cell(src)
        cell.metadata["nbgrader"] = _nbgrader(grade_id=spec.id, grade=False, solution=False, locked=True)
        return [cell]
    if role == "locked":
        cell = nbformat.v4.new_code_cell(src)
        cell.metadata["nbgrader"] = _nbgrader(grade_id=spec.id, grade=False, solution=False, locked=True)
        cell.metadata["editable"] = False
        cell.metadata["deletable"] = False
        return [cell]
    if role == "solution":
        cell = nbformat.v4.new_code_cell(src)
        cell.metadata["nbgrader"] = _nbgrader(grade_id=spec.id, grade=False, solution=True, locked=False)
        return [cell]
    if role == "test":
        judge = judge_spec(spec)
        # The practice judge comes first: it shows the points before the visible self-check
        # may raise (see workbench.autograde.judge.practice.judge).
        cell = nbformat.v4.new_code_cell(hidden_part(judge) + src if judge else src)
        points = int(spec.attrs.get("points", 1))
        cell.metadata["nbgrader"] = _nbgrader(grade_id=spec.id, grade=True, solution=False, locked=True,
                                              points=points)
        cell.metadata["editable"] = False
        cell.metadata["deletable"] = False
        cell.metadata["workbench"] = {"criterion": spec.criterion, "kind": "autograde"}
        if judge:
            cell.metadata["workbench"]["judge"] = judge
        return [cell]
    # rubric: a read-only guide with the level descriptors, then the manually graded answer
    crit = spec.criterion
    guide = nbformat.v4.new_markdown_cell(rubric_guide(crit, referentiel=referentiel, rubrics=rubrics, lang=lang))
    guide.metadata["nbgrader"] = _nbgrader(grade_id=f"{spec.id}_guide", grade=False, solution=False, locked=True)
    guide.metadata["workbench"] = {"criterion": crit, "kind": "rubric_guide"}
    answer = nbformat.v4.new_markdown_cell(src)
    answer.metadata["nbgrader"] = _nbgrader(grade_id=spec.id, grade=True, solution=True, locked=False,
                                            points=rubrics.max_points)
    answer.metadata["workbench"] = {
        "criterion": crit,
        "kind": "rubric",
        "levels": {lv.id: lv.value for lv in rubrics.levels},
    }
    return [guide, answer]
