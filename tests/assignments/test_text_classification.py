"""The "text_classification" assignment: its checks, one typical mistake at a time, and the examples graded.

Two layers, to keep the cost small:

- In this process, as ``grader.check`` runs on a student's machine: the notebook's functions
  (``vectorize_sequences``, ``to_one_hot``) are taken from the reference and edited into each typical mistake;
  the models are real Keras models of the exercise's architecture, compiled as a student would, and trained
  for real on a few samples with ``batch_size=1`` so that their optimizer makes the same number of steps as
  the exercise's runs (196 for IMDB, 162 for Reuters). The checks that judge training from what the weights
  show on the grader's data (a fresh model fits the validation run's held-out samples like the others; the
  bottleneck's measured test accuracy; accuracy through the student's own ``vectorize_sequences``) get real
  runs on the real data, shared by the module (Reuters about ten seconds each, IMDB about half a minute).
  Each mistake must lose exactly the checks (and so the points) intended for it.
- In the sandbox, once per module: the example submissions are graded through ``autograder.grade.main`` with
  the real data, real training and the calibrated thresholds, and their scores are asserted per question.
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
from autograder.notebook import code_cells, load_notebook
from tests import assignment_helpers
from tests.assignment_helpers import failed

ROOT = Path(__file__).resolve().parents[2]
NAME = "text_classification"
SOLUTION_DIR = ROOT / "solutions" / NAME
MESSAGES = assignment_helpers.messages(SOLUTION_DIR)
REFERENCE = SOLUTION_DIR / f"{NAME}.ipynb"
TEMPLATE = ROOT / "assignments" / NAME / f"{NAME}.ipynb"
EXAMPLES = ROOT / "solutions" / NAME / "examples"
POINTS = {"q1": 4, "q2": 3, "q3": 5, "q4": 3, "q5": 3, "q6": 3, "q7": 2}

FULL = {q: float(p) for q, p in POINTS.items()}
EXPECTED_EXAMPLES = {
    # everything right; integer Reuters labels with sparse_categorical_crossentropy
    "kim_minji": FULL,
    # counts (+= 1) instead of multi-hot: the repeated-indices check (1 of 4); an int one-hot array: the dtype
    # check (1 of 3); the final Reuters model compiled with sparse_categorical_crossentropy for one-hot labels:
    # its fit raises, so loss/labels and the 9-epoch retraining fail (2 of 3) and its accuracy (0 of 3); the
    # bottleneck trained for fewer epochs than the 64-unit model: no fair comparison (1 of 2)
    "lee_junho": {**FULL, "q1": 3.0, "q2": 2.0, "q5": 1.0, "q6": 0.0, "q7": 1.0},
    # vectorize_sequences does not parse: nothing that needs it runs; to_one_hot is right (3); the Reuters
    # models are built and compiled but never trained, so only their loss check passes (1 of 3)
    "park_seoyeon": {**FULL, "q1": 0.0, "q2": 3.0, "q3": 0.0, "q4": 0.0, "q5": 1.0, "q6": 0.0, "q7": 0.0},
}
EXPECTED_EXAMPLE_FAILURES = {
    "kim_minji": {},
    "lee_junho": {"vectorize_repeated_indices": "text_classification.counts_not_multi_hot",
                  "one_hot_returns_floats": "text_classification.not_float_one_hot",
                  "reuters_model_output_and_loss": "text_classification.loss_labels",
                  "reuters_model_retrained_for_9_epochs": "model.weights_unreadable",
                  "reuters_test_accuracy": "model.weights_unreadable",
                  "bottleneck_trained_alike_and_less_accurate": "text_classification.bottleneck_epochs"},
    "park_seoyeon": {**dict.fromkeys(("vectorize_book_example", "vectorize_returns_floats",
                                      "vectorize_repeated_indices", "vectorize_empty_sequences_and_other_dimensions"),
                                     "check.reply_missing"),
                     "imdb_validation_split": "text_classification.value_missing",
                     "imdb_validation_history": "text_classification.value_missing",
                     "imdb_model_architecture": "text_classification.not_built",
                     "imdb_model_output_and_loss": "text_classification.value_missing",
                     "imdb_model_retrained_for_4_epochs": "text_classification.not_retrained",
                     "imdb_test_accuracy": "text_classification.not_built",
                     "reuters_model_architecture": "text_classification.not_built",
                     "reuters_model_retrained_for_9_epochs": "text_classification.not_retrained",
                     "reuters_test_accuracy": "text_classification.not_built",
                     "bottleneck_architecture": "text_classification.not_built",
                     "bottleneck_trained_alike_and_less_accurate": "text_classification.value_missing"},
}

ENCODING_FUNCTIONS = ("def vectorize_sequences(", "def to_one_hot(")


# -- the checks, as the grader loads them ----------------------------------------------------------------

SPECS = assignment_helpers.specs(SOLUTION_DIR)


def test_questions_points_and_visibility_match_the_config() -> None:
    performance = assignment_helpers.performance_after_config_checks(NAME, SOLUTION_DIR, SPECS, POINTS)
    assert performance == {"q4": "imdb_test_accuracy", "q6": "reuters_test_accuracy"}
    assert all(len([s for s in SPECS if s.question == q]) == 1 for q in performance)  # one check: all or nothing
    # every question a student answers has a public check they can run with grader.check
    assert {s.question for s in SPECS if not s.hidden} == set(POINTS) - set(performance)


def test_calibration_is_stored_for_both_accuracies_with_the_book_range() -> None:
    data = json.loads((SOLUTION_DIR / "calibration.json").read_text(encoding="utf-8"))
    metrics = data["metrics"]
    assert set(metrics) == {"imdb_test_accuracy", "reuters_test_accuracy"}
    assert len(data["seeds"]) >= 3 and all(len(m["values"]) == len(data["seeds"]) for m in metrics.values())
    assert 0.86 <= metrics["imdb_test_accuracy"]["reference"] <= 0.90  # the book: about 0.88
    assert 0.76 <= metrics["reuters_test_accuracy"]["reference"] <= 0.82  # the book: about 0.78-0.80
    assert data["budget"] == load_config(ROOT / "grading_config.yaml").limits_for(NAME).model_dump()


def test_messages_have_both_languages_and_render_every_parameter() -> None:
    assignment_helpers.assert_messages_complete(MESSAGES, fix=r"Fix|fix")


# -- running checks in this process -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def context(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> CheckContext:
    """The grader's context: the course's Keras data files (not Keras' own cache) and the calibrated thresholds."""
    files = keras_files.resolve(shared_data, keras_cache=tmp_path_factory.mktemp("no-keras-cache"))
    return assignment_helpers.check_context(SOLUTION_DIR, SPECS, data_files=files)


def grade(namespace: dict[str, Any], context: CheckContext, questions: list[str]) -> dict[str, CheckResult]:
    return assignment_helpers.grade(SPECS, namespace, context, questions)


def points(results: dict[str, CheckResult]) -> dict[str, float]:
    return assignment_helpers.points(results, POINTS)


def notebook_functions(path: Path) -> dict[str, Any]:
    """The notebook's encoding functions, executed in a fresh namespace (NumPy as ``np``)."""
    namespace: dict[str, Any] = {"np": np}
    for cell in code_cells(load_notebook(path.read_bytes(), path.name)):
        if cell.source.startswith(ENCODING_FUNCTIONS):
            exec(compile(cell.source, f"<{path.name} cell {cell.index}>", "exec"), namespace)
    return namespace


def edited(function: str, old: str, new: str) -> dict[str, Any]:
    """The reference's encoding functions with one line of ``function`` edited: a student's typical mistake."""
    sources = [c.source for c in code_cells(load_notebook(REFERENCE.read_bytes(), REFERENCE.name))
               if c.source.startswith(ENCODING_FUNCTIONS)]
    namespace: dict[str, Any] = {"np": np}
    for source in sources:
        if source.startswith(f"def {function}("):
            assert source.count(old) == 1, (function, old)
            source = source.replace(old, new)
        exec(compile(source, "<edited>", "exec"), namespace)
    return namespace


# -- q1 / q2 encodings ------------------------------------------------------------------------------------

ENCODING_MISTAKES: dict[str, tuple[str, str, str, dict[str, str]]] = {
    # name: (function, reference text, mistake, {failing check: message key})
    "counts_repeats": ("vectorize_sequences", "results[i, sequence] = 1.",
                       "for j in sequence:\n            results[i, j] += 1.",
                       {"vectorize_repeated_indices": "text_classification.counts_not_multi_hot"}),
    "ignores_dimension": ("vectorize_sequences", "np.zeros((len(sequences), dimension)",
                          "np.zeros((len(sequences), 10000)",
                          {"vectorize_empty_sequences_and_other_dimensions": "check.shape"}),
    "float_index_fails_on_empty": ("vectorize_sequences", "results[i, sequence] = 1.",
                                   "results[i, np.array(sequence)] = 1.",
                                   {"vectorize_empty_sequences_and_other_dimensions": "check.raised"}),
    "int_multi_hot": ("vectorize_sequences", 'dtype="float32"', "dtype=int",
                      {"vectorize_returns_floats": "text_classification.not_float"}),
    "int_one_hot": ("to_one_hot", "np.zeros((len(labels), dimension))", "np.zeros((len(labels), dimension), "
                    "dtype=np.int64)", {"one_hot_returns_floats": "text_classification.not_float_one_hot"}),
    "one_hot_ignores_dimension": ("to_one_hot", "np.zeros((len(labels), dimension))", "np.zeros((len(labels), 46))",
                                  {"one_hot_random_and_real_labels": "check.shape"}),
}


def test_reference_and_example_encodings_earn_full_marks(context: CheckContext) -> None:
    for path in (REFERENCE, EXAMPLES / "kim_minji.ipynb"):
        results = grade(notebook_functions(path), context, ["q1", "q2"])
        assert failed(results) == {}, (path.name, {n: r.render("en") for n, r in results.items()})
        assert points(results) == {"q1": 4.0, "q2": 3.0}


def test_reference_one_hot_agrees_with_to_categorical(context: CheckContext) -> None:
    import keras

    to_one_hot = notebook_functions(REFERENCE)["to_one_hot"]
    (_, labels), _ = datasets.load("reuters", context.data_files, num_words=10_000)
    assert np.array_equal(to_one_hot(labels), keras.utils.to_categorical(labels, 46))


@pytest.mark.parametrize("mistake", list(ENCODING_MISTAKES))
def test_each_encoding_mistake_loses_exactly_its_check(mistake: str, context: CheckContext) -> None:
    function, old, new, expected = ENCODING_MISTAKES[mistake]
    results = grade(edited(function, old, new), context, ["q1", "q2"])
    assert failed(results) == expected, {n: r.render("en") for n, r in results.items()}
    question = results[next(iter(expected))].question
    assert points(results) == {"q1": 4.0, "q2": 3.0, question: POINTS[question] - 1.0}  # one point per check


def test_the_unanswered_template_earns_nothing(context: CheckContext) -> None:
    results = grade(notebook_functions(TEMPLATE), context, list(POINTS))
    assert not any(r.passed for r in results.values())


# -- models: real Keras models of the exercise, trained for the exercise's number of steps -------------------

IMDB_UNITS, IMDB_ACTIVATIONS = (16, 16, 1), ("relu", "relu", "sigmoid")
REUTERS_UNITS, REUTERS_ACTIVATIONS = (64, 64, 46), ("relu", "relu", "softmax")
IMDB_STEPS = 4 * 49  # 4 epochs x 49 batches of 512 (25,000 reviews)
REUTERS_STEPS = 9 * 18  # 9 epochs x 18 batches of 512 (8,982 newswires)
VALIDATION_RUN_STEPS = 6 * 30  # the notebook's IMDB validation run: 6 epochs x 30 batches (15,000 reviews)


def dense_model(units: tuple[int, ...], activations: tuple[str, ...], *, inputs: int = 10_000) -> Any:
    import keras

    return keras.Sequential([keras.Input((inputs,))] + [keras.layers.Dense(u, activation=a)
                                                          for u, a in zip(units, activations, strict=True)])


def trained(model: Any, loss: str, labels: np.ndarray, *fits: int, optimizer: str = "rmsprop") -> Any:
    """Compile, then ``fit`` for real once per entry of ``fits``, each that many optimizer steps (batch size 1)."""
    model.compile(optimizer=optimizer, loss=loss, metrics=["accuracy"])
    rng = np.random.default_rng(0)
    for steps in fits:
        x = (rng.random((steps, model.inputs[0].shape[-1])) < 0.01).astype("float32")
        model.fit(x, labels[:steps], epochs=1, batch_size=1, verbose=0)
    return model


def history(epochs: int, *, best: float = 0.8, validation: bool = True) -> Any:
    """A Keras ``History`` as ``fit`` leaves it: per-epoch floats, validation accuracy peaking at ``best``."""
    import keras

    record = {"loss": [1.0 / (e + 1) for e in range(epochs)], "accuracy": [0.5 + 0.04 * e for e in range(epochs)]}
    if validation:
        record["val_loss"] = [0.5 + 0.02 * (e - 3) ** 2 for e in range(epochs)]
        record["val_accuracy"] = [best - 0.01 * abs(e - 3) for e in range(epochs)]
    value = keras.callbacks.History()
    value.history = record
    return value


def one_hot_labels(labels: np.ndarray) -> np.ndarray:
    return np.eye(46, dtype="float32")[labels]


@pytest.fixture(scope="module")
def imdb_labels(context: CheckContext) -> np.ndarray:
    (_, labels), _ = datasets.load("imdb", context.data_files, num_words=10_000)
    return np.asarray(labels).astype("float32")


@pytest.fixture(scope="module")
def reuters_labels(context: CheckContext) -> np.ndarray:
    (_, labels), _ = datasets.load("reuters", context.data_files, num_words=10_000)
    return np.asarray(labels)


@pytest.fixture(scope="module")
def imdb_model(imdb_labels: np.ndarray) -> Any:
    """The exercise's IMDB model, compiled as asked and retrained from scratch for 196 steps."""
    return trained(dense_model(IMDB_UNITS, IMDB_ACTIVATIONS), "binary_crossentropy", imdb_labels, IMDB_STEPS)


@pytest.fixture(scope="module")
def reuters_model(reuters_labels: np.ndarray) -> Any:
    """The exercise's Reuters model with one-hot labels, retrained from scratch for 162 steps."""
    return trained(dense_model(REUTERS_UNITS, REUTERS_ACTIVATIONS), "categorical_crossentropy",
                   one_hot_labels(reuters_labels), REUTERS_STEPS)


def imdb_namespace(labels: np.ndarray, trained_model: Any, **changes: Any) -> dict[str, Any]:
    """What the notebook leaves for question 3 when answered as asked, with ``changes``."""
    namespace = {"y_train": labels, "y_val": labels[:10_000], "partial_y_train": labels[10_000:],
                 "history": history(6), "model": trained_model}
    namespace.update(changes)
    return namespace


def test_imdb_reference_shaped_answers_pass_q3(context: CheckContext, imdb_labels: np.ndarray,
                                               imdb_model: Any) -> None:
    results = grade(imdb_namespace(imdb_labels, imdb_model), context, ["q3"])
    assert failed(results) == {} and points(results) == {"q3": 5.0}


def test_each_imdb_mistake_loses_exactly_one_check(context: CheckContext, imdb_labels: np.ndarray,
                                                   imdb_model: Any) -> None:
    def model(units: tuple[int, ...] = IMDB_UNITS, activations: tuple[str, ...] = IMDB_ACTIVATIONS,
              loss: str = "binary_crossentropy", steps: tuple[int, ...] = (IMDB_STEPS,), **options: Any) -> Any:
        return trained(dense_model(units, activations), loss, imdb_labels, *steps, **options)

    labels = imdb_labels
    mistakes: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
        # kept training the validation run's model instead of building a fresh one
        "continued_the_validation_model": ({"model": model(steps=(VALIDATION_RUN_STEPS, IMDB_STEPS))},
                                           {"imdb_model_retrained_for_4_epochs": "text_classification.not_retrained"}),
        # the validation set taken from the end instead of the first 10,000
        "validation_from_the_end": ({"y_val": labels[-10_000:], "partial_y_train": labels[:-10_000]},
                                    {"imdb_validation_split": "text_classification.split_values"}),
        # the Reuters split size (1,000) used for IMDB
        "validation_of_1000": ({"y_val": labels[:1_000], "partial_y_train": labels[1_000:]},
                               {"imdb_validation_split": "text_classification.labels_shape"}),
        # fit without validation_data: no val_loss to read the overfitting from
        "no_validation_data": ({"history": history(6, validation=False)},
                               {"imdb_validation_history": "model.history_lacks"}),
        "too_short_validation_run": ({"history": history(3)},
                                     {"imdb_validation_history": "text_classification.history_epochs"}),
        "first_layer_32_units": ({"model": model(units=(32, 16, 1))},
                                 {"imdb_model_architecture": "model.layer_output_shape"}),
        # a linear output: the loss is right but the output is no probability
        "no_sigmoid": ({"model": model(activations=("relu", "relu", "linear"))},
                       {"imdb_model_output_and_loss": "model.last_activation"}),
        # the book mentions mse; the exercise (and the 0/1 labels) ask for binary_crossentropy
        "mse_loss": ({"model": model(loss="mse")}, {"imdb_model_output_and_loss": "text_classification.loss_labels"}),
        "adam_optimizer": ({"model": model(optimizer="adam")}, {"imdb_model_output_and_loss": "model.optimizer"}),
    }
    rendered = {}
    for mistake, (changes, expected) in mistakes.items():
        results = grade(imdb_namespace(imdb_labels, imdb_model, **changes), context, ["q3"])
        assert failed(results) == expected, (mistake, {n: r.render("en") for n, r in results.items()})
        assert points(results) == {"q3": 4.0}, mistake
        rendered[mistake] = {lang: results[next(iter(expected))].render(lang) for lang in LANGUAGES}
    text = rendered["continued_the_validation_model"]
    assert "376" in text["en"] and "196" in text["en"] and "`model`" in text["en"]  # 6 x 30 + 4 x 49 steps
    assert "새 모델" in text["ko"] and "376" in text["ko"]
    text = rendered["mse_loss"]
    assert all("`y_train`" in t and "mean_squared_error" in t and "binary_crossentropy" in t for t in text.values())


