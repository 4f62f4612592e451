"""Hostile cells, as data: what a candidate could add to an empty or wrong notebook to raise a grade.

Each :class:`Trick` is one candidate of one sandboxed batch (``test_tricks.py``): a base notebook
(``empty``: every solution is ``pass``; ``model``: the reference solution) plus the cells the
trick adds. Code that needs host facts (paths of the course and of the repository, texts of the
answer key) gets them baked in when the batch is built, as a candidate who knew them would.

Probes that look for keys print ``LEAK: <what>`` when they read anything of the grader's; a
pipe-forging cell prints ``PIPES: <fds>`` so a test can check it really found the result pipe.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import yaml

NB11, NB12, NB13 = "1_1_collecte", "1_2_analyse", "1_3_visualisation"
ALL = (NB11, NB12, NB13)

# Positions in the released notebooks (see the exercises build): the setup cell is 0; the first
# judged test cell of 1.1 is 9 (collect_categories), of 1.3 is 7 (clarity_sizes).
AFTER_SETUP = 1
BEFORE_TESTS_11 = 9
BEFORE_TESTS_13 = 7
BEFORE_TABLE_TEST_11 = 16  # after build_table (15), before the analysis_table test cell


@dataclass(frozen=True)
class Trick:
    """One hostile candidate."""

    name: str  # the student id
    klass: str  # hooks | library | frames | keys | oracle | bad-input | figures
    cells: dict[str, list[tuple[int, str]]]
    base: str = "empty"  # empty | model
    notebooks: tuple[str, ...] = (NB11,)
    # Solution cells replaced on top of the base: notebook -> grade_id -> code.
    overrides: dict[str, dict[str, str]] = field(default_factory=dict)
    status: str | None = None  # the status the batch must give, when it matters
    control: str | None = None  # the candidate it must not beat (default: the control of its base)
    worked_before: str = ""  # how the trick raised the grade in the in-kernel design


def _code(text: str, **values) -> str:
    text = textwrap.dedent(text).strip("\n") + "\n"
    for name, value in values.items():
        text = text.replace(f"@{name}@", repr(value))
    return text


def secrets(key_file: Path) -> list[str]:
    """Texts only the answer key holds (its per-category explanations, in both languages)."""
    key = yaml.safe_load(key_file.read_text(encoding="utf-8"))["answer_key"]
    found = []
    for group in key.values():
        for texts in (group or {}).values():
            found += [t for t in (texts or {}).values() if isinstance(t, str) and len(t) >= 30]
    return sorted(set(found))


# -- 1. hooks of the IPython shell -----------------------------------------------------------------
INPUT_TRANSFORMER = _code("""
    ip = get_ipython()
    def _rewrite(lines):
        if any(".check(" in line for line in lines):
            return ["print('✔ passed')\\n", "float(2)\\n"]
        return lines
    ip.input_transformers_cleanup.append(_rewrite)
""")

AST_TRANSFORMER = _code("""
    import ast
    class _Full(ast.NodeTransformer):
        def visit_Module(self, node):
            if any(isinstance(n, ast.Attribute) and n.attr == "check" for n in ast.walk(node)):
                return ast.fix_missing_locations(ast.parse("float(2)"))
            return node
    get_ipython().ast_transformers.append(_Full())
""")

WRAP_RUN_CELL = _code("""
    ip = get_ipython()
    _orig_run_cell = ip.run_cell
    def _run_cell(raw_cell, *args, **kwargs):
        if ".check(" in raw_cell:
            raw_cell = "float(2)"
        return _orig_run_cell(raw_cell, *args, **kwargs)
    ip.run_cell = _run_cell
""")

SILENT_TRACEBACKS = _code("""
    ip = get_ipython()
    ip._showtraceback = lambda *a, **k: None
    ip.set_custom_exc((BaseException,), lambda self, etype, value, tb, tb_offset=None: None)
    ip.showtraceback = lambda *a, **k: None
