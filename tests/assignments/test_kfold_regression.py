"""The "kfold_regression" assignment (Boston housing, K-fold validation): checks, examples, calibration.

Three layers, cheapest first:
- no training: configuration, check weights, messages, the generated student notebook, and each
  diagnosis of the array-only checks (standardize, k_fold_split, smooth_curve) on small functions run here;
- in this process, as ``grader.check`` runs on a student's machine: the reference and one submission per
  mistake the issue names (the reference notebook with that one answer changed), every check run and the
  points per question asserted. The exploration cells (not graded: they only feed the printed curve) are
  skipped; the final model cell runs as written (80 epochs), once per distinct training data (as
  standardised), build_model and final cell; likewise, notebooks with the same build_model,
  k_fold_split and k_fold_validate get the same answer from the grader's call of k_fold_validate, so
  that call is made once per distinct set of those three answers;
- in the sandbox, through ``autograder.grade.main``: the four example submissions, in one run.
"""

from __future__ import annotations

import json
import re
import shutil
import string
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import nbformat
import numpy as np
import pytest

from autograder.checks import CheckResult, load_checks, run_checks
from autograder.checks.core import CheckContext
from autograder.config import load_config
from autograder.grade.calibration import load_thresholds
from autograder.i18n import LANGUAGES, catalogue
from autograder.notebook import CodeCell
from autograder.results import score_questions
from autograder.sandbox.session import Reply
from autograder.student import LocalHandle
from tests import assignment_helpers

ROOT = Path(__file__).resolve().parents[2]
SOLUTION_DIR = ROOT / "solutions" / "kfold_regression"
assignment_helpers.messages(SOLUTION_DIR)  # its keys render in this process, as in the grader's
REFERENCE = SOLUTION_DIR / "kfold_regression.ipynb"
EXAMPLES = ROOT / "solutions" / "kfold_regression" / "examples"
POINTS = {"q1": 2.0, "q2": 3.0, "q3": 4.0, "q4": 2.0, "q5": 3.0}
FULL = dict(POINTS)
ANSWER_CELLS = ("q1-answer", "q2-answer", "q3-split-answer", "q3-validate-answer", "q4-answer", "q5-answer")
UNGRADED_CELLS = ("explore", "curve")


def lose(**lost: float) -> dict[str, float]:
    return {q: p - lost.get(q, 0.0) for q, p in POINTS.items()}


@cache
def specs() -> tuple[Any, ...]:
    return tuple(assignment_helpers.specs(SOLUTION_DIR))


def points(results: list[CheckResult] | tuple[CheckResult, ...]) -> dict[str, float]:
    return {q.question: q.points for q in score_questions(results, POINTS)}


def failures(results: list[CheckResult] | tuple[CheckResult, ...]) -> dict[str, str | None]:
    return {r.name: r.key for r in results if not r.passed}


def reference_cells() -> dict[str, str]:
    notebook = nbformat.read(REFERENCE, as_version=4)
    return {cell.id: cell.source for cell in notebook.cells if cell.cell_type == "code"}


def with_body(cell_id: str, body: str) -> str:
    """The reference cell ``cell_id`` with its solution region replaced by ``body``."""
    source = reference_cells()[cell_id]
    start, end = source.index("### BEGIN SOLUTION"), source.index("### END SOLUTION") + len("### END SOLUTION")
    indent = source[:start].rsplit("\n", 1)[-1]
    return source[:start - len(indent)] + "\n".join(indent + line if line else line
                                                    for line in body.strip("\n").splitlines()) + source[end:]


# ---------------------------------------------------------------------------------------------------
# configuration, checks, messages, notebooks (no TensorFlow)


def test_config_points_and_cpu_budget() -> None:
    config = load_config(ROOT / "grading_config.yaml")
    settings = config.assignments["kfold_regression"]
    assert settings.points == POINTS
    limits = config.limits_for("kfold_regression")
    assert limits.call_time_s >= 30 and limits.wall_time_s <= 300 and limits.cell_time_s <= 120


def test_every_check_weighs_one_and_q5_is_the_calibrated_test_mae() -> None:
    by_question: dict[str, list[Any]] = {}
    for spec in specs():
        by_question.setdefault(spec.question, []).append(spec)
    assert sorted(by_question) == sorted(POINTS)
    assert {q: len(s) for q, s in by_question.items()} == {"q1": 2, "q2": 3, "q3": 5, "q4": 2, "q5": 1}
    assert all(spec.weight == 1.0 for spec in specs())
    (final,) = by_question["q5"]
    assert final.hidden and final.metric is not None
    assert (final.metric.name, final.metric.goal, final.metric.margin) == ("boston_test_mae", "min", 0.5)
    assert all(not s.hidden for s in load_checks(SOLUTION_DIR / "public_checks.py"))
    assert all(s.hidden for s in load_checks(SOLUTION_DIR / "hidden_checks.py"))
    assert len({s.name for s in specs()}) == len(specs())


