"""Run a notebook's code cells in-process with an IPython shell, recording Jupyter outputs.

This runs inside a forked, sandboxed child (see :mod:`workbench.autograde.zygote`). It stands in
for an ipykernel + nbclient pair: the same ``InteractiveShell.run_cell`` path executes the code,
and outputs are recorded with the message semantics nbclient turns into notebook outputs
(streams, ``display_data``, ``execute_result``, ``error``), so nbgrader's ``determine_grade``
sees what it would see after ``nbgrader autograde``.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import sys
from datetime import datetime, timezone
from typing import Any, Callable

from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell

from workbench.autograde.answers import BlobSender, encode_answers, svg_sha256
from workbench.autograde.nsutil import cpu_seconds

Output = dict[str, Any]

# A cell may take this many times its timeout in wall-clock time when its CPU time is under it.
WALL_SLACK = 3.0


class OutputLimitExceeded(Exception):
    """The candidate's notebook printed more than the configured output budget."""


class CellTimeoutError(KeyboardInterrupt):
    """A cell ran longer than the per-cell timeout (nbgrader interrupts the kernel likewise)."""


def _clean(obj: Any) -> Any:
    """Make display data JSON-safe the way ipykernel's ``json_clean`` does (bytes -> base64)."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, bytes):
        return base64.b64encode(obj).decode("ascii")
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    return str(obj)


class Recorder:
    """Collect the outputs of the cell being run, within a byte budget for the whole notebook."""

    def __init__(self, max_bytes: int) -> None:
        self.outputs: list[Output] = []
        self.max_bytes = max_bytes
        self.used = 0
        self.overflowed = False
        self._clear_pending = False

    def _charge(self, nbytes: int) -> bool:
        self.used += nbytes
        if self.used > self.max_bytes:
            self.overflowed = True
        return not self.overflowed

    def _add(self, out: Output) -> None:
        if self._clear_pending:
            self.outputs.clear()
            self._clear_pending = False
        self.outputs.append(out)

    def stream(self, name: str, text: str) -> None:
        if not text or not self._charge(len(text)):
            return
        last = self.outputs[-1] if self.outputs and not self._clear_pending else None
        if last is not None and last["output_type"] == "stream" and last["name"] == name:
            last["text"] += text  # ipykernel buffers consecutive writes into one message
        else:
            self._add({"output_type": "stream", "name": name, "text": text})

    def rich(self, output: Output) -> None:
        output = _clean(output)
        if self._charge(len(json.dumps(output))):
            self._add(output)

    def clear(self, wait: bool) -> None:
        if wait:
            self._clear_pending = True
        else:
            self.outputs.clear()


class CaptureStream:
    """A text stream object standing in for sys.stdout / sys.stderr inside the cells."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, recorder: Recorder, name: str) -> None:
        self._recorder = recorder
        self.name = name

    def write(self, text: Any) -> int:
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        text = str(text)
        self._recorder.stream(self.name, text)
        if self._recorder.overflowed:
            raise OutputLimitExceeded("output limit exceeded")
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return 1 if self.name == "stdout" else 2

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False


class _Publisher(DisplayPublisher):
    recorder: Recorder | None = None

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kw):  # noqa: D102
        if self.recorder is not None:
            self.recorder.rich({"output_type": "display_data", "data": data, "metadata": metadata or {}})

    def clear_output(self, wait: bool = False) -> None:  # noqa: D102
        if self.recorder is not None:
            self.recorder.clear(wait)


class _DisplayHook(DisplayHook):
    recorder: Recorder | None = None

    def start_displayhook(self) -> None:  # noqa: D102
        self._pending: Output = {}

    def write_output_prompt(self) -> None:  # noqa: D102
        pass

    def write_format_data(self, format_dict, md_dict=None) -> None:  # noqa: D102
        self._pending = {"data": format_dict, "metadata": md_dict or {}}

    def finish_displayhook(self) -> None:  # noqa: D102
        if self.recorder is not None and self._pending:
            self.recorder.rich({"output_type": "execute_result", "execution_count": self.prompt_count,
                                "data": self._pending["data"], "metadata": self._pending["metadata"]})
        self._pending = {}


class CellShell(InteractiveShell):
    """An InteractiveShell whose tracebacks become ``error`` outputs, like ZMQInteractiveShell."""

    recorder: Recorder | None = None

    def enable_gui(self, gui=None) -> None:  # noqa: D102  (inline figures need no event loop)
        pass

    def _showtraceback(self, etype, evalue, stb) -> None:  # noqa: D102
        if self.recorder is not None:
            self.recorder.rich({"output_type": "error", "ename": str(etype.__name__),
                                "evalue": str(evalue), "traceback": list(stb)})


