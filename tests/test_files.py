"""Every reader of a user's file turns an OS fault (not only a missing file) into one named line."""

from __future__ import annotations

import pytest

from workbench._files import read_input
from workbench._yaml import read_yaml
from workbench.cli import main
from workbench.course.candidates import read_candidates
from workbench.deliberation.panel import load_panel
from workbench.errors import ConfigError, InputError
from workbench.scores.csvio import read_frame, read_rows

READERS = {
    "csv rows": (lambda p: read_rows(p, required=("candidate",)), InputError),
    "csv frame": (lambda p: read_frame(p, required=("candidate",)), InputError),
    "yaml": (read_yaml, ConfigError),
    "panel csv": (load_panel, InputError),
    "candidate list": (read_candidates, InputError),
}


def _bad_paths(tmp_path, suffix: str) -> dict[str, object]:
    a_file = tmp_path / f"notes{suffix}"
    a_file.write_text("candidate\nana\n", encoding="utf-8")
    return {
        "under a file": a_file / f"x{suffix}",  # NotADirectoryError, not FileNotFoundError
        "name too long": tmp_path / ("x" * 300 + suffix),  # OSError ENAMETOOLONG
        "a folder": tmp_path,  # IsADirectoryError, when no click.Path stands in front
    }


@pytest.mark.parametrize("reader", READERS)
def test_os_faults_are_one_line_naming_the_file(reader, tmp_path):
    read, error = READERS[reader]
    suffix = ".yml" if reader == "yaml" else ".csv"
    for case, path in _bad_paths(tmp_path, suffix).items():
        with pytest.raises(error) as err:
            read(path)
        assert err.value.where == str(path), case
        assert "\n" not in str(err.value), case


def test_the_messages_say_what_is_wrong(tmp_path):
    paths = _bad_paths(tmp_path, ".csv")
    with pytest.raises(InputError) as err:
        read_input(paths["under a file"], what="candidate list")
    assert err.value.message == "candidate list not found"
    with pytest.raises(InputError) as err:
        read_input(paths["name too long"])
    assert err.value.message == "cannot read the file: File name too long"
    with pytest.raises(ConfigError) as err:
        read_input(paths["a folder"], error=ConfigError)
    assert err.value.message == "a folder, not a file"


@pytest.mark.parametrize("argv", [
    ["rubric", "{bad}", "--dry-run"],
    ["minutes", "--panel", "{bad}", "--no-pdf"],
    ["scores", "--map", "{bad}"],
])
def test_the_cli_prints_one_error_line_and_exits_2(argv, tmp_path, capsys):
    bad = _bad_paths(tmp_path, ".csv")["under a file"]
    assert main([a.replace("{bad}", str(bad)) for a in argv]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {bad}: file not found\n"