# -- Reuters ----------------------------------------------------------------------------------------------

def reuters_namespace(labels: np.ndarray, model: Any, bottleneck: Any, **changes: Any) -> dict[str, Any]:
    """What the notebook leaves for questions 5-7 when answered as asked, with ``changes``: ``bottleneck`` is a
    real 4-unit model trained on the validation run's data for 12 epochs (the grader measures its accuracy)."""
    namespace = {"reuters_y_train": one_hot_labels(labels), "reuters_model": model,
                 "reuters_history": history(12, best=0.81), "bottleneck_history": history(12, best=0.70),
                 "bottleneck_model": bottleneck}
    namespace.update(changes)
    return namespace


@pytest.fixture(scope="module")
def bottleneck(reuters_data: dict[str, Any]) -> Any:
    """The 4-unit bottleneck, trained as the notebook trains it (12 epochs on the 7,982 samples, batch 512)."""
    import keras

    keras.utils.set_random_seed(4)
    return reuters_fit(reuters_data["x"], reuters_data["labels"], 12, middle=4, validation=True)


def test_both_correct_reuters_label_encodings_pass(context: CheckContext, reuters_labels: np.ndarray,
                                                   reuters_model: Any, bottleneck: Any) -> None:
    integer_model = trained(dense_model(REUTERS_UNITS, REUTERS_ACTIVATIONS), "sparse_categorical_crossentropy",
                            reuters_labels, REUTERS_STEPS)
    for namespace in (reuters_namespace(reuters_labels, reuters_model, bottleneck),
                      reuters_namespace(reuters_labels, integer_model, bottleneck, reuters_y_train=reuters_labels)):
        results = grade(namespace, context, ["q5", "q7"])
        assert failed(results) == {} and points(results) == {"q5": 3.0, "q7": 2.0}


