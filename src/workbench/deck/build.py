"""Turn a candidate's visualisation notebook into a board deck (reveal.js, through nbconvert).

Competence 1.3 asks the candidate to present results to the board: the deck
keeps the figures (executed outputs) and the candidate's written summary, and
never the code. In an nbgrader notebook only the candidate's written answers
(markdown solution cells) and the section titles are kept, not the exam's
instructions or rubric guides; in a plain notebook every markdown cell is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode

from workbench.errors import InputError

IMAGE_TYPES = ("image/png", "image/svg+xml", "image/jpeg")
SOLUTION_MARKER = re.compile(r"^\s*#{3}\s*(BEGIN|END) SOLUTION\s*$", re.MULTILINE)
UNANSWERED = "YOUR ANSWER HERE"


@dataclass(frozen=True)
class Deck:
    """A deck ready to export: its title, its cells with slide metadata, its figure count."""

    title: str
    cells: list[NotebookNode]
    figures: int


def _slide(cell: NotebookNode, slide_type: str) -> NotebookNode:
    cell.metadata["slideshow"] = {"slide_type": slide_type}
    return cell


def _heading(source: str) -> str | None:
    first = source.strip().splitlines()[0] if source.strip() else ""
    return first.lstrip("#").strip() if first.startswith("#") else None


def _figure_outputs(cell: NotebookNode) -> list[NotebookNode]:
    """The image outputs of a code cell, reduced to their image data (no text repr)."""
    out = []
    for o in cell.get("outputs", []):
        data = o.get("data", {}) if o.get("output_type") in ("display_data", "execute_result") else {}
        images = {k: v for k, v in data.items() if k in IMAGE_TYPES}
        if images:
            out.append(nbformat.v4.new_output("display_data", data=images, metadata=o.get("metadata", {})))
    return out


def _written_answer(cell: NotebookNode) -> str | None:
    text = SOLUTION_MARKER.sub("", cell.source).strip()
    return None if not text or text == UNANSWERED else text


def _is_nbgrader(nb: NotebookNode) -> bool:
    return any("nbgrader" in c.metadata for c in nb.cells)


def plan_deck(nb: NotebookNode, *, where: str = "notebook") -> Deck:
    """Choose the deck's slides from an executed notebook.

    Each figure gets a slide titled by the section it belongs to; a markdown
    heading starts a slide; code never reaches the deck (sources are emptied and
    inputs excluded at export).

    Raises
    ------
    InputError
        When the notebook has no figure output (not executed, or no plot).
    """
    graded = _is_nbgrader(nb)
    title, section, cells, figures = None, None, [], 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            solution = cell.metadata.get("nbgrader", {}).get("solution", False)
            # Sections come from the notebook's own headings, not from the candidate's answers.
            heading = None if graded and solution else _heading(cell.source)
            title = title or heading
            section = heading or section
            if graded and not solution:
                continue  # instructions and rubric guides are the exam's, not the candidate's
            text = _written_answer(cell) if graded else cell.source.strip()
            if text and graded and section and section != title:
                text = f"## {section}\n\n{text}"  # a written answer is titled by its section
            if text:
                cells.append(_slide(nbformat.v4.new_markdown_cell(text), "slide" if graded or heading else "-"))
        elif cell.cell_type == "code":
            for output in _figure_outputs(cell):
                figures += 1
                cells.append(_slide(nbformat.v4.new_markdown_cell(f"## {section or f'Figure {figures}'}"), "slide"))
                fig = nbformat.v4.new_code_cell("", outputs=[output], execution_count=None)
                cells.append(_slide(fig, "-"))
    if not figures:
        raise InputError(
            "no figure in the notebook: run it first (the deck shows its executed plots), nothing written",
            where=where,
        )
    title = title or "Board presentation"
    cells.insert(0, _slide(nbformat.v4.new_markdown_cell(f"# {title}"), "slide"))
    return Deck(title=title, cells=cells, figures=figures)


def export_deck(*, notebook: Path | str, out: Path | str) -> Deck:
    """Export ``notebook`` to a reveal.js slide deck at ``out`` (HTML, figures embedded as base64).

    Raises
    ------
    InputError
        Unreadable notebook, or a notebook without figures (then nothing is written).
    """
    from nbconvert import SlidesExporter

    notebook, out = Path(notebook), Path(out)
    try:
        nb = nbformat.read(notebook, as_version=4)
    except FileNotFoundError:
        raise InputError("notebook not found", where=str(notebook)) from None
    except Exception as exc:  # nbformat raises several JSON/validation errors
        raise InputError(f"not a readable notebook ({exc.__class__.__name__})", where=str(notebook)) from None
    deck = plan_deck(nb, where=str(notebook))
    slides = nbformat.v4.new_notebook(cells=deck.cells, metadata=nb.metadata)
    exporter = SlidesExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    name = re.sub(r"[*_`]", "", deck.title).strip()  # the page title is plain text, not markdown
    slides.metadata["title"] = name
    html, _ = exporter.from_notebook_node(slides, resources={"metadata": {"name": name}})
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return deck
