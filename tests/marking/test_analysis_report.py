"""`workbench analysis` on a real gradebook double-marked by three markers: the report in both languages."""

from __future__ import annotations

import re

import pytest

from tests.marking.conftest import MAP_PATH, levels_csv, write_rule
from tests.scores.factory import build_gradebook, map_cells
from workbench.cli import main

CANDIDATES = [f"c{i}" for i in range(8)]
M1 = [0, 1, 1, 2, 2, 3, 3, 3]
M2 = [0, 1, 2, 2, 2, 3, 3, 1]  # c7: 3 against 1 -> moderation
M3 = [2, 2, 2, 3, 3, 3, 3, 3]  # a lenient marker, on every cell too (c0: 0, 0 and 2 -> moderation)


def graded(i: int) -> dict:
    """Autograded cells: candidate i earns a growing share, the first check only from c4 on (a 0/1-like item)."""
    out = {}
    for j, (_, c) in enumerate(cell for cell in map_cells() if cell[1]["kind"] == "autograde"):
        share = (i >= 4) if j == 0 else min(1.0, (i + j) / 8)
        out[c["cell"]] = (c["points"] * share, None)
    return out


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("analysis")
    gradebook = root / "gradebook.db"
    build_gradebook(gradebook, {c: graded(i) for i, c in enumerate(CANDIDATES)})
    rule = write_rule(root / "marking.yml")
    common = ["-g", str(gradebook), "--map", str(MAP_PATH), "--marking", str(rule)]
    crits = ("B1.1.b", "B1.2.a", "B1.2.b", "B1.3.a", "B1.3.b")
    for marker, levels in (("m1", M1), ("m2", M2), ("m3", M3)):
        rows = [(c, k, lv, "") for c, lv in zip(CANDIDATES, levels) for k in crits]
        path = levels_csv(root / f"{marker}.csv", rows)
        assert main(["rubric", str(path), *common, "--marker", marker]) == 0
    mod = levels_csv(root / "moderation.csv", [("c7", "B1.1.b", 2, "argued but the GDPR point is missing")],
                     header="candidate,criterion,level,reason")
    assert main(["marking", "moderate", str(mod), *common, "--moderator", "mod"]) == 0
    for lang in ("fr", "en"):
        assert main(["analysis", *common, "--lang", lang, "--out", str(root / "out")]) == 0
    return root / "out"


def test_report_sections_figures_and_flags(report):
    html = (report / "analysis.en.html").read_text(encoding="utf-8")
    for title in ("Agreement between markers", "Moderation", "Harmonisation of markers", "Item analysis",
                  "Cronbach&#39;s alpha per competence"):
        assert title in html
    # m1/m2 on B1.1.b: 6 of 8 equal, c2 one level apart, c7 two (exact 0.75, adjacent 0.875)
    assert re.search(r"<td>B1\.1\.b</td><td>m1 / m2</td><td>8</td><td>0\.75</td><td>0\.88</td>", html)
    assert "Krippendorff&#39;s alpha (ordinal)" in html  # three markers
    # moderation: c7 moderated on B1.1.b with its reason; c7 still awaits on the other four criteria, c0 on all five
    assert "argued but the GDPR point is missing" in html
    assert html.count('<tr class="awaiting_moderation">') == 9
    # per criterion the cohort's mean is (15 + 14 + 21) / 24 = 2.083: m3 (2.625, +0.54) is flagged on each,
    # m1 (1.875, -0.21) and m2 (1.75, -0.33) are within the 0.5 margin
    assert re.findall(r'<tr class="flagged"><td>B1\.\d\.[ab]</td><td>(m\d)</td>', html) == ["m3"] * 5
    assert "<td>+0.54</td>" in html and "<td>-0.33</td>" in html
    assert html.count("data:image/png;base64,") == 3
    assert "1_1_collecte/collect_categories" in html and "point-biserial" in html


def test_french_report_and_csv_figures(report):
    html = (report / "analysis.fr.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in html and "Accord entre correcteurs" in html and "Analyse des items" in html
    assert "en attente de modération" in html and "Alpha de Cronbach par compétence" in html
    items = (report / "analysis_items.csv").read_text().splitlines()
    assert items[0] == "item,level,kind,criterion,max_points,n,difficulty,discrimination,method,flags"
    # the first check: earned by c4-c7 only, and those are the strongest: a point-biserial of 1/2 difficulty
    first = next(line for line in items if line.startswith("1_1_collecte/collect_categories,"))
    assert ",0.5," in first and "point-biserial" in first


def test_same_inputs_same_bytes(report, tmp_path):
    # the report has no date and fixed plot metadata: a second rendering is byte-identical
    before = (report / "analysis.en.html").read_bytes()
    gradebook = report.parent / "gradebook.db"
    assert main(["analysis", "-g", str(gradebook), "--map", str(MAP_PATH), "--marking",
                 str(report.parent / "marking.yml"), "--lang", "en", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "analysis.en.html").read_bytes() == before
