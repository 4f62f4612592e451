"""Errors in plain words: what a candidate reads when a cell fails, without class names or tracebacks.

IPython shows an exception through its ``_render_traceback_`` when it has one, and through a
custom handler when one is registered for its type: nbgrader's Validate and the feedback print
exactly those lines (the error's class name stays in the notebook's metadata only).
"""

from __future__ import annotations

import re

from workbench_candidate.lang import course_lang, message, wrap

_UNDEFINED = re.compile(r"name '([^']+)' is not defined")


class CheckFailed(AssertionError):
    """A self-check found a fault; the message is the candidate's, shown as is."""

    def _render_traceback_(self) -> list[str]:
        return str(self).splitlines()


def not_answered(exc: BaseException, lang: str) -> str | None:
    """The "not answered yet" sentence for an unanswered question's error, else None."""
    if isinstance(exc, NameError) and (m := _UNDEFINED.search(str(exc))):
        return wrap(message("not_answered", lang, name=f"`{m.group(1)}`"))
    if type(exc) is NotImplementedError and not str(exc):  # nbgrader's "raise NotImplementedError()"
        return wrap(message("not_written", lang))
    return None


_BUILTIN = {"NameError": NameError, "NotImplementedError": NotImplementedError}


def plain_error(ename: str, evalue: str, lang: str) -> str:
    """What a candidate reads for a recorded error (feedback, reports): its message only, in plain
    words ("Not answered yet" for an unanswered question), never its class name."""
    if ename in _BUILTIN and (text := not_answered(_BUILTIN[ename](evalue), lang)):
        return text
    return evalue or ename


def _handler(shell, etype, value, tb, tb_offset=None):  # IPython's custom-exception signature
    # IPython does not show what a custom handler returns: the handler shows it (an error output,
    # as for any failed cell, so nbgrader scores the cell 0 and Validate reports it).
    text = not_answered(value, course_lang())
    if text is None:  # any other NameError or NotImplementedError: IPython's usual traceback
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        return None
    stb = text.splitlines()
    shell._showtraceback(etype, value, stb)
    return stb


def install_plain_errors() -> None:
    """In an IPython kernel, show unanswered questions as "Not answered yet" (else do nothing)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((NameError, NotImplementedError), _handler)
