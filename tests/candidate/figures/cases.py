"""Figures of a test module, built by name and rendered once, as the candidate's display renders them."""

from __future__ import annotations

import functools
from typing import Callable

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402

from workbench_candidate.figures import render_svg  # noqa: E402


def svg_of(figures: dict[str, Callable[[], object]]) -> Callable[[str], str]:
    """A cached ``svg(case)``: the SVG of ``figures[case]()``, every figure closed after it."""

    @functools.cache
    def svg(case: str) -> str:
        try:
            return render_svg(figures[case]())
        finally:
            plt.close("all")

    return svg
