"""Pydantic model of a company scenario (``grading/scenarios/<id>.yml``).

Cross-checks against the dataset dictionary live in :mod:`workbench.scenarios.load`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from workbench.datasets.dictionary import Dictionary
from workbench.referentiel.model import Text


class Company(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    sector: Text


class AnswerKey(BaseModel):
    """Each dataset category, classified against the scenario's objective, with the reason."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    relevant: dict[str, Text]
    neutral: dict[str, Text] = {}
    personal_without_purpose: dict[str, Text] = {}
    leakage: dict[str, Text] = {}

    def groups(self) -> dict[str, dict[str, Text]]:
        return {
            "relevant": self.relevant,
            "neutral": self.neutral,
            "personal_without_purpose": self.personal_without_purpose,
            "leakage": self.leakage,
        }


class DerivedFeature(BaseModel):
    """A per-unit feature computed from dataset columns (e.g. RFM from transactions).

    ``aggregation`` per unit (customer): ``days_since_last`` = days from the last value of
    ``column`` to the scenario's ``snapshot_date``; ``count`` = number of rows; ``sum`` /
    ``mean`` = of ``column``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    category: str
    column: str
    aggregation: Literal["days_since_last", "count", "sum", "mean"]
    definition: Text


class ReferenceSegmentation(BaseModel):
    """The instructor's reference segmentation that candidates' segments are compared with."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    features: tuple[str, ...] = Field(min_length=1)
    transform: Literal["none", "log1p"] = "none"
    scaler: Literal["standard", "minmax", "none"] = "standard"
    algorithm: Literal["kmeans"] = "kmeans"
    k: int = Field(ge=2)
    k_range: tuple[int, int]
    random_state: int = 0
    value_feature: str
    min_segment_share: float = Field(gt=0, lt=1)

    @model_validator(mode="after")
    def _consistent(self) -> ReferenceSegmentation:
        lo, hi = self.k_range
        if not 2 <= lo <= hi:
            raise ValueError(f"k_range {list(self.k_range)} must be [low, high] with 2 <= low <= high")
        if not lo <= self.k <= hi:
            raise ValueError(f"k = {self.k} is outside k_range {list(self.k_range)}")
        if self.value_feature not in self.features:
            raise ValueError(f"value_feature {self.value_feature!r} is not one of the features")
        if len(set(self.features)) != len(self.features):
            raise ValueError("features repeat a name")
        return self


class Scenario(BaseModel):
    """A company, its strategy and objective, the answer key and the reference segmentation."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    dataset: str
    company: Company
    strategy: Text
    objective: Text
    snapshot_date: dt.date | None = None
    unit: Literal["customer"] = "customer"
    answer_key: AnswerKey
    derived_features: tuple[DerivedFeature, ...] = ()
    reference_segmentation: ReferenceSegmentation
    _dictionary: Dictionary | None = PrivateAttr(default=None)

    @property
    def relevant_categories(self) -> list[str]:
        """Categories the objective needs."""
        return list(self.answer_key.relevant)

    @property
    def neutral_categories(self) -> list[str]:
        """Categories that may be used or left out without penalty."""
        return list(self.answer_key.neutral)

    @property
    def excluded_categories(self) -> list[str]:
        """Categories that must not be used: personal data without purpose, then leakage."""
        return [*self.answer_key.personal_without_purpose, *self.answer_key.leakage]

    def classification(self, category: str) -> str | None:
        """The answer-key group of ``category`` ("relevant", "neutral", ...), or None."""
        return next((g for g, cats in self.answer_key.groups().items() if category in cats), None)

    def reason(self, category: str) -> Text | None:
        """The answer key's justification for ``category``."""
        return next((cats[category] for cats in self.answer_key.groups().values() if category in cats), None)

    @property
    def dictionary(self) -> Dictionary:
        """The dataset dictionary this scenario was validated against."""
        if self._dictionary is None:
            raise RuntimeError("scenario was not loaded with load_scenario(); no dictionary attached")
        return self._dictionary

    def columns_of(self, category: str) -> list[str]:
        """Dataset columns in ``category`` (derived features of that category excluded)."""
        return self.dictionary.columns_of(category)

    def derived(self, name: str) -> DerivedFeature | None:
        return next((f for f in self.derived_features if f.name == name), None)

    def category_of(self, feature: str) -> str:
        """Category of a dataset column or derived feature."""
        found = self.derived(feature)
        if found:
            return found.category
        return next(c.category for c in self.dictionary.columns() if c.name == feature)
