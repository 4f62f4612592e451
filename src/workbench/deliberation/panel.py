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
with a recorded reason.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from workbench._yaml import load_model
from workbench.errors import ConfigError, InputError
from workbench.validator.policy import Policy


class Member(BaseModel):
    """One jury member."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1)
    role: Literal["president", "member"]
    external: bool
    organisation: str = ""


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


def load_panel(path: str | Path) -> Panel:
    """Read and check a jury file; a fault raises InputError naming the file and the key."""
    try:
        return load_model(Path(path), Panel)
    except ConfigError as exc:  # a jury file is the user's input, not a rules file
        raise InputError(exc.message, where=exc.where) from None


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
