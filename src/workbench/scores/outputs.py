"""Check messages from the autograded notebooks: what a test cell printed, or its error.

Only outputs are read — the error's name and message and the text a check printed —
never a cell's source and never a traceback, which would quote hidden test code.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from workbench.scores.criterion_map import CriterionMap
from workbench_candidate.lang import released_lang
from workbench_candidate.plain import plain_error

MAX_CHARS = 600
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _clean(text: str) -> str:
    text = _ANSI.sub("", text).strip()
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"


def cell_messages(cell: dict, lang: str = "en") -> str:
    """The messages of one executed cell: printed text and the error's message in plain words."""
    parts = []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "stream":
            text = out.get("text", "")
            parts.append("".join(text) if isinstance(text, list) else text)
        elif kind == "error":
            parts.append(plain_error(str(out.get("ename", "Error")), str(out.get("evalue", "")), lang))
    return _clean("\n".join(p.strip() for p in parts if p.strip()))


def read_messages(course_dir: str | Path, cmap: CriterionMap, candidates: list[str]) -> dict[tuple[str, str, str], str]:
    """(candidate, notebook, cell) -> messages of the mapped autograde cells, where a notebook exists.

    Reads ``<course_dir>/autograded/<candidate>/<assignment>/<notebook>.ipynb``.
    """
    wanted: dict[str, set[str]] = {}
    for nb, cell in cmap.cells():
        if cell.kind == "autograde":
            wanted.setdefault(nb, set()).add(cell.cell)
    out: dict[tuple[str, str, str], str] = {}
    root = Path(course_dir) / "autograded"
    lang = released_lang(Path(course_dir) / "source" / cmap.assignment / "data")  # the course's
    for cand in candidates:
        for nb, cells in wanted.items():
            path = root / cand / cmap.assignment / f"{nb}.ipynb"
            if not path.is_file():
                continue
            try:
                notebook = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # a damaged notebook gives no messages; its grades still count
            for cell in notebook.get("cells", []):
                grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                if grade_id in cells:
                    text = cell_messages(cell, lang)
                    if text:
                        out[(cand, nb, grade_id)] = text
    return out
