"""Live progress (bar, ETA, one line per candidate) and the final summary, with rich."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, \
    TimeRemainingColumn

from workbench.autograde.outcome import FAULTS
from workbench.autograde.runner import Summary

_STYLE = {"ok": "green", "errors": "yellow", "infra-failed": "magenta", "rejected": "red"}


class ProgressView:
    """A listener for :func:`workbench.autograde.runner.run` that draws the progress."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.progress = Progress(TextColumn("autograde"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                                 console=self.console, transient=False)
        self.task = None

    def __call__(self, event: str, data: Any) -> None:
        if event == "start":
            if data["skipped"]:
                self.console.print(f"{data['skipped']} submission(s) already graded: skipped "
                                   "(--force regrades them)")
            self.progress.start()
            self.task = self.progress.add_task("grading", total=data["total"])
        elif event == "candidate":
            style = "red" if data["status"] in FAULTS else _STYLE.get(data["status"], "white")
            score = (f"{data['score']:g}/{data['max_score']:g}" if data.get("score") is not None else "-")
            detail = f"  {data['detail']}" if data.get("detail") else ""
            self.progress.console.print(
                f"[{style}]{data['status']:<16}[/{style}] {data['student']:<20} {score:>9}{detail}",
                highlight=False, markup=True, soft_wrap=True)
            self.progress.advance(self.task)

    def close(self, summary: Summary) -> None:
        if self.task is not None:
            self.progress.stop()
        self.console.print(
            f"graded {summary.graded}, candidate faults {summary.faults}, cells with errors "
            f"{summary.cell_errors}, infrastructure retries {summary.infra_retries}, "
            f"infrastructure failures {summary.infra_failed} (left pending), skipped {summary.skipped}, "
            f"in {summary.seconds:.1f} s")
        for hint in summary.hints:
            self.console.print(f"[yellow]hint[/yellow]: {hint}", highlight=False, soft_wrap=True)
        if summary.unknown:
            self.console.print(f"[red]not graded[/red]: {', '.join(summary.unknown)} (not in the gradebook: "
                               "import them with `workbench course candidates import`)", highlight=False)
        for student, why in sorted(summary.rejected.items()):
            self.console.print(f"[red]not graded[/red]: {student}: {why}", highlight=False, soft_wrap=True)
        if summary.needs_review:
            self.console.print(f"[red]needs review[/red] ({len(summary.needs_review)}): answers handed over "
                               "missing, altered or not judgeable (scored 0, flagged for a marker in formgrader)")
            for student, reasons in sorted(summary.needs_review.items()):
                self.console.print(f"  {student}: {'; '.join(reasons)}", highlight=False, soft_wrap=True)
