"""Build the block-1 nbgrader source assignment for one scenario, from templates and grading data."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml
from nbformat.notebooknode import NotebookNode

from workbench.errors import ConfigError
from workbench.exercises.cells import to_cells
from workbench.exercises.config import ExercisesConfig, load_config, templates_dir
from workbench.exercises.context import data_files, notebook_context
from workbench.exercises.template import DEFAULT_LANG, TEXT_ROLES, CellSpec, render, split_cells
from workbench.exercises.words import load_words
from workbench.referentiel import Referentiel, Rubrics
from workbench.scenarios import Scenario

GRADED_KINDS = ("autograde", "rubric")


@dataclass(frozen=True)
class Build:
    """A built assignment: its folder (None when built in memory) and its notebooks by name."""

    assignment: str
    scenario: str
    folder: Path | None
    notebooks: dict[str, NotebookNode]


_TASK = re.compile(r"^## (\d+)\.", re.MULTILINE)


def _evidence(specs: list[CellSpec], pts_max: int, lang: str, *, where: str) -> dict[str, str]:
    """Per criterion, the cells that evidence it, for the notebook's header table.

    A cell is named by its task (the number of the ``## N.`` heading above it), never by its
    grade id: the candidate reads the header, and a grade id means nothing to them."""
    words = load_words()

    def points(n: str | int) -> str:
        return words.get("points_one" if str(n) == "1" else "points_many", lang, n=n)

    found: dict[str, list[str]] = {}
    task: str | None = None
    for spec in specs:
        if spec.role in TEXT_ROLES:
            numbers = _TASK.findall(spec.source)
            task = numbers[-1] if numbers else task
        elif spec.role in ("test", "rubric") and task is None:
            raise ConfigError(f"graded cell {spec.id!r} comes before the first numbered task heading "
                              "('## 1. ...')", where=where)
        if spec.role == "test":
            found.setdefault(spec.criterion, []).append(
                words.get("evidence_autograded", lang, task=task, points=points(spec.attrs.get("points"))))
        elif spec.role == "rubric":
            found.setdefault(spec.criterion, []).append(
                words.get("evidence_rubric", lang, task=task, max=points(pts_max)))
    return {crit: " · ".join(items) for crit, items in found.items()}


def render_notebook(scenario: Scenario, notebook: str, *, referentiel: Referentiel,
                    rubrics: Rubrics, lang: str = DEFAULT_LANG) -> NotebookNode:
    """Render ``exercises/templates/<notebook>.nb.j2`` for ``scenario`` into a notebook in ``lang``
    (the course's language: markdown and rubric guides change with it, code and metadata never)."""
    path = templates_dir() / f"{notebook}.nb.j2"
    if not path.is_file():
        raise ConfigError(f"no template for notebook {notebook!r}", where=str(path))
    # two passes: the header lists the graded cells, which are only known once the cells are parsed
    placeholder = {c.id: "" for c in referentiel.criteria("B1")}
    ctx = notebook_context(scenario, notebook, referentiel=referentiel, evidence=placeholder, lang=lang)
    specs = split_cells(render(path, ctx), where=str(path), lang=lang)
    ctx["evidence"] = placeholder | _evidence(specs, rubrics.max_points, lang, where=str(path))
    specs = split_cells(render(path, ctx), where=str(path), lang=lang)
    nb = nbformat.v4.new_notebook()
    for spec in specs:
        nb.cells.extend(to_cells(spec, referentiel=referentiel, rubrics=rubrics, lang=lang))
    for i, cell in enumerate(nb.cells):
        # stable ids keep the committed source diff-free between identical builds
        cell["id"] = cell.metadata.get("nbgrader", {}).get("grade_id") or f"{notebook}-{i:02d}"
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["workbench"] = {"assignment": "block1", "notebook": notebook, "scenario": scenario.id, "lang": lang}
    return nb


def build_notebooks(scenario_id: str, *, config: ExercisesConfig | None = None,
                    lang: str = DEFAULT_LANG) -> Build:
    """Render every notebook of the set in memory, in ``lang``."""
    from workbench.referentiel import load_referentiel, load_rubrics
    from workbench.scenarios import load_scenario

    config = config or load_config()
    if scenario_id not in config.scenarios:
        raise ConfigError(f"scenario {scenario_id!r} is not one of {list(config.scenarios)}",
                          where="grading/exercises.yml")
    scenario = load_scenario(scenario_id)
    referentiel, rubrics = load_referentiel(), load_rubrics()
    notebooks = {name: render_notebook(scenario, name, referentiel=referentiel, rubrics=rubrics, lang=lang)
                 for name in config.notebooks}
    for nb in notebooks.values():
        nb.metadata["workbench"]["assignment"] = config.assignment
    return Build(config.assignment, scenario_id, None, notebooks)


def write_data(folder: Path, dataset: str) -> None:
    """Copy the dataset's files, a manifest to verify them with, and the dictionary as CSV."""
    from workbench.datasets import load_dictionary, load_manifest

    files = data_files(dataset)
    for f in files:
        target = folder / f.release_path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f.source, target)
    manifest = load_manifest().model_dump(mode="json")
    manifest["files"] = {k: v for k, v in manifest["files"].items() if v["dataset"] == dataset}
    (folder / "data" / "manifest.yml").write_text(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True),
                                                  encoding="utf-8")
    table = load_dictionary(dataset)
    table["codes"] = table["codes"].map(lambda c: "; ".join(f"{k}={v}" for k, v in c.items()) if c else "")
    table.to_csv(folder / "data" / "dictionary.csv", index=False, lineterminator="\n")


