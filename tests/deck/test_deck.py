"""Board deck: self-contained reveal.js, figures with the candidate's captions, the summary, no code."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from workbench.deck import export_deck, parse_captions, plan_deck
from workbench.errors import InputError

SUMMARY = "Win back the lapsed high spenders first: they hold a third of the value."
CAPTIONS = ["Sizes: 10 % of customers bring 43 % of the value.", "Profiles: the top segment buys often."]
PLOT_CODE = (
    "import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\n"
    "%matplotlib inline\n"
    "secret_variable_name = [3, 1, 2]\n"
    "fig, ax = plt.subplots(figsize=(3, 2))\nax.bar(['a', 'b', 'c'], secret_variable_name)\nax.set_title('Sizes')\n"
    "print('a printed line that is not a figure')"
)
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#0072B2"/></svg>'
md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell


def nbgrader_meta(grade_id: str, *, solution: bool) -> dict:
    return {"nbgrader": {"grade": solution, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
                         "solution": solution, "task": False, **({"points": 3} if solution else {})}}


def svg_cell(source: str = "fig", *, graded: bool = True) -> nbformat.NotebookNode:
    """A code cell as the exam's notebooks leave it: the figure displayed as SVG, and a text repr."""
    out = nbformat.v4.new_output("display_data", data={"image/svg+xml": SVG, "text/plain": "<Figure>"})
    return code(source, outputs=[out], metadata=nbgrader_meta(f"fig_{source}", solution=True) if graded else {})


def exam_cells(captions: str | None = "\n".join(f"{i}. {c}" for i, c in enumerate(CAPTIONS, 1))) -> list:
    """The shape of 1_3_visualisation: sections in instructions, two figures, captions and summary answers."""
    cells = [
        md("# Block 1 · 1.3 Visualisation", metadata=nbgrader_meta("scenario", solution=False)),
        md("*How each figure is graded*\n\n## 1. Segment sizes\n\nInstructions the board must not see."),
        svg_cell("secret_variable_name"),
        code("block1_check_that_must_not_show = 1", metadata=nbgrader_meta("clarity", solution=False)),
        md("## 2. Profile heatmap\n\nMore instructions."),
        svg_cell("heatmap"),
        md("## 4. For the board\n\nGive each figure a one-line caption."),
    ]
    if captions is not None:
        cells.append(md(f"### BEGIN SOLUTION\n{captions}\n### END SOLUTION",
                        metadata=nbgrader_meta("figures_rubric", solution=True)))
    cells += [
        md("Write the executive summary."),
        md(f"### BEGIN SOLUTION\n- {SUMMARY}\n### END SOLUTION", metadata=nbgrader_meta("summary_rubric", solution=True)),
        md("Rubric guide for graders only", metadata=nbgrader_meta("summary_rubric_guide", solution=False)),
    ]
    return cells


def write(tmp_path: Path, cells: list, name: str = "1_3_visualisation.ipynb") -> Path:
    path = tmp_path / name
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def test_deck_is_self_contained_with_captions_as_text_alternatives(tmp_path):
    out = tmp_path / "deck.html"
    deck = export_deck(notebook=write(tmp_path, exam_cells()), out=out)
    html = out.read_text()
    assert deck.figures == 2
    # reveal.js, its styles and fonts are in the file: nothing is fetched to show it.
    assert "Reveal.initialize" in html and "reveal.js 5" in html and "data:font/woff;base64," in html
    assert not re.search(r'(src|href)="(https?:)?//', html) and "@import" not in html
    alts = re.findall(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="([^"]*)"', html)
    assert [a for _, a in alts] == CAPTIONS
    assert base64.b64decode(alts[0][0]).decode() == SVG
    assert "No description has been provided" not in html
    assert SUMMARY in html and "<title>Block 1 · 1.3 Visualisation</title>" in html
    headings = re.findall(r"<h2>(.*?)</h2>", html)
    assert headings == ["1. Segment sizes", "2. Profile heatmap", "4. For the board"]  # each section once
    for hidden in ("secret_variable_name", "block1_check_that_must_not_show", "Instructions the board",
                   "Rubric guide", "YOUR ANSWER HERE", "BEGIN SOLUTION", "&lt;Figure&gt;", "one-line caption"):
        assert hidden not in html


def test_candidate_markup_is_escaped(tmp_path):
    cells = exam_cells()
    cells[-2].source = "### BEGIN SOLUTION\n<script>alert(1)</script> **bold**\n### END SOLUTION"
    out = tmp_path / "deck.html"
    export_deck(notebook=write(tmp_path, cells), out=out)
    html = out.read_text()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html and "<strong>bold</strong>" in html


@pytest.mark.parametrize("captions, message", [
    (None, "no caption for the figures"),
    ("YOUR ANSWER HERE", "no caption for the figures"),
    ("1. Only one caption.", "2 figure(s) but 1 caption(s)"),
])
def test_missing_captions_are_one_clear_line_and_nothing_is_written(tmp_path, captions, message):
    path, out = write(tmp_path, exam_cells(captions)), tmp_path / "deck.html"
    with pytest.raises(InputError, match=re.escape(message)) as err:
        export_deck(notebook=path, out=out)
    assert str(path) in str(err.value) and "\n" not in str(err.value) and "For the board" in str(err.value)
    assert not out.exists()


