"""The main job, end to end on a small cohort, run twice: same decisions, no new audit versions."""

from __future__ import annotations

import csv
import json
import sqlite3

import pytest
from rich.console import Console

from workbench.demo import run_demo
from workbench.demo.cohort import load_flaws, plan_cohort

pytestmark = pytest.mark.slow


def test_cohort_plan_is_deterministic_and_mixes_reference_and_flaws():
    flaws = [f.id for f in load_flaws("cdnow_winback")]
    first, again = plan_cohort(size=32, flaw_ids=flaws), plan_cohort(size=32, flaw_ids=flaws)
    assert first == again
    variants = [c.variant for c in first]
    assert variants.count("reference") == 16
    assert set(variants) - {"reference"} == set(flaws[:16])
    assert len({c.id for c in first}) == 32


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    quiet = Console(file=open("/dev/null", "w"), width=120)
    first = run_demo(out=out, size=6, console=quiet)
    snapshot = {p.name: p.read_bytes() for p in (first.decisions_json, first.jury_csv)}
    second = run_demo(out=out, size=6, console=quiet)
    return first, second, snapshot


def test_demo_writes_reports_and_decides(two_runs):
    first, second, _ = two_runs
    assert second.jury_html.read_text(encoding="utf-8").count("data:image/png;base64,") >= 1
    decisions = json.loads(second.decisions_json.read_text(encoding="utf-8"))
    text = json.dumps(decisions)
    for cand in ("cand001", "cand006"):
        assert cand in text
    assert "intrus" not in text  # the stranger's submission is never collected nor decided
    feedback = sorted(p.name for p in second.feedback_dir.glob("*.html"))
    assert "cand001.fr.html" in feedback and "cand001.en.html" in feedback
    # nbgrader's feedback path: generated per candidate and notebook, released to the exchange
    pages = sorted((second.course_dir / "feedback" / "cand001" / "block1").glob("*.html"))
    assert [p.stem for p in pages] == ["1_1_collecte", "1_2_analyse", "1_3_visualisation"]
    page = pages[0].read_text(encoding="utf-8")
    assert "Automatic check — B1.1.a" in page and "Grade cell" not in page and "<code>collect_categories</code>" not in page
    assert list((second.course_dir.parent / "exchange").glob("*/feedback/*.html"))
    rows = list(csv.reader(second.jury_csv.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    by_cand = {r[0]: r for r in rows[1:]}
    assert len(by_cand) == 6
    # cand001 submits the reference solution and gets good rubric levels: block 1 is validated.
    assert by_cand["cand001"][1] == "validé"
    # cand002 submits a flawed solution whose rubric level is "partial": block 1 is not validated.
    assert by_cand["cand002"][1] == "non validé"


def test_second_run_gives_identical_decisions_and_no_new_version(two_runs):
    first, second, snapshot = two_runs
    assert second.decisions_json.read_bytes() == snapshot["decisions.json"]
    assert second.jury_csv.read_bytes() == snapshot["jury.fr.csv"]
    assert first.course_dir != second.course_dir  # a fresh course each time
    with sqlite3.connect(second.out / "decisions.db") as db:
        versions = dict(db.execute("select candidate, max(version) from workbench_decision group by candidate"))
    # identical inputs: the second run found every decision unchanged and recorded no new version
    assert versions == {f"cand{i:03d}": 1 for i in range(1, 7)}


def test_demo_double_marks_a_sample_moderates_one_cell_and_writes_the_analysis(two_runs):
    _, second, _ = two_runs
    inputs, reports = second.out / "inputs", second.out / "reports"
    marc = (inputs / "levels_marc.csv").read_text(encoding="utf-8").splitlines()
    assert 1 < len(marc) < len((inputs / "levels_helene.csv").read_text(encoding="utf-8").splitlines())
    html = (reports / "analysis.fr.html").read_text(encoding="utf-8")
    assert "Accord entre correcteurs" in html and "<td>helene / marc</td>" in html
    assert "Modérées (1)" in html and "En attente de modération (0)" in html
    assert "Item analysis" in (reports / "analysis.en.html").read_text(encoding="utf-8")
    with sqlite3.connect(second.out / "decisions.db") as db:
        # each run's course is marked apart in the audit store kept across runs: one moderation each
        assert db.execute("select count(*), count(distinct gradebook) from workbench_marking_moderation").fetchone() == (2, 2)


def test_demo_writes_the_minutes_and_shows_one_appeal(two_runs):
    _, second, _ = two_runs
    minutes = second.out / "reports" / "minutes"
    for lang in ("fr", "en"):
        assert (minutes / f"minutes-2026-06-v1.{lang}.html").is_file()
        assert (minutes / f"minutes-2026-06-v1.{lang}.pdf").read_bytes().startswith(b"%PDF-")
    with sqlite3.connect(second.out / "decisions.db") as db:
        # the second run found the same inputs: the minutes stay version 1
        assert db.execute("select session, version from workbench_minutes").fetchall() == [("2026-06", 1)]
        kinds = [k for (k,) in db.execute("select kind from workbench_appeal_event where appeal_id = 1 order by id")]
        assert kinds == ["opened", "regrade", "answer"]
        assert db.execute("select state from workbench_appeal where id = 1").fetchone() == ("closed",)
