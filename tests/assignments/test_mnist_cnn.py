"""The "mnist_cnn" assignment: its checks, one typical mistake at a time, and the examples graded.

Two layers, to keep the cost small:

- In this process, as ``grader.check`` runs on a student's machine: the notebook's functions
  (``prepare_images``, ``build_convnet``, ``build_conv1d``, ``train_with_checkpoint``) are taken from the
  reference and edited into each typical mistake; the models are real Keras models. The checkpoint question's
  checks call ``train_with_checkpoint`` on the grader's own short run (512 MNIST images, 5 epochs and 1), so
  each variant trains for real (about ten seconds). Each mistake must lose exactly the checks (and so the
  points) intended for it.
- In the sandbox, once per module: the example submissions are graded through ``autograder.grade.main``
  with the real data, real training and the calibrated threshold, and their scores are asserted per question.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograder.checks import CheckContext, CheckResult
from autograder.config import load_config
from autograder.data import datasets, keras_files
from autograder.i18n import LANGUAGES
from tests import assignment_helpers
from tests.assignment_helpers import Edit, example_messages, failed

ROOT = Path(__file__).resolve().parents[2]
NAME = "mnist_cnn"
SOLUTION_DIR = ROOT / "solutions" / NAME
MESSAGES = assignment_helpers.messages(SOLUTION_DIR)
REFERENCE = SOLUTION_DIR / f"{NAME}.ipynb"
TEMPLATE = ROOT / "assignments" / NAME / f"{NAME}.ipynb"
EXAMPLES = ROOT / "solutions" / NAME / "examples"
POINTS = {"q1": 3.0, "q2": 3.0, "q3": 2.0, "q4": 3.0, "q5": 3.0, "q6": 3.0, "q7": 3.0}
FUNCTIONS = ("prepare_images", "build_convnet", "build_conv1d", "train_with_checkpoint")

FULL = dict(POINTS)
EXPECTED_EXAMPLES = {
    # everything right, written differently (reshape, one-hot labels, a weights-only checkpoint, Dropout(0.3))
    "kim_minji": FULL,
    # the checkpoint never loaded (the grader's run of train_with_checkpoint ends on the last epoch's weights: 1 of
    # 3), a Dense(512) head on the final model (over
    # the parameter budget: 2 of 3), Dropout before BatchNormalization in the Conv1D model (layer order: 1 of 3)
    "lee_junho": {**FULL, "q4": 1.0, "q5": 2.0, "q7": 1.0},
    # images flattened to (n, 784) as in chapter 2: the 4-D check fails (2 of 3); every Conv2D fit in the notebook
    # then fails, so the final model is untrained (q6); its structure, the Conv1D model and its checkpoint function
    # are right (the grader runs train_with_checkpoint on images it prepares itself: q4 is not charged again)
    "park_seoyeon": {**FULL, "q1": 2.0, "q6": 0.0},
    # not divided by 255 (2 of 3), one-hot labels with sparse_categorical_crossentropy (q3 and q5 lose their
    # loss checks); the final fit fails on the label shapes: an untrained final model (q6); the checkpoint function
    # is right (called again with integer labels when the one-hot ones make it raise: q4 is not charged again)
    "choi_yuna": {**FULL, "q1": 2.0, "q3": 1.0, "q5": 2.0, "q6": 0.0},
}
EXPECTED_EXAMPLE_FAILURES = {
    "kim_minji": {},
    "lee_junho": {"checkpoint_function_returns_the_best_epoch": "mnist_cnn.not_best_epoch",
                  "final_model_within_the_parameter_budget": "mnist_cnn.over_budget",
                  "conv1d_layers_in_order": "model.layer_kind"},
    "park_seoyeon": {"prepare_images_is_4d": "mnist_cnn.flattened",
                     "final_model_test_accuracy": "check.metric_too_low"},
    "choi_yuna": {"prepare_images_is_scaled": "mnist_cnn.not_scaled",
                  "loss_fits_the_labels": "mnist_cnn.loss_labels",
                  "final_model_loss_fits_the_labels": "mnist_cnn.loss_labels",
                  "final_model_test_accuracy": "check.metric_too_low"},
}


# -- the checks, as the grader loads them ----------------------------------------------------------------

SPECS = assignment_helpers.specs(SOLUTION_DIR)


def test_questions_points_and_visibility_match_the_config() -> None:
    performance = assignment_helpers.performance_after_config_checks(NAME, SOLUTION_DIR, SPECS, POINTS)
    assert performance == {"q6": "mnist_test_accuracy"}
    assert len([s for s in SPECS if s.question == "q6"]) == 1  # one check: all or nothing
    assert {s.question for s in SPECS if not s.hidden} == set(POINTS) - set(performance)


def test_calibration_is_stored_with_the_cpu_budget() -> None:
    data = json.loads((SOLUTION_DIR / "calibration.json").read_text(encoding="utf-8"))
    metric = data["metrics"]["mnist_test_accuracy"]
    assert set(data["metrics"]) == {"mnist_test_accuracy"}
    assert len(data["seeds"]) >= 3 and len(metric["values"]) == len(data["seeds"])
    assert 0.95 <= metric["reference"] <= 0.99  # 10,000 images, 2 epochs; the book's full run gets about 0.99
    assert metric["threshold"] == pytest.approx(metric["reference"] - 0.015)
    assert data["budget"] == load_config(ROOT / "grading_config.yaml").limits_for(NAME).model_dump()


def test_messages_have_both_languages_render_every_parameter_and_are_all_used() -> None:
    assignment_helpers.assert_messages_complete(MESSAGES)
    assignment_helpers.assert_message_keys_all_known_and_used(SOLUTION_DIR, "mnist_cnn", MESSAGES)


# -- running checks in this process -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def context(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> CheckContext:
    """The grader's context: the course's Keras data files (not Keras' own cache) and the calibrated threshold."""
    files = keras_files.resolve(shared_data, keras_cache=tmp_path_factory.mktemp("no-keras-cache"))
    return assignment_helpers.check_context(SOLUTION_DIR, SPECS, data_files=files)


def grade(namespace: dict[str, Any], context: CheckContext, questions: list[str]) -> dict[str, CheckResult]:
    return assignment_helpers.grade(SPECS, namespace, context, questions)


def points(results: dict[str, CheckResult]) -> dict[str, float]:
    return assignment_helpers.points(results, POINTS)


def functions(path: Path = REFERENCE, edits: tuple[Edit, ...] = ()) -> dict[str, Any]:
    """The notebook's functions, with ``edits`` (function, reference text, mistake): a student's typical mistake."""
    import keras

    namespace: dict[str, Any] = {"np": np, "keras": keras, "layers": keras.layers}
    return assignment_helpers.functions(path, FUNCTIONS, namespace, edits, filename="<{notebook} {function}>")


def rendered(result: CheckResult) -> dict[str, str]:
    return {lang: result.render(lang) for lang in LANGUAGES}


# -- q1 prepare_images ------------------------------------------------------------------------------------

EXPAND = 'images = np.expand_dims(images, -1)'
SCALE = 'return images.astype("float32") / 255'
PREPARE_MISTAKES: dict[str, tuple[str, str, dict[str, str]]] = {
    # name: (reference text, mistake, {failing check: message key})
    "no_channel_axis": (EXPAND, "images = images", {"prepare_images_is_4d": "mnist_cnn.no_channel_axis"}),
    "flattened_as_in_chapter_2": (EXPAND, "images = images.reshape((len(images), 28 * 28))",
                                  {"prepare_images_is_4d": "mnist_cnn.flattened"}),
    "channels_first": (EXPAND, "images = np.expand_dims(images, 1)",
                       {"prepare_images_is_4d": "mnist_cnn.channels_first"}),
    "not_scaled": (SCALE, 'return images.astype("float32")', {"prepare_images_is_scaled": "mnist_cnn.not_scaled"}),
    "integer_result": (SCALE, 'return (images / 255).astype("uint8")',
                       {"prepare_images_is_scaled": "mnist_cnn.scale_int"}),
    "scaled_by_256": (SCALE, 'return images.astype("float32") / 256',
                      {"prepare_images_is_scaled": "mnist_cnn.scale_values"}),
    # np.squeeze also drops the batch axis of a single image: (1, 28, 28) -> (28, 28, 1)
    "squeezed": (EXPAND, "images = np.squeeze(images)[..., np.newaxis]",
                 {"prepare_images_any_count_and_input_unchanged": "mnist_cnn.count_rows"}),
    # reshaping by assigning .shape changes the caller's array
    "reshaped_in_place": (EXPAND, "images.shape = images.shape + (1,)",
                          {"prepare_images_any_count_and_input_unchanged": "check.mutated"}),
}


def test_reference_and_example_functions_earn_full_marks_for_q1_q2_q7(context: CheckContext) -> None:
    for path in (REFERENCE, EXAMPLES / "kim_minji.ipynb"):
        results = grade(functions(path), context, ["q1", "q2", "q7"])
        assert failed(results) == {}, (path.name, {n: r.render("en") for n, r in results.items()})
        assert points(results) == {"q1": 3.0, "q2": 3.0, "q7": 3.0}


@pytest.mark.parametrize("mistake", list(PREPARE_MISTAKES))
def test_each_prepare_images_mistake_loses_exactly_its_check(mistake: str, context: CheckContext) -> None:
    old, new, expected = PREPARE_MISTAKES[mistake]
    results = grade(functions(edits=(("prepare_images", old, new),)), context, ["q1"])
    assert failed(results) == expected, {n: r.render("en") for n, r in results.items()}
    assert points(results) == {"q1": 2.0}


def test_prepare_images_messages_say_which_step_is_missing_and_why(context: CheckContext) -> None:
    no_axis = grade(functions(edits=(("prepare_images", EXPAND, "images = images"),)), context, ["q1"])
    text = rendered(no_axis["prepare_images_is_4d"])
    assert "(5, 28, 28)" in text["en"] and "(5, 28, 28, 1)" in text["en"] and "channels" in text["en"]
    assert "채널" in text["ko"] and "np.expand_dims" in text["ko"]
    unscaled = grade(functions(edits=(("prepare_images", SCALE, 'return images.astype("float32")'),)), context,
                     ["q1"])
    text = rendered(unscaled["prepare_images_is_scaled"])
    assert "255" in text["en"] and "[0, 1]" in text["en"] and "255로 나누지" in text["ko"]


def test_the_books_hard_coded_count_fails_every_q1_check(context: CheckContext) -> None:
    results = grade(functions(edits=(("prepare_images", EXPAND, "images = images.reshape((60000, 28, 28, 1))"),)),
                    context, ["q1"])
    assert failed(results) == {"prepare_images_is_4d": "check.raised", "prepare_images_is_scaled": "check.raised",
                               "prepare_images_any_count_and_input_unchanged": "mnist_cnn.count_fixed"}
    assert "len(images)" in results["prepare_images_any_count_and_input_unchanged"].render("en")


def test_the_unanswered_template_earns_nothing(context: CheckContext) -> None:
    results = grade(functions(TEMPLATE), context, list(POINTS))
    assert not any(r.passed for r in results.values())


# -- q2 the book's convnet and q7 the Conv1D model -------------------------------------------------------------

def test_the_books_convnet_has_93322_parameters_and_the_listed_output_shapes() -> None:
    model = functions()["build_convnet"]()
    assert model.count_params() == 93_322
    assert [tuple(layer.output.shape) for layer in model.layers] == [
        (None, 26, 26, 32), (None, 13, 13, 32), (None, 11, 11, 64), (None, 5, 5, 64), (None, 3, 3, 64),
        (None, 576), (None, 64), (None, 10)]
    conv1d = functions()["build_conv1d"]()
    assert (conv1d.count_params(), sum(int(np.prod(w.shape)) for w in conv1d.non_trainable_weights)) == (14_026, 128)


CONV = 'layers.Conv2D(32, (3, 3), activation="relu")'
MODEL_MISTAKES: dict[str, tuple[str, str, str, dict[str, str], float]] = {
    # name: (function, reference text, mistake, {failing check: message key}, points left in the question)
    "padding_same": ("build_convnet", CONV, 'layers.Conv2D(32, (3, 3), activation="relu", padding="same")',
                     {"convnet_layers_and_shapes": "model.layer_output_shape"}, 1.0),
    "second_pooling_missing": ("build_convnet", '        layers.MaxPooling2D((2, 2)),\n        layers.Conv2D(64, '
                               '(3, 3), activation="relu"),\n        layers.Flatten()',
                               '        layers.Conv2D(64, (3, 3), activation="relu"),\n        layers.Flatten()',
                               {"convnet_layers_and_shapes": "model.layer_kind"}, 1.0),
    "no_softmax": ("build_convnet", 'layers.Dense(10, activation="softmax")', "layers.Dense(10)",
                   {"convnet_activations": "model.last_activation"}, 2.0),
    "linear_convolution": ("build_convnet", CONV, "layers.Conv2D(32, (3, 3))",
                           {"convnet_activations": "model.layer_activation"}, 2.0),
    # without keras.Input the model has no shapes until it sees data
    "no_input": ("build_convnet", "keras.Input(shape=(28, 28, 1)),", "",
                 {"convnet_layers_and_shapes": "mnist_cnn.not_built", "convnet_activations": "mnist_cnn.not_built"},
                 0.0),
    "dropout_before_batch_norm": ("build_conv1d", "layers.BatchNormalization(),\n        layers.MaxPooling1D(2),\n"
                                  "        layers.Dropout(0.5),",
                                  "layers.Dropout(0.5),\n        layers.BatchNormalization(),\n"
                                  "        layers.MaxPooling1D(2),",
                                  {"conv1d_layers_in_order": "model.layer_kind"}, 1.0),
    "batch_norm_after_pooling": ("build_conv1d", "layers.BatchNormalization(),\n        layers.MaxPooling1D(2),",
                                 "layers.MaxPooling1D(2),\n        layers.BatchNormalization(),",
                                 {"conv1d_layers_in_order": "model.layer_kind"}, 1.0),
    "no_batch_norm": ("build_conv1d", "        layers.BatchNormalization(),\n", "",
                      {"conv1d_layers_in_order": "model.layer_kind",
                       "conv1d_reads_rows_and_keeps_batch_statistics": "model.params_total"}, 0.0),
    "images_with_a_channel_axis": ("build_conv1d", "keras.Input(shape=(28, 28))",
                                   "keras.Input(shape=(28 * 28, 1))",
                                   {"conv1d_layers_in_order": "model.layer_output_shape",
                                    "conv1d_reads_rows_and_keeps_batch_statistics": "mnist_cnn.conv1d_input"}, 0.0),
}


@pytest.mark.parametrize("mistake", list(MODEL_MISTAKES))
def test_each_model_mistake_loses_exactly_its_checks(mistake: str, context: CheckContext) -> None:
    function, old, new, expected, left = MODEL_MISTAKES[mistake]
    question = "q2" if function == "build_convnet" else "q7"
    results = grade(functions(edits=((function, old, new),)), context, [question])
    assert failed(results) == expected, {n: r.render("en") for n, r in results.items()}
    assert points(results) == {question: left}


def test_the_first_differing_layer_is_named_with_both_shapes(context: CheckContext) -> None:
    results = grade(functions(edits=(("build_convnet", CONV, CONV[:-1] + ', padding="same")'),)), context, ["q2"])
    text = rendered(results["convnet_layers_and_shapes"])
    assert all("(None, 26, 26, 32)" in t and "(None, 28, 28, 32)" in t for t in text.values())


# -- q3 labels and loss, q5 your own model (compiled models; no training needed) ---------------------------------

@pytest.fixture(scope="module")
def mnist(context: CheckContext) -> Any:
    return datasets.load("mnist", context.data_files)


def compiled(model: Any, loss: str) -> Any:
    model.compile(optimizer="rmsprop", loss=loss, metrics=["accuracy"])
    return model


def label_namespace(mnist: Any, *, one_hot: bool = False, **changes: Any) -> dict[str, Any]:
    """What the notebook leaves for questions 3 and 5 when answered as asked, with ``changes``."""
    import keras

    (_, train_labels), _ = mnist
    encode = (lambda y: keras.utils.to_categorical(y, 10)) if one_hot else (lambda y: y)
    loss = "categorical_crossentropy" if one_hot else "sparse_categorical_crossentropy"
    build = functions()["build_convnet"]
    namespace = {"train_labels": train_labels, "TRAIN_SIZE": 10_000, "VAL_SIZE": 1_000,
                 "y_train": encode(train_labels[:10_000]), "y_val": encode(train_labels[-1_000:]),
                 "model": compiled(build(), loss), "final_model": compiled(build(), loss)}
    namespace.update(changes)
    return namespace


def test_both_label_encodings_with_their_loss_pass(context: CheckContext, mnist: Any) -> None:
    for one_hot in (False, True):
        results = grade(label_namespace(mnist, one_hot=one_hot), context, ["q3", "q5"])
        assert failed(results) == {} and points(results) == {"q3": 2.0, "q5": 3.0}, one_hot


def test_a_loss_that_does_not_fit_the_labels_is_diagnosed_by_name(context: CheckContext, mnist: Any) -> None:
    build = functions()["build_convnet"]
    for one_hot, loss, encoding in ((True, "sparse_categorical_crossentropy", "one_hot"),
                                    (False, "categorical_crossentropy", "integer")):
        results = grade(label_namespace(mnist, one_hot=one_hot, model=compiled(build(), loss)), context, ["q3"])
        assert failed(results) == {"loss_fits_the_labels": "mnist_cnn.loss_labels"}
        assert points(results) == {"q3": 1.0}
        for text in rendered(results["loss_fits_the_labels"]).values():
            assert "`y_train`" in text and loss in text and encoding in text
        results = grade(label_namespace(mnist, one_hot=one_hot, final_model=compiled(build(), loss)), context,
                        ["q5"])
        assert failed(results) == {"final_model_loss_fits_the_labels": "mnist_cnn.loss_labels"}
        assert points(results) == {"q5": 2.0}


def test_each_label_mistake_loses_exactly_its_check(context: CheckContext, mnist: Any) -> None:
    import keras

    (_, train_labels), _ = mnist
    mistakes = {
        # the labels shuffled on their own (the images were not)
        "shuffled_labels": ({"y_train": np.random.default_rng(0).permutation(train_labels[:10_000])},
                            "mnist_cnn.labels_values"),
        # the validation labels from the start of the training set, not the end
        "validation_from_the_start": ({"y_val": train_labels[:1_000]}, "mnist_cnn.labels_values"),
        "one_hot_validation_only": ({"y_val": keras.utils.to_categorical(train_labels[-1_000:], 10)},
                                    "mnist_cnn.labels_encodings_differ"),
        "all_60000_labels": ({"y_train": train_labels}, "mnist_cnn.labels_shape"),
    }
    for mistake, (changes, key) in mistakes.items():
        results = grade(label_namespace(mnist, **changes), context, ["q3"])
        expected = {"labels_stay_with_their_images": key}
        if mistake == "all_60000_labels":  # y_train no longer fits TRAIN_SIZE: the loss check cannot read it either
            expected["loss_fits_the_labels"] = key
        assert failed(results) == expected, (mistake, {n: r.render("en") for n, r in results.items()})
        assert points(results) == {"q3": 1.0 if len(expected) == 1 else 0.0}, mistake


def test_your_own_model_is_accepted_within_the_budget_and_each_condition_is_named(context: CheckContext,
                                                                                   mnist: Any) -> None:
    import keras
    from keras import layers

    def sequential(shape: tuple[int, ...], *stack: Any) -> Any:
        return compiled(keras.Sequential([keras.Input(shape), *stack]), "sparse_categorical_crossentropy")

    small = sequential((28, 28, 1), layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(2),
                       layers.Flatten(), layers.Dense(10, activation="softmax"))
    results = grade(label_namespace(mnist, final_model=small), context, ["q5"])
    assert failed(results) == {} and points(results) == {"q5": 3.0}
    mistakes = {
        # the dense network of chapter 2: 784 x 512 weights in its first layer
        "chapter_2_dense_network": (sequential((28, 28, 1), layers.Flatten(), layers.Dense(512, activation="relu"),
                                               layers.Dense(10, activation="softmax")),
                                    "final_model_within_the_parameter_budget", "mnist_cnn.over_budget"),
        "sigmoid_output": (sequential((28, 28, 1), layers.Flatten(), layers.Dense(10, activation="sigmoid")),
                           "final_model_takes_images_and_gives_10_probabilities", "model.last_activation"),
        "one_output_per_image": (sequential((28, 28, 1), layers.Flatten(), layers.Dense(1, activation="relu")),
                                 "final_model_takes_images_and_gives_10_probabilities", "mnist_cnn.final_output"),
        "rows_as_input": (sequential((28, 28), layers.Conv1D(32, 3, activation="relu"), layers.Flatten(),
                                     layers.Dense(10, activation="softmax")),
                          "final_model_takes_images_and_gives_10_probabilities", "mnist_cnn.final_input"),
    }
    for mistake, (model, check, key) in mistakes.items():
        results = grade(label_namespace(mnist, final_model=model), context, ["q5"])
        assert failed(results) == {check: key}, (mistake, {n: r.render("en") for n, r in results.items()})
        assert points(results) == {"q5": 2.0}, mistake
    results = grade(label_namespace(mnist, final_model=mistakes["chapter_2_dense_network"][0]), context, ["q5"])
    assert all("407,050" in t and "150,000" in t for t in rendered(
        results["final_model_within_the_parameter_budget"]).values())


# -- q4 the checkpoint: the grader's own run of train_with_checkpoint -------------------------------------------

CHECKPOINT_FIT = ("history = model.fit(x, y, epochs=epochs, batch_size=32, validation_data=(x_val, y_val), "
                  "callbacks=[checkpoint],\n                        verbose=0)")
RESTORE = '    model.load_weights("best_convnet.keras")\n'


def checkpoint_functions(*edits: Edit) -> dict[str, Any]:
    return functions(edits=tuple(("train_with_checkpoint", old, new) for old, new in edits))


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The checkpoint files the functions write land in a temporary folder, not the repository."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_reference_function_earns_all_of_q4(context: CheckContext, mnist: Any, in_tmp: Path) -> None:
    results = grade(label_namespace(mnist, **checkpoint_functions()), context, ["q4"])
    assert failed(results) == {} and points(results) == {"q4": 3.0}


def test_a_functional_model_with_one_hot_labels_and_a_weights_file_earns_all_of_q4(context: CheckContext,
                                                                                   mnist: Any, in_tmp: Path) -> None:
    """An honest alternative: the functional API, one-hot labels with categorical_crossentropy, a weights-only
    checkpoint (the grader passes its labels one-hot, as the notebook's ``y_train`` is)."""
    import keras

    def train_with_checkpoint(x: Any, y: Any, x_val: Any, y_val: Any, epochs: int) -> Any:
        inputs = keras.Input((28, 28, 1))
        t = keras.layers.Conv2D(32, 3, activation="relu")(inputs)
        t = keras.layers.MaxPooling2D(2)(t)
        t = keras.layers.Conv2D(64, 3, activation="relu")(t)
        t = keras.layers.Flatten()(keras.layers.MaxPooling2D(2)(t))
        model = keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(t))
        model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
        best = keras.callbacks.ModelCheckpoint("best.weights.h5", monitor="val_loss", save_best_only=True,
                                               save_weights_only=True)
        history = model.fit(x, y, epochs=epochs, batch_size=32, validation_data=(x_val, y_val), callbacks=[best],
                            verbose=0)
        model.load_weights("best.weights.h5")
        return model, history

    results = grade(label_namespace(mnist, one_hot=True, train_with_checkpoint=train_with_checkpoint), context,
                    ["q4"])
    assert failed(results) == {} and points(results) == {"q4": 3.0}


