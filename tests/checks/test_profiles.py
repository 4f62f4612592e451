"""segment.profiles and segment.names, recomputed from the candidate's own labels."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.checks import BadInput, CheckFailed, block1
from workbench.checks.profiles import concepts_of

S = "cdnow_winback"


def test_profile_passes_in_any_row_order_and_index(profile, rfm, labels):
    assert block1.profiles.grade(profile, table=rfm, labels=labels, scenario=S) == 2.0
    shuffled = profile.sample(frac=1, random_state=3).reset_index(drop=True)
    block1.profiles.check(shuffled, table=rfm, labels=labels, scenario=S)
    pct = profile.assign(share=profile["share"] * 100)
    assert block1.profiles.grade(pct, table=rfm, labels=labels, scenario=S) == 2.0


def test_profile_rounded_for_display_passes(profile, rfm, labels):
    rounded = profile.assign(share=(profile["share"] * 100).round(2)).round(2)
    assert block1.profiles.grade(rounded, table=rfm, labels=labels, scenario=S) == 2.0


def test_profile_with_permuted_labels_passes(profile, rfm, labels):
    assert block1.profiles.grade(profile, table=rfm, labels=(labels + 2) % 4, scenario=S) == 2.0


def test_wrong_means_fail_and_message_has_no_number(profile, rfm, labels):
    wrong = profile.assign(monetary=profile["monetary"].median())
    with pytest.raises(CheckFailed, match="'monetary'") as err:
        block1.profiles.check(wrong, table=rfm, labels=labels, scenario=S)
    assert f"{profile['monetary'].iloc[0]:.1f}" not in str(err.value)


def test_profile_of_other_labels_fails(profile, rfm, labels):
    other = np.roll(labels, 1000)
    with pytest.raises(CheckFailed):
        block1.profiles.check(profile, table=rfm, labels=other, scenario=S)


def test_profile_bad_inputs(profile, rfm, labels):
    with pytest.raises(BadInput, match="'frequency'"):
        block1.profiles.check(profile.drop(columns="frequency"), table=rfm, labels=labels, scenario=S)
    with pytest.raises(BadInput, match="DataFrame"):
        block1.profiles.check(profile.to_dict(), table=rfm, labels=labels, scenario=S)
    with pytest.raises(CheckFailed, match="one row per segment"):
        block1.profiles.check(profile.iloc[:3], table=rfm, labels=labels, scenario=S)


def test_consistent_names_pass(names, rfm, labels):
    assert block1.target_names.grade(names, table=rfm, labels=labels, scenario=S) == 1.0


def test_high_value_name_on_the_lowest_spenders_fails(names, profile, rfm, labels):
    lowest = profile["monetary"].idxmin()
    wrong = {**names, lowest: "VIP customers"}
    with pytest.raises(CheckFailed, match="VIP customers"):
        block1.target_names.check(wrong, table=rfm, labels=labels, scenario=S)


def test_lapsed_name_on_recent_buyers_fails(names, profile, rfm, labels):
    recent = profile["recency_days"].idxmin()
    wrong = {**names, recent: "Clients endormis"}
    with pytest.raises(CheckFailed, match="endormis"):
        block1.target_names.check(wrong, table=rfm, labels=labels, scenario=S)


def test_names_that_qualify_nothing_fail_hidden_part(rfm, labels):
    plain = {i: f"group {chr(65 + i)}" for i in range(4)}
    block1.target_names.check(plain, table=rfm, labels=labels, scenario=S)
    with pytest.raises(CheckFailed, match="qualify"):
        block1.target_names.grade(plain, table=rfm, labels=labels, scenario=S)


def test_names_bad_inputs(names, rfm, labels):
    with pytest.raises(CheckFailed, match="needs a name"):
        block1.target_names.check({0: "a"}, table=rfm, labels=labels, scenario=S)
    with pytest.raises(CheckFailed, match="same name"):
        block1.target_names.check({i: "Same" for i in range(4)}, table=rfm, labels=labels, scenario=S)
    with pytest.raises(BadInput, match="dict"):
        block1.target_names.check(["a", "b", "c", "d"], table=rfm, labels=labels, scenario=S)


@pytest.mark.parametrize("name, concepts", [
    ("Low value lapsed", {"low_value", "lapsed"}),
    ("Gros clients fidèles", {"high_value", "loyal"}),
    ("Champions", {"top"}),
    ("Nouveaux clients à réactiver", {"lapsed"}),  # the first concept of a group (YAML order) wins
    ("Segment 3", set()),
])
def test_vocabulary(name, concepts):
    assert {c["id"] for c in concepts_of(name)} == concepts


def test_any_relabelling_gives_the_same_verdicts(profile, rfm, labels, features, names):
    from hypothesis import given, settings, strategies as st

    @settings(max_examples=15, deadline=None, derandomize=True, database=None)
    @given(st.permutations(range(4)), st.sampled_from([0, 1, 10, -3]))
    def relabel(perm, offset):
        new = np.asarray(perm)[labels] + offset
        mapping = {old: perm[old] + offset for old in range(4)}
        renamed = profile.rename(index=mapping)
        block1.segmentation.check(features, labels=new, table=rfm, scenario=S)
        block1.profiles.check(renamed, table=rfm, labels=new, scenario=S)
        block1.target_names.check({mapping[k]: v for k, v in names.items()}, table=rfm, labels=new,
                                  scenario=S)
        wrong = renamed.assign(monetary=renamed["monetary"].to_numpy()[::-1])
        with pytest.raises(CheckFailed):
            block1.profiles.check(wrong, table=rfm, labels=new, scenario=S)

    relabel()
