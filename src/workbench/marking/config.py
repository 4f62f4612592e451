"""The marking rule (``grading/marking.yml``) and the item-analysis thresholds (``grading/item_analysis.yml``).

Both are data, validated on load: a fault names the file and the key.
"""

from __future__ import annotations

import hashlib
from enum import Enum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from workbench._yaml import load_model
from workbench.paths import grading_dir


class AgreedLevel(str, Enum):
    """How two (or more) levels that did not diverge make the final level."""

    mean_floor = "mean_floor"
    min = "min"
    max = "max"


class ModeratedLevel(str, Enum):
    """How a moderated cell's final level is made from the markers' and the moderator's levels."""

    moderator = "moderator"
    mean_floor = "mean_floor"
    median_low = "median_low"


class DoubleMarking(BaseModel):
    """Which rubric cells need two markers."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    cells: Literal["none", "all", "sample"]
    sample_share: float = Field(default=0.0, ge=0, le=1, allow_inf_nan=False)
    sample_seed: str = "block1"

    @model_validator(mode="after")
    def _share_for_sample(self) -> "DoubleMarking":
        if self.cells == "sample" and self.sample_share <= 0:
            raise ValueError("cells: sample needs a sample_share above 0")
        return self


class MarkingRule(BaseModel):
    """The whole ``marking.yml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    markers: list[str] = Field(min_length=1)
    moderators: list[str] = Field(default_factory=list)
    double_marking: DoubleMarking
    divergence_levels: int = Field(ge=1)
    agreed_level: AgreedLevel
    moderated_level: ModeratedLevel
    harmonisation_margin: float = Field(gt=0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _unique_ids(self) -> "MarkingRule":
        ids = [*self.markers, *self.moderators]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"listed twice among markers and moderators: {', '.join(twice)}")
        if any(not i.strip() for i in ids):
            raise ValueError("a marker id is empty")
        return self

    def required_markers(self, candidate: str, criterion: str) -> int:
        """How many markers the rubric cell of ``candidate`` on ``criterion`` needs (1 or 2).

        The sample is drawn by hashing seed, candidate and criterion: it does not depend on
        the order of imports, on who marks first, or on any level already given.
        """
        dm = self.double_marking
        if dm.cells == "all":
            return 2
        if dm.cells == "none":
            return 1
        digest = hashlib.sha256(f"{dm.sample_seed}\0{candidate}\0{criterion}".encode("utf-8")).digest()
        return 2 if int.from_bytes(digest[:8], "big") / 2 ** 64 < dm.sample_share else 1

    def as_dict(self) -> dict:
        """The rule as plain data (recorded with every final level)."""
        return self.model_dump(mode="json")


class ItemThresholds(BaseModel):
    """When an item or a competence is flagged by the item analysis."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    too_easy: float = Field(ge=0, le=1, allow_inf_nan=False)
    too_hard: float = Field(ge=0, le=1, allow_inf_nan=False)
    min_discrimination: float = Field(ge=-1, le=1, allow_inf_nan=False)
    min_alpha: float = Field(le=1, allow_inf_nan=False)

    @model_validator(mode="after")
    def _ordered(self) -> "ItemThresholds":
        if self.too_hard >= self.too_easy:
            raise ValueError("too_hard must be below too_easy")
        return self


def load_marking_rule(path: str | Path | None = None) -> MarkingRule:
    """Load ``grading/marking.yml`` (or a course's copy); raises ConfigError naming the fault."""
    return load_model(Path(path or grading_dir() / "marking.yml"), MarkingRule)


def load_item_thresholds(path: str | Path | None = None) -> ItemThresholds:
    """Load ``grading/item_analysis.yml``; raises ConfigError naming the fault."""
    return load_model(Path(path or grading_dir() / "item_analysis.yml"), ItemThresholds)