def test_loss_that_does_not_fit_the_labels_is_diagnosed_by_name(context: CheckContext, reuters_labels: np.ndarray,
                                                                  bottleneck: Any) -> None:
    import keras

    # one-hot labels with sparse_categorical_crossentropy, as a student writes it (no Input layer): Keras builds
    # the model in fit, then refuses the labels; the .keras file it saves afterwards has weights it cannot read
    # back, so the architecture and loss are read from the saved configuration
    model = keras.Sequential([keras.layers.Dense(u, activation=a) for u, a in zip(REUTERS_UNITS, REUTERS_ACTIVATIONS,
                                                                                 strict=True)])
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    with pytest.raises(ValueError):
        model.fit(np.zeros((4, 10_000), "float32"), one_hot_labels(reuters_labels[:4]), epochs=1, verbose=0)
    results = grade(reuters_namespace(reuters_labels, model, bottleneck), context, ["q5", "q6"])
    assert failed(results) == {"reuters_model_output_and_loss": "text_classification.loss_labels",
                               "reuters_model_retrained_for_9_epochs": "model.weights_unreadable",
                               "reuters_test_accuracy": "model.weights_unreadable"}
    assert points(results) == {"q5": 1.0, "q6": 0.0}
    for lang in LANGUAGES:
        text = results["reuters_model_output_and_loss"].render(lang)
        assert "`reuters_y_train`" in text and "one_hot" in text and "sparse_categorical_crossentropy" in text
        assert "fit" in results["reuters_model_retrained_for_9_epochs"].render(lang)
    # integer labels with categorical_crossentropy, the other way round (a model never trained, with an Input)
    model = dense_model(REUTERS_UNITS, REUTERS_ACTIVATIONS)
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    results = grade(reuters_namespace(reuters_labels, model, bottleneck, reuters_y_train=reuters_labels), context,
                    ["q5"])
    assert results["reuters_model_output_and_loss"].key == "text_classification.loss_labels"
    assert "integer" in results["reuters_model_output_and_loss"].render("en")


