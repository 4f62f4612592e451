"""Board deck: a candidate's visualisation notebook as self-contained reveal.js slides and a PDF, no code."""

from workbench.deck.build import Deck, Figure, Slide, parse_captions, plan_deck
from workbench.deck.export import export_deck
from workbench.deck.pdf import print_pdf

__all__ = ["Deck", "Figure", "Slide", "export_deck", "parse_captions", "plan_deck", "print_pdf"]
