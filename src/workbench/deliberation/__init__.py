"""Deliberation: the minutes (procès-verbal) of a jury session, appeals, retention and the holders export.

Reads the audit store the validator writes (:mod:`workbench.validator.audit`) and adds its own
tables beside it (:mod:`workbench.deliberation.store`); never changes a recorded decision, except
to pseudonymise it when its retention period is over (:mod:`workbench.deliberation.retention`).
"""