def test_each_reuters_and_bottleneck_mistake_loses_exactly_one_check(context: CheckContext,
                                                                      reuters_labels: np.ndarray,
                                                                      reuters_model: Any, bottleneck: Any,
                                                                      reuters_data: dict[str, Any]) -> None:
    import keras

    one_hot = one_hot_labels(reuters_labels)
    keras.utils.set_random_seed(16)
    sixteen_units = reuters_fit(reuters_data["x"], reuters_data["labels"], 12, middle=16, validation=True)
    mistakes: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
        "sigmoid_output": ({"reuters_model": trained(dense_model(REUTERS_UNITS, ("relu", "relu", "sigmoid")),
                                                     "categorical_crossentropy", one_hot, REUTERS_STEPS)},
                           {"reuters_model_output_and_loss": "model.last_activation"}),
        "middle_layer_32": ({"reuters_model": trained(dense_model((64, 32, 46), REUTERS_ACTIVATIONS),
                                                      "categorical_crossentropy", one_hot, REUTERS_STEPS)},
                            {"reuters_model_architecture": "model.layer_output_shape"}),
        # the final model trained on the 7,982 samples of the validation run (16 batches) for 9 epochs
        "final_model_without_the_validation_samples": (
            {"reuters_model": trained(dense_model(REUTERS_UNITS, REUTERS_ACTIVATIONS), "categorical_crossentropy",
                                      one_hot, 9 * 16)},
            {"reuters_model_retrained_for_9_epochs": "text_classification.not_retrained"}),
        # a middle layer of 16: trained like the 64-unit run, still less accurate, but not the bottleneck asked for
        "bottleneck_with_16_units": ({"bottleneck_model": sixteen_units},
                                     {"bottleneck_architecture": "model.layer_output_shape"}),
        # the 64-unit validation run had 5 epochs, the bottleneck (192 steps) 12
        "bottleneck_trained_longer": ({"reuters_history": history(5, best=0.75)},
                                      {"bottleneck_trained_alike_and_less_accurate":
                                        "text_classification.bottleneck_epochs"}),
        "reuters_history_not_kept": ({"reuters_history": None},
                                     {"bottleneck_trained_alike_and_less_accurate": "model.not_a_history"}),
    }
    for mistake, (changes, expected) in mistakes.items():
        results = grade(reuters_namespace(reuters_labels, reuters_model, bottleneck, **changes), context,
                        ["q5", "q7"])
        assert failed(results) == expected, (mistake, {n: r.render("en") for n, r in results.items()})
        question = results[next(iter(expected))].question
        lost = {"q5": 1.0, "q7": 1.0}[question]  # q5: 3 points over 3 checks, q7: 2 over 2
        assert points(results) == {"q5": 3.0, "q7": 2.0, question: POINTS[question] - lost}, mistake