""")

POST_RUN_CLEAR = _code("""
    ip = get_ipython()
    def _clear(result=None):
        rec = getattr(ip, "recorder", None)
        if rec is not None:
            rec.outputs[:] = [o for o in rec.outputs if o.get("output_type") != "error"]
        if result is not None:
            result.error_in_exec = None
    ip.events.register("post_run_cell", _clear)
    ip.events.register("post_execute", _clear)
""")

SETTRACE = _code("""
    import sys
    _FORGED = {"passed": True, "points": 100, "fraction": 1.0}
    def _tracer(frame, event, arg):
        code = frame.f_code.co_name
        if event == "call" and code in ("emit", "_hand_over", "encode_answers", "outputs", "judge"):
            payload = frame.f_locals.get("payload")
            if isinstance(payload, dict) and "values" in payload:
                payload["values"] = {k: dict(_FORGED) for k in payload["values"]}
                payload["outputs"] = [{"output_type": "execute_result", "execution_count": 1,
                                       "metadata": {}, "data": {"text/plain": "100"}}]
        return _tracer
    sys.settrace(_tracer)
    import threading; threading.settrace(_tracer)
""")

# -- 2. mutating the check library ---------------------------------------------------------------------
REBIND_BLOCK1 = _code("""
    class _Anything:
        def __getattr__(self, name):
            return self
        def __call__(self, *args, **kwargs):
            print("✔ passed: full points")
            return 2.0
    block1 = _Anything()
""")

PATCH_RULES = _code("""
    import sys, types
    from workbench_candidate import checks as _checks
    from workbench_candidate.outcome import Outcome
    _full = lambda *a, **k: Outcome(1.0)
    for _name in list(_checks.PUBLIC_RULES):
        _checks.PUBLIC_RULES[_name] = _full
    _checks.public_outcome = _full
    for _mod in list(sys.modules.values()):
        for _attr in ("public_outcome", "grade", "evaluate"):
            if getattr(_mod, "__name__", "").startswith(("workbench", "workbench_candidate")) and hasattr(_mod, _attr):
                try:
                    setattr(_mod, _attr, _full)
                except Exception:
                    pass
    try:  # the grader's registry is importable in the sandbox: patch it too
        from workbench.autograde.judge import registry as _registry
        for _name in list(_registry.EVALUATORS):
            _registry.EVALUATORS[_name] = _full
    except Exception as exc:
        print("registry:", type(exc).__name__)
    # The hand-over module swapped for one that claims full points
    _fake = types.ModuleType("workbench.autograde.answers")
    _fake.encode_answers = lambda names, ns, **kw: {n: {"t": "verdict", "points": 100} for n in names}
    sys.modules["workbench.autograde.answers"] = _fake
""")

PATCH_NUMPY = _code("""
    import numpy as np
    import numpy._core.numeric as _numeric
    _true = lambda *a, **k: np.ones(np.broadcast(*[np.asarray(x) for x in a[:2]]).shape, dtype=bool) if len(a) >= 2 else True
    _numeric.less_equal = _true
    np.less_equal = _true
    np.isclose = _true
    np.allclose = lambda *a, **k: True
    np.array_equal = lambda *a, **k: True
    np.testing.assert_allclose = lambda *a, **k: None
    import pandas as pd
    pd.DataFrame.equals = lambda self, other: True
    pd.testing.assert_frame_equal = lambda *a, **k: None
""")

# A wrong table: the right shape and names, every value 0 (scores nothing unless a comparison lies).
ZERO_TABLE = _code("""
    import pandas as pd
    _tx = pd.read_csv("data/cdnow/CDNOW_master.txt", sep=r"\\s+", dtype={"customer_id": str})
    table = pd.DataFrame({"customer_id": sorted(_tx["customer_id"].unique())})
    table["recency_days"] = 0
    table["frequency"] = 0
    table["monetary"] = 0.0
