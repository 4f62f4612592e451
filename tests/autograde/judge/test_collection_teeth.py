"""The judge's key rules of notebook 1.1, each on data where removing the rule changes the verdict.

Alignment by customer id, foreign ids, the personal-data penalty (each category, down to 0), the
tolerances where the cents and the half dollar matter (issue #18: "rounded to the cent" on CDNOW,
whose amounts already have two decimals, proved nothing).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.autograde.judge.test_collection_rules import (CDNOW, keys, model, release, rfm,  # noqa: F401
                                                         rule_ids)
from workbench.autograde.judge.rules import collection as judge


def test_values_are_compared_customer_by_customer_whatever_the_row_order(keys, rfm):  # noqa: F811
    wrong = rfm.copy()
    wrong.loc[7, "monetary"] += 3.0  # one customer off by three dollars...
    shuffled = wrong.sample(frac=1.0, random_state=1).reset_index(drop=True)  # ...rows in another order
    out = judge.analysis_table(shuffled, key=keys[CDNOW])
    assert out.fraction == pytest.approx(0.625)
    assert rule_ids(out) == ["collection.table.values"] and "1 of" in out.faults[0].en
    by_index = judge.analysis_table(shuffled.set_index("customer_id"), key=keys[CDNOW])
    assert (by_index.fraction, rule_ids(by_index)) == (out.fraction, rule_ids(out))


def test_values_placed_against_the_wrong_customers_fail(keys, rfm):  # noqa: F811
    # the values are right but moved one row down against the ids: every variable is off
    moved = rfm.assign(**{c: np.roll(rfm[c].to_numpy(), 1) for c in ("recency_days", "frequency", "monetary")})
    out = judge.analysis_table(moved, key=keys[CDNOW])
    assert out.fraction == pytest.approx(0.25)
    assert rule_ids(out) == ["collection.table.values"] * 3


def test_foreign_customer_ids_cost_the_customers_share(keys, rfm):  # noqa: F811
    foreign = rfm.iloc[:3].assign(customer_id=["99990", "99991", "99992"])
    out = judge.analysis_table(pd.concat([rfm, foreign], ignore_index=True), key=keys[CDNOW])
    assert out.fraction == pytest.approx(0.75)  # the values of the real customers are all right
    assert rule_ids(out) == ["collection.table.customers"]
    assert "3 rows are not customers of the released data" in out.faults[0].en
    assert "have no row" not in out.faults[0].en
    assert "3 lignes ne sont pas des clients" in out.faults[0].fr
    both = judge.analysis_table(pd.concat([rfm.iloc[2:], foreign], ignore_index=True), key=keys[CDNOW])
    assert "2 customers of the released data have no row; 3 rows are not customers" in both.faults[0].en
    assert both.fraction == pytest.approx(0.75)


@pytest.mark.parametrize("delta, passes", [(0.5, True), (-0.5, True), (0.49, True), (0.51, False), (-0.51, False)])
def test_the_half_dollar_tolerance_on_the_total_spent(keys, rfm, delta, passes):  # noqa: F811
    table = rfm.copy()
    table.loc[11, "monetary"] += delta
    out = judge.analysis_table(table, key=keys[CDNOW])
    assert out.passed is passes
    assert out.fraction == (1.0 if passes else pytest.approx(0.625))


def test_totals_rounded_to_the_dollar_pass_where_the_cents_matter(keys, rfm):  # noqa: F811
    cents = (rfm["monetary"] - rfm["monetary"].round()).abs()
    assert (cents > 0.3).sum() > 100  # rounding really moves these totals
    assert judge.analysis_table(rfm.assign(monetary=rfm["monetary"].round()), key=keys[CDNOW]).passed
    # truncating instead of rounding is off by up to a dollar: not the announced tolerance
    out = judge.analysis_table(rfm.assign(monetary=np.floor(rfm["monetary"]) - 0.01), key=keys[CDNOW])
    assert not out.passed


def test_the_recency_tolerance_is_one_day_each_way(keys, rfm):  # noqa: F811
    for delta, passes in ((1, True), (-1, True), (2, False)):
        table = rfm.copy()
        table.loc[4, "recency_days"] += delta
        assert judge.analysis_table(table, key=keys[CDNOW]).passed is passes, delta


def test_counts_are_exact(keys, rfm):  # noqa: F811
    table = rfm.copy()
    table.loc[9, "frequency"] += 1
    out = judge.analysis_table(table, key=keys[CDNOW])
    assert rule_ids(out) == ["collection.table.values"] and "`frequency` is off for 1 of" in out.faults[0].en


def test_the_mean_tolerance_is_a_cent_where_the_cents_matter():
    """An average basket (``mean``): 12.3456 written 12.35 is the same; 12.36 is not."""
    tol = judge.rules().analysis_table.derived["mean"]
    ref = pd.Series([12.3456, 7.0049, 250.0])
    assert not judge._off(pd.Series([12.35, 7.00, 250.0]), ref, tol).any()       # rounded to the cent
    assert judge._off(pd.Series([12.36, 7.0049, 250.0]), ref, tol).tolist() == [True, False, False]
    assert judge._off(pd.Series([12.3456, 7.0049, 250.01]), ref, tol).tolist() == [False, False, True]
    assert judge._off(pd.Series([None, "7.0049", "x"]), ref, tol).tolist() == [True, False, True]  # missing: off
    sums = judge.rules().analysis_table.derived["sum"]
    assert judge._off(pd.Series([12.8456, 12.8457]), pd.Series([12.3456, 12.3456]), sums).tolist() == [False, True]


def test_each_personal_category_costs_half_a_point_down_to_zero(keys, model):  # noqa: F811
    m = model[CDNOW]
    clean = judge.categories(m["chosen"], m["justifications"], key=keys[CDNOW])
    one = judge.categories(m["chosen"] + ["contact_details"], m["justifications"], key=keys[CDNOW])
    assert clean.fraction == 1.0
    # precision 3/4 -> F1 = 6/7, minus the penalty of one personal category (0.5)
    assert one.fraction == pytest.approx(round(6 / 7 - 0.5, 4))
    assert judge.rules().categories.personal_penalty == 0.5
    assert "collection.categories.personal" in rule_ids(one)
    assert "collection.categories.irrelevant" not in rule_ids(one)  # personal data is its own fault


def test_a_neutral_category_is_not_irrelevant(keys, model):  # noqa: F811
    m = model[CDNOW]
    out = judge.categories(m["chosen"] + ["marketing_consent"], m["justifications"], key=keys[CDNOW])
    assert (out.fraction, rule_ids(out)) == (1.0, [])


def test_an_average_defined_by_the_scenario_is_recomputed_as_an_average(keys, rfm):  # noqa: F811
    """The ``mean`` aggregation (an average basket, announced as such) has its own recomputation
    and tolerance: the scenario's own table passes, the total spent in its place fails."""
    from workbench.autograde.judge.keys import ScenarioKey

    key = keys[CDNOW]
    features = [f.model_copy(update={"aggregation": "mean"}) if f.name == "monetary" else f
                for f in key.scenario.derived_features]
    basket = ScenarioKey(scenario=key.scenario.model_copy(update={"derived_features": features}),
                         data_dir=key.data_dir)
    table = basket.reference_table
    assert not np.allclose(table["monetary"], rfm["monetary"])  # an average, not the total
    assert judge.analysis_table(table, key=basket).passed
    assert judge.analysis_table(table.assign(monetary=table["monetary"].round(2)), key=basket).passed
    out = judge.analysis_table(rfm, key=basket)
    assert rule_ids(out) == ["collection.table.values"] and "`monetary`" in out.faults[0].en


def test_a_dataset_column_given_as_decimals_still_matches(keys, release):  # noqa: F811
    """Caravan's kept columns are compared as numbers: 3 and 3.0 are the same value."""
    from workbench.datasets import load_caravan

    table = load_caravan(root=release["caravan"])[["customer_id", "MOSTYPE", "MINKGEM"]]
    assert judge.analysis_table(table.astype({"MINKGEM": float}), key=keys["caravan_crosssell"]).passed
    off = table.assign(MINKGEM=table["MINKGEM"] + 0.5)
    assert rule_ids(judge.analysis_table(off, key=keys["caravan_crosssell"])) == ["collection.table.values"]
