"""The public facts of a released scenario, read from the assignment's ``data/`` folder.

``workbench exercises build`` writes ``data/scenario.yml`` (what the instructions announce: the
company, the objective, the snapshot date, the analysis-table variables and their definitions,
the allowed number of segments...) and ``data/dictionary.csv`` (every column of the sources with
its category). Nothing here comes from an answer key: which categories are relevant, the model
answers and any reference segmentation stay with the grader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from workbench_candidate.outcome import BadAnswer

SCENARIO_FILE = "scenario.yml"
DICTIONARY_FILE = "dictionary.csv"


@dataclass(frozen=True)
class Category:
    """One data category of the sources, as the dictionary describes it."""

    id: str
    kind: str
    columns: tuple[str, ...]
    personal: bool
    special: bool  # special-category data (GDPR art. 9)

    @property
    def must_be_argued(self) -> bool:
        """Leaving it out must be argued too: identifying/contact data, art. 9 data, the target."""
        return self.kind in ("identity_contact", "target") or self.special


@dataclass(frozen=True)
class Variable:
    """A variable of the analysis table the instructions define (e.g. CDNOW's ``recency_days``)."""

    name: str
    category: str
    en: str
    fr: str


@dataclass(frozen=True)
class PublicScenario:
    """What a candidate is told about the scenario; every public rule reads only this."""

    id: str
    dataset: str
    objective_en: str
    objective_fr: str
    snapshot_date: pd.Timestamp | None
    variables: tuple[Variable, ...]  # the analysis table's required variables (empty: candidate's choice)
    k_range: tuple[int, int]  # the number of segments the instructions allow
    min_segment_share: float  # a segment smaller than this share of customers is trivial
    value_feature: str  # the variable that measures a customer's value (for "high value" names)
    categories: dict[str, Category] = field(default_factory=dict)
    # Nominal codes (the dictionary types them "categorical code"): numbers that name, not measure.
    nominal_columns: tuple[str, ...] = ()

    @property
    def target_columns(self) -> frozenset[str]:
        """Columns of the variable the campaign targets: never a segmentation input."""
        return frozenset(c for cat in self.categories.values() if cat.kind == "target" for c in cat.columns)

    @property
    def identifier_columns(self) -> frozenset[str]:
        """Columns that only identify a customer: never a segmentation input."""
        return frozenset(c for cat in self.categories.values()
                         if cat.kind in ("identifier", "identity_contact") for c in cat.columns) | {"customer_id"}

    def category_of(self, column: str) -> str | None:
        """The category of a source column or analysis-table variable, if known."""
        for var in self.variables:
            if var.name == column:
                return var.category
        return next((cat.id for cat in self.categories.values() if column in cat.columns), None)


def _bool(value: object) -> bool:
    return str(value).strip().lower() in ("true", "1", "yes")


def categories_from_dictionary(table: pd.DataFrame) -> dict[str, Category]:
    """Categories from the released dictionary table (one row per column)."""
    needed = {"column", "category", "kind", "personal_data", "special_category"}
    missing = needed - set(table.columns)
    if missing:
        raise BadAnswer(f"the data dictionary lacks the column(s) {sorted(missing)}",
                        f"le dictionnaire des données n'a pas la ou les colonnes {sorted(missing)}")
    out: dict[str, Category] = {}
    for cat, group in table.groupby("category", sort=False):
        out[str(cat)] = Category(
            id=str(cat), kind=str(group["kind"].iloc[0]),
            columns=tuple(dict.fromkeys(str(c) for c in group["column"])),
            personal=bool(group["personal_data"].map(_bool).any()),
            special=bool(group["special_category"].map(_bool).any()))
    return out


def nominal_columns(table: pd.DataFrame) -> tuple[str, ...]:
    """Columns the dictionary types as nominal codes (numbers naming a category)."""
    if "type" not in table.columns:
        return ()
    coded = table["type"].astype(str).str.startswith("categorical code")
    return tuple(dict.fromkeys(str(c) for c in table.loc[coded, "column"]))


def from_mapping(data: dict, dictionary: pd.DataFrame) -> PublicScenario:
    """Build the public scenario from the dict written into ``data/scenario.yml``."""
    try:
        snap = data.get("snapshot_date")
        seg = data["segmentation"]
        return PublicScenario(
            id=str(data["id"]), dataset=str(data["dataset"]),
            objective_en=str(data["objective"]["en"]), objective_fr=str(data["objective"]["fr"]),
            snapshot_date=pd.Timestamp(snap) if snap else None,
            variables=tuple(Variable(str(v["name"]), str(v["category"]), str(v["definition"]["en"]),
                                     str(v["definition"]["fr"])) for v in data.get("variables") or ()),
            k_range=(int(seg["k_range"][0]), int(seg["k_range"][1])),
            min_segment_share=float(seg["min_segment_share"]), value_feature=str(seg["value_feature"]),
            categories=categories_from_dictionary(dictionary),
            nominal_columns=nominal_columns(dictionary))
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise BadAnswer(f"data/{SCENARIO_FILE} is not a scenario file ({type(exc).__name__}: {exc})",
                        f"data/{SCENARIO_FILE} n'est pas un fichier de scénario ({type(exc).__name__} : {exc})") from None


@lru_cache(maxsize=4)
def _load(folder: str, stamp: tuple) -> PublicScenario:
    base = Path(folder)
    data = yaml.safe_load((base / SCENARIO_FILE).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise BadAnswer(f"data/{SCENARIO_FILE} is not a scenario file",
                        f"data/{SCENARIO_FILE} n'est pas un fichier de scénario")
    return from_mapping(data, pd.read_csv(base / DICTIONARY_FILE, dtype=str, keep_default_na=False))


def load(data_dir: str | Path = "data") -> PublicScenario:
    """The released scenario of the assignment whose data folder is ``data_dir``."""
    base = Path(data_dir)
    paths = [base / SCENARIO_FILE, base / DICTIONARY_FILE]
    for path in paths:
        if not path.is_file():
            raise BadAnswer(f"{path} is missing: run the notebook from its assignment folder",
                            f"{path} est introuvable : exécutez le notebook depuis le dossier du devoir")
    stamp = tuple(p.stat().st_mtime_ns for p in paths)
    return _load(str(base.resolve()), stamp)
