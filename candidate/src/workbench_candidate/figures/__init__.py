"""Figures judged on the SVG the notebook displays: display settings, the SVG reader, the rules.

The same code runs in the candidate's self-check (on ``render_svg(fig)``) and in the judge (on the
displayed SVG), so the self-check is honest about grading.
"""

from .display import SVG_RC, configure, render_svg
from .rules import adequacy, clarity
from .svgread import read_svg
from .view import FigureView

__all__ = ["SVG_RC", "FigureView", "adequacy", "clarity", "configure", "read_svg", "render_svg"]
