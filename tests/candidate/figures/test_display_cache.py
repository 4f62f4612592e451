"""A self-check reads the SVG the notebook displayed, and never a stale one."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from workbench_candidate.figures import display  # noqa: E402


def test_a_figure_is_drawn_once_until_it_changes() -> None:
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    first = display.render_svg(fig)
    assert display.render_svg(fig) is first  # reused, not drawn again
    ax.set_title("Changed")
    changed = display.render_svg(fig)
    assert changed is not first and "Changed" in changed
    plt.close(fig)


def test_the_displayed_svg_is_what_the_self_check_reads() -> None:
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [0, 1, 4])
    shown = display._remembering(lambda f: "<svg>as displayed</svg>")(fig)
    fig.stale = False
    assert display.render_svg(fig) == shown == "<svg>as displayed</svg>"
    plt.close(fig)
