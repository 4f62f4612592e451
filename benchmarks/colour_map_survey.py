"""The colour-bar survey behind the colour-map explanations of ``mutation_equivalent.yml``.

Draws every matplotlib and seaborn colour map as seaborn's ``heatmap(center=0)`` shows it (the
map around the centre, cut to the values: 11 centres from 1:9 to 9:1), judges each bar with
B1.3.a's colour-map rule (``figures.rules._colour_map``), and counts the verdicts that change when
one detail of the rule changes (the mirrored steps averaged, the chroma floor, the comparisons).
The variants need a copy of the rule with those details as parameters: the copy is first held to
the rule itself on every bar, so a rule changed without its copy stops the survey.

Run: ``.venv/bin/python benchmarks/colour_map_survey.py``.
"""

from __future__ import annotations

import sys
from collections import Counter
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.colors import Normalize  # noqa: E402

from workbench_candidate.figures import _colour as col  # noqa: E402
from workbench_candidate.figures.rules import _colour_map, config  # noqa: E402

CFG = config()["clarity"]
SAMPLES = 65  # as _colour_map samples a colour bar
CENTRES = [(-1, 1), (-1, 2), (-1, 3), (-1, 4), (-1, 6), (-1, 9), (-2, 1), (-3, 1), (-4, 1), (-6, 1), (-9, 1)]
# mutmut's mutant of _colour_map -> the detail it changes, as a parameter of variant()
MUTANTS = {"61 start 0": dict(start=0), "63 start 2": dict(start=2), "64 end -1": dict(end_off=-1),
           "71 n-2": dict(end_n=2), "76 div 4": dict(div=4), "99 floor 1": dict(floor=1.000000001),
           "102 <=": dict(split_le=True), "55 >=": dict(chroma_ge=True)}


def bars() -> list[tuple[str, int, int, np.ndarray]]:
    """(map, lowest value, highest value, the bar's RGB colours) as seaborn's center=0 cuts them."""
    out = []
    for name in sorted(set(plt.colormaps()) | {"vlag", "icefire", "vlag_r", "icefire_r"}):
        cmap = plt.get_cmap(name) if name in plt.colormaps() else sns.color_palette(name, as_cmap=True)
        for lo, hi in CENTRES:
            reach = max(hi, -lo)
            a, b = Normalize(-reach, reach)([lo, hi])
            out.append((name, lo, hi, cmap(np.linspace(a, b, SAMPLES))[:, :3]))
    return out


def rule(rgb: np.ndarray) -> str:
    """The product's verdict on a colour bar of these colours."""
    bar = SimpleNamespace(colourbar=SimpleNamespace(range=(0.0, 1.0), values=np.linspace(0, 1, len(rgb)),
                                                    colours=rgb))
    faults = _colour_map(bar, CFG)
    return "ok" if not faults else "red_green" if "red against green" in faults[0].en else "rainbow"


def variant(rgb: np.ndarray, *, start=1, end_off=1, end_n=1, div=3, floor=1e-9, split_le=False,
            chroma_ge=False) -> str:
    """_colour_map's verdict with one detail changed (the defaults are the rule's)."""
    turns = col.lightness_turns(rgb, CFG["lightness_hysteresis"])
    if turns != 1:
        return "rainbow" if turns >= 2 else "ok"
    lab = col.lab(rgb)
    k = int(np.argmax(np.abs(lab[:, 0] - np.linspace(lab[0, 0], lab[-1, 0], len(lab)))))
    chroma = float(np.hypot(lab[k, 1], lab[k, 2]))
    if chroma >= CFG["max_centre_chroma"] if chroma_ge else chroma > CFG["max_centre_chroma"]:
        return "rainbow"
    steps = np.arange(start, min(k, len(rgb) - end_n - k) + end_off)
    far = steps[len(steps) // div:]
    for matrix in (col.PROTAN, col.DEUTAN):
        ab = col.lab(col.simulate(rgb, matrix))[:, 1:]
        low, high = ab[k - far], ab[k + far]
        larger = np.maximum(np.hypot(*low.T), np.hypot(*high.T))
        split = float(np.mean(np.hypot(*(low - high).T) / np.maximum(larger, floor)))
        if split <= CFG["min_diverging_split"] if split_le else split < CFG["min_diverging_split"]:
            return "red_green"
    return "ok"


def main() -> int:
    surveyed = bars()
    base = [rule(rgb) for *_, rgb in surveyed]
    stale = [(n, lo, hi) for (n, lo, hi, rgb), b in zip(surveyed, base) if variant(rgb) != b]
    if stale:
        print(f"the survey's copy of _colour_map disagrees with the rule on {len(stale)} bars, "
              f"e.g. {stale[:3]}: update variant()", file=sys.stderr)
        return 1
    print(len(surveyed), "colour bars:", dict(Counter(base)))
    for label, change in MUTANTS.items():
        moved = [(n, lo, hi, b) for (n, lo, hi, rgb), b in zip(surveyed, base) if variant(rgb, **change) != b]
        print(f"mutant {label}: {len(moved)} verdicts change", moved[:6])
    print("red_green maps:", sorted({n for (n, *_), b in zip(surveyed, base) if b == "red_green"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