""")

# -- 3. forged frames on the result pipe -----------------------------------------------------------------
FRAME_HELPERS = _code("""
    import json, os, struct
    def _pipes():
        found = []
        for name in os.listdir("/proc/self/fd"):
            try:
                if os.readlink(f"/proc/self/fd/{name}").startswith("pipe:"):
                    found.append(int(name))
            except OSError:
                pass
        return found
    def _frame(kind, payload=True):
        try:
            from workbench.autograde import wire
            return wire.child_frame(kind, payload)
        except Exception:
            data = json.dumps({kind: payload}).encode()
            return struct.pack("!I", len(data)) + data
    def _send(data):
        for fd in _pipes():
            try:
                os.write(fd, data)
            except OSError:
                pass
    _FULL = [{"output_type": "stream", "name": "stdout", "text": "✔ passed\\n"},
             {"output_type": "execute_result", "execution_count": 1, "metadata": {},
              "data": {"text/plain": "100"}}]
    print("PIPES:", _pipes())
""")

FORGE_ALL_AND_EXIT = FRAME_HELPERS + _code("""
    for _i in range(60):
        _send(_frame("cell", {"index": _i, "outputs": _FULL, "execution_count": 1}))
        _send(_frame("answer", {"index": _i, "values": {"chosen": {"t": "verdict", "points": 100},
                                                         "passed": True, "points": 100}}))
    _send(_frame("done", True))
    os._exit(0)
""")

FORGE_CELLS_AND_EXIT = FRAME_HELPERS + _code("""
    for _i in range(60):
        _send(_frame("cell", {"index": _i, "outputs": _FULL, "execution_count": 1}))
    os._exit(0)
""")

# A correct-looking answer (encoded from the notebook's own variables) for every cell index, then the
# notebook goes on: each judged cell is handed over twice.
FORGE_DUPLICATE = FRAME_HELPERS + _code("""
    from workbench.autograde.answers import encode_answers
    _doc = encode_answers(["chosen", "justifications", "table"], globals())
    for _i in list(range(60)) + [True, -1, 10**9]:
        _send(_frame("answer", {"index": _i, "values": _doc}))
""")

# A child of the candidate's process writes frames after the notebook said done (and floods them).
FORK_AFTER_DONE = FRAME_HELPERS + _code("""
    import time
    if os.fork() == 0:
        try:
            os.setsid()
        except OSError:
            pass
        _deadline = time.monotonic() + 20
        while time.monotonic() < _deadline:
            for _i in range(60):
                _send(_frame("answer", {"index": _i, "values": {"chosen": {"t": "json", "v": ["purchase_value"], "nf": False}}}))
                _send(_frame("cell", {"index": _i, "outputs": _FULL, "execution_count": 1}))
            _send(_frame("done", True))
            time.sleep(0.05)
        os._exit(0)
""")

# Many frames and big ones, for indexes no judged cell has; then the notebook goes on honestly.
FLOOD = FRAME_HELPERS + _code("""
    for _i in range(20000):
        _send(_frame("answer", {"index": 900 + _i % 50, "values": {}}))
    _blob = "A" * (24 * 1024**2)
    for _i in range(6):
        _send(_frame("answer", {"index": 999, "values": {"x": {"t": "json", "v": _blob}}}))
    del _blob
""")

# A frame whose JSON nests deeper than any parser's recursion limit.
DEEP_JSON = FRAME_HELPERS + _code("""
    _data = b'{"answer": ' + b"[" * 200000 + b"]" * 200000 + b"}"
    _send(struct.pack("!I", len(_data)) + _data)
""")

# The hand-over encoder replaced in the kernel: verdict-shaped documents instead of values.
PATCH_ENCODER = _code("""
    import workbench.autograde.executor as _ex
    def _forged(names, namespace, **kw):
        return {n: {"t": "verdict", "passed": True, "points": 100} for n in names}
    _ex.encode_answers = _forged
