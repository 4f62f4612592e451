"""The comparison itself: each kind of difference the parity suite relies on is reported."""

from __future__ import annotations

import json
from pathlib import Path

from tests.autograde.nbgrader_parity.harness import Course, _as_python, twins


def test_every_kind_of_difference_is_reported(tmp_path: Path) -> None:
    course = Course(tmp_path / "build")
    course.setup(["foo"])
    course.make("autograded/foo/ps1/data.txt", "same")
    course.copy("test.ipynb", "autograded/foo/ps1/p1.ipynb")
    pair = twins(course, tmp_path)
    assert pair.differences() == []  # identical copies

    wb = pair.wb
    wb.path("autograded/foo/ps1/data.txt").write_text("changed")
    wb.path("autograded/foo/ps1/data.txt").chmod(0o600)
    nb = json.loads(wb.read("autograded/foo/ps1/p1.ipynb"))
    code = next(i for i, cell in enumerate(nb["cells"]) if cell["cell_type"] == "code")
    nb["cells"][code]["outputs"] = [{"output_type": "error", "ename": "E", "evalue": "v", "traceback": ["t"]}]
    wb.path("autograded/foo/ps1/p1.ipynb").write_text(json.dumps(nb))
    wb.make("autograded/foo/ps1/extra.txt", "")
    with wb.gradebook() as gb:
        gb.add_student("intruder")
    pair.codes.append((1, 0))
    found = pair.differences()
    assert "exit status: nbgrader 1, workbench 0" in found
    assert any(line.startswith("gradebook: students:") for line in found)
    assert any(line.startswith("autograded: foo/ps1/data.txt: nbgrader ('file', '0o644', b'same')") for line in found)
    assert "autograded: foo/ps1/extra.txt: only with the workbench" in found
    assert any(line.startswith(f"autograded: foo/ps1/p1.ipynb#cell{code}:") and "'ename': 'E'" in line for line in found)
    assert pair.differences(ignore=lambda line: True) == []


def test_config_flags_become_config_lines() -> None:
    assert _as_python(("--Autograde.create_student=False", "--CourseDirectory.student_id_exclude=bar,baz",
                       "--AutogradeApp.permissions=644", "--X.mask=[('nbgrader')]")) == [
        "Autograde.create_student = False", "CourseDirectory.student_id_exclude = 'bar,baz'",
        "AutogradeApp.permissions = 644", "X.mask = ['nbgrader']"]
