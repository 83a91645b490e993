"""Category 4 (IMDB with the exam's fixed constants) end to end: the reference trained once on the course's
IMDB copy (the grader's data rules answer keras.datasets), a weak model, the refusals, a hostile file; every
model scored in the real bounded model host."""

from __future__ import annotations

import resource
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograder.data import keras_files
from autograder.data.keras_hook import patched
from autograder.exam.artifact import score_file
from autograder.exam.catalogue import Exam, load_exam
from autograder.exam.hidden import Hidden, hidden_data, pad_post
from autograder.models.host import HostLimits
from tests.exam.helpers import category_reference
from tests.hostile.models import config_bomb

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EXAM = ROOT / "exam"


@pytest.fixture(scope="module")
def exam() -> Exam:
    return load_exam(EXAM)


@pytest.fixture(scope="module")
def hidden(exam: Exam, shared_data: Path) -> Hidden:
    return hidden_data(exam.category("4"), shared_data)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> dict[str, Path]:
    import keras

    folder = tmp_path_factory.mktemp("category4")
    made: dict[str, Path] = {}

    def save(name: str, model: Any) -> None:
        made[name] = folder / f"{name}.keras"
        model.save(made[name])

    on_disk = {name: str(path) for name, path in keras_files.resolve(shared_data).items()}
    with category_reference("4") as reference:
        with patched(on_disk):
            save("reference", reference.solution_model())
            (x_train, y_train), _ = keras.datasets.imdb.load_data(num_words=1000)
        x_first = reference.pad(x_train[:3000])
    keras.utils.set_random_seed(2)
    weak = keras.Sequential([keras.Input(shape=(120,)), keras.layers.Embedding(1000, 8),
                             keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1, activation="sigmoid")])
    weak.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy")
    weak.fit(x_first, np.asarray(y_train[:3000]), epochs=1, batch_size=64, verbose=0)  # a first try
    save("weak", weak)
    save("wrong_input", keras.Sequential([keras.Input(shape=(200,)), keras.layers.Embedding(1000, 8),
                                          keras.layers.GlobalAveragePooling1D(),
                                          keras.layers.Dense(1, activation="sigmoid")]))
    save("wrong_output", keras.Sequential([keras.Input(shape=(120,)), keras.layers.Embedding(1000, 8),
                                           keras.layers.GlobalAveragePooling1D(),
                                           keras.layers.Dense(2, activation="softmax")]))
    made["config_bomb"] = folder / "config_bomb.keras"
    made["config_bomb"].write_bytes(config_bomb())
    return made


def _score(exam: Exam, hidden: Hidden, path: Path) -> Any:
    return score_file(path, exam.category("4"), hidden, max_bytes=exam.max_bytes,
                      limits=HostLimits(memory_bytes=1024 * 2**20, request_s=60.0))


def test_the_hidden_reviews_are_cut_and_padded_at_the_end(hidden: Hidden) -> None:
    assert hidden.x.shape == (5000, 120) and hidden.x.dtype == np.int32 and int(hidden.x.max()) < 1000
    assert set(np.unique(hidden.y).tolist()) == {0, 1}
    np.testing.assert_array_equal(pad_post([[5, 6, 7], list(range(1, 200))], 4), [[5, 6, 7, 0], [1, 2, 3, 4]])


def test_the_reference_scores_five(exam: Exam, hidden: Hidden, files: dict[str, Path]) -> None:
    outcome = _score(exam, hidden, files["reference"])
    assert (outcome.status, outcome.score) == ("scored", 5), outcome


def test_a_weak_model_scores_in_between(exam: Exam, hidden: Hidden, files: dict[str, Path]) -> None:
    outcome = _score(exam, hidden, files["weak"])
    assert outcome.status == "scored" and 1 <= outcome.score <= 4, outcome


@pytest.mark.parametrize(("name", "key", "said"), [
    ("wrong_input", "exam.input_shape", {"found": "(None, 200)", "expected": "(None, 120)"}),
    ("wrong_output", "exam.output_layer", {"found": 'Dense(2, activation="softmax")',
                                           "expected": 'Dense(1, activation="sigmoid")'}),
])
def test_each_refusal_reason(exam: Exam, hidden: Hidden, files: dict[str, Path], name: str, key: str,
                             said: dict[str, str]) -> None:
    outcome = _score(exam, hidden, files[name])
    assert (outcome.status, outcome.key, outcome.score) == ("refused", key, 0)
    assert said.items() <= outcome.params.items()


def test_a_hostile_file_is_refused_and_the_grader_stays_bounded(exam: Exam, hidden: Hidden,
                                                                files: dict[str, Path]) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    outcome = _score(exam, hidden, files["config_bomb"])
    assert (outcome.status, outcome.key, outcome.score) == ("refused", "model.config_unreadable", 0), outcome
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before < 2**28
