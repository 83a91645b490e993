"""The "vgg16_transfer" assignment: its checks, one typical mistake at a time, and the examples graded.

Two layers, to keep the cost small:

- In this process, as ``grader.check`` runs on a student's machine: a real VGG16 base (random weights:
  the ImageNet file is not on this machine) at 32x32, real models put on it, real ``tf.data`` pipelines
  over the course's cats_and_dogs_filtered images, and real training steps (a few images) where a check
  compares weight fingerprints. The notebook's helpers (``first_batch``, ``pipeline_ops``,
  ``layer_digests``) are taken from the reference notebook. Each mistake must lose exactly the checks
  (and so the points) intended for it.
- In the sandbox, once per module: the example submissions are graded through ``autograder.grade.main``
  with the real data and real training, and their scores are asserted per question; the accuracy
  question is skipped (no pretrained weights here) and leaves the maximum.
"""

from __future__ import annotations

import ast
import hashlib
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograder.checks import CheckContext, CheckResult
from autograder.data import keras_files
from autograder.i18n import LANGUAGES
from autograder.notebook import code_cells, load_notebook
from autograder.results import score_questions
from tests import assignment_helpers
from tests.assignment_helpers import example_messages, failed

ROOT = Path(__file__).resolve().parents[2]
NAME = "vgg16_transfer"
SOLUTION_DIR = ROOT / "solutions" / NAME
MESSAGES = assignment_helpers.messages(SOLUTION_DIR)
REFERENCE = SOLUTION_DIR / f"{NAME}.ipynb"
POINTS = {"q1": 2.0, "q2": 3.0, "q3": 4.0, "q4": 4.0, "q5": 3.0}
AVAILABLE = {**POINTS, "q5": 0.0}  # no pretrained weights here: q5 is skipped and leaves the maximum
HELPERS = ("first_batch", "pipeline_ops", "layer_digests")
IMG = 32

EXPECTED_EXAMPLES = {
    # the reference notebook itself, graded like a submission: full marks of the available maximum
    "reference": AVAILABLE,
    # everything right, written differently: augmentation in the training pipeline, the book's model.add, no
    # Dropout, block5 unfrozen by name prefix, learning rate 2e-5 for fine-tuning
    "kim_minji": AVAILABLE,
    # never froze the base (trainable weights 30 -> 30, the base trained in the first fit: 2 of 4), fine-tuning
    # unfroze the whole base (block1_conv1 trainable, blocks 1-4 changed) with RMSprop(1e-3): 0 of 4
    "lee_junho": {**AVAILABLE, "q3": 2.0, "q4": 0.0},
    # data_augmentation mapped over val_ds too: the validation check fails (2 of 3)
    "park_seoyeon": {**AVAILABLE, "q2": 1.0},
    # input_shape without the channel axis: VGG16 raises, conv_base is never made and every later cell that uses it
    # fails; only the (unaugmented) validation pipeline, built before the model, still earns its points
    "choi_yuna": {"q1": 0.0, "q2": 2.0, "q3": 0.0, "q4": 0.0, "q5": 0.0},
}
EXPECTED_EXAMPLE_FAILURES = {
    "reference": {},
    "kim_minji": {},
    "lee_junho": {"trainable_weights_30_then_4": "vgg16_transfer.not_frozen",
                  "base_unchanged_while_frozen": "vgg16_transfer.base_trained_while_frozen",
                  "fine_tuning_unfreezes_block5_only": "vgg16_transfer.unfrozen_below",
                  "fine_tuning_learning_rate_is_small": "vgg16_transfer.learning_rate",
                  "only_block5_changed_by_fine_tuning": "vgg16_transfer.lower_blocks_changed"},
    "park_seoyeon": {"validation_data_is_not_augmented": "vgg16_transfer.val_random_ops"},
    "choi_yuna": {"conv_base_is_vgg16_without_top": "check.value_missing",
                  "conv_base_parameters_and_input": "check.value_missing",
                  "training_data_is_augmented": "check.value_missing",
                  "model_has_the_classifier_on_the_base": "check.value_missing",
                  "model_loss_is_binary_crossentropy": "check.value_missing",
                  "trainable_weights_30_then_4": "check.value_missing",
                  "base_unchanged_while_frozen": "check.value_missing",
                  "fine_tuning_unfreezes_block5_only": "check.value_missing",
                  "fine_tuning_learning_rate_is_small": "check.value_missing",
                  "only_block5_changed_by_fine_tuning": "check.value_missing"},
}