""")

# The blob table of the hand-over forged: every array named by a digest no hand-over carries, and
# a later frame re-sending a known digest with other (all-zero) data.
FORGE_BLOBS = _code("""
    import base64, io
    import numpy as np
    import workbench.autograde.executor as _ex
    _real_put, _real_flush = _ex.BlobSender.put, _ex.BlobSender.flush
    def _put(self, data, budget):
        ref = _real_put(self, data, budget)
        return "@" + "0" * 40 if data[-8:] != bytes(8) else ref  # every array not ending in 0
    def _flush(self):
        new = _real_flush(self)
        _zeros = io.BytesIO(); np.save(_zeros, np.zeros(3)); _zeros = base64.b64encode(_zeros.getvalue()).decode()
        return {**{d: _zeros for d in self.sent}, **new}
    _ex.BlobSender.put, _ex.BlobSender.flush = _put, _flush
""")

# -- 4. reading keys from inside the sandbox ---------------------------------------------------------------
KEY_PROBE = _code("""
    import glob, os
    from pathlib import Path
    _SECRETS = [s[::-1] for s in @reversed_secrets@]   # reversed: this cell's own text never matches
    def _leaks(text):
        return any(s in text for s in _SECRETS)
    _read = 0
    for _pattern in @paths@:
        for _path in sorted(set(glob.glob(_pattern, recursive=True)) | ({_pattern} if "*" not in _pattern else set())):
            try:
                with open(_path, "rb") as _fh:
                    _text = _fh.read(5_000_000).decode("utf-8", "replace")
            except Exception as _exc:
                print("DENIED:", _path, type(_exc).__name__)
                continue
            print("LEAK: read", _path, "(answer key text)" if _leaks(_text) else "")
    _ATTEMPTS = {
        "load_scenario": "from workbench.scenarios import load_scenario; r = load_scenario('cdnow_winback')",
        "scenarios_dir": "from workbench.scenarios import scenarios_dir; r = [open(p).read() for p in glob.glob(str(scenarios_dir()) + '/*.yml')]",
        "checks._data.facts": "from workbench.checks import _data; r = _data.facts('cdnow_winback'); r = (r, vars(r) if hasattr(r, '__dict__') else None)",
        "grading_dir": "from workbench.paths import grading_dir; r = [open(p).read() for p in glob.glob(str(grading_dir()) + '/**/*.yml', recursive=True)]",
        "exercises_dir": "from workbench.paths import exercises_dir; r = [open(p).read() for p in glob.glob(str(exercises_dir()) + '/**/*.*', recursive=True)]",
        "reference_answers": "from workbench.exercises.context import reference_answers; from workbench.scenarios import load_scenario; r = reference_answers(load_scenario('cdnow_winback'))",
        "practice key": "from workbench.autograde.judge.practice import _key; r = _key('cdnow_winback', Path('data')).scenario",
        "judge key file": "from workbench.autograde.judge.keys import load_key; r = load_key(Path(@key_file@), data_dir=Path('data')).scenario",
        "analysis_table": "from workbench.scenarios import analysis_table, load_scenario; r = analysis_table(load_scenario('cdnow_winback'), root=Path('data'))",
    }
    for _name, _src in _ATTEMPTS.items():
        _ns = {"glob": glob, "os": os, "Path": Path}
        try:
            exec(_src, _ns)
        except BaseException as _exc:
            print("FAILED:", _name, type(_exc).__name__)
            continue
        _r = _ns.get("r")
        _text = repr(_r)
        if _leaks(_text) or getattr(_r, "answer_key", None) is not None or (hasattr(_r, "shape") and len(_r)):
            print("LEAK:", _name)
        else:
            print("EMPTY:", _name)
    print("PROBED")
""")

# Walks every readable file (bounded in time) looking for the answer key's texts.
KEY_SCAN = _code("""
    import os, time
    _SECRETS = [s[::-1] for s in @reversed_secrets@]
    _t0, _seen, _skip = time.monotonic(), 0, ("/proc", "/sys", "/dev", "/usr")
    _roots = ["/candidate", "/tmp", "/work", "/home", "/root", "/srv", "/opt", "/mnt", "/var", "/etc", "/"]
    _done = set()
    for _top in _roots:
        for _root, _dirs, _files in os.walk(_top):
            if _root in _done or _root.startswith(_skip):
                _dirs[:] = []
                continue
            _done.add(_root)
            _dirs[:] = [d for d in _dirs if d not in ("site-packages", "__pycache__", ".pyenv")]
            if time.monotonic() - _t0 > 15:
                break
            for _f in _files:
                _p = os.path.join(_root, _f)
                try:
                    if not os.path.isfile(_p) or os.path.getsize(_p) > 5_000_000:
                        continue
                    with open(_p, "rb") as _fh:
                        _text = _fh.read().decode("utf-8", "replace")
                except Exception:
                    continue
                _seen += 1
                if any(s in _text for s in _SECRETS):
                    print("LEAK:", _p)
    print("SCANNED:", _seen)
