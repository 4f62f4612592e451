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
from workbench_candidate.lang import capital, course_lang, message, wrap
from workbench_candidate.outcome import BadAnswer, Outcome
from workbench_candidate.plain import CheckFailed, install_plain_errors

install_plain_errors()  # "Not answered yet" instead of a NameError, in the candidate's kernel
_quiet = {"next": False}  # the practice judge already said this cell's verdict (one line per outcome)


def quiet_next_check() -> None:
    """The next self-check prints nothing and raises nothing: the practice judge has spoken."""
    _quiet["next"] = True


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

    def hint(self, data_dir: str | Path = "data") -> None:
        """Print a hint (never the answer)."""
        lang = course_lang(data_dir)
        print(wrap(message("hint", lang, text=self._decl.hint.text(lang))))

    def _answers(self, args: tuple, kwargs: dict, lang: str) -> tuple[dict, dict]:
        names = self._decl.answers
        if len(args) > 1:
            raise CheckFailed(wrap(message("failed", lang, text=message("positional", lang, names=", ".join(names[1:])))))
        answers = dict(zip(names, args))
        params = {}
        for key, value in kwargs.items():
            (answers if key in names else params)[key] = value
        missing = [n for n in names if n not in answers and n != "table"]
        if missing:
            raise CheckFailed(message("failed", lang, text=message("missing_argument", lang, names=", ".join(missing))))
        if "figure" in answers:
            from workbench_candidate.figures import render_svg

            answers["figure"] = render_svg(answers["figure"])
        return answers, params

    def check(self, *args: Any, scenario: str | None = None, data_dir: str | Path = "data", **kwargs: Any) -> None:
        """Run the public rules; print what holds, or raise :class:`CheckFailed` naming each fault.

        Everything is said in the course's language, in plain words: no check id, no class name.
        """
        if _quiet["next"]:
            _quiet["next"] = False
            return
        lang = course_lang(data_dir)
        try:
            facts = _scenario.load(data_dir) if self._decl.needs_scenario else None
            if facts is not None and scenario is not None and scenario != facts.id:
                raise CheckFailed(message("failed", lang, text=message(
                    "wrong_scenario", lang, actual=repr(facts.id), given=repr(scenario))))
            answers, params = self._answers(args, kwargs, lang)
            outcome = public_outcome(self.id, answers, params, facts)
        except BadAnswer as exc:
            raise CheckFailed(wrap(message("failed", lang, text=capital(exc.fr if lang == "fr" else exc.en)))) from None
        _report(self._decl, outcome, lang)


def _report(decl: Declaration, outcome: Outcome, lang: str) -> None:
    for note in outcome.notes:
        print(wrap(message("note", lang, text=capital(note.text(lang)))))
    if outcome.faults:
        texts = [capital(f.text(lang)) for f in outcome.faults]
        if len(texts) == 1:  # one fault reads as one sentence
            raise CheckFailed(wrap(message("failed", lang, text=texts[0])))
        raise CheckFailed(wrap("\n".join([message("failed_many", lang, count=len(texts)), *(f"- {t}" for t in texts)])))
    print(wrap(message("passed", lang, text=capital(decl.public.text(lang)))))


_BY_ATTR = {d.attr: SelfCheck(d) for d in declarations().values()}
categories = _BY_ATTR["categories"]
analysis_table = _BY_ATTR["analysis_table"]
justifications = _BY_ATTR["justifications"]
segmentation = _BY_ATTR["segmentation"]
profiles = _BY_ATTR["profiles"]
target_names = _BY_ATTR["target_names"]
figure_clarity = _BY_ATTR["figure_clarity"]
figure_adequacy = _BY_ATTR["figure_adequacy"]