# -- the checks, as the grader loads them ----------------------------------------------------------------

SPECS = assignment_helpers.specs(SOLUTION_DIR)


def test_questions_points_and_visibility_match_the_config() -> None:
    performance = assignment_helpers.performance_after_config_checks(NAME, SOLUTION_DIR, SPECS, POINTS)
    assert performance == {"q5": "cats_dogs_val_accuracy"}
    assert len([s for s in SPECS if s.question == "q5"]) == 1


def test_no_calibration_is_stored_without_pretrained_weights() -> None:
    # calibrating needs the reference notebook's accuracy with genuine ImageNet weights, which this machine lacks;
    # a calibration from random weights would pretend to be one
    assert not (SOLUTION_DIR / "calibration.json").exists()


def test_notebook_states_the_cpu_budget_and_the_gpu_settings_in_both_languages() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    for phrase in ("CPU 예산", "CPU budget", "GPU에서는", "On a GPU", "IMG_SIZE = 150", "14,714,688",
                   "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", "만점에서 빠집니다", "leaves the maximum"):
        assert phrase in text, phrase


def test_messages_have_both_languages_render_every_parameter_and_are_all_used() -> None:
    assignment_helpers.assert_messages_complete(MESSAGES)
    assignment_helpers.assert_message_keys_all_known_and_used(SOLUTION_DIR, "vgg16_transfer", MESSAGES)


# -- running checks in this process -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def context(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> CheckContext:
    """The grader's context: the course's data files and folder; no pretrained weights, so no thresholds."""
    files = keras_files.resolve(shared_data, keras_cache=tmp_path_factory.mktemp("no-keras-cache"))
    files.update(keras_files.resolve_weights("keras_cache", ROOT, keras_cache=tmp_path_factory.mktemp("no-weights")))
    assert "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5" not in files
    return assignment_helpers.check_context(SOLUTION_DIR, SPECS, data_files=files, data_dir=shared_data,
                                            calibrated=False)


def grade(namespace: dict[str, Any], context: CheckContext, questions: list[str]) -> dict[str, CheckResult]:
    return assignment_helpers.grade(SPECS, namespace, context, questions)


def points(results: dict[str, CheckResult]) -> dict[str, float]:
    return assignment_helpers.points(results, POINTS)


def helpers(namespace: dict[str, Any]) -> dict[str, Any]:
    """The reference notebook's helper functions, defined in ``namespace`` (their ``globals()`` is it)."""
    namespace.setdefault("np", np)
    namespace.setdefault("hashlib", hashlib)
    for cell in code_cells(load_notebook(REFERENCE.read_bytes(), REFERENCE.name)):
        tree = ast.parse(cell.source)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in HELPERS:
                exec(compile(ast.get_source_segment(cell.source, node) or "", "<helper>", "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def course(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The notebook's data cell in small: 8 + 8 training and 10 + 10 validation images as datasets."""
    import keras

    folder = tmp_path_factory.mktemp("cats_and_dogs_small")
    source = shared_data / "data" / "cats_and_dogs_filtered"
    for split, count in (("train", 8), ("validation", 10)):
        for label in ("cats", "dogs"):
            (folder / split / label).mkdir(parents=True)
            for path in sorted((source / split / label).iterdir())[:count]:
                shutil.copyfile(path, folder / split / label / path.name)
    raw_train = keras.utils.image_dataset_from_directory(folder / "train", image_size=(IMG, IMG), batch_size=8,
                                                         shuffle=True, seed=0, verbose=False)
    raw_val = keras.utils.image_dataset_from_directory(folder / "validation", image_size=(IMG, IMG), batch_size=8,
                                                       shuffle=False, verbose=False)
    return {"raw_train": raw_train, "raw_val": raw_val, "IMG_SIZE": IMG, "VAL_PER_CLASS": 10}


def augmentation() -> Any:
    import keras
    from keras import layers

    return keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1), layers.RandomZoom(0.2)],
                            name="data_augmentation")


