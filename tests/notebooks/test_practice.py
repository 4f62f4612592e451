"""The candidate practice notebook runs top to bottom, teaches the self-checks, and leaves "Your turn" to the candidate."""

from __future__ import annotations


import pytest

from .conftest import NOTEBOOKS, execute, images, stderr_text, stdout_text

pytestmark = pytest.mark.slow

# What a candidate would write in "Your turn" (the notebook itself leaves it to them).
ANSWER = """bands = pd.cut(customers["tenure"], bins=[-1, 12, 24, 48, 72], labels=["0-12", "13-24", "25-48", "49-72"])
by_tenure = (customers["churn"].eq("Yes").groupby(bands, observed=True).mean() * 100).round(1)
fig2, ax2 = plt.subplots(figsize=(6, 3.5))
ax2.bar(by_tenure.index.astype(str), by_tenure.values, color="#ff7f0e")
ax2.set_title("Churn rate by tenure band")
ax2.set_xlabel("Tenure (months)")
ax2.set_ylabel("Churn rate (%)")
plt.show()"""


def _your_turn(nb) -> tuple:
    (i,) = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith("## 4. Your turn")]
    return nb.cells[i + 1], nb.cells[i + 2]


def test_practice_notebook_runs_with_self_checks_and_leaves_your_turn():
    nb = execute("practice_telco_churn.ipynb")
    out = stdout_text(nb)
    assert "7,043 customers" in out
    # The worked example passes both public checks; the failing example shows the candidate's message.
    assert out.count("✔ The figure is clear") == 1 and out.count("✔ The figure shows your computed results") == 1
    assert "✘ 2 things to fix:\n- The chart has no title" in out
    assert "figures.clarity" not in out and "CheckFailed" not in out
    # "Your turn" is not solved: its self-checks say so, in plain words.
    answer, checks = _your_turn(nb)
    assert "by_tenure = (" not in answer.source and "plt.subplots(figsize" not in answer.source
    (error,) = [o for o in checks.outputs if o.output_type == "error"]
    assert error.traceback[0].startswith("Not answered yet: `fig2` is not defined")
    assert images(nb) == 1
    assert stderr_text(nb) == ""


def test_your_turn_checks_pass_once_answered(tmp_path, monkeypatch):
    import nbformat

    nb = nbformat.read(NOTEBOOKS / "practice_telco_churn.ipynb", as_version=4)
    answer, checks = _your_turn(nb)
    answer.source = ANSWER
    checks.metadata["tags"] = []  # answered: the checks must pass, not raise
    path = tmp_path / "answered.ipynb"
    nbformat.write(nb, path)
    monkeypatch.setattr("tests.notebooks.conftest.NOTEBOOKS", tmp_path)
    out = stdout_text(execute("answered.ipynb"))
    assert out.count("✔ The figure is clear") == 2 and out.count("✔ The figure shows your computed results") == 2
