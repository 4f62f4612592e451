"""Printing to PDF (the deck, the minutes): offline, and a chromium fault is one line with the HTML kept."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.deck.test_deck import exam_cells, write
from workbench._chromium import PrintJob, print_pdfs
from workbench.cli import main
from workbench.errors import ConfigError, StorageError

pytestmark = pytest.mark.browser

PAGE = "<!doctype html><html><body><h1>{}</h1>{}</body></html>"


def page(tmp_path: Path, name: str, body: str = "", head: str = "") -> Path:
    path = tmp_path / f"{name}.html"
    path.write_text(PAGE.format(name, body).replace("<body>", f"<head>{head}</head><body>"), encoding="utf-8")
    return path


def test_pages_print_in_order_and_nothing_reaches_the_network(tmp_path):
    # An image and a script on a server that is up: printing must not ask it for anything.
    asked: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        remote = f'<img src="{base}/logo.png"><script src="{base}/x.js"></script>'
        jobs = [PrintJob(html=page(tmp_path, name, remote), pdf=tmp_path / "out" / f"{name}.pdf",
                         options={"format": "A4"}) for name in ("one", "two")]
        assert print_pdfs(jobs, timeout_s=20) == [job.pdf for job in jobs]
    finally:
        server.shutdown()
    assert asked == []
    assert [PdfReader(job.pdf).pages[0].extract_text().strip() for job in jobs] == ["one", "two"]


def test_a_page_that_never_gets_ready_is_one_line_naming_it_and_the_pdfs_before_it_stay(tmp_path):
    done = PrintJob(html=page(tmp_path, "done"), pdf=tmp_path / "done.pdf")
    stuck = PrintJob(html=page(tmp_path, "stuck"), pdf=tmp_path / "stuck.pdf", ready="() => window.neverSet === true")
    with pytest.raises(StorageError) as caught:
        print_pdfs([done, stuck], timeout_s=6)
    assert caught.value.where == str(stuck.html)
    assert caught.value.message.startswith("chromium could not print the PDF: ")
    assert "\n" not in str(caught.value)
    assert done.pdf.read_bytes().startswith(b"%PDF-") and not stuck.pdf.exists()


def test_a_missing_chromium_is_refused_before_anything_is_printed(tmp_path):
    job = PrintJob(html=page(tmp_path, "p"), pdf=tmp_path / "p.pdf")
    with pytest.raises(ConfigError, match="chromium not found") as caught:
        print_pdfs([job], chromium=tmp_path / "no-chromium")
    assert caught.value.where == str(tmp_path / "no-chromium") and not job.pdf.exists()


def test_deck_without_chromium_keeps_its_html_and_says_so_in_one_line(tmp_path, capsys):
    notebook, out = write(tmp_path, exam_cells()), tmp_path / "deck.html"
    code = main(["deck", str(notebook), "--out", str(out), "--chromium", str(tmp_path / "no-chromium")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "chromium not found" in err and str(tmp_path / "no-chromium") in err
    assert "Reveal.initialize" in out.read_text(encoding="utf-8") and not out.with_suffix(".pdf").exists()