def vgg_base(size: int = IMG) -> Any:
    """``VGG16(weights="imagenet", include_top=False)`` as the sandbox builds it without the ImageNet file: the
    seeded stand-in weights the grader rebuilds (see test_the_sandbox_hook_builds_the_stand_in_weights)."""
    import keras

    from autograder.data import vgg16_standin

    base = keras.applications.VGG16(weights=None, include_top=False, input_shape=(size, size, 3))
    vgg16_standin.apply(base)
    return base


def test_the_sandbox_hook_builds_the_stand_in_weights() -> None:
    import types

    from keras.src.applications import vgg16

    from autograder.data import keras_hook, vgg16_standin

    module = types.ModuleType("vgg16_copy")
    module.VGG16 = vgg16.VGG16  # type: ignore[attr-defined]
    keras_hook._patch_vgg16(module, {}, "en")  # the sandbox's patch, on a copy (Keras itself is left alone)
    base = module.VGG16(weights="imagenet", include_top=False, input_shape=(IMG, IMG, 3))
    digests = helpers({})["layer_digests"](base)
    assert digests == dict(vgg16_standin.standin_digests())
    assert digests == helpers({})["layer_digests"](vgg_base())
    # drawn from fixed seeds with Keras' Conv2D initialisation: Glorot-uniform kernels, zero biases
    kernel, bias = vgg16_standin.layer_weights("block3_conv1")
    limit = np.sqrt(6 / (9 * 128 + 9 * 256))
    assert kernel.shape == (3, 3, 128, 256) and kernel.dtype == np.float32 and not bias.any()
    assert -limit <= kernel.min() < -0.9 * limit and 0.9 * limit < kernel.max() <= limit


def classifier(base: Any, *, augment: bool = True, last: str = "sigmoid") -> Any:
    import keras
    from keras import layers

    stack = [keras.Input((IMG, IMG, 3))] + ([augmentation()] if augment else [])
    return keras.Sequential([*stack, base, layers.Flatten(), layers.Dense(256, activation="relu"),
                             layers.Dropout(0.5), layers.Dense(1, activation=last)])


def compiled(model: Any, rate: float) -> Any:
    import keras

    model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=rate), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return model


def preprocessed(course: dict[str, Any]) -> tuple[Any, Any]:
    from keras.applications.vgg16 import preprocess_input

    return (course["raw_train"].map(lambda x, y: (preprocess_input(x), y)),
            course["raw_val"].map(lambda x, y: (preprocess_input(x), y)))


# -- q1 conv_base -------------------------------------------------------------------------------------------

def test_conv_base_passes_and_a_wrong_input_size_loses_its_check(context: CheckContext) -> None:
    results = grade({"conv_base": vgg_base(), "IMG_SIZE": IMG}, context, ["q1"])
    assert failed(results) == {} and points(results) == {"q1": 2.0}
    results = grade({"conv_base": vgg_base(48), "IMG_SIZE": IMG}, context, ["q1"])
    assert failed(results) == {"conv_base_parameters_and_input": "vgg16_transfer.base_input"}
    assert points(results) == {"q1": 1.0}
    assert "(None, 48, 48, 3)" in results["conv_base_parameters_and_input"].render("en")


def test_another_network_as_the_base_is_named(context: CheckContext) -> None:
    import keras
    from keras import layers

    small = keras.Sequential([keras.Input((IMG, IMG, 3)), layers.Conv2D(8, 3, name="conv"), layers.MaxPooling2D()])
    results = grade({"conv_base": small, "IMG_SIZE": IMG}, context, ["q1"])
    assert failed(results) == {"conv_base_is_vgg16_without_top": "vgg16_transfer.base_layers",
                               "conv_base_parameters_and_input": "model.params_total"}
    assert points(results) == {"q1": 0.0}


