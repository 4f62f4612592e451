"""What a candidate reads from the public rules of notebook 1.1, recorded (syrupy snapshots).

One answer per fault, plus legitimate answers: the fraction and every message in both languages
stay as reviewed in ``__snapshots__/`` (``pytest --snapshot-update`` after a deliberate change,
reviewed in the diff), and every message keeps to plain words (issue #16).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.candidate.rules.recorded import assert_plain_words, record
from tests.candidate.rules.test_collection import CARAVAN, CDNOW, model, public, tables  # noqa: F401
from workbench_candidate.rules import collection as rules

CATEGORIES = {
    "model_cdnow": (CDNOW, lambda m: m[CDNOW]["chosen"]),
    "model_caravan": (CARAVAN, lambda m: m[CARAVAN]["chosen"]),
    "join_key_only": (CDNOW, lambda m: ["customer_key"]),
    "empty": (CDNOW, lambda m: []),
    "unknown": (CDNOW, lambda m: ["purchase_dates", "purchases", "value"]),
    "target_kept": (CARAVAN, lambda m: m[CARAVAN]["chosen"] + ["target"]),
    "identifying_kept": (CDNOW, lambda m: m[CDNOW]["chosen"] + ["contact_details"]),
    "special_category_kept": (CARAVAN, lambda m: m[CARAVAN]["chosen"] + ["religion", "contact_details"]),
    "a_text_not_a_list": (CDNOW, lambda m: "purchase_dates"),
    "a_dict": (CDNOW, lambda m: {"purchase_dates": 1}),
    "not_texts": (CDNOW, lambda m: ["purchase_dates", 3]),
}


@pytest.mark.parametrize("case", sorted(CATEGORIES))
def test_categories_messages(case, public, model, snapshot):  # noqa: F811
    scenario, chosen = CATEGORIES[case]
    recorded = record(lambda: rules.categories(chosen(model), scenario=public[scenario]))
    assert recorded == snapshot
    assert_plain_words(recorded)


def _missing_id(t: pd.DataFrame) -> pd.DataFrame:
    t = t.set_index("customer_id")
    t.index = t.index.where(np.arange(len(t)) != 4, None)
    return t


TABLES = {
    "reference_cdnow": (CDNOW, lambda t: t),
    "reference_cdnow_by_index": (CDNOW, lambda t: t.set_index("customer_id")),
    "reference_caravan": (CARAVAN, lambda t: t),
    "repeated_rows": (CDNOW, lambda t: pd.concat([t, t.iloc[:3]])),
    "no_customer_id": (CDNOW, lambda t: t.drop(columns="customer_id")),
    "variable_missing": (CDNOW, lambda t: t.drop(columns="monetary")),
    "variable_as_text": (CDNOW, lambda t: t.assign(recency_days=t["recency_days"].astype(str))),
    "variable_as_booleans": (CDNOW, lambda t: t.assign(frequency=t["frequency"] > 1)),
    "missing_values": (CDNOW, lambda t: t.assign(monetary=t["monetary"].where(t.index != 3))),
    "missing_id_in_the_index": (CDNOW, _missing_id),
    "caravan_no_dataset_column": (CARAVAN, lambda t: t[["customer_id"]].assign(score=1.0)),
    "a_list": (CDNOW, lambda t: t.values.tolist()),
}


@pytest.mark.parametrize("case", sorted(TABLES))
def test_analysis_table_messages(case, public, tables, snapshot):  # noqa: F811
    scenario, damage = TABLES[case]
    recorded = record(lambda: rules.analysis_table(damage(tables[scenario].copy()), scenario=public[scenario]))
    assert recorded == snapshot
    assert_plain_words(recorded)


def _without(m: dict, *names: str) -> dict:
    return {k: v for k, v in m["justifications"].items() if k not in names}


JUSTIFICATIONS = {
    "model_cdnow": (CDNOW, lambda m: (m["justifications"], m["chosen"])),
    "model_caravan": (CARAVAN, lambda m: (m["justifications"], m["chosen"])),
    "kept_without_reason": (CDNOW, lambda m: ({**m["justifications"], "purchase_value": "Money."}, m["chosen"])),
    "left_out_without_reason": (CARAVAN, lambda m: (_without(m, "target", "religion"), m["chosen"])),
    "kept_and_left_out_without_reason": (CARAVAN, lambda m: (
        {**_without(m, "target"), "income": "Income."}, m["chosen"])),
    "copied_reasons": (CDNOW, lambda m: (
        {k: "This category matters for the campaign and GDPR minimisation." for k in m["justifications"]},
        m["chosen"])),
    "reasons_without_words_are_missing_not_copied": (CDNOW, lambda m: (
        {**m["justifications"], "purchase_value": "...", "purchase_volume": "..."}, m["chosen"])),
    "no_data_protection": (CDNOW, lambda m: (
        {**m["justifications"], "contact_details": "E-mail and phone add nothing at all to this analysis."},
        m["chosen"])),
    "unknown_category": (CDNOW, lambda m: (
        {**m["justifications"], "no_such_category": "A long enough reason for nothing at all."}, m["chosen"])),
    "a_list": (CDNOW, lambda m: (["a reason"], m["chosen"])),
    "a_number_as_reason": (CDNOW, lambda m: ({"purchase_dates": 3}, m["chosen"])),
    "chosen_a_text": (CDNOW, lambda m: (m["justifications"], "purchase_dates")),
}


@pytest.mark.parametrize("case", sorted(JUSTIFICATIONS))
def test_justifications_messages(case, public, model, snapshot):  # noqa: F811
    scenario, answer = JUSTIFICATIONS[case]
    reasons, chosen = answer(model[scenario])
    recorded = record(lambda: rules.justifications(reasons, chosen=chosen, scenario=public[scenario]))
    assert recorded == snapshot
    assert_plain_words(recorded)


def test_the_cases_cover_every_public_fault(public, model, tables):  # noqa: F811
    """Every rule id of the module docstring is reached by a recorded case."""
    import re

    seen: set[str] = set()
    for scenario, chosen in CATEGORIES.values():
        seen |= {r["rule"] for r in _faults(lambda: rules.categories(chosen(model), scenario=public[scenario]))}
    for scenario, damage in TABLES.values():
        seen |= {r["rule"] for r in _faults(lambda: rules.analysis_table(damage(tables[scenario].copy()),
                                                                          scenario=public[scenario]))}
    for scenario, answer in JUSTIFICATIONS.values():
        reasons, chosen = answer(model[scenario])
        seen |= {r["rule"] for r in _faults(lambda: rules.justifications(reasons, chosen=chosen,
                                                                          scenario=public[scenario]))}
    doc = rules.__doc__
    announced = {f"{stem}.{leaf}" for stem, leaves in re.findall(r"``([a-z_.]+)\.\{([a-z_,]+)\}``", doc)
                 for leaf in leaves.split(",")} | set(re.findall(r"``(collection\.[a-z_]+\.[a-z_]+)``", doc))
    assert len(announced) == 14 and announced <= seen


def _faults(run) -> list[dict]:
    recorded = record(run)
    return recorded.get("faults", []) + recorded.get("notes", [])


def test_a_missing_reason_has_no_words():
    assert (rules.words(None), rules.words(3), rules.words(""), rules.words("deux mots")) == (0, 0, 0, 2)


def test_normalised_ids_keep_the_id_column_name():
    for values in (["00042", " 7"], np.array([42.0, 7.0]), np.array([42, 7], dtype=np.int32),
                   np.array([42, 7], dtype=np.uint16), ["C00001"]):
        ids = rules.norm_ids(values)
        assert ids.name == rules.thresholds().id_column
        assert ids.dtype == (object if isinstance(values, list) and values[0] == "C00001" else np.int64), values
