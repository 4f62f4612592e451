"""Fixtures of the rule tests: CDNOW's public scenario and its RFM table."""

from __future__ import annotations

import pytest

from tests.candidate.rules.scenarios import public


@pytest.fixture(scope="module")
def cdnow():
    return public("cdnow_winback")


@pytest.fixture(scope="module")
def rfm():
    from workbench.scenarios import analysis_table, load_scenario

    return analysis_table(load_scenario("cdnow_winback"))
