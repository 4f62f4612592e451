"""The instructor's configuration of the exercise set: ``grading/exercises.yml``."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from workbench._yaml import load_model
from workbench.paths import exercises_dir, grading_dir


class ExercisesConfig(BaseModel):
    """Which assignment is built, from which notebooks, and which scenario is released."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    assignment: str = Field(pattern=r"^[A-Za-z0-9_]+$")
    released_scenario: str
    scenarios: tuple[str, ...] = Field(min_length=1)
    notebooks: tuple[str, ...] = Field(min_length=1)
    source_dir: str = "exercises/source"

    @model_validator(mode="after")
    def _released_is_listed(self) -> ExercisesConfig:
        if self.released_scenario not in self.scenarios:
            raise ValueError(f"released_scenario {self.released_scenario!r} is not in scenarios {list(self.scenarios)}")
        return self


def config_path() -> Path:
    return grading_dir() / "exercises.yml"


def load_config(path: str | Path | None = None) -> ExercisesConfig:
    """Load and validate ``grading/exercises.yml`` (a bad file raises ConfigError naming it)."""
    return load_model(Path(path) if path else config_path(), ExercisesConfig)


def templates_dir() -> Path:
    """Folder of the notebook templates (``exercises/templates``)."""
    return exercises_dir() / "templates"


def references_dir() -> Path:
    """Folder of the per-scenario model answers shown in the source notebooks."""
    return exercises_dir() / "references"