def test_every_message_key_the_checks_raise_exists_in_both_languages_with_the_same_fields() -> None:
    text = "".join(p.read_text() for p in [*SOLUTION_DIR.glob("*_checks.py"), SOLUTION_DIR / "reference.py"])
    keys = set(re.findall(r'"(kfold_regression\.\w+)"', text))
    assert len(keys) >= 30
    ours = {k for k in catalogue() if k.startswith("kfold_regression.")}
    assert keys == ours  # every message is used, every key used has a message
    for key in ours:
        fields = [{f for _, f, _, _ in string.Formatter().parse(catalogue()[key][lang]) if f} for lang in LANGUAGES]
        assert fields[0] == fields[1], key
        assert "Fix" in catalogue()[key]["en"] and "고치는 법" in catalogue()[key]["ko"], key


def test_calibration_is_stored_next_to_the_reference_and_near_the_book() -> None:
    data = json.loads((SOLUTION_DIR / "calibration.json").read_text(encoding="utf-8"))
    entry = data["metrics"]["boston_test_mae"]
    assert data["seeds"] == [0, 1, 2] and len(entry["values"]) == 3
    assert entry["reference"] == max(entry["values"])  # the worst seed: an error, lower is better
    assert entry["threshold"] == pytest.approx(entry["reference"] + 0.5)
    assert 2.0 < entry["reference"] < 3.5  # the book: about 2.5-2.6 thousand dollars
    metrics = {s.metric.name: s.metric for s in specs() if s.metric is not None}
    assert load_thresholds(SOLUTION_DIR, metrics)["boston_test_mae"].threshold == pytest.approx(entry["threshold"])


def test_the_committed_student_notebook_is_the_generated_one(tmp_path: Path) -> None:
    from autograder import assign

    for name in ("solutions", "assignments"):
        (tmp_path / name).mkdir()
    shutil.copytree(SOLUTION_DIR, tmp_path / "solutions" / "kfold_regression")
    shutil.copy(ROOT / "grading_config.yaml", tmp_path)
    made = assign.main(assignment="kfold_regression", config_path=tmp_path / "grading_config.yaml")
    assert made.regions == len(ANSWER_CELLS)
    committed = ROOT / "assignments" / "kfold_regression"
    assert made.notebook.read_text(encoding="utf-8") == (committed / "kfold_regression.ipynb").read_text(
        encoding="utf-8")
    assert (committed / "public_checks.py").read_text() == (SOLUTION_DIR / "public_checks.py").read_text()
    assert not (committed / "hidden_checks.py").exists() and not (committed / "calibration.json").exists()
    assert not (committed / "reference.py").exists()
    assert made.public_expected is not None
    assert (committed / "public_expected.json").read_text() == made.public_expected.read_text()
    handed_out = (committed / "public_checks.py").read_text()
    for helper in ("def smoothed", "def _book_folds", "def _variants", "def _standardize_with", "def book_folds"):
        assert helper not in handed_out  # the answers' code stays in solutions/ (reference.py)
    code = "\n".join(c.source for c in nbformat.read(made.notebook, as_version=4).cells if c.cell_type == "code")
    for answer in ("train_data.std(axis=0)", "layers.Dense(1)", "np.concatenate", "previous * factor",
                   "model.fit(train_data"):
        assert answer not in code


@pytest.mark.parametrize("path", [REFERENCE, *sorted(EXAMPLES.glob("*.ipynb"))], ids=lambda p: p.stem)
def test_notebooks_share_the_assignments_cells_and_carry_no_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    reference = nbformat.read(REFERENCE, as_version=4)
    assert [(c.cell_type, c.id) for c in notebook.cells] == [(c.cell_type, c.id) for c in reference.cells]
    assert [c.source for c in notebook.cells if c.cell_type == "markdown"] == [
        c.source for c in reference.cells if c.cell_type == "markdown"]
    assert all(c.outputs == [] for c in notebook.cells if c.cell_type == "code")
    given = {c.id: c.source for c in reference.cells if c.cell_type == "code" and c.id not in ANSWER_CELLS}
    assert {c.id: c.source for c in notebook.cells if c.id in given} == given  # only the answers differ


def test_the_notebook_states_the_cpu_budget_in_both_languages() -> None:
    title = nbformat.read(REFERENCE, as_version=4).cells[0].source
    for phrase in ("CPU 예산", "CPU budget", "80 에포크, 배치 크기 16", "80 epochs, batch size 16",
                   "`num_epochs=6`", "`NUM_EPOCHS = 15`"):
        assert phrase in title
    assert "NUM_EPOCHS = 15" in reference_cells()["explore"]


# --- each diagnosis of the array-only checks, on functions run here ---------------------------------

@cache
def data_files(shared_data: Path) -> dict[str, str]:
    from autograder.data import keras_files

    return {name: str(path) for name, path in keras_files.resolve(shared_data).items()}


