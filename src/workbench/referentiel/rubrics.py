"""Rubric levels, descriptors and criterion thresholds, loaded from ``grading/``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from workbench._yaml import load_model
from workbench.errors import ConfigError
from workbench.paths import grading_dir
from workbench.referentiel.load import load_referentiel
from workbench.referentiel.model import Referentiel, Text


class RubricLevel(BaseModel):
    """One rubric level: its points and its name in both languages."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    value: int = Field(ge=0)
    id: str = Field(pattern=r"^[a-z_]+$")
    fr: str
    en: str


class Rubrics(BaseModel):
    """The rubric levels and the per-criterion level descriptors."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    levels: tuple[RubricLevel, ...]
    default_threshold_level: str
    descriptors: dict[str, dict[str, Text]]

    @property
    def max_points(self) -> int:
        """Points of the top level (a rubric cell's maximum)."""
        return max(level.value for level in self.levels)

    def level(self, key: str | int) -> RubricLevel:
        """Return a level by id (``"partial"``), French or English name, or value (``1``, ``"1"``)."""
        wanted = str(key).strip().casefold()
        for level in self.levels:
            names = {level.id, level.fr.casefold(), level.en.casefold(), str(level.value)}
            if wanted in names:
                return level
        known = ", ".join(f"{lv.value}={lv.id}" for lv in self.levels)
        raise KeyError(f"unknown rubric level {key!r} (known: {known})")

    def threshold_score(self) -> float:
        """The default threshold as a score in [0, 1]."""
        return self.level(self.default_threshold_level).value / self.max_points


def _check(rubrics: Rubrics, ref: Referentiel, where: str) -> Rubrics:
    faults: list[str] = []
    values = [lv.value for lv in rubrics.levels]
    ids = [lv.id for lv in rubrics.levels]
    if values != sorted(set(values)):
        faults.append("level values must be unique and increasing")
    if len(ids) != len(set(ids)):
        faults.append("level ids must be unique")
    if rubrics.default_threshold_level not in ids:
        faults.append(f"default_threshold_level {rubrics.default_threshold_level!r} is not a level id")
    known = set(ref.criterion_ids())
    for crit_id, by_level in rubrics.descriptors.items():
        if crit_id not in known:
            faults.append(f"descriptors name unknown criterion {crit_id!r}")
        missing = [i for i in ids if i not in by_level]
        extra = [k for k in by_level if k not in ids]
        if missing:
            faults.append(f"{crit_id}: no descriptor for level(s) {', '.join(missing)}")
        if extra:
            faults.append(f"{crit_id}: descriptor for unknown level(s) {', '.join(extra)}")
    for crit_id in ref.criterion_ids("B1"):
        if crit_id not in rubrics.descriptors:
            faults.append(f"block-1 criterion {crit_id} has no descriptors")
    if faults:
        raise ConfigError("; ".join(faults), where=where)
    return rubrics


@lru_cache(maxsize=8)
def _load_cached(path: Path) -> Rubrics:
    return _check(load_model(path, Rubrics), load_referentiel(), str(path))


def load_rubrics(path: str | Path | None = None) -> Rubrics:
    """Load ``grading/rubrics.yml`` and check it against the référentiel."""
    return _load_cached(Path(path or grading_dir() / "rubrics.yml").resolve())
