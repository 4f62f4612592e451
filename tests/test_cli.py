"""The ``workbench`` command: every fault the user must fix is one line, exit 2, no traceback."""

from __future__ import annotations

from workbench import cli
from workbench.cli import main


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    return lines[0]


def test_a_bad_option_value_is_one_line_naming_the_command_and_the_option(capsys):
    assert main(["autograde", "block1", "--workers", "many"]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert line.startswith("error: workbench autograde: ") and "'--workers'" in line and "'many'" in line
    assert line.endswith("(see `workbench autograde --help`)")


def test_an_unknown_option_and_a_missing_argument_are_one_line(capsys):
    assert main(["autograde", "block1", "--wrokers", "2"]) == 2
    assert "--wrokers" in _one_error_line(capsys.readouterr().err)
    assert main(["deck"]) == 2
    assert "NOTEBOOK" in _one_error_line(capsys.readouterr().err)


def test_an_unknown_command_is_one_line(capsys):
    assert main(["valdiate"]) == 2
    assert "valdiate" in _one_error_line(capsys.readouterr().err)


def test_a_command_that_does_not_import_says_why_and_the_others_still_run(capsys, monkeypatch):
    monkeypatch.setitem(cli.COMMANDS, "scores", ("workbench.no_such_step.cli", "scores", "Compute scores."))
    assert main(["scores"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == ("Error: 'scores' is not available: "
                   "ModuleNotFoundError: No module named 'workbench.no_such_step'"), err
    assert main(["--help"]) == 0
    assert "unavailable" in capsys.readouterr().out
    assert main(["info", "--help"]) == 0
