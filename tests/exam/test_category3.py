"""Category 3 (a CNN on the course's cats and dogs photos) end to end: the reference trained once, a weak
model, the refusals, a hostile file; every model scored in the real bounded model host."""

from __future__ import annotations

import resource
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograder.exam.artifact import score_file
from autograder.exam.catalogue import Exam, load_exam
from autograder.exam.hidden import Hidden, HiddenDataMissing, hidden_data
from autograder.models.host import HostLimits
from tests.exam.helpers import category_reference
from tests.hostile.models import conv_reuse

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EXAM = ROOT / "exam"


@pytest.fixture(scope="module")
def exam() -> Exam:
    return load_exam(EXAM)


@pytest.fixture(scope="module")
def hidden(exam: Exam, shared_data: Path) -> Hidden:
    return hidden_data(exam.category("3"), shared_data)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> dict[str, Path]:
    import keras

    folder = tmp_path_factory.mktemp("category3")
    made: dict[str, Path] = {}

    def save(name: str, model: Any) -> None:
        made[name] = folder / f"{name}.keras"
        model.save(made[name])

    photos = shared_data / "data" / "cats_and_dogs_filtered"
    with category_reference("3", CATS_AND_DOGS=str(photos)) as reference:
        save("reference", reference.solution_model())
        x_train, y_train = reference.load(str(photos / "train"))
    keras.utils.set_random_seed(4)
    weak = keras.Sequential([keras.Input(shape=(64, 64, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                             keras.layers.MaxPooling2D(4), keras.layers.Flatten(),
                             keras.layers.Dense(1, activation="sigmoid")])
    weak.compile(optimizer="adam", loss="binary_crossentropy")
    weak.fit(x_train, y_train, epochs=2, batch_size=32, verbose=0)  # one small convolution, two epochs
    save("weak", weak)
    save("wrong_input", keras.Sequential([keras.Input(shape=(150, 150, 3)), keras.layers.GlobalAveragePooling2D(),
                                          keras.layers.Dense(1, activation="sigmoid")]))
    save("wrong_output", keras.Sequential([keras.Input(shape=(64, 64, 3)), keras.layers.GlobalAveragePooling2D(),
                                           keras.layers.Dense(2, activation="softmax")]))
    save("lambda", keras.Sequential([keras.Input(shape=(64, 64, 3)), keras.layers.Lambda(lambda x: x * 255.0),
                                     keras.layers.GlobalAveragePooling2D(),
                                     keras.layers.Dense(1, activation="sigmoid")]))
    made["conv_reuse"] = folder / "conv_reuse.keras"
    made["conv_reuse"].write_bytes(conv_reuse())
    return made


def _score(exam: Exam, hidden: Hidden, path: Path, request_s: float = 60.0) -> Any:
    return score_file(path, exam.category("3"), hidden, max_bytes=exam.max_bytes,
                      limits=HostLimits(memory_bytes=1024 * 2**20, request_s=request_s))


def test_the_hidden_photos_are_the_validation_ones_after_the_candidates(hidden: Hidden, exam: Exam,
                                                                        tmp_path: Path) -> None:
    assert hidden.x.shape == (500, 64, 64, 3) and float(hidden.x.max()) <= 1.0
    assert np.bincount(hidden.y).tolist() == [250, 250]
    with pytest.raises(HiddenDataMissing, match="cats, dogs"):
        hidden_data(exam.category("3"), tmp_path)


def test_the_reference_scores_five(exam: Exam, hidden: Hidden, files: dict[str, Path]) -> None:
    outcome = _score(exam, hidden, files["reference"])
    assert (outcome.status, outcome.score) == ("scored", 5), outcome


def test_a_weak_model_scores_in_between(exam: Exam, hidden: Hidden, files: dict[str, Path]) -> None:
    outcome = _score(exam, hidden, files["weak"])
    assert outcome.status == "scored" and 1 <= outcome.score <= 4, outcome


@pytest.mark.parametrize(("name", "key", "said"), [
    ("wrong_input", "exam.input_shape", {"found": "(None, 150, 150, 3)", "expected": "(None, 64, 64, 3)"}),
    ("wrong_output", "exam.output_layer", {"found": 'Dense(2, activation="softmax")'}),
    ("lambda", "model.lambda_refused", {"what": "mymodel"}),
])
def test_each_refusal_reason(exam: Exam, hidden: Hidden, files: dict[str, Path], name: str, key: str,
                             said: dict[str, str]) -> None:
    outcome = _score(exam, hidden, files[name])
    assert (outcome.status, outcome.key, outcome.score) == ("refused", key, 0)
    assert said.items() <= outcome.params.items()


def test_a_hostile_file_is_refused_and_the_grader_stays_bounded(exam: Exam, hidden: Hidden,
                                                                files: dict[str, Path]) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    outcome = _score(exam, hidden, files["conv_reuse"])  # (None, 32, 32, 3): refused before its endless predict
    assert (outcome.status, outcome.key, outcome.score) == ("refused", "exam.input_shape", 0), outcome
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before < 2**28
