"""Read a file the user named (a CSV, a YAML rules file), turning any OS fault into one line."""

from __future__ import annotations

from pathlib import Path

from workbench.errors import InputError, WorkbenchError


def read_input(path: str | Path, *, error: type[WorkbenchError] = InputError, what: str = "file") -> bytes:
    """The bytes of ``path``; a missing, unreadable or misnamed file is ``error`` naming it.

    Parameters
    ----------
    error : type of WorkbenchError
        ``InputError`` for a user's data file, ``ConfigError`` for a rules file.
    what : str
        What the file is, for the message ("file", "candidate list"...).
    """
    where = str(path)
    try:
        return Path(path).read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        # NotADirectoryError: a part of the path is a file, so this file cannot exist either
        raise error(f"{what} not found", where=where) from None
    except IsADirectoryError:
        raise error(f"a folder, not a {what}", where=where) from None
    except OSError as exc:  # permission denied, name too long, I/O error...
        raise error(f"cannot read the {what}: {exc.strerror or exc}", where=where) from None
