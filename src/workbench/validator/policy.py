"""The deliberation policy (``grading/deliberation.yml``): borderline margin, jury composition, retention.

One rule in one place: the report reads the margin, ``workbench minutes`` the share of external
members, ``workbench purge`` the retention period. Validated on load.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from workbench._yaml import load_model
from workbench.paths import grading_dir


class Borderline(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    margin: float = Field(gt=0, lt=1, allow_inf_nan=False)


class JuryRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    min_external_share: float = Field(gt=0, le=1, allow_inf_nan=False)


class Retention(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    years: int = Field(ge=1, le=50)


class Policy(BaseModel):
    """The whole file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    borderline: Borderline
    jury: JuryRule
    retention: Retention


def load_policy(path: str | Path | None = None) -> Policy:
    """Read and check ``grading/deliberation.yml`` (or ``path``); a fault raises ConfigError naming the key."""
    return load_model(Path(path) if path else grading_dir() / "deliberation.yml", Policy)
