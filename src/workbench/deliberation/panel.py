"""The jury's composition for a session (a YAML file), checked against the deliberation policy.

```yaml
session: 2026-06
date: 2026-06-30
place: Lyon, 12 rue de la République
members:
  - {name: Hélène Dupré, role: president, external: true, organisation: Agence Horizon}
  - {name: Marc Petit, role: member, external: false, organisation: Organisme de formation}
```

``external``: from outside the certifier and the training body. The share of external members
must reach ``grading/deliberation.yml: jury.min_external_share`` unless an exception is allowed
with a recorded reason. ``trainer_of`` (optional) lists the candidates a member trained: a jury
deliberating on one of them is refused, without exception.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from workbench._yaml import read_yaml
from workbench.errors import ConfigError, InputError
from workbench.scores.csvio import raise_faults, read_rows
from workbench.validator.policy import Policy


class Member(BaseModel):
    """One jury member."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1)
    role: Literal["president", "member"]
    external: bool
    organisation: str = ""
    trainer_of: tuple[str, ...] = ()  # candidates this member trained: they may not sit on their jury


class Panel(BaseModel):
    """The jury of one session."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    session: str = Field(min_length=1)
    date: dt.date
    place: str = Field(min_length=1)
    members: tuple[Member, ...] = Field(min_length=1)

    @field_validator("members")
    @classmethod
    def _one_president(cls, members: tuple[Member, ...]) -> tuple[Member, ...]:
        presidents = [m.name for m in members if m.role == "president"]
        if len(presidents) != 1:
            raise ValueError(f"a jury has exactly one president (found {len(presidents)})")
        names = [m.name for m in members]
        if len(set(names)) != len(names):
            raise ValueError("a member is listed twice")
        return members

    @property
    def external_share(self) -> float:
        return sum(m.external for m in self.members) / len(self.members)

    def as_dict(self) -> dict:
        """Plain data, as recorded in the minutes."""
        return self.model_dump(mode="json")


def load_panel(path: str | Path, *, overrides: dict[str, str] | None = None) -> Panel:
    """Read and check a jury file (YAML, or CSV of members); a fault raises InputError naming the file and key.

    A CSV (read like every user's CSV, :func:`workbench.scores.csvio.read_rows`) has the columns
    ``name, role, external`` (+ ``organisation``), French names accepted (``nom, rôle, externe,
    organisme``), ``external`` as oui/non, yes/no, true/false, 1/0; the
    session, date and place then come from ``overrides`` (the command's options), which also
    override a YAML file's values.
    """
    path = Path(path)
    overrides = {k: v for k, v in (overrides or {}).items() if v}
    try:
        if path.suffix.lower() == ".csv":
            return Panel.model_validate({**overrides, "members": _csv_members(path)})
        data = read_yaml(path)
        if not isinstance(data, dict):
            raise InputError("expected a mapping with session, date, place and members", where=str(path))
        return Panel.model_validate({**data, **overrides})
    except ConfigError as exc:  # a jury file is the user's input, not a rules file
        raise InputError(exc.message, where=exc.where) from None
    except ValidationError as exc:
        faults = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors())
        raise InputError(faults, where=str(path)) from None


# the French (and other English) names of the columns of a CSV jury file
COLUMNS = {"nom": "name", "rôle": "role", "externe": "external", "organisme": "organisation",
           "organization": "organisation"}
ROLES = {"président": "president", "présidente": "president", "president": "president", "membre": "member",
         "member": "member"}
YES_NO = {"oui": True, "yes": True, "true": True, "1": True, "non": False, "no": False, "false": False, "0": False}


def _csv_members(path: Path) -> list[dict]:
    """The members of a CSV jury file, checked cell by cell (every fault named with its line and column)."""
    rows = read_rows(path, required=("name", "role", "external"), optional=("organisation",), aliases=COLUMNS)
    members, faults = [], []
    for row in rows:
        values, line = row.values, row.line
        role = ROLES.get(values["role"].casefold())
        external = YES_NO.get(values["external"].casefold())
        if not values["name"]:
            faults.append(f"line {line}, column name: empty")
        if role is None:
            faults.append(f"line {line}, column role: {values['role']!r} is not président(e)/membre")
        if external is None:
            faults.append(f"line {line}, column external: {values['external']!r} is not oui/non")
        members.append({**values, "role": role, "external": external})
    raise_faults(faults, str(path))
    return members


def check_composition(panel: Panel, policy: Policy, *, allow: str | None, where: str) -> str | None:
    """Refuse a jury with too few external members, unless ``allow`` gives the reason (returned, to be recorded).

    Raises
    ------
    InputError
        Naming the share found and the share required.
    """
    need = policy.jury.min_external_share
    n_ext, n = sum(m.external for m in panel.members), len(panel.members)
    if panel.external_share + 1e-9 >= need:
        return None
    if allow and allow.strip():
        return f"{n_ext}/{n} external members, below the required share {need:g}: {allow.strip()}"
    raise InputError(f"{n_ext} of {n} jury members are external, fewer than the required share {need:g} "
                     "(grading/deliberation.yml); give --allow REASON to record an exception", where=where)


def check_no_trainer(panel: Panel, candidates: list[str], *, where: str) -> None:
    """Refuse a jury one of whose members trained a candidate it deliberates on."""
    present = set(candidates)
    faults = [f"{m.name} trained {', '.join(sorted(present & set(m.trainer_of)))}"
              for m in panel.members if present & set(m.trainer_of)]
    if faults:
        raise InputError(f"a candidate's trainer cannot sit on the jury: {'; '.join(faults)}", where=where)
