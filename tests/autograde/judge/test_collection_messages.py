"""What a candidate reads from the judge's key rules of notebook 1.1, recorded (syrupy snapshots).

One answer per fault (and the legitimate answers that earn full points): the fraction and every
message in both languages must stay as reviewed in ``__snapshots__/``. A deliberate change is
recorded with ``pytest --snapshot-update`` and reviewed in the diff. Every message is also held
to the plain-words rules (issue #16): no class name, no rule id, French not a copy of English.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.autograde.judge.test_collection_rules import (ARGUED, CARAVAN, CDNOW, keys, model,  # noqa: F401
                                                         release, rfm, tx)
from tests.candidate.rules.recorded import assert_plain_words, record
from workbench.autograde.judge.rules import collection as judge

CATEGORIES = {
    "model_cdnow": lambda m: (CDNOW, m[CDNOW]["chosen"], m[CDNOW]["justifications"]),
    "model_caravan": lambda m: (CARAVAN, m[CARAVAN]["chosen"], m[CARAVAN]["justifications"]),
    "empty": lambda m: (CDNOW, [], {}),
    "unknown_name": lambda m: (CDNOW, ["purchase_dates", "purchases"], {}),
    "only_neutral": lambda m: (CDNOW, ["customer_key", "marketing_consent"], {}),
    "one_missed_unargued": lambda m: (CDNOW, ["customer_key", "purchase_dates", "purchase_value"], {}),
    "one_missed_argued": lambda m: (CDNOW, ["customer_key", "purchase_dates", "purchase_value"],
                                    {"purchase_volume": ARGUED}),
    "missed_with_unreadable_justifications": lambda m: (CDNOW, ["purchase_dates", "purchase_value"], ["a", "b"]),
    "personal_kept": lambda m: (CDNOW, m[CDNOW]["chosen"] + ["contact_details"], m[CDNOW]["justifications"]),
    "personal_and_leakage_kept": lambda m: (CARAVAN, m[CARAVAN]["chosen"] + ["religion", "target"],
                                            m[CARAVAN]["justifications"]),
    "neutral_added": lambda m: (CARAVAN, m[CARAVAN]["chosen"] + ["education", "housing"], {}),
}


def _tables(rfm, release):  # noqa: F811 - the fixtures of test_collection_rules
    from workbench.datasets import load_caravan

    big = int(rfm["monetary"].idxmax())
    one_off, same_shift, far = rfm.copy(), rfm.copy(), rfm.copy()
    one_off.loc[7, "monetary"] += 3.0
    same_shift["recency_days"] += 2
    far.loc[3, "recency_days"] += 2  # one customer: no "another date" hint
    caravan = load_caravan(root=release["caravan"])[["customer_id", "MOSTYPE", "MINKGEM"]]
    foreign = rfm.iloc[:3].assign(customer_id=["99990", "99991", "99992"])
    return {
        "reference_cdnow": rfm,
        "missing_customers": rfm.iloc[:-10],
        "foreign_and_missing_customers": pd.concat([rfm.iloc[2:], foreign], ignore_index=True),
        "ids_of_another_format": rfm.assign(customer_id="X" + rfm["customer_id"]),
        "mean_basket_for_total": rfm.assign(monetary=rfm["monetary"] / rfm["frequency"]),
        "one_customer_off": one_off,
        "recency_from_another_date": same_shift,
        "recency_one_customer_off": far,
        "relative_tolerance_on_the_largest_amount": rfm.assign(
            monetary=rfm["monetary"].where(rfm.index != big, rfm["monetary"] + 0.5 + 0.5e-6 * rfm["monetary"])),
        "reference_caravan": caravan,
        "caravan_column_shuffled": caravan.assign(MINKGEM=caravan["MINKGEM"].sample(frac=1.0, random_state=3).to_numpy()),
        "caravan_contact_columns_only": caravan[["customer_id"]].assign(email="a@b.c"),
        "caravan_two_columns_shuffled": caravan.assign(
            MINKGEM=caravan["MINKGEM"].sample(frac=1.0, random_state=3).to_numpy(),
            MOSTYPE=caravan["MOSTYPE"].sample(frac=1.0, random_state=4).to_numpy()),
    }


@pytest.mark.parametrize("case", sorted(CATEGORIES))
def test_categories_messages(case, keys, model, snapshot):  # noqa: F811
    scenario, chosen, reasons = CATEGORIES[case](model)
    recorded = record(lambda: judge.categories(chosen, reasons, key=keys[scenario]))
    assert recorded == snapshot
    assert_plain_words(recorded)


TABLE_CASES = ["reference_cdnow", "missing_customers", "foreign_and_missing_customers", "ids_of_another_format",
               "mean_basket_for_total", "one_customer_off", "recency_from_another_date", "recency_one_customer_off",
               "relative_tolerance_on_the_largest_amount", "reference_caravan", "caravan_column_shuffled",
               "caravan_contact_columns_only", "caravan_two_columns_shuffled"]


@pytest.fixture(scope="module")
def tables(keys, release):  # noqa: F811
    return _tables(keys[CDNOW].reference_table.copy(), release)


@pytest.mark.parametrize("case", TABLE_CASES)
def test_analysis_table_messages(case, keys, tables, snapshot):  # noqa: F811
    scenario = CARAVAN if case.startswith(("reference_caravan", "caravan")) else CDNOW
    recorded = record(lambda: judge.analysis_table(tables[case], key=keys[scenario]))
    assert recorded == snapshot
    assert_plain_words(recorded)


def _leaky_key(keys):  # noqa: F811
    """Caravan's key where a relevant category is declared leakage (it is not the `target` kind)."""
    from workbench.autograde.judge.keys import ScenarioKey

    key = keys[CARAVAN]
    answer = key.scenario.answer_key
    relevant = dict(answer.relevant)
    leaked = {"product_counts": relevant.pop("product_counts")}
    changed = answer.model_copy(update={"relevant": relevant, "leakage": {**answer.leakage, **leaked}})
    return ScenarioKey(scenario=key.scenario.model_copy(update={"answer_key": changed}), data_dir=key.data_dir)


def test_leakage_other_than_the_target_is_said_by_the_judge(keys, model, snapshot):  # noqa: F811
    m = model[CARAVAN]
    recorded = record(lambda: judge.categories(m["chosen"], m["justifications"], key=_leaky_key(keys)))
    assert recorded == snapshot
    assert [f["rule"] for f in recorded["faults"]] == ["collection.categories.leakage"]


def test_the_cases_cover_every_key_rule_fault(keys, model, tables):  # noqa: F811
    """The recorded corpus reaches every fault the key rules can give (a new fault needs a case)."""
    seen = set()
    for case in CATEGORIES.values():
        scenario, chosen, reasons = case(model)
        seen |= {f.rule for f in judge.categories(chosen, reasons, key=keys[scenario]).faults}
    m = model[CARAVAN]
    seen |= {f.rule for f in judge.categories(m["chosen"], m["justifications"], key=_leaky_key(keys)).faults}
    for case in TABLE_CASES:
        scenario = CARAVAN if case.startswith(("reference_caravan", "caravan")) else CDNOW
        seen |= {f.rule for f in judge.analysis_table(tables[case], key=keys[scenario]).faults}
    assert {"collection.categories.missing", "collection.categories.irrelevant", "collection.categories.personal",
            "collection.categories.leakage", "collection.table.customers", "collection.table.values",
            "collection.table.dataset_columns"} <= seen