# -- q2 augmentation on the training data only ------------------------------------------------------------------

def test_each_augmentation_mistake_loses_exactly_its_check(context: CheckContext, course: dict[str, Any]) -> None:
    import tensorflow as tf
    from keras.applications.vgg16 import preprocess_input

    train_ds, val_ds = preprocessed(course)
    aug = augmentation()
    base = vgg_base()
    with_layers = classifier(base)
    without_layers = classifier(base, augment=False)

    def namespace(**changes: Any) -> dict[str, Any]:
        return helpers({**course, "train_ds": train_ds, "val_ds": val_ds, "model": with_layers, **changes})

    right = {
        "augmentation_layers_in_the_model": {},
        "augmentation_in_the_training_pipeline": {
            "model": without_layers, "train_ds": train_ds.map(lambda x, y: (aug(x, training=True), y))},
        "raw_pixels_in_both": {"train_ds": course["raw_train"], "val_ds": course["raw_val"]},
    }
    for case, changes in right.items():
        results = grade(namespace(**changes), context, ["q2"])
        assert failed(results) == {} and points(results) == {"q2": 3.0}, (case, failed(results))
    mistakes = {
        # Keras random layers mapped over the validation data (their ops are random)
        "augmented_validation": ({"val_ds": val_ds.map(lambda x, y: (aug(x, training=True), y))},
                                 "vgg16_transfer.val_random_ops"),
        # a seeded tf.image random op repeats itself between passes: only its op gives it away
        "seeded_random_flip_on_validation": (
            {"val_ds": val_ds.map(lambda x, y: (tf.image.random_flip_left_right(x, seed=1), y))},
            "vgg16_transfer.val_random_ops"),
        # always flipping has no random op and is the same every pass, but the images are not the originals
        "flipped_validation": ({"val_ds": val_ds.map(lambda x, y: (tf.image.flip_left_right(x), y))},
                               "vgg16_transfer.val_not_original"),
        # shuffled validation data: another first batch on every pass
        "shuffled_validation": ({"val_ds": val_ds.unbatch().shuffle(64).batch(8)}, "vgg16_transfer.val_changes"),
    }
    for case, (changes, key) in mistakes.items():
        results = grade(namespace(**changes), context, ["q2"])
        assert failed(results) == {"validation_data_is_not_augmented": key}, (case, failed(results))
        assert points(results) == {"q2": 1.0}, case
    results = grade(namespace(model=without_layers), context, ["q2"])
    assert failed(results) == {"training_data_is_augmented": "vgg16_transfer.no_augmentation"}
    assert points(results) == {"q2": 2.0}
    # the random layers in a model do nothing at inference: the same batch gives the same predictions twice
    images = next(iter(val_ds))[0]
    assert np.array_equal(with_layers.predict(images, verbose=0), with_layers.predict(images, verbose=0))
    assert preprocess_input is not None


def test_validation_messages_name_what_was_found(context: CheckContext, course: dict[str, Any]) -> None:
    train_ds, val_ds = preprocessed(course)
    aug = augmentation()
    namespace = helpers({**course, "train_ds": train_ds, "model": classifier(vgg_base()),
                         "val_ds": val_ds.map(lambda x, y: (aug(x, training=True), y))})
    result = grade(namespace, context, ["q2"])["validation_data_is_not_augmented"]
    for lang in LANGUAGES:
        text = result.render(lang)
        assert "StatelessRandomUniformV2" in text and "preprocess_input" in text, text


def test_the_imagenet_file_is_read_as_keras_lays_it_out(tmp_path: Path) -> None:
    # Keras' HDF5 weight files: one group per layer whose `weight_names` attribute orders its datasets (kernel,
    # bias). The genuine file is not on this machine: a file in its layout, with other weights than the stand-in's
    import h5py

    from autograder.data import vgg16_standin

    path = tmp_path / "weights.h5"
    expected = {}
    with h5py.File(path, "w") as weights_file:
        for name, _, _ in vgg16_standin.CONV_CHANNELS:
            kernel, bias = vgg16_standin.layer_weights(name)
            group = weights_file.create_group(name)
            names = [f"{name}_W_1:0".encode(), f"{name}_b_1:0".encode()]
            group.attrs["weight_names"] = names
            group[names[0].decode()] = kernel + 1
            group[names[1].decode()] = bias + 2
            expected[name] = vgg16_standin.digest([kernel + 1, bias + 2])
    assert dict(vgg16_standin.pretrained_digests(path)) == expected != dict(vgg16_standin.standin_digests())


