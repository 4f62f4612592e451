"""Rebinding names in the kernel never makes a wrong answer pass grade()."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing
import pytest
import sklearn.metrics
from sklearn.preprocessing import StandardScaler
from sklearn.cluster import KMeans

import workbench.checks
from workbench.checks import CheckFailed, TamperDetected, block1
from workbench.checks import collection, segmentation

S = "cdnow_winback"


@pytest.fixture
def wrong_table(rfm):
    """One customer's spend is wrong: only the hidden per-customer comparison catches it."""
    wrong = rfm.copy()
    wrong.loc[7, "monetary"] += 11.0
    return wrong


def test_wrong_answer_fails_without_tampering(wrong_table):
    with pytest.raises(CheckFailed):
        block1.analysis_table.grade(wrong_table, scenario=S)


def test_patching_numpy_allclose_is_detected(monkeypatch, wrong_table):
    monkeypatch.setattr(np, "allclose", lambda *a, **k: True)
    monkeypatch.setattr(np, "isclose", lambda *a, **k: True)
    with pytest.raises(TamperDetected, match="numpy.allclose|numpy.isclose"):
        block1.analysis_table.grade(wrong_table, scenario=S)


def test_patching_pandas_testing_is_detected(monkeypatch, wrong_table):
    monkeypatch.setattr(pandas.testing, "assert_frame_equal", lambda *a, **k: None)
    with pytest.raises(TamperDetected, match="assert_frame_equal"):
        block1.analysis_table.grade(wrong_table, scenario=S)


def test_patching_pandas_methods_is_detected(monkeypatch, wrong_table):
    monkeypatch.setattr(pd.DataFrame, "groupby", lambda self, *a, **k: None)
    with pytest.raises(TamperDetected, match="DataFrame.groupby"):
        block1.analysis_table.grade(wrong_table, scenario=S)


def test_patching_sklearn_metric_is_detected(monkeypatch, rfm):
    x = StandardScaler().fit_transform(np.c_[np.arange(len(rfm)), np.zeros(len(rfm))])
    lab = KMeans(4, random_state=0, n_init=1).fit_predict(x)  # passes public, fails hidden
    monkeypatch.setattr(sklearn.metrics, "adjusted_rand_score", lambda *a, **k: 1.0)
    with pytest.raises(TamperDetected):
        block1.segmentation.grade(x, labels=lab, table=rfm, scenario=S)


def test_library_modules_and_checks_are_read_only():
    fake = lambda *a, **k: 2.0  # noqa: E731
    with pytest.raises(AttributeError):
        block1.categories = fake
    with pytest.raises(AttributeError):
        block1.categories.grade = fake
    with pytest.raises(AttributeError):
        type(block1.categories).grade = fake
    with pytest.raises(AttributeError):
        object.__setattr__(block1.categories, "grade", fake)
    with pytest.raises(AttributeError):
        collection._scores = fake
    with pytest.raises(AttributeError):
        workbench.checks.block1 = fake


def _replace_in_dict(module, name, value):
    original = vars(module)[name]
    vars(module)[name] = value  # bypasses the frozen module's __setattr__
    return original


def test_replacing_a_library_function_through_dict_is_detected(rfm):
    chosen = ["purchase_dates", "customer_key"]  # misses relevant categories
    original = _replace_in_dict(collection, "_scores", lambda c, f: (1.0, 1.0, 0, 0))
    try:
        with pytest.raises(TamperDetected, match="_scores"):
            block1.categories.grade(chosen, scenario=S)
    finally:
        vars(collection)["_scores"] = original
    with pytest.raises(CheckFailed):  # and the untampered library still fails it
        block1.categories.grade(chosen, scenario=S)


def test_replacing_function_code_is_detected(rfm):
    chosen = ["purchase_dates", "customer_key"]
    code = collection._fraction.__code__
    collection._fraction.__code__ = (lambda p, r, a, b: 1.0).__code__
    original = _replace_in_dict(collection, "_scores", collection._scores)  # same object: allowed
    try:
        with pytest.raises(TamperDetected, match="_fraction"):
            block1.categories.grade(chosen, scenario=S)
    finally:
        collection._fraction.__code__ = code
        vars(collection)["_scores"] = original


