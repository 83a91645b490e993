"""Practice without the clock: the practice notebook (a category's ``starter.ipynb``) executed for real, its
``grader.check("category1")`` cell scoring the saved model on public data; refusals with their messages;
the public validation data is never the hidden split."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder.exam import practice
from autograder.exam.catalogue import load_exam
from autograder.exam.hidden import hidden_data
from autograder.i18n import message

EXAM = Path(__file__).resolve().parents[2] / "exam"
ROOT = EXAM.parent


@pytest.fixture()
def exam_copy(tmp_path: Path) -> Path:
    target = tmp_path / "exam"
    shutil.copytree(EXAM, target, ignore=shutil.ignore_patterns("mymodel.*", "__pycache__"))
    return target


def _save(folder: Path, *layers: object, name: str = "mymodel.keras") -> Path:
    import keras

    model = keras.Sequential(list(layers))
    path = folder / name
    model.save(path)
    return path


@pytest.mark.slow
def test_the_practice_notebook_runs_and_scores_its_model_on_public_data(exam_copy: Path) -> None:
    from nbclient import NotebookClient

    folder = exam_copy / "category1"
    notebook = nbformat.read(folder / "starter.ipynb", as_version=4)
    assert notebook.cells[-1].source.endswith('grader.check("category1")')
    solution = notebook.cells[1]
    assert 'optimizer="sgd"' in solution.source and "epochs=1," in solution.source
    # a tiny model trained properly: one Dense unit, a hundred-odd steps on the starter's 17 points
    solution.source = solution.source.replace('optimizer="sgd"', 'optimizer=keras.optimizers.Adam(0.1)').replace(
        "epochs=1,", "epochs=120,")
    env = {**os.environ, "AUTOGRADER_LANG": "en", "PYTHONPATH": str(ROOT), "CUDA_VISIBLE_DEVICES": ""}
    env.pop(practice.EXAM_DIR_ENV, None)
    client = NotebookClient(notebook, timeout=240, kernel_name="python3", resources={"metadata": {"path": folder}})
    old = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)  # the kernel inherits this environment
    try:
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    assert (folder / "mymodel.keras").is_file()
    shown = "".join(o.get("data", {}).get("text/plain", "") + o.get("text", "") for o in notebook.cells[-1].outputs)
    assert "Category 1" in shown and "✓ Loaded in safe mode" in shown, shown
    score = int(shown.split("Practice score ")[1].split("/5")[0])
    assert 1 <= score <= 5, shown
    assert "other points of the same line" in shown


def test_a_wrong_shape_a_lambda_and_no_file_are_refused_with_their_message(exam_copy: Path) -> None:
    import keras

    folder = exam_copy / "category1"
    empty = practice.check("category1", lang="en", folder=folder)
    assert empty.outcome is None and message("exam.practice_no_file", "en", folder=str(folder.resolve()),
                                             files="mymodel.keras / mymodel.h5") in empty.lines()

    _save(folder, keras.Input(shape=(2,)), keras.layers.Dense(1))
    wrong = practice.check("category1", lang="en", folder=folder)
    assert wrong.outcome is not None and wrong.outcome.key == "exam.input_shape" and wrong.score is None
    assert any(line.startswith("✗ The exam would refuse") and "(None, 2)" in line and "(None, 1)" in line
               for line in wrong.lines()), wrong.lines()
    korean = practice.check("1", lang="ko", folder=folder)
    assert any("시험은 이 파일을 거부" in line for line in korean.lines())

    _save(folder, keras.Input(shape=(1,)), keras.layers.Dense(1, activation="sigmoid"))
    assert practice.check("category1", lang="en", folder=folder).outcome.key == "exam.output_layer"  # type: ignore[union-attr]

    _save(folder, keras.Input(shape=(1,)), keras.layers.Lambda(lambda x: x * 2.0), keras.layers.Dense(1))
    lam = practice.check("category1", lang="en", folder=folder)
    assert lam.outcome is not None and lam.outcome.status == "refused" and "lambda" in (lam.outcome.key or "")

    unknown = practice.check("category9", lang="en", folder=folder)
    assert unknown.lines() == [message("exam.practice_unknown", "en", name="category9",
                                       known="category1, category2, category3, category4, category5")]


def test_without_an_exam_folder_the_notebook_says_where_it_looked(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(practice.EXAM_DIR_ENV, raising=False)
    report = practice.check("category2", lang="ko", folder=tmp_path)
    assert report.lines() == [message("exam.practice_no_exam", "ko", folder=str(tmp_path.resolve()),
                                      env=practice.EXAM_DIR_ENV)]


def test_the_notebook_grader_dispatches_to_practice_and_says_nothing_in_the_sandbox(
        exam_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from autograder.student import Notebook

    monkeypatch.chdir(exam_copy / "category2")
    monkeypatch.delenv("AUTOGRADER_SANDBOX", raising=False)
    report = Notebook("exam", lang="en").check("category2")
    assert isinstance(report, practice.PracticeReport)
    assert report.lines()[0].startswith("Category 2, Image classification (Fashion-MNIST)")
    monkeypatch.setenv("AUTOGRADER_SANDBOX", "1")
    assert str(Notebook("exam", lang="en").check("category2")) == message("student.in_grader", "en",
                                                                        question="category2")


@pytest.mark.slow  # reads the sensor zip and decodes 500 photos (about 30 s here)
def test_public_validation_data_is_not_the_hidden_split(shared_data: Path) -> None:
    exam = load_exam(EXAM)
    line = exam.category("1")
    public, hidden = practice.public_validation(line, None), hidden_data(line, None)
    assert public.x.shape == hidden.x.shape and not np.array_equal(public.x, hidden.x)
    np.testing.assert_allclose(public.y, 2.0 * public.x[:, 0] - 1.0, rtol=1e-5)

    series = exam.category("5")
    public, hidden = practice.public_validation(series, shared_data), hidden_data(series, shared_data)
    assert len(public.y) > len(hidden.y) > 0 and public.x.shape[1:] == (25, 1)
    hidden_rows = {row.tobytes() for row in hidden.x[:, :, 0]}
    assert not any(row.tobytes() in hidden_rows for row in public.x[::50, :, 0])

    images = exam.category("3")
    shown = practice.public_validation(images, shared_data)
    assert shown.x.shape == (500, 64, 64, 3) and np.bincount(shown.y).tolist() == [250, 250]


def test_check_all_checks_every_category_folder_with_a_saved_model(exam_copy: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import keras

    from autograder.student import Notebook

    monkeypatch.chdir(exam_copy / "category2")
    monkeypatch.delenv("AUTOGRADER_SANDBOX", raising=False)
    monkeypatch.delenv(practice.EXAM_DIR_ENV, raising=False)
    none = Notebook("exam", lang="ko").check_all()
    assert isinstance(none, practice.PracticeAllReport) and none.reports == ()
    assert none.lines() == [message("exam.practice_all_none", "ko", files="mymodel.keras / mymodel.h5",
                                    exam=str(exam_copy.resolve()))]

    line = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    line.set_weights([np.array([[2.0]], np.float32), np.array([-0.9], np.float32)])  # MAE 0.1 on any x: 3/5
    line.save(exam_copy / "category1" / "mymodel.keras")
    _save(exam_copy / "category2", keras.Input(shape=(784,)), keras.layers.Dense(10, activation="softmax"))
    report = Notebook("exam", lang="en").check_all()
    assert isinstance(report, practice.PracticeAllReport)
    assert [r.lines()[0].split(",")[0] for r in report.reports] == ["Category 1", "Category 2"]
    assert report.reports[0].score == 3 and report.reports[1].score is None  # refused (or no data): no score
    assert report.lines()[0] == message("exam.practice_all_summary", "en", done=2, total=5,
                                        names="category1, category2", score=3, maximum=10)
    assert report.lines()[1:] == report.reports[0].lines() + report.reports[1].lines()
    korean = Notebook("exam", lang="ko").check_all()
    assert "연습 점수 3/10" in korean.lines()[0]  # type: ignore[union-attr]
    monkeypatch.setenv("AUTOGRADER_SANDBOX", "1")
    assert str(Notebook("exam", lang="en").check_all()) == message("student.in_grader", "en", question="exam")
