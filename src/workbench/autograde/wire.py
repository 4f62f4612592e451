"""The one wire between the host, the zygote and a candidate's child: length-prefixed JSON.

Every message crossing a process boundary is encoded by :func:`encode` and read by
:class:`FrameReader` (pipes with a deadline) or :func:`read_stream` (the zygote's blocking
stdin). Three messages travel:

* :class:`Job`, host -> zygote: one notebook's cells, its folder and its limits;
* child frames, child -> zygote: ``ready``, ``cell`` (outputs of a cell the child ran),
  ``answer`` (the values a judged test cell names), ``done``, ``infra``; nothing a child sends
  can carry points: an ``answer`` is only ever an answer, judged outside;
* the result, zygote -> host: the job id, the frames collected, the exit status and timings.

Frames come from untrusted processes: a size over :data:`MAX_FRAME`, bytes that are not JSON or
a JSON value that is not an object read as ``{"corrupt": True}``.
"""

from __future__ import annotations

import json
import os
import select
import struct
import time
from dataclasses import asdict, dataclass
from typing import Any, BinaryIO

HEADER = struct.Struct("!I")
MAX_FRAME = 512 * 1024 * 1024
CHILD_FRAMES = ("ready", "cell", "answer", "done", "infra")


def encode(message: dict) -> bytes:
    """One message as bytes: a 4-byte big-endian length, then UTF-8 JSON."""
    data = json.dumps(message).encode("utf-8")
    return HEADER.pack(len(data)) + data


def child_frame(kind: str, payload: Any = True) -> bytes:
    """A frame from a candidate's child (``kind`` in :data:`CHILD_FRAMES`)."""
    if kind not in CHILD_FRAMES:
        raise ValueError(f"unknown child frame {kind!r}")
    return encode({kind: payload})


def _parse(data: bytes) -> dict:
    try:
        message = json.loads(data)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
        return {"corrupt": True}
    return message if isinstance(message, dict) else {"corrupt": True}


def read_stream(stream: BinaryIO) -> dict | None:
    """Read one message from a blocking stream; None at end of stream."""
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    if size > MAX_FRAME:
        return {"corrupt": True}
    data = stream.read(size)
    if len(data) < size:
        return None
    return _parse(data)


class FrameReader:
    """Read messages from a pipe with a deadline, tolerating a slow or hostile writer."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buf = bytearray()

    def _fill(self, n: int, deadline: float) -> bool:
        while len(self.buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                return False
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                return False
            self.buf += chunk
        return True

    def next(self, deadline: float) -> dict | None:
        """The next message, None at end of stream or past the deadline."""
        if not self._fill(HEADER.size, deadline):
            return None
        (size,) = HEADER.unpack(bytes(self.buf[:HEADER.size]))
        if size > MAX_FRAME:
            return {"corrupt": True}
        if not self._fill(HEADER.size + size, deadline):
            return None
        data = bytes(self.buf[HEADER.size:HEADER.size + size])
        del self.buf[:HEADER.size + size]
        return _parse(data)


@dataclass(frozen=True)
class Job:
    """One notebook to run in a fresh child.

    ``cells``: ``{"cell_type", "source", "test", "handover"}`` per cell, where ``handover`` is
    the list of variables a judged test cell names (None for every other cell).
    """

    job: str
    dir: str
    cells: list[dict]
    limits: dict

    def to_bytes(self) -> bytes:
        return encode(asdict(self))

    @classmethod
    def from_message(cls, message: dict) -> "Job":
        """Read a job (from the host, trusted; still checked so a bug fails loudly)."""
        job = cls(job=str(message["job"]), dir=str(message["dir"]), cells=list(message["cells"]),
                  limits=dict(message["limits"]))
        if not job.dir.isalnum():  # a folder name made by Zygote.workdir, never a path
            raise ValueError(f"bad job folder {job.dir!r}")
        return job
