"""The CJK font of the report's figures: Noto Sans CJK SC, shipped by the ``mplfonts`` wheel.

Figures label indicators in Chinese, and matplotlib's own DejaVu Sans has no CJK glyphs (they draw
as empty boxes). The font comes with the package's dependencies, never from the system, so the
same figure draws the same way on a laptop, CI and a cluster. It is read as a data file of the
``mplfonts`` distribution (the package itself is not imported: its command-line tool brings
more than a font), registered with matplotlib's font manager when a figure is drawn, and put
first in the sans-serif list, DejaVu Sans after it for the glyphs a CJK font lacks.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

#: the distribution that ships the font, and the font file inside it
FONT_DISTRIBUTION = "mplfonts"
FONT_FILE = "mplfonts/fonts/NotoSansCJKsc-Regular.otf"
#: the family name matplotlib reads from the file
FAMILY = "Noto Sans CJK SC"


class FontError(RuntimeError):
    """The CJK font cannot be found (a broken installation)."""


@cache
def cjk_font_path() -> Path:
    """The path of the shipped CJK font file.

    Raises:
        FontError: if the ``mplfonts`` distribution or its font file is missing.
    """
    try:
        path = Path(distribution(FONT_DISTRIBUTION).locate_file(FONT_FILE))
    except PackageNotFoundError:
        raise FontError(
            f"the report's CJK font comes with the {FONT_DISTRIBUTION!r} package, which is not installed; "
            "reinstall countysim (uv sync)"
        ) from None
    if not path.is_file():
        raise FontError(
            f"the CJK font file {path} is missing; reinstall {FONT_DISTRIBUTION!r} (uv sync --reinstall)"
        )
    return path


@cache
def use_cjk_font() -> str:
    """Register the CJK font with matplotlib and make it the first sans-serif font; its family name."""
    import matplotlib as mpl
    from matplotlib import font_manager

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    mpl.rcParams["font.family"] = "sans-serif"
    rest = [f for f in mpl.rcParams["font.sans-serif"] if f != family]
    mpl.rcParams["font.sans-serif"] = [family, *rest]
    mpl.rcParams["axes.unicode_minus"] = False  # the font's hyphen-minus, not U+2212 which it may lack
    return family


def missing_glyphs(text: str) -> list[str]:
    """The characters of ``text`` (other than spaces) that the CJK font has no glyph for."""
    from matplotlib.ft2font import FT2Font

    charmap = FT2Font(str(cjk_font_path())).get_charmap()
    return sorted({c for c in text if not c.isspace() and ord(c) not in charmap})
