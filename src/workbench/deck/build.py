"""Choose a board deck's slides from a candidate's executed visualisation notebook.

Competence 1.3 asks the candidate to present results to the board: the deck
keeps the figures (executed outputs), each with the candidate's own caption
(shown under it and as its text alternative), and the candidate's written
summary, never the code. In an nbgrader notebook only the candidate's written
answers (markdown solution cells) and the section titles are kept, not the
exam's instructions or rubric guides; in a plain notebook every markdown cell is
kept. The captions are the candidate's one-line-per-figure answer: the nbgrader
cell ``figures_rubric``, or a markdown cell tagged ``captions``.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode

from workbench.errors import InputError

IMAGE_TYPES = ("image/svg+xml", "image/png", "image/jpeg")  # first present wins (SVG stays sharp)
SOLUTION_MARKER = re.compile(r"^\s*#{3}\s*(BEGIN|END) SOLUTION\s*$", re.MULTILINE)
UNANSWERED = "YOUR ANSWER HERE"
#: The exam's captions answer (grading/criterion_map.yml: B1.3.a); a plain notebook tags its cell.
CAPTIONS_GRADE_ID = "figures_rubric"
CAPTIONS_TAG = "captions"
LIST_ITEM = re.compile(r"^\s*(?:\d+[.)]|[-*+])\s+(.+?)\s*$")
DEFAULT_LANG = "en"
#: The deck's own words, in the course's language (the rest is the candidate's).
WORDS: dict[str, dict[str, str]] = {
    "fr": {"title": "Présentation au comité de direction", "figure": "Figure {n}",
           "board_section": "Pour le comité de direction"},
    "en": {"title": "Board presentation", "figure": "Figure {n}", "board_section": "For the board"},
}


@dataclass(frozen=True)
class Figure:
    """One figure of the deck: its image as a data URI and the candidate's caption."""

    uri: str
    caption: str


@dataclass(frozen=True)
class Slide:
    """One slide: a heading, and either a figure or the candidate's markdown text."""

    heading: str
    figure: Figure | None = None
    markdown: str = ""


@dataclass(frozen=True)
class Deck:
    """A deck ready to render: its title, its slides (the title slide first), its figure count."""

    title: str
    slides: list[Slide] = field(default_factory=list)

    @property
    def figures(self) -> int:
        return sum(s.figure is not None for s in self.slides)


HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _headings(source: str) -> list[str]:
    """The cell's markdown headings, in order (a cell may hold several sections)."""
    return HEADING.findall(source)


def _image_uri(output: NotebookNode) -> str | None:
    """The first image of a display output as a data URI, or None when it shows no image."""
    if output.get("output_type") not in ("display_data", "execute_result"):
        return None
    data = output.get("data", {})
    for mime in IMAGE_TYPES:
        if mime in data:
            raw = data[mime]
            raw = "".join(raw) if isinstance(raw, list) else raw
            if mime == "image/svg+xml":  # stored as text; PNG and JPEG are already base64
                raw = base64.b64encode(raw.encode("utf-8")).decode("ascii")
            return f"data:{mime};base64,{''.join(raw.split())}"
    return None


def _written_answer(cell: NotebookNode) -> str | None:
    text = SOLUTION_MARKER.sub("", cell.source).strip()
    return None if not text or text == UNANSWERED else text


def _is_captions(cell: NotebookNode) -> bool:
    return (cell.metadata.get("nbgrader", {}).get("grade_id") == CAPTIONS_GRADE_ID
            or CAPTIONS_TAG in cell.metadata.get("tags", []))


