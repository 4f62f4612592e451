"""The candidate environment on its own: a fresh venv with only `candidate/` installed runs the
released notebooks' self-checks, and holds no key, no model answer, no grading entry point."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.autograde.judge.conftest import judged_template, model_answers  # noqa: F401 (fixture)
from tests.exercises.course import ASSIGNMENT, fill

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]

# Executes a notebook's code cells in order, as a kernel would (without IPython: magics skipped),
# and reports each cell's printed text or error. Runs under the fresh venv's interpreter.
RUNNER = textwrap.dedent('''
    import contextlib, io, json, os, sys, traceback
    import matplotlib
    matplotlib.use("Agg")
    folder, names = sys.argv[1], sys.argv[2:]
    os.chdir(folder)
    report = {}
    for name in names:
        nb = json.load(open(name + ".ipynb", encoding="utf-8"))
        ns, cells = {"__name__": "__main__"}, []
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            src = "".join(cell["source"])
            src = "\\n".join(l for l in src.splitlines() if not l.lstrip().startswith(("%", "!")))
            out = io.StringIO()
            try:
                with contextlib.redirect_stdout(out):
                    exec(compile(src, name, "exec"), ns)
                cells.append({"id": cell["metadata"].get("nbgrader", {}).get("grade_id"), "out": out.getvalue()})
            except Exception as exc:
                cells.append({"id": cell["metadata"].get("nbgrader", {}).get("grade_id"), "out": out.getvalue(),
                              "error": f"{type(exc).__name__}: {exc}"})
        report[name] = cells
    print(json.dumps(report))
''')


@pytest.fixture(scope="module")
def candidate_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment holding only the candidate package and what it requires."""
    venv = tmp_path_factory.mktemp("candidate-env") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    proc = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                           str(REPO / "candidate")], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return python


def test_the_released_notebooks_self_check_in_the_candidate_environment_alone(
        candidate_python: Path, judged_template: Path, tmp_path: Path) -> None:
    release = judged_template / "release" / ASSIGNMENT
    work = tmp_path / ASSIGNMENT
    (work).mkdir()
    subprocess.run(["cp", "-r", str(release / "data"), str(work / "data")], check=True)
    answers = model_answers(judged_template)
    for name, filled in answers.items():
        fill(release / f"{name}.ipynb", filled, work / f"{name}.ipynb")
    (tmp_path / "run.py").write_text(RUNNER)
    proc = subprocess.run([str(candidate_python), str(tmp_path / "run.py"), str(work), *answers],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    checked = []
    for name, cells in report.items():
        for cell in cells:
            assert "error" not in cell, f"{name}/{cell['id']}: {cell.get('error')}"
            if "✔" in cell["out"]:
                checked.append(cell["id"])
            assert "/2" not in cell["out"] and "/3" not in cell["out"], "a self-check must never show points"
    # every judged test cell's visible self-check ran and passed
    assert sorted(checked) == sorted([
        "collect_categories", "justification_structure", "analysis_table", "segmentation_quality",
        "segment_profiles", "target_names", "clarity_sizes", "adequacy_sizes", "clarity_heatmap",
        "adequacy_heatmap", "clarity_map", "adequacy_map"])


def test_the_candidate_environment_holds_no_key_and_no_grading(candidate_python: Path) -> None:
    probe = textwrap.dedent('''
        import importlib, json, pkgutil, sys
        import workbench_candidate
        found = {"workbench": importlib.util.find_spec("workbench") is not None, "modules": [], "files": []}
        for mod in pkgutil.walk_packages(workbench_candidate.__path__, "workbench_candidate."):
            found["modules"].append(mod.name)
            importlib.import_module(mod.name)
        from pathlib import Path
        root = Path(workbench_candidate.__file__).parent
        found["files"] = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        found["text"] = "\\n".join(p.read_text(encoding="utf-8", errors="replace") for p in root.rglob("*")
                                   if p.is_file() and p.suffix in (".py", ".yml"))
        from workbench_candidate import block1
        found["grade"] = [n for n in dir(block1.categories) if "grade" in n or "score" in n or "judge" in n]
        print(json.dumps(found))
    ''')
    proc = subprocess.run([str(candidate_python), "-c", probe], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    found = json.loads(proc.stdout)
    assert found["workbench"] is False, "the grader's package must not be installed with the candidate's"
    assert found["grade"] == [], "a self-check object must expose no grading entry point"
    assert not [f for f in found["files"] if f.endswith(".ipynb")], "no notebook (source or solution) ships"
    text = found["text"]
    from workbench.scenarios import load_scenario

    for scenario_id in ("cdnow_winback", "caravan_crosssell"):
        scenario = load_scenario(scenario_id)
        for group in scenario.answer_key.groups().values():
            for reason in group.values():
                assert reason.en not in text and reason.fr not in text, "an answer-key reason ships"
    for marker in ("answer_key", "reference_segmentation", "BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "random_state: 0"):
        assert marker not in text, f"{marker!r} found in the candidate package"