def grade_functions(source: str, names: tuple[str, ...], shared_data: Path) -> dict[str, str | None]:
    """Run the checks named ``names`` against functions defined by ``source``; their failure keys."""
    namespace: dict[str, Any] = {"np": np}
    exec(source, namespace)
    chosen = [s for s in specs() if s.name in names]
    assert len(chosen) == len(names)
    handle = LocalHandle(namespace, [])
    handle.context = CheckContext(lang="en", data_files=data_files(shared_data))  # the hidden q1 uses Boston
    return {r.name: r.key for r in run_checks(chosen, handle)}


STANDARDIZE = ("standardize_example", "standardize_hidden_inputs")
SPLIT = ("k_fold_split_example", "k_fold_split_hidden_inputs")
SMOOTH = ("smooth_curve_example", "smooth_curve_hidden_inputs")


@pytest.mark.parametrize(("body", "key"), [
    ("m, s = train.mean(0), train.std(0)\nreturn (train - m) / s, (test - m) / s", None),
    ("m = train.mean(axis=0)\ntrain -= m\ns = train.std(axis=0)\ntrain /= s\ntest -= m\ntest /= s\n"
     "return train, test", None),  # the book's in-place version, returned
    ("m, s = train.mean(0), train.std(0, ddof=1)\nreturn (train - m) / s, (test - m) / s", None),  # pandas' std
    ("return (train - train.mean(0)) / train.std(0), (test - test.mean(0)) / test.std(0)",
     "kfold_regression.leak_test_statistics"),
    ("m, s = test.mean(0), test.std(0)\nreturn (train - m) / s, (test - m) / s",
     "kfold_regression.leak_test_statistics"),
    ("every = np.concatenate([train, test])\nm, s = every.mean(0), every.std(0)\n"
     "return (train - m) / s, (test - m) / s", "kfold_regression.leak_whole_data"),
    ("every = np.concatenate([train, test])\nm, s = train.mean(0), train.std(0)\n"
     "return (train - m) / s, (test - every.mean(0)) / every.std(0)", "kfold_regression.leak_whole_data"),
    ("m = train.mean(0)\nreturn train - m, test - m", "kfold_regression.standardize_wrong"),
    ("m, s = train.mean(), train.std()\nreturn (train - m) / s, (test - m) / s", "kfold_regression.standardize_wrong"),
    ("m, s = train.mean(0), train.std(0)\nreturn (test - m) / s, (train - m) / s", "check.shape"),
    ("m, s = train.mean(0), train.std(0)\ntrain = (train - m) / s", "kfold_regression.standardize_not_pair"),
], ids=["right", "book_in_place", "ddof_1", "test_statistics_for_test", "test_statistics_for_both",
        "whole_data_for_both", "whole_data_for_test", "no_std", "not_per_feature", "swapped", "no_return"])
def test_standardize_diagnoses(body: str, key: str | None, shared_data: Path) -> None:
    source = "def standardize(train, test):\n" + "\n".join("    " + line for line in body.splitlines())
    keys = grade_functions(source, STANDARDIZE, shared_data)
    assert keys == dict.fromkeys(STANDARDIZE, key)


BOOK_SPLIT = """
def k_fold_split(data, targets, k):
    n = len(data) // k
    return [(np.concatenate([data[:i * n], data[(i + 1) * n:]]), np.concatenate([targets[:i * n],
             targets[(i + 1) * n:]]), data[i * n:(i + 1) * n], targets[i * n:(i + 1) * n]) for i in range(k)]
"""


@pytest.mark.parametrize(("source", "key"), [
    (BOOK_SPLIT, None),
    ("""
def k_fold_split(data, targets, k):
    rows = np.arange(len(data))
    return [(data[np.setdiff1d(rows, v)], targets[np.setdiff1d(rows, v)], data[v], targets[v])
            for v in np.array_split(rows, k)]
""", None),  # every row validates once: accepted
    (BOOK_SPLIT.replace("data[i * n:(i + 1) * n], targets[i * n:(i + 1) * n]",
                        "data[i:i + n], targets[i:i + n]").replace("data[(i + 1) * n:]", "data[i + n:]")
     .replace("targets[(i + 1) * n:]", "targets[i + n:]").replace("data[:i * n]", "data[:i]")
     .replace("targets[:i * n]", "targets[:i]"), "kfold_regression.folds_overlap"),
    (BOOK_SPLIT.replace("np.concatenate([data[:i * n], data[(i + 1) * n:]])", "data")
     .replace("np.concatenate([targets[:i * n],\n             targets[(i + 1) * n:]])", "targets"),
     "kfold_regression.train_has_val_rows"),
    (BOOK_SPLIT.replace("data[(i + 1) * n:]", "data[(i + 1) * n:k * n]")
     .replace("targets[(i + 1) * n:]", "targets[(i + 1) * n:k * n]"), "kfold_regression.rows_missing"),
    (BOOK_SPLIT.replace("np.concatenate([targets[:i * n],\n             targets[(i + 1) * n:]])",
                        "np.concatenate([targets[(i + 1) * n:], targets[:i * n]])"),
     "kfold_regression.fold_targets_misaligned"),
    (BOOK_SPLIT.replace("n = len(data) // k", "n = len(data) // k + 1"), "kfold_regression.fold_size"),
    (BOOK_SPLIT.replace("data[i * n:(i + 1) * n], targets", "data[i * n:(i + 1) * n, 1:], targets"),
     "kfold_regression.fold_rows_changed"),
    (BOOK_SPLIT.replace("for i in range(k)]", "for i in range(k - 1)]"), "kfold_regression.fold_count"),
    ("def k_fold_split(data, targets, k):\n    return {'folds': k}\n", "kfold_regression.not_folds"),
], ids=["book", "array_split", "overlapping_folds", "training_is_everything", "training_misses_the_remainder",
        "targets_misaligned", "folds_too_big", "columns_cut", "one_fold_short", "not_a_list"])
