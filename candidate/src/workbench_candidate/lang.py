"""One language for everything a candidate reads: the course's, ``fr`` or ``en``.

The course language is written into each assignment's released ``data/course.yml`` (``lang:``)
by ``workbench course create``; ``WORKBENCH_LANG`` overrides it (a practice notebook outside a course);
English otherwise. The frame's sentences are catalogued in ``messages.yml`` (both languages,
tested); long messages are wrapped so that the Validate dialog and the feedback never cut them.
"""

from __future__ import annotations

import os
import string
import textwrap
from functools import lru_cache
from pathlib import Path

import yaml

LANGS = ("fr", "en")
DEFAULT = "en"
CATALOGUE = Path(__file__).with_name("messages.yml")
COURSE_FILE = "course.yml"
WIDTH = 78  # nbgrader's Validate cuts lines at 87 characters (width 90, minus "..."), indent included


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """Every message id -> {lang: template}, read once."""
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    return {str(k): {str(lang): str(t) for lang, t in v.items()} for k, v in data.items()}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def message(key: str, lang: str, **values: object) -> str:
    """The catalogued message ``key`` in ``lang``, filled with ``values``."""
    return catalogue()[key][lang if lang in LANGS else DEFAULT].format(**values)


def pick(en: str, fr: str, lang: str) -> str:
    """One of a bilingual pair (rule messages carry both)."""
    return fr if lang == "fr" else en


def course_lang(data_dir: str | Path = "data") -> str:
    """The language of the course this notebook belongs to."""
    env = os.environ.get("WORKBENCH_LANG", "").strip().lower()
    if env in LANGS:
        return env
    return released_lang(data_dir)


def released_lang(data_dir: str | Path = "data") -> str:
    """The language the released ``data/course.yml`` names (the course's), English by default."""
    return _released_lang(str(Path(data_dir).resolve()))


def _released_lang(folder: str) -> str:  # read at each call: a few bytes, never stale
    try:
        data = yaml.safe_load((Path(folder) / COURSE_FILE).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return DEFAULT
    lang = str(data.get("lang", DEFAULT)).lower() if isinstance(data, dict) else DEFAULT
    return lang if lang in LANGS else DEFAULT


def wrap(text: str, *, indent: str = "  ") -> str:
    """Wrap each line of ``text`` at :data:`WIDTH`, continuation lines indented."""
    out = []
    for line in text.splitlines() or [""]:
        lead = line[: len(line) - len(line.lstrip())]
        out.append(textwrap.fill(line, WIDTH, subsequent_indent=lead + indent, break_on_hyphens=False,
                                 break_long_words=False) if len(line) > WIDTH else line)
    return "\n".join(out)


def capital(text: str) -> str:
    """A rule's sentence starts lowercase (it follows a mark); a line of its own starts uppercase."""
    return text[:1].upper() + text[1:]
