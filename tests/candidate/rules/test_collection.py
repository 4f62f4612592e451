"""Public rules of notebook 1.1 (workbench_candidate.rules.collection), on both real scenarios.

Each rule: a legitimate alternative passes, a flaw fails with its rule id and fraction.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from workbench_candidate.outcome import BadAnswer
from workbench_candidate.rules import collection as rules

CDNOW, CARAVAN = "cdnow_winback", "caravan_crosssell"


def _public(scenario_id: str):
    from workbench.datasets import load_dictionary
    from workbench.scenarios import load_scenario
    from workbench.scenarios.public import public_view
    from workbench_candidate.scenario import from_mapping

    sc = load_scenario(scenario_id)
    return from_mapping(public_view(sc), load_dictionary(sc.dataset).astype(str))


@pytest.fixture(scope="module")
def public():
    return {s: _public(s) for s in (CDNOW, CARAVAN)}


@pytest.fixture(scope="module")
def model():
    from workbench.exercises.context import reference_answers
    from workbench.scenarios import load_scenario

    return {s: reference_answers(load_scenario(s)) for s in (CDNOW, CARAVAN)}


@pytest.fixture(scope="module")
def tables():
    from workbench.scenarios import analysis_table, load_scenario

    return {s: analysis_table(load_scenario(s)) for s in (CDNOW, CARAVAN)}


def rule_ids(outcome) -> list[str]:
    return [f.rule for f in outcome.faults]


# --- categories -----------------------------------------------------------------------------------

@pytest.mark.parametrize("scenario", [CDNOW, CARAVAN])
def test_model_answer_passes(public, model, scenario):
    out = rules.categories(model[scenario]["chosen"], scenario=public[scenario])
    assert out.fraction == 1.0 and out.faults == () and out.passed


def test_any_set_of_known_non_target_categories_passes_so_no_oracle(public):
    """The self-check reads no answer key: every subset gets the same verdict."""
    names = sorted(public[CDNOW].categories)
    for r in range(1, len(names) + 1):
        for subset in itertools.combinations(names, r):
            out = rules.categories(list(subset), scenario=public[CDNOW])
            assert (out.fraction, out.faults) == (1.0, ())


def test_tuple_set_and_series_are_accepted_with_spaces(public):
    for chosen in (("purchase_dates",), {"purchase_dates "}, pd.Series(["purchase_dates"])):
        assert rules.categories(chosen, scenario=public[CDNOW]).fraction == 1.0


def test_target_kept_fails(public, model):
    out = rules.categories(model[CARAVAN]["chosen"] + ["target"], scenario=public[CARAVAN])
    assert out.fraction == 0.0
    assert rule_ids(out) == ["collection.categories.target"]
    assert "leakage" in out.faults[0].en and "fuite" in out.faults[0].fr


def test_unknown_name_fails(public):
    out = rules.categories(["purchase_dates", "purchase_date"], scenario=public[CDNOW])
    assert out.fraction == 0.0
    assert rule_ids(out) == ["collection.categories.unknown"]
    assert "purchase_date'" in out.faults[0].en  # names the candidate's own typo


def test_empty_choice_fails(public):
    out = rules.categories([], scenario=public[CDNOW])
    assert (out.fraction, rule_ids(out)) == (0.0, ["collection.categories.empty"])


def test_identifying_data_earns_a_free_remark_but_not_the_join_key(public):
    out = rules.categories(["purchase_dates", "contact_details"], scenario=public[CDNOW])
    assert out.fraction == 1.0 and out.faults == ()
    assert [n.rule for n in out.notes] == ["collection.categories.identifying"]
    assert rules.categories(["purchase_dates", "customer_key"], scenario=public[CDNOW]).notes == ()
    religion = rules.categories(["income", "religion"], scenario=public[CARAVAN])
    assert [n.rule for n in religion.notes] == ["collection.categories.identifying"]


@pytest.mark.parametrize("bad", ["purchase_dates", 42, None, {"purchase_dates": "x"},
                                 pd.DataFrame({"a": [1]}), [1, 2]])
def test_wrong_type_is_bad_answer(public, bad):
    with pytest.raises(BadAnswer) as err:
        rules.categories(bad, scenario=public[CDNOW])
    assert "chosen" in err.value.en and "chosen" in err.value.fr


# --- analysis table (structure) -------------------------------------------------------------------

@pytest.mark.parametrize("scenario", [CDNOW, CARAVAN])
def test_reference_table_passes_with_id_column_or_index(public, tables, scenario):
    table = tables[scenario]
    assert rules.analysis_table(table, scenario=public[scenario]).passed
    assert rules.analysis_table(table.set_index("customer_id"), scenario=public[scenario]).passed


def test_extra_columns_are_allowed(public, tables):
    table = tables[CDNOW].assign(last_purchase=pd.Timestamp("1998-01-01"), note="x")
    assert rules.analysis_table(table, scenario=public[CDNOW]).fraction == 1.0


def test_list_instead_of_dataframe_is_bad_answer(public, tables):
    with pytest.raises(BadAnswer, match="DataFrame"):
        rules.analysis_table(tables[CDNOW].values.tolist(), scenario=public[CDNOW])


@pytest.mark.parametrize("damage, rule", [
    (lambda t: pd.concat([t, t.iloc[:3]]), "collection.table.rows"),
    (lambda t: t.drop(columns="customer_id"), "collection.table.customer_id"),
    (lambda t: t.drop(columns="monetary"), "collection.table.variables"),
    (lambda t: t.assign(recency_days=t["recency_days"].astype(str)), "collection.table.numeric"),
    (lambda t: t.assign(monetary=t["monetary"].where(t.index != 3)), "collection.table.missing_values"),
])
def test_structure_flaws_fail(public, tables, damage, rule):
    out = rules.analysis_table(damage(tables[CDNOW]), scenario=public[CDNOW])
    assert out.fraction == 0.0
    assert rule_ids(out) == [rule]


def test_missing_id_in_the_index_fails(public, tables):
    table = tables[CDNOW].set_index("customer_id")
    table.index = table.index.where(np.arange(len(table)) != 4, None)
    out = rules.analysis_table(table, scenario=public[CDNOW])
    assert (out.fraction, rule_ids(out)) == (0.0, ["collection.table.missing_values"])


def test_caravan_table_without_any_dataset_column_fails(public, tables):
    table = tables[CARAVAN][["customer_id"]].assign(score=1.0)
    out = rules.analysis_table(table, scenario=public[CARAVAN])
    assert (out.fraction, rule_ids(out)) == (0.0, ["collection.table.dataset_columns"])


def test_ids_are_normalised():
    assert list(rules.norm_ids(["00042", " 7"])) == [42, 7]
    assert list(rules.norm_ids(np.array([42.0, 7.0]))) == [42, 7]
    assert list(rules.norm_ids(["C00001"])) == ["C00001"]


# --- justifications -------------------------------------------------------------------------------

@pytest.mark.parametrize("scenario", [CDNOW, CARAVAN])
def test_model_justifications_pass(public, model, scenario):
    m = model[scenario]
    out = rules.justifications(m["justifications"], chosen=m["chosen"], scenario=public[scenario])
    assert out.passed and out.fraction == 1.0


def test_customer_key_absent_from_chosen_is_not_left_out(public, model):
    m = model[CDNOW]
    reasons = {k: v for k, v in m["justifications"].items() if k != "customer_key"}
    assert "customer_key" not in m["chosen"]
    out = rules.justifications(reasons, chosen=m["chosen"], scenario=public[CDNOW])
    assert (out.fraction, out.faults) == (1.0, ())
    # nor is it a decision to argue when listed in chosen
    out = rules.justifications(reasons, chosen=m["chosen"] + ["customer_key"], scenario=public[CDNOW])
    assert (out.fraction, out.faults) == (1.0, ())


def test_kept_category_without_reason_fails_with_the_share_argued(public, model):
    m = model[CDNOW]
    reasons = {**m["justifications"], "purchase_value": "Money."}
    out = rules.justifications(reasons, chosen=m["chosen"], scenario=public[CDNOW])
    assert rule_ids(out) == ["collection.justifications.missing"]
    assert out.fraction == pytest.approx(3 / 4)  # 3 kept + contact_details left out: 3 of 4 argued
    assert "'purchase_value'" in out.faults[0].en and "'purchase_value'" in out.faults[0].fr


def test_identifying_category_left_out_without_reason_fails(public, model):
    m = model[CDNOW]
    reasons = {k: v for k, v in m["justifications"].items() if k != "contact_details"}
    reasons["purchase_dates"] += " GDPR minimisation keeps only what is needed."
    out = rules.justifications(reasons, chosen=m["chosen"], scenario=public[CDNOW])
    assert rule_ids(out) == ["collection.justifications.missing"]
    assert out.fraction == pytest.approx(3 / 4)
    assert "left out" in out.faults[0].en


def test_caravan_target_and_religion_left_out_must_be_argued(public, model):
    m = model[CARAVAN]
    reasons = {k: v for k, v in m["justifications"].items() if k not in ("target", "religion")}
    out = rules.justifications(reasons, chosen=m["chosen"], scenario=public[CARAVAN])
    assert rule_ids(out) == ["collection.justifications.missing"]
    assert out.fraction == pytest.approx(1 - 2 / 8)  # 5 kept + contact, religion, target
    assert "religion" in out.faults[0].en and "target" in out.faults[0].en


def test_a_reason_of_exactly_min_words_counts(public, model):
    m = model[CDNOW]
    six = {**m["justifications"], "purchase_value": "Spend measures the value we prioritise."}
    assert rules.justifications(six, chosen=m["chosen"], scenario=public[CDNOW]).passed
    five = {**m["justifications"], "purchase_value": "Spend measures the value prioritised."}
    out = rules.justifications(five, chosen=m["chosen"], scenario=public[CDNOW])
    assert (out.fraction, rule_ids(out)) == (0.75, ["collection.justifications.missing"])


def test_copy_paste_reasons_fail(public, model):
    m = model[CDNOW]
    same = {k: "This category matters for the campaign and GDPR minimisation." for k in m["justifications"]}
    out = rules.justifications(same, chosen=m["chosen"], scenario=public[CDNOW])
    assert (out.fraction, rule_ids(out)) == (0.5, ["collection.justifications.duplicate"])


def test_no_reason_citing_data_protection_fails(public, model):
    m = model[CDNOW]
    reasons = {**m["justifications"], "contact_details": "E-mail and phone add nothing at all to this analysis."}
    out = rules.justifications(reasons, chosen=m["chosen"], scenario=public[CDNOW])
    assert (out.fraction, rule_ids(out)) == (0.5, ["collection.justifications.privacy"])
    fr = {**reasons, "contact_details": "Ces données personnelles n'apportent rien, minimisation oblige."}
    assert rules.justifications(fr, chosen=m["chosen"], scenario=public[CDNOW]).passed


def test_unknown_id_in_justifications_fails(public, model):
    m = model[CDNOW]
    reasons = {**m["justifications"], "no_such_category": "A long enough reason for nothing at all."}
    out = rules.justifications(reasons, chosen=m["chosen"], scenario=public[CDNOW])
    assert (out.fraction, rule_ids(out)) == (0.0, ["collection.justifications.unknown"])


@pytest.mark.parametrize("bad, chosen", [
    (["a reason"], ["purchase_dates"]),
    ({"purchase_dates": 3}, ["purchase_dates"]),
    ({"purchase_dates": "A reason long enough for the check."}, "purchase_dates"),
])
def test_wrong_types_in_justifications_are_bad_answers(public, bad, chosen):
    with pytest.raises(BadAnswer):
        rules.justifications(bad, chosen=chosen, scenario=public[CDNOW])


# --- the thresholds file ----------------------------------------------------------------------------

def test_thresholds_are_validated_on_load(tmp_path, monkeypatch):
    good = rules.RULES_FILE.read_text(encoding="utf-8")
    bad = tmp_path / "collection.yml"
    bad.write_text(good.replace("duplicate_fraction: 0.5", "duplicate_fraction: 2"), encoding="utf-8")
    monkeypatch.setattr(rules, "RULES_FILE", bad)
    rules.thresholds.cache_clear()
    try:
        with pytest.raises(ValueError, match="duplicate_fraction"):
            rules.thresholds()
        bad.write_text(good.replace("min_words: 6", "min_words: 0"), encoding="utf-8")
        rules.thresholds.cache_clear()
        with pytest.raises(ValueError, match="min_words"):
            rules.thresholds()
    finally:
        rules.thresholds.cache_clear()
    monkeypatch.undo()
    assert rules.thresholds().min_words == 6


@pytest.mark.parametrize("value, ok", [(1.0, True), (0, True), (1, True), (True, False), (1.01, False),
                                       (-0.1, False), ("0.5", False)])
def test_a_fraction_of_the_thresholds_is_a_number_within_0_and_1(value, ok):
    if ok:
        assert rules._fraction(value, "x") == float(value)
    else:
        with pytest.raises(ValueError, match="x must be a number within"):
            rules._fraction(value, "x")


def test_the_candidate_module_never_imports_workbench():
    source = rules.__file__
    text = open(source, encoding="utf-8").read()
    assert "import workbench\n" not in text and "from workbench." not in text and "from workbench " not in text