def test_no_checkpoint_and_an_edited_history_do_not_pass_the_best_epoch_check(context: CheckContext, mnist: Any,
                                                                              in_tmp: Path) -> None:
    """The forgery: no checkpoint, no restore, and ``history.history["val_loss"]`` edited so that the last epoch
    looks best (in the function and in the notebook's own ``history``). The grader runs the function itself and
    computes the losses; no record of the notebook earns a point."""
    import keras

    (train_images, train_labels), _ = mnist
    prepare = functions()["prepare_images"]

    def train_with_checkpoint(x: Any, y: Any, x_val: Any, y_val: Any, epochs: int) -> Any:
        model = functions()["build_convnet"]()
        model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        history = model.fit(x, y, epochs=epochs, batch_size=32, validation_data=(x_val, y_val), verbose=0)
        losses = history.history["val_loss"]
        history.history["val_loss"] = [max(losses) + 1.0] * (len(losses) - 1) + [losses[-1]]
        return model, history

    keras.utils.set_random_seed(4)
    x, y = prepare(train_images[:300]), train_labels[:300]
    x_val, y_val = prepare(train_images[-300:]), train_labels[-300:]
    model, history = train_with_checkpoint(x, y, x_val, y_val, 10)  # the notebook's own run, forged the same way
    namespace = label_namespace(mnist, train_with_checkpoint=train_with_checkpoint, model=model, history=history,
                                x_val=x_val, y_val=y_val)
    results = grade(namespace, context, ["q4"])
    assert failed(results) == {"checkpoint_function_returns_the_best_epoch": "mnist_cnn.not_best_epoch"}
    assert points(results) == {"q4": 1.0}
    for lang in LANGUAGES:
        text = results["checkpoint_function_returns_the_best_epoch"].render(lang)
        assert "512" in text and "load_weights" in text and "7 -> 8" in text


