"""Board deck: a candidate's visualisation notebook as reveal.js slides, figures and summary, no code."""

from workbench.deck.build import Deck, export_deck, plan_deck

__all__ = ["Deck", "export_deck", "plan_deck"]
