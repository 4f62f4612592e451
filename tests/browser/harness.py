"""Real-browser harness: a JupyterLab server on loopback and Debian's chromium driven by Playwright.

Launch flags, selectors and waits follow ``/work/shared/notes/browser-e2e.md``
(14/14 cold runs on these machines). Never ``playwright install``: the browser
is ``/usr/bin/chromium``.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    # Without these chromium keeps calling the (closed) network.
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "_artifacts"
NOTIFICATIONS = "@jupyterlab/apputils-extension/notification.jupyterlab-settings"


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """A running ``jupyter lab``: its URL, token, HOME and log."""

    def __init__(self, *, port: int, token: str, home: Path, root: Path, proc: subprocess.Popen, log: Path):
        self.port, self.token, self.home, self.root, self.proc, self.log = port, token, home, root, proc, log

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "lab") -> str:
        """``path`` on this server, with the token."""
        sep = "&" if "?" in path else "?"
        return f"{self.base}/{path.lstrip('/')}{sep}token={self.token}"

    def log_tail(self, n: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])


def _quiet_lab_settings(home: Path) -> None:
    # The "Jupyter news?" toast covers the bottom-right corner; news_url=None does not remove it.
    path = home / ".jupyter" / "lab" / "user-settings" / NOTIFICATIONS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))


def _wait_ready(server: LabServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"jupyter lab exited ({server.proc.returncode}):\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.url("api/status"), timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"jupyter lab not ready after {timeout:.0f}s:\n{server.log_tail()}")


@contextmanager
def lab_server(*, home: Path, root: Path, timeout: float = 60) -> Iterator[LabServer]:
    """Start JupyterLab on loopback with a token and its own HOME; stop it on exit.

    Parameters
    ----------
    home : Path
        The server's HOME (lab settings, workspaces, ``~/.jupyter/nbgrader_config.py``).
    root : Path
        The folder the file browser shows (also the working directory).
    """
    home.mkdir(parents=True, exist_ok=True)
    _quiet_lab_settings(home)
    port, token = free_port(), secrets.token_hex(16)
    log = home / "lab.log"
    # No MPLBACKEND (the test session sets Agg): kernels must draw figures inline, as for users.
    env = {
        **{k: v for k, v in os.environ.items() if k != "MPLBACKEND"},
        "HOME": str(home),
        # nbgrader's gradebook calls the `alembic` script: the venv's bin must be on PATH.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "JUPYTER_RUNTIME_DIR": str(home / ".runtime"),
    }
    cmd = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip", "127.0.0.1", "--port", str(port),
        # Without port_retries=0 a busy port silently moves on and the poll talks to another server.
        "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", "--allow-root",
        f"--ServerApp.root_dir={root}",
    ]
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=fh, stderr=subprocess.STDOUT)
    server = LabServer(port=port, token=token, home=home, root=root, proc=proc, log=log)
    try:
        _wait_ready(server, timeout)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def chromium() -> Iterator[object]:
    """A headless chromium browser (Playwright ``Browser``) launched from ``/usr/bin/chromium``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under tests/_artifacts/ (gitignored) and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@contextmanager
def screenshot_on_failure(page, name: str) -> Iterator[None]:
    """Save a screenshot when the block fails, while the server is still up (the page still live)."""
    try:
        yield
    except BaseException:
        try:
            print(f"screenshot: {screenshot(page, name)}")
        except Exception:  # a dead page must not hide the real failure
            pass
        raise


def _is_grading_page(frame) -> bool:
    # The iframe's reported URL can lag behind its navigation: ask the page itself.
    try:
        return frame.evaluate("() => typeof FormGrader === 'function' && typeof formgrader === 'object'")
    except Exception:  # navigating: the execution context is being replaced
        return False


def formgrader_frame(page, timeout: float = 30_000):
    """The formgrader grading page's frame, once its grades and comments have loaded.

    Typing before the comments are fetched loses the text: the comment view renders
    the (empty) saved comment over it when the fetch completes.
    """
    deadline = time.monotonic() + timeout / 1000
    while time.monotonic() < deadline:
        frame = next((f for f in page.frames if f is not page.main_frame and _is_grading_page(f)), None)
        if frame is not None:
            # Not formgrader.loaded: offline, MathJax is missing and init() stops before setting it.
            frame.wait_for_function(
                "() => formgrader.grades && formgrader.grades.loaded && formgrader.comments && formgrader.comments.loaded",
                timeout=timeout,
            )
            return frame
        time.sleep(0.2)
    raise TimeoutError(f"formgrader grading page not found in the frames: {[f.url for f in page.frames]}")


# --- notebook helpers -------------------------------------------------------------------

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def wait_kernel_ready(page, *, cells: int, timeout: float = 60_000) -> None:
    """Wait until the open notebook shows ``cells`` cells and the kernel is really idle.

    The toolbar indicator says ``idle`` while the kernel is still "Initializing"
    (Run All then leaves cells at ``[ ]:``): the status-bar text ending in
    ``| Idle`` is the reliable signal.
    """
    from playwright.sync_api import expect

    expect(page.locator(f"{PANEL} .jp-Cell")).to_have_count(cells, timeout=timeout)
    status = page.get_by_role("contentinfo").get_by_role("button", name=re.compile(r"\| Idle$"))
    expect(status).to_be_visible(timeout=timeout)


def run_all(page, *, timeout: float = 60_000) -> None:
    """Menu Run → Run All Cells; wait until every code cell shows a new ``[n]:`` and the kernel is idle."""
    from playwright.sync_api import expect

    prompts = page.locator(f"{PANEL} .jp-CodeCell .jp-InputPrompt")
    before = [t.strip() for t in prompts.all_inner_texts()]
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
    for i, old in enumerate(before):
        # A re-run must not be taken for done by the numbers of the previous run.
        expect(prompts.nth(i)).not_to_have_text(old, timeout=timeout)
        expect(prompts.nth(i)).to_have_text(re.compile(r"\[\d+\]:"), timeout=timeout)
    expect(page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator")).to_have_attribute(
        "data-status", "idle", timeout=timeout
    )


def set_cell_source(page, index: int, code: str) -> None:
    """Replace the text of cell ``index`` (indentation kept: insert_text does not auto-indent)."""
    cell = page.locator(f"{PANEL} .jp-Cell").nth(index)
    if "jp-MarkdownCell" in (cell.get_attribute("class") or ""):
        cell.dblclick()  # a rendered markdown cell shows its editor only in edit mode
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(code)