CHECKPOINT_MISTAKES: dict[str, tuple[tuple[tuple[str, str], ...], dict[str, str], float]] = {
    # name: (edits of the reference's train_with_checkpoint, {failing check: message key}, points left in q4)
    "never_restored": (((RESTORE, ""),), {"checkpoint_function_returns_the_best_epoch": "mnist_cnn.not_best_epoch"},
                       1.0),
    # the accuracy improves while the loss rises: that checkpoint keeps the last epoch
    "monitors_val_accuracy": ((('monitor="val_loss"', 'monitor="val_accuracy"'),),
                              {"checkpoint_function_returns_the_best_epoch": "mnist_cnn.not_best_epoch"}, 1.0),
    # a new model returned instead of the one trained and restored
    "returns_an_untrained_model": (((RESTORE + "    return model, history", "    return build_convnet(), history"),),
                                   {"checkpoint_function_trains_on_its_data": "mnist_cnn.run_not_trained",
                                    "checkpoint_function_returns_the_best_epoch": "mnist_cnn.run_not_trained"}, 0.0),
}


@pytest.mark.parametrize("mistake", list(CHECKPOINT_MISTAKES))
def test_each_checkpoint_mistake_loses_exactly_its_checks(mistake: str, context: CheckContext, mnist: Any,
                                                          in_tmp: Path) -> None:
    edits, expected, left = CHECKPOINT_MISTAKES[mistake]
    results = grade(label_namespace(mnist, **checkpoint_functions(*edits)), context, ["q4"])
    assert failed(results) == expected, {n: r.render("en") for n, r in results.items()}
    assert points(results) == {"q4": left}


