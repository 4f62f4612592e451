"""Template parsing: roles, attributes and the faults an author gets told about."""

from __future__ import annotations

import pytest

from workbench.errors import ConfigError
from workbench.exercises.template import split_cells


def test_cells_are_split_on_headers_with_their_attributes():
    cells = split_cells("# %% markdown\nHello\n# %% test id=t1 criterion=B1.1.a points=2\nassert True\n",
                        where="t")
    assert [(c.role, c.id, c.criterion) for c in cells] == [("markdown", None, None), ("test", "t1", "B1.1.a")]
    assert cells[1].attrs["points"] == "2" and cells[1].source == "assert True"


@pytest.mark.parametrize("text, message", [
    ("# %% essay id=x\n", "unknown cell role"),
    ("# %% solution\nx = 1\n", "no id="),
    ("# %% test id=t\nassert 1\n", "names no criterion"),
    ("# %% solution id=a\n# %% solution id=a\n", "duplicate cell id"),
])
def test_template_faults_are_reported_with_their_location(text, message):
    with pytest.raises(ConfigError, match=message) as err:
        split_cells(text, where="exercises/templates/x.nb.j2")
    assert "x.nb.j2" in str(err.value)
