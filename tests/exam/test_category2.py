"""Category 2 (Fashion-MNIST) end to end: the reference trained once (on Debian's dataset-fashion-mnist), a
weak model, the refusals, a hostile file; every model scored in the real bounded model host."""

from __future__ import annotations

import resource
from pathlib import Path
from typing import Any

import pytest

from autograder.data.catalogue import FASHION_MNIST_SYSTEM
from autograder.exam.artifact import score_file
from autograder.exam.catalogue import Exam, load_exam
from autograder.exam.hidden import Hidden, HiddenDataMissing, hidden_data
from autograder.models.host import HostLimits
from tests.exam.helpers import category_reference
from tests.hostile.models import upsampling_bomb

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not (FASHION_MNIST_SYSTEM / "t10k-images-idx3-ubyte.gz").is_file(),
                                                   reason="Debian's dataset-fashion-mnist is not installed "
                                                          "(make system-deps)")]

ROOT = Path(__file__).resolve().parents[2]
EXAM = ROOT / "exam"


@pytest.fixture(scope="module")
def exam() -> Exam:
    return load_exam(EXAM)


@pytest.fixture(scope="module")
def hidden(exam: Exam) -> Hidden:
    return hidden_data(exam.category("2"), None)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    import keras
    import keras.src.datasets.fashion_mnist as fashion

    folder = tmp_path_factory.mktemp("category2")
    made: dict[str, Path] = {}

    def save(name: str, model: Any) -> None:
        made[name] = folder / f"{name}.keras"
        model.save(made[name])

    original = fashion.get_file  # the Keras cache may be empty here: answer from Debian's files
    fashion.get_file = lambda fname, origin=None, **_: str(FASHION_MNIST_SYSTEM / fname)
    try:
        with category_reference("2") as reference:
            save("reference", reference.solution_model())
            (x_train, y_train), _ = keras.datasets.fashion_mnist.load_data()
    finally:
        fashion.get_file = original
    keras.utils.set_random_seed(3)
    weak = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(),
                             keras.layers.Dense(10, activation="softmax")])
    weak.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    weak.fit(x_train[:2000] / 255.0, y_train[:2000], epochs=1, batch_size=32, verbose=0)  # a first try
    save("weak", weak)
    save("wrong_input", keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(10, activation="softmax")]))
    save("wrong_output", keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(),
                                           keras.layers.Dense(10)]))
    save("lambda", keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Lambda(lambda x: x / 255.0),
                                     keras.layers.Flatten(), keras.layers.Dense(10, activation="softmax")]))
    # the exam's own shapes, 1,300 parameters, but each prediction of a batch needs gigabytes
    save("shaped_bomb", keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Reshape((28, 28, 1)),
                                          keras.layers.UpSampling2D(64), keras.layers.Conv2D(2, 1),
                                          keras.layers.GlobalAveragePooling2D(),
                                          keras.layers.Dense(10, activation="softmax")]))
    made["upsampling_bomb"] = folder / "upsampling_bomb.keras"
    made["upsampling_bomb"].write_bytes(upsampling_bomb())
    return made


def _score(exam: Exam, hidden: Hidden, path: Path, memory_mb: int = 1024) -> Any:
    return score_file(path, exam.category("2"), hidden, max_bytes=exam.max_bytes,
                      limits=HostLimits(memory_bytes=memory_mb * 2**20, request_s=60.0))


def test_the_hidden_images_are_the_last_of_the_test_file(hidden: Hidden) -> None:
    assert hidden.x.shape == (5000, 28, 28) and hidden.y.shape == (5000,)
    assert float(hidden.x.max()) == 1.0 and set(hidden.y.tolist()) == set(range(10))


def test_missing_files_name_where_they_were_looked_for(exam: Exam, monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    monkeypatch.setattr("autograder.exam.hidden.fashion_sources", lambda data_dir: [tmp_path])
    with pytest.raises(HiddenDataMissing, match="autograder data fetch fashion_mnist"):
        hidden_data(exam.category("2"), None)


def test_the_reference_scores_five(exam: Exam, hidden: Hidden, files: dict[str, Path]) -> None:
    outcome = _score(exam, hidden, files["reference"])
    assert (outcome.status, outcome.score) == ("scored", 5), outcome


def test_a_weak_model_scores_in_between(exam: Exam, hidden: Hidden, files: dict[str, Path]) -> None:
    outcome = _score(exam, hidden, files["weak"])
    assert outcome.status == "scored" and 1 <= outcome.score <= 4, outcome


@pytest.mark.parametrize(("name", "key", "said"), [
    ("wrong_input", "exam.input_shape", {"found": "(None, 784)", "expected": "(None, 28, 28)"}),
    ("wrong_output", "exam.output_layer", {"found": 'Dense(10, activation="linear")',
                                           "expected": 'Dense(10, activation="softmax")'}),
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
    outcome = _score(exam, hidden, files["upsampling_bomb"], memory_mb=768)
    assert (outcome.status, outcome.score) == ("refused", 0)
    assert outcome.key == "exam.input_shape"  # its (None, 32, 32, 3) input: refused before any prediction
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before < 2**28


def test_a_bomb_with_the_right_shapes_is_stopped_in_the_host(exam: Exam, hidden: Hidden,
                                                             files: dict[str, Path]) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    outcome = _score(exam, hidden, files["shaped_bomb"], memory_mb=768)
    assert (outcome.status, outcome.key, outcome.score) == ("refused", "model.host_memory", 0), outcome
    assert outcome.params["doing"] == "@model.doing_predict"
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before < 2**28
