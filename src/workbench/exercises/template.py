"""Parse a notebook template: a jinja2 text of cells separated by ``# %%`` headers.

A header names the cell's role and its attributes, for example::

    # %% solution id=choose_categories
    # %% test id=collect_categories criterion=B1.1.a points=3
    # %% rubric id=justification_rubric criterion=B1.1.b
    # %% markdown
    # %% locked id=setup

The template is rendered with the scenario context *before* it is split, so one
template serves every scenario; the cells' ids and criteria stay the same.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from workbench.errors import ConfigError

ROLES = ("markdown", "locked", "locked_markdown", "solution", "test", "rubric")
_HEADER = re.compile(r"^# %%\s*(?P<role>\w+)(?P<attrs>.*)$")
_ATTR = re.compile(r"(\w+)=(\S+)")


@dataclass(frozen=True)
class CellSpec:
    """One cell of a template: its role, attributes (``id``, ``criterion``, ``points``) and text."""

    role: str
    source: str
    attrs: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str | None:
        return self.attrs.get("id")

    @property
    def criterion(self) -> str | None:
        return self.attrs.get("criterion")


def render(path: Path, context: dict) -> str:
    """Render the jinja2 template at ``path``; undefined names are errors, not blanks."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(path.parent)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Python literals in code cells: JSON without escaping accents or apostrophes
    env.filters["py"] = lambda value, indent=None: json.dumps(value, ensure_ascii=False, indent=indent)
    try:
        return env.get_template(path.name).render(**context)
    except jinja2.TemplateError as exc:
        line = getattr(exc, "lineno", None)
        raise ConfigError(f"template error: {exc}", where=f"{path}:{line}" if line else str(path)) from None


def split_cells(text: str, *, where: str) -> list[CellSpec]:
    """Split a rendered template into cells; text before the first header is ignored."""
    cells: list[CellSpec] = []
    role: str | None = None
    attrs: dict[str, str] = {}
    lines: list[str] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        match = _HEADER.match(line)
        if match is None:
            lines.append(line)
            continue
        if role is not None:
            cells.append(CellSpec(role, "\n".join(lines).strip("\n"), attrs))
        role = match["role"]
        if role not in ROLES:
            raise ConfigError(f"unknown cell role {role!r} (known: {', '.join(ROLES)})", where=f"{where}:{lineno}")
        attrs = dict(_ATTR.findall(match["attrs"]))
        lines = []
    if role is not None:
        cells.append(CellSpec(role, "\n".join(lines).strip("\n"), attrs))
    _check_ids(cells, where)
    return cells


def _check_ids(cells: list[CellSpec], where: str) -> None:
    """Every graded or answer cell needs a unique id (nbgrader's grade_id)."""
    seen: set[str] = set()
    for cell in cells:
        if cell.role in ("solution", "test", "rubric", "locked") and not cell.id:
            raise ConfigError(f"a {cell.role} cell has no id=", where=where)
        if cell.role in ("test", "rubric") and not cell.criterion:
            raise ConfigError(f"cell {cell.id!r} is graded but names no criterion=", where=where)
        if cell.id:
            if cell.id in seen:
                raise ConfigError(f"duplicate cell id {cell.id!r}", where=where)
            seen.add(cell.id)
