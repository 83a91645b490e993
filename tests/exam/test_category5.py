"""Category 5 (a time series on the course's sensor zip) end to end: the reference trained once, a naive
forecaster, the refusals, a hostile file; every model scored in the real bounded model host."""

from __future__ import annotations

import resource
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograder.exam.artifact import score_file
from autograder.exam.catalogue import Exam, load_exam
from autograder.exam.hidden import Hidden, hidden_data, series, windows
from autograder.models.host import HostLimits
from tests.exam.helpers import category_reference
from tests.hostile.models import dense_bomb

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EXAM = ROOT / "exam"


@pytest.fixture(scope="module")
def exam() -> Exam:
    return load_exam(EXAM)


@pytest.fixture(scope="module")
def hidden(exam: Exam, shared_data: Path) -> Hidden:
    return hidden_data(exam.category("5"), shared_data)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> dict[str, Path]:
    import keras

    folder = tmp_path_factory.mktemp("category5")
    made: dict[str, Path] = {}

    def save(name: str, model: Any) -> None:
        made[name] = folder / f"{name}.keras"
        model.save(made[name])

    with category_reference("5", DAILY_SPORTS_ZIP=str(shared_data / "data" / "daily_sports.zip")) as reference:
        save("reference", reference.solution_model())
    average = keras.Sequential([keras.Input(shape=(25, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    average.set_weights([np.full((25, 1), 1 / 25, np.float32), np.zeros(1, np.float32)])  # the naive forecast
    save("moving_average", average)
    save("wrong_input", keras.Sequential([keras.Input(shape=(30, 1)), keras.layers.Flatten(), keras.layers.Dense(1)]))
    save("wrong_output", keras.Sequential([keras.Input(shape=(25, 1)), keras.layers.Flatten(), keras.layers.Dense(2)]))
    save("lambda", keras.Sequential([keras.Input(shape=(25, 1)), keras.layers.Lambda(lambda x: x[:, -1, :]),
                                     keras.layers.Dense(1)]))
    made["dense_bomb"] = folder / "dense_bomb.keras"
    made["dense_bomb"].write_bytes(dense_bomb())
    return made


def _score(exam: Exam, hidden: Hidden, path: Path, memory_mb: int = 1024) -> Any:
    return score_file(path, exam.category("5"), hidden, max_bytes=exam.max_bytes,
                      limits=HostLimits(memory_bytes=memory_mb * 2**20, request_s=60.0))


def test_the_hidden_data_is_the_held_out_subjects_windows(exam: Exam, hidden: Hidden, shared_data: Path) -> None:
    data = exam.category("5").data
    assert hidden.x.shape[1:] == (25, 1) and len(hidden.x) == len(hidden.y) == 2 * (30 * 125 - 25)
    seven = series(data, shared_data, (7,))[0]  # type: ignore[arg-type]
    first = windows(seven, 25)
    np.testing.assert_array_equal(hidden.x[: len(first.x)], first.x)
    np.testing.assert_array_equal(hidden.y[0], seven[25])
    assert float(hidden.y.min()) >= 0 and float(hidden.y.max()) <= 1  # the fixed LOW, HIGH cover the hidden series


def test_the_reference_scores_five(exam: Exam, hidden: Hidden, files: dict[str, Path]) -> None:
    outcome = _score(exam, hidden, files["reference"])
    assert (outcome.status, outcome.score) == ("scored", 5), outcome


def test_a_moving_average_scores_in_between(exam: Exam, hidden: Hidden, files: dict[str, Path]) -> None:
    outcome = _score(exam, hidden, files["moving_average"])
    expected = float(np.mean(np.abs(hidden.x[:, :, 0].mean(axis=1) - hidden.y)))
    assert outcome.metric == pytest.approx(expected, rel=1e-4)  # the grader's MAE, through the host
    assert outcome.status == "scored" and outcome.score == 2


@pytest.mark.parametrize(("name", "key", "said"), [
    ("wrong_input", "exam.input_shape", {"found": "(None, 30, 1)", "expected": "(None, 25, 1)"}),
    ("wrong_output", "exam.output_layer", {"found": 'Dense(2, activation="linear")'}),
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
    outcome = _score(exam, hidden, files["dense_bomb"], memory_mb=768)
    assert (outcome.status, outcome.key, outcome.score) == ("refused", "model.host_memory", 0)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before < 2**28
