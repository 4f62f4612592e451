from __future__ import annotations

import pytest

from workbench.errors import ConfigError
from workbench.referentiel import load_referentiel, load_rubrics
from workbench.validator.thresholds import load_thresholds

REF, RUB = load_referentiel(), load_rubrics()


def load(tmp_path, text):
    path = tmp_path / "thresholds.yml"
    path.write_text(text, encoding="utf-8")
    return load_thresholds(path, referentiel=REF, rubrics=RUB)


def test_repository_thresholds_default_to_satisfactory():
    thr = load_thresholds(referentiel=REF, rubrics=RUB)
    assert set(thr) == set(REF.criterion_ids())
    assert all(v == pytest.approx(2 / 3) for v in thr.values())


def test_overrides_by_level_name_or_number(tmp_path):
    thr = load(tmp_path, "default: partial\ncriteria:\n  B1.1.a: excellent\n  B2.4.f: 0.5\n  B3.1.a: Satisfaisant\n")
    assert thr["B1.1.a"] == 1.0 and thr["B2.4.f"] == 0.5 and thr["B3.1.a"] == pytest.approx(2 / 3)
    assert thr["B1.2.a"] == pytest.approx(1 / 3)


@pytest.mark.parametrize("text, message", [
    ("criteria:\n  B1.9.z: satisfactory\n", r"criteria: unknown criterion 'B1.9.z'"),
    ("criteria:\n  B1.1.a: 1.5\n", r"criteria.B1.1.a: threshold 1.5 is not a score in \[0, 1\]"),
    ("default: great\n", r"default: unknown rubric level 'great'"),
    ("default: partial\nextra: 1\n", r"extra"),
])
def test_bad_thresholds_are_named(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message) as err:
        load(tmp_path, text)
    assert "thresholds.yml" in str(err.value)


def test_bounds_of_a_numeric_threshold_are_inclusive(tmp_path):
    thr = load(tmp_path, "default: 0\ncriteria:\n  B1.1.a: 1\n  B1.1.b: 0.0\n  B1.2.a: 1.0\n")
    assert (thr["B1.1.a"], thr["B1.1.b"], thr["B1.2.a"], thr["B1.3.b"]) == (1.0, 0.0, 1.0, 0.0)
    with pytest.raises(ConfigError, match=r"criteria.B1.1.a: threshold -0.01 is not a score in \[0, 1\]"):
        load(tmp_path, "criteria:\n  B1.1.a: -0.01\n")
    with pytest.raises(ConfigError, match=r"default: threshold 1.01 is not a score"):
        load(tmp_path, "default: 1.01\n")


def test_without_a_default_the_rubrics_default_level_applies(tmp_path):
    thr = load(tmp_path, "criteria:\n  B2.1.a: Partiel\n")
    assert thr["B2.1.a"] == pytest.approx(1 / 3) and thr["B1.1.a"] == pytest.approx(2 / 3)
    assert load(tmp_path, 'default: "2"\n')["B5.1.a"] == pytest.approx(2 / 3)  # a level's value, as text
    with pytest.raises(ConfigError, match="threshold 2.0 is not a score"):  # unquoted, a number
        load(tmp_path, "default: 2\n")
    with pytest.raises(ConfigError, match=r"unknown criterion 'B1.9.z', 'B9.1.a'"):
        load(tmp_path, "criteria:\n  B9.1.a: 1\n  B1.9.z: 1\n")
