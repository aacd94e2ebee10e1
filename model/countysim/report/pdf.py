"""The report as an A4 PDF for printing, printed by a headless Chromium.

The HTML report carries its own print layout (``@page`` A4, the summary alone on page 1, tables
that never split a row); Chromium's ``--print-to-pdf`` turns it into a PDF. Chromium is found as
the tests find it: ``$COUNTYSIM_CHROMIUM``, else ``chromium``, ``chromium-browser``,
``google-chrome`` or ``google-chrome-stable`` on the ``PATH``. Without one the error says what is
missing and how to get it; the HTML, Markdown and Excel files are written either way.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

#: the commands tried, in order, when $COUNTYSIM_CHROMIUM is not set
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: seconds a print may take
TIMEOUT = 180


class PdfError(RuntimeError):
    """No PDF: Chromium is missing, or it failed to print."""


def find_chromium() -> str | None:
    """The Chromium to print with, or ``None``."""
    named = os.environ.get("COUNTYSIM_CHROMIUM")
    if named:
        return named if Path(named).is_file() else shutil.which(named)
    for name in CHROMIUM_NAMES:
        if path := shutil.which(name):
            return path
    return None


def require_chromium() -> str:
    """The Chromium to print with.

    Raises:
        PdfError: naming what is missing and how to get it.
    """
    browser = find_chromium()
    if browser is None:
        raise PdfError(
            "--pdf needs a headless Chromium, and none was found (looked for $COUNTYSIM_CHROMIUM and "
            f"{', '.join(CHROMIUM_NAMES)} on the PATH); install one (Debian: apt-get install chromium) or "
            "set COUNTYSIM_CHROMIUM to its path, or leave out --pdf and print the HTML report from a browser."
        )
    return browser


def print_pdf(html_path: str | Path, pdf_path: str | Path) -> int:
    """Print an HTML file to an A4 PDF; the number of pages.

    Raises:
        PdfError: naming what is missing (no Chromium) or what Chromium said.
    """
    browser = require_chromium()
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path).resolve()
    with tempfile.TemporaryDirectory(prefix="countysim-chromium-") as profile:
        args = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={profile}", "--no-pdf-header-footer", "--hide-scrollbars",
                f"--print-to-pdf={pdf_path}", html_path.as_uri()]  # fmt: skip
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise PdfError(f"{browser} did not finish printing {html_path} in {TIMEOUT} s") from None
        except OSError as exc:
            raise PdfError(f"cannot start {browser}: {exc.strerror}") from None
    if done.returncode != 0 or not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        tail = "\n".join((done.stderr or "").strip().splitlines()[-5:])
        raise PdfError(f"{browser} could not print {html_path} (exit {done.returncode}):\n{tail}")
    return page_count(pdf_path)


def page_count(pdf_path: str | Path) -> int:
    """The pages of a PDF as Chromium writes it (its page objects)."""
    data = Path(pdf_path).read_bytes()
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
