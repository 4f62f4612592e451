"""collect.categories and collect.analysis_table on the real CDNOW and Caravan data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from workbench.checks import BadInput, CheckFailed, block1

GOOD = ["purchase_dates", "purchase_volume", "purchase_value", "customer_key"]


def answer_key(repo_root, scenario):
    return yaml.safe_load((repo_root / f"grading/scenarios/{scenario}.yml").read_text())["answer_key"]


def test_relevant_categories_pass_with_full_points(capsys):
    block1.categories.check(GOOD, scenario="cdnow_winback")
    assert block1.categories.grade(GOOD, scenario="cdnow_winback") == 2.0
    assert "✔ collect.categories" in capsys.readouterr().out


def test_neutral_categories_count_neither_way():
    assert block1.categories.grade(GOOD + ["marketing_consent"], scenario="cdnow_winback") == 2.0


@pytest.mark.parametrize("chosen, words", [
    (["purchase_dates", "customer_key"], "missing"),
    (GOOD + ["contact_details"], "personal data"),
])
def test_bad_choices_fail_without_naming_the_answer(repo_root, chosen, words):
    with pytest.raises(CheckFailed) as err:
        block1.categories.check(chosen, scenario="cdnow_winback")
    msg = str(err.value)
    assert words in msg
    for category in answer_key(repo_root, "cdnow_winback")["relevant"]:
        assert category not in msg


def test_leakage_category_fails_caravan():
    chosen = ["customer_type", "income", "car_ownership", "product_contributions", "product_counts", "target"]
    with pytest.raises(CheckFailed, match="leakage"):
        block1.categories.check(chosen, scenario="caravan_crosssell")


def test_hidden_part_is_stricter_than_the_self_check():
    chosen = ["customer_type", "income", "car_ownership", "product_contributions"]  # recall 0.8
    block1.categories.check(chosen, scenario="caravan_crosssell")
    with pytest.raises(CheckFailed, match="missing"):
        block1.categories.grade(chosen, scenario="caravan_crosssell")


@pytest.mark.parametrize("bad", ["purchase_dates", 42, pd.DataFrame({"a": [1]}), ["no_such_category"]])
def test_bad_input_is_a_clean_message(bad):
    with pytest.raises(BadInput) as err:
        block1.categories.check(bad, scenario="cdnow_winback")
    assert "collect.categories" in str(err.value)


def test_unknown_scenario_is_bad_input():
    with pytest.raises(BadInput, match="scenario"):
        block1.categories.check(GOOD, scenario="nope")


# --- analysis table ---------------------------------------------------------------------------

def test_correct_table_passes(rfm, transactions):
    block1.analysis_table.check(rfm, scenario="cdnow_winback", transactions=transactions)
    assert block1.analysis_table.grade(rfm.set_index("customer_id"), scenario="cdnow_winback") == 2.0


def test_distinct_days_and_deduplicated_definitions_pass(rfm, transactions):
    dedup = transactions.drop_duplicates()
    g = dedup.groupby("customer_id")
    alt = rfm.set_index("customer_id").assign(frequency=g["date"].nunique(), monetary=g["dollar_value"].sum())
    assert block1.analysis_table.grade(alt, scenario="cdnow_winback") == 2.0


def test_amounts_rounded_to_cents_pass(rfm):
    assert block1.analysis_table.grade(rfm.round({"monetary": 2}), scenario="cdnow_winback") == 2.0


def test_transactions_not_aggregated_fail(transactions):
    tx = transactions.assign(recency_days=1, frequency=1, monetary=transactions["dollar_value"])
    with pytest.raises(CheckFailed, match="one row per customer"):
        block1.analysis_table.check(tx, scenario="cdnow_winback")


def test_missing_customers_fail(rfm):
    with pytest.raises(CheckFailed, match="missing"):
        block1.analysis_table.check(rfm.iloc[:-10], scenario="cdnow_winback")


def test_wrong_values_fail_and_message_gives_no_number(rfm):
    wrong = rfm.assign(monetary=rfm["monetary"] / rfm["frequency"])  # mean basket, not total
    with pytest.raises(CheckFailed) as err:
        block1.analysis_table.check(wrong, scenario="cdnow_winback")
    assert "'monetary'" in str(err.value)
    assert not any(ch.isdigit() for ch in str(err.value).split(":", 1)[1])


def test_one_customer_wrong_is_caught_by_the_hidden_part_only(rfm):
    wrong = rfm.copy()
    wrong.loc[5, "monetary"] += 3.0
    block1.analysis_table.check(wrong, scenario="cdnow_winback")
    with pytest.raises(CheckFailed, match="monetary"):
        block1.analysis_table.grade(wrong, scenario="cdnow_winback")


def test_dates_not_parsed_fail(rfm):
    with pytest.raises(CheckFailed, match="numbers"):
        block1.analysis_table.check(rfm.assign(recency_days=rfm["recency_days"].astype(str)),
                                    scenario="cdnow_winback")


def test_missing_values_fail(rfm):
    with pytest.raises(CheckFailed, match="missing values"):
        block1.analysis_table.check(rfm.assign(monetary=rfm["monetary"].where(rfm.index != 3)),
                                    scenario="cdnow_winback")


@pytest.mark.parametrize("bad, words", [
    (lambda t: t.values.tolist(), "DataFrame"),
    (lambda t: t.drop(columns="monetary"), "monetary"),
    (lambda t: t.drop(columns="customer_id").reset_index(drop=True), "customer id"),
])
def test_bad_tables_are_clean_messages(rfm, bad, words):
    with pytest.raises(BadInput, match=words):
        block1.analysis_table.check(bad(rfm), scenario="cdnow_winback")


def test_caravan_table(caravan):
    table = caravan[["customer_id", "MOSTYPE", "MINKGEM", "PPERSAUT", "Purchase"]]
    assert block1.analysis_table.grade(table, scenario="caravan_crosssell") == 2.0
    shuffled = table.assign(PPERSAUT=np.roll(table["PPERSAUT"].to_numpy(), 1))
    block1.analysis_table.check(shuffled, scenario="caravan_crosssell")
    with pytest.raises(CheckFailed):
        block1.analysis_table.grade(shuffled, scenario="caravan_crosssell")


@pytest.mark.parametrize("scenario", ["cdnow_winback", "caravan_crosssell"])
def test_no_message_names_an_answer_key_category(repo_root, scenario):
    key = answer_key(repo_root, scenario)
    secret = set(key["relevant"]) | set(key["personal_without_purpose"]) | set(key["leakage"] or {})
    everything = sorted(set().union(*[set(v or {}) for v in key.values()]))
    attempts = [[c] for c in everything] + [everything, everything[:2], everything[-3:]]
    for chosen in attempts:
        for run in (block1.categories.check, block1.categories.grade):
            try:
                run(chosen, scenario=scenario)
            except CheckFailed as exc:
                leaked = {c for c in secret - set(chosen) if c in str(exc)}
                assert not leaked, (chosen, str(exc))
