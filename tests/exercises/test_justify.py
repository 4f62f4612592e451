"""The interim B1.1.b structural check of 1.1's justifications."""

from __future__ import annotations

import pytest

from workbench.exercises import justify

CHOSEN = ["purchase_dates", "purchase_volume", "purchase_value"]
GOOD = {
    "purchase_dates": "Recency shows which customers lapsed, the heart of a win-back.",
    "purchase_volume": "Frequency separates loyal customers from one-off buyers in the base.",
    "purchase_value": "Money spent measures value, which the strategy wants to prioritise.",
    "contact_details": "E-mail and phone identify people and add nothing: GDPR data minimisation.",
    "customer_key": "The id is only a join key, never an analysis variable here.",
}


def test_reference_justifications_pass_and_earn_the_point(capsys):
    justify.check(GOOD, chosen=CHOSEN, scenario="cdnow_winback")
    assert justify.grade(GOOD, chosen=CHOSEN, scenario="cdnow_winback") == justify.POINTS
    assert "✔" in capsys.readouterr().out


@pytest.mark.parametrize("broken, message", [
    ({k: v for k, v in GOOD.items() if k != "contact_details"}, "'contact_details' is left out"),
    ({**GOOD, "purchase_value": "Value."}, "'purchase_value' is kept"),
    ({**GOOD, "email": "E-mail is personal data we do not need at all."}, "Unknown category"),
    (list(GOOD), "must be a dict"),
])
def test_missing_or_bad_reasons_fail_with_a_message_for_the_candidate(broken, message):
    with pytest.raises(justify.JustificationFailed, match=message):
        justify.check(broken, chosen=CHOSEN, scenario="cdnow_winback")


def test_hidden_part_wants_distinct_reasons_and_data_protection():
    same = {k: "This category matters a lot for the strategy of the company." for k in GOOD}
    with pytest.raises(justify.JustificationFailed, match="same reason"):
        justify.grade(same, chosen=CHOSEN, scenario="cdnow_winback")
    no_gdpr = {**GOOD, "contact_details": "E-mail and phone add nothing to the segmentation itself."}
    justify.check(no_gdpr, chosen=CHOSEN, scenario="cdnow_winback")
    with pytest.raises(justify.JustificationFailed, match="data protection"):
        justify.grade(no_gdpr, chosen=CHOSEN, scenario="cdnow_winback")
