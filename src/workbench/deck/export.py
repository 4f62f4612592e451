"""``export_deck``: notebook → self-contained HTML deck (and its PDF)."""

from __future__ import annotations

from pathlib import Path

from workbench.deck.build import Deck, plan_deck, read_notebook
from workbench.deck.pdf import CHROMIUM, print_pdf
from workbench.deck.render import render_deck


def export_deck(*, notebook: Path | str, out: Path | str, pdf: Path | str | None = None,
                lang: str = "en", chromium: Path | str = CHROMIUM) -> Deck:
    """Export ``notebook`` to a self-contained reveal.js deck at ``out``, and to ``pdf`` when given.

    Raises
    ------
    InputError
        Unreadable notebook, no figure, no captions (then nothing is written).
    ConfigError
        A PDF is asked for and chromium is missing (the HTML is already written).
    """
    notebook, out = Path(notebook), Path(out)
    deck = plan_deck(read_notebook(notebook), where=str(notebook))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_deck(deck, lang=lang), encoding="utf-8")
    if pdf is not None:
        print_pdf(html=out, out=pdf, chromium=chromium)
    return deck
