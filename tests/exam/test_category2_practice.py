"""Category 2 (Fashion-MNIST) from the candidate's side, on Debian's dataset-fashion-mnist: a small real model
trained on a slice, checked by ``grader.check("category2")`` on the public images; the starter script, filled
in as a candidate would (normalised pixels, Adam, a slice, two epochs), run in the real sandbox under the
category's budget and its model scored in the real model host on the hidden images."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from autograder.data.catalogue import FASHION_MNIST_SYSTEM
from autograder.exam import practice
from autograder.exam.artifact import scorer
from autograder.exam.catalogue import load_exam
from autograder.i18n import message

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not (FASHION_MNIST_SYSTEM / "train-images-idx3-ubyte.gz").is_file(),
                                                   reason="Debian's dataset-fashion-mnist is not installed "
                                                          "(make system-deps)")]

EXAM = Path(__file__).resolve().parents[2] / "exam"


def test_check_category2_scores_a_small_model_on_the_public_images(tmp_path: Path) -> None:
    import keras

    from autograder.exam.hidden import _idx

    folder = tmp_path / "exam" / "category2"
    shutil.copytree(EXAM, tmp_path / "exam", ignore=shutil.ignore_patterns("mymodel.*", "__pycache__"))
    images = _idx(FASHION_MNIST_SYSTEM / "train-images-idx3-ubyte.gz", 3, 60_000 * 28 * 28 + 16)[:3000] / 255.0
    labels = _idx(FASHION_MNIST_SYSTEM / "train-labels-idx1-ubyte.gz", 1, 60_000 + 8)[:3000]
    keras.utils.set_random_seed(5)
    model = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(),
                              keras.layers.Dense(64, activation="relu"), keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(images, labels, epochs=3, batch_size=32, verbose=0)
    model.save(folder / "mymodel.keras")

    report = practice.check("category2", lang="en", folder=folder)
    assert report.outcome is not None and report.outcome.status == "scored", report.lines()
    assert report.score is not None and 1 <= report.score <= 5, report.lines()
    assert report.outcome.metric is not None and 0.6 < report.outcome.metric < 0.95
    assert report.lines()[-1] == message("exam.practice_score", "en", score=report.score, metric="accuracy",
                                         value=f"{report.outcome.metric:.4f}", count=5000,
                                         data=message("exam.practice_data_fashion_mnist", "en"))
    korean = practice.check("2", lang="ko", folder=folder)
    assert korean.score == report.score and korean.lines()[0].startswith("카테고리 2")


def test_the_starter_script_filled_in_runs_in_the_sandbox_and_scores(tmp_path: Path) -> None:
    exam = load_exam(EXAM)
    category = exam.category("2")
    source = (EXAM / "category2" / "starter.py").read_text(encoding="utf-8")
    given = ('    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])\n'
             '    model.fit(x_train[:1000], y_train[:1000], epochs=1, validation_data=(x_valid, y_valid), verbose=0)\n')
    assert given in source
    filled = source.replace(given, (
        '    x_train, x_valid = x_train / 255.0, x_valid / 255.0\n'
        '    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])\n'
        '    model.fit(x_train[:6000], y_train[:6000], epochs=2, validation_data=(x_valid, y_valid), verbose=0)\n'))
    script = tmp_path / "starter.py"
    script.write_text(filled, encoding="utf-8")
    outcome = scorer(exam, None)(script, category)
    assert outcome.status == "scored", outcome
    assert outcome.score > 0 and outcome.metric is not None and outcome.metric > 0.598, outcome
