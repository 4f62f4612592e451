"""The two scenarios load, validated against their dictionaries, with the helpers others use."""

from __future__ import annotations

import numpy as np

from workbench.datasets import load_cdnow_transactions
from workbench.scenarios import analysis_table, list_scenarios, load_scenario


def test_both_scenarios_listed_and_loaded():
    assert list_scenarios() == ["caravan_crosssell", "cdnow_winback"]
    for sid in list_scenarios():
        assert load_scenario(sid).id == sid


def test_caravan_category_groups_and_columns():
    s = load_scenario("caravan_crosssell")
    assert s.relevant_categories == ["customer_type", "income", "car_ownership", "product_contributions",
                                     "product_counts"]
    assert s.excluded_categories == ["contact_details", "religion", "target"]
    assert "marketing_consent" in s.neutral_categories
    assert s.columns_of("car_ownership") == ["MAUT1", "MAUT2", "MAUT0"]
    assert s.columns_of("target") == ["Purchase"]
    assert s.classification("religion") == "personal_without_purpose"
    assert s.reason("target").en.startswith("Caravan-policy ownership")
    assert s.category_of("PPERSAUT") == "product_contributions"


def test_cdnow_derived_features_are_declared():
    s = load_scenario("cdnow_winback")
    assert [f.name for f in s.derived_features] == list(s.reference_segmentation.features)
    assert {f.name: f.category for f in s.derived_features} == {
        "recency_days": "purchase_dates", "frequency": "purchase_volume", "monetary": "purchase_value"}
    assert s.category_of("monetary") == "purchase_value"
    assert s.columns_of("contact_details") == ["email", "phone"]
    assert str(s.snapshot_date) == "1998-07-01"


def test_cdnow_analysis_table_is_rfm_per_customer():
    s = load_scenario("cdnow_winback")
    table = analysis_table(s)
    tx = load_cdnow_transactions()
    assert list(table.columns) == ["customer_id", "recency_days", "frequency", "monetary"]
    assert len(table) == 23_570 and table["customer_id"].is_unique
    assert table["frequency"].sum() == 69_659
    assert np.isclose(table["monetary"].sum(), tx["dollar_value"].sum())
    # the last purchase day (1998-06-30) is one day before the snapshot
    assert table["recency_days"].min() == 1 and table["recency_days"].max() == 546
    first = table.set_index("customer_id").loc["00001"]
    assert first["frequency"] == (tx["customer_id"] == "00001").sum()


def test_caravan_analysis_table_takes_the_columns():
    s = load_scenario("caravan_crosssell")
    table = analysis_table(s)
    assert table.shape == (5_822, 1 + len(s.reference_segmentation.features))
    assert table["customer_id"].iloc[0] == "C00001"