# -- accuracy measured by the grader ------------------------------------------------------------------------

def test_untrained_and_wrong_input_models_fail_the_accuracy_checks(context: CheckContext) -> None:
    namespace = {"model": dense_model(IMDB_UNITS, IMDB_ACTIVATIONS),
                 "reuters_model": dense_model(REUTERS_UNITS, REUTERS_ACTIVATIONS, inputs=5_000)}
    results = grade(namespace, context, ["q4", "q6"])
    imdb, reuters = results["imdb_test_accuracy"], results["reuters_test_accuracy"]
    assert imdb.key == "check.metric_too_low" and imdb.measured is not None and 0.3 < imdb.measured < 0.7
    assert "imdb_test_accuracy" in imdb.render("en")
    assert reuters.key == "text_classification.cannot_evaluate" and reuters.status == "failed"
    assert "10,000" in reuters.render("en") and "10,000" in reuters.render("ko")


def test_hostile_models_are_refused_by_name_without_running_them(context: CheckContext, imdb_labels: np.ndarray,
                                                                  imdb_model: Any) -> None:
    import keras

    lambda_model = keras.Sequential([keras.Input((10_000,)), keras.layers.Dense(16, activation="relu"),
                                     keras.layers.Lambda(lambda t: t * 2.0),
                                     keras.layers.Dense(1, activation="sigmoid")])
    lambda_model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])

    @keras.saving.register_keras_serializable(package="student")
    class Sneaky(keras.layers.Dense):  # a custom class Keras would import and run on load
        pass

    custom_model = keras.Sequential([keras.Input((10_000,)), Sneaky(16, activation="relu"),
                                     keras.layers.Dense(16, activation="relu"),
                                     keras.layers.Dense(1, activation="sigmoid")])
    custom_model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    for model, key in ((lambda_model, "model.lambda_refused"), (custom_model, "model.custom_refused")):
        results = grade(imdb_namespace(imdb_labels, model), context, ["q3", "q4"])
        refused = {name for name, r in results.items() if r.key == key}
        assert refused == {"imdb_model_architecture", "imdb_model_output_and_loss",
                           "imdb_model_retrained_for_4_epochs", "imdb_test_accuracy"}, key
        assert points(results) == {"q3": 2.0, "q4": 0.0}
    # a model file over the assignment's cap is refused before Keras reads it
    small = CheckContext(lang="en", data_files=context.data_files, thresholds=context.thresholds, model_bytes=4096)
    results = grade(imdb_namespace(imdb_labels, imdb_model), small, ["q3"])
    assert results["imdb_model_architecture"].key == "model.too_large"


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
    assignment_helpers.assert_examples_within_budget(graded_examples, NAME, 0.8)  # about 100 s on 2 idle cores


