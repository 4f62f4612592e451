"""The ``workbench`` command: a thin click group over one subpackage per command.

Each command lives in ``workbench/<step>/cli.py`` and is imported only when it is
run, so ``workbench --help`` stays fast and one broken step cannot hide the others.
"""

from __future__ import annotations

import importlib
import sys

import click

from workbench.errors import WorkbenchError

# name -> (module, attribute, one-line help). Order follows the pipeline.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "info": ("workbench.referentiel.cli", "info", "Show the référentiel, rubrics and thresholds."),
    "datasets": ("workbench.datasets.cli", "datasets", "Verify, describe or rebuild the customer datasets."),
    "scenarios": ("workbench.scenarios.cli", "scenarios", "List and check the company scenarios."),
    "exercises": ("workbench.exercises.cli", "exercises", "Build the block-1 nbgrader assignment from its sources."),
    "course": ("workbench.course.cli", "course", "Create a course instance and import candidates."),
    "autograde": ("workbench.autograde.cli", "autograde", "Autograde submissions in parallel, sandboxed and resumable."),
    "rubric": ("workbench.marking.cli", "rubric", "Import rubric levels filled in by graders (CSV)."),
    "marking": ("workbench.marking.cli", "marking", "Double marking: moderation queue, moderation, agreement."),
    "scores": ("workbench.scores.cli", "scores", "Compute criterion scores from the gradebook."),
    "validate": ("workbench.validator.cli", "validate", "Decide competences, blocks and certification."),
    "history": ("workbench.deliberation.cli", "history", "Show a candidate's decisions and appeals."),
    "report": ("workbench.reports.cli", "report", "Write the jury report and candidate feedback."),
    "analysis": ("workbench.reports.cli", "analysis", "Write the marking-quality and item-analysis report."),
    "minutes": ("workbench.deliberation.cli", "minutes", "Write the minutes of a jury session (HTML, PDF)."),
    "appeal": ("workbench.deliberation.cli", "appeal", "Open, regrade and answer an appeal (frozen evidence)."),
    "purge": ("workbench.deliberation.cli", "purge", "Remove personal data past the retention period."),
    "export": ("workbench.deliberation.cli", "export", "Export the holders of validated blocks and titles (CSV)."),
    "feedback": ("workbench.reports.cli", "feedback", "Generate (and release) candidates' feedback through nbgrader."),
    "deck": ("workbench.deck.cli", "deck", "Export a visualisation notebook to a board slide deck."),
    "demo": ("workbench.demo.cli", "demo", "Run the whole job end to end on a simulated cohort."),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attr, short = COMMANDS[cmd_name]
        try:
            cmd = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError) as exc:
            # A command whose module does not import (a broken install, a missing library) still
            # shows in --help and says why when run; the other commands keep working. The reason
            # is kept as text: ``exc`` is unbound once the except clause ends.
            reason = f"{type(exc).__name__}: {exc}"

            @click.command(cmd_name, help=f"{short} (unavailable: {reason})", short_help=f"(unavailable) {short}")
            def unavailable() -> None:
                raise click.ClickException(f"'{cmd_name}' is not available: {reason}")

            return unavailable
        cmd.short_help = cmd.short_help or short
        return cmd


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="workbench")
def cli() -> None:
    """Block-1 analytics workbench: datasets → exercises → course → checks → autograde → scores → marking →
    validator → reports → deliberation."""


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI and print user errors in one line, without a traceback.

    Exit codes: 0 done (all graded), 3 work left pending (retry later), 2 a user error (a bad
    option, a file that cannot be read or written included), 130 interrupted. A command says
    "pending" by raising ``click.exceptions.Exit(3)``, which click turns into a *returned* code
    under ``standalone_mode=False``: it is passed on here.
    """
    try:
        code = cli.main(args=argv, prog_name="workbench", standalone_mode=False)
    except WorkbenchError as exc:
        click.secho(f"error: {exc}", err=True, fg="red")
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.UsageError as exc:  # a bad option or argument: one line too, naming the command
        where = exc.ctx.command_path if exc.ctx is not None else "workbench"
        message = " ".join(exc.format_message().split())
        click.secho(f"error: {where}: {message} (see `{where} --help`)", err=True, fg="red")
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except OSError as exc:  # a file fault no command turned into its own words (an output path under a file...)
        where = f"{exc.filename}: " if exc.filename else ""
        click.secho(f"error: {where}{exc.strerror or exc}", err=True, fg="red")
        return 2
    except click.exceptions.Exit as exc:
        return exc.exit_code
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
