"""Block-1 analytics workbench.

The package follows the grading pipeline, one subpackage per step::

    datasets -> scenarios -> checks -> exercises -> autograde -> scores
    -> validator -> reports, with course/demo/deck on top and a thin ``cli``.
"""

__version__ = "0.1.0"
