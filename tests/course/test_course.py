"""Course set-up, release, submission as simulated candidates, collect: through nbgrader's real exchange."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.course import collect, create_course, fetch_as, list_candidates, read_course, release, submit_as
from workbench.errors import InputError

from .conftest import FIXTURES

pytestmark = pytest.mark.slow
NBGRADER = [sys.executable, "-m", "nbgrader"]


def answer(tmp_path: Path, work: Path, code: str) -> Path:
    """A copy of the fetched notebook with the solution cell replaced by ``code``."""
    nb = json.loads((work / "warmup.ipynb").read_text())
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "churn_rate":
            cell["source"] = code
    out = tmp_path / "answers"
    out.mkdir(exist_ok=True)
    (out / "warmup.ipynb").write_text(json.dumps(nb))
    return out


def test_course_folder_is_plain_nbgrader(course_dir):
    info = read_course(course_dir)
    assert info.course_id == "cert-b1" and info.db_url == f"sqlite:///{course_dir}/gradebook.db"
    assert stat.S_IMODE(os.stat(info.exchange).st_mode) == 0o777
    assert (info.outbound / "warmup" / "warmup.ipynb").is_file()
    config = (course_dir / "nbgrader_config.py").read_text()
    assert "nbgrader.preprocessors.ClearHiddenTests" in config
    assert [c.candidate_id for c in list_candidates(db_url=info.db_url, course_id="cert-b1")] == [
        "c001", "c002", "c003"]
    # The released (student) version has no solution and no hidden test.
    released = (info.outbound / "warmup" / "warmup.ipynb").read_text()
    assert "raise NotImplementedError" in released and "churn_rate(3, 3)" not in released


def test_submit_resubmit_unknown_and_collect(course_dir, tmp_path):
    work = fetch_as(course_dir=course_dir, candidate="c001", assignment="warmup")
    first = submit_as(course_dir=course_dir, candidate="c001", assignment="warmup",
                      notebook_dir=answer(tmp_path, work, "def churn_rate(a, b):\n    return 0"))
    latest = submit_as(course_dir=course_dir, candidate="c001", assignment="warmup",
                       notebook_dir=answer(tmp_path, work, "def churn_rate(a, b):\n    return 100 * a / b"))
    submit_as(course_dir=course_dir, candidate="c002", assignment="warmup")
    intruder = submit_as(course_dir=course_dir, candidate="x999", assignment="warmup", listed_only=False)

    report = collect(course_dir=course_dir, assignment="warmup")
    assert report.collected == {"c001": latest.timestamp, "c002": report.collected["c002"]}
    assert report.earlier == {"c001": [first.timestamp]}
    assert report.missing == ["c003"]
    assert report.unknown == {"x999": [intruder.path]}
    text = "\n".join(report.lines())
    assert "c001 submitted 2 times: collected the latest" in text
    assert "'x999' is not on the candidate list: 1 submission(s) not collected" in text
    # Latest wins in submitted/, the earlier one and the unknown one stay in the exchange.
    graded = (course_dir / "submitted" / "c001" / "warmup" / "warmup.ipynb").read_text()
    assert "100 * a / b" in graded
    assert first.path.is_dir() and intruder.path.is_dir()
    assert not (course_dir / "submitted" / "x999").exists()


def test_nbgrader_commands_work_unchanged(course_dir):
    """A candidate's own `nbgrader submit` (their HOME, their config), then `nbgrader autograde`."""
    work = fetch_as(course_dir=course_dir, candidate="c003", assignment="warmup")
    env = {**os.environ, "HOME": str(work.parent), "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    run = subprocess.run([*NBGRADER, "submit", "warmup"], cwd=work.parent, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert list(read_course(course_dir).inbound.glob("c003+warmup+*"))
    collect(course_dir=course_dir, assignment="warmup")
    env["HOME"] = str(course_dir)
    run = subprocess.run([*NBGRADER, "autograde", "warmup", "--student", "c003"], cwd=course_dir, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert (course_dir / "autograded" / "c003" / "warmup" / "warmup.ipynb").is_file()
    # Feedback on the untouched notebook (a failed test): no hidden test, not even in the traceback.
    run = subprocess.run([*NBGRADER, "generate_feedback", "warmup", "--student", "c003"], cwd=course_dir,
                         env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    html = (course_dir / "feedback" / "c003" / "warmup" / "warmup.html").read_text()
    text = re.sub(r"<[^>]+>", "", html)
    assert "NotImplementedError" in text and "churn_rate(1, 4)" in text
    assert "HIDDEN" not in text and "churn_rate(3, 3)" not in text


def test_wrong_course_id_is_named(course_dir):
    with pytest.raises(InputError, match="wrong course id 'cert-b2': this folder is course 'cert-b1'"):
        collect(course_dir=course_dir, assignment="warmup", course_id="cert-b2")
    with pytest.raises(InputError, match="invalid course id"):
        create_course(course_dir=course_dir.parent / "other", course_id="cert+b1",
                      candidates_csv=FIXTURES / "candidates.csv", source=FIXTURES / "source")


def test_collect_with_nothing_submitted(tmp_path):
    root = tmp_path / "empty"
    create_course(course_dir=root, course_id="empty", candidates_csv=FIXTURES / "candidates.csv",
                  source=FIXTURES / "source")
    release(course_dir=root, assignment="warmup")
    with pytest.raises(InputError, match="nothing to collect: no submission of 'warmup'"):
        collect(course_dir=root, assignment="warmup")


def test_bad_candidate_list_creates_nothing(tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("candidate_id,last_name,first_name,email\nc001,a,b,\nc001,c,d,\n")
    with pytest.raises(InputError, match="line 3: duplicate candidate_id"):
        create_course(course_dir=tmp_path / "c", course_id="c", candidates_csv=csv, source=FIXTURES / "source")
    assert not (tmp_path / "c").exists()


def test_course_inside_repo_is_refused(repo_root):
    with pytest.raises(InputError, match="outside the repository"):
        create_course(course_dir=repo_root / "out" / "course", course_id="c",
                      candidates_csv=FIXTURES / "candidates.csv", source=FIXTURES / "source")


def test_cli_create_and_reimport(tmp_path):
    from click.testing import CliRunner

    from workbench.course.cli import course

    runner = CliRunner()
    res = runner.invoke(course, ["create", "--course-id", "cli1", "--dir", str(tmp_path / "c"),
                                 "--candidates", str(FIXTURES / "candidates.csv"),
                                 "--source", str(FIXTURES / "source")])
    assert res.exit_code == 0, res.output
    assert "candidates:  3" in res.output
    more = tmp_path / "more.csv"
    more.write_text("candidate_id;last_name;first_name;email\nc004;Roux;Zoé;\n", encoding="utf-8")
    res = runner.invoke(course, ["candidates", "import", "--dir", str(tmp_path / "c"), str(more)])
    assert res.exit_code == 0 and "1 candidate(s) imported" in res.output
    info = read_course(tmp_path / "c")
    assert len(list_candidates(db_url=info.db_url, course_id="cli1")) == 4


def test_workbench_cli_reports_bad_rows_in_one_message(tmp_path, capsys):
    from workbench.cli import main

    csv = tmp_path / "bad.csv"
    csv.write_text("candidate_id;last_name;first_name;email\n;a;b;\nc 2;c;d;\n", encoding="utf-8")
    code = main(["course", "create", "--course-id", "c", "--dir", str(tmp_path / "c"), "--candidates", str(csv),
                 "--source", str(FIXTURES / "source")])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "2 bad row(s), nothing imported" in err and "line 2: empty candidate_id" in err and "line 3:" in err
    assert not (tmp_path / "c").exists()


def test_workbench_cli_collect_nothing_submitted(course_dir, tmp_path, capsys):
    from workbench.cli import main

    assert main(["course", "collect", "--dir", str(course_dir), "ps-none"]) == 2
    assert "nothing to collect: no submission of 'ps-none'" in capsys.readouterr().err


# -- clear refusals (issue 19) ----------------------------------------------------------------------

def test_create_with_a_mistyped_scenario_leaves_nothing(tmp_path, capsys):
    from workbench.cli import main

    code = main(["course", "create", "--course-id", "c", "--dir", str(tmp_path / "c"),
                 "--candidates", str(FIXTURES / "candidates.csv"), "--scenario", "cdnow_winbak"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and "cdnow_winbak" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "c").exists()


def test_submit_as_someone_not_on_the_list_is_refused(course_dir, capsys):
    from workbench.cli import main

    code = main(["course", "submit-as", "--dir", str(course_dir), "--candidate", "c0O1", "warmup"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "candidate 'c0O1' is not on the candidate list of course 'cert-b1'" in err
    assert not list(read_course(course_dir).inbound.glob("c0O1+*"))
    assert not (course_dir / "candidate_homes" / "c0O1").exists()


def test_import_refuses_an_id_differing_only_in_case_from_the_course(course_dir, tmp_path, capsys):
    from workbench.cli import main

    more = tmp_path / "more.csv"
    more.write_text("candidate_id;last_name;first_name;email\nc005;Roux;Zoé;\nC001;Dupont;Jean;\n", encoding="utf-8")
    info = read_course(course_dir)
    before = list_candidates(db_url=info.db_url, course_id="cert-b1")
    code = main(["course", "candidates", "import", "--dir", str(course_dir), str(more)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert f"{more}: candidate ids are unique regardless of case: 'C001' is already in the course as 'c001'" in err
    assert list_candidates(db_url=info.db_url, course_id="cert-b1") == before  # nothing imported


def test_collect_reports_a_bad_submission_and_collects_the_others(tmp_path, capsys):
    from workbench.cli import main

    root = tmp_path / "c"
    create_course(course_dir=root, course_id="c", candidates_csv=FIXTURES / "candidates.csv",
                  source=FIXTURES / "source")
    release(course_dir=root, assignment="warmup")
    for cid in ("c001", "c002"):
        submit_as(course_dir=root, candidate=cid, assignment="warmup")
    assert main(["course", "collect", "--dir", str(root), "warmup"]) == 0
    first = (root / "submitted" / "c002" / "warmup" / "warmup.ipynb").read_bytes()
    # c002 resubmits with a notebook far too large (sparse: costs no disk), c003 submits normally.
    bad = submit_as(course_dir=root, candidate="c002", assignment="warmup")
    os.truncate(bad.path / "warmup.ipynb", 300 * 10**6)
    submit_as(course_dir=root, candidate="c003", assignment="warmup")
    capsys.readouterr()
    code = main(["course", "collect", "--dir", str(root), "warmup"])
    out = capsys.readouterr().out
    assert code == 3, out
    assert "c002: NOT collected: file 'warmup.ipynb' is too large (300 MB, the limit is 100 MB" in out
    assert (root / "submitted" / "c003" / "warmup" / "warmup.ipynb").is_file()  # collected after c002
    # c002's earlier collected submission is kept whole; nothing half-made.
    assert (root / "submitted" / "c002" / "warmup" / "warmup.ipynb").read_bytes() == first
    assert sorted(p.name for p in (root / "submitted" / "c002").iterdir()) == ["warmup"]


def test_collect_leaves_no_empty_folder_for_a_first_bad_submission(tmp_path):
    root = tmp_path / "c"
    create_course(course_dir=root, course_id="c", candidates_csv=FIXTURES / "candidates.csv",
                  source=FIXTURES / "source")
    release(course_dir=root, assignment="warmup")
    bad = submit_as(course_dir=root, candidate="c001", assignment="warmup")
    (bad.path / "warmup.ipynb").unlink()
    (bad.path / "warmup.ipynb").symlink_to(tmp_path / "gone")  # unreadable: points nowhere
    submit_as(course_dir=root, candidate="c002", assignment="warmup")
    report = collect(course_dir=root, assignment="warmup")
    assert list(report.collected) == ["c002"]
    assert "No such file or directory" in report.failed["c001"] and "warmup.ipynb" in report.failed["c001"]
    assert not (root / "submitted" / "c001").exists()


def test_course_language_reaches_the_release_and_the_feedback_config(tmp_path):
    root = tmp_path / "fr"
    create_course(course_dir=root, course_id="fr", candidates_csv=FIXTURES / "candidates.csv",
                  source=FIXTURES / "source", lang="fr")
    assert read_course(root).lang == "fr"
    assert "c.ClearHiddenTracebacks.lang = 'fr'" in (root / "nbgrader_config.py").read_text()
    (released,) = (root / "source").glob("*/data/course.yml")
    assert released.read_text() == "lang: fr\n"
    from workbench_candidate.lang import released_lang

    assert released_lang(released.parent) == "fr" and released_lang(tmp_path) == "en"


def test_unknown_course_language_creates_nothing(tmp_path):
    with pytest.raises(InputError, match="unknown course language 'de': use one of fr, en"):
        create_course(course_dir=tmp_path / "de", course_id="de", candidates_csv=FIXTURES / "candidates.csv",
                      source=FIXTURES / "source", lang="de")
    assert not (tmp_path / "de").exists()


@pytest.mark.parametrize("lang, heading", [("fr", "## 1. Charger les sources brutes"),
                                           ("en", "## 1. Load the raw sources")])
def test_a_course_built_from_a_scenario_gets_its_notebooks_in_the_course_language(tmp_path, monkeypatch,
                                                                                 lang, heading):
    import workbench.exercises.build as exercises_build

    build = exercises_build.build_assignment
    # the notebooks are what this test is about: skip copying the datasets
    monkeypatch.setattr(exercises_build, "build_assignment", lambda **kw: build(**kw, with_data=False))
    root = tmp_path / lang
    create_course(course_dir=root, course_id=lang, candidates_csv=FIXTURES / "candidates.csv",
                  scenario="cdnow_winback", lang=lang)
    nb = json.loads((root / "source" / "block1" / "1_1_collecte.ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["workbench"]["lang"] == lang
    assert any("".join(c["source"]).startswith(heading) for c in nb["cells"])