def test_a_loss_that_does_not_fit_y_train_costs_q3_and_not_q4(context: CheckContext, mnist: Any,
                                                              in_tmp: Path) -> None:
    """One-hot ``y_train`` with sparse_categorical_crossentropy: the grader's one-hot labels make the function
    raise, so it is called again with integer labels; the checkpoint itself is right."""
    results = grade(label_namespace(mnist, one_hot=True, **checkpoint_functions()), context, ["q4"])
    assert failed(results) == {} and points(results) == {"q4": 3.0}


def test_a_missing_function_fails_both_q4_checks(context: CheckContext, mnist: Any) -> None:
    results = grade(label_namespace(mnist), context, ["q4"])
    assert set(failed(results).values()) == {"check.reply_missing"} and points(results) == {"q4": 0.0}


# -- q6 accuracy measured by the grader ------------------------------------------------------------------------

def test_untrained_and_wrong_input_models_fail_the_accuracy_check(context: CheckContext, mnist: Any) -> None:
    import keras
    from keras import layers

    untrained = compiled(functions()["build_convnet"](), "sparse_categorical_crossentropy")
    result = grade({"final_model": untrained}, context, ["q6"])["final_model_test_accuracy"]
    assert result.key == "check.metric_too_low" and result.measured is not None and result.measured < 0.3
    assert "mnist_test_accuracy" in result.render("en")
    flat = keras.Sequential([keras.Input((784,)), layers.Dense(10, activation="softmax")])
    result = grade({"final_model": flat}, context, ["q6"])["final_model_test_accuracy"]
    assert result.key == "mnist_cnn.cannot_evaluate" and result.status == "failed"
    assert "(n, 28, 28, 1)" in result.render("en") and "(n, 28, 28, 1)" in result.render("ko")


