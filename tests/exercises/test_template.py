"""Template parsing: roles, attributes and the faults an author gets told about."""

from __future__ import annotations

import pytest

from workbench.errors import ConfigError
from workbench.exercises.template import split_cells


TEXT = "# %% markdown\n# %%% fr\nBonjour\n# %%% en\nHello\n# %% test id=t1 criterion=B1.1.a points=2\nassert True\n"


def test_cells_are_split_on_headers_with_their_attributes():
    cells = split_cells(TEXT, where="t")
    assert [(c.role, c.id, c.criterion) for c in cells] == [("markdown", None, None), ("test", "t1", "B1.1.a")]
    assert cells[1].attrs["points"] == "2" and cells[1].source == "assert True"


@pytest.mark.parametrize("lang, text", [("fr", "Bonjour"), ("en", "Hello")])
def test_a_markdown_cell_keeps_the_language_asked_for_and_code_stays_the_same(lang, text):
    cells = split_cells(TEXT, where="t", lang=lang)
    assert cells[0].source == text and cells[0].texts == {"fr": "Bonjour", "en": "Hello"}
    assert cells[1].source == "assert True" and cells[1].texts == {}


@pytest.mark.parametrize("text, message", [
    ("# %% essay id=x\n", "unknown cell role"),
    ("# %% solution\nx = 1\n", "no id="),
    ("# %% test id=t\nassert 1\n", "names no criterion"),
    ("# %% solution id=a\n# %% solution id=a\n", "duplicate cell id"),
    ("# %% markdown\nHello\n", "no fr / en text"),
    ("# %% markdown\n# %%% fr\nBonjour\n", "no en text"),
    ("# %% markdown\n# %%% fr\nBonjour\n# %%% en\n\n", "no en text"),
    ("# %% markdown\n# %%% fr\nA\n# %%% de\nB\n", "unknown language block 'de'"),
    ("# %% markdown\n# %%% fr\nA\n# %%% fr\nB\n# %%% en\nC\n", "two fr blocks"),
    ("# %% markdown\nIntro\n# %%% fr\nA\n# %%% en\nB\n", "text before the first language block"),
    ("# %% solution id=a\n# %%% fr\nx = 1\n# %%% en\nx = 1\n", "code is the same in every language"),
])
def test_template_faults_are_reported_with_their_location(text, message):
    with pytest.raises(ConfigError, match=message) as err:
        split_cells(text, where="exercises/templates/x.nb.j2")
    assert "x.nb.j2" in str(err.value)


def test_an_unknown_course_language_is_refused():
    with pytest.raises(ConfigError, match="unknown language 'de'"):
        split_cells(TEXT, where="t", lang="de")