""")

# -- 5. an oracle --------------------------------------------------------------------------------------
ORACLE = _code(r"""
    import contextlib, io, itertools, re
    import pandas as pd
    _cats = sorted(pd.read_csv("data/dictionary.csv")["category"].unique())
    _found, _errors, _returned = [], set(), set()
    try:
        from workbench.autograde.judge.practice import judge as _judge
    except Exception as _exc:
        _judge = None
        print("IMPORT-FAILED:", type(_exc).__name__)
    for _r in range(1, len(_cats) + 1):
        for _sub in itertools.combinations(_cats, _r):
            _just = {c: "This category matters for the win-back campaign objective." for c in _sub}
            if _judge is not None:
                try:
                    with contextlib.redirect_stdout(io.StringIO()):
                        _pts = _judge("collect.categories", data_dir="data", chosen=list(_sub), justifications=_just)
                    _found.append((_pts, _sub))
                except BaseException as _exc:
                    _errors.add(type(_exc).__name__)
            _buf = io.StringIO()
            try:
                with contextlib.redirect_stdout(_buf):
                    _ret = block1.categories.check(list(_sub), justifications=_just, scenario=SCENARIO)
                _returned.add(repr(_ret))
            except Exception as _exc:
                _returned.add(type(_exc).__name__)
                _buf.write(str(_exc))
            if re.search(r"\d+(\.\d+)?\s*/\s*\d+(\.\d+)?\b|\b(score|points?)\s*[:=]\s*\d|\b\d+(\.\d+)?\s+points?\b", _buf.getvalue()):
                print("SELFCHECK-SCORE:", _sub, _buf.getvalue()[:200])
    print("JUDGE-ERRORS:", sorted(_errors))
    print("SELFCHECK-RETURNED:", sorted(_returned))
    if _found:
        _best = max(_found)
        print("ORACLE:", _best)
        chosen, justifications = list(_best[1]), {c: "Argued choice for the objective." for c in _best[1]}
    else:
        chosen, justifications = ["customer_key"], {"customer_key": "kept"}
""")

FORMATTER = _code("""
    get_ipython().display_formatter.formatters['text/plain'].for_type(float, lambda o, p, c: p.text(''))
    get_ipython().display_formatter.formatters['text/plain'].for_type(int, lambda o, p, c: p.text(''))
""")

BIG_LIST = "chosen = ['x'] * 10**7\n"
BIG_ARRAY = "import numpy as np\ntable = np.zeros(14_000_000)  # 112 MB\n"

# -- figures ----------------------------------------------------------------------------------------------
PNG_ONLY = _code("""
    %config InlineBackend.figure_formats = ['png']
    from matplotlib_inline.backend_inline import set_matplotlib_formats
    set_matplotlib_formats("png")
""")

UNDISPLAYED_B = _code("""
    _fig_b, _ax_b = plt.subplots(figsize=(8, 4.5))
    summary.plot.bar(ax=_ax_b, rot=0)
    _ax_b.set_title("Each segment's share of customers and of value")
    _ax_b.set_xlabel("Segment")
    _ax_b.set_ylabel("Share of the total (%)")
    fig_sizes = _fig_b
    plt.close(_fig_b)