def parse_captions(text: str) -> list[str]:
    """One caption per list item (``1. …``, ``- …``); without a list, one per non-empty line."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    items = [m.group(1) for ln in lines if (m := LIST_ITEM.match(ln))]
    return items or [ln.strip() for ln in lines]


def _is_nbgrader(nb: NotebookNode) -> bool:
    return any("nbgrader" in c.metadata for c in nb.cells)


def _captions(nb: NotebookNode, figures: int, *, graded: bool, where: str, lang: str) -> list[str]:
    cells = [c for c in nb.cells if c.cell_type == "markdown" and _is_captions(c)]
    text = "\n".join(t for c in cells if (t := _written_answer(c)))
    captions = parse_captions(text)
    place = (f"the captions answer (one line per figure, in '{WORDS[lang]['board_section']}')" if graded
             else f"a markdown cell tagged '{CAPTIONS_TAG}' (one line per figure)")
    if not captions:
        raise InputError(f"no caption for the figures: write them in {place}, nothing written", where=where)
    if len(captions) != figures:
        raise InputError(f"{figures} figure(s) but {len(captions)} caption(s): write one caption per figure "
                         f"in {place}, nothing written", where=where)
    return captions


def plan_deck(nb: NotebookNode, *, where: str = "notebook", lang: str = DEFAULT_LANG) -> Deck:
    """Choose the deck's slides from an executed notebook (the deck's own words in ``lang``).

    Each figure gets a slide titled by the section it belongs to, with its caption;
    each written answer gets a slide, titled by its section the first time only (two
    answers in one section never repeat its title); code never reaches the deck.

    Raises
    ------
    InputError
        No figure output (not executed, or no plot), no captions, or not one caption per figure.
    """
    graded = _is_nbgrader(nb)
    title, section, shown, slides, images = None, None, set(), [], []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            solution = cell.metadata.get("nbgrader", {}).get("solution", False)
            # Sections come from the notebook's own headings, not from the candidate's answers.
            headings = [] if graded and solution else _headings(cell.source)
            heading = headings[0] if headings and cell.source.lstrip().startswith("#") else None
            title = title or (headings[0] if headings else None)
            section = headings[-1] if headings else section
            if (graded and not solution) or _is_captions(cell):
                continue  # the exam's instructions and guides; captions go under their figures
            text = _written_answer(cell) if graded else cell.source.strip()
            if not text or (not graded and heading and text.lstrip("#").strip() == heading and heading == title):
                continue  # the title alone is the title slide
            if not graded and not heading and slides and slides[-1].figure is None:
                slides[-1] = Slide(heading=slides[-1].heading, markdown=f"{slides[-1].markdown}\n\n{text}")
                continue  # a plain paragraph continues the slide its heading started
            label = section if graded and section and section != title and section not in shown else ""
            shown.add(label)
            slides.append(Slide(heading=label, markdown=text))
        elif cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if uri := _image_uri(output):
                    images.append(len(slides))
                    slides.append(Slide(heading=section or "", figure=Figure(uri=uri, caption="")))
    if not images:
        raise InputError(
            "no figure in the notebook: run it first (the deck shows its executed plots), nothing written",
            where=where,
        )
    words = WORDS[lang]
    captions = _captions(nb, len(images), graded=graded, where=where, lang=lang)
    for n, (i, caption) in enumerate(zip(images, captions), 1):
        fig = slides[i].figure
        slides[i] = Slide(heading=slides[i].heading or words["figure"].format(n=n),
                          figure=Figure(uri=fig.uri, caption=caption))
    title = title or words["title"]
    return Deck(title=title, slides=[Slide(heading=title), *slides])


def notebook_lang(path: Path, nb: NotebookNode) -> str | None:
    """The language of the course ``nb`` belongs to: its assignment's released ``data/course.yml``
    (written by ``workbench course create``), else the language it was built in; None if neither."""
    course_file = Path(path).parent / "data" / "course.yml"
    if course_file.is_file():
        from workbench_candidate.lang import released_lang

        return released_lang(course_file.parent)
    lang = nb.metadata.get("workbench", {}).get("lang")
    return lang if lang in WORDS else None


def read_notebook(path: Path) -> NotebookNode:
    """Read a notebook; a missing or unreadable file is an ``InputError`` naming it."""
    try:
        return nbformat.read(path, as_version=4)
    except FileNotFoundError:
        raise InputError("notebook not found", where=str(path)) from None
    except Exception as exc:  # nbformat raises several JSON/validation errors
        raise InputError(f"not a readable notebook ({exc.__class__.__name__})", where=str(path)) from None
