"""Board deck export: reveal.js markup, embedded figures, the summary, no code."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from workbench.deck import export_deck
from workbench.errors import InputError

SUMMARY = "Win back the lapsed high spenders first: they hold a third of the value."
PLOT_CODE = (
    "import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"
    "%matplotlib inline\n"
    "secret_variable_name = [3, 1, 2]\n"
    "fig, ax = plt.subplots(figsize=(3, 2))\nax.bar(['a', 'b', 'c'], secret_variable_name)\nax.set_title('Sizes')\n"
    "print('a printed line that is not a figure')"
)


def nbgrader_meta(grade_id: str, *, solution: bool) -> dict:
    return {"nbgrader": {"grade": solution, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
                         "solution": solution, "task": False, **({"points": 3} if solution else {})}}


def executed(tmp_path: Path, cells: list) -> Path:
    """Write and execute a notebook made of ``cells`` (a real kernel, like the candidate's)."""
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    path = tmp_path / "1_3_visualisation.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def graded_notebook(tmp_path_factory) -> Path:
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    return executed(tmp_path_factory.mktemp("deck"), [
        md("# Block 1 · 1.3 Visualisation", metadata=nbgrader_meta("scenario", solution=False)),
        md("## 1. Segment sizes\n\nInstructions the board must not see.", metadata={}),
        code(PLOT_CODE, metadata=nbgrader_meta("fig_sizes", solution=True)),
        code("block1_check_that_must_not_show = 1", metadata=nbgrader_meta("clarity", solution=False)),
        md("Rubric guide for graders only", metadata=nbgrader_meta("summary_rubric_guide", solution=False)),
        md(f"### BEGIN SOLUTION\n- {SUMMARY}\n### END SOLUTION", metadata=nbgrader_meta("summary_rubric", solution=True)),
        md("YOUR ANSWER HERE", metadata=nbgrader_meta("figures_rubric", solution=True)),
    ])


@pytest.mark.slow
def test_deck_has_reveal_figures_summary_and_no_code(graded_notebook, tmp_path):
    out = tmp_path / "deck.html"
    deck = export_deck(notebook=graded_notebook, out=out)
    html = out.read_text()
    assert deck.figures == 1
    assert 'class="reveal"' in html and "Reveal.initialize" in html
    assert len(re.findall(r'<section', html)) >= 3  # title, figure, summary
    assert re.search(r'src="data:image/png;base64,[A-Za-z0-9+/]{200,}', html)
    assert SUMMARY in html and "1. Segment sizes" in html
    assert "<title>Block 1 · 1.3 Visualisation slides</title>" in html
    for hidden in ("secret_variable_name", "plt.subplots", "block1_check_that_must_not_show",
                   "Instructions the board", "Rubric guide", "YOUR ANSWER HERE", "BEGIN SOLUTION",
                   "a printed line"):
        assert hidden not in html


@pytest.mark.slow
def test_cli_writes_deck(graded_notebook, tmp_path):
    from workbench.deck.cli import deck

    res = CliRunner().invoke(deck, [str(graded_notebook), "--out", str(tmp_path / "d.html")])
    assert res.exit_code == 0, res.output
    assert "1 figure(s)" in res.output and (tmp_path / "d.html").is_file()


def test_notebook_without_figures_writes_nothing(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title"),
                                         nbformat.v4.new_code_cell("x = 1")])
    path = tmp_path / "nofig.ipynb"
    nbformat.write(nb, path)
    out = tmp_path / "deck.html"
    with pytest.raises(InputError, match="no figure in the notebook") as err:
        export_deck(notebook=path, out=out)
    assert str(path) in str(err.value)
    assert not out.exists()


def test_missing_notebook_is_named(tmp_path):
    with pytest.raises(InputError, match="notebook not found"):
        export_deck(notebook=tmp_path / "nope.ipynb", out=tmp_path / "d.html")
