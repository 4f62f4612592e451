"""In a real Jupyter kernel: tampering cells cannot make a wrong answer pass, and nothing reaches stderr."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.slow

SETUP = "from workbench.checks import block1\nimport numpy as np, pandas as pd, pandas.testing\nS = 'cdnow_winback'"
WRONG = "chosen = ['purchase_dates', 'customer_key']"  # misses relevant categories
GRADE = "from workbench.checks import block1\nblock1.categories.grade(chosen, scenario=S)"
ATTACKS = {
    "allclose": "np.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True",
    "pandas_testing": "pandas.testing.assert_frame_equal = lambda *a, **k: None",
    "module_dict": ("import workbench.checks.collection as c\n"
                    "vars(c)['_scores'] = lambda chosen, facts: (1.0, 1.0, 0, 0)"),
    "code_swap": ("import workbench.checks.collection as c\n"
                  "c._fraction.__code__ = (lambda p, r, a, b: 1.0).__code__\n"
                  "c._scores.__code__ = (lambda chosen, facts: (1.0, 1.0, 0, 0)).__code__"),
    "method": "try:\n    block1.categories.grade = lambda *a, **k: 2.0\nexcept AttributeError:\n    pass",
}


def _run(cells: list[str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in cells])
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True).execute()
    return nb


def test_tampering_in_a_kernel_never_passes():
    cells = [SETUP, "chosen = ['purchase_dates', 'purchase_volume', 'purchase_value']", GRADE]
    for attack in ATTACKS.values():
        cells += [WRONG, attack, GRADE]
    nb = _run(cells)
    outputs = [c.outputs for c in nb.cells]
    assert all(o.output_type != "stream" or o.name != "stderr" for out in outputs for o in out)
    honest = outputs[2]
    assert [o.data["text/plain"] for o in honest if o.output_type == "execute_result"] == ["2.0"]
    for i, name in enumerate(ATTACKS):
        graded = outputs[3 + 3 * i + 2]
        errors = [o for o in graded if o.output_type == "error"]
        assert errors, f"attack {name} made a wrong answer pass"
        assert errors[0].ename in ("TamperDetected", "CheckFailed")
        # the candidate sees the message only, not a traceback from inside the library
        assert len(errors[0].traceback) == 1 and "site-packages" not in errors[0].traceback[0]
