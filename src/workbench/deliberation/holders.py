"""The holders' export: validated blocks and full titles per candidate, for the certifier's national reporting."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import Engine

from workbench.deliberation.store import latest_decisions
from workbench.referentiel import Referentiel

COLUMNS = ("candidate", "last_name", "first_name", "email", "full_title", "validated_blocks", "block_titles",
           "decision_version", "decided_at")


def holders(engine: Engine, *, people: dict[str, tuple[str, str, str]], ref: Referentiel) -> list[dict]:
    """Candidates holding at least one validated block (latest decision), sorted by id.

    ``people``: candidate -> (last name, first name, e-mail), from the gradebook.
    """
    titles = {b.id: b.title.get("fr") for b in ref.blocks}
    rows = []
    for row in latest_decisions(engine):
        cert = json.loads(row["decision_json"])["certification"]
        if not cert["validated_blocks"]:
            continue
        last, first, email = people.get(row["candidate"], ("", "", ""))
        rows.append({"candidate": row["candidate"], "last_name": last, "first_name": first, "email": email,
                     "full_title": "yes" if cert["full"] else "no",
                     "validated_blocks": " ".join(cert["validated_blocks"]),
                     "block_titles": " | ".join(titles[b] for b in cert["validated_blocks"]),
                     "decision_version": row["version"], "decided_at": row["decided_at"]})
    return rows


def holders_csv(rows: list[dict]) -> str:
    """The export as CSV (',' separated, one header line, UTF-8)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()
