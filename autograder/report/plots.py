"""The class report's plots: matplotlib figures (Agg canvas, no pyplot state) as PNG bytes.

Korean labels need a CJK font: the first of :data:`CJK_FAMILIES` matplotlib
finds (Debian's ``fonts-noto-cjk`` gives "Noto Sans CJK KR"), else a Noto CJK
file added by path. Without one, Korean plots are labelled in English (the
page around them stays Korean: the browser has its own fonts) and a note is
logged, rather than drawing empty boxes.
"""

from __future__ import annotations

import functools
import io
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from autograder.i18n import message

log = logging.getLogger(__name__)

CJK_FAMILIES = ("Noto Sans CJK KR", "Noto Sans KR", "NanumGothic", "Malgun Gothic", "Apple SD Gothic Neo",
                "AppleGothic", "Noto Sans CJK JP", "Noto Sans CJK SC")
CJK_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
             "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
             "/usr/share/fonts/opentype/noto/NotoSansKR-Regular.otf")
BAR = "#4c72b0"
HIDDEN_BAR = "#8172b3"


@functools.cache
def cjk_family() -> str | None:
    """The family name of a font with Hangul that matplotlib can use, or ``None``."""
    for family in CJK_FAMILIES:
        try:
            font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
            return family
        except ValueError:
            continue
    for path in CJK_FILES:
        if Path(path).is_file():
            try:
                font_manager.fontManager.addfont(path)
                return str(font_manager.FontProperties(fname=path).get_name())
            except (OSError, RuntimeError, ValueError):
                continue
    return None


@functools.cache
def plot_language(lang: str) -> str:
    """The language plots are labelled in: ``lang``, unless it needs a font this machine lacks."""
    if lang == "ko" and cjk_family() is None:
        log.warning("no CJK font for matplotlib (install fonts-noto-cjk): the class report's plots are labelled "
                    "in English")
        return "en"
    return lang


def _style(lang: str) -> Any:  # matplotlib types rc keys as literals
    family = cjk_family() if lang == "ko" else None
    return {"font.family": [family, "DejaVu Sans"] if family else ["DejaVu Sans"], "font.size": 10,
            "axes.spines.top": False, "axes.spines.right": False, "text.parse_math": False,
            "axes.unicode_minus": False}


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(figure)
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    return buffer.getvalue()


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), dpi=100)


MAX_POINT_BINS = 40  # up to this many points, one bar per point value; above, RANGE_BINS equal ranges
RANGE_BINS = 20


@dataclass(frozen=True)
class ScoreBin:
    """One bar of the score distribution: the scores from ``low`` up to (not including) ``high``.

    With ``exact`` the bar is one point value: ``low`` itself, and every
    score from it up to the next point (17.5 is counted at 17); the last bar
    is full marks alone. Otherwise it is a range, the last one closed.
    """

    low: float
    high: float
    count: int
    exact: bool


def score_bins(finals: Sequence[float], possible: float) -> list[ScoreBin]:
    """The score distribution's bars: one per point value when the maximum is a whole number of at most
    :data:`MAX_POINT_BINS` points (an integer score k is in bar k, full marks in the last), else equal ranges."""
    top = max([possible, *finals, 1.0])
    # scores are sums of shares (3 x 4/3 = 3.9999999999999996): what rounds to a point value is that value
    scores = [min(max(round(float(f), 6), 0.0), top) for f in finals]
    if top <= MAX_POINT_BINS and float(top).is_integer():
        points = int(top)
        counts = [0] * (points + 1)
        for score in scores:
            counts[math.floor(score)] += 1
        return [ScoreBin(float(k), float(k + 1), counts[k], True) for k in range(points + 1)]
    width = top / RANGE_BINS
    counts = [0] * RANGE_BINS
    for score in scores:
        counts[min(RANGE_BINS - 1, math.floor(round(score / width, 6)))] += 1
    return [ScoreBin(k * width, (k + 1) * width, counts[k], False) for k in range(RANGE_BINS)]


def score_histogram(finals: Sequence[float], possible: float, lang: str) -> bytes:
    """How many students got how many (final) points: one bar per :func:`score_bins` bin (a point value's bar
    centred on it, a range's bar over it)."""
    bins = score_bins(finals, possible)
    lang = plot_language(lang)
    with rc_context(_style(lang)):
        figure = _figure(7.5, 3.4)
        axes = figure.add_subplot()
        exact = bins[0].exact
        left = [b.low - 0.4 if exact else b.low for b in bins]
        widths = [0.8 if exact else b.high - b.low for b in bins]
        axes.bar(left, [b.count for b in bins], width=widths, align="edge", color=BAR, edgecolor="white")
        if exact:
            axes.set_xlim(bins[0].low - 0.6, bins[-1].low + 0.6)
            axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        else:
            axes.set_xlim(bins[0].low, bins[-1].high)
        axes.set_xlabel(message("report.plot.final_points", lang))
        axes.set_ylabel(message("report.plot.students", lang))
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_title(message("report.class.distribution", lang))
        return _png(figure)


def question_bars(questions: Sequence[str], mean_percents: Sequence[float], lang: str) -> bytes:
    """The mean score of each question, as a percentage of its points."""
    lang = plot_language(lang)
    with rc_context(_style(lang)):
        figure = _figure(7.5, 3.2)
        axes = figure.add_subplot()
        bars = axes.bar(list(questions), list(mean_percents), color=BAR)
        axes.bar_label(bars, labels=[f"{p:.0f}" for p in mean_percents], padding=2, fontsize=9)
        axes.set_ylim(0, 110)
        axes.set_ylabel(message("report.plot.mean_percent", lang))
        axes.set_title(message("report.class.questions", lang))
        return _png(figure)


def check_bars(labels: Sequence[str], rates: Sequence[float], hidden: Sequence[bool], lang: str) -> bytes:
    """Each check's pass rate (hidden checks in another colour), first check on top."""
    lang = plot_language(lang)
    shown = [message("report.plot.hidden_mark", lang, name=label) if h else label
             for label, h in zip(labels, hidden, strict=True)]
    with rc_context(_style(lang)):
        figure = _figure(7.5, max(2.0, 0.6 + 0.26 * len(labels)))
        axes = figure.add_subplot()
        positions = list(range(len(labels)))[::-1]
        bars = axes.barh(positions, list(rates), color=[HIDDEN_BAR if h else BAR for h in hidden], height=0.7)
        axes.bar_label(bars, labels=[f"{r:.0f}" for r in rates], padding=2, fontsize=8)
        axes.set_yticks(positions, shown, fontsize=8)
        axes.set_xlim(0, 112)
        axes.set_xlabel(message("report.plot.pass_rate", lang))
        axes.set_title(message("report.class.checks", lang))
        return _png(figure)


def time_histogram(seconds: Sequence[float], lang: str) -> bytes:
    """How long grading each submission took."""
    lang = plot_language(lang)
    with rc_context(_style(lang)):
        figure = _figure(7.5, 3.0)
        axes = figure.add_subplot()
        axes.hist(seconds, bins=min(20, max(5, len(seconds))), color=BAR, edgecolor="white")
        axes.set_xlabel(message("report.plot.seconds", lang))
        axes.set_ylabel(message("report.plot.submissions", lang))
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_title(message("report.class.timing", lang))
        return _png(figure)
