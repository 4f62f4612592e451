"""The block-1 exercise set: nbgrader notebooks generated from templates and grading data.

``workbench exercises build`` renders ``exercises/templates`` for a scenario; ``support`` holds
the read-only helpers the notebooks call.
"""
