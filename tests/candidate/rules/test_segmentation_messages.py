"""What a candidate reads from the B1.2.a rule, and the measures behind it, recorded (syrupy).

One answer per fault (and the defensible methods that pass): the fraction, every message in both
languages and the measures (k, shares, copies, scale ratio, stability, separation) stay as
reviewed in ``__snapshots__/`` (``pytest --snapshot-update`` after a deliberate change), and every
message keeps to plain words (issue #16). The settings' announced ranges are tested at both ends.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from sklearn.preprocessing import StandardScaler

from tests.candidate.rules.recorded import assert_plain_words, record
from tests.candidate.rules.scenarios import ORDINAL, RFM
from tests.candidate.rules.test_segmentation import caravan, caravan_sc, km, km4, scores, z  # noqa: F401
from workbench_candidate.rules import segmentation as seg
from workbench_candidate.rules.segmentation import measure, parse_settings, segmentation


def _cdnow_cases(z, rfm, km4, scores):  # noqa: F811
    rng = np.random.default_rng(3)
    giant = np.zeros(len(z), dtype=int)
    giant[:120], giant[120:240] = 1, 2
    grid = np.random.default_rng(0).uniform(size=(6000, 2))
    cells = np.floor(grid * 4).astype(int)
    return {
        "kmeans_log_standard": (z, km4, rfm),
        "rfm_quintile_scores": (scores, (scores.sum(axis=1) >= 9).astype(int) + (scores["R"] >= 4).astype(int) * 2,
                                rfm),
        "text_customer_id_kept": (z.assign(customer_id=rfm["customer_id"]), km4, rfm),
        "numeric_customer_id_column": (np.c_[z.to_numpy(), rfm["customer_id"].astype(int).to_numpy() / 1000.0],
                                       km4, rfm),
        "two_segments": (z, km(z, 2), rfm),
        "random_labels": (z, np.random.default_rng(0).integers(0, 4, len(z)), rfm),
        "one_giant_segment": (z, giant, rfm),
        "a_tiny_segment": (z, np.where(rfm["monetary"].rank(pct=True) > 0.99, 9, km4), rfm),
        "unscaled_kmeans": (rfm[RFM], km(rfm[RFM], 4), rfm),
        "unstable": (z, np.where(rng.random(len(z)) < 0.35, rng.integers(0, 4, len(z)), km4), rfm),
        "checkerboard": (grid, (cells[:, 0] + cells[:, 1]) % 4, None),
        "one_segment_per_customer": (z, np.arange(len(z)), rfm),
        "one_feature_as_a_1d_array": (z["monetary"].to_numpy(), km(z[["monetary"]], 4), rfm),
        "only_the_customer_id": (rfm[["customer_id"]], km4, rfm),
        "labels_as_a_one_column_frame": (z, pd.DataFrame({"segment": km4}), rfm),
        "a_yes_no_flag_among_features": (z.assign(repeat=rfm["frequency"].to_numpy() > 1), km4, rfm),
        "numeric_customer_id_by_name": (z.assign(customer_id=rfm["customer_id"].astype(int).to_numpy()), km4, None),
        "constant_features": (np.ones((len(z), 2)), km4, None),
        "features_in_tiny_units": (z * 1e-4, km4, rfm),
        "unscaled_recency_and_spend": (rfm[["recency_days", "monetary"]],
                                       km(rfm[["recency_days", "monetary"]], 4), rfm),
        "a_constant_feature_beside_scaled_ones": (z.assign(const=1.0), km4, rfm),
        "two_level_column_names": (z.set_axis(pd.MultiIndex.from_tuples([("log_z", c) for c in z.columns]), axis=1),
                                   km4, rfm),
    }


CDNOW_CASES = ["kmeans_log_standard", "rfm_quintile_scores", "text_customer_id_kept", "numeric_customer_id_column",
               "two_segments", "random_labels", "one_giant_segment", "a_tiny_segment", "unscaled_kmeans", "unstable",
               "checkerboard", "one_segment_per_customer", "one_feature_as_a_1d_array", "only_the_customer_id",
               "labels_as_a_one_column_frame", "a_yes_no_flag_among_features", "two_level_column_names",
               "constant_features", "features_in_tiny_units", "unscaled_recency_and_spend",
               "a_constant_feature_beside_scaled_ones", "numeric_customer_id_by_name"]


@pytest.fixture(scope="module")
def cdnow_cases(z, rfm, km4, scores):  # noqa: F811
    return _cdnow_cases(z, rfm, km4, scores)


def measured(features, labels, table, scenario) -> dict:
    m = measure(features, labels=labels, table=table, scenario=scenario)
    return {"k": m.k, "shares": [round(s, 4) for s in m.shares[:12]], "copies": [list(c) for c in m.copies],
            "variance_ratio": None if m.variance_ratio is None else round(m.variance_ratio, 1),
            "stable": round(m.stable, 3), "between": round(m.between, 3)}


@pytest.mark.parametrize("case", CDNOW_CASES)
def test_cdnow_segmentation_messages_and_measures(case, cdnow_cases, cdnow, snapshot):
    features, labels, table = cdnow_cases[case]
    recorded = record(lambda: segmentation(features, labels=labels, table=table, scenario=cdnow))
    assert {"outcome": recorded, "measures": measured(features, labels, table, cdnow)} == snapshot
    assert_plain_words(recorded)


@pytest.fixture(scope="module")
def caravan_cases(caravan):  # noqa: F811
    nominal = ORDINAL + ["MOSTYPE", "MOSHOOFD"]
    x = pd.DataFrame(StandardScaler().fit_transform(caravan[nominal]), columns=nominal)
    leak = caravan[ORDINAL].assign(Purchase=(caravan["Purchase"] == "Yes").astype(int))
    zl = pd.DataFrame(StandardScaler().fit_transform(leak), columns=leak.columns)
    raw = caravan[ORDINAL]
    cols = ORDINAL + ["MOPLHOOG", "MINK7512", "MAUT2", "PWAPART", "AWAPART", "ABRAND", "MSKA"]
    wide = pd.concat([pd.DataFrame(StandardScaler().fit_transform(caravan[cols]), columns=cols),
                      pd.get_dummies(caravan["MOSHOOFD"], prefix="MOSHOOFD")], axis=1)  # > 8 columns
    return {
        "ordinal_codes": (raw, km(raw, 4)),
        "nominal_codes_as_numbers": (x, km(x, 4)),
        "nominal_codes_by_value": (x.to_numpy(), km(x, 4)),
        "target_renamed": (zl.rename(columns={"Purchase": "bought"}), km(zl, 4)),
        "wide_with_one_hot_customer_type": (wide, km(wide.astype(float), 5)),
        "raw_yes_no_target_renamed": (leak.rename(columns={"Purchase": "bought"}), km(zl, 4)),
        "target_under_a_two_level_name": (zl.set_axis(pd.MultiIndex.from_tuples([(c, "z") for c in zl.columns]),
                                                      axis=1), km(zl, 4)),
    }


@pytest.mark.parametrize("case", ["ordinal_codes", "nominal_codes_as_numbers", "nominal_codes_by_value",
                                  "target_renamed", "target_under_a_two_level_name",
                                  "wide_with_one_hot_customer_type", "raw_yes_no_target_renamed"])
def test_caravan_segmentation_messages_and_measures(case, caravan_cases, caravan, caravan_sc, snapshot):  # noqa: F811
    features, labels = caravan_cases[case]
    recorded = record(lambda: segmentation(features, labels=labels, table=caravan, scenario=caravan_sc))
    assert {"outcome": recorded, "measures": measured(features, labels, caravan, caravan_sc)} == snapshot
    assert_plain_words(recorded)


BAD = {
    "labels_one_short": lambda z, rfm, km4: (z, km4[:-1], rfm),
    "labels_with_nan": lambda z, rfm, km4: (z, np.where(np.arange(len(z)) == 5, np.nan, km4), rfm),
    "labels_text_with_none": lambda z, rfm, km4: (z, pd.Series(["a"] * (len(z) - 1) + [None]), rfm),
    "labels_a_set": lambda z, rfm, km4: (z, {1, 2, 3}, rfm),
    "labels_2d": lambda z, rfm, km4: (z, np.zeros((len(z), 2)), rfm),
    "features_a_text": lambda z, rfm, km4: ("features", km4, None),
    "features_with_a_text_column": lambda z, rfm, km4: (z.assign(kind="x"), km4, None),
    "features_with_nan": lambda z, rfm, km4: (z.assign(monetary=np.nan), km4, None),
    "features_of_texts": lambda z, rfm, km4: ([["a", "b"]] * 3, [0, 1, 2], None),
    "features_empty": lambda z, rfm, km4: (np.zeros((0, 3)), [], None),
    "table_of_other_rows": lambda z, rfm, km4: (z, km4, rfm.iloc[:10]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_unreadable_answer_messages(case, z, rfm, km4, cdnow, snapshot):  # noqa: F811
    features, labels, table = BAD[case](z, rfm, km4)
    recorded = record(lambda: segmentation(features, labels=labels, table=table, scenario=cdnow))
    assert recorded == snapshot and "bad_answer" in recorded
    assert_plain_words(recorded)


def test_nominal_codes_are_found_by_name_without_the_table(caravan, caravan_sc, snapshot):  # noqa: F811
    cols = ORDINAL + ["MOSTYPE", "MOSHOOFD"]
    x = pd.DataFrame(StandardScaler().fit_transform(caravan[cols]), columns=cols)
    recorded = record(lambda: segmentation(x, labels=km(x, 4), scenario=caravan_sc))
    assert recorded == snapshot
    assert [f["rule"] for f in recorded["faults"]] == ["segmentation.features.nominal"] * 2


def test_the_cases_cover_every_segmentation_fault(cdnow_cases, caravan_cases, cdnow, caravan, caravan_sc):  # noqa: F811
    seen = set()
    for features, labels, table in cdnow_cases.values():
        seen |= {f.rule for f in segmentation(features, labels=labels, table=table, scenario=cdnow).faults}
    for features, labels in caravan_cases.values():
        seen |= {f.rule for f in segmentation(features, labels=labels, table=caravan, scenario=caravan_sc).faults}
    assert {f"segmentation.{m}" for m in seg.MESSAGES} <= seen


# --- the announced ranges of segmentation.yml, at both ends ------------------------------------------

RANGES = [  # (section, key, lowest allowed, highest allowed, integer?)
    ("sample", "size", 200, 100_000, True), ("sample", "seed", 0, 2**32 - 1, True),
    ("features", "copy_spearman", 0.9, 1.0, False), ("features", "identifier_distinct_share", 0.5, 1.0, False),
    ("features", "score_max_levels", 2, 100, True), ("features", "variance_ratio_max", 1.0, 1e6, False),
    ("features", "distance_based_agreement", 0.5, 1.0, False), ("non_trivial", "max_segment_share", 0.3, 1.0, False),
    ("stable", "neighbours", 1, 100, True), ("stable", "min_agreement", 0.0, 1.0, False),
    ("separated", "min_between_share", 0.0, 1.0, False), ("scoring", "failed_property_cost", 0.2, 1.0, False),
]


@pytest.mark.parametrize("section, key, lo, hi, integer", RANGES)
def test_each_setting_is_refused_outside_its_announced_range(section, key, lo, hi, integer):
    step = 1 if integer else 1e-6
    for value, ok in ((lo, True), (hi, True), (lo - step, False), (hi + step, False)):
        data = yaml.safe_load(seg.SETTINGS_FILE.read_text(encoding="utf-8"))
        data[section][key] = value
        if ok:
            assert getattr(parse_settings(data), {"size": "sample_size"}.get(key, key)) == value
        else:
            with pytest.raises(ValueError, match=f"'{key}' must be a{'n integer' if integer else ' number'} within"):
                parse_settings(data)
    if integer:
        data[section][key] = lo + 0.5
        with pytest.raises(ValueError, match="must be an integer"):
            parse_settings(data)


def test_parsed_settings_carry_every_value_of_the_file():
    data = yaml.safe_load(seg.SETTINGS_FILE.read_text(encoding="utf-8"))
    s = parse_settings(data)
    assert (s.sample_size, s.seed) == (data["sample"]["size"], data["sample"]["seed"])
    assert {k: getattr(s, k) for k in ("copy_spearman", "identifier_distinct_share", "score_max_levels",
                                       "variance_ratio_max", "distance_based_agreement")} == \
        {k: data["features"][k] for k in ("copy_spearman", "identifier_distinct_share", "score_max_levels",
                                          "variance_ratio_max", "distance_based_agreement")}
    assert dict(s.nominal_columns) == {k: tuple(v) for k, v in data["features"]["nominal_columns"].items()}
    assert dict(s.messages) == {m: (data["messages"][m]["en"], data["messages"][m]["fr"]) for m in seg.MESSAGES}


@pytest.mark.parametrize("breaks, words", [
    (lambda d: d.update(features=["copy_spearman"]), "nominal_columns"),
    (lambda d: d["features"].update(nominal_columns={"caravan": [1, 2]}), "nominal_columns"),
    (lambda d: d["features"].update(nominal_columns={"caravan": "MOSTYPE"}), "nominal_columns"),
    (lambda d: d.update(messages="k"), "messages"),
    (lambda d: d["messages"].update(k="number of segments"), "messages"),
    (lambda d: d["messages"]["stable"].update(en=""), "messages"),
])
def test_a_malformed_section_is_one_line_naming_the_file(breaks, words):
    data = yaml.safe_load(seg.SETTINGS_FILE.read_text(encoding="utf-8"))
    breaks(data)
    with pytest.raises(ValueError, match=f"segmentation.yml: .*{words}"):
        parse_settings(data)
