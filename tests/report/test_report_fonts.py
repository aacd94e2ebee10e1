"""Chinese in figures: the CJK font ships with the dependencies and has every glyph the report draws."""

from __future__ import annotations

import warnings

import matplotlib as mpl
import pytest
from matplotlib.figure import Figure

from countysim import labels
from countysim.report.fonts import FAMILY, cjk_font_path, missing_glyphs, use_cjk_font
from countysim.report.words import WORDS

SAMPLE = "农民工市民化 县城落户人数（人） 随迁子女 万元 重点帮扶县"


def _draw(text: str) -> list[str]:
    """Draw ``text`` in a figure; the warnings matplotlib raised."""
    fig = Figure(figsize=(4, 1))
    fig.text(0.05, 0.5, text)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(__import__("io").BytesIO(), format="png")
    return [str(w.message) for w in caught]


def test_the_font_comes_from_the_dependencies_not_the_system():
    path = cjk_font_path()
    assert "site-packages" in str(path) and path.name == "NotoSansCJKsc-Regular.otf"
    assert use_cjk_font() == FAMILY and mpl.rcParams["font.sans-serif"][0] == FAMILY


def test_every_label_and_word_the_report_draws_has_a_glyph():
    text = "".join(e.zh + e.unit_zh for e in labels.labels().values())
    text += "".join(zh for zh, _ in WORDS.values())
    assert missing_glyphs(text) == []
    assert missing_glyphs("\u4e00\U0002a6d6") == ["\U0002a6d6"]  # a rare ideograph outside the font is found


def test_a_chinese_string_draws_without_missing_glyphs_with_the_font_and_not_without_it():
    with mpl.rc_context({"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}):
        assert any("missing from font" in w for w in _draw(SAMPLE)), "DejaVu Sans should lack CJK glyphs"
    with mpl.rc_context():
        use_cjk_font.cache_clear()
        use_cjk_font()
        assert not [w for w in _draw(SAMPLE) if "missing from font" in w]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_figures_draw_every_glyph(make_data, lang):
    # the report's figures turn a missing-glyph warning into an error, so drawing them is the check
    from countysim.report.document import _needs_long, key_figure, needs_figure

    data = make_data(lang, targets=False)
    assert key_figure(data)[:4] == b"\x89PNG"
    base_long = _needs_long(data.baseline_results, None)
    assert needs_figure(data, None, base_long)[:4] == b"\x89PNG"