def test_k_fold_split_diagnoses(source: str, key: str | None, shared_data: Path) -> None:
    keys = grade_functions(source, SPLIT, shared_data)
    assert keys == dict.fromkeys(SPLIT, key)


@pytest.mark.parametrize(("body", "keys"), [
    ("out = []\nfor p in points:\n    out.append(out[-1] * factor + p * (1 - factor) if out else p)\nreturn out",
     (None, None)),
    ("points = np.asarray(points, dtype=float)\nout = np.zeros_like(points)\nfor i, p in enumerate(points):\n"
     "    out[i] = out[i - 1] * factor + p * (1 - factor) if i else p\nreturn out", (None, None)),
    ("out, prev = [], 0.0\nfor p in points:\n    prev = prev * factor + p * (1 - factor)\n    out.append(prev)\n"
     "return out", ("kfold_regression.smooth_first_point",) * 2),
    ("out = []\nfor p in points:\n    out.append(out[-1] * (1 - factor) + p * factor if out else p)\nreturn out",
     ("kfold_regression.smooth_factor_swapped",) * 2),
    ("out = []\nfor i, p in enumerate(points):\n    out.append(points[i - 1] * factor + p * (1 - factor) if i else p)\n"
     "return out", ("kfold_regression.smooth_raw_previous",) * 2),
    ("out = [points[0]]\nfor p in points[1:]:\n    out.append(out[-1] * factor + p * (1 - factor))\nreturn out",
     (None, "kfold_regression.smooth_empty")),
    ("out = []\nfor p in points:\n    out.append(out[-1] * 0.9 + p * 0.1 if out else p)\nreturn out",
     ("check.values", "check.values")),  # ignores factor=
    ("out = []\nfor p in points[:-1]:\n    out.append(out[-1] * factor + p * (1 - factor) if out else p)\nreturn out",
     ("kfold_regression.smooth_length",) * 2),
    ("out = []\nfor p in points:\n    out.append(out[-1] * factor + p * (1 - factor) if out else p)",
     ("kfold_regression.smooth_not_list",) * 2),
], ids=["book", "numpy", "starts_from_zero", "factor_swapped", "raw_previous", "fails_on_empty", "fixed_factor",
        "one_short", "no_return"])
def test_smooth_curve_diagnoses(body: str, keys: tuple[str | None, str | None], shared_data: Path) -> None:
    source = "def smooth_curve(points, factor=0.9):\n" + "\n".join("    " + line for line in body.splitlines())
    assert grade_functions(source, SMOOTH, shared_data) == dict(zip(SMOOTH, keys, strict=True))


BUILD = ("build_model_layers", "build_model_output_has_no_activation", "build_model_compile")
REFERENCE_MODEL = """
def build_model():
    model = keras.Sequential([keras.Input(shape=(13,)), layers.Dense(64, activation="relu"),
                              layers.Dense(64, activation="relu"), layers.Dense(1)])
    model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
    return model
"""


@pytest.mark.parametrize(("change", "keys"), [
    ((), (None, None, None)),
    (("keras.Input(shape=(13,)), layers.Dense(64, activation=\"relu\")",
      "layers.Dense(64, activation=\"relu\", input_shape=(13,))"), (None, None, None)),  # the first edition's way
    (("keras.Input(shape=(13,)), ", ""), ("kfold_regression.model_not_built", None, None)),  # the second edition's way
    (("shape=(13,)", "shape=(12,)"), ("kfold_regression.input_shape", None, None)),
    (("layers.Dense(1)", "layers.Dense(1, activation=\"sigmoid\")"), (None, "kfold_regression.sigmoid_output", None)),
    (("layers.Dense(1)", "layers.Dense(1, activation=\"relu\")"), (None, "kfold_regression.relu_output", None)),
    (("layers.Dense(1)", "layers.Dense(1, activation=\"tanh\")"), (None, "kfold_regression.output_activation", None)),
    (("layers.Dense(1)", "layers.Dense(2)"), ("model.layer_output_shape", None, None)),
    (("layers.Dense(64, activation=\"relu\"),\n", "layers.Dense(32, activation=\"relu\"),\n"),
     ("model.layer_output_shape", None, None)),
    (("layers.Dense(1)]", "layers.Dense(64, activation=\"relu\"), layers.Dense(1)]"),
     ("model.layer_output_shape", None, None)),
    (('loss="mse"', 'loss="mae"'), (None, None, "model.loss")),
    (('metrics=["mae"]', 'metrics=["mse"]'), (None, None, "model.metrics")),
    (('optimizer="rmsprop"', 'optimizer="adam"'), (None, None, "model.optimizer")),
    (("    model.compile(", "    0 and model.compile("), (None, None, "model.not_compiled")),
], ids=["reference", "input_shape_argument", "no_input", "twelve_features", "sigmoid", "relu", "tanh",
        "two_outputs", "narrow_hidden_layer", "three_hidden_layers", "mae_loss", "no_mae_metric", "adam",
        "not_compiled"])