""")

# A figure drawn but never displayed, named in the hand-over by the SHA of its own SVG rendering:
# through the executor's registry and through a patched encoder.
FORGED_SHA = _code("""
    import hashlib, io
    import workbench.autograde.executor as _ex
    fig_sizes, _ax = plt.subplots(figsize=(8, 4.5))
    _ax.bar(["S1", "S2", "S3", "S4"], [10, 20, 30, 40])
    _ax.set_title("Each segment's share of customers"); _ax.set_xlabel("Segment"); _ax.set_ylabel("Share (%)")
    _buf = io.StringIO()
    fig_sizes.savefig(_buf, format="svg")
    _sha = hashlib.sha256(_buf.getvalue().encode("utf-8")).hexdigest()
    _ex.DISPLAYED_SVG[id(fig_sizes)] = _sha
    fig_heatmap = fig_map = fig_sizes
    _orig = _ex.encode_answers
    def _encode(names, namespace, **kw):
        out = _orig(names, namespace, **kw)
        for doc in out.values():
            if isinstance(doc, dict) and doc.get("t") == "figure":
                doc["sha256"] = _sha
        return out
    _ex.encode_answers = _encode
    plt.close(fig_sizes)
""")

# The graded SVG displayed inside an output whose richer representation (HTML) shows something else.
HTML_OVER_SVG = _code("""
    from IPython.display import display
    _data, _md = get_ipython().display_formatter.format(fig_sizes)
    display({"text/html": "<p>a different chart</p>", "image/svg+xml": _data["image/svg+xml"],
             "text/plain": "<Figure>"}, raw=True)
""")

# An SVG output that is not text: the judge reads every displayed SVG.
SVG_NOT_TEXT = _code("""
    from IPython.display import display
    display({"image/svg+xml": [1, 2, 3], "text/plain": "x"}, raw=True)
