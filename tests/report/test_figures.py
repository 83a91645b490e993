"""Plots a notebook makes reach the feedback page as PNGs the grader re-encoded, within limits."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from autograder import grade
from autograder.gradebook import Gradebook
from autograder.notebook import CodeCell
from autograder.sandbox import figures
from autograder.sandbox.process import SandboxSpec
from autograder.sandbox.session import NotebookSession, TimeLimits
from tests.conftest import GOOD_ADD, GOOD_RELU, make_course, write_notebook

PLOT = "import matplotlib.pyplot as plt\nplt.plot([3, 2, 1.5, 1.2], label='loss')\nplt.legend()"


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="PNG")
    return out.getvalue()


def test_only_reasonable_pngs_are_kept_and_they_are_re_encoded() -> None:
    good = _png(40, 30)
    kept = figures.accept([np.frombuffer(good, dtype=np.uint8)], 0)
    assert len(kept) == 1 and Image.open(io.BytesIO(kept[0])).size == (40, 30)
    assert figures.accept([np.frombuffer(b"GIF89a not a png", dtype=np.uint8)], 0) == []
    assert figures.accept([np.frombuffer(_png(2100, 2000), dtype=np.uint8)], 0) == []  # too many pixels
    assert figures.accept([np.frombuffer(good[:60], dtype=np.uint8)], 0) == []  # truncated
    assert figures.accept(["not bytes", None], 0) == []
    assert figures.accept([np.frombuffer(good, dtype=np.uint8)] * 5, figures.MAX_FIGURES - 2) != []
    assert len(figures.accept([np.frombuffer(good, dtype=np.uint8)] * 5, figures.MAX_FIGURES - 2)) == 2


@pytest.mark.slow
def test_a_cells_plot_is_captured_and_closed_like_jupyter_inline() -> None:
    cells = [CodeCell(0, PLOT), CodeCell(1, "print(len(plt.get_fignums()))")]
    with NotebookSession(cells, SandboxSpec(handouts=(), hide=()), TimeLimits(cell_s=60, total_s=120)) as session:
        session.execute()
    assert [index for index, _ in session.figures] == [0]
    assert Image.open(io.BytesIO(session.figures[0][1])).format == "PNG"
    assert session.output().strip().endswith("0")  # closed after the cell that drew it


@pytest.mark.slow
def test_the_feedback_page_shows_the_plot(tmp_path: Path) -> None:
    config = make_course(tmp_path / "course", cell_time_s=60)
    write_notebook(tmp_path / "subs" / "kim.ipynb", GOOD_RELU, GOOD_ADD, PLOT)
    summary = grade.main(assignment="demo", inputs=[tmp_path / "subs"], config_path=config)
    assert summary.results[0].figures and summary.results[0].figures[0].cell == 3
    with Gradebook.open(config.parent / "gradebook.sqlite") as book:
        stored = book.latest("demo", "kim")
    assert stored is not None and stored.result.figures == summary.results[0].figures
    page = (summary.output_dir / "feedback" / "kim.html").read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == 1


@pytest.mark.slow
def test_info_describes_a_large_array_without_sending_it() -> None:
    cells = [CodeCell(0, "import numpy as np\nx = np.zeros((20000, 10000), dtype=np.float32)\nnames = ['a']")]
    with NotebookSession(cells, SandboxSpec(handouts=(), hide=()), TimeLimits(cell_s=60, total_s=120)) as session:
        session.execute()
        big, small, missing = session.info("x"), session.info("names"), session.info("nothing")
    assert big.value == {"type": "numpy.ndarray", "shape": [20000, 10000], "dtype": "float32", "len": 20000}
    assert small.value == {"type": "builtins.list", "len": 1}
    assert missing.status == "missing"
