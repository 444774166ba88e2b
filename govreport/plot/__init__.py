"""Publication-ready charts of parsed government information-disclosure reports.

Every chart function takes the tidy corpus tables produced by
:func:`govreport.read_corpus` (``applications``, ``active_disclosure``,
``review_litigation``, ``reports``, ``indicators``, ``problems``; each with a
leading ``report_id``) and returns a :class:`matplotlib.figure.Figure` drawn
with seaborn.  Labels come in Chinese (``lang="zh"``, default) or English
(``lang="en"``) from the label table shipped as ``govreport/data/plot_labels.csv``
(columns ``kind, code, zh, en``); codes missing from the table are shown as
they are.  The data actually drawn is attached to each figure as
``fig.govreport_data`` (a DataFrame) so numbers in a paper can be traced, and
the notes printed at its foot as ``fig.govreport_notes`` (a list of strings).

Charts a reviewer accepts
-------------------------
Bars stand on a linear axis from 0 (a log axis only for lines and points, with
a reported 0 shown as such); every share carries its n and shares of fewer than
``min_n`` requests are left out with a note; years lie on a numeric axis, so a
missing year is a gap; one series per agency (keyed by ``agency_id`` when the
tables carry it); charts by year say when the set of agencies changes; the
``*`` of ``flagged=`` reports is explained in the figure that shows it; and no
text leaves the canvas at single or double column width in either language
(:func:`clipped_text` checks a figure).

Modules: :mod:`.fonts` (the CJK font), :mod:`.style` (widths, languages, labels),
:mod:`.frames` (what the charts do to their input), :mod:`.shares`
(:func:`outcome_shares`, :func:`applicant_mix`), :mod:`.rates`
(:func:`review_litigation_rates`), :mod:`.volumes` (:func:`disclosure_volumes`),
:mod:`.themes` (:func:`problem_themes`), :mod:`.save` (:func:`save_figure`,
:func:`clipped_text`).

Chinese fonts
-------------
Importing this module registers the CJK font shipped by the
``paperang-p2-fonts-cjk`` package (WenQuanYi Micro Hei, a TrueType collection,
Apache-2.0) with matplotlib's font manager, puts it first in
``font.sans-serif`` and sets ``axes.unicode_minus=False``.  No system font
is needed and nothing is downloaded.  Set ``GOVREPORT_CJK_FONT=/path/font.ttf``
to use another font file.  If another library resets ``rcParams`` afterwards
(e.g. ``seaborn.set_theme()``), call :func:`use_cjk_font` again; the chart
functions and :func:`save_figure` apply the font themselves.

Output for journals
-------------------
:func:`save_figure` writes PDF with the font embedded as TrueType
(``pdf.fonttype=42``, a ``/FontFile2`` stream; editable text in Illustrator),
SVG with text converted to paths (``svg.fonttype='path'``: the glyphs survive
on machines without the font, at the price of text not being selectable) and
PNG at 300 dpi, at single-column (3.5 in) or double-column (7.2 in) width.
"""

from __future__ import annotations

from .fonts import (
    FONT_ENV_VAR,
    CJKFontNotFoundError,
    cjk_font_name,
    cjk_font_path,
    use_cjk_font,
)
from .rates import review_litigation_rates
from .save import clipped_text, save_figure
from .shares import applicant_mix, outcome_shares
from .style import WIDTHS, Lang, Width, _label_table, label  # noqa: F401 - _label_table for tests
from .themes import problem_themes
from .volumes import disclosure_volumes

__all__ = [
    "FONT_ENV_VAR",
    "WIDTHS",
    "CJKFontNotFoundError",
    "Lang",
    "Width",
    "applicant_mix",
    "cjk_font_name",
    "cjk_font_path",
    "clipped_text",
    "disclosure_volumes",
    "label",
    "outcome_shares",
    "problem_themes",
    "review_litigation_rates",
    "save_figure",
    "use_cjk_font",
]
