"""The analysis report (``workbench analysis``): marking quality and item analysis, in French and English.

Sections: agreement between markers, moderation, harmonisation of markers, item analysis.
Figures come from :mod:`workbench.marking`; this module only gathers and renders them
(``analysis.<lang>.html``, plus language-neutral ``analysis_agreement.csv`` and
``analysis_items.csv``). Same inputs, same bytes: no dates, fixed plot metadata.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workbench.marking import store as st
from workbench.marking.agreement import alpha_per_criterion, harmonisation, pair_agreement
from workbench.marking.config import ItemThresholds, MarkingRule, load_item_thresholds, load_marking_rule
from workbench.marking.items import ItemAnalysis, analyse_items
from workbench.referentiel import load_referentiel, load_rubrics
from workbench.reports import analysis_plots as plots
from workbench.reports.render import environment
from workbench.scores.compute import compute_scores
from workbench.scores.criterion_map import load_criterion_map
from workbench.scores.gradebook import open_gradebook
from workbench.scores.records import audit_exists, resolve_audit

WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Qualité de la correction et analyse des items", "agreement": "Accord entre correcteurs",
        "agreement_note": "Par critère et par paire de correcteurs, sur les cellules qu'ils ont toutes deux notées : "
                          "accord exact, accord adjacent (au plus un niveau d'écart), kappa de Cohen pondéré "
                          "(quadratique). Alpha de Krippendorff (ordinal) quand plus de deux correcteurs ont noté.",
        "criterion": "Critère", "markers": "Correcteurs", "cells": "Cellules", "exact": "Accord exact",
        "adjacent": "Accord adjacent", "kappa": "Kappa pondéré (quadratique)", "alpha": "Alpha",
        "kripp": "Alpha de Krippendorff (ordinal)",
        "moderation": "Modération", "moderation_note": "Cellules dont les niveaux s'écartent de {levels} niveaux ou "
                      "plus : un modérateur décide ; règle du niveau final : {rule}. Tant qu'elle attend, la "
                      "compétence est « en attente de modération ».",
        "awaiting": "En attente de modération", "moderated": "Modérées", "candidate": "Candidat",
        "levels": "Niveaux des correcteurs", "moderator": "Modérateur", "final": "Niveau final", "reason": "Motif",
        "status_counts": "État des cellules notées", "awaiting_marker": "attend un correcteur",
        "awaiting_moderation": "en attente de modération", "final_status": "niveau final",
        "harmonisation": "Harmonisation des correcteurs",
        "harmonisation_note": "Niveau moyen de chaque correcteur par critère face à celui de la cohorte (tous "
                              "correcteurs) ; signalé au-delà de ± {margin} niveau.",
        "marker": "Correcteur", "n": "Niveaux", "mean": "Moyenne", "cohort_mean": "Moyenne de la cohorte",
        "gap": "Écart", "flag": "Signalement", "flagged": "à harmoniser", "share": "Répartition des niveaux",
        "items": "Analyse des items", "items_note": "Sur les {n} candidats dont toutes les cellules sont évaluées. "
                 "Difficulté : part moyenne des points obtenue ; discrimination : corrélation item-total corrigée "
                 "(point-bisériale pour les items 0/1). Trop facile au-delà de {easy}, trop difficile en deçà de "
                 "{hard}, peu discriminant en deçà de {disc}.",
        "item": "Item", "kind": "Nature", "difficulty": "Difficulté", "discrimination": "Discrimination",
        "method": "Méthode", "flags": "Signalements", "competence": "Compétence", "items_count": "Items",
        "cronbach": "Alpha de Cronbach par compétence (signalé en deçà de {alpha})",
        "autograde": "vérification", "rubric": "cellule de grille", "criterion_kind": "critère",
        "too_easy": "trop facile", "too_hard": "trop difficile", "not_discriminating": "peu discriminant",
        "low_alpha": "cohérence faible", "none": "Aucune.", "na": "n/d",
        "corrected item-total": "item-total corrigée", "point-biserial": "point-bisériale", "": "",
        "rule_moderator": "le niveau du modérateur l'emporte", "rule_mean_floor": "moyenne arrondie à l'inférieur",
        "rule_median_low": "médiane basse",
    },
    "en": {
        "title": "Marking quality and item analysis", "agreement": "Agreement between markers",
        "agreement_note": "Per criterion and pair of markers, on the cells both marked: exact agreement, adjacent "
                          "agreement (at most one level apart), Cohen's kappa with quadratic weights. Krippendorff's "
                          "alpha (ordinal) where more than two markers marked.",
        "criterion": "Criterion", "markers": "Markers", "cells": "Cells", "exact": "Exact agreement",
        "adjacent": "Adjacent agreement", "kappa": "Weighted kappa (quadratic)", "alpha": "Alpha",
        "kripp": "Krippendorff's alpha (ordinal)",
        "moderation": "Moderation", "moderation_note": "Cells whose levels are {levels} or more levels apart: a "
                      "moderator decides; final-level rule: {rule}. While it waits, the competence reads "
                      "'awaiting moderation'.",
        "awaiting": "Awaiting moderation", "moderated": "Moderated", "candidate": "Candidate",
        "levels": "Markers' levels", "moderator": "Moderator", "final": "Final level", "reason": "Reason",
        "status_counts": "State of the marked cells", "awaiting_marker": "awaiting a marker",
        "awaiting_moderation": "awaiting moderation", "final_status": "final level",
        "harmonisation": "Harmonisation of markers",
        "harmonisation_note": "Each marker's mean level per criterion against the cohort's (all markers); flagged "
                              "beyond ± {margin} level.",
        "marker": "Marker", "n": "Levels", "mean": "Mean", "cohort_mean": "Cohort mean", "gap": "Gap",
        "flag": "Flag", "flagged": "to harmonise", "share": "Spread of levels",
        "items": "Item analysis", "items_note": "Over the {n} candidates whose cells are all evaluated. Difficulty: "
                 "mean fraction of the points earned; discrimination: corrected item-total correlation "
                 "(point-biserial for 0/1 items). Too easy above {easy}, too hard below {hard}, not discriminating "
                 "below {disc}.",
        "item": "Item", "kind": "Kind", "difficulty": "Difficulty", "discrimination": "Discrimination",
        "method": "Method", "flags": "Flags", "competence": "Competence", "items_count": "Items",
        "cronbach": "Cronbach's alpha per competence (flagged below {alpha})",
        "autograde": "check", "rubric": "rubric cell", "criterion_kind": "criterion",
        "too_easy": "too easy", "too_hard": "too hard", "not_discriminating": "not discriminating",
        "low_alpha": "low consistency", "none": "None.", "na": "n/a",
        "corrected item-total": "corrected item-total", "point-biserial": "point-biserial", "": "",
        "rule_moderator": "the moderator's level wins", "rule_mean_floor": "mean rounded down",
        "rule_median_low": "lower median",
    },
}


@dataclass(frozen=True)
class AnalysisData:
    """Everything the report shows (figures, not words)."""

    rule: MarkingRule
    thresholds: ItemThresholds
    levels: list[int]
    level_names: dict[str, list[str]]
    pairs: pd.DataFrame
    alphas: pd.DataFrame
    harmonisation: pd.DataFrame
    outcomes: dict
    moderations: dict
    items: ItemAnalysis


def build_analysis(*, gradebook: str | Path, criterion_map: str | Path | None = None, audit: str | None = None,
                   marking: str | Path | None = None, item_thresholds: str | Path | None = None) -> AnalysisData:
    """Gather the marking figures (audit store) and the item analysis (gradebook)."""
    ref, rubrics = load_referentiel(), load_rubrics()
    cmap = load_criterion_map(criterion_map, referentiel=ref, rubrics=rubrics)
    rule, thr = load_marking_rule(marking), load_item_thresholds(item_thresholds)
    levels = [lv.value for lv in rubrics.levels]
    url = resolve_audit(gradebook, audit)
    marks, outcomes, mods = pd.DataFrame(columns=["candidate", "criterion", "marker", "level"]), {}, {}
    if audit_exists(url):
        engine = st.open_store(url)
        try:
            scope = st.scope(gradebook)
            marks, outcomes = st.marks(engine, scope), st.latest_outcomes(engine, scope)
            mods = st.moderations(engine, scope)
        finally:
            engine.dispose()
    awaiting = {k for k, o in outcomes.items() if o["status"] == "awaiting_moderation"}
    engine = open_gradebook(gradebook)
    try:
        scores = compute_scores(engine=engine, cmap=cmap, where=str(gradebook), awaiting=awaiting)
    finally:
        engine.dispose()
    items = analyse_items(scores.cells, scores.score, scores.criteria, ref=ref, thresholds=thr)
    return AnalysisData(rule, thr, levels, {lang: [lv.fr if lang == "fr" else lv.en for lv in rubrics.levels]
                                            for lang in ("fr", "en")},
                        pair_agreement(marks, levels), alpha_per_criterion(marks, levels),
                        harmonisation(marks, levels, rule.harmonisation_margin), outcomes, mods, items)


def _fmt(x: float, digits: int = 2) -> str | None:
    return None if x != x else f"{x:.{digits}f}"


def _context(data: AnalysisData, lang: str) -> dict:
    w = WORDS[lang]
    status = {"awaiting_marker": 0, "awaiting_moderation": 0, "final": 0}
    for o in data.outcomes.values():
        status[o["status"]] += 1
    awaiting = [{"candidate": c, "criterion": k, "levels": o["levels"]["markers"]}
                for (c, k), o in sorted(data.outcomes.items()) if o["status"] == "awaiting_moderation"]
    moderated = [{"candidate": c, "criterion": k, "levels": data.outcomes[(c, k)]["levels"]["markers"],
                  "moderator": m["moderator"], "level": m["level"], "final": data.outcomes[(c, k)]["level"],
                  "reason": m["reason"]} for (c, k), m in sorted(data.moderations.items())]
    it = data.items.items.copy()
    it["kind_label"] = [w["criterion_kind"] if k == "criterion" else w[k] for k in it["kind"]]
    it["flag_labels"] = [", ".join(w[f] for f in fl.split()) for fl in it["flags"]]
    plot = {}
    if len(data.harmonisation):
        plot["harmonisation"] = plots.harmonisation_plot(
            data.harmonisation, data.levels, data.level_names[lang], data.rule.harmonisation_margin,
            mean_label=w["mean"], cohort_label=w["cohort_mean"], share_label=w["share"])
    if len(data.pairs):
        plot["agreement"] = plots.agreement_plot(data.pairs, label=w["kappa"])
    if data.items.candidates >= 2:
        plot["items"] = plots.item_plot(it, too_easy=data.thresholds.too_easy, too_hard=data.thresholds.too_hard,
                                        min_disc=data.thresholds.min_discrimination, xlabel=w["difficulty"],
                                        ylabel=w["discrimination"],
                                        kind_labels={"autograde": w["autograde"], "rubric": w["rubric"],
                                                     "criterion": w["criterion_kind"]})
    return {
        "lang": lang, "w": w, "fmt": _fmt, "plots": plot, "rule": data.rule, "thr": data.thresholds,
        "pairs": data.pairs.to_dict("records"), "alphas": data.alphas.to_dict("records"),
        "harmonisation": data.harmonisation.to_dict("records"), "status": status, "awaiting": awaiting,
        "moderated": moderated, "items": it.to_dict("records"),
        "competences": data.items.competences.to_dict("records"), "n_items": data.items.candidates,
        "levels": data.levels,
    }


def render_analysis(data: AnalysisData, *, lang: str) -> str:
    """The report as HTML in ``lang``."""
    return environment().get_template("analysis.html.j2").render(**_context(data, lang))


def write_analysis(data: AnalysisData, *, out_dir: Path, lang: str) -> list[Path]:
    """Write analysis.<lang>.html, analysis_agreement.csv and analysis_items.csv; return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    html = out_dir / f"analysis.{lang}.html"
    html.write_text(render_analysis(data, lang=lang), encoding="utf-8")
    agreement = out_dir / "analysis_agreement.csv"
    data.pairs.round(6).to_csv(agreement, index=False, lineterminator="\n")
    items = out_dir / "analysis_items.csv"
    data.items.items.round(6).to_csv(items, index=False, lineterminator="\n")
    return [html, agreement, items]
