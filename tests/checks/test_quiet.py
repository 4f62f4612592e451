"""Nothing on stderr, no warning, on the pass and on the fail paths (stderr = 0 points in nbgrader)."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from tests.checks.answers import KEPT, REASONS, S
from workbench.checks import CHECKS, CheckFailed, block1, get



def _calls(rfm, transactions, features, labels, profile, names):
    fig, ax = plt.subplots()
    ax.bar([str(i) for i in profile.index], profile["monetary"])
    ax.set(title="Spend", xlabel="segment", ylabel="mean spend ($)")
    cat_labels = pd.Series(pd.Categorical(labels))  # categoricals trigger pandas FutureWarnings
    good = [
        (block1.categories, (["purchase_dates", "purchase_volume", "purchase_value"],), {"scenario": S}),
        (block1.analysis_table, (rfm,), {"scenario": S, "transactions": transactions}),
        (block1.justifications, (REASONS,), {"chosen": KEPT, "scenario": S}),
        (block1.segmentation, (features,), {"labels": cat_labels, "table": rfm, "scenario": S}),
        (block1.profiles, (profile,), {"table": rfm, "labels": cat_labels, "scenario": S}),
        (block1.target_names, (names,), {"table": rfm, "labels": labels, "scenario": S}),
        (block1.figure_clarity, (fig,), {}),
        (block1.figure_adequacy, (fig,), {"expected": profile["monetary"]}),
    ]
    bad = [
        (block1.categories, (["purchase_dates"],), {"scenario": S}),
        (block1.analysis_table, (rfm.assign(monetary=np.nan),), {"scenario": S}),
        (block1.justifications, ({},), {"chosen": KEPT, "scenario": S}),
        (block1.segmentation, (features,), {"labels": np.zeros(len(rfm)), "scenario": S}),
        (block1.profiles, (profile * 2,), {"table": rfm, "labels": cat_labels, "scenario": S}),
        (block1.target_names, ({0: "x"},), {"table": rfm, "labels": labels, "scenario": S}),
        (block1.figure_clarity, (plt.figure(),), {}),
        (block1.figure_adequacy, (fig,), {"expected": profile["frequency"]}),
        (block1.segmentation, (), {}),
    ]
    return good, bad


def test_no_warning_and_no_stderr(capfd, rfm, transactions, features, labels, profile, names):
    good, bad = _calls(rfm, transactions, features, labels, profile, names)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning escaping the library would raise here
        for chk, args, kwargs in good:
            chk.check(*args, **kwargs)
            chk.grade(*args, **kwargs)
        for chk, args, kwargs in bad:
            for run in (chk.check, chk.grade):
                with pytest.raises(CheckFailed):
                    run(*args, **kwargs)
    out, err = capfd.readouterr()
    assert err == ""
    assert out.count("✔") == 2 * len(good)
    plt.close("all")


def test_registry_and_metadata():
    assert set(CHECKS) == {"collect.categories", "collect.analysis_table", "collect.justifications",
                           "segment.quality",
                           "segment.profiles", "segment.names", "figures.clarity", "figures.adequacy"}
    assert get("segment.quality") is block1.segmentation
    assert block1.segmentation.criterion == "B1.2.a" and block1.segmentation.points == 3
    with pytest.raises(CheckFailed):
        get("nope")


def test_criteria_exist_in_the_referentiel():
    from workbench.referentiel import load_referentiel

    ids = set(load_referentiel().criterion_ids("B1"))
    assert {c.criterion for c in CHECKS.values()} <= ids


def test_hint_and_ipython_rendering(capsys):
    block1.segmentation.hint()
    assert "scale" in capsys.readouterr().out
    with pytest.raises(CheckFailed) as err:
        block1.categories.check(["purchase_dates"], scenario=S)
    assert err.value._render_traceback_() == [f"CheckFailed: {err.value}"]
