"""The colour-bar survey behind the colour-map explanations of ``mutation_equivalent.yml``.

Draws every matplotlib and seaborn colour map as seaborn's ``heatmap(center=0)`` shows it (the
map around the centre, cut to the values: 11 centres from 1:9 to 9:1) and counts the verdicts of
B1.3.a's colour-map rule that change when one detail of the rule changes (the mirrored steps
averaged, the chroma floor, the comparisons). Run: ``.venv/bin/python benchmarks/colour_map_survey.py``.
"""
import numpy as np, matplotlib; matplotlib.use("Agg")
import matplotlib.pyplot as plt, seaborn as sns
from matplotlib.colors import Normalize
from workbench_candidate.figures import _colour as col
from workbench_candidate.figures.rules import config
cfg = config()["clarity"]
def verdict(rgb, start=1, end_off=1, endn=1, div=3, floor=1e-9, le=False, chroma_ge=False):
    turns = col.lightness_turns(rgb, cfg["lightness_hysteresis"])
    if turns >= 2: return "rainbow"
    if turns == 0: return "ok"
    lab = col.lab(rgb); chord = np.linspace(lab[0,0], lab[-1,0], len(lab)); k = int(np.argmax(np.abs(lab[:,0]-chord)))
    c = float(np.hypot(lab[k,1], lab[k,2]))
    if (c >= cfg["max_centre_chroma"]) if chroma_ge else (c > cfg["max_centre_chroma"]): return "rainbow"
    steps = np.arange(start, min(k, len(rgb) - endn - k) + end_off)
    far = steps[len(steps)//div:]
    for m in (col.PROTAN, col.DEUTAN):
        ab = col.lab(col.simulate(rgb, m))[:, 1:]
        low, high = ab[k-far], ab[k+far]
        ch = np.maximum(np.hypot(*low.T), np.hypot(*high.T))
        split = float(np.mean(np.hypot(*(low-high).T) / np.maximum(ch, floor)))
        if (split <= cfg["min_diverging_split"]) if le else (split < cfg["min_diverging_split"]): return "red_green"
    return "ok"
names = sorted(set(plt.colormaps()) | {"vlag","icefire","vlag_r","icefire_r"})
bars = []
for name in names:
    cm = plt.get_cmap(name) if name in plt.colormaps() else sns.color_palette(name, as_cmap=True)
    for lo, hi in [(-1,1),(-1,2),(-1,3),(-1,4),(-1,6),(-1,9),(-2,1),(-3,1),(-4,1),(-6,1),(-9,1)]:
        vr = max(hi, -lo); a, b = Normalize(-vr, vr)([lo, hi])
        bars.append((name, lo, hi, cm(np.linspace(a, b, 65))[:, :3]))
base = [verdict(r) for *_, r in bars]
from collections import Counter
print(len(bars), Counter(base))
muts = {"61 start 0": dict(start=0), "63 start 2": dict(start=2), "64 end -1": dict(end_off=-1), "71 n-2": dict(endn=2),
        "76 div 4": dict(div=4), "99 floor 1": dict(floor=1.000000001), "102 <=": dict(le=True), "55 >=": dict(chroma_ge=True)}
for label, kw in muts.items():
    diff = [(n, lo, hi, b0) for (n, lo, hi, r), b0 in zip(bars, base) if verdict(r, **kw) != b0]
    print(label, len(diff), diff[:6])
print("red_green maps:", sorted({n for (n,*_), b in zip(bars, base) if b == "red_green"}))