# -- q3 the model and freezing ------------------------------------------------------------------------------------

def train_one_step(model: Any, course: dict[str, Any]) -> None:
    train_ds, val_ds = preprocessed(course)
    return model.fit(train_ds.take(1), epochs=1, validation_data=val_ds.take(1), verbose=0)


@pytest.fixture(scope="module")
def transfer(course: dict[str, Any]) -> dict[str, Any]:
    """The notebook's two trainings for real (one step each), with the fingerprints it records."""
    base = vgg_base()
    model = classifier(base)
    namespace = helpers({})
    digests = namespace["layer_digests"]
    before = len(model.trainable_weights)
    start = digests(base)
    base.trainable = False
    after = len(model.trainable_weights)
    history = train_one_step(compiled(model, 2e-5), course)
    after_frozen = digests(base)
    base.trainable = True
    for layer in base.layers:
        layer.trainable = layer.name.startswith("block5")
    history_fine = train_one_step(compiled(model, 1e-5), course)
    return {"model": model, "conv_base": base, "trainable_before": before, "trainable_after": after,
            "history": history, "history_fine": history_fine, "weights_at_start": start,
            "weights_after_frozen": after_frozen, "IMG_SIZE": IMG}


def test_the_reference_steps_earn_q3_and_q4(context: CheckContext, transfer: dict[str, Any]) -> None:
    assert (transfer["trainable_before"], transfer["trainable_after"]) == (30, 4)
    results = grade(dict(transfer), context, ["q3", "q4"])
    assert failed(results) == {} and points(results) == {"q3": 4.0, "q4": 4.0}


def test_each_model_and_freezing_mistake_loses_exactly_its_check(context: CheckContext, course: dict[str, Any],
                                                                 transfer: dict[str, Any]) -> None:
    import keras
    from keras import layers

    digests = helpers({})["layer_digests"]
    # never frozen: 30 weights stay trainable and the first fit trains the base
    unfrozen_base = vgg_base()
    unfrozen = classifier(unfrozen_base)
    start = digests(unfrozen_base)
    history = train_one_step(compiled(unfrozen, 2e-5), course)
    never_frozen = {**transfer, "trainable_after": len(unfrozen.trainable_weights), "history": history,
                    "weights_at_start": start, "weights_after_frozen": digests(unfrozen_base)}
    results = grade(never_frozen, context, ["q3"])
    assert failed(results) == {"trainable_weights_30_then_4": "vgg16_transfer.not_frozen",
                               "base_unchanged_while_frozen": "vgg16_transfer.base_trained_while_frozen"}
    assert points(results) == {"q3": 2.0}
    # a linear output: no probability for binary_crossentropy
    linear = compiled(classifier(vgg_base(), last="linear"), 2e-5)
    results = grade({**transfer, "model": linear}, context, ["q3"])
    assert failed(results) == {"model_has_the_classifier_on_the_base": "vgg16_transfer.head"}
    assert points(results) == {"q3": 3.0}
    # the base's layers taken into a functional model one by one: conv_base is no longer one layer
    base = vgg_base()
    # (the same head, so the counts the model's weights give are still 30 and 4: only the nesting is wrong)
    hidden = layers.Dropout(0.5)(layers.Dense(256, activation="relu")(layers.Flatten()(base.output)))
    flat = keras.Model(base.input, layers.Dense(1, activation="sigmoid")(hidden))
    results = grade({**transfer, "model": compiled(flat, 2e-5)}, context, ["q3"])
    assert failed(results) == {"model_has_the_classifier_on_the_base": "vgg16_transfer.base_not_nested"}
    # counted on the base alone: 26 and 0
    results = grade({**transfer, "trainable_before": 26, "trainable_after": 0}, context, ["q3"])
    assert failed(results) == {"trainable_weights_30_then_4": "vgg16_transfer.trainable_count"}
    assert points(results) == {"q3": 3.0}


