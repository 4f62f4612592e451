"""Read a file the user named (a CSV, a YAML rules file), turning any OS fault into one line.

Text is what spreadsheets write: UTF-8 with or without a BOM, or UTF-16 when its BOM says so
(Excel's "Unicode text"); a CSV's separator is ``;``, ``,`` or a tab, whichever its header uses most.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from workbench.errors import InputError, WorkbenchError

# the byte-order marks spreadsheets write, and the encoding each announces (UTF-8 without one)
ENCODINGS = ((codecs.BOM_UTF8, "utf-8", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
             (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"))


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


def decode_text(data: bytes, where: str) -> str:
    """Decode UTF-8 (BOM or not), or UTF-16 its BOM announces; anything else names the byte and how to fix it."""
    bom, codec, name = next((e for e in ENCODINGS if data.startswith(e[0])), (b"", "utf-8", "UTF-8"))
    body = data[len(bom):]  # positions below count from after the BOM
    try:
        text = body.decode(codec)
        nul = text.find("\x00")  # no text file holds a NUL: UTF-16 without its BOM, or not text at all
        if nul < 0:
            return text
        start = len(text[:nul].encode(codec))
    except UnicodeDecodeError as exc:
        start = exc.start
    line = body[:start].decode(codec, errors="replace").count("\n") + 1
    raise InputError(f"not {name} text (byte 0x{body[start]:02x} on line {line}); save the sheet as 'CSV UTF-8'",
                     where=where)


def read_text(path: str | Path, *, what: str = "file") -> str:
    """The text of a user's file (see :func:`read_input` and :func:`decode_text`)."""
    return decode_text(read_input(path, what=what), str(path))


def separator(header: str) -> str:
    """The CSV separator the header uses most; ``;`` on a tie (French spreadsheets)."""
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=lambda s: (counts[s], s == ";"))