@pytest.mark.slow
def test_broken_and_wrong_examples_get_korean_feedback_that_names_the_problem(
        graded_examples: dict[str, Any]) -> None:
    details = graded_examples["details"]
    park = details["park_seoyeon"]
    assert {cell["ename"] for cell in park["cells"]} == {"SyntaxError", "NameError"}
    lee = {c["name"]: c["message"] for q in details["lee_junho"]["questions"] for c in q["checks"]}
    assert "reuters_y_train" in lee["reuters_model_output_and_loss"] and "고치는 법" in lee[
        "reuters_model_output_and_loss"]
    assert "1보다 큰 값" in lee["vectorize_repeated_indices"]
    kim = details["kim_minji"]
    measured = {c["name"]: c.get("measured") for q in kim["questions"] for c in q["checks"]}
    assert measured["imdb_test_accuracy"] > 0.85 and measured["reuters_test_accuracy"] > 0.75



# -- issue 12: verdicts rest on what the grader measures itself ----------------------------------------------
# Real Reuters runs (8,982 newswires, about ten seconds each on two cores), shared by the module.

def counts(sequences: Any, dimension: int = 10_000) -> np.ndarray:
    """Word counts instead of multi-hot: question 1's typical mistake (``results[i, j] += 1``)."""
    results = np.zeros((len(sequences), dimension), dtype="float32")
    for i, sequence in enumerate(sequences):
        for j in sequence:
            results[i, j] += 1.
    return results


