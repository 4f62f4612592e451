"""`workbench purge` (retention as data, never an open appeal) and `workbench export holders`."""

from __future__ import annotations

import csv
import io
import sqlite3

from tests.deliberation.test_appeal import notebooks
from workbench.cli import main

LATER = "2100-01-01"  # far past any retention period of the decisions recorded today


def base(root) -> list[str]:
    return ["-g", str(root / "gradebook.db")]


def dump(path) -> str:
    with sqlite3.connect(path) as db:
        return "\n".join(db.iterdump())


def test_purge_refused_while_an_appeal_is_open(decided, capsys):
    notebooks(decided, "as submitted")
    assert main(["appeal", "open", "ben", "--reason", "x", "--course-dir", str(decided), *base(decided)]) == 0
    before = (dump(decided / "decisions.db"), dump(decided / "gradebook.db"))
    assert main(["purge", *base(decided), "--course-dir", str(decided), "--today", LATER]) == 2
    err = capsys.readouterr().err
    assert "purge refused, nothing removed: open appeal for ben (appeal 1)" in err
    assert (dump(decided / "decisions.db"), dump(decided / "gradebook.db")) == before
    assert (decided / "submitted" / "ben").is_dir() and (decided / "appeals" / "appeal-1-ben").is_dir()


def decision_rows(root) -> list[tuple]:
    with sqlite3.connect(root / "decisions.db") as db:
        return db.execute("select * from workbench_decision order by id").fetchall()


def test_nothing_is_due_within_the_retention_period(decided, capsys):
    before = decision_rows(decided)
    assert main(["purge", *base(decided), "--course-dir", str(decided)]) == 0
    out = capsys.readouterr().out
    assert "retention 5 years to" in out and "0 candidate(s) due" in out
    assert decision_rows(decided) == before


def test_purge_removes_personal_data_and_keeps_pseudonymised_decisions(decided, capsys):
    notebooks(decided, "as submitted")
    assert main(["appeal", "open", "ben", "--reason", "x", "--course-dir", str(decided), *base(decided)]) == 0
    assert main(["appeal", "answer", "1", "--outcome", "upheld", "--text", "stands", *base(decided)]) == 0
    with sqlite3.connect(decided / "decisions.db") as db:
        n_versions = db.execute("select count(*) from workbench_decision").fetchone()[0]
    assert main(["purge", *base(decided), "--course-dir", str(decided), "--today", LATER, "--dry-run"]) == 0
    assert "3 candidate(s) due: ana, ben, dev (dry run" in capsys.readouterr().out
    assert main(["purge", *base(decided), "--course-dir", str(decided), "--today", LATER]) == 0
    assert "purged 3 candidate(s) past 5 years" in capsys.readouterr().out
    assert not (decided / "submitted" / "ben").exists() and not (decided / "autograded" / "ben").exists()
    assert not (decided / "appeals" / "appeal-1-ben").exists()
    with sqlite3.connect(decided / "gradebook.db") as db:
        assert db.execute("select first_name, last_name, email from student where id = 'ben'").fetchone() == (
            None, None, None)
    with sqlite3.connect(decided / "decisions.db") as db:
        rows = db.execute("select candidate, decision_json from workbench_decision").fetchall()
        assert len(rows) == n_versions  # every decision kept
        assert all(c.startswith("purged-") and f'"candidate":"{c}"' in doc for c, doc in rows)
        assert len({c for c, _ in rows}) == 3
        assert db.execute("select count(*) from workbench_purge").fetchone() == (3,)
        assert db.execute("select candidate, evidence_dir from workbench_appeal").fetchone()[1] == "(purged)"
    text = dump(decided / "decisions.db")
    assert "'ben'" not in text and '"ben"' not in text and "Candidat Ben" not in text
    # decisions stay readable: the holders' export still counts them, under pseudonyms and without names
    out = decided / "holders.csv"
    assert main(["export", "holders", *base(decided), "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 2 and all(r["candidate"].startswith("purged-") and not r["last_name"] for r in rows)


def test_holders_export_lists_validated_blocks_and_titles(decided, capsys):
    out = decided / "export" / "holders.csv"
    assert main(["export", "holders", *base(decided), "--out", str(out)]) == 0
    assert "2 holder(s), 1 full title(s)" in capsys.readouterr().out
    rows = {r["candidate"]: r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))}
    assert set(rows) == {"ana", "ben"}  # dev holds no block
    assert rows["ana"]["full_title"] == "yes" and rows["ana"]["validated_blocks"] == "B1 B2 B3 B4 B5"
    assert rows["ben"]["full_title"] == "no" and rows["ben"]["validated_blocks"] == "B2"
    assert rows["ben"]["block_titles"] == "Concevoir une campagne de marketing digital"
    assert (rows["ana"]["last_name"], rows["ana"]["first_name"], rows["ana"]["decision_version"]) == (
        "Candidat", "Ana", "1")


def test_export_to_a_path_under_a_file_is_one_line_naming_it(decided, capsys):
    blocker = decided / "exports"
    blocker.write_text("a file where a folder is expected\n")
    before = decision_rows(decided)
    assert main(["export", "holders", *base(decided), "--out", str(blocker / "holders.csv")]) == 2
    err = capsys.readouterr().err
    (line,) = [x for x in err.splitlines() if x.strip()]
    assert line.startswith("error: ") and str(blocker) in line and "Traceback" not in err, err
    assert blocker.read_text() == "a file where a folder is expected\n" and decision_rows(decided) == before
