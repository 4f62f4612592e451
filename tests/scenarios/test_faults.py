"""A scenario naming an unknown column or category, or inconsistent, fails with the file and fault named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from workbench.errors import ConfigError
from workbench.scenarios import load_scenario, load_scenario_file

REPO = Path(__file__).resolve().parents[2]


def _edit(tmp_path: Path, sid: str, change) -> Path:
    """Copy scenario ``sid`` to tmp_path, apply ``change`` to its data, return the new path."""
    data = yaml.safe_load((REPO / "grading" / "scenarios" / f"{sid}.yml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / f"{sid}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _fault(path: Path) -> str:
    with pytest.raises(ConfigError) as err:
        load_scenario_file(path)
    assert str(path) in str(err.value)
    return str(err.value)


def test_unknown_category_in_answer_key(tmp_path):
    def change(d):
        d["answer_key"]["relevant"]["lifestyle"] = {"fr": "x", "en": "x"}

    assert "answer_key.relevant: unknown category 'lifestyle' (not in the caravan dictionary)" in _fault(
        _edit(tmp_path, "caravan_crosssell", change))


def test_unknown_feature_column(tmp_path):
    def change(d):
        d["reference_segmentation"]["features"][0] = "MKOOPKLAS"

    assert "unknown column 'MKOOPKLAS'" in _fault(_edit(tmp_path, "caravan_crosssell", change))


def test_derived_feature_on_unknown_column(tmp_path):
    def change(d):
        d["derived_features"][2]["column"] = "amount"

    assert "derived_features.monetary: unknown column 'amount'" in _fault(_edit(tmp_path, "cdnow_winback", change))


def test_category_both_relevant_and_excluded(tmp_path):
    def change(d):
        d["answer_key"]["leakage"] = {"purchase_value": {"fr": "x", "en": "x"}}

    assert "category 'purchase_value' is in several groups (relevant, leakage)" in _fault(
        _edit(tmp_path, "cdnow_winback", change))


def test_unclassified_category(tmp_path):
    def change(d):
        del d["answer_key"]["neutral"]["marketing_consent"]

    assert "dictionary category 'marketing_consent' is not classified" in _fault(
        _edit(tmp_path, "cdnow_winback", change))


def test_k_outside_range(tmp_path):
    def change(d):
        d["reference_segmentation"]["k"] = 8

    assert "k = 8 is outside k_range [3, 6]" in _fault(_edit(tmp_path, "cdnow_winback", change))


def test_excluded_or_nominal_reference_feature(tmp_path):
    def change(d):
        d["reference_segmentation"]["features"] += ["MGODRK", "MOSHOOFD"]

    msg = _fault(_edit(tmp_path, "caravan_crosssell", change))
    assert "'MGODRK' is in excluded category 'religion'" in msg
    assert "'MOSHOOFD' is a nominal code" in msg


def test_id_must_match_file_name(tmp_path):
    path = _edit(tmp_path, "cdnow_winback", lambda d: d.update(id="cdnow_other"))
    assert "id 'cdnow_other' differs from the file name 'cdnow_winback'" in _fault(path)


def test_unknown_scenario_id_lists_known(tmp_path, monkeypatch):
    root = tmp_path / "home"
    shutil.copytree(REPO / "grading", root / "grading")
    shutil.copytree(REPO / "datasets", root / "datasets", ignore=shutil.ignore_patterns("*.csv", "*.txt"))
    monkeypatch.setenv("WORKBENCH_HOME", str(root))
    assert load_scenario("cdnow_winback").dataset == "cdnow"  # loads from the other root
    with pytest.raises(ConfigError, match="unknown scenario 'nope' .known: caravan_crosssell, cdnow_winback"):
        load_scenario("nope")
