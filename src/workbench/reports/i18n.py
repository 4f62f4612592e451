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
            "Critère à moins de {margin} d'un seuil et décisif pour le bloc : « juste au-dessus » (un recul "
            "invaliderait le bloc) ou « juste en dessous » (tous les critères manquants sont proches du seuil).",
        "just_above": "juste au-dessus", "just_below": "juste en dessous",
        "needs_review": "Copies à examiner", "cells": "Cellules",
        "needs_review_note": "Cellules notées 0 par le juge parce que la réponse transmise manquait, avait été "
                             "altérée ou n'a pas pu être jugée : un correcteur les examine (la note manuelle remplace le 0).",
        "thresholds": "Seuils en vigueur", "threshold": "Seuil", "criterion": "Critère", "score": "Score",
        "level": "Niveau atteint", "state": "Décision", "block": "Bloc", "competence": "Compétence",
        "distributions": "Répartition des scores par critère", "block_counts": "Décisions par bloc",
        "messages": "Messages des vérifications", "comments": "Commentaires du correcteur",
        "jury_comment": "Commentaire du jury", "source": "Source", "gradebook": "exercices notés",
        "jury": "jury", "rules": "Règles", "none_listed": "Aucun.", "reason": "Motif",
        "not_evaluated_note": "Un critère non évalué n'est ni réussi ni échoué : la décision attend ce résultat.",
        "count": "Nombre de candidats", "share": "Part des candidats",
        "descriptor": "Descripteur du niveau", "candidates": "candidats", "of_block": "du bloc",
        "to_improve": "Pour progresser", "top_level": "Niveau le plus haut atteint.",
    },
    "en": {
        "validated": "validated", "not_validated": "not validated", "not_evaluated": "not evaluated",
        "awaiting_moderation": "awaiting moderation",
        "full": "full title", "partial": "partial validation", "none": "no block validated",
        "jury_title": "Jury report", "feedback_title": "Candidate feedback",
        "cohort": "Cohort", "candidate": "Candidate", "certification": "Certification",
        "validated_blocks": "Validated blocks", "not_evaluated_blocks": "Blocks not evaluated",
        "borderline": "Borderline candidates", "borderline_note":
            "A criterion within {margin} of its threshold that decides the block: 'just above' (a step down "
            "would fail the block) or 'just below' (every failing criterion is close to its threshold).",
        "just_above": "just above", "just_below": "just below",
        "needs_review": "Submissions to review", "cells": "Cells",
        "needs_review_note": "Cells the judge scored 0 because the answer handed over was missing, altered or could "
                             "not be judged: a marker reviews them (a manual score replaces the 0).",
        "thresholds": "Thresholds in force", "threshold": "Threshold", "criterion": "Criterion", "score": "Score",
        "level": "Level reached", "state": "Decision", "block": "Block", "competence": "Competence",
        "distributions": "Spread of criterion scores", "block_counts": "Decisions per block",
        "messages": "Check messages", "comments": "Grader's comments",
        "jury_comment": "Jury comment", "source": "Source", "gradebook": "graded exercises",
        "jury": "jury", "rules": "Rules", "none_listed": "None.", "reason": "Reason",
        "not_evaluated_note": "A criterion not evaluated neither passes nor fails: the decision awaits that result.",
        "count": "Candidates", "share": "Share of candidates",
        "descriptor": "Level descriptor", "candidates": "candidates", "of_block": "of block",
        "to_improve": "To improve", "top_level": "Top level reached.",
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
