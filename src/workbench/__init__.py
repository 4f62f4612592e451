"""Block-1 analytics workbench.

The package follows the grading pipeline, one subpackage per step::

    referentiel, datasets -> scenarios -> exercises -> autograde -> course -> scores
    -> marking -> validator -> reports -> deliberation, deck -> demo, and a thin ``cli``

(the checks are the candidate's package, ``workbench_candidate``, and the judge in ``autograde``).
A step imports only the steps below it: ``[tool.importlinter]`` in pyproject.toml.
"""

__version__ = "0.1.0"