def test_build_model_diagnoses(change: tuple[str, ...], keys: tuple[str | None, ...], shared_data: Path) -> None:
    source = REFERENCE_MODEL
    if change:
        assert change[0] in source
        source = source.replace(change[0], change[1], 1)
    prelude = "import keras\nfrom keras import layers\n"
    assert grade_functions(prelude + source, BUILD, shared_data) == dict(zip(BUILD, keys, strict=True))


HOSTILE = """
import keras
from keras import layers


@keras.saving.register_keras_serializable(package="course")
class Doubling(layers.Layer):  # a class of the notebook's own: Keras would import its module to load it
    def call(self, x):
        return 2 * x


class Halving(layers.Layer):  # the same, not registered
    def call(self, x):
        return x / 2


def build_model():
    model = keras.Sequential([keras.Input(shape=(13,)), layers.Dense(64, activation="relu"),
                              layers.Lambda(lambda x: x * 1.0), layers.Dense(64, activation="relu"),
                              layers.Dense(1)])
    model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
    return model


model = keras.Sequential([keras.Input(shape=(13,)), layers.Dense(1), Doubling()])
"""


def test_hostile_models_are_refused_by_name_and_never_loaded(shared_data: Path) -> None:
    namespace: dict[str, Any] = {"__name__": "__main__"}
    exec(HOSTILE, namespace)
    chosen = [s for s in specs() if s.name in (*BUILD, "final_model_test_mae")]
    handle = LocalHandle(namespace, [])
    handle.context = CheckContext(lang="en", data_files=data_files(shared_data))
    keys = {r.name: r.key for r in run_checks(chosen, handle)}
    assert keys == {**dict.fromkeys(BUILD, "model.lambda_refused"), "final_model_test_mae": "model.custom_refused"}
    namespace["model"] = namespace["keras"].Sequential([namespace["keras"].Input(shape=(13,)),
                                                        namespace["layers"].Dense(1), namespace["Halving"]()])
    (final,) = run_checks([s for s in specs() if s.name == "final_model_test_mae"], handle)
    # Keras saves an unregistered class of __main__ with no module: the loader cannot name it as custom
    # before Keras fails to find it, but refuses it all the same (nothing of it runs in the grader)
    assert final.key in ("model.custom_refused", "model.load_failed") and final.status == "failed"
    namespace["model"] = namespace["build_model"]().__class__(  # an honest model, over the size limit
        [namespace["keras"].Input(shape=(13,)), namespace["layers"].Dense(4000), namespace["layers"].Dense(1)])
    handle.context = CheckContext(lang="en", data_files=data_files(shared_data), model_bytes=64 * 1024)
    (final,) = run_checks([s for s in specs() if s.name == "final_model_test_mae"], handle)
    assert final.key == "model.too_large"


# ---------------------------------------------------------------------------------------------------
# the reference and one submission per mistake, every check, in this process (TensorFlow)