def test_a_base_never_frozen_with_typed_counts_and_fingerprints_recorded_again_fails(context: CheckContext,
                                                                                    course: dict[str, Any]) -> None:
    # the base trained in the first fit; 30 and 4 typed in; both fingerprint records taken after that training,
    # so they agree with each other; fine-tuning itself done as asked. The grader compares the final model's
    # blocks 1-4 with the weights conv_base was built with, which it rebuilds itself
    digests = helpers({})["layer_digests"]
    base = vgg_base()
    model = classifier(base)
    history = train_one_step(compiled(model, 2e-5), course)
    recorded = digests(base)
    for layer in base.layers:
        layer.trainable = layer.name.startswith("block5")
    history_fine = train_one_step(compiled(model, 1e-5), course)
    forged = {"model": model, "conv_base": base, "trainable_before": 30, "trainable_after": 4, "history": history,
              "history_fine": history_fine, "weights_at_start": recorded, "weights_after_frozen": recorded,
              "IMG_SIZE": IMG}
    results = grade(forged, context, ["q3", "q4"])
    assert failed(results) == {"trainable_weights_30_then_4": "vgg16_transfer.count_but_trained",
                               "base_unchanged_while_frozen": "vgg16_transfer.base_trained_final",
                               "only_block5_changed_by_fine_tuning": "vgg16_transfer.lower_blocks_changed"}
    assert points(results) == {"q3": 2.0, "q4": 3.0}
    for lang in LANGUAGES:
        text = results["trainable_weights_30_then_4"].render(lang)
        assert "block1_conv1" in text and "conv_base.trainable = False" in text, text
    # the records alone, taken after the training, no longer describe the weights conv_base was built with
    honest_model = {**forged, "model": transfer_model_of(course)}
    results = grade(honest_model, context, ["q3"])
    assert failed(results) == {"base_unchanged_while_frozen": "vgg16_transfer.start_not_reference"}


def transfer_model_of(course: dict[str, Any]) -> Any:
    """A final model trained as asked (frozen, then block5 fine-tuned), one step each."""
    base = vgg_base()
    model = classifier(base)
    base.trainable = False
    train_one_step(compiled(model, 2e-5), course)
    base.trainable = True
    for layer in base.layers:
        layer.trainable = layer.name.startswith("block5")
    train_one_step(compiled(model, 1e-5), course)
    return model


# -- q4 fine-tuning ------------------------------------------------------------------------------------------------

def test_each_fine_tuning_mistake_loses_exactly_its_checks(context: CheckContext, course: dict[str, Any]) -> None:
    # each case starts from its own fresh transfer state: the first training for real, then fine-tuning its way
    digests = helpers({})["layer_digests"]

    def run(rate: float, unfreeze: str) -> dict[str, Any]:
        base = vgg_base()
        model = classifier(base)
        start = digests(base)
        base.trainable = False
        history = train_one_step(compiled(model, 2e-5), course)
        after_frozen = digests(base)
        if unfreeze == "everything":
            base.trainable = True
        else:
            base.trainable = True
            for layer in base.layers:
                layer.trainable = layer.name.startswith("block5")
        # "never_fit": unfrozen and compiled, but the fine-tuning fit left out (its history is the first one)
        compiled(model, rate)
        history_fine = history if unfreeze == "never_fit" else train_one_step(model, course)
        return {"model": model, "history": history, "history_fine": history_fine, "weights_at_start": start,
                "weights_after_frozen": after_frozen, "IMG_SIZE": IMG}

    cases = {
        "unfreezes_everything": ((1e-5, "everything"),
                                 {"fine_tuning_unfreezes_block5_only": "vgg16_transfer.unfrozen_below",
                                  "only_block5_changed_by_fine_tuning": "vgg16_transfer.lower_blocks_changed"}, 1.0),
        "large_learning_rate": ((1e-3, "block5"),
                                {"fine_tuning_learning_rate_is_small": "vgg16_transfer.learning_rate"}, 3.0),
        "never_fit": ((1e-5, "never_fit"),
                      {"only_block5_changed_by_fine_tuning": "vgg16_transfer.block5_unchanged"}, 3.0),
    }
    for case, ((rate, unfreeze), expected, score) in cases.items():
        results = grade(run(rate, unfreeze), context, ["q4"])
        assert failed(results) == expected, (case, {n: r.render("en") for n, r in results.items() if not r.passed})
        assert points(results) == {"q4": score}, case
        if case == "unfreezes_everything":
            text = results["fine_tuning_unfreezes_block5_only"].render("ko")
            assert "block1_conv1" in text and "10" in text, text


