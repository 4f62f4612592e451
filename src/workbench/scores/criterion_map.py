"""The criterion map: which nbgrader cell scores which block-1 criterion.

``grading/criterion_map.yml`` names, per notebook, each graded cell (its nbgrader
``grade_id``), the criterion it evidences, its kind (``autograde`` or ``rubric``) and
its points. It is validated twice: against the référentiel and rubrics when loaded,
and against the gradebook's cells before any score is computed, so a cell can never
be silently ignored or silently missing.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from workbench._yaml import load_model
from workbench.errors import ConfigError
from workbench.paths import grading_dir
from workbench.referentiel import Referentiel, Rubrics, load_referentiel, load_rubrics

BLOCK = "B1"


class MapCell(BaseModel):
    """One graded cell of a notebook and the criterion it evidences."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    cell: str = Field(min_length=1)
    criterion: str = Field(min_length=1)
    kind: Literal["autograde", "rubric"]
    points: float = Field(gt=0)


class CriterionMap(BaseModel):
    """The whole map of one nbgrader assignment."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    assignment: str = Field(min_length=1)
    notebooks: dict[str, tuple[MapCell, ...]]

    def cells(self) -> list[tuple[str, MapCell]]:
        """Every mapped cell as ``(notebook, cell)``, in file order."""
        return [(nb, c) for nb, cells in self.notebooks.items() for c in cells]

    def frame(self) -> pd.DataFrame:
        """The map as a table: notebook, cell, criterion, kind, points."""
        rows = [(nb, c.cell, c.criterion, c.kind, float(c.points)) for nb, c in self.cells()]
        return pd.DataFrame(rows, columns=["notebook", "cell", "criterion", "kind", "max_points"])

    def rubric_cells(self, criterion: str) -> list[tuple[str, MapCell]]:
        """The rubric cells mapped to ``criterion`` (where a grader's level is written)."""
        return [(nb, c) for nb, c in self.cells() if c.criterion == criterion and c.kind == "rubric"]

    def criteria(self) -> list[str]:
        """The criteria the map covers, sorted."""
        return sorted({c.criterion for _, c in self.cells()})


def _faults(cmap: CriterionMap, ref: Referentiel, rubrics: Rubrics) -> list[str]:
    """Everything wrong with ``cmap`` that pydantic cannot see."""
    faults: list[str] = []
    block1 = set(ref.criterion_ids(BLOCK))
    known = set(ref.criterion_ids())
    for nb, cell in cmap.cells():
        where = f"notebooks.{nb}.{cell.cell}"
        if cell.criterion not in known:
            faults.append(f"{where}: unknown criterion {cell.criterion!r}")
        elif cell.criterion not in block1:
            faults.append(f"{where}: criterion {cell.criterion} is not a block-1 criterion (blocks 2-5 come from the jury)")
        if cell.kind == "rubric" and cell.points != rubrics.max_points:
            faults.append(
                f"{where}: a rubric cell is worth the top rubric level ({rubrics.max_points} points), not {cell.points:g}"
            )
    dups = Counter((nb, c.cell) for nb, c in cmap.cells())
    faults += [f"notebooks.{nb}.{cell}: mapped {n} times" for (nb, cell), n in sorted(dups.items()) if n > 1]
    covered = {c.criterion for _, c in cmap.cells()}
    faults += [f"criterion {k} has no cell: it could never be evaluated" for k in sorted(block1 - covered)]
    return faults


def load_criterion_map(
    path: str | Path | None = None,
    *,
    referentiel: Referentiel | None = None,
    rubrics: Rubrics | None = None,
) -> CriterionMap:
    """Load and validate a criterion map.

    Parameters
    ----------
    path : path-like, optional
        Defaults to ``grading/criterion_map.yml``.

    Raises
    ------
    ConfigError
        Naming the file and every fault: unknown or non-block-1 criterion, a rubric
        cell not worth the top rubric level, a cell mapped twice, a criterion with no cell.
    """
    path = Path(path or grading_dir() / "criterion_map.yml")
    cmap = load_model(path, CriterionMap)
    faults = _faults(cmap, referentiel or load_referentiel(), rubrics or load_rubrics())
    if faults:
        raise ConfigError("; ".join(faults), where=str(path))
    return cmap


def check_against_gradebook(cmap: CriterionMap, cells: pd.DataFrame, *, where: str = "gradebook") -> None:
    """Check that the map and the gradebook's graded cells are the same set.

    Parameters
    ----------
    cells : DataFrame
        The assignment's graded cells (columns notebook, cell, max_score), from
        :func:`workbench.scores.gradebook.graded_cells`.

    Raises
    ------
    ConfigError
        Listing graded cells with no mapping, mapped cells the gradebook lacks, and
        cells whose points differ between the map and the gradebook.
    """
    if cells.empty:
        raise ConfigError(f"assignment {cmap.assignment!r} has no graded cells (is it the right gradebook?)", where=where)
    in_gb = {(r.notebook, r.cell): float(r.max_score) for r in cells.itertuples()}
    in_map = {(nb, c.cell): float(c.points) for nb, c in cmap.cells()}
    faults = [f"graded cell {nb}/{c} has no mapping in the criterion map" for nb, c in sorted(set(in_gb) - set(in_map))]
    faults += [f"mapped cell {nb}/{c} is not a graded cell of the gradebook" for nb, c in sorted(set(in_map) - set(in_gb))]
    faults += [
        f"cell {nb}/{c} is worth {in_gb[(nb, c)]:g} points in the gradebook but {in_map[(nb, c)]:g} in the map"
        for nb, c in sorted(set(in_gb) & set(in_map))
        if abs(in_gb[(nb, c)] - in_map[(nb, c)]) > 1e-9
    ]
    if faults:
        raise ConfigError("; ".join(faults), where=f"{where} vs criterion map ({cmap.assignment})")
