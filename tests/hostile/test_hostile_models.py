"""Hostile model files are parsed and run in the model host, never in the grader: each attack of
``tests/hostile/models.py`` is a failing check with its message, the grader's memory stays bounded, honest models
load, describe, predict and evaluate through the host's proxies exactly as they would here."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograder.checks import keras_expect
from autograder.config import load_config
from autograder.errors import CheckFailed, ProtocolError
from autograder.grade import secret_paths
from autograder.grade.assignment import load_assignment
from autograder.grade.runner import grade_submission
from autograder.i18n import message
from autograder.intake.submissions import collect
from autograder.models import evaluate
from autograder.models.describe import describe
from autograder.models.host import HostLimits, ModelHost, hosting
from autograder.models.hosted import model_info
from autograder.models.loading import load_model
from autograder.sandbox.keras_values import to_data
from autograder.sandbox.protocol import KerasFile
from autograder.sandbox.session import Reply
from tests.hostile.models import ATTACKS, EXPECTED, conv_reuse, make_course

keras = pytest.importorskip("keras")

GIB = 2**30


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(field)


def _host_workers() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if b"autograder.models.host_worker" in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def _file(model: Any) -> KerasFile:
    value = to_data(model)
    assert isinstance(value, KerasFile)
    return value


def _load(model: Any, what: str = "model") -> Any:
    return keras_expect.model(Reply("ok", _file(model)), what)


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every attack and the honest model graded by ``grade_submission`` in this process, Keras refused here."""
    root = tmp_path_factory.mktemp("hostile-models")
    config_path = make_course(root, memory_mb=2048, call_time_s=15)
    config = load_config(config_path)
    task = load_assignment(config, "attacks", str(config_path))
    submissions = collect([root / "submissions"], max_cells=config.max_cells)
    hide = secret_paths(root, task.solution_dir, (root / "results").resolve(), [root / "submissions"])
    monkeypatch = pytest.MonkeyPatch()

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the grader process parsed a student's model")

    for target in ("keras.saving.load_model", "autograder.models.loading.load_model",
                   "autograder.models.loading.check_archive", "h5py.File"):
        monkeypatch.setattr(target, refused)
    Path("/proc/self/clear_refs").write_text("5")  # the peak RSS starts again from here
    baseline = _status_kb("VmRSS")
    rows, seconds = {}, {}
    try:
        for submission in submissions:
            start = time.monotonic()
            rows[submission.student] = grade_submission(submission, task, hide=hide, lang="en")
            seconds[submission.student] = time.monotonic() - start
    finally:
        monkeypatch.undo()
    return {"rows": rows, "seconds": seconds, "baseline_kb": baseline, "peak_kb": _status_kb("VmHWM"),
            "left": _host_workers()}


def _checks(row: Any) -> dict[str, Any]:
    return {c.name: c for q in row.questions for c in q.checks}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_each_attack_is_a_failing_check_with_its_message(graded: dict[str, Any], name: str) -> None:
    row = graded["rows"][name]
    assert row.status == "graded", (row.status, row.reasons)
    checks = _checks(row)
    assert {c.status for c in checks.values()} <= {"passed", "failed"}, {n: c.key for n, c in checks.items()}
    assert checks["predicts_the_images"].key == EXPECTED[name]
    loads = name in ("dense_bomb", "h5_bomb", "config_bomb")
    assert checks["four_class_softmax"].key == (EXPECTED[name] if loads else None)
    assert row.points == (0.0 if loads else 1.0)
    for lang in ("en", "ko"):
        text = checks["predicts_the_images"].render(lang)
        assert "`model`" in text and not text.startswith("[")
    assert "ATTACK BYTES" in row.output


@pytest.mark.slow
def test_the_honest_model_still_loads_and_passes(graded: dict[str, Any]) -> None:
    row = graded["rows"]["honest"]
    assert (row.status, row.points) == ("graded", 2.0)


@pytest.mark.slow
def test_the_grader_memory_stays_bounded_and_no_host_is_left(graded: dict[str, Any]) -> None:
    assert (graded["peak_kb"] - graded["baseline_kb"]) * 1024 < 1 * GIB, graded
    assert graded["left"] == []