def multi_hot(sequences: Any, dimension: int = 10_000) -> np.ndarray:
    results = np.zeros((len(sequences), dimension), dtype="float32")
    for i, sequence in enumerate(sequences):
        results[i, sequence] = 1.
    return results


@pytest.fixture(scope="module")
def reuters_data(context: CheckContext) -> dict[str, Any]:
    (train, labels), (test, test_labels) = datasets.load("reuters", context.data_files, num_words=10_000)
    return {"train": train, "labels": np.asarray(labels), "test": test, "test_labels": np.asarray(test_labels),
            "x": multi_hot(train)}


def reuters_fit(x: np.ndarray, labels: np.ndarray, epochs: int, *, middle: int = 64, model: Any = None,
                validation: bool = False) -> Any:
    """The exercise's Reuters model (or ``model``, trained on), fit as the notebook does (batch 512)."""
    if model is None:
        model = dense_model((64, middle, 46), REUTERS_ACTIVATIONS)
        model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    if validation:  # the validation run: the first 1,000 held out
        model.fit(x[1_000:], labels[1_000:], epochs=epochs, batch_size=512, verbose=0)
    else:
        model.fit(x, labels, epochs=epochs, batch_size=512, verbose=0)
    return model


@pytest.fixture(scope="module")
def counts_reuters_model(reuters_data: dict[str, Any]) -> Any:
    """A Reuters model trained (9 epochs, all data) on the word counts a wrong ``vectorize_sequences`` makes."""
    import keras

    keras.utils.set_random_seed(12)
    return reuters_fit(counts(reuters_data["train"]), reuters_data["labels"], 9)


def test_a_counting_vectorize_costs_question_1_not_the_reuters_accuracy(context: CheckContext,
                                                                         reuters_data: dict[str, Any],
                                                                         counts_reuters_model: Any) -> None:
    """The model is evaluated through the student's own ``vectorize_sequences``, the pipeline it was trained with:
    the counting mistake loses its q1 check and nothing in q6."""
    functions = edited("vectorize_sequences", "results[i, sequence] = 1.",
                       "for j in sequence:\n            results[i, j] += 1.")
    namespace = {**functions, "reuters_model": counts_reuters_model, "reuters_y_train": reuters_data["labels"]}
    results = grade(namespace, context, ["q1", "q6"])
    assert failed(results) == {"vectorize_repeated_indices": "text_classification.counts_not_multi_hot"}
    assert points(results) == {"q1": 3.0, "q6": 3.0}
    measured = results["reuters_test_accuracy"].measured
    on_counts = np.mean(np.argmax(counts_reuters_model.predict(counts(reuters_data["test"]), verbose=0), axis=1)
                        == reuters_data["test_labels"])
    assert measured == pytest.approx(on_counts, abs=1e-9)


def test_accuracy_falls_back_to_multi_hot_when_vectorize_fails_on_the_test_data(context: CheckContext,
                                                                                reuters_data: dict[str, Any],
                                                                                counts_reuters_model: Any) -> None:
    def broken(sequences: Any, dimension: int = 10_000) -> Any:
        raise ValueError("not today")

    on_multi_hot = np.mean(np.argmax(counts_reuters_model.predict(multi_hot(reuters_data["test"]), verbose=0),
                                     axis=1) == reuters_data["test_labels"])
    for function in (broken, lambda sequences, dimension=10_000: [1, 2, 3], None):
        namespace = {"reuters_model": counts_reuters_model, "vectorize_sequences": function}
        if function is None:
            del namespace["vectorize_sequences"]
        result = grade(namespace, context, ["q6"])["reuters_test_accuracy"]
        assert result.measured == pytest.approx(on_multi_hot, abs=1e-9)


def test_a_bottleneck_never_trained_with_a_made_up_history_loses_the_lesson(context: CheckContext,
                                                                           reuters_labels: np.ndarray,
                                                                           reuters_model: Any) -> None:
    """The lesson is judged from ``bottleneck_model`` itself: a plain dict as ``bottleneck_history`` says nothing."""
    untrained = dense_model((64, 4, 46), REUTERS_ACTIVATIONS)
    untrained.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    made_up = {"loss": [1.0] * 12, "accuracy": [0.6] * 12, "val_loss": [1.2] * 12, "val_accuracy": [0.65] * 12}
    results = grade(reuters_namespace(reuters_labels, reuters_model, untrained, bottleneck_history=made_up),
                    context, ["q7"])
    assert failed(results) == {"bottleneck_trained_alike_and_less_accurate": "text_classification.bottleneck_epochs"}
    assert points(results) == {"q7": 1.0}
    assert all("0" in t and "192" in t for t in (results["bottleneck_trained_alike_and_less_accurate"].render(lang)
                                                   for lang in LANGUAGES))
    # the step counter of the exercise, but trained on noise: the grader's measurement shows it learned nothing
    noise = trained(dense_model((64, 4, 46), REUTERS_ACTIVATIONS), "categorical_crossentropy",
                    one_hot_labels(np.random.default_rng(1).permutation(reuters_labels)), 192)
    result = grade(reuters_namespace(reuters_labels, reuters_model, noise), context, ["q7"])[
        "bottleneck_trained_alike_and_less_accurate"]
    assert result.key == "text_classification.bottleneck_untrained"
    assert "36%" in result.render("en") and "36%" in result.render("ko")


