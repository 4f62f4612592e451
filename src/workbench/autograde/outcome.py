"""Turn a worker's raw result into notebook outputs and a per-candidate status.

Cells that never ran because the candidate's process died or ran out of time get an ``error``
output naming the cause, so nbgrader's ``determine_grade`` gives their test cells 0 points,
while cells that finished before keep their grades.
"""

from __future__ import annotations

import re
import signal

from workbench.autograde.answers import Handovers

# Per-candidate statuses, most severe first. "ok" and "errors" are normal grading outcomes
# (errors: some cell raised, e.g. a failed assertion); the others are the candidate's faults.
SEVERITY = ["infra-failed", "invalid-notebook", "needs-review", "crashed", "memory", "timeout",
            "output-limit", "invalid-output", "errors", "ok"]
# needs-review: a judged cell's hand-over was missing or altered, or could not be judged
# (scored 0, listed for a marker); invalid-output: an output nbgrader cannot read (scored 0).
FAULTS = {"invalid-notebook", "needs-review", "crashed", "memory", "timeout", "output-limit",
          "invalid-output"}


class InfraFault(Exception):
    """The result says the machinery failed (not the candidate): retry the job."""


def _error(ename: str, evalue: str) -> dict:
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": [f"{ename}: {evalue}"]}


def _death_cause(raw: dict) -> tuple[str, str, str] | None:
    """(status, ename, message) when the child did not finish its notebook, else None."""
    if raw.get("wall_timeout"):
        return "timeout", "NotebookTimeoutError", "the notebook exceeded its wall-clock time limit"
    if raw.get("corrupt"):
        return "crashed", "DeadKernelError", "the candidate's code corrupted the result channel"
    exit_info = raw.get("exit") or {}
    sig = exit_info.get("signal")
    if sig == signal.SIGXCPU:
        return "timeout", "CPUTimeLimitError", "the notebook exceeded its CPU time limit"
    if sig == signal.SIGKILL:
        return "memory", "DeadKernelError", "the process was killed (memory exhausted)"
    if sig is not None:
        return "crashed", "DeadKernelError", f"the kernel died with signal {signal.Signals(sig).name}"
    if not raw.get("done"):
        return "crashed", "DeadKernelError", f"the kernel exited early (code {exit_info.get('code')})"
    return None


def merge(raw: dict, cells: list[dict]) -> tuple[list[dict], str, str]:
    """Return (per-cell results aligned with ``cells``, status, detail) for one notebook.

    Raises InfraFault when the failure belongs to the grading machinery.
    """
    if raw.get("infra") or (raw.get("broken_pipe") and not raw.get("exit") and not raw.get("corrupt")):
        raise InfraFault(raw.get("infra") or "the child's result pipe broke")
    by_index = {c["index"]: c for c in raw.get("cells", []) if isinstance(c, dict) and "index" in c}
    death = _death_cause(raw)
    merged: list[dict] = []
    first_missing = True
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            merged.append({"outputs": [], "execution_count": None})
        elif cell.get("handover") is not None:  # a judged test cell: the judge writes its outputs
            merged.append({"outputs": [], "execution_count": None})
        elif index in by_index:
            count = by_index[index].get("execution_count")
            merged.append({"outputs": _checked_outputs(by_index[index].get("outputs")),
                           "execution_count": count if isinstance(count, int) else None,
                           "timing": _checked_timing(by_index[index].get("timing"))})
        else:
            _, ename, message = death or ("crashed", "DeadKernelError", "the cell did not run")
            text = message if first_missing else f"not executed: {message}"
            first_missing = False
            merged.append({"outputs": [_error(ename, text)], "execution_count": None})
    status, detail = (death[0], death[2]) if death else _status_from_outputs(merged)
    return merged, status, detail


def answers_by_cell(raw: dict) -> Handovers:
    """The hand-overs of judged test cells, by cell index, as the child sent them (untrusted),
    with the named blobs they carried.

    A cell handed over twice is ambiguous: it reads as ``None`` (altered), which the judge
    scores 0 and sends for review. A blob sent twice under one name keeps its first text.
    """
    found: dict[int, object] = {}
    blobs: dict[str, str] = {}
    for answer in raw.get("answers") or []:
        if not isinstance(answer, dict) or not isinstance(answer.get("index"), int):
            continue
        index = answer["index"]
        found[index] = None if index in found else answer.get("values")
        sent = answer.get("blobs")
        if isinstance(sent, dict):
            for digest, text in sent.items():
                if isinstance(digest, str) and isinstance(text, str):
                    blobs.setdefault(digest, text)
    return Handovers(found, blobs)


def _is_str_map(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) for k in value)


def _valid(out: object) -> bool:
    """Whether ``out`` has the shape of an nbformat v4 output (the child could be forged)."""
    if not isinstance(out, dict):
        return False
    kind = out.get("output_type")
    if kind == "stream":
        return out.get("name") in ("stdout", "stderr") and isinstance(out.get("text"), str)
    if kind in ("display_data", "execute_result"):
        ok = _is_str_map(out.get("data")) and _is_str_map(out.get("metadata"))
        ok = ok and all(isinstance(v, (str, list, dict)) for v in out["data"].values())
        count = out.get("execution_count")
        return ok and (kind == "display_data" or count is None or isinstance(count, int))
    if kind == "error":
        return (isinstance(out.get("ename"), str) and isinstance(out.get("evalue"), str)
                and isinstance(out.get("traceback"), list)
                and all(isinstance(line, str) for line in out["traceback"]))
    return False


def _checked_outputs(outputs: object) -> list[dict]:
    """Keep well-formed outputs; a malformed one becomes an error (0 points for a test cell)."""
    if not isinstance(outputs, list):
        return [_error("InvalidOutput", "the cell produced malformed outputs")]
    return [o if _valid(o) else _error("InvalidOutput", "the cell produced a malformed output")
            for o in outputs]


_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


def _checked_timing(timing: object) -> list[str] | None:
    """[start, end] timestamps of a cell, or None when absent or not shaped like timestamps."""
    if isinstance(timing, list) and len(timing) == 2 and all(isinstance(t, str) and _STAMP.fullmatch(t)
                                                             for t in timing):
        return timing
    return None


def _status_from_outputs(merged: list[dict]) -> tuple[str, str]:
    enames = [o.get("ename") for c in merged for o in c["outputs"] if o.get("output_type") == "error"]
    if "MemoryError" in enames:
        return "memory", "MemoryError in a cell"
    if "CellTimeoutError" in enames:
        return "timeout", "a cell exceeded the per-cell timeout"
    if "OutputLimitExceeded" in enames:
        return "output-limit", "the notebook printed more output than allowed"
    if enames:
        return "errors", f"{len(enames)} cell(s) raised: {', '.join(sorted(set(map(str, enames))))}"
    return "ok", ""


def worst(statuses: list[str]) -> str:
    """The most severe of several notebooks' statuses."""
    return min(statuses, key=SEVERITY.index) if statuses else "ok"
