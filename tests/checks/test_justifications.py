"""collect.justifications (B1.1.b): every kept category, and every sensitive one left out, is argued."""

from __future__ import annotations

import pytest

from tests.checks.answers import KEPT, S
from tests.checks.answers import REASONS as GOOD
from workbench.checks import BadInput, CheckFailed, block1



def test_argued_decisions_pass(capsys):
    block1.justifications.check(GOOD, chosen=KEPT, scenario=S)
    assert block1.justifications.grade(GOOD, chosen=KEPT, scenario=S) == 1.0
    assert "✔ collect.justifications" in capsys.readouterr().out


def test_kept_category_without_reason_fails():
    reasons = {k: v for k, v in GOOD.items() if k != "purchase_value"}
    with pytest.raises(CheckFailed, match="'purchase_value' is kept"):
        block1.justifications.check(reasons, chosen=KEPT, scenario=S)


def test_identifying_data_left_out_without_reason_fails():
    reasons = {**GOOD, "contact_details": "Not needed."}
    with pytest.raises(CheckFailed, match="left out"):
        block1.justifications.check(reasons, chosen=KEPT, scenario=S)


def test_copy_paste_and_no_data_protection_fail_hidden_part():
    same = {k: "This category matters a lot for the campaign objective." for k in GOOD}
    block1.justifications.check(same, chosen=KEPT, scenario=S)
    with pytest.raises(CheckFailed, match="same reason"):
        block1.justifications.grade(same, chosen=KEPT, scenario=S)
    no_gdpr = {**GOOD, "contact_details": "E-mail and phone add nothing at all to this analysis."}
    with pytest.raises(CheckFailed, match="data protection"):
        block1.justifications.grade(no_gdpr, chosen=KEPT, scenario=S)


def test_caravan_target_and_religion_must_be_argued():
    kept = ["customer_type", "income", "car_ownership", "product_contributions", "product_counts"]
    reasons = {c: f"Category {c} describes the customer's means and holdings for cross-selling." for c in kept}
    with pytest.raises(CheckFailed, match="left out"):
        block1.justifications.check(reasons, chosen=kept, scenario="caravan_crosssell")


@pytest.mark.parametrize("bad, words", [
    (["a reason"], "dict"),
    ({"purchase_dates": 3}, "text"),
    ({"no_such_category": "A long enough reason for nothing at all."}, "unknown"),
])
def test_bad_inputs_are_clean_messages(bad, words):
    with pytest.raises(BadInput, match=words):
        block1.justifications.check(bad, chosen=KEPT, scenario=S)
