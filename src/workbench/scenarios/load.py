"""Load scenarios and check them against their dataset's dictionary."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from workbench._yaml import load_model
from workbench.datasets.dictionary import Dictionary, load_dictionary_model
from workbench.errors import ConfigError
from workbench.paths import grading_dir
from workbench.scenarios.model import Scenario


def scenarios_dir() -> Path:
    return grading_dir() / "scenarios"


def _category_faults(s: Scenario, d: Dictionary) -> list[str]:
    faults = []
    groups = s.answer_key.groups()
    for group, cats in groups.items():
        faults += [f"answer_key.{group}: unknown category {c!r} (not in the {d.dataset} dictionary)"
                   for c in cats if c not in d.categories]
    counts = Counter(c for cats in groups.values() for c in cats)
    for cat, n in sorted(counts.items()):
        if n > 1:
            where = [g for g, cats in groups.items() if cat in cats]
            faults.append(f"answer_key: category {cat!r} is in several groups ({', '.join(where)})")
    faults += [f"answer_key: dictionary category {c!r} is not classified" for c in d.categories if c not in counts]
    return faults


def _feature_faults(s: Scenario, d: Dictionary) -> list[str]:
    faults = []
    columns = d.column_names()
    for f in s.derived_features:
        if f.name in columns:
            faults.append(f"derived_features.{f.name}: clashes with a dataset column")
        if f.column not in columns:
            faults.append(f"derived_features.{f.name}: unknown column {f.column!r}")
        if f.category not in d.categories:
            faults.append(f"derived_features.{f.name}: unknown category {f.category!r}")
        if f.aggregation == "days_since_last" and s.snapshot_date is None:
            faults.append(f"derived_features.{f.name}: days_since_last needs snapshot_date")
    derived = {f.name for f in s.derived_features}
    excluded = set(s.excluded_categories)
    for feat in s.reference_segmentation.features:
        if feat not in columns and feat not in derived:
            faults.append(f"reference_segmentation.features: unknown column {feat!r} "
                          f"(neither a {d.dataset} column nor a derived feature)")
            continue
        cat = next((f.category for f in s.derived_features if f.name == feat), None) or next(
            c.category for c in d.columns() if c.name == feat)
        if cat in excluded:
            faults.append(f"reference_segmentation.features: {feat!r} is in excluded category {cat!r}")
        if feat in columns and _is_nominal(d, feat):
            faults.append(f"reference_segmentation.features: {feat!r} is a nominal code, "
                          "meaningless as a distance for the segmentation")
    return faults


def _is_nominal(d: Dictionary, column: str) -> bool:
    # the dictionary types nominal columns "categorical ..." (codes, Yes/No, labels)
    return any(c.name == column and c.type.startswith("categorical") for c in d.columns())


def load_scenario_file(path: Path | str, *, datasets_root: Path | str | None = None) -> Scenario:
    """Load and validate the scenario in ``path``; :class:`ConfigError` names the file and each fault."""
    path = Path(path)
    scenario = load_model(path, Scenario)
    if scenario.id != path.stem:
        raise ConfigError(f"id {scenario.id!r} differs from the file name {path.stem!r}", where=str(path))
    try:
        dictionary = load_dictionary_model(scenario.dataset, root=datasets_root)
    except ConfigError as exc:
        raise ConfigError(f"dataset {scenario.dataset!r}: {exc}", where=str(path)) from None
    faults = _category_faults(scenario, dictionary) + _feature_faults(scenario, dictionary)
    if faults:
        raise ConfigError("; ".join(faults), where=str(path))
    scenario._dictionary = dictionary
    return scenario


def list_scenarios() -> list[str]:
    """Ids of the scenarios in ``grading/scenarios/``, sorted."""
    return sorted(p.stem for p in scenarios_dir().glob("*.yml"))


def load_scenario(scenario_id: str) -> Scenario:
    """Load the scenario ``scenario_id`` from ``grading/scenarios/`` and validate it."""
    path = scenarios_dir() / f"{scenario_id}.yml"
    if not path.exists():
        known = ", ".join(list_scenarios()) or "none"
        raise ConfigError(f"unknown scenario {scenario_id!r} (known: {known})", where=str(scenarios_dir()))
    return load_scenario_file(path)