VARIANTS: dict[str, dict[str, str]] = {
    "reference": {},
    "test_statistics_leak": {"q1-answer": with_body("q1-answer", """
train_data = (train_data - train_data.mean(axis=0)) / train_data.std(axis=0)
test_data = (test_data - test_data.mean(axis=0)) / test_data.std(axis=0)
return train_data, test_data
""")},
    "whole_data_leak": {"q1-answer": with_body("q1-answer", """
all_data = np.concatenate([train_data, test_data], axis=0)
mean, std = all_data.mean(axis=0), all_data.std(axis=0)
return (train_data - mean) / std, (test_data - mean) / std
""")},
    "sigmoid_output": {"q2-answer": reference_cells()["q2-answer"].replace(
        "layers.Dense(1),", 'layers.Dense(1, activation="sigmoid"),')},
    "relu_output": {"q2-answer": reference_cells()["q2-answer"].replace(
        "layers.Dense(1),", 'layers.Dense(1, activation="relu"),')},
    "reused_model": {"q3-validate-answer": with_body("q3-validate-answer", """
all_scores, all_mae_histories, models = [], [], []
model = build_model()
for x_train, y_train, x_val, y_val in k_fold_split(data, targets, k):
    history = model.fit(x_train, y_train, validation_data=(x_val, y_val),
                        epochs=num_epochs, batch_size=batch_size, verbose=0)
    all_scores.append(model.evaluate(x_val, y_val, verbose=0)[1])
    all_mae_histories.append(history.history["val_mae"])
    models.append(model)
return all_scores, all_mae_histories, models
""")},
    "overlapping_folds": {"q3-split-answer": with_body("q3-split-answer", """
n = len(data) // k
folds = []
for i in range(k):
    folds.append((np.concatenate([data[:i], data[i + n:]]), np.concatenate([targets[:i], targets[i + n:]]),
                  data[i:i + n], targets[i:i + n]))
return folds
""")},
    "training_contains_validation": {"q3-split-answer": with_body("q3-split-answer", """
n = len(data) // k
return [(data, targets, data[i * n:(i + 1) * n], targets[i * n:(i + 1) * n]) for i in range(k)]
""")},
    # issue 12: the split is right, but every fold's model fits ALL the data, its validation rows included;
    # scores, histories and fresh models are all as they should be
    "fit_on_all_data": {"q3-validate-answer": with_body("q3-validate-answer", """
all_scores, all_mae_histories, models = [], [], []
for x_train, y_train, x_val, y_val in k_fold_split(data, targets, k):
    model = build_model()
    history = model.fit(data, targets, validation_data=(x_val, y_val),
                        epochs=num_epochs, batch_size=batch_size, verbose=0)
    all_scores.append(model.evaluate(x_val, y_val, verbose=0)[1])
    all_mae_histories.append(history.history["val_mae"])
    models.append(model)
return all_scores, all_mae_histories, models
""")},
    # an honest alternative: every row validates once (np.array_split), a functional model, folds by index,
    # the score read from the history
    "honest_alternative": {
        "q2-answer": with_body("q2-answer", """
inputs = keras.Input(shape=(13,))
hidden = layers.Dense(64, activation="relu")(inputs)
hidden = layers.Dense(64, activation="relu")(hidden)
model = keras.Model(inputs, layers.Dense(1)(hidden))
model.compile(optimizer=keras.optimizers.RMSprop(), loss="mean_squared_error", metrics=["mae"])
return model
"""),
        "q3-split-answer": with_body("q3-split-answer", """
rows = np.arange(len(data))
folds = []
for val in np.array_split(rows, k):
    train = np.setdiff1d(rows, val)
    folds.append((data[train], targets[train], data[val], targets[val]))
return folds
"""),
        "q3-validate-answer": with_body("q3-validate-answer", """
folds = k_fold_split(data, targets, k)
all_scores, all_mae_histories, models = [], [], []
for i in range(k):
    x_train, y_train, x_val, y_val = folds[i]
    model = build_model()
    history = model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=num_epochs,
                        batch_size=batch_size, verbose=0)
    all_mae_histories.append(list(history.history["val_mae"]))
    all_scores.append(all_mae_histories[-1][-1])
    models.append(model)
return all_scores, all_mae_histories, models
""")},
    "smooth_first_point": {"q4-answer": with_body("q4-answer", """
smoothed_points, previous = [], 0.0
for point in points:
    previous = previous * factor + point * (1 - factor)
    smoothed_points.append(previous)
return smoothed_points
""")},
    "final_model_undertrained": {"q5-answer": reference_cells()["q5-answer"].replace(
        "epochs=FINAL_EPOCHS", "epochs=2")},
}

EXPECTED_POINTS = {
    "reference": FULL,
    "test_statistics_leak": lose(q1=2),
    "whole_data_leak": lose(q1=2),
    # a sigmoid caps predictions below 1: the K-fold scores (~21) and the test MAE show it too
    "sigmoid_output": lose(q2=1, q3=0.8, q5=3),
    "relu_output": lose(q2=1),
    "reused_model": lose(q3=0.8),
    "overlapping_folds": lose(q3=1.6),
    # the split's mistake; the scores measured on that training are void (the leak check leaves it to the split's)
    "training_contains_validation": lose(q3=2.4),
    "fit_on_all_data": lose(q3=1.6),  # the leak, and the validation scores it voids
    "honest_alternative": FULL,
    "smooth_first_point": lose(q4=2),
    "final_model_undertrained": lose(q5=3),
}

