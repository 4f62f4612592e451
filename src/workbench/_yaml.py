"""Load a YAML rules file and validate it with a pydantic model, naming the file on error."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from workbench._files import read_input
from workbench.errors import ConfigError

M = TypeVar("M", bound=BaseModel)
_KINDS = {list: "list ('- item' lines)", str: "single text", int: "single number", float: "single number",
          bool: "single yes/no"}


def read_yaml(path: Path) -> object:
    """Parse ``path`` as YAML; a missing or malformed file raises :class:`ConfigError`."""
    data = read_input(path, error=ConfigError)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", where=str(path)) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        loc = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"invalid YAML: {getattr(exc, 'problem', exc)}", where=loc) from None


def load_model(path: Path, model: type[M]) -> M:
    """Read ``path`` and validate it as ``model``; every fault is listed with its location."""
    data = read_yaml(path)
    if not isinstance(data, dict):  # every rules file is a mapping; pydantic would say "(top): valid dictionary"
        if data is None:
            raise ConfigError("the file is empty (expected 'key: value' lines)", where=str(path))
        kind = _KINDS.get(type(data), type(data).__name__)
        raise ConfigError(f"expected 'key: value' lines, got a YAML {kind}", where=str(path))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        faults = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(faults, where=str(path)) from None