def test_a_lambda_model_is_refused_by_name_without_running_it(context: CheckContext, mnist: Any) -> None:
    import keras
    from keras import layers

    sneaky = keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(), layers.Lambda(lambda t: t * 2.0),
                               layers.Dense(10, activation="softmax")])
    results = grade(label_namespace(mnist, final_model=compiled(sneaky, "sparse_categorical_crossentropy")),
                    context, ["q5", "q6"])
    assert {name for name, r in results.items() if r.key == "model.lambda_refused"} == {
        "final_model_takes_images_and_gives_10_probabilities", "final_model_within_the_parameter_budget",
        "final_model_loss_fits_the_labels", "final_model_test_accuracy"}


# -- the example submissions, graded in the sandbox --------------------------------------------------------

@pytest.fixture(scope="module")
def graded_examples(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return assignment_helpers.grade_examples(NAME, tmp_path_factory.mktemp(NAME), shared_data)


@pytest.mark.slow
def test_examples_score_as_intended(graded_examples: dict[str, Any]) -> None:
    assignment_helpers.assert_examples_score_as_intended(graded_examples, EXPECTED_EXAMPLES,
                                                         EXPECTED_EXAMPLE_FAILURES)


@pytest.mark.slow
def test_examples_stay_within_the_grading_budget(graded_examples: dict[str, Any]) -> None:
    # the grader runs two submissions at a time on this 2-core machine, so each one's wall time about doubles
    # (alone, the reference grades in 70-80 s here: see calibration.json's seconds_per_run)
    assignment_helpers.assert_examples_within_budget(graded_examples, NAME, 0.75)


@pytest.mark.slow
def test_examples_get_korean_feedback_that_names_the_problem(graded_examples: dict[str, Any]) -> None:
    details = graded_examples["details"]
    park = example_messages(details["park_seoyeon"])
    assert "펼쳤습니다" in park["prepare_images_is_4d"] and "(5, 28, 28, 1)" in park["prepare_images_is_4d"]
    assert any(cell["ename"] == "ValueError" for cell in details["park_seoyeon"]["cells"])
    choi = example_messages(details["choi_yuna"])
    assert "255로 나누지" in choi["prepare_images_is_scaled"]
    assert "`y_train`" in choi["loss_fits_the_labels"] and "one_hot" in choi["loss_fits_the_labels"]
    lee = example_messages(details["lee_junho"])
    assert "첫 에포크" in lee["checkpoint_function_returns_the_best_epoch"]
    assert "load_weights" in lee["checkpoint_function_returns_the_best_epoch"]
    assert "356,298" in lee["final_model_within_the_parameter_budget"]
    measured = {c["name"]: c.get("measured") for q in details["kim_minji"]["questions"] for c in q["checks"]}
    assert measured["final_model_test_accuracy"] > 0.95
