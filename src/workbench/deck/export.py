"""``export_deck``: notebook → self-contained HTML deck (and its PDF)."""

from __future__ import annotations

from pathlib import Path

from workbench.deck.build import DEFAULT_LANG, WORDS, Deck, notebook_lang, plan_deck, read_notebook
from workbench.errors import InputError
from workbench.deck.pdf import CHROMIUM, print_pdf
from workbench.deck.render import render_deck


def export_deck(*, notebook: Path | str, out: Path | str, pdf: Path | str | None = None,
                lang: str | None = None, chromium: Path | str = CHROMIUM) -> Deck:
    """Export ``notebook`` to a self-contained reveal.js deck at ``out``, and to ``pdf`` when given.

    ``lang`` (``fr``/``en``) is the language of the deck's own words; by default the course's
    (the released ``data/course.yml`` beside the notebook, else the notebook's build language),
    else English.

    Raises
    ------
    InputError
        Unreadable notebook, no figure, no captions (then nothing is written).
    ConfigError
        A PDF is asked for and chromium is missing (the HTML is already written).
    """
    notebook, out = Path(notebook), Path(out)
    if lang is not None and lang not in WORDS:
        raise InputError(f"unknown deck language {lang!r}: use one of {', '.join(WORDS)}")
    nb = read_notebook(notebook)
    lang = lang or notebook_lang(notebook, nb) or DEFAULT_LANG
    deck = plan_deck(nb, where=str(notebook), lang=lang)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_deck(deck, lang=lang), encoding="utf-8")
    if pdf is not None:
        print_pdf(html=out, out=pdf, chromium=chromium)
    return deck
