"""Marking quality: double marking of rubric cells, moderation, agreement, harmonisation, item analysis.

Fed by the rubric import (:mod:`workbench.scores.rubric_import`), it feeds the scores and the
validator: a final level is written into the gradebook, and a cell awaiting moderation leaves
its criterion *awaiting moderation* (decided like *not evaluated*). Rules are data:
``grading/marking.yml`` and ``grading/item_analysis.yml``.
"""
