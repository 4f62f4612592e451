"""What an operator sees: exit codes through the console script, one grader per course, clear
refusals, and file faults (corrupted gradebook, read-only folder, full disk) in one line with
nothing recorded lost."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.autograde.conftest import EXPECTED, add_cohort, copy_course, gradebook_scores, integrity_ok
from workbench.autograde.lock import grading_lock, lock_path
from workbench.cli import main

pytestmark = pytest.mark.slow
WORKBENCH = str(Path(sys.executable).parent / "workbench")  # the console script


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error:")]


def _autograde(course: Path, *extra: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([WORKBENCH, "autograde", "segmentation", "--course-dir", str(course), "--workers", "1",
                           *extra], capture_output=True, text=True, timeout=300, **kw)


# -- exit codes, through the console script ---------------------------------------------------------

def test_exit_0_when_all_graded(course: Path) -> None:
    cohort = add_cohort(course, ["good"])
    run = _autograde(course)
    assert run.returncode == 0, run.stderr
    assert {s: gradebook_scores(course)[s]["total"] for s in cohort} == {s: EXPECTED["good"] for s in cohort}


def _patched_console(patch: str, *args: str) -> subprocess.CompletedProcess:
    """The console script's entry point, run after ``patch`` (Python source) simulated a fault."""
    script = ("import sys\nfrom importlib.metadata import entry_points\n" + patch +
              "\n(ep,) = entry_points(group='console_scripts', name='workbench')\n"
              "sys.argv = ['workbench', *sys.argv[1:]]\nsys.exit(ep.load()())\n")
    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=300)


def test_exit_3_when_some_are_left_pending(course: Path) -> None:
    add_cohort(course, ["good"])
    # Every worker lost for good: the submission stays pending.
    run = _patched_console("import workbench.autograde.backends as b\n"
                           "b.run_submission = lambda *a, **k: {'infra_failed': 'worker lost (simulated)', "
                           "'infra_retries': 1}",
                           "autograde", "segmentation", "--course-dir", str(course), "--workers", "1", "--no-sandbox")
    assert run.returncode == 3, run.stderr
    assert "infrastructure failures 1 (left pending)" in run.stderr


def test_exit_2_on_a_user_error(course: Path) -> None:
    add_cohort(course, ["good"])
    run = _autograde(course, "--student", "nobody")
    assert run.returncode == 2, run.stderr
    (line,) = _error_lines(run.stderr)
    assert "unknown --student: 'nobody' has no collected submission of 'segmentation'" in line
    assert "Traceback" not in run.stderr


def test_a_worker_that_cannot_start_is_one_line_not_a_broken_pool(course: Path) -> None:
    # The crash: a ConfigError raised while a worker thread starts its zygote (bwrap gone
    # after the pre-flight, a sandbox that cannot confine) broke the pool, and the user read a
    # BrokenThreadPool traceback instead of the error.
    add_cohort(course, ["good", "k3"])
    run = _patched_console("from workbench.errors import ConfigError\n"
                           "from workbench.autograde.sandbox import Zygote\n"
                           "def start(self):\n"
                           "    raise ConfigError('the sandbox cannot confine a worker (simulated)', where='bwrap')\n"
                           "Zygote.start = start",
                           "autograde", "segmentation", "--course-dir", str(course), "--workers", "2")
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and "BrokenThreadPool" not in run.stderr, run.stderr
    (line,) = _error_lines(run.stderr)
    assert line == "error: bwrap: the sandbox cannot confine a worker (simulated)"
    assert not any(s["total"] for s in gradebook_scores(course).values())  # nobody graded as if it ran


# -- one grader at a time ---------------------------------------------------------------------------

def test_a_second_run_refuses_at_once(course: Path, capsys) -> None:
    with grading_lock(course):
        code = main(["autograde", "segmentation", "--course-dir", str(course), "--no-sandbox"])
    err = capsys.readouterr().err
    assert code == 2
    (line,) = _error_lines(err)
    assert f"another `workbench autograde` is grading this course (pid {os.getpid()}," in line
    assert "--wait" in line


