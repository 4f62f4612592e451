"""A rules file that is not a mapping says what it is instead, naming the file (workbench._yaml)."""

from __future__ import annotations

import pytest

from workbench.errors import ConfigError
from workbench.referentiel import load_referentiel


@pytest.mark.parametrize("text, got", [
    ("", "the file is empty (expected 'key: value' lines)"),
    ("# only a comment\n", "the file is empty (expected 'key: value' lines)"),
    ("- B1\n- B2\n", "expected 'key: value' lines, got a YAML list ('- item' lines)"),
    ("référentiel\n", "expected 'key: value' lines, got a YAML single text"),
    ("42\n", "expected 'key: value' lines, got a YAML single number"),
])
def test_a_rules_file_that_is_not_a_mapping_is_named(text, got, tmp_path):
    path = tmp_path / "referentiel.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_referentiel(path)
    assert str(err.value) == f"{path}: {got}"
