"""The candidate's own code, timed alone: helper process of bench_autograde.py.

Usage: python benchmarks/_own_code.py FIGURES NOTEBOOK... (FIGURES: 0 or 1); prints one JSON
list of [wall, cpu] per notebook.

A fresh interpreter that imports what the zygotes preload and nothing else (so forks cost what
they cost a zygote, not what they would cost the benchmark's own heavy process), then runs each
notebook's code cells with ``exec`` in a fresh fork: no kernel, no grading, no sandbox, no
output capture. With FIGURES=1 each cell's open figures are rendered to SVG once, as a block-1 notebook
displays them (the inline backend's PNG with ``bbox_inches="tight"``), and the value of its last
expression is formatted in the notebook's formats (a DataFrame's text and HTML tables): work
any grader, nbgrader's kernel included, has to do.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import resource
import sys
import time


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _split(source: str) -> tuple[object | None, object | None]:
    """(code to exec, final expression to eval) of a cell, as a notebook runs it: the final
    expression is displayed unless a ``;`` ends the cell (IPython's own rule)."""
    from IPython.core.displayhook import DisplayHook

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None, None
    last = None
    if (tree.body and isinstance(tree.body[-1], ast.Expr)
            and not DisplayHook.semicolon_at_end_of_expression(source)):
        last = compile(ast.Expression(tree.body.pop().value), "<cell>", "eval")
    return compile(tree, "<cell>", "exec"), last


def _run(cells: list[str], folder: str, figures: bool, plt, print_figure, formatter) -> list[float]:
    """In the forked child: exec the cells; return [wall, cpu] seconds."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.chdir(folder)
    namespace: dict = {}
    t0, c0 = time.perf_counter(), _cpu()
    for source in cells:
        try:
            body, last = _split(source)
            if body is not None:
                exec(body, namespace)
            value = eval(last, namespace) if last is not None else None
            if figures and value is not None:  # the cell's displayed value, in every format
                formatter.format(value)
        except BaseException:
            pass
        if figures:
            for num in plt.get_fignums():
                try:
                    # in the format the block-1 notebooks display (configure(): SVG, text as text)
                    print_figure(plt.figure(num), "svg", bbox_inches="tight")
                except Exception:
                    pass
        plt.close("all")
    return [time.perf_counter() - t0, _cpu() - c0]


def _is_test(cell: dict) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


def main() -> None:
    figures = sys.argv[1] == "1"
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from IPython.core.formatters import DisplayFormatter
    from IPython.core.pylabtools import print_figure

    formatter = DisplayFormatter()  # a notebook's formats: text/plain, text/html, image/png...

    from workbench.autograde.sandbox import PRELOAD

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:
            pass
    results = []
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as fh:  # plain json: nbformat is not in a zygote
            # Test cells are not the candidate's code: the judge handles them (its work is overhead).
            cells = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                     for c in json.load(fh)["cells"] if c["cell_type"] == "code" and not _is_test(c)]
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            os.write(w, json.dumps(_run(cells, os.path.dirname(path), figures, plt, print_figure,
                                        formatter)).encode())
            os._exit(0)
        os.close(w)
        data = b""
        while chunk := os.read(r, 4096):
            data += chunk
        os.close(r)
        os.waitpid(pid, 0)
        results.append(json.loads(data))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