def _holder(course: Path) -> subprocess.Popen:
    """Another run holding the course's lock until its stdin closes (or it is killed)."""
    code = ("import sys\nfrom pathlib import Path\nfrom workbench.autograde.lock import grading_lock\n"
            f"with grading_lock(Path({str(course)!r})):\n    print('held', flush=True)\n    sys.stdin.read()\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_wait_queues_behind_the_run_holding_the_lock(course: Path) -> None:
    holder = _holder(course)
    waiter = subprocess.Popen([WORKBENCH, "autograde", "segmentation", "--course-dir", str(course), "--no-sandbox",
                               "--wait"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        seen = []
        while not any("waiting for the run grading this course (pid" in line for line in seen):
            seen.append(waiter.stderr.readline())
            assert seen[-1], "".join(seen)
        assert waiter.poll() is None  # still queued while the lock is held
        holder.stdin.close()
        holder.wait(timeout=30)
        rest = waiter.stderr.read()
        assert waiter.wait(timeout=120) == 0, rest
    finally:
        for proc in (holder, waiter):
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_a_lock_left_by_a_killed_run_is_taken_over(course: Path, capsys) -> None:
    holder = _holder(course)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert f"pid {holder.pid}," in lock_path(course).read_text()
    code = main(["autograde", "segmentation", "--course-dir", str(course), "--no-sandbox"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert f"took over the grading lock of a run that stopped (pid {holder.pid}," in err
    assert lock_path(course).read_text() == ""  # released, and no holder named


# -- clear refusals ---------------------------------------------------------------------------------

def test_a_folder_that_is_not_a_course_is_refused_and_left_untouched(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "not-a-course"
    folder.mkdir()
    code = main(["autograde", "segmentation", "--course-dir", str(folder), "--no-sandbox"])
    assert code == 2
    (line,) = _error_lines(capsys.readouterr().err)
    assert "not a course folder (no nbgrader_config.py)" in line
    assert list(folder.iterdir()) == []  # no stray gradebook.db, no .workbench/


def test_autograde_before_collect_hints_at_collect(course: Path, capsys) -> None:
    code = main(["autograde", "segmentation", "--course-dir", str(course), "--no-sandbox"])
    err = capsys.readouterr().err
    assert code == 0
    assert "nothing to grade: no submission of 'segmentation' in submitted/" in err
    assert f"workbench course collect --dir {course} segmentation" in err


# -- file faults: one line, nothing recorded changed, resume gives the same scores ----------------------

def test_corrupted_gradebook_is_one_line_and_left_as_is(course: Path, capsys) -> None:
    gradebook = course / "gradebook.db"
    gradebook.write_bytes(b"this is not a database, but a spreadsheet saved over it\n" * 100)
    before = _sha(gradebook)
    code = main(["autograde", "segmentation", "--course-dir", str(course), "--no-sandbox"])
    assert code == 2
    (line,) = _error_lines(capsys.readouterr().err)
    assert f"{gradebook}: gradebook unreadable (file is not a database)" in line
    assert _sha(gradebook) == before


def _fill(disk: Path) -> Path:
    """Fill the disk to the last byte; return the file to delete to free it."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    for block in (65536, 1):
        try:
            while os.write(fd, b"\0" * block):
                pass
        except OSError:
            pass
    os.close(fd)
    return filler


def _corrupt_table(db: Path, table: str) -> None:
    """Overwrite the root page of one table inside a sound SQLite file, the schema left intact
    (what a torn write or a bad sector does, unlike a file that is no database at all)."""
    con = sqlite3.connect(db)
    try:
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        (root,) = con.execute("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?",
                              (table,)).fetchone()
    finally:
        con.close()
    with open(db, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xff" * page_size)


def test_gradebook_with_corrupted_pages_is_one_line_and_left_as_is(course: Path, capsys) -> None:
    cohort = add_cohort(course, ["good", "k3"])
    first, second = cohort
    grade = ["autograde", "segmentation", "--course-dir", str(course), "--no-sandbox", "--workers", "1"]
    assert main([*grade, "--student", first]) == 0  # something recorded before the fault
    gradebook = course / "gradebook.db"
    backup = gradebook.read_bytes()
    _corrupt_table(gradebook, "grade")  # the recorded scores
    before = {path: _sha(path) for path in course.rglob("*") if path.is_file()}
    capsys.readouterr()
    code = main(grade)
    err = capsys.readouterr().err
    assert code == 2, err
    (line,) = _error_lines(err)
    assert f"{gradebook}: gradebook unreadable (database disk image is malformed" in line
    assert "restore it from a backup" in line and "Traceback" not in err
    assert {path: _sha(path) for path in course.rglob("*") if path.is_file()} == before  # nothing written
    assert not (course / "autograded" / second).exists()
    gradebook.write_bytes(backup)  # the operator restores the gradebook, and runs the command again
    assert main(grade) == 0
    assert {s: gradebook_scores(course)[s]["total"] for s in cohort} == {s: EXPECTED[p] for s, p in cohort.items()}



def test_gradebook_corrupted_midway_through_a_batch_is_one_line(course: Path, capsys, monkeypatch) -> None:
    """Another program overwrites pages of the gradebook while a batch runs: nbgrader wraps the
    database's error in its own ``InvalidEntry``; the grader still gets one line naming the file."""
    from workbench.autograde import runner

    cohort = add_cohort(course, ["good", "k3", "typo"])
    gradebook = course / "gradebook.db"
    complete, at_fault = runner._complete, {}

    def complete_then_corrupt(bridge, journal, prepared, *args) -> None:
        complete(bridge, journal, prepared, *args)
        if not at_fault:  # the gradebook is damaged once the first candidate is recorded
            at_fault.update(student=prepared.student, backup=gradebook.read_bytes())
            _corrupt_table(gradebook, "grade")

    monkeypatch.setattr(runner, "_complete", complete_then_corrupt)
    grade = ["autograde", "segmentation", "--course-dir", str(course), "--no-sandbox", "--workers", "1"]
    code = main(grade)
    err = capsys.readouterr().err
    monkeypatch.undo()
    assert at_fault and code == 2, err
    (line,) = _error_lines(err)
    assert f"{gradebook}: gradebook: database disk image is malformed" in line, line
    assert "Traceback" not in err and "InvalidEntry" not in err
    gradebook.write_bytes(at_fault["backup"])  # the operator restores the backup, and runs the command again
    assert main(grade) == 0
    assert "1 submission(s) already graded: skipped" in capsys.readouterr().err
    assert {s: gradebook_scores(course)[s]["total"] for s in cohort} == {s: EXPECTED[p] for s, p in cohort.items()}


def test_a_gradebook_restored_from_an_older_backup_gets_back_what_it_lacks(course: Path, capsys) -> None:
    """The journal says done, the autograded copies are there, but the gradebook was restored from
    before the run: skipping by the journal alone would leave those candidates without scores."""
    cohort = add_cohort(course, ["good", "k3"])
    gradebook = course / "gradebook.db"
    backup = gradebook.read_bytes()
    grade = ["autograde", "segmentation", "--course-dir", str(course), "--no-sandbox", "--workers", "1"]
    assert main(grade) == 0
    gradebook.write_bytes(backup)
    capsys.readouterr()
    assert main(grade) == 0
    assert "already graded" not in capsys.readouterr().err
    assert {s: gradebook_scores(course)[s]["total"] for s in cohort} == {s: EXPECTED[p] for s, p in cohort.items()}
    assert main(grade) == 0  # and once recorded, skipped again
    assert "2 submission(s) already graded: skipped" in capsys.readouterr().err

@pytest.fixture
def mount_point(tmp_path: Path):
    """Mounts made in the test are undone after it, whatever happens."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a read-only folder or a small disk needs root")
    mounted: list[Path] = []

    def mount(*args: str, target: Path) -> Path:
        run = subprocess.run(["mount", *args, str(target)], capture_output=True, text=True)
        if run.returncode != 0:
            pytest.skip(f"cannot mount here: {run.stderr.strip()}")
        mounted.append(target)
        return target

    yield mount
    for target in reversed(mounted):
        subprocess.run(["umount", "-l", str(target)], check=False)


def test_read_only_course_folder(course: Path, mount_point, capsys) -> None:
    cohort = add_cohort(course, ["good", "k3"])
    before = _sha(course / "gradebook.db")
    mount_point("--bind", str(course), target=course)
    subprocess.run(["mount", "-o", "remount,bind,ro", str(course)], check=True)
    code = main(["autograde", "segmentation", "--course-dir", str(course), "--workers", "1"])
    assert code == 2
    (line,) = _error_lines(capsys.readouterr().err)
    assert f"{lock_path(course)}: cannot create the grading lock: Read-only file system" in line
    subprocess.run(["umount", str(course)], check=True)
    assert _sha(course / "gradebook.db") == before
    assert main(["autograde", "segmentation", "--course-dir", str(course), "--workers", "1"]) == 0
    assert {s: gradebook_scores(course)[s]["total"] for s in cohort} == {s: EXPECTED[p] for s, p in cohort.items()}


def test_full_disk(template_course: Path, tmp_path: Path, mount_point, capsys) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    mount_point("-t", "tmpfs", "-o", "size=24m", "tmpfs", target=disk)
    course = copy_course(template_course, disk / "course")
    cohort = add_cohort(course, ["good", "typo"])
    before = _sha(course / "gradebook.db")
    filler = _fill(disk)
    code = main(["autograde", "segmentation", "--course-dir", str(course), "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 3, err
    (line,) = _error_lines(err)
    assert "No space left on device" in line or "database or disk is full" in line
    assert str(course) in line and "Traceback" not in err
    assert _sha(course / "gradebook.db") == before
    filler.unlink()  # the operator frees space, and runs the command again
    assert main(["autograde", "segmentation", "--course-dir", str(course), "--workers", "1"]) == 0
    assert {s: gradebook_scores(course)[s]["total"] for s in cohort} == {s: EXPECTED[p] for s, p in cohort.items()}


def test_full_disk_midway_through_a_batch(template_course: Path, tmp_path: Path, mount_point, capsys,
                                         monkeypatch) -> None:
    from workbench.autograde import runner

    disk = tmp_path / "disk"
    disk.mkdir()
    mount_point("-t", "tmpfs", "-o", "size=24m", "tmpfs", target=disk)
    course = copy_course(template_course, disk / "course")
    cohort = add_cohort(course, ["good", "k3", "typo", "no_chart"])
    gradebook = course / "gradebook.db"
    complete, at_fault = runner._complete, {}

    def complete_then_fill(bridge, journal, prepared, *args) -> None:
        complete(bridge, journal, prepared, *args)
        if not at_fault:  # the disk fills up once the first candidate is recorded
            at_fault.update(student=prepared.student, gradebook=_sha(gradebook), filler=_fill(disk))

    monkeypatch.setattr(runner, "_complete", complete_then_fill)
    code = main(["autograde", "segmentation", "--course-dir", str(course), "--workers", "1"])
    err = capsys.readouterr().err
    monkeypatch.undo()
    assert at_fault and code == 3, err
    (line,) = _error_lines(err)
    assert "No space left on device" in line or "database or disk is full" in line
    assert str(course) in line and "Traceback" not in err
    assert _sha(gradebook) == at_fault["gradebook"] and integrity_ok(gradebook)  # nothing recorded changed
    assert gradebook_scores(course)[at_fault["student"]]["total"] == EXPECTED[cohort[at_fault["student"]]]
    at_fault["filler"].unlink()  # the operator frees space, and runs the command again
    assert main(["autograde", "segmentation", "--course-dir", str(course), "--workers", "1"]) == 0
    assert "1 submission(s) already graded: skipped" in capsys.readouterr().err
    assert {s: gradebook_scores(course)[s]["total"] for s in cohort} == {s: EXPECTED[p] for s, p in cohort.items()}


# -- nothing left behind ----------------------------------------------------------------------------

# Runs a command as the child of a subreaper: whatever it leaves running is re-parented to this
# helper (not to PID 1), so the test sees exactly the processes this command left behind.
# Interrupt modes: "up" sends Ctrl-C once a sandbox runs; "setup" once a sandbox's inner bwrap
# exists (cloned, waiting for the outer one to release it).
REAPER = r"""
import ctypes, json, os, signal, subprocess, sys, time
ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
cmd, interrupt = json.loads(sys.argv[1]), sys.argv[2]

def table():
    found = {}
    for d in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = open(f"/proc/{d}/stat").read().rsplit(")", 1)[1].split()
            cmd = open(f"/proc/{d}/cmdline", "rb").read().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        if stat[0] != "Z":
            found[int(d)] = (int(stat[1]), cmd[:150])
    return found

def children(of):
    return {pid: cmd for pid, (ppid, cmd) in table().items() if ppid == of}

def inner_bwrap(of):
    procs, seen, todo = table(), set(), [of]
    while todo:
        parent = todo.pop()
        for pid, (ppid, cmd) in procs.items():
            if ppid == parent and pid not in seen:
                seen.add(pid)
                todo.append(pid)
                if "bwrap" in cmd and "bwrap" in procs.get(ppid, (0, ""))[1]:
                    return True
    return False

# Ctrl-C as an operator's terminal delivers it: whoever started the tests may have left SIGINT
# ignored (a background job, a library of an earlier test), and an ignored signal stays ignored
# across exec, so the command would never see it
signal.signal(signal.SIGINT, signal.SIG_DFL)
proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
reached = True
if interrupt != "no":  # Ctrl-C, once the sandboxes reach the awaited stage
    ready = ((lambda: any("bwrap" in c for c in children(proc.pid).values())) if interrupt == "up"
             else (lambda: inner_bwrap(proc.pid)))
    until = time.monotonic() + 120
    while proc.poll() is None and not (reached := ready()) and time.monotonic() < until:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
try:
    out, _ = proc.communicate(timeout=60 if interrupt != "no" else 240)
except subprocess.TimeoutExpired:  # hung: fail the test, not the suite
    proc.kill()
    out = proc.communicate()[0] + "\n[the command hung and was killed by the test]"
deadline = time.monotonic() + 5  # a killed sandbox takes a moment to go
while children(os.getpid()) and time.monotonic() < deadline:
    time.sleep(0.1)
left = children(os.getpid())
for _ in range(50):  # end what is left, and what is re-parented to us as its parents go
    now = children(os.getpid())
    if not now:
        break
    for pid in now:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    time.sleep(0.1)
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass
print(json.dumps({"rc": proc.returncode, "out": out, "left": list(left.values()), "reached": reached}))
"""

# A bubblewrap that stalls where a real one is briefly vulnerable: the outer bwrap has cloned the
# inner one (which waits, on an eventfd of its own, for the outer to release it) and then blocks
# writing its --info-fd into a full pipe. Killing only the outer bwrap there leaves the inner one
# waiting forever, parent PID 1, no children: the orphan a full test run left behind.
STALLING_BWRAP = """#!{python}
import os, sys
read_end, write_end = os.pipe()
os.set_blocking(write_end, False)
try:
    while True:
        os.write(write_end, b"x" * 65536)
except BlockingIOError:
    pass
os.set_blocking(write_end, True)
os.set_inheritable(read_end, True)  # kept open, unread: the write blocks (no SIGPIPE)
os.set_inheritable(write_end, True)
os.execv("{bwrap}", ["bwrap", "--info-fd", str(write_end), *sys.argv[1:]])
"""


@pytest.fixture
def stalling_bwrap(tmp_path: Path) -> str:
    """A PATH whose ``bwrap`` stalls every sandbox in the middle of its set-up."""
    real = shutil.which("bwrap")
    if real is None:
        pytest.skip("bubblewrap is not installed")
    bin_dir = tmp_path / "stall-bin"
    bin_dir.mkdir()
    shim = bin_dir / "bwrap"
    shim.write_text(STALLING_BWRAP.format(python=sys.executable, bwrap=real))
    shim.chmod(0o755)
    return f"{bin_dir}{os.pathsep}{os.environ['PATH']}"


@pytest.mark.parametrize("case", ["batch", "failed start", "interrupted", "interrupted in sandbox set-up"])
def test_no_sandbox_or_zygote_outlives_the_command(course: Path, case: str, request) -> None:
    import json

    interrupt = {"interrupted": "up", "interrupted in sandbox set-up": "setup"}.get(case, "no")
    # a notebook still running when Ctrl-C comes: on a loaded machine two quick candidates could
    # finish between the sandboxes coming up and the signal
    add_cohort(course, ["good", "k3"] + (["slow"] if interrupt == "up" else []))
    assignment = "no_such_assignment" if case == "failed start" else "segmentation"
    cmd = [WORKBENCH, "autograde", assignment, "--course-dir", str(course), "--workers", "2"]
    env = None
    if case == "interrupted in sandbox set-up":
        env = dict(os.environ, PATH=request.getfixturevalue("stalling_bwrap"))
    run = subprocess.run([sys.executable, "-c", REAPER, json.dumps(cmd), interrupt],
                         capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["reached"], result["out"]  # Ctrl-C came at the stage the case is about
    assert result["left"] == [], result["out"]
    assert result["rc"] == {"batch": 0, "failed start": 2}.get(case, 130), result["out"]