@pytest.mark.slow
def test_hosted_models_answer_as_the_keras_model_would() -> None:
    base = keras.Sequential([keras.Input((6,)), keras.layers.Dense(5, activation="relu", name="inner")], name="base")
    inputs = keras.Input((6,))
    outputs = keras.layers.Dense(3, activation="softmax")(keras.layers.Dropout(0.2)(base(inputs)))
    model = keras.Model(inputs, outputs)
    model.layers[2].trainable = False  # the Dropout: a flag without weights
    base.layers[0].trainable = False
    model.compile(optimizer=keras.optimizers.RMSprop(0.01), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    rng = np.random.default_rng(0)
    x, y = rng.random((40, 6), dtype=np.float32), rng.integers(0, 3, 40)
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    here = load_model(_file(model))  # what the grader computed when it loaded models itself
    with ModelHost(HostLimits(request_s=60)) as host, hosting(host):
        hosted = _load(model)
        assert describe(hosted) == describe(here)
        assert [type(layer).__name__ for layer in hosted.layers] == [type(layer).__name__ for layer in model.layers]
        nested = hosted.layers[1]
        assert (nested.name, [sub.name for sub in nested.layers]) == ("base", ["inner"])
        assert [(layer.name, layer.trainable) for layer in [*hosted.layers, nested.layers[0]]] == [
            (layer.name, layer.trainable) for layer in [*here.layers, here.layers[1].layers[0]]]
        assert not nested.layers[0].trainable and nested.layers[0].non_trainable_weights
        assert describe(nested) == describe(here.layers[1])
        assert hasattr(nested.layers[0], "units") and not hasattr(hosted.layers[2], "units")
        assert nested.layers[0].activation.__name__ == "relu" and hosted.layers[2].rate == pytest.approx(0.2)
        for mine, theirs in zip(nested.layers[0].get_weights(), model.layers[1].layers[0].get_weights(), strict=True):
            np.testing.assert_array_equal(mine, theirs)
        assert len(hosted.get_weights()) == len(model.get_weights()) and hosted.count_params() == model.count_params()
        assert hosted.optimizer.iterations == 10 and hosted.built and len(hosted.weights) == len(model.weights)
        np.testing.assert_allclose(hosted.predict_on_batch(x), here.predict_on_batch(x), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(hosted(x, training=False), here(x, training=False), rtol=1e-5, atol=1e-6)
        assert hosted.evaluate(x, y, batch_size=8, return_dict=True) == pytest.approx(
            here.evaluate(x, y, batch_size=8, verbose=0, return_dict=True))
        assert evaluate.accuracy(hosted, x, y) == evaluate.accuracy(here, x, y)
        with pytest.raises(Exception) as local:
            here.predict_on_batch(np.zeros((2, 9), dtype=np.float32))
        with pytest.raises(Exception) as wrong:  # Keras' own error, under its own name
            hosted.predict_on_batch(np.zeros((2, 9), dtype=np.float32))
        assert type(wrong.value).__name__ == type(local.value).__name__ != "CheckFailed"
        assert _load(model, "again") is not hosted and host.starts == 1
        unbuilt = keras.Sequential([keras.layers.Dense(2)])
        hosted_unbuilt = _load(unbuilt, "unbuilt")
        assert not hosted_unbuilt.built
        with pytest.raises(ValueError, match="isn't built"):
            hosted_unbuilt.layers[0].count_params()


@pytest.mark.slow
def test_a_model_that_timed_out_fails_at_once_and_the_host_serves_the_others() -> None:
    honest = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.GlobalAveragePooling2D(),
                               keras.layers.Dense(4, activation="softmax")])
    images = np.random.default_rng(1).random((64, 32, 32, 3), dtype=np.float32)
    slow = KerasFile(conv_reuse())
    with ModelHost(HostLimits(request_s=8, total_s=120)) as host, hosting(host):
        model = keras_expect.model(Reply("ok", slow), "slow_model")
        assert [type(layer).__name__ for layer in model.layers].count("Conv2D") == 2
        with pytest.raises(CheckFailed) as failed:
            evaluate.predict(model, images, batch_size=32)
        assert (failed.value.key, failed.value.params["seconds"]) == ("model.host_timeout", "8")
        assert _host_workers() == []  # killed, not left running
        start = time.monotonic()
        again = keras_expect.model(Reply("ok", slow), "slow_model")
        assert describe(again) == describe(model)  # its description still answers architecture checks
        with pytest.raises(CheckFailed, match=r"model\.host_timeout"):
            again.predict_on_batch(images[:1])
        assert time.monotonic() - start < 1
        assert evaluate.predict(_load(honest), images).shape == (64, 4)  # a fresh host
        assert host.starts == 2
    assert _host_workers() == []


def test_a_host_reply_that_does_not_describe_a_model_is_a_protocol_error() -> None:
    good = {"layers": [], "input_shape": [None, 3], "output_shape": [None, 1], "total_params": 4,
            "trainable_params": 4, "compile": {"compiled": False, "from_logits": False, "metrics": []}}
    assert model_info(good).total_params == 4
    for bad in ({**good, "total_params": "4"}, {**good, "input_shape": ["x"]}, {**good, "layers": [{"index": 0}]},
                {**good, "compile": {"compiled": "yes", "metrics": []}}, [good]):
        with pytest.raises(ProtocolError):
            model_info(bad)


def test_the_host_messages_are_in_both_languages() -> None:
    params = {"what": "model", "doing": "@model.doing_predict", "seconds": "15", "limit_mb": "2048",
              "detail": "signal SIGSEGV", "size_mb": "90"}
    for key in ("model.host_timeout", "model.host_memory", "model.host_crashed", "model.output_too_large"):
        english, korean = message(key, "en", **params), message(key, "ko", **params)
        assert "computing the predictions of" in english and "예측을 계산하는" in korean, key
        assert "Fix:" in english and "고치는 법" in korean and "{" not in english + korean, key