def test_plain_notebook_takes_captions_from_a_tagged_cell(tmp_path):
    cells = [md("# Results"), md("## Sizes\n\nWhat we found."), md("It holds."),
             svg_cell(graded=False), md("- The only figure.", metadata={"tags": ["captions"]})]
    deck = plan_deck(nbformat.v4.new_notebook(cells=cells))
    assert [s.heading for s in deck.slides] == ["Results", "", "Sizes"]
    assert deck.slides[1].markdown == "## Sizes\n\nWhat we found.\n\nIt holds."  # a paragraph joins its heading
    assert deck.slides[2].figure.caption == "The only figure."
    with pytest.raises(InputError, match="markdown cell tagged 'captions'"):
        plan_deck(nbformat.v4.new_notebook(cells=cells[:-1]))


def test_parse_captions():
    assert parse_captions("1. A\n2) B\n\n- C\n") == ["A", "B", "C"]
    assert parse_captions("First line\n  \nSecond line") == ["First line", "Second line"]
    assert parse_captions("") == []


def test_notebook_without_figures_writes_nothing(tmp_path):
    path = write(tmp_path, [md("# Title"), code("x = 1")], "nofig.ipynb")
    out = tmp_path / "deck.html"
    with pytest.raises(InputError, match="no figure in the notebook") as err:
        export_deck(notebook=path, out=out)
    assert str(path) in str(err.value)
    assert not out.exists()


def test_missing_notebook_is_named(tmp_path):
    with pytest.raises(InputError, match="notebook not found"):
        export_deck(notebook=tmp_path / "nope.ipynb", out=tmp_path / "d.html")


@pytest.mark.slow
def test_executed_notebook_figure_reaches_the_deck(tmp_path):
    """A real kernel's inline PNG output (the plain matplotlib backend) becomes a figure slide."""
    from nbclient import NotebookClient

    cells = exam_cells("1. Sizes.")[:2] + [code(PLOT_CODE, metadata=nbgrader_meta("fig_sizes", solution=True))]
    cells += exam_cells("1. Sizes.")[6:]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    path = tmp_path / "run.ipynb"
    nbformat.write(nb, path)
    out = tmp_path / "d.html"
    from workbench.deck.cli import deck

    res = CliRunner().invoke(deck, [str(path), "--out", str(out), "--no-pdf"])
    assert res.exit_code == 0, res.output
    assert "1 figure(s) with their captions" in res.output
    html = out.read_text()
    assert re.search(r'src="data:image/png;base64,[A-Za-z0-9+/]{200,}={0,2}" alt="Sizes."', html)
    assert "secret_variable_name" not in html and "a printed line" not in html


def _untitled(tmp_path: Path, *, metadata_lang: str | None = None) -> Path:
    """A plain notebook with no heading: the deck's own words make its title."""
    nb = nbformat.v4.new_notebook(cells=[svg_cell(graded=False), md("- The only figure.", metadata={"tags": ["captions"]})])
    if metadata_lang:
        nb.metadata["workbench"] = {"lang": metadata_lang}
    path = tmp_path / "untitled.ipynb"
    nbformat.write(nb, path)
    return path


def test_the_deck_words_exist_in_every_language():
    from workbench.deck.build import WORDS

    assert set(WORDS) == {"fr", "en"} and set(WORDS["fr"]) == set(WORDS["en"])
    assert all(text.strip() for words in WORDS.values() for text in words.values())


@pytest.mark.parametrize("course, built, asked, expected", [
    (None, None, None, "en"),            # no course: the function's default
    ("fr", None, None, "fr"),            # the course's, released beside the notebook
    (None, "fr", None, "fr"),            # the language the notebook was built in
    ("en", "fr", None, "en"),            # the course wins over the build
    ("fr", None, "en", "en"),            # --lang wins over both
])
def test_the_deck_speaks_the_course_language_unless_told(tmp_path, course, built, asked, expected):
    path = _untitled(tmp_path, metadata_lang=built)
    if course:
        (tmp_path / "data").mkdir()
        (tmp_path / "data" / "course.yml").write_text(f"lang: {course}\n", encoding="utf-8")
    out = tmp_path / "deck.html"
    deck = export_deck(notebook=path, out=out, lang=asked)
    html = out.read_text(encoding="utf-8")
    title = {"fr": "Présentation au comité de direction", "en": "Board presentation"}[expected]
    assert deck.title == title and f'<html lang="{expected}">' in html and f"<title>{title}</title>" in html


def test_cli_deck_lang_option(tmp_path):
    from workbench.deck.cli import deck

    out = tmp_path / "deck.html"
    result = CliRunner().invoke(deck, [str(_untitled(tmp_path)), "--out", str(out), "--no-pdf", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert "Présentation au comité de direction" in out.read_text(encoding="utf-8")
    refused = CliRunner().invoke(deck, [str(_untitled(tmp_path)), "--out", str(out), "--no-pdf", "--lang", "de"])
    assert refused.exit_code == 2


def test_an_unknown_deck_language_is_refused(tmp_path):
    with pytest.raises(InputError, match="unknown deck language 'de'"):
        export_deck(notebook=_untitled(tmp_path), out=tmp_path / "d.html", lang="de")
