"""Parse a notebook template: a jinja2 text of cells separated by ``# %%`` headers.

A header names the cell's role and its attributes, for example::

    # %% solution id=choose_categories
    # %% test id=collect_categories criterion=B1.1.a points=3
    # %% rubric id=justification_rubric criterion=B1.1.b
    # %% markdown
    # %% locked id=setup

The template is rendered with the scenario context *before* it is split, so one
template serves every scenario; the cells' ids and criteria stay the same.

A markdown cell (``markdown``, ``locked_markdown``) holds its text in every course
language, each under a ``# %%% fr`` / ``# %%% en`` line; the split keeps the language
asked for. Code cells have no language blocks: their source, and so nbgrader's
checksums, are the same in every language.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from workbench.errors import ConfigError

ROLES = ("markdown", "locked", "locked_markdown", "solution", "test", "rubric")
TEXT_ROLES = ("markdown", "locked_markdown")
LANGS = ("fr", "en")
DEFAULT_LANG = "en"
_HEADER = re.compile(r"^# %%\s*(?P<role>\w+)(?P<attrs>.*)$")
_LANG = re.compile(r"^# %%%\s*(?P<lang>\S+)\s*$")
_ATTR = re.compile(r"(\w+)=(\S+)")


@dataclass(frozen=True)
class CellSpec:
    """One cell of a template: its role, attributes (``id``, ``criterion``, ``points``) and text."""

    role: str
    source: str
    attrs: dict[str, str] = field(default_factory=dict)
    #: a markdown cell's text in every language (``source`` is the one asked for); empty for code
    texts: dict[str, str] = field(default_factory=dict)

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


def split_cells(text: str, *, where: str, lang: str = DEFAULT_LANG) -> list[CellSpec]:
    """Split a rendered template into cells in ``lang``; text before the first header is ignored."""
    if lang not in LANGS:
        raise ConfigError(f"unknown language {lang!r} (known: {', '.join(LANGS)})", where=where)
    cells: list[CellSpec] = []
    role: str | None = None
    attrs: dict[str, str] = {}
    lines: list[str] = []
    start = 0
    for lineno, line in enumerate(text.splitlines(), start=1):
        match = _HEADER.match(line)
        if match is None:
            lines.append(line)
            continue
        if role is not None:
            cells.append(_cell(role, lines, attrs, lang=lang, where=f"{where}:{start}"))
        role, start = match["role"], lineno
        if role not in ROLES:
            raise ConfigError(f"unknown cell role {role!r} (known: {', '.join(ROLES)})", where=f"{where}:{lineno}")
        attrs = dict(_ATTR.findall(match["attrs"]))
        lines = []
    if role is not None:
        cells.append(_cell(role, lines, attrs, lang=lang, where=f"{where}:{start}"))
    _check_ids(cells, where)
    return cells


def _cell(role: str, lines: list[str], attrs: dict[str, str], *, lang: str, where: str) -> CellSpec:
    """One cell; a markdown cell keeps its ``lang`` block (``where``: the template line of its header)."""
    texts = language_blocks(lines, where=where)
    if role not in TEXT_ROLES:
        if texts:
            raise ConfigError(f"a {role} cell has language blocks: code is the same in every language "
                              "(write the text in a markdown cell)", where=where)
        return CellSpec(role, "\n".join(lines).strip("\n"), attrs)
    missing = [code for code in LANGS if not texts.get(code, "").strip()]
    if missing:
        # a missing translation fails the build (and the tests), never the candidate
        raise ConfigError(f"a {role} cell has no {' / '.join(missing)} text (write it under '# %%% "
                          f"{missing[0]}')", where=where)
    return CellSpec(role, texts[lang], attrs, texts)


def language_blocks(lines: list[str], *, where: str) -> dict[str, str]:
    """The cell's text per language, from its ``# %%% <lang>`` lines ({} when it has none)."""
    texts: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        match = _LANG.match(line)
        if match is None:
            if current is not None:
                current.append(line)
            elif line.strip():
                if any(_LANG.match(ln) for ln in lines):
                    raise ConfigError("text before the first language block ('# %%% fr' / '# %%% en')",
                                      where=where)
            continue
        code = match["lang"]
        if code not in LANGS:
            raise ConfigError(f"unknown language block {code!r} (known: {', '.join(LANGS)})", where=where)
        if code in texts:
            raise ConfigError(f"two {code} blocks in one cell", where=where)
        current = texts[code] = []
    return {code: "\n".join(body).strip("\n") for code, body in texts.items()}


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
