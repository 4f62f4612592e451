"""Words of the minutes in French (official) and English; the report's words (states, blocks) are reused."""

from __future__ import annotations

from workbench.reports.i18n import words as report_words

TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "minutes_title": "Procès-verbal de délibération du jury", "version": "version", "date": "Date",
        "place": "Lieu", "composition": "Composition du jury", "member": "Membre", "role": "Rôle",
        "president": "président·e", "member_role": "membre", "external": "externe", "internal": "interne",
        "origin": "Extérieur au certificateur et à l'organisme de formation", "organisation": "Organisme",
        "external_share": "Membres externes : {n} sur {total} (part exigée : {need}).",
        "exception": "Dérogation enregistrée", "decisions": "Décisions par candidat et par bloc",
        "decision_version": "Version de la décision", "signatures": "Signatures",
        "signature": "Signature", "signed_date": "Date", "frozen": "Document figé",
        "frozen_note": "Ce procès-verbal est arrêté sur les éléments dont l'empreinte suit ; toute modification "
                       "ultérieure donne une nouvelle version, qui en indique le motif.",
        "inputs_sha256": "Empreinte SHA-256 des éléments arrêtés", "reason_label": "Motif de cette version",
        "changes": "Modifications depuis la version précédente", "first version": "première version",
        "thresholds_sha": "Seuils (empreinte)",
        "blocks_acquired": "Un bloc validé est acquis définitivement.",
    },
    "en": {
        "minutes_title": "Minutes of the jury's deliberation", "version": "version", "date": "Date",
        "place": "Place", "composition": "Jury composition", "member": "Member", "role": "Role",
        "president": "president", "member_role": "member", "external": "external", "internal": "internal",
        "origin": "From outside the certifier and the training body", "organisation": "Organisation",
        "external_share": "External members: {n} of {total} (required share: {need}).",
        "exception": "Recorded exception", "decisions": "Decisions per candidate and block",
        "decision_version": "Decision version", "signatures": "Signatures",
        "signature": "Signature", "signed_date": "Date", "frozen": "Frozen document",
        "frozen_note": "These minutes are drawn up on the inputs whose fingerprint follows; any later change makes "
                       "a new version, which states its reason.",
        "inputs_sha256": "SHA-256 fingerprint of the inputs", "reason_label": "Reason for this version",
        "changes": "Changes since the previous version", "first version": "first version",
        "thresholds_sha": "Thresholds (fingerprint)",
        "blocks_acquired": "A validated block is acquired for good.",
    },
}


def words(lang: str) -> dict[str, str]:
    """The report's words overlaid with the minutes' words, in ``lang``."""
    return {**report_words(lang), **TEXT[lang]}
