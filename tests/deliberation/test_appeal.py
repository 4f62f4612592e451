"""`workbench appeal` and `history`: frozen evidence that a later autograde cannot change, regrade, answer."""

from __future__ import annotations

import json
import os
import sqlite3

import pytest

from tests.scores.factory import MAP_PATH, build_gradebook, full_marks, with_levels
from workbench.cli import main
from workbench.deliberation.appeal import get_appeal, verify
from workbench.deliberation.store import open_store


def notebooks(root, text: str) -> None:
    """What nbgrader leaves in the course folder for ben: a submitted and an autograded notebook."""
    for part in ("submitted", "autograded"):
        path = root / part / "ben" / "block1" / "1_1_collecte.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.chmod(0o644)
        path.write_text(json.dumps({"cells": [], "metadata": {"note": text}}), encoding="utf-8")


def base(root) -> list[str]:
    return ["-g", str(root / "gradebook.db")]


def events(root) -> list[tuple]:
    with sqlite3.connect(root / "decisions.db") as db:
        return db.execute("select appeal_id, kind, decision_version, reason from workbench_appeal_event "
                          "order by id").fetchall()


def test_appeal_path_with_frozen_evidence(decided, capsys):
    notebooks(decided, "as submitted")
    assert main(["appeal", "open", "ben", "--reason", "B1.1.b marked too low", "--course-dir", str(decided),
                 *base(decided)]) == 0
    assert "appeal 1 opened for ben against decision version 1; 2 file(s) frozen" in capsys.readouterr().out
    frozen_dir = decided / "appeals" / "appeal-1-ben"
    assert (frozen_dir / "submitted" / "block1" / "1_1_collecte.ipynb").is_file()
    assert not os.access(frozen_dir / "autograded" / "block1" / "1_1_collecte.ipynb", os.W_OK) or os.getuid() == 0

    # a later autograde rewrites the course folder and the gradebook (and a re-marking raises ben's levels)
    notebooks(decided, "autograded again")
    build_gradebook(decided / "gradebook.db", {"ana": full_marks(), "ben": with_levels(2), "dev": None},
                    map_path=MAP_PATH)
    store = open_store(f"sqlite:///{decided / 'decisions.db'}")
    try:
        appeal = get_appeal(store, 1)
    finally:
        store.dispose()
    assert verify(appeal) == []  # the frozen copy and record did not move
    frozen = json.loads(appeal["frozen_json"])
    assert frozen["decision"]["blocks"]["B1"] == "not_validated" and frozen["decision_version"] == 1
    assert {c["cell"]: c["points"] for c in frozen["evidence"]["block1_cells"]}["justification_rubric"] == 1
    assert "as submitted" in (frozen_dir / "submitted" / "block1" / "1_1_collecte.ipynb").read_text()

    assert main(["appeal", "regrade", "1", "--reason", "second marker: levels satisfactory", *base(decided),
                 "--map", str(MAP_PATH), "--jury", str(decided / "jury.csv")]) == 0
    assert "new decision version 2 (B1: not_validated → validated)" in capsys.readouterr().out
    assert main(["appeal", "answer", "1", "--outcome", "amended", "--text", "Block 1 validated after re-marking",
                 *base(decided)]) == 0
    assert [e[1:3] for e in events(decided)] == [("opened", 1), ("regrade", 2), ("answer", 2)]

    assert main(["history", "ben", *base(decided)]) == 0
    out = capsys.readouterr().out
    assert "first decision" in out and "B1: not_validated → validated" in out
    assert "Appeals of ben" in out and "answer (amended)" in out and "second marker" in out
    assert main(["history", "ben", *base(decided), "--json"]) == 0
    versions = json.loads(capsys.readouterr().out)
    assert versions[1]["source"] == "appeal 1: second marker: levels satisfactory"
    assert [e["kind"] for e in versions[0]["appeals"][0]["events"]] == ["opened", "regrade", "answer"]
    assert main(["appeal", "show", "1", *base(decided)]) == 0
    assert "frozen evidence intact" in capsys.readouterr().out


def test_altered_frozen_copy_is_detected(decided, capsys):
    notebooks(decided, "as submitted")
    assert main(["appeal", "open", "ben", "--reason", "x", "--course-dir", str(decided), *base(decided)]) == 0
    copy = decided / "appeals" / "appeal-1-ben" / "autograded" / "block1" / "1_1_collecte.ipynb"
    copy.chmod(0o644)
    copy.write_text("{}")
    assert main(["appeal", "show", "1", *base(decided)]) == 1
    assert "autograded/block1/1_1_collecte.ipynb: changed since the appeal was opened" in capsys.readouterr().err


def test_appeal_for_unknown_candidate_records_nothing(decided, capsys):
    assert main(["appeal", "open", "zed", "--reason", "x", "--course-dir", str(decided), *base(decided)]) == 2
    err = capsys.readouterr().err
    assert "unknown candidate 'zed': no recorded decision to appeal" in err and len(err.strip().splitlines()) == 1
    with sqlite3.connect(decided / "decisions.db") as db:
        assert db.execute("select count(*) from workbench_appeal").fetchone() == (0,)
    assert not (decided / "appeals").exists() or not any((decided / "appeals").iterdir())


@pytest.mark.parametrize("step", [["answer", "1", "--outcome", "upheld", "--text", "again"],
                                  ["regrade", "1", "--reason", "again"]])
def test_a_closed_appeal_takes_no_more_steps(decided, capsys, step):
    assert main(["appeal", "open", "ben", "--reason", "x", *base(decided)]) == 0
    assert main(["appeal", "answer", "1", "--outcome", "upheld", "--text", "The decision stands", *base(decided)]) == 0
    capsys.readouterr()
    extra = ["--map", str(MAP_PATH)] if step[0] == "regrade" else []
    assert main(["appeal", *step, *base(decided), *extra]) == 2
    assert "appeal 1 is closed" in capsys.readouterr().err
    assert [e[1] for e in events(decided)] == ["opened", "answer"]
