"""What a candidate reads from the B1.2.b rules (profile table, target names), recorded (syrupy).

One answer per fault, plus legitimate answers: the fraction and every message in both languages
stay as reviewed in ``__snapshots__/`` (``pytest --snapshot-update`` after a deliberate change),
and every message keeps to plain words (issue #16).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.candidate.rules.recorded import assert_plain_words, record
from tests.candidate.rules.test_profiles import good_names, labels, profile, profile_of, roles  # noqa: F401
from workbench_candidate.rules.profiles import names, profiles

PROFILES = {
    "exact": lambda p: p,
    "percent_one_decimal_any_order": lambda p: p.assign(share=p["share"] * 100).round(1).sample(frac=1, random_state=3),
    "a_row_missing": lambda p: p.iloc[:3],
    "size_and_frequency_missing": lambda p: p.drop(columns=["frequency", "size"]),
    "mean_off": lambda p: p.assign(monetary=p["monetary"] * 1.1),
    "size_off_by_two": lambda p: p.assign(size=p["size"] + 2),
    "share_of_another_base": lambda p: p.assign(share=p["share"] * 0.9),
    "share_percent_off": lambda p: p.assign(share=p["share"] * 100 + 0.5),
    "a_dict": lambda p: p.to_dict(),
}


@pytest.mark.parametrize("case", sorted(PROFILES))
def test_profiles_messages(case, profile, rfm, labels, cdnow, snapshot):  # noqa: F811
    recorded = record(lambda: profiles(PROFILES[case](profile.copy()), table=rfm, labels=labels, scenario=cdnow))
    assert recorded == snapshot
    assert_plain_words(recorded)


@pytest.fixture(scope="module")
def caravan():
    from sklearn.cluster import KMeans
    from sklearn.preprocessing import StandardScaler

    from tests.candidate.rules.scenarios import ORDINAL, public
    from workbench.datasets import load_caravan

    car = load_caravan()
    lab = KMeans(4, random_state=0, n_init=2).fit_predict(StandardScaler().fit_transform(car[ORDINAL]))
    return public("caravan_crosssell"), car, lab


CARAVAN_PROFILES = {
    "caravan_chosen_columns": lambda p: p,
    "caravan_a_mean_off": lambda p: p.assign(PPERSAUT=1.0),
    "caravan_no_mean_column": lambda p: p[["size", "share"]],
}


@pytest.mark.parametrize("case", sorted(CARAVAN_PROFILES))
def test_caravan_profiles_messages(case, caravan, snapshot):
    sc, car, lab = caravan
    mine = profile_of(car, lab, ["PPERSAUT", "MKOOPKLA", "APERSAUT"])
    recorded = record(lambda: profiles(CARAVAN_PROFILES[case](mine), table=car, labels=lab, scenario=sc))
    assert recorded == snapshot
    assert_plain_words(recorded)


NAMES = {
    "consistent": lambda g, r: g,
    "consistent_as_a_series_with_float_labels": lambda g, r: pd.Series({float(k): v for k, v in g.items()}),
    "high_value_for_the_dormant": lambda g, r: {**g, r["dormant"]: "Clients à forte valeur"},
    "lapsed_for_the_champions": lambda g, r: {**g, r["champ"]: "Lapsed"},
    "three_contradictions": lambda g, r: {**g, r["dormant"]: "Loyal VIPs", r["champ"]: "Lapsed"},
    "low_value_for_the_champions": lambda g, r: {**g, r["champ"]: "Low value"},
    "a_name_missing": lambda g, r: {0: "a"},
    "a_blank_name": lambda g, r: {**g, 1: "  "},
    "two_alike": lambda g, r: {k: ("Fidèles" if i % 2 else "fideles") + str(i // 2) for i, k in enumerate(g)},
    "names_qualify_nothing": lambda g, r: {k: f"Group {chr(65 + i)}" for i, k in enumerate(sorted(g))},
    "only_value_named": lambda g, r: {**{k: f"Group {chr(65 + i)}" for i, k in enumerate(sorted(g))},
                                      r["champ"]: "High value"},
    "a_list": lambda g, r: list(g.values()),
}


@pytest.mark.parametrize("case", sorted(NAMES))
def test_names_messages(case, good_names, roles, rfm, labels, cdnow, snapshot):  # noqa: F811
    named = NAMES[case](good_names, roles)
    lab = labels.astype(float) if "float" in case else labels
    recorded = record(lambda: names(named, table=rfm, labels=lab, scenario=cdnow))
    assert recorded == snapshot
    assert_plain_words(recorded)


def test_a_single_segment_message(rfm, cdnow, snapshot):
    recorded = record(lambda: names({0: "High value, steady"}, table=rfm, labels=np.zeros(len(rfm), int),
                                    scenario=cdnow))
    assert recorded == snapshot


def test_an_analysis_table_of_another_type_message(profile, rfm, labels, cdnow, snapshot):  # noqa: F811
    recorded = record(lambda: profiles(profile, table=rfm.to_dict(), labels=labels, scenario=cdnow))
    assert recorded == snapshot and "bad_answer" in recorded


def test_names_keyed_by_text_labels(good_names, rfm, labels, cdnow):  # noqa: F811
    words = np.array(["north", "south", "east", "west"])
    named = {words[k]: v for k, v in good_names.items()}
    assert names(named, table=rfm, labels=words[labels], scenario=cdnow).passed


def test_a_scenario_without_announced_objectives_gets_no_note(rfm, labels, cdnow):  # noqa: F811
    import dataclasses

    other = dataclasses.replace(cdnow, id="a_scenario_profiles_yml_does_not_list")
    out = names({i: f"Group {chr(65 + i)}" for i in range(4)}, table=rfm, labels=labels, scenario=other)
    assert (out.fraction, out.faults, out.notes) == (1.0, (), ())