# id(figure) -> SHA-256 of the SVG last displayed for it, so that a hand-over can name the figure
# by what the notebook showed. Filled in the candidate's child: forging it only changes the answer.
DISPLAYED_SVG: dict[int, str] = {}


def _record_svg_displays(shell: CellShell) -> None:
    """Wrap the display formatter: remember the SVG each displayed figure produced."""
    from workbench.autograde.answers import _figure_of

    formatter = shell.display_formatter
    original = formatter.format

    def format(obj, include=None, exclude=None):  # noqa: A001 - IPython's name
        data, metadata = original(obj, include=include, exclude=exclude)
        svg = data.get("image/svg+xml") if isinstance(data, dict) else None
        if isinstance(svg, str):
            fig = _figure_of(obj)
            if fig is not None:
                DISPLAYED_SVG[id(fig)] = svg_sha256(svg)
        return data, metadata

    formatter.format = format


def make_shell() -> CellShell:
    """Build the shell once in the zygote, so each forked child starts from the same clean state."""
    from traitlets.config import Config

    # No history database, hence no history-saving thread: the zygote forks, and stays one thread.
    shell = CellShell.instance(
        config=Config({"HistoryManager": {"enabled": False}}),
        displayhook_class=_DisplayHook, display_pub_class=_Publisher, colors="Linux",
        history_length=0, cache_size=1000,
    )
    # Plain tracebacks (like the standard interpreter's): IPython's default "Context" mode parses
    # the source of every frame with stack_data, ~0.1-0.5 s per error in pandas code, for text
    # nobody grades (only the presence of an error counts).
    shell.InteractiveTB.set_mode("Plain")
    shell.enable_matplotlib("inline")
    _skip_discarded_draw(shell)
    _record_svg_displays(shell)
    return shell


def _skip_discarded_draw(shell: CellShell) -> None:
    """Drop matplotlib's post-execute ``draw_all`` when the inline backend closes figures.

    After each cell, matplotlib's hook draws every open figure onto its canvas, then the inline
    backend's hook renders each one to PNG (drawing it again, twice with ``bbox_inches="tight"``)
    and closes it. The first drawing is never shown and costs ~0.1 s per figure. Outputs stay the
    same: a figure that fails to draw still fails when rendered, as an error output.
    """
    import matplotlib.pyplot as plt
    from matplotlib_inline.backend_inline import InlineBackend

    hook = getattr(plt, "_draw_all_if_interactive", None)
    if hook is not None and InlineBackend.instance().close_figures:
        try:
            shell.events.unregister("post_execute", hook)
        except ValueError:  # not registered by this matplotlib version
            pass


def _alarm(signum: int, frame: Any) -> None:
    # Disarm both budgets: one interruption per cell, not a second one inside the traceback.
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.setitimer(signal.ITIMER_PROF, 0)
    raise CellTimeoutError("Cell execution timed out")


def run_cells(shell: CellShell, cells: list[dict], *, cell_timeout: float, max_output_bytes: int,
              fd_reader: Callable[[], tuple[str, str]], emit: Callable[[str, dict], None]) -> float:
    """Run each code cell in order, emitting ``("cell", {"index", "outputs", "execution_count",
    "timing"})`` per cell (timing: start and end timestamps).

    A judged test cell (``"handover"``: the variables it names) never runs here: the variables
    are encoded as values and emitted as ``("answer", {"index", "values", "blobs"})`` (the
    arrays not sent before in this notebook, see :class:`BlobSender`); the judge decides.

    A cell that raises or times out gets an ``error`` output and the next cell still runs
    (nbgrader's ``allow_errors=True`` and ``interrupt_on_timeout=True``). Returns the CPU seconds
    spent inside the cells (the candidate's code, its displays and figures), for accounting.
    """
    recorder = Recorder(max_output_bytes)
    shell.recorder = recorder
    shell.displayhook.recorder = recorder
    shell.display_pub.recorder = recorder
    sys.stdout = CaptureStream(recorder, "stdout")
    sys.stderr = CaptureStream(recorder, "stderr")
    signal.signal(signal.SIGALRM, _alarm)
    signal.signal(signal.SIGPROF, _alarm)
    owner = os.getpid()
    in_cells = 0.0
    sender = BlobSender()
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("handover") is not None:
            values = _hand_over(cell["handover"], shell, cell_timeout, sender)
            emit("answer", {"index": index, "values": values, "blobs": sender.flush()})
            continue
        recorder.outputs = []
        recorder._clear_pending = False
        started = _now()
        if recorder.overflowed:
            recorder.outputs.append(_limit_error())
            emit("cell", {"index": index, "outputs": recorder.outputs, "execution_count": None})
            continue
        # The budget is CPU time, with a wall-clock backstop for sleeping or blocked cells: on a
        # starved machine a correct cell must not turn into a timeout (nbgrader's IOPub failure).
        signal.setitimer(signal.ITIMER_PROF, cell_timeout)
        signal.setitimer(signal.ITIMER_REAL, cell_timeout * WALL_SLACK)
        cpu0 = cpu_seconds()
        counter = shell.execution_count  # the cell's number, as the kernel announces it
        try:
            result = shell.run_cell(cell.get("source", ""), store_history=True)
        except BaseException as exc:  # a timeout landing outside IPython's own handler
            result = None
            recorder.rich({"output_type": "error", "ename": type(exc).__name__, "evalue": str(exc),
                           "traceback": [f"{type(exc).__name__}: {exc}"]})
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.setitimer(signal.ITIMER_PROF, 0)
            in_cells += cpu_seconds() - cpu0
        out_text, err_text = fd_reader()  # output written straight to fds 1/2 (C code, subprocesses)
        recorder.stream("stdout", out_text)
        recorder.stream("stderr", err_text)
        if result is not None:
            _record_hidden_error(recorder, result)
        _nbgrader_timeout(recorder)
        if recorder.overflowed and not any(o["output_type"] == "error" for o in recorder.outputs):
            recorder.outputs.append(_limit_error())
        if os.getpid() != owner:  # a process the candidate forked: it must not report anything
            os._exit(0)
        # IPython leaves the count unset when its own error display fails (showtraceback = None)
        count = counter if result is None or result.execution_count is None else result.execution_count
        emit("cell", {"index": index, "outputs": recorder.outputs, "execution_count": count,
                      "timing": [started, _now()]})
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    return in_cells


