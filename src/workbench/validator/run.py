"""Load every input of a decision (rules, map, gradebook, jury CSV) and decide the cohort."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from workbench.marking import store as marking_store
from workbench.referentiel import load_referentiel, load_rubrics
from workbench.scores.compute import compute_scores
from workbench.scores.criterion_map import load_criterion_map
from workbench.scores.scoring import load_scoring_rule
from workbench.scores.gradebook import open_gradebook
from workbench.scores.records import audit_exists, resolve_audit, rubric_provenance
from workbench.validator.audit import open_audit
from workbench.validator.decisions import Decisions
from workbench.validator.jury import JuryResults, read_jury, read_jury_frame
from workbench.validator.rules import Structure
from workbench.validator.thresholds import load_thresholds


def build_decisions(*, gradebook: str | Path, criterion_map: str | Path | None = None,
                    jury: str | Path | None = None, thresholds: str | Path | None = None,
                    audit: str | None = None, course_dir: str | Path | None = None,
                    scoring: str | Path | None = None) -> Decisions:
    """Decide every candidate of the gradebook.

    Parameters
    ----------
    gradebook : path or URL
        The nbgrader gradebook (block 1).
    criterion_map, thresholds, scoring : path, optional
        Default to ``grading/criterion_map.yml``, ``grading/thresholds.yml`` and ``grading/scoring.yml``
        (how a criterion's evidence combines into its score).
    jury : path, optional
        The jury CSV for blocks 2-5; without it those blocks are *not evaluated*.
    audit : str, optional
        The audit store (for who imported which rubric level, and when).
    course_dir : path, optional
        The nbgrader course folder, to read check messages from the autograded notebooks.
    """
    ref, rubrics = load_referentiel(), load_rubrics()
    cmap = load_criterion_map(criterion_map, referentiel=ref, rubrics=rubrics)
    thr = load_thresholds(thresholds, referentiel=ref, rubrics=rubrics)
    rule = load_scoring_rule(scoring)
    provenance, awaiting = _audit_inputs(resolve_audit(gradebook, audit), marking_store.scope(gradebook))
    engine = open_gradebook(gradebook)
    # parse the jury CSV while SQLite reads the gradebook (both release the GIL): 2 cores, 2 jobs
    with ThreadPoolExecutor(max_workers=1) as pool:
        parsing = pool.submit(read_jury_frame, jury) if jury else None
        try:
            scores = compute_scores(engine=engine, cmap=cmap, where=str(gradebook), course_dir=course_dir, rule=rule,
                                    awaiting=awaiting)
        finally:
            engine.dispose()
        frame = parsing.result() if parsing else None
    results = (read_jury(jury, referentiel=ref, rubrics=rubrics, candidates=scores.candidates, frame=frame)
               if jury else JuryResults.empty())
    return Decisions(Structure.of(ref), thr, scores, results, provenance)


def _audit_inputs(audit_url: str, scope: str) -> tuple[dict, set[tuple[str, str]]]:
    """Who gave each rubric level (and, when double-marked, every marker's level and the
    moderation), and the rubric cells awaiting moderation, from the audit store if there is one."""
    if not audit_exists(audit_url):
        return {}, set()
    store = open_audit(audit_url)
    try:
        provenance = rubric_provenance(store)
        marking_store.META.create_all(store)
        for key, entry in marking_store.provenance(store, scope).items():
            provenance[key] = {**provenance.get(key, {}), **entry}
        return provenance, marking_store.awaiting_moderation(store, scope)
    finally:
        store.dispose()
