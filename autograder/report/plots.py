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
from collections.abc import Sequence
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


def score_histogram(finals: Sequence[float], possible: float, lang: str) -> bytes:
    """How many students got how many (final) points."""
    lang = plot_language(lang)
    with rc_context(_style(lang)):
        figure = _figure(7.5, 3.4)
        axes = figure.add_subplot()
        top = max([possible, *finals, 1.0])
        bins = int(top) if top <= 40 and float(top).is_integer() else 20
        edges = [top * i / bins for i in range(bins + 1)]  # [k, k+1) per point; the last bin holds full marks
        axes.hist(finals, bins=edges, color=BAR, edgecolor="white")
        axes.set_xlim(edges[0], edges[-1])
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
