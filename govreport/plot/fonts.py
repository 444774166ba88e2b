"""The CJK font: found in the ``paperang-p2-fonts-cjk`` package (or ``$GOVREPORT_CJK_FONT``) and
registered with matplotlib so Chinese labels render and embed without a system font."""

from __future__ import annotations

import functools
import importlib.util
import os
import warnings
from pathlib import Path

import matplotlib
from matplotlib import font_manager

__all__ = ["FONT_ENV_VAR", "CJKFontNotFoundError", "cjk_font_name", "cjk_font_path", "use_cjk_font"]

#: Environment variable naming a font file to use instead of the packaged one.
FONT_ENV_VAR = "GOVREPORT_CJK_FONT"

# (importable package, file inside it).  TrueType outlines only: matplotlib
# embeds fonts in PDF as Type 42 (/FontFile2), which requires glyf outlines;
# CFF-based .otf files (Noto Sans CJK / Source Han Sans) produce PDFs whose
# font dictionary does not match the embedded program.
_FONT_CANDIDATES: tuple[tuple[str, str], ...] = (
    ("paperang_p2_fonts_cjk", "fonts/wqy-microhei.ttc"),
)


class CJKFontNotFoundError(FileNotFoundError):
    """No CJK font file could be located."""


@functools.cache
def cjk_font_path() -> Path:
    """Return the path of the CJK font used for Chinese labels.

    Looks at ``$GOVREPORT_CJK_FONT`` first, then at the font shipped by the
    ``paperang-p2-fonts-cjk`` pip package.  Raises :class:`CJKFontNotFoundError`
    (a ``FileNotFoundError``) naming the package to install when none exists.
    """
    env = os.environ.get(FONT_ENV_VAR)
    if env:
        path = Path(env).expanduser()
        if not path.is_file():
            raise CJKFontNotFoundError(f"{FONT_ENV_VAR}={env!r} is not a font file")
        return path.resolve()
    for module, relative in _FONT_CANDIDATES:
        try:
            spec = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            spec = None
        if spec is None:
            continue
        for location in spec.submodule_search_locations or ():
            path = Path(location) / relative
            if path.is_file():
                return path.resolve()
    raise CJKFontNotFoundError(
        "no CJK font found for Chinese chart labels: install it with "
        "`pip install paperang-p2-fonts-cjk` (WenQuanYi Micro Hei), or set "
        f"{FONT_ENV_VAR} to a TrueType font file"
    )


@functools.cache
def cjk_font_name() -> str:
    """Register the CJK font with matplotlib and return its family name."""
    path = cjk_font_path()
    known = {Path(f.fname).resolve() for f in font_manager.fontManager.ttflist}
    if path not in known:
        font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


@functools.cache
def _has_truetype_outlines(path: Path) -> bool:
    """True for glyf-based fonts, which matplotlib can embed as Type 42."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(str(path), fontNumber=0, lazy=True) as font:
            return "glyf" in font
    except Exception:  # noqa: BLE001 - unreadable by fontTools: let matplotlib decide
        return True


def _font_rc() -> dict[str, object]:
    name = cjk_font_name()
    rest = [f for f in matplotlib.rcParams["font.sans-serif"] if f != name]
    # Type 42 needs TrueType outlines; a CFF (.otf) font given through
    # $GOVREPORT_CJK_FONT is embedded as Type 3 instead (still embedded).
    fonttype = 42 if _has_truetype_outlines(cjk_font_path()) else 3
    return {
        "font.family": ["sans-serif"],
        "font.sans-serif": [name, *rest],
        "axes.unicode_minus": False,
        "pdf.fonttype": fonttype,
        "ps.fonttype": fonttype,
        "svg.fonttype": "path",
    }


def use_cjk_font() -> str:
    """(Re-)apply the CJK font settings to the global ``matplotlib.rcParams``.

    Called on import.  Call it again after anything that resets rcParams
    (``seaborn.set_theme()``, ``matplotlib.rcdefaults()``).  Returns the font
    family name.
    """
    rc = _font_rc()
    matplotlib.rcParams.update(rc)
    return cjk_font_name()


try:
    use_cjk_font()
except CJKFontNotFoundError as _exc:  # pragma: no cover - depends on the install
    warnings.warn(f"govreport.plot: {_exc}; Chinese labels will not render", RuntimeWarning, stacklevel=2)
