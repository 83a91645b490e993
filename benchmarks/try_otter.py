"""Self-test for benchmarks/otter_runner.py.

Writes two "tensor_ops" submissions to a temp dir (one correct, one whose ``naive_relu`` is
wrong), grades them with ``grade_with_otter`` and prints the per-submission results.

    .venv/bin/python benchmarks/try_otter.py [--keep]
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from otter_runner import ensure_autograder_zip, grade_with_otter

IMPORTS = "import numpy as np\nimport tensorflow as tf"

RELU_OK = """\
def naive_relu(x):
    assert len(x.shape) == 2
    x = x.copy()
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            x[i, j] = max(x[i, j], 0)
    return x"""

RELU_WRONG = """\
def naive_relu(x):
    assert len(x.shape) == 2
    x = x.copy()
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            x[i, j] = abs(x[i, j])  # wrong: abs instead of max(x, 0)
    return x"""

REST = [
    """\
def naive_add(x, y):
    assert len(x.shape) == 2
    assert x.shape == y.shape
    x = x.copy()
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            x[i, j] += y[i, j]
    return x""",
    """\
def naive_add_matrix_and_vector(x, y):
    assert len(x.shape) == 2
    assert len(y.shape) == 1
    assert x.shape[1] == y.shape[0]
    x = x.copy()
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            x[i, j] += y[j]
    return x""",
    """\
def naive_vector_dot(x, y):
    assert len(x.shape) == 1
    assert len(y.shape) == 1
    assert x.shape[0] == y.shape[0]
    z = 0.
    for i in range(x.shape[0]):
        z += x[i] * y[i]
    return z""",
    """\
def naive_matrix_vector_dot(x, y):
    assert len(x.shape) == 2
    assert len(y.shape) == 1
    assert x.shape[1] == y.shape[0]
    z = np.zeros(x.shape[0])
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            z[i] += x[i, j] * y[j]
    return z""",
    """\
def naive_matrix_dot(x, y):
    assert len(x.shape) == 2
    assert len(y.shape) == 2
    assert x.shape[1] == y.shape[0]
    z = np.zeros((x.shape[0], y.shape[1]))
    for i in range(x.shape[0]):
        for j in range(y.shape[1]):
            row_x = x[i, :]
            column_y = y[:, j]
            z[i, j] = naive_vector_dot(row_x, column_y)
    return z""",
]


def make_submission(path: Path, relu_src: str) -> Path:
    cells = [new_markdown_cell("# Tensor operations"), new_code_cell(IMPORTS)]
    cells += [new_code_cell(src) for src in [relu_src, *REST]]
    nb = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
    )
    nbformat.write(nb, str(path))
    return path


def fmt(v: object, spec: str) -> str:
    return format(v, spec) if v is not None else "n/a"


def main() -> int:
    keep = "--keep" in sys.argv
    zp = ensure_autograder_zip()
    print(f"autograder zip: {zp}")
    tmp = Path(tempfile.mkdtemp(prefix="try_otter_"))
    subs = [
        make_submission(tmp / "alice_correct.ipynb", RELU_OK),
        make_submission(tmp / "bob_wrong_relu.ipynb", RELU_WRONG),
    ]
    rows = grade_with_otter(subs, tmp / "work", autograder_zip=zp)
    ok = True
    for r in rows:
        print(json.dumps({k: v for k, v in r.items() if k != "question_scores"}, default=str))
        print("   question_scores:", r["question_scores"])
    print()
    print(
        f"{'student':<16} {'wall_s':>7} {'student_s':>9} {'overhead_s':>10} {'startup_s':>9} "
        f"{'tests_s':>7} {'teardown_s':>10} {'peak_tree_MB':>12} {'max_proc_MB':>11} {'score':>9}"
    )
    for r in rows:
        print(
            f"{r['student']:<16} {fmt(r['wall_s'], '7.2f')} {fmt(r['student_cells_s'], '9.2f')} "
            f"{fmt(r['overhead_s'], '10.2f')} {fmt(r['startup_s'], '9.2f')} "
            f"{fmt(r['otter_cells_s'], '7.2f')} {fmt(r['teardown_s'], '10.2f')} "
            f"{fmt(r['peak_rss_mb'], '12.0f')} "
            f"{fmt(r['max_single_rss_mb'], '11.0f')} "
            f"{fmt(r['score'], 'g')}/{fmt(r['max_score'], 'g')}"
        )
    # sanity expectations
    a, b = rows
    if a["error"] or a["score"] != a["max_score"]:
        print("UNEXPECTED: correct submission did not get full marks")
        ok = False
    if b["error"] or not (b["score"] < b["max_score"]) or b["question_scores"]["q1"][0] >= 1:
        print("UNEXPECTED: wrong naive_relu was not penalised on q1")
        ok = False
    if keep:
        print(f"kept: {tmp}")
    else:
        shutil.rmtree(tmp)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