def test_the_bottleneck_is_compared_with_the_calibrated_64_unit_accuracy(context: CheckContext,
                                                                         reuters_labels: np.ndarray,
                                                                         reuters_model: Any, bottleneck: Any) -> None:
    from autograder.checks.core import Threshold

    low = dict(context.thresholds)
    low["reuters_test_accuracy"] = Threshold("reuters_test_accuracy", reference=0.5, threshold=0.48)
    strict = CheckContext(lang="en", data_files=context.data_files, thresholds=low)
    result = grade(reuters_namespace(reuters_labels, reuters_model, bottleneck), strict, ["q7"])[
        "bottleneck_trained_alike_and_less_accurate"]
    assert result.key == "text_classification.bottleneck_not_lower" and "50.0%" in result.render("en")


@pytest.fixture(scope="module")
def imdb_runs(context: CheckContext, imdb_labels: np.ndarray) -> dict[str, Any]:
    """Real IMDB runs on all 25,000 reviews: a fresh model (functional API) trained for 4 epochs, and the validation
    run's model (6 epochs on the last 15,000) trained on for 4 epochs with its step counter set to 196."""
    import keras
    from keras import layers

    (train, _), _ = datasets.load("imdb", context.data_files, num_words=10_000)
    x, y = multi_hot(train), imdb_labels
    keras.utils.set_random_seed(25)
    inputs = keras.Input((10_000,))
    hidden = layers.Dense(16, activation="relu")(layers.Dense(16, activation="relu")(inputs))
    fresh = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(hidden))
    fresh.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    fresh.fit(x, y, epochs=4, batch_size=512, verbose=0)
    continued = dense_model(IMDB_UNITS, IMDB_ACTIVATIONS)
    continued.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    continued.fit(x[10_000:], y[10_000:], epochs=6, batch_size=512, validation_data=(x[:10_000], y[:10_000]),
                  verbose=0)
    continued.fit(x, y, epochs=4, batch_size=512, verbose=0)
    continued.optimizer.iterations.assign(IMDB_STEPS)
    return {"fresh": fresh, "continued": continued}


def test_a_fresh_imdb_model_in_the_functional_api_earns_all_of_q3(context: CheckContext, imdb_labels: np.ndarray,
                                                                  imdb_runs: dict[str, Any]) -> None:
    results = grade(imdb_namespace(imdb_labels, imdb_runs["fresh"]), context, ["q3"])
    assert failed(results) == {} and points(results) == {"q3": 5.0}


def test_the_validation_model_trained_on_with_its_step_counter_set_is_not_fresh(context: CheckContext,
                                                                               imdb_labels: np.ndarray,
                                                                               imdb_runs: dict[str, Any]) -> None:
    """``model.optimizer.iterations.assign(196)`` makes the counter right; the weights still show 10 epochs on the
    last 15,000 reviews and 4 on the first 10,000."""
    results = grade(imdb_namespace(imdb_labels, imdb_runs["continued"]), context, ["q3"])
    assert failed(results) == {"imdb_model_retrained_for_4_epochs": "text_classification.not_fresh"}
    assert points(results) == {"q3": 4.0}
    for lang in LANGUAGES:
        text = results["imdb_model_retrained_for_4_epochs"].render(lang)
        assert "10,000" in text and "15,000" in text and "196" in text


def test_the_reuters_validation_model_trained_on_is_not_fresh_either(context: CheckContext,
                                                                     reuters_data: dict[str, Any],
                                                                     bottleneck: Any) -> None:
    """The same forgery in question 5: the 64-unit validation run (12 epochs on the last 7,982) trained on for 9
    epochs, its counter set to 162; a really fresh model, trained 9 epochs on all 8,982, passes."""
    import keras

    x, labels = reuters_data["x"], reuters_data["labels"]
    keras.utils.set_random_seed(9)
    fresh = reuters_fit(x, labels, 9)
    continued = reuters_fit(x, labels, 12, validation=True)
    continued = reuters_fit(x, labels, 9, model=continued)
    continued.optimizer.iterations.assign(REUTERS_STEPS)
    for model, expected in ((fresh, {}), (continued,
                                          {"reuters_model_retrained_for_9_epochs": "text_classification.not_fresh"})):
        results = grade(reuters_namespace(labels, model, bottleneck, reuters_y_train=labels), context, ["q5"])
        assert failed(results) == expected, {n: r.render("en") for n, r in results.items()}
