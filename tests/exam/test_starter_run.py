"""A starter script submitted instead of a model file: run in the real sandbox, its saved model scored in the
real model host; the sandbox never sees the exam folder or the hidden data."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.exam.artifact import scorer
from autograder.exam.catalogue import load_exam

pytestmark = pytest.mark.slow

EXAM = Path(__file__).resolve().parents[2] / "exam"

SEARCH = '''
import os
found = []
for root in ("/", "/work", "/tmp", "/usr/share/datasets"):
    for path, dirs, files in os.walk(root):
        if path.startswith(("/proc", "/sys", "/dev")):
            dirs[:] = []
            continue
        for name in files:
            if name in ("category.yaml", "reference.py", "t10k-images-idx3-ubyte.gz", "daily_sports.zip"):
                try:
                    with open(os.path.join(path, name), "rb") as stream:
                        head = stream.read(1 << 16)
                        if head and (name != "reference.py" or b"solution_model" in head):
                            found.append(os.path.join(path, name))
                except OSError:
                    pass
assert not found, found
import keras
model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
model.save("mymodel.keras")
'''


@pytest.fixture(scope="module")
def score():  # type: ignore[no-untyped-def]
    return scorer(load_exam(EXAM), None)


def test_the_reference_script_runs_in_the_sandbox_and_scores_5(score, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    script = tmp_path / "starter.py"
    script.write_text((EXAM / "category1" / "reference.py").read_text(encoding="utf-8"), encoding="utf-8")
    outcome = score(script, load_exam(EXAM).category("1"))
    assert outcome.status == "scored", outcome
    assert outcome.score == 5


def test_a_script_searching_for_the_hidden_data_finds_nothing(score, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    script = tmp_path / "starter.py"
    script.write_text(SEARCH, encoding="utf-8")
    outcome = score(script, load_exam(EXAM).category("1"))
    # the search's assert passed in the sandbox (else starter_failed), and its untrained model was scored
    assert outcome.status == "scored", outcome
    assert outcome.score < 5


def test_a_failing_script_and_one_without_a_model_are_refused_with_their_reason(score, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    category = load_exam(EXAM).category("1")
    broken = tmp_path / "broken.py"
    broken.write_text("raise ValueError('no data here')\n", encoding="utf-8")
    outcome = score(broken, category)
    assert (outcome.status, outcome.key, outcome.params.get("ename")) == ("refused", "exam.starter_failed",
                                                                          "ValueError")
    empty = tmp_path / "empty.py"
    empty.write_text("x = 1\n", encoding="utf-8")
    assert score(empty, category).key == "exam.starter_no_model"


def test_the_starter_notebook_runs_in_the_sandbox_with_its_practice_cell_and_is_scored(  # type: ignore[no-untyped-def]
        score, tmp_path: Path) -> None:
    import nbformat

    notebook = nbformat.read(EXAM / "category1" / "starter.ipynb", as_version=4)
    assert notebook.cells[-1].source.endswith('grader.check("category1")')  # says it is not run there, no error
    solution = notebook.cells[1]
    solution.source = solution.source.replace('optimizer="sgd"', 'optimizer=keras.optimizers.Adam(0.1)').replace(
        "epochs=1,", "epochs=120,")
    submitted = tmp_path / "starter.ipynb"
    nbformat.write(notebook, submitted)
    outcome = score(submitted, load_exam(EXAM).category("1"))
    assert outcome.status == "scored", outcome
    assert 1 <= outcome.score <= 5 and outcome.metric is not None and outcome.metric < 2.56
