"""Per-criterion thresholds (``grading/thresholds.yml``), resolved to scores in [0, 1]."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from workbench._yaml import load_model
from workbench.errors import ConfigError
from workbench.paths import grading_dir
from workbench.referentiel import Referentiel, Rubrics


class ThresholdsFile(BaseModel):
    """The file as written: a default and per-criterion overrides, each a level id or a number."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    default: str | float | None = None
    criteria: dict[str, str | float] = {}


def _resolve(value: str | float, rubrics: Rubrics, where: str) -> float:
    """A level id/name (or its value) becomes level / top level; a number must lie in [0, 1]."""
    if isinstance(value, str):
        try:
            return rubrics.level(value).value / rubrics.max_points
        except KeyError as exc:
            raise ConfigError(str(exc.args[0]), where=where) from None
    if not 0.0 <= float(value) <= 1.0:
        raise ConfigError(f"threshold {value} is not a score in [0, 1] (or a rubric level id)", where=where)
    return float(value)


def load_thresholds(path: str | Path | None = None, *, referentiel: Referentiel, rubrics: Rubrics) -> dict[str, float]:
    """Return the threshold of every criterion of the référentiel, keyed by criterion id.

    Raises
    ------
    ConfigError
        An unknown criterion, an unknown level, or a number outside [0, 1], naming the file and key.
    """
    path = Path(path or grading_dir() / "thresholds.yml")
    spec = load_model(path, ThresholdsFile)
    default_value = spec.default if spec.default is not None else rubrics.default_threshold_level
    default = _resolve(default_value, rubrics, f"{path}: default")
    known = referentiel.criterion_ids()
    unknown = sorted(set(spec.criteria) - set(known))
    if unknown:
        raise ConfigError(f"unknown criterion {', '.join(repr(u) for u in unknown)}", where=f"{path}: criteria")
    return {k: _resolve(spec.criteria[k], rubrics, f"{path}: criteria.{k}") if k in spec.criteria else default
            for k in known}