# -- q5 accuracy: skipped without pretrained weights ----------------------------------------------------------

def test_accuracy_is_skipped_without_pretrained_weights_and_leaves_the_maximum(context: CheckContext,
                                                                              transfer: dict[str, Any]) -> None:
    results = grade(dict(transfer), context, ["q5"])
    result = results["fine_tuned_model_validation_accuracy"]
    assert result.status == "skipped" and result.key == "check.no_pretrained_weights" and result.measured is None
    scores = score_questions(list(results.values()), {"q5": POINTS["q5"]})
    assert (scores[0].points, scores[0].max_points) == (0.0, 0.0)
    for lang in LANGUAGES:
        assert "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5" in result.render(lang)


# -- the example submissions, graded in the sandbox --------------------------------------------------------

@pytest.fixture(scope="module")
def graded_examples(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The examples and the reference, with an empty Keras home: no pretrained weights, as on this machine."""
    return assignment_helpers.grade_examples(NAME, tmp_path_factory.mktemp(NAME), shared_data,
                                             also={"reference.ipynb": REFERENCE},
                                             env={"KERAS_HOME": str(tmp_path_factory.mktemp("empty-keras-home"))})


@pytest.mark.slow
def test_examples_score_as_intended(graded_examples: dict[str, Any]) -> None:
    assignment_helpers.assert_examples_score_as_intended(graded_examples, EXPECTED_EXAMPLES,
                                                         EXPECTED_EXAMPLE_FAILURES, ignore=("passed", "skipped"))


@pytest.mark.slow
def test_the_accuracy_question_is_skipped_and_the_maximum_is_13(graded_examples: dict[str, Any]) -> None:
    for name, detail in graded_examples["details"].items():
        assert detail["max_points"] == 13.0, name
        q5 = next(q for q in detail["questions"] if q["question"] == "q5")
        assert [c["status"] for c in q5["checks"]] == ["skipped"], name
        assert q5["max_points"] == 0.0
    kim = graded_examples["details"]["kim_minji"]
    assert "사전 학습 가중치" in example_messages(kim)["fine_tuned_model_validation_accuracy"]
    assert "random weights" in kim["output"] or "무작위 가중치" in kim["output"]


@pytest.mark.slow
def test_examples_stay_within_the_grading_budget(graded_examples: dict[str, Any]) -> None:
    assignment_helpers.assert_examples_within_budget(graded_examples, NAME, 0.5)


@pytest.mark.slow
def test_examples_get_korean_feedback_that_names_the_problem(graded_examples: dict[str, Any]) -> None:
    details = graded_examples["details"]
    lee = example_messages(details["lee_junho"])
    assert "30" in lee["trainable_weights_30_then_4"] and "conv_base.trainable = False" in lee[
        "trainable_weights_30_then_4"]
    assert "block1_conv1" in lee["fine_tuning_unfreezes_block5_only"]
    assert "0.001" in lee["fine_tuning_learning_rate_is_small"] and "1e-05" not in lee[
        "fine_tuning_learning_rate_is_small"]
    park = example_messages(details["park_seoyeon"])
    assert "검증 데이터를 증식했습니다" in park["validation_data_is_not_augmented"]
    choi = details["choi_yuna"]
    assert any(cell["ename"] == "ValueError" for cell in choi["cells"])
