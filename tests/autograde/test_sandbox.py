"""The sandbox itself: unprivileged uid, process limit, no network, nothing shared between jobs."""

from __future__ import annotations

import os

import pytest

from workbench.autograde.nsutil import python_dirs as _python_dirs
from workbench.autograde.sandbox import Limits, Zygote

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="uid drop is checked as root, like CI")]

PROBE = """
import os, socket
print("uid", os.getuid())
print("files", sorted(os.listdir(".")))
n = 0
pids = []
try:
    for _ in range(500):
        pid = os.fork()
        if pid == 0:
            import time; time.sleep(5); os._exit(0)
        pids.append(pid); n += 1
except OSError:
    pass
print("forks", n)
try:
    socket.create_connection(("127.0.0.1", 22), timeout=1); print("net open")
except OSError:
    print("net blocked")
try:
    open("/etc/pwned", "w"); print("etc writable")
except OSError:
    print("etc read-only")
print("tmp", sorted(os.listdir("/tmp")), "shm", sorted(os.listdir("/dev/shm")))
open("/tmp/left-by-previous", "w").write("x"); open("/dev/shm/left", "w").write("x")
open("mine.txt", "w").write("x")
"""


def _text(result: dict) -> str:
    return "".join(o.get("text", "") for c in result["cells"] for o in c["outputs"])


def test_limits_isolation_and_fresh_state_per_job() -> None:
    zygote = Zygote(sandbox=True, uid=62990, preload=[])
    limits = Limits(nproc=20, cell_timeout=20)
    try:
        first = zygote.run(cells=[{"cell_type": "code", "source": PROBE}],
                           files={"data.csv": b"a\n1\n"}, limits=limits)
        second = zygote.run(cells=[{"cell_type": "code", "source": PROBE}],
                            files={"other.csv": b"b\n2\n"}, limits=limits)
    finally:
        zygote.close()
    one, two = _text(first), _text(second)
    assert "uid 62990" in one
    assert "files ['data.csv']" in one and "files ['other.csv']" in two  # only its own folder
    forks = int(one.split("forks ")[1].split()[0])
    assert 0 < forks < 20  # RLIMIT_NPROC holds because the uid is not root
    assert "net blocked" in one and "etc read-only" in one
    # nothing left over from the first job; only the read-only Python folders kept under /tmp
    # (a checkout or venv living there) show through the fresh /tmp
    kept = sorted({d.split("/")[2] for d in _python_dirs() if d.startswith("/tmp/")})
    assert f"tmp {sorted(['.stderr', '.stdout'] + kept)} shm []" in two
    assert "left-by-previous" not in two
    assert "mine.txt" not in two


def test_no_sandbox_still_runs_cells_in_a_fresh_child() -> None:
    zygote = Zygote(sandbox=False, uid=0, preload=[])
    try:
        out = [zygote.run(cells=[{"cell_type": "code", "source": "x = globals().get('x', 0) + 1\nprint(x)"}],
                          files={}, limits=Limits()) for _ in range(2)]
    finally:
        zygote.close()
    assert [_text(r) for r in out] == ["1\n", "1\n"]


SHM = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
found = libc.shmget(0x5EED, 0, 0)  # a System V segment left by an earlier notebook?
print("shm seen" if found >= 0 else "shm unseen")
libc.shmget(0x5EED, 4096, 0o1600)  # IPC_CREAT: leave one behind
print("files", sorted(f for f in os.listdir(".") if not f.startswith(".")))
open("note_" + str(len(os.listdir("."))) + ".txt", "w").write("x")
"""


def test_a_submission_shares_its_folder_never_its_processes_or_ipc() -> None:
    """Like nbgrader's autograded folder: notebook 2 sees the file notebook 1 wrote. Each notebook
    still starts in fresh namespaces (no System V segment survives), and the next submission gets
    a folder of its own."""
    zygote = Zygote(sandbox=True, uid=62991, preload=[])
    try:
        with zygote.workdir({"data.csv": b"a\n1\n"}) as folder:
            first, second = (zygote.run(cells=[{"cell_type": "code", "source": SHM}], folder=folder,
                                        limits=Limits()) for _ in range(2))
        assert os.listdir(zygote.jobs_dir) == []  # the folder goes with its submission
        other = zygote.run(cells=[{"cell_type": "code", "source": SHM}], files={"data.csv": b"a\n"},
                           limits=Limits())
    finally:
        zygote.close()
    assert _text(first) == "shm unseen\nfiles ['data.csv']\n"
    assert _text(second) == "shm unseen\nfiles ['data.csv', 'note_1.txt']\n"
    assert _text(other) == "shm unseen\nfiles ['data.csv']\n"