EXPECTED_FAILURES = {
    "reference": {},
    "test_statistics_leak": dict.fromkeys(STANDARDIZE, "kfold_regression.leak_test_statistics"),
    "whole_data_leak": dict.fromkeys(STANDARDIZE, "kfold_regression.leak_whole_data"),
    "sigmoid_output": {"build_model_output_has_no_activation": "kfold_regression.sigmoid_output",
                       "k_fold_validate_scores": "kfold_regression.scores_implausible",
                       "final_model_test_mae": "check.metric_too_high"},
    "relu_output": {"build_model_output_has_no_activation": "kfold_regression.relu_output"},
    "reused_model": {"k_fold_validate_fresh_model_per_fold": "kfold_regression.model_reused"},
    "overlapping_folds": dict.fromkeys(SPLIT, "kfold_regression.folds_overlap"),
    "training_contains_validation": {**dict.fromkeys(SPLIT, "kfold_regression.train_has_val_rows"),
                                     "k_fold_validate_scores": "kfold_regression.scores_void_leak"},
    "fit_on_all_data": {"k_fold_validate_scores": "kfold_regression.scores_void_leak",
                        "k_fold_validate_never_trains_on_validation": "kfold_regression.validation_in_training"},
    "honest_alternative": {},
    "smooth_first_point": dict.fromkeys(SMOOTH, "kfold_regression.smooth_first_point"),
    "final_model_undertrained": {"final_model_test_mae": "check.metric_too_high"},
}

K_FOLD_ANSWERS = ("q2-answer", "q3-split-answer", "q3-validate-answer")


class SharedKFoldCall(LocalHandle):
    """A LocalHandle whose ``k_fold_validate`` answers are shared by notebooks with the same K-fold answers
    (one per set of arguments: the grader calls it on Boston and on its leak-signal data)."""

    replies: ClassVar[dict[tuple[str, ...], Reply]] = {}

    def __init__(self, namespace: dict[str, Any], cells: list[CodeCell], key: tuple[str, ...],
                 context: CheckContext) -> None:
        super().__init__(namespace, cells, "en")
        self.key = key
        self.context = context

    def call(self, name: str, *args: Any, **kwargs: Any) -> Reply:
        if name != "k_fold_validate":
            return super().call(name, *args, **kwargs)
        import hashlib

        given = hashlib.sha256(repr([a.tobytes() if isinstance(a, np.ndarray) else a for a in args]).encode())
        key = (*self.key, given.hexdigest())
        if key not in self.replies:
            self.replies[key] = super().call(name, *args, **kwargs)
        return self.replies[key]


def run_cells(sources: dict[str, str], files: dict[str, str], finals: dict[tuple[str, ...], Any]) -> dict[str, Any]:
    """Execute a notebook's code cells here, as a kernel would (grader.check lines left out).

    The final model cell trains once per distinct training data (as standardised), build_model and
    final cell; notebooks that share all three share the trained ``model``.
    """
    import hashlib

    import keras

    from autograder.data import keras_hook

    keras.utils.set_random_seed(0)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    with keras_hook.patched(files):
        for cell_id, source in sources.items():
            if cell_id in UNGRADED_CELLS:
                continue
            if cell_id == "q5-answer":
                data = hashlib.sha256(np.ascontiguousarray(namespace["train_data"]).tobytes()).hexdigest()
                final_key = (data, sources["q2-answer"], source)
                if final_key in finals:
                    namespace["model"] = finals[final_key]
                    continue
            code = "\n".join(line for line in source.splitlines() if "grader.check(" not in line)
            exec(compile(code, f"<cell {cell_id}>", "exec"), namespace)
    finals.setdefault(final_key, namespace["model"])
    return namespace


@pytest.fixture(scope="module")
def variants_graded(shared_data: Path) -> dict[str, list[CheckResult]]:
    from autograder.data import keras_files

    files = {name: str(path) for name, path in keras_files.resolve(shared_data).items()}
    context = assignment_helpers.check_context(SOLUTION_DIR, specs(), data_files=files)
    graded: dict[str, list[CheckResult]] = {}
    finals: dict[tuple[str, ...], Any] = {}
    for name, replaced in VARIANTS.items():
        sources = {**reference_cells(), **replaced}
        cells = [CodeCell(i, s) for i, s in enumerate(sources.values())]
        namespace = run_cells(sources, files, finals)
        handle = SharedKFoldCall(namespace, cells, tuple(sources[c] for c in K_FOLD_ANSWERS), context)
        graded[name] = run_checks(specs(), handle)
    return graded


@pytest.mark.slow
@pytest.mark.parametrize("name", list(VARIANTS))
def test_each_mistake_loses_exactly_its_points(variants_graded: dict[str, list[CheckResult]], name: str) -> None:
    results = variants_graded[name]
    messages = {r.name: r.render("en") for r in results if not r.passed}
    assert points(results) == EXPECTED_POINTS[name], messages
    assert failures(results) == EXPECTED_FAILURES[name], messages
    assert all(r.status != "error" for r in results)


