"""The block-1 exercise set: nbgrader notebooks generated from templates and grading data.

``workbench exercises build`` renders ``exercises/templates`` for a scenario and writes the
released data (``released``): the public scenario facts and the tables notebooks 1.2 and 1.3
start from, read in the candidate's kernel by ``workbench_candidate.data``.
"""
