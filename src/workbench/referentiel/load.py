"""Load ``grading/referentiel.yml`` and check its structure."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path

from workbench._yaml import load_model
from workbench.errors import ConfigError
from workbench.paths import grading_dir
from workbench.referentiel.model import Referentiel


def _structural_faults(ref: Referentiel) -> list[str]:
    """List the faults pydantic cannot see: duplicates, empty parents, dangling references."""
    faults: list[str] = []
    ids = [b.id for b in ref.blocks]
    ids += [c.id for c in ref.competences()]
    ids += [k.id for k in ref.criteria()]
    faults += [f"duplicate id {i!r}" for i, n in sorted(Counter(ids).items()) if n > 1]
    for block in ref.blocks:
        if block.evaluation_mode not in ref.evaluation_modes:
            faults.append(f"block {block.id} names unknown evaluation_mode {block.evaluation_mode!r}")
        if not block.competences:
            faults.append(f"block {block.id} has no competences")
        for comp in block.competences:
            # ids are hierarchical: a competence B1.2 must sit in block B1, a criterion B1.2.a in B1.2
            if not comp.id.startswith(block.id + "."):
                faults.append(f"competence {comp.id} is filed under block {block.id}")
            if not comp.criteria:
                faults.append(f"competence {comp.id} has no criteria")
            for crit in comp.criteria:
                if not crit.id.startswith(comp.id + "."):
                    faults.append(f"criterion {crit.id} is filed under competence {comp.id}")
    return faults


def validate_referentiel(ref: Referentiel, *, where: str) -> Referentiel:
    """Raise :class:`ConfigError` listing every structural fault of ``ref``."""
    faults = _structural_faults(ref)
    if faults:
        raise ConfigError("; ".join(faults), where=where)
    return ref


@lru_cache(maxsize=8)
def _load_cached(path: Path) -> Referentiel:
    return validate_referentiel(load_model(path, Referentiel), where=str(path))


def load_referentiel(path: str | Path | None = None) -> Referentiel:
    """Load and validate the référentiel.

    Parameters
    ----------
    path : path-like, optional
        Defaults to ``grading/referentiel.yml``.

    Raises
    ------
    ConfigError
        Naming the file and each fault (duplicate id, competence without criteria,
        dangling evaluation mode, misfiled id, schema error).
    """
    return _load_cached(Path(path or grading_dir() / "referentiel.yml").resolve())
