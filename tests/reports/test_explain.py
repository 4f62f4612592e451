"""The jury report explains each decision: summary, failing criteria with evidence, a borderline flag that means something."""

from __future__ import annotations

import re

import pytest

from tests.scores.factory import MAP_PATH, build_gradebook, full_marks, with_levels
from workbench.errors import ConfigError
from workbench.referentiel import load_referentiel, load_rubrics
from workbench.reports.build import borderline, summary
from workbench.reports.explain import explanations
from workbench.reports.render import render_jury
from workbench.validator.policy import load_policy
from workbench.validator.run import build_decisions

REF, RUBRICS = load_referentiel(), load_rubrics()


@pytest.fixture(scope="module")
def decided(tmp_path_factory):
    """ana: full title, blocks 2-5 all *exactly at* the threshold; eve: B1 failed on B1.1.a (far) and B1.2.a (close);
    fay: B2 given for one criterion only (the jury's sheet lost the others)."""
    root = tmp_path_factory.mktemp("explain")
    low = with_levels(2)
    low["collect_categories"] = (0.0, None)  # B1.1.a: 0, far below
    low["segmentation_rubric"] = (None, 1)  # B1.2.a: (1 + 2/3) / 3 = 0.56, close below
    build_gradebook(root / "gradebook.db", {"ana": with_levels(3), "eve": low, "fay": full_marks()})
    rows = ["candidate;criterion;level;comment"]
    rows += [f"ana;{k};satisfaisant;" for b in ("B2", "B3", "B4", "B5") for k in REF.criterion_ids(b)]
    rows += [f"eve;{k};satisfaisant;" for k in REF.criterion_ids("B2")]
    rows[-1] = rows[-1].replace("satisfaisant;", "insuffisant;Soutenance non présentée")
    rows.append("fay;B2.1.a;excellent;")
    (root / "jury.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return build_decisions(gradebook=root / "gradebook.db", criterion_map=MAP_PATH, jury=root / "jury.csv")


def test_jury_levels_at_the_threshold_are_not_borderline(decided):
    rows = borderline(decided, 0.1)
    assert not [r for r in rows if r["candidate"] == "ana"]  # 27 jury criteria at 2/3 exactly: no flag
    assert all(r["block"] == "B1" or r["side"] == "jury_incomplete" for r in rows)


def test_incomplete_jury_input_is_borderline(decided):
    rows = [r for r in borderline(decided, 0.1) if r["candidate"] == "fay"]
    assert [(r["block"], r["side"]) for r in rows] == [("B2", "jury_incomplete")]
    assert rows[0]["criterion"].startswith("B2.1.b, B2.2.a") and "B2.1.a" not in rows[0]["criterion"]


def test_block1_margin_decides_the_flag(decided):
    # eve's B1.2.a is close below, but B1.1.a is far below: a step up on B1.2.a would not save the block
    assert not [r for r in borderline(decided, 0.12) if r["candidate"] == "eve"]
    wide = [r for r in borderline(decided, 0.7) if r["candidate"] == "eve"]
    assert [(r["criterion"], r["side"]) for r in wide] == [("B1.1.a", "just_below"), ("B1.2.a", "just_below")]


def test_summary_counts_titles_partials_and_blocks(decided):
    s = summary(decided)
    assert (s["candidates"], s["full"], s["partial"], s["none"]) == (3, 1, 1, 1)
    assert s["blocks"]["B1"] == {"validated": 2, "not_validated": 1, "not_evaluated": 0, "awaiting_moderation": 0}
    assert s["blocks"]["B2"] == {"validated": 1, "not_validated": 1, "not_evaluated": 1, "awaiting_moderation": 0}


def test_each_candidate_without_title_has_one_row_with_failures_and_evidence(decided):
    rows = {r["candidate"]: r for r in explanations(decided, ref=REF, rubrics=RUBRICS, lang="fr",
                                                       names={"eve": "Martin Ève"},
                                                       review={"eve": ["1_1_collecte/collect_categories"]})}
    assert set(rows) == {"eve", "fay"}  # ana has the full title
    eve = rows["eve"]
    assert eve["name"] == "Martin Ève"
    failed = {f["criterion"]: f for f in eve["failures"]}
    assert set(failed) == {"B1.1.a", "B1.2.a", "B2.4.f"}
    b11a = failed["B1.1.a"]
    assert b11a["competence"] == "B1.1" and b11a["score"] < b11a["threshold"] == pytest.approx(2 / 3)
    assert b11a["evidence"] == ["1_1_collecte/collect_categories (corrigé automatiquement) 0/3 · à examiner"]
    b12a = failed["B1.2.a"]["evidence"]  # autograded and rubric cells, with the rubric level reached
    assert "1_2_segmentation/segment_scaling (corrigé automatiquement) 2/2" in b12a
    assert "1_2_segmentation/segmentation_rubric (grille) 1/3 · Partiel" in b12a
    assert failed["B2.4.f"]["evidence"] == ["jury : Insuffisant — Soutenance non présentée"]
    assert {p["block"] for p in eve["pending"]} == {"B3", "B4", "B5"}
    fay = rows["fay"]
    assert fay["failures"] == [] and any("B2.1.b" in why for p in fay["pending"] for why in p["why"])


def test_report_title_names_course_and_session_and_rows_show_names(decided):
    html, csv_text = render_jury(decided, ref=REF, rubrics=RUBRICS, lang="en", margin=0.1,
                                 names={"eve": "Martin Ève"}, course="cert-b1", session="2026-06")
    assert re.search(r"<title>Jury report — .+ — Course cert-b1 · Session 2026-06</title>", html)
    assert "<td>Martin Ève</td>" in html and "Martin Ève" in csv_text
    assert "Full titles" in html and "Why the title is not full" in html
    assert "< threshold" not in html and "&lt; threshold 0.67" in html
    assert html.count("<script>") == 1 and "http" not in html.split("<script>")[1]  # inline, no CDN


def test_plots_have_titles_and_text_alternatives(decided):
    html, _ = render_jury(decided, ref=REF, rubrics=RUBRICS, lang="fr", margin=0.1)
    alts = re.findall(r'<img alt="([^"]+)"', html)
    assert len(alts) == 3 and all(len(a) > 40 for a in alts)
    assert any("B1.1.a : candidats évalués 3" in a for a in alts)


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def test_text_colours_contrast_at_least_4_5_on_white_and_header_grey():
    from workbench.reports import plots
    from workbench.reports.render import TEMPLATES

    css = (TEMPLATES / "base.html.j2").read_text(encoding="utf-8")
    found = re.findall(r"(?<![-\w])color:\s*#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", css)
    colours = {"#" + (c if len(c) == 6 else "".join(ch * 2 for ch in c)).lower() for c in found} | {plots.THRESHOLD}
    assert "#666666" in colours and len(colours) >= 6  # the 'not evaluated' grey (was #777, 4.48:1) is checked
    for bg in ("#ffffff", "#f3f3f3"):
        for c in colours:
            hi, lo = sorted((_luminance(c), _luminance(bg)), reverse=True)
            assert (hi + 0.05) / (lo + 0.05) >= 4.5, (c, bg)


def test_policy_is_validated_on_load(tmp_path):
    assert load_policy().borderline.margin == 0.1
    bad = tmp_path / "deliberation.yml"
    bad.write_text("borderline: {margin: 1.5}\njury: {min_external_share: 0.5}\nretention: {years: 5}\n")
    with pytest.raises(ConfigError, match=r"deliberation.yml.*borderline.margin"):
        load_policy(bad)


def test_needs_review_list_reads_the_autograde_journal(decided, tmp_path):
    from workbench.autograde.journal import Journal
    from workbench.autograde.runner import journal_path
    from workbench.reports.review import journal_flags

    assert journal_flags(tmp_path) == {} and not journal_path(tmp_path).exists()  # reading creates nothing
    journal = Journal(journal_path(tmp_path))
    for student, status, detail, retries in [("eve", "needs-review", "1_1_collecte/collect_categories: hand-over "
                                              "altered", 0), ("fay", "ok", "", 2), ("ana", "ok", "", 0)]:
        journal.start("block1", student, "fp")
        journal.finish("block1", student, status=status, detail=detail, score=1.0, max_score=2.0,
                       infra_retries=retries, seconds=1.0)
    journal.close()
    flags = journal_flags(tmp_path)
    assert flags == {"eve": ["needs-review: 1_1_collecte/collect_categories: hand-over altered"],
                     "fay": ["infrastructure retries: 2"]}
    html, _ = render_jury(decided, ref=REF, rubrics=RUBRICS, lang="en", margin=0.1, flags=flags,
                          review={"eve": ["1_1_collecte/collect_categories"]})
    section = html.split('<h2 id="review">')[1].split("</table>")[0]
    assert "<td>1_1_collecte/collect_categories</td><td>needs-review: 1_1_collecte/collect_categories: hand-over" \
        in section
    assert "(fay)</td><td>—</td><td>infrastructure retries: 2</td>" in section and "(ana)" not in section
