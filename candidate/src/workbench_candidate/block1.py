"""Block 1's self-checks, one read-only object per check: ``block1.categories.check(chosen)``.

A self-check runs the check's *public* rules on your objects, here in your kernel, and says what
they found. It never gives points and never reads an answer key: grading is done later, outside
your notebook, by the judge, which runs these same rules plus the ones that need the answer key
(the success line says which).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench_candidate import scenario as _scenario
from workbench_candidate.checks import Declaration, declarations, public_outcome
from workbench_candidate.outcome import BadAnswer, Outcome


class CheckFailed(AssertionError):
    """A self-check found a fault; the message is for the candidate (no traceback in IPython)."""

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


class SelfCheck:
    """One check, run by a one-line call in a notebook."""

    __slots__ = ("_decl",)

    def __init__(self, decl: Declaration) -> None:
        object.__setattr__(self, "_decl", decl)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("checks are read-only")

    def __repr__(self) -> str:
        d = self._decl
        return f"<self-check {d.id} ({d.criterion}): {d.title.en}>"

    @property
    def id(self) -> str:
        return self._decl.id

    @property
    def criterion(self) -> str:
        return self._decl.criterion

    def hint(self) -> None:
        """Print a hint (never the answer)."""
        print(f"💡 {self._decl.hint.en}\n   {self._decl.hint.fr}")

    def _answers(self, args: tuple, kwargs: dict) -> tuple[dict, dict]:
        names = self._decl.answers
        if len(args) > 1:
            raise CheckFailed(f"{self.id}: pass the first object positionally and the others by name "
                              f"({', '.join(names[1:])})")
        answers = dict(zip(names, args))
        params = {}
        for key, value in kwargs.items():
            (answers if key in names else params)[key] = value
        missing = [n for n in names if n not in answers and n != "table"]
        if missing:
            raise CheckFailed(f"{self.id}: missing argument(s): {', '.join(missing)}")
        if "figure" in answers:
            from workbench_candidate.figures import render_svg

            answers["figure"] = render_svg(answers["figure"])
        return answers, params

    def check(self, *args: Any, scenario: str | None = None, data_dir: str | Path = "data", **kwargs: Any) -> None:
        """Run the public rules; print what holds, or raise :class:`CheckFailed` naming each fault."""
        try:
            facts = _scenario.load(data_dir) if self._decl.needs_scenario else None
            if facts is not None and scenario is not None and scenario != facts.id:
                raise CheckFailed(f"{self.id}: this assignment's scenario is {facts.id!r}, not {scenario!r}")
            answers, params = self._answers(args, kwargs)
            outcome = public_outcome(self.id, answers, params, facts)
        except BadAnswer as exc:
            raise CheckFailed(f"{self.id}: {exc.en}\n   {exc.fr}") from None
        _report(self._decl, outcome)


def _report(decl: Declaration, outcome: Outcome) -> None:
    for note in outcome.notes:
        print(f"ℹ {note.en}\n   {note.fr}")
    if outcome.faults:
        lines = [f"{f.en}\n   {f.fr}" for f in outcome.faults]
        if len(lines) == 1:  # one fault reads as one sentence
            raise CheckFailed(f"{decl.id}: {lines[0]}")
        raise CheckFailed(f"{decl.id}:\n- " + "\n- ".join(lines))
    print(f"✔ {decl.id}: {decl.public.en}\n   {decl.public.fr}")


_BY_ATTR = {d.attr: SelfCheck(d) for d in declarations().values()}
categories = _BY_ATTR["categories"]
analysis_table = _BY_ATTR["analysis_table"]
justifications = _BY_ATTR["justifications"]
segmentation = _BY_ATTR["segmentation"]
profiles = _BY_ATTR["profiles"]
target_names = _BY_ATTR["target_names"]
figure_clarity = _BY_ATTR["figure_clarity"]
figure_adequacy = _BY_ATTR["figure_adequacy"]
