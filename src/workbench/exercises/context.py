"""The data a notebook template is rendered with: scenario, référentiel, dictionary, points."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench._yaml import read_yaml
from workbench.errors import ConfigError
from workbench.exercises.config import references_dir
from workbench.exercises.words import load_words
from workbench.referentiel import Referentiel
from workbench.scenarios import Scenario

SUPPORTED_DATASETS = ("cdnow", "caravan")
# template name -> check id of workbench_candidate.checks (candidate/src/workbench_candidate/checks.yml)
CHECK_IDS = {
    "categories": "collect.categories",
    "analysis_table": "collect.analysis_table",
    "segmentation": "segment.quality",
    "profiles": "segment.profiles",
    "target_names": "segment.names",
    "figure_clarity": "figures.clarity",
    "figure_adequacy": "figures.adequacy",
    "justifications": "collect.justifications",
}
COMPETENCE_OF_NOTEBOOK = {"1_1_collecte": "B1.1", "1_2_analyse": "B1.2", "1_3_visualisation": "B1.3"}
REFERENCE_TEXTS = ("categories_text", "justification_text", "segmentation_text", "targets_text", "captions_text", "summary_text")


@dataclass(frozen=True)
class DataFile:
    """A data file copied into the assignment: manifest name, source path, path in the release."""

    name: str
    source: Path
    release_path: str  # relative to the assignment folder, e.g. data/cdnow/CDNOW_master.txt


def check_points() -> dict[str, int]:
    """Points of each check, read from the check library so the notebooks never disagree with it."""
    from workbench_candidate.checks import declarations

    found = declarations()
    return {key: int(found[check_id].points) for key, check_id in CHECK_IDS.items()}


def data_files(dataset: str) -> list[DataFile]:
    """The verified data files of ``dataset`` (transactions/customers and contacts)."""
    from workbench.datasets import load_manifest, raw_path

    manifest = load_manifest()
    return [
        DataFile(name, raw_path(name), f"data/{entry.path}")
        for name, entry in manifest.files.items()
        if entry.dataset == dataset
    ]


def dictionary_rows(dataset: str, lang: str = "en") -> list[dict[str, str]]:
    """One row per category for the notebook's dictionary table, in ``lang``."""
    from workbench.datasets import load_dictionary

    words = load_words()
    table = load_dictionary(dataset)
    rows = []
    for category, group in table.groupby("category", sort=False):
        cols = list(dict.fromkeys(group["column"]))
        shown = ", ".join(f"`{c}`" for c in cols[:8]) + (
            " " + words.get("more_columns", lang, n=len(cols)) if len(cols) > 8 else "")
        personal = "personal_special" if group["special_category"].any() else (
            "personal_yes" if group["personal_data"].any() else "personal_no")
        label = _category_label(dataset, category)
        rows.append({"category": category, "kind": words.get(f"kind_{group['kind'].iloc[0]}", lang),
                     "label_en": label["en"], "label_fr": label["fr"], "label": label[lang],
                     "columns": shown, "personal": words.get(personal, lang)})
    return rows


def _category_label(dataset: str, category: str) -> dict[str, str]:
    from workbench.datasets import categories

    return categories(dataset)[category]["label"]


def reference_answers(scenario: Scenario) -> dict:
    """Model answers of ``scenario``: from its answer key and ``exercises/references/<id>.yml``."""
    path = references_dir() / f"{scenario.id}.yml"
    texts = read_yaml(path) or {}
    missing = [k for k in REFERENCE_TEXTS if not isinstance(texts.get(k), str)]
    if missing:
        raise ConfigError(f"model answer(s) missing: {', '.join(missing)}", where=str(path))
    key = scenario.answer_key
    chosen = list(key.relevant)
    justifications = {c: t.en for c, t in key.relevant.items()}
    for group in (key.personal_without_purpose, key.leakage, {"customer_key": key.neutral.get("customer_key")}):
        justifications.update({c: t.en for c, t in group.items() if t is not None})
    ref = scenario.reference_segmentation
    return {
        "chosen": chosen,
        "justifications": justifications,
        "features": list(ref.features),
        "transform": ref.transform,
        "k": ref.k,
        "random_state": ref.random_state,
        "value_feature": ref.value_feature,
        **{k: texts[k].strip() for k in REFERENCE_TEXTS},
    }


def notebook_context(scenario: Scenario, notebook: str, *, referentiel: Referentiel,
                     evidence: dict[str, str], lang: str = "en") -> dict:
    """Everything ``exercises/templates/<notebook>.nb.j2`` may use (``lang``: the course's language)."""
    from workbench.datasets import load_dictionary_model

    if scenario.dataset not in SUPPORTED_DATASETS:
        raise ConfigError(f"the exercise set has no template for dataset {scenario.dataset!r}",
                          where=f"grading/scenarios/{scenario.id}.yml")
    competence_id = COMPETENCE_OF_NOTEBOOK.get(notebook)
    if competence_id is None:
        raise ConfigError(f"notebook {notebook!r} maps to no competence", where="grading/exercises.yml")
    files = data_files(scenario.dataset)
    return {
        "lang": lang,
        "scenario": scenario,
        "cdnow": scenario.dataset == "cdnow",
        "block": referentiel.block("B1"),
        "competence": next(c for c in referentiel.block("B1").competences if c.id == competence_id),
        "evidence": evidence,
        "dictionary": load_dictionary_model(scenario.dataset),
        "dictionary_rows": dictionary_rows(scenario.dataset, lang),
        "data": {f.name: f.release_path for f in files},
        "data_files": [f.release_path for f in files] + ["data/dictionary.csv", "data/scenario.yml",
                                                          "data/segmentation_input.csv", "data/board_results.csv"],
        "pts": check_points(),
        "reference": reference_answers(scenario),
    }