def test_new_names_in_the_library_are_detected(features, labels, rfm):
    vars(segmentation)["ARI_MIN_OVERRIDE"] = -1
    try:
        with pytest.raises(TamperDetected):
            block1.segmentation.grade(features, labels=labels, table=rfm, scenario=S)
    finally:
        del vars(segmentation)["ARI_MIN_OVERRIDE"]


def test_replacing_a_threshold_constant_is_detected(rfm):
    x = StandardScaler().fit_transform(np.c_[np.arange(len(rfm)), np.zeros(len(rfm))])
    lab = KMeans(4, random_state=0, n_init=1).fit_predict(x)
    original = _replace_in_dict(segmentation, "ARI_MIN", -1.0)
    try:
        with pytest.raises(TamperDetected, match="ARI_MIN"):
            block1.segmentation.grade(x, labels=lab, table=rfm, scenario=S)
    finally:
        vars(segmentation)["ARI_MIN"] = original


def test_dataframe_subclass_cannot_bring_its_own_methods(wrong_table):
    class Liar(pd.DataFrame):
        def isna(self):  # pretend nothing is missing
            return pd.DataFrame(False, index=self.index, columns=self.columns)

    liar = Liar(wrong_table.assign(monetary=np.nan))
    with pytest.raises(CheckFailed, match="missing values"):
        block1.analysis_table.grade(liar, scenario=S)


def test_grading_works_again_once_the_kernel_is_clean(rfm):
    assert block1.analysis_table.grade(rfm, scenario=S) == 2.0


def test_builtins_rebound_by_ipykernel_are_tolerated_but_len_is_not(monkeypatch, rfm):
    import builtins

    monkeypatch.setattr(builtins, "input", lambda *a: "")  # ipykernel does this on every request
    assert block1.analysis_table.grade(rfm, scenario=S) == 2.0
    real_len, caught = builtins.len, None
    builtins.len = lambda obj: 0  # only around the call: pytest itself needs len
    try:
        block1.categories.grade(["purchase_dates"], scenario=S)
    except TamperDetected as exc:
        caught = exc
    finally:
        builtins.len = real_len
    assert caught is not None and "builtins.len" in str(caught)


def test_mutating_returned_reference_data_changes_nothing(wrong_table):
    from workbench.checks import _data

    ref = _data.cdnow_transactions()
    ref["dollar_value"] = 0.0  # a candidate editing the library's reference table in place
    variants = _data.rfm_variants(None, pd.Timestamp("1998-07-01"))
    variants["monetary:rows"][:] = 0.0
    with pytest.raises(CheckFailed, match="monetary"):
        block1.analysis_table.grade(wrong_table, scenario=S)


@pytest.mark.parametrize("module_name, attr, value", [
    ("_core", "_run", lambda *a, **k: 1.0),
    ("_core", "verify", lambda: None),
    ("_core", "Check", object),
    ("_guard", "verify", lambda: None),
    ("_errors", "CheckFailed", Exception),
])
def test_replacing_library_internals_through_dict_is_detected(module_name, attr, value):
    import importlib

    module = importlib.import_module(f"workbench.checks.{module_name}")
    original = _replace_in_dict(module, attr, value)
    try:
        with pytest.raises(TamperDetected, match=attr):
            block1.categories.grade(["purchase_dates", "customer_key"], scenario=S)
    finally:
        vars(module)[attr] = original


def test_parts_stored_on_an_instance_cannot_be_swapped():
    with pytest.raises(AttributeError):
        object.__setattr__(block1.categories, "_hidden", lambda *a, **k: 1.0)
    with pytest.raises(CheckFailed):
        block1.categories.grade(["purchase_dates", "customer_key"], scenario=S)