def build_assignment(*, scenario_id: str, out: Path, with_data: bool = True,
                     config: ExercisesConfig | None = None, lang: str = DEFAULT_LANG) -> Build:
    """Write ``<out>/<assignment>/`` (notebooks in ``lang`` and, unless ``with_data`` is false, ``data/``)."""
    from workbench.scenarios import load_scenario

    built = build_notebooks(scenario_id, config=config, lang=lang)
    folder = Path(out) / built.assignment
    folder.mkdir(parents=True, exist_ok=True)
    for name, nb in built.notebooks.items():
        nbformat.write(nb, folder / f"{name}.ipynb")
    if with_data:
        from workbench.exercises.released import write_released_tables

        scenario = load_scenario(scenario_id)
        write_data(folder, scenario.dataset)
        write_released_tables(folder, scenario)
    return Build(built.assignment, scenario_id, folder, built.notebooks)


def criterion_map(built: Build) -> dict:
    """The graded cells of every notebook with the criterion each evidences (grading/criterion_map.yml)."""
    notebooks = {}
    for name, nb in built.notebooks.items():
        rows = []
        for cell in nb.cells:
            wb, ng = cell.metadata.get("workbench", {}), cell.metadata.get("nbgrader", {})
            if wb.get("kind") in GRADED_KINDS:
                rows.append({"cell": ng["grade_id"], "criterion": wb["criterion"], "kind": wb["kind"],
                             "points": ng["points"]})
        notebooks[name] = rows
    return {"assignment": built.assignment, "notebooks": notebooks}


def dump_criterion_map(cmap: dict) -> str:
    """The map in the flow style H3's reader expects (one cell per line)."""
    lines = [
        "# Which criterion each graded cell of the block-1 assignment evidences.",
        "# GENERATED by `workbench exercises map` from exercises/templates: do not edit by hand.",
        f"assignment: {cmap['assignment']}",
        "notebooks:",
    ]
    for name, rows in cmap["notebooks"].items():
        lines.append(f"  {name}:")
        for r in rows:
            lines.append(f"    - {{cell: {r['cell']}, criterion: {r['criterion']}, kind: {r['kind']}, "
                         f"points: {r['points']}}}")
    return "\n".join(lines) + "\n"
