"""The marking rule as data: final-level rules, the double-marking sample, refusals on load."""

from __future__ import annotations

import pytest

from tests.marking.conftest import write_rule
from workbench.errors import ConfigError
from workbench.marking.config import AgreedLevel, ModeratedLevel, load_item_thresholds, load_marking_rule
from workbench.marking.outcome import (AWAITING_MARKER, AWAITING_MODERATION, FINAL, Outcome, agreed_level,
                                       moderated_level, outcome)


@pytest.fixture()
def rule(tmp_path):
    return load_marking_rule(write_rule(tmp_path / "marking.yml"))


def test_repository_rules_load():
    rule, thr = load_marking_rule(), load_item_thresholds()
    assert rule.divergence_levels >= 1 and thr.too_hard < thr.too_easy


@pytest.mark.parametrize("levels, how, expected", [
    ([2, 3], AgreedLevel.mean_floor, 2), ([1, 2], AgreedLevel.min, 1), ([1, 2], AgreedLevel.max, 2),
    ([1, 2, 2], AgreedLevel.mean_floor, 1),
])
def test_agreed_level(levels, how, expected):
    assert agreed_level(levels, how) == expected


@pytest.mark.parametrize("levels, mod, how, expected", [
    ([0, 3], 2, ModeratedLevel.moderator, 2), ([0, 3], 2, ModeratedLevel.mean_floor, 1),
    ([0, 3], 2, ModeratedLevel.median_low, 2), ([0, 3, 3], 1, ModeratedLevel.median_low, 1),
])
def test_moderated_level(levels, mod, how, expected):
    assert moderated_level(levels, mod, how) == expected


def test_outcome_queue_and_final(rule):
    assert outcome([2], required=2, moderator=None, rule=rule) == Outcome(AWAITING_MARKER)
    assert outcome([2], required=1, moderator=None, rule=rule) == Outcome(FINAL, 2, "single")
    assert outcome([1, 2], required=2, moderator=None, rule=rule) == Outcome(FINAL, 1, "agreed:mean_floor")
    assert outcome([1, 3], required=2, moderator=None, rule=rule) == Outcome(AWAITING_MODERATION)
    assert outcome([1, 3], required=2, moderator=3, rule=rule) == Outcome(FINAL, 3, "moderated:moderator")


def test_sample_is_a_deterministic_share_of_cells(tmp_path):
    rule = load_marking_rule(write_rule(tmp_path / "m.yml", cells="sample"))
    draws = [rule.required_markers(f"c{i:04d}", k) for i in range(2000) for k in ("B1.1.a", "B1.2.b")]
    assert set(draws) == {1, 2} and abs(draws.count(2) / len(draws) - 0.5) < 0.03
    assert draws == [rule.required_markers(f"c{i:04d}", k) for i in range(2000) for k in ("B1.1.a", "B1.2.b")]
    none = load_marking_rule(write_rule(tmp_path / "n.yml", cells="none"))
    assert none.required_markers("c0001", "B1.1.a") == 1


@pytest.mark.parametrize("text, message", [
    ("markers: [a, a]", r"listed twice among markers and moderators: a"),
    ("divergence_levels: 0", r"divergence_levels: Input should be greater than or equal to 1"),
    ("moderated_level: coin_toss", r"moderated_level: Input should be 'moderator', 'mean_floor' or 'median_low'"),
])
def test_a_bad_rule_is_refused_naming_file_and_key(tmp_path, text, message):
    path = write_rule(tmp_path / "marking.yml")
    key = text.split(":")[0]
    lines = [line for line in path.read_text().splitlines() if not line.startswith(key + ":")]
    path.write_text("\n".join([*lines, text]) + "\n")
    with pytest.raises(ConfigError, match=message) as err:
        load_marking_rule(path)
    assert "marking.yml" in str(err.value)