@pytest.mark.slow
def test_the_messages_name_the_mistake(variants_graded: dict[str, list[CheckResult]]) -> None:
    def message(variant: str, check: str, lang: str = "en") -> str:
        return next(r.render(lang) for r in variants_graded[variant] if r.name == check)

    assert "TEST data" in message("test_statistics_leak", "standardize_example")
    assert "테스트 데이터의 평균과 표준편차" in message("test_statistics_leak", "standardize_example", "ko")
    assert "WHOLE data set" in message("whole_data_leak", "standardize_hidden_inputs")
    assert "sigmoid" in message("sigmoid_output", "build_model_output_has_no_activation")
    assert "squashed" in message("sigmoid_output", "k_fold_validate_scores")
    assert "relu" in message("relu_output", "build_model_output_has_no_activation")
    assert "identical weights" in message("reused_model", "k_fold_validate_fresh_model_per_fold")
    assert "share" in message("overlapping_folds", "k_fold_split_hidden_inputs")
    # hidden checks show shapes and k, never the hidden data
    for variant, check in (("whole_data_leak", "standardize_hidden_inputs"),
                           ("overlapping_folds", "k_fold_split_hidden_inputs"),
                           ("smooth_first_point", "smooth_curve_hidden_inputs")):
        assert not re.search(r"\d\.\d{3}", message(variant, check))


@pytest.mark.slow
def test_the_reference_final_model_and_k_fold_scores_are_sane(variants_graded: dict[str, list[CheckResult]]) -> None:
    final = next(r for r in variants_graded["reference"] if r.name == "final_model_test_mae")
    assert final.measured is not None and 2.0 < final.measured < 3.5
    sigmoid = next(r for r in variants_graded["sigmoid_output"] if r.name == "final_model_test_mae")
    assert sigmoid.measured is not None and sigmoid.measured > 15  # predictions stuck below 1


# ---------------------------------------------------------------------------------------------------
# the example submissions, graded in the sandbox

EXAMPLE_POINTS = {
    "kim_minji": FULL,
    "park_seoyeon": lose(q1=2, q2=1, q3=0.8, q5=3),  # test-statistics leak + sigmoid output
    "lee_junho": lose(q3=2.4),  # data[i:i + n] folds (two checks) + one model for every fold
    "jung_daeho": lose(q2=3, q3=2.4, q4=2, q5=3),  # build_model does not parse; smooth_curve returns nothing
}


@pytest.fixture(scope="module")
def examples_graded(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from autograder import grade

    output = tmp_path_factory.mktemp("kfold_results")
    book = tmp_path_factory.mktemp("kfold_gradebook") / "gradebook.sqlite"  # a fresh one: every example is graded
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AUTOGRADER_DATA_DIR", str(shared_data))
        summary = grade.main(assignment="kfold_regression", inputs=[EXAMPLES],
                             config_path=ROOT / "grading_config.yaml", output=output,
                             options=grade.RunOptions(gradebook=str(book)))
    yield {"summary": summary, "json": {p.stem: json.loads(p.read_text(encoding="utf-8"))
                                        for p in output.glob("*.json")}}


@pytest.mark.slow
def test_examples_score_as_intended(examples_graded: dict[str, Any]) -> None:
    results = {r.student: r for r in examples_graded["summary"].results}
    assert sorted(results) == sorted(EXAMPLE_POINTS)
    for student, expected in EXAMPLE_POINTS.items():
        result = results[student]
        assert result.status == "graded", (student, [r.render("en") for r in result.reasons])
        got = {q.question: q.points for q in result.questions}
        details = {c.name: c.render("en") for q in result.questions for c in q.checks if not c.passed}
        assert got == expected, (student, details)


@pytest.mark.slow
def test_example_feedback_names_each_mistake_in_korean(examples_graded: dict[str, Any]) -> None:
    def failed(student: str) -> dict[str, str]:
        data = examples_graded["json"][student]
        return {c["name"]: c["message"] for q in data["questions"] for c in q["checks"] if c["status"] != "passed"}

    park = failed("park_seoyeon")
    assert set(park) == {"standardize_example", "standardize_hidden_inputs", "build_model_output_has_no_activation",
                         "k_fold_validate_scores", "final_model_test_mae"}
    assert "테스트 데이터의 평균과 표준편차" in park["standardize_example"]  # the course language is Korean
    assert "sigmoid" in park["build_model_output_has_no_activation"]
    lee = failed("lee_junho")
    assert set(lee) == {"k_fold_split_example", "k_fold_split_hidden_inputs", "k_fold_validate_fresh_model_per_fold"}
    assert "겹치지 않아야" in lee["k_fold_split_example"] and "가중치가 똑같습니다" in lee[
        "k_fold_validate_fresh_model_per_fold"]
    jung = examples_graded["json"]["jung_daeho"]
    assert {c["ename"] for c in jung["cells"]} == {"SyntaxError", "NameError"}
    assert "build_model" in failed("jung_daeho")["build_model_layers"]
    assert "`model`" in failed("jung_daeho")["final_model_test_mae"]


@pytest.mark.slow
def test_grading_one_submission_stays_within_the_cpu_budget(examples_graded: dict[str, Any]) -> None:
    for student, data in examples_graded["json"].items():
        assert data["seconds"] < 240, student  # wall_time_s is 300 on a loaded 2-core machine
        assert data["peak_memory_bytes"] < 2048 * 2**20, student