def _record_hidden_error(recorder: Recorder, result: Any) -> None:
    """nbgrader's ``Execute.on_cell_executed``: an error the cell raised that no output shows (the
    candidate disabled ``showtraceback``) is recorded anyway, so that its test cell scores 0."""
    err = result.error_before_exec or result.error_in_exec
    if err is None or any(o.get("output_type") == "error" and o.get("ename") == type(err).__name__
                          for o in recorder.outputs):
        return
    recorder.rich({"output_type": "error", "ename": type(err).__name__, "evalue": str(err),
                   "traceback": ["ERROR: An error occurred while showtraceback was disabled"]})


def _nbgrader_timeout(recorder: Recorder) -> None:
    """A timed-out cell's outputs as nbgrader leaves them: the kernel's ``KeyboardInterrupt``
    (the interrupt), then nbgrader's ``Execute.error_on_timeout`` error."""
    for i, out in enumerate(recorder.outputs):
        if out.get("output_type") == "error" and out.get("ename") == "CellTimeoutError":
            recorder.outputs[i:i + 1] = [
                {"output_type": "error", "ename": "KeyboardInterrupt", "evalue": "", "traceback": out["traceback"]},
                {"output_type": "error", "ename": "CellTimeoutError", "evalue": "",
                 "traceback": ["\x1b[0;31mCellTimeoutError\x1b[0m: No reply from kernel before timeout"]}]
            return


def _hand_over(names: list[str], shell: CellShell, cell_timeout: float, sender: BlobSender) -> dict:
    """Encode the variables a judged test cell names, under the cell's time budget (a candidate's
    object runs code while it is read: properties, ``__array__``)."""
    signal.setitimer(signal.ITIMER_PROF, cell_timeout)
    signal.setitimer(signal.ITIMER_REAL, cell_timeout * WALL_SLACK)
    try:
        return encode_answers(list(names), shell.user_ns, figures=DISPLAYED_SVG, sender=sender)
    except BaseException as exc:  # noqa: BLE001 - a timeout or a hostile object: nothing to send
        sender.drop()
        return {name: {"t": "unsupported", "type": type(exc).__name__[:80]} for name in names}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.setitimer(signal.ITIMER_PROF, 0)


def _now() -> str:
    """A timestamp as Jupyter messages carry them (nbclient copies them into cell metadata)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _limit_error() -> Output:
    return {"output_type": "error", "ename": "OutputLimitExceeded",
            "evalue": "the notebook printed more output than allowed",
            "traceback": ["OutputLimitExceeded: the notebook printed more output than allowed"]}


def fd_tail_reader(out_fd: int, err_fd: int, limit: int) -> Callable[[], tuple[str, str]]:
    """Return a reader of what was appended to the files behind fds 1 and 2 since the last call."""
    offsets = {out_fd: 0, err_fd: 0}

    def read() -> tuple[str, str]:
        texts = []
        for fd in (out_fd, err_fd):
            try:
                size = os.fstat(fd).st_size
                take = min(size - offsets[fd], limit)
                data = os.pread(fd, take, offsets[fd]) if take > 0 else b""
                offsets[fd] = size
            except OSError:
                data = b""
            texts.append(data.decode("utf-8", "replace"))
        return texts[0], texts[1]

    return read