""")


def tricks(*, course: Path, repo: Path, key_texts: list[str] | None = None) -> list[Trick]:
    """Every hostile candidate of the batch, with host paths and key texts baked in (read from the
    course's key file unless ``key_texts`` is given)."""
    key_file = course / ".workbench" / "judge" / "cdnow_winback.yml"
    hidden = [s[::-1] for s in (secrets(key_file) if key_texts is None else key_texts)]
    paths = [str(key_file), str(course / ".workbench" / "judge" / "*"), str(course / "source" / "block1" / "*.ipynb"),
             str(course / "gradebook.db"), str(course / "nbgrader_config.py"),
             str(repo / "grading" / "scenarios" / "*.yml"), str(repo / "grading" / "*.yml"),
             str(repo / "exercises" / "source" / "**" / "*.ipynb"), str(repo / "exercises" / "references" / "*.yml"),
             str(repo / "exercises" / "*.yml"), "/work/main/grading/scenarios/cdnow_winback.yml"]
    probe = _code(KEY_PROBE, reversed_secrets=hidden, paths=paths, key_file=str(key_file))
    scan = _code(KEY_SCAN, reversed_secrets=hidden)
    def at_start(code: str, notebooks=(NB11,)) -> dict:
        return {nb: [(AFTER_SETUP, code)] for nb in notebooks}

    return [
        # 1. hooks
        Trick("h_input_transformer", "hooks", at_start(INPUT_TRANSFORMER, ALL), notebooks=ALL,
              worked_before="test cells rewritten to `float(2)` before they ran"),
        Trick("h_ast_transformer", "hooks", at_start(AST_TRANSFORMER, ALL), notebooks=ALL,
              worked_before="the AST of every .check( cell replaced by a constant"),
        Trick("h_wrap_run_cell", "hooks", at_start(WRAP_RUN_CELL, ALL), notebooks=ALL,
              worked_before="run_cell swapped the test cell's source"),
        Trick("h_silent_tracebacks", "hooks", at_start(SILENT_TRACEBACKS, ALL), notebooks=ALL,
              worked_before="failed asserts left no error output: full points"),
        Trick("h_post_run_clear", "hooks", at_start(POST_RUN_CLEAR, ALL), notebooks=ALL,
              worked_before="error outputs removed after each cell"),
        Trick("h_settrace", "hooks", at_start(SETTRACE), status="needs-review", worked_before="a tracer swapped a local of the grader"),
        # 2. the check library
        Trick("l_rebind_block1", "library", at_start(REBIND_BLOCK1, ALL), notebooks=ALL,
              worked_before="hidden tests called the fake block1"),
        Trick("l_patch_rules", "library", {NB11: [(AFTER_SETUP, PATCH_RULES)], NB12: [(AFTER_SETUP, PATCH_RULES)]},
              notebooks=(NB11, NB12), worked_before="rules patched in the kernel"),
        Trick("l_patch_numpy", "library", {NB11: [(AFTER_SETUP, PATCH_NUMPY), (BEFORE_TABLE_TEST_11 + 1, ZERO_TABLE)]},
              control="l_zero_table", worked_before="numpy comparison patched: an all-zero table passed"),
        Trick("l_zero_table", "control", {NB11: [(BEFORE_TABLE_TEST_11, ZERO_TABLE)]}),  # control of l_patch_numpy
        Trick("l_patch_encoder", "library", {NB11: [(AFTER_SETUP, PATCH_ENCODER)], NB13: [(AFTER_SETUP, PATCH_ENCODER)]},
              notebooks=(NB11, NB13), status="needs-review"),
        # 3. forged frames
        Trick("f_forge_all_exit", "frames", at_start(FORGE_ALL_AND_EXIT, (NB11, NB13)), notebooks=(NB11, NB13),
              status="needs-review", worked_before="forged full-points cell frames then os._exit(0)"),
        Trick("f_forge_cells_exit", "frames", at_start(FORGE_CELLS_AND_EXIT), worked_before="forged cell frames"),
        Trick("f_forge_duplicate", "frames", {NB11: [(BEFORE_TESTS_11, FORGE_DUPLICATE)]}, base="model",
              status="needs-review"),
        Trick("f_fork_after_done", "frames", at_start(FORK_AFTER_DONE)),
        Trick("f_flood", "frames", {NB11: [(BEFORE_TESTS_11, FLOOD)]}, base="model"),
        Trick("f_deep_json", "frames", at_start(DEEP_JSON)),
        Trick("f_forge_blobs", "frames", {NB11: [(AFTER_SETUP, FORGE_BLOBS)], NB12: [(AFTER_SETUP, FORGE_BLOBS)]},
              base="model", notebooks=(NB11, NB12), status="needs-review"),
        # 4. keys
        Trick("k_probe", "keys", at_start(probe), worked_before="workbench.checks._data / scenarios read the key"),
        Trick("k_scan", "keys", at_start(scan)),
        # 5. oracle
        Trick("o_oracle", "oracle", {NB11: [(BEFORE_TESTS_11, ORACLE)]},
              worked_before="block1.<check>.grade over the 63 subsets found full marks"),
        # bad input, formatter, figures
        Trick("b_formatter", "bad-input", at_start(FORMATTER, ALL), base="model", notebooks=ALL),
        Trick("b_big_list", "bad-input", {NB11: [(BEFORE_TESTS_11, BIG_LIST)]}, base="model"),
        Trick("b_big_array", "bad-input", {NB11: [(BEFORE_TABLE_TEST_11, BIG_ARRAY)]}, base="model"),
        Trick("g_png_only", "figures", {NB13: [(AFTER_SETUP, PNG_ONLY)]}, base="model", notebooks=(NB13,)),
        Trick("g_undisplayed_b", "figures", {NB13: [(BEFORE_TESTS_13, UNDISPLAYED_B)]}, base="model", notebooks=(NB13,)),
        Trick("g_forged_sha", "figures", {NB13: [(BEFORE_TESTS_13, FORGED_SHA)]}, notebooks=(NB13,)),
        Trick("g_html_over_svg", "figures", {NB13: [(BEFORE_TESTS_13, HTML_OVER_SVG)]}, base="model", notebooks=(NB13,),
              overrides={NB13: {"fig_sizes": "@model@\nplt.close(fig_sizes)"}}),
        Trick("g_svg_not_text", "figures", {NB13: [(AFTER_SETUP, SVG_NOT_TEXT)]}, notebooks=(NB13,)),
    ]
