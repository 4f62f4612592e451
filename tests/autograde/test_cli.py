"""The `workbench autograde` command line: errors in one line, loud --no-sandbox."""

from __future__ import annotations

from pathlib import Path

from workbench.cli import main


def test_missing_course_dir_is_a_clear_error(tmp_path: Path, capsys) -> None:
    code = main(["autograde", "segmentation", "--course-dir", str(tmp_path / "nope")])
    assert code == 2
    assert "course folder not found" in capsys.readouterr().err


def test_unknown_assignment_is_a_clear_error(course: Path, capsys) -> None:
    code = main(["autograde", "no_such_assignment", "--course-dir", str(course)])
    assert code == 2
    err = capsys.readouterr().err
    assert "assignment 'no_such_assignment' is not in the gradebook" in err
    assert "Traceback" not in err


def test_no_sandbox_warns_loudly(course: Path, capsys) -> None:
    code = main(["autograde", "segmentation", "--course-dir", str(course), "--no-sandbox"])
    assert code == 0  # nothing submitted yet: nothing to grade
    assert "WARNING: --no-sandbox" in capsys.readouterr().err
