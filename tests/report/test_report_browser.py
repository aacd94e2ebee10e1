"""The report in headless Chromium: at 1,200 px and at A4 print width, and printed to PDF."""

from __future__ import annotations

import re

import pytest

from countysim.report.pdf import page_count, print_pdf

#: A4 at 96 px an inch is 794 px wide; the report's @page margins are 11 mm a side (42 px)
A4_PRINT_WIDTH = 794 - 2 * 42

MEASURE = """() => {
  const page = document.documentElement.clientWidth;
  const tables = [...document.querySelectorAll('table')].map(t => t.getBoundingClientRect());
  const images = [...document.images].map(i => ({ok: i.complete && i.naturalWidth > 0, w: i.getBoundingClientRect().width}));
  const summary = document.querySelector('section.summary').getBoundingClientRect();
  const first = document.querySelector('section.summary table').getBoundingClientRect();
  return {page, widest: Math.max(...tables.map(r => r.right)), left: Math.min(...tables.map(r => r.left)),
          n_tables: tables.length, images, summaryTop: summary.top, firstTableTop: first.top,
          scroll: document.documentElement.scrollWidth};
}"""


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def _open(browser, report, width: int, height: int, media: str = "screen"):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.emulate_media(media=media)
    page.goto(report["html"].as_uri())
    page.wait_for_load_state("load")
    return page


@pytest.mark.parametrize(
    ("width", "height", "media"), [(1200, 900, "screen"), (A4_PRINT_WIDTH, 1040, "print")]
)
def test_no_table_is_wider_than_the_page_and_the_summary_is_on_the_first_screen(
    browser, report_zh, width, height, media
):
    page = _open(browser, report_zh, width, height, media)
    m = page.evaluate(MEASURE)
    assert m["n_tables"] >= 10
    assert m["widest"] <= m["page"] + 0.5 and m["left"] >= 0, m
    assert m["scroll"] <= m["page"], "the page scrolls sideways"
    assert 0 <= m["summaryTop"] < 200 and m["firstTableTop"] < height, (
        "the summary's headline table is on the first screen"
    )
    assert len(m["images"]) == 2 and all(i["ok"] and i["w"] > 0.8 * (width - 80) for i in m["images"]), m[
        "images"
    ]
    page.close()


def test_the_printed_pdf_has_a_sensible_number_of_a4_pages(chromium, report_zh, tmp_path):
    pdf = tmp_path / "report.pdf"
    pages = print_pdf(report_zh["html"], pdf)
    assert pages == page_count(pdf)
    # the summary alone on page 1, six sections, and an appendix with the parameter table (~170 rows)
    assert 8 <= pages <= 30, pages
    data = pdf.read_bytes()
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert data.startswith(b"%PDF") and len(boxes) == pages
    assert all(abs(float(w) - 595.28) < 1 and abs(float(h) - 841.89) < 1 for w, h in boxes), (
        boxes
    )  # A4 in points


def test_the_english_report_renders_too(browser, report_en):
    page = _open(browser, report_en, 1200, 900)
    m = page.evaluate(MEASURE)
    assert m["widest"] <= m["page"] + 0.5 and all(i["ok"] for i in m["images"])
    assert page.locator("h2").first.inner_text() == "Summary"
    page.close()
