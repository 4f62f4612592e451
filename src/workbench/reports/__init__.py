"""The jury report (HTML + CSV) and per-candidate feedback (HTML), standalone and deterministic."""

from workbench.reports.render import render_feedback, render_jury, write_reports

__all__ = ["render_feedback", "render_jury", "write_reports"]
