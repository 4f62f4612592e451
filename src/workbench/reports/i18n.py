"""Words of the reports in French (official) and English. Criteria wording comes from the référentiel."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "validated": "validé", "not_validated": "non validé", "not_evaluated": "non évalué",
        "awaiting_moderation": "en attente de modération",
        "full": "titre complet", "partial": "validation partielle", "none": "aucun bloc validé",
        "jury_title": "Rapport du jury", "feedback_title": "Retour au candidat",
        "cohort": "Cohorte", "candidate": "Candidat", "certification": "Certification",
        "validated_blocks": "Blocs validés", "not_evaluated_blocks": "Blocs non évalués",
        "borderline": "Candidats à la limite", "borderline_note":
            "Un critère du bloc 1 à moins de {margin} de son seuil et décisif pour le bloc : « juste au-dessus » "
            "(un recul invaliderait le bloc) ou « juste en dessous » (tous les critères manquants sont proches "
            "du seuil) ; ou un bloc 2 à 5 où le jury a noté certains critères mais pas tous, que le validateur "
            "ne peut donc pas décider. La marge est une règle : grading/deliberation.yml. Les niveaux du jury "
            "égaux au seuil ne sont pas signalés : c'est la décision du jury.",
        "just_above": "juste au-dessus", "just_below": "juste en dessous",
        "needs_review": "Copies à examiner", "cells": "Cellules",
        "needs_review_note": "Cellules notées 0 par le juge parce que la réponse transmise manquait, avait été "
                             "altérée ou n'a pas pu être jugée : un correcteur les examine (la note manuelle remplace le 0). "
                             "Le journal de la correction automatique dit pourquoi, et signale les copies qui n'ont pas pu "
                             "être corrigées ou qu'une panne a fait recommencer.",
        "thresholds": "Seuils en vigueur", "threshold": "Seuil", "criterion": "Critère", "score": "Score",
        "level": "Niveau atteint", "state": "Décision", "block": "Bloc", "competence": "Compétence",
        "distributions": "Répartition des scores par critère", "block_counts": "Décisions par bloc",
        "messages": "Messages des vérifications", "comments": "Commentaires du correcteur",
        "jury_comment": "Commentaire du jury", "source": "Source", "gradebook": "exercices notés",
        "jury": "jury", "rules": "Règles", "none_listed": "Aucun.", "reason": "Motif",
        "not_evaluated_note": "Un critère non évalué n'est ni réussi ni échoué : la décision attend ce résultat.",
        "count": "Nombre de candidats", "share": "Part des candidats",
        "descriptor": "Descripteur du niveau", "candidates": "candidats", "of_block": "du bloc",
        "name": "Nom", "autograded": "corrigé automatiquement", "rubric": "grille", "colon": " : ",
        "needs_review_short": "à examiner", "no_jury_result": "sans résultat du jury",
        "jury_incomplete": "saisie du jury incomplète", "borderline_col": "À la limite",
        "autograde_journal": "Journal de la correction automatique",
        "summary": "Synthèse", "full_titles": "Titres complets", "partial_certifications": "Validations partielles",
        "no_block": "Aucun bloc validé", "block_validations": "Validations par bloc",
        "course": "Formation", "session": "Session",
        "explanations": "Pourquoi le titre n'est pas complet",
        "explanations_note": "Une ligne par candidat sans titre complet : chaque critère sous son seuil avec "
                             "sa preuve (cellules corrigées automatiquement et niveaux de grille pour le bloc 1, "
                             "niveau et commentaire du jury pour les blocs 2 à 5), puis les blocs en attente.",
        "failed_criteria": "Critères non atteints", "pending_blocks": "Blocs en attente", "evidence": "Preuves",
        "filter": "Filtrer (nom, identifiant, décision…)", "all_statuses": "Toutes les certifications",
        "flagged_only": "Seulement les cas à examiner", "shown": "candidats affichés sur",
        "sort_hint": "Cliquer sur un en-tête de colonne pour trier.",
        "hashes": "Empreintes",
        "hashes_note": "Empreintes SHA-256 des règles (structure du référentiel) et des seuils appliqués : "
                       "elles sont enregistrées avec chaque décision et permettent de vérifier qu'aucune n'a "
                       "été prise avec d'autres règles.",
        "threshold_label": "seuil", "plot_b1_title": "Bloc 1 : répartition des scores de chaque critère",
        "plot_criteria_title": "Décisions par critère, tous blocs", "plot_blocks_title": "Décisions par bloc",
        "alt_hist": "{k} : candidats évalués {n}, au seuil de {thr} ou au-dessus {above}, en dessous {below}",
        "alt_bars": "{item} : validés {validated}, non validés {not_validated}, non évalués {not_evaluated}",
        "data_table": "Données du graphique",
        "to_improve": "Pour progresser", "top_level": "Niveau le plus haut atteint.",
        "feedback_check": "Vérification automatique", "feedback_answer": "Réponse écrite",
    },
    "en": {
        "validated": "validated", "not_validated": "not validated", "not_evaluated": "not evaluated",
        "awaiting_moderation": "awaiting moderation",
        "full": "full title", "partial": "partial validation", "none": "no block validated",
        "jury_title": "Jury report", "feedback_title": "Candidate feedback",
        "cohort": "Cohort", "candidate": "Candidate", "certification": "Certification",
        "validated_blocks": "Validated blocks", "not_evaluated_blocks": "Blocks not evaluated",
        "borderline": "Borderline candidates", "borderline_note":
            "A block-1 criterion within {margin} of its threshold that decides the block: 'just above' (a step "
            "down would fail the block) or 'just below' (every failing criterion is close to its threshold); or "
            "a block 2 to 5 where the jury gave some criteria but not all, which the validator therefore cannot "
            "decide. The margin is a rule: grading/deliberation.yml. Jury levels equal to the threshold are not "
            "flagged: they are the jury's decision.",
        "just_above": "just above", "just_below": "just below",
        "needs_review": "Submissions to review", "cells": "Cells",
        "needs_review_note": "Cells the judge scored 0 because the answer handed over was missing, altered or could "
                             "not be judged: a marker reviews them (a manual score replaces the 0). The autograde "
                             "journal says why, and lists submissions that could not be graded or that an "
                             "infrastructure fault made it retry.",
        "thresholds": "Thresholds in force", "threshold": "Threshold", "criterion": "Criterion", "score": "Score",
        "level": "Level reached", "state": "Decision", "block": "Block", "competence": "Competence",
        "distributions": "Spread of criterion scores", "block_counts": "Decisions per block",
        "messages": "Check messages", "comments": "Grader's comments",
        "jury_comment": "Jury comment", "source": "Source", "gradebook": "graded exercises",
        "jury": "jury", "rules": "Rules", "none_listed": "None.", "reason": "Reason",
        "not_evaluated_note": "A criterion not evaluated neither passes nor fails: the decision awaits that result.",
        "count": "Candidates", "share": "Share of candidates",
        "descriptor": "Level descriptor", "candidates": "candidates", "of_block": "of block",
        "name": "Name", "autograded": "autograded", "rubric": "rubric", "colon": ": ",
        "needs_review_short": "to review", "no_jury_result": "no jury result",
        "jury_incomplete": "jury input incomplete", "borderline_col": "Borderline",
        "autograde_journal": "Autograde journal",
        "summary": "Summary", "full_titles": "Full titles", "partial_certifications": "Partial certifications",
        "no_block": "No block validated", "block_validations": "Validations per block",
        "course": "Course", "session": "Session",
        "explanations": "Why the title is not full",
        "explanations_note": "One row per candidate without the full title: each criterion below its threshold "
                             "with its evidence (autograded cells and rubric levels for block 1, the jury's level "
                             "and comment for blocks 2 to 5), then the blocks awaiting results.",
        "failed_criteria": "Criteria not met", "pending_blocks": "Blocks awaiting results", "evidence": "Evidence",
        "filter": "Filter (name, id, decision…)", "all_statuses": "All certifications",
        "flagged_only": "Only cases to look at", "shown": "candidates shown of",
        "sort_hint": "Click a column header to sort.",
        "hashes": "Fingerprints",
        "hashes_note": "SHA-256 fingerprints of the rules (the référentiel's structure) and of the thresholds "
                       "applied: they are recorded with every decision, so one can check that none was taken "
                       "under other rules.",
        "threshold_label": "threshold", "plot_b1_title": "Block 1: spread of each criterion's scores",
        "plot_criteria_title": "Decisions per criterion, all blocks", "plot_blocks_title": "Decisions per block",
        "alt_hist": "{k}: {n} candidates evaluated, {above} at or above the threshold {thr}, {below} below",
        "alt_bars": "{item}: {validated} validated, {not_validated} not validated, {not_evaluated} not evaluated",
        "data_table": "Plot data",
        "to_improve": "To improve", "top_level": "Top level reached.",
        "feedback_check": "Automatic check", "feedback_answer": "Written answer",
    },
}


# nbgrader's feedback page template is English only: its own words, in their markup (so that a
# candidate's text is never touched), in French. The grade cell's id is replaced by "Vérification".
NBGRADER_FEEDBACK_FR: dict[str, str] = {
    '">Test cell</a> (Score: ': '">Cellule de test</a> (Note : ',
    '">Coding free-response</a> (Score: ': '">Réponse libre (code)</a> (Note : ',
    '">Written response</a> (Score: ': '">Réponse écrite</a> (Note : ',
    '">Task</a> (Score: ': '">Tâche</a> (Note : ',
    "Late submission penalty (Score: ": "Pénalité de retard (Note : ",
    '<span class="nbgrader-label">Student\'s answer</span>': '<span class="nbgrader-label">Réponse du candidat</span>',
    '<span class="nbgrader-label">Student\'s task</span>': '<span class="nbgrader-label">Tâche du candidat</span>',
    '<span class="nbgrader-label">Grade cell: ': '<span class="nbgrader-label">Cellule notée : ',
    '<span class="nbgrader-label">Task: ': '<span class="nbgrader-label">Tâche : ',
    "<b>Comments:</b>": "<b>Commentaires :</b>",
    '<a href="#top">(Top)</a>': '<a href="#top">(Haut)</a>',
    "No response.": "Pas de réponse.",
}
NBGRADER_SCORE = ("\n      Score: ", "\n      Note : ")  # the score macro at the right of each panel


# why a cell is not evaluated (workbench.scores.compute), in French
REASONS_FR = {
    "rubric level not yet given": "niveau de grille pas encore attribué",
    "not autograded": "pas encore corrigé automatiquement",
    "no grade in the gradebook": "aucune note dans le carnet de notes",
    "no submission": "aucun rendu",
    "awaiting moderation": "en attente de modération (correcteurs en désaccord)",
}


def reason(text: str, lang: str) -> str:
    """A not-evaluated reason in ``lang``."""
    return REASONS_FR.get(text, text) if lang == "fr" else text


def words(lang: str) -> dict[str, str]:
    """The report words in ``lang`` ("fr" or "en")."""
    return TEXT[lang]
