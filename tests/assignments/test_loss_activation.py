"""The "loss_activation" assignment: the acceptance table, the checks, the example submissions.

Three layers, cheapest first:
- q1, q3 and q4 need no TensorFlow: the table and the data functions are checked in this process
  against small functions written here (every accepted spelling passes, every typical wrong choice
  fails with its own message);
- q2's models and the notebooks (the reference, one variant per typical mistake, the blank template)
  run in this process as ``grader.check`` would, with TensorFlow imported once (slow);
- the reference, the bundled examples and the template are graded for real, in sandboxes, in one run
  (slow), which also records the grading time and memory of each.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import nbformat
import numpy as np
import pytest

from autograder import grade
from autograder.assign import main as assign
from autograder.checks import CheckResult, load_checks, run_checks
from autograder.checks.core import CheckContext, CheckSpec
from autograder.config import load_config
from autograder.i18n import LANGUAGES, catalogue
from autograder.notebook import CodeCell, code_cells, load_notebook
from autograder.results import score_questions
from autograder.student import LocalHandle
from tests import assignment_helpers

ROOT = Path(__file__).resolve().parents[2]
NAME = "loss_activation"
SOLUTION_DIR = ROOT / "solutions" / NAME
assignment_helpers.messages(SOLUTION_DIR)  # its keys render in this process, as in the grader's
REFERENCE = SOLUTION_DIR / f"{NAME}.ipynb"
EXAMPLES = ROOT / "solutions" / NAME / "examples"
POINTS = {"q1": 5.0, "q2": 5.0, "q3": 3.0, "q4": 3.0}
PROBLEMS = ("binary", "single_label", "multi_label", "regression", "regression_0_1")
K = "loss_activation."

CHECK_CELL = re.compile(r'^\s*grader\.check\("q\d+"\)\s*$')
SOLUTION_REGION = re.compile(r"^( *)### BEGIN SOLUTION\n.*?^\1### END SOLUTION$", re.MULTILINE | re.DOTALL)


@cache
def specs() -> tuple[CheckSpec, ...]:
    return tuple(assignment_helpers.specs(SOLUTION_DIR))


def spec_named(*names: str) -> list[CheckSpec]:
    chosen = [s for s in specs() if s.name in names]
    assert len(chosen) == len(names), names
    return chosen


def handle(namespace: dict[str, Any], cells: list[CodeCell] | None = None, **context: Any) -> LocalHandle:
    h = LocalHandle(namespace, cells or [])
    if context:
        h.context = CheckContext(**context)
    return h


def failures(results: list[CheckResult] | tuple[CheckResult, ...]) -> dict[str, str | None]:
    assert all(r.status != "error" for r in results), [r.render("en") for r in results if r.status == "error"]
    return {r.name: r.key for r in results if not r.passed}


def points(results: list[CheckResult] | tuple[CheckResult, ...]) -> dict[str, float]:
    return {q.question: q.points for q in score_questions(results, POINTS)}


def expect_renders(result: CheckResult) -> None:
    """A failure's message exists in both languages and every parameter was filled in."""
    assert result.key in catalogue(), result.key
    for lang in LANGUAGES:
        text = result.render(lang)
        assert text and "{" not in text and "[" + str(result.key) not in text, text


# -- the assignment's shape -------------------------------------------------------------------------------

def test_points_and_checks_per_question() -> None:
    config = load_config(ROOT / "grading_config.yaml")
    assert config.assignment(NAME).points == POINTS
    by_question: dict[str, list[CheckSpec]] = {}
    for spec in specs():
        by_question.setdefault(spec.question, []).append(spec)
    assert sorted(by_question) == sorted(POINTS)
    assert len({s.name for s in specs()}) == len(specs())
    assert all(s.weight == 1 and s.metric is None for s in specs())  # equal shares, no performance checks
    for question, prefix, parts in (("q1", "table", ("activation", "loss")), ("q2", "model", ("output", "loss"))):
        names = {s.name: s.hidden for s in by_question[question]}
        assert names == {f"{prefix}_{p}_{part}": p != "binary" for p in PROBLEMS for part in parts}
    assert [s.hidden for s in by_question["q3"]] == [False, False, True]
    assert [s.hidden for s in by_question["q4"]] == [False, False, True]
    assert all(not s.hidden for s in load_checks(SOLUTION_DIR / "public_checks.py"))
    assert all(s.hidden for s in load_checks(SOLUTION_DIR / "hidden_checks.py"))


def test_every_message_key_the_checks_name_is_in_the_catalogue_and_every_one_is_used() -> None:
    text = "".join((SOLUTION_DIR / f"{kind}_checks.py").read_text() for kind in ("public", "hidden"))
    named = set(re.findall(r'(?:_fail\(|return |else )"(\w+)"', text))
    ours = {key.removeprefix(K) for key in catalogue() if key.startswith(K)}
    assert named == ours
    for key in ours:
        assert set(catalogue()[K + key]) == set(LANGUAGES)


def test_the_handed_out_checks_reveal_only_the_binary_row() -> None:
    public = (SOLUTION_DIR / "public_checks.py").read_text()
    for secret in ("single_label", "multi_label", "regression_0_1", "unit_linear", "regression_relu",
                   "multi_label_softmax"):
        assert secret not in public, secret


# -- q1: the table as a function (no TensorFlow) -------------------------------------------------------------

ACCEPTED_ACTIVATIONS: dict[str, list[str | None]] = {
    "binary": ["sigmoid", "Sigmoid"],
    "single_label": ["softmax", "Softmax"],
    "multi_label": ["sigmoid"],
    "regression": [None, "linear", "None", "none"],
    "regression_0_1": ["sigmoid"],
}
ACCEPTED_LOSSES: dict[str, list[str]] = {
    "binary": ["binary_crossentropy", "BinaryCrossentropy", "bce", "BCE"],
    "single_label": ["categorical_crossentropy", "CategoricalCrossentropy", "sparse_categorical_crossentropy",
                     "SparseCategoricalCrossentropy"],
    "multi_label": ["binary_crossentropy", "BinaryCrossentropy"],
    "regression": ["mse", "MSE", "mean_squared_error", "MeanSquaredError", "mae", "mean_absolute_error", "huber",
                   "Huber", "log_cosh", "LogCosh"],
    "regression_0_1": ["mse", "MeanSquaredError", "binary_crossentropy", "bce", "mae", "huber", "log_cosh"],
}
# (problem, activation, loss, the check that fails, its message)
WRONG_TABLE: list[tuple[str, Any, Any, str, str]] = [
    ("binary", "softmax", None, "activation", "one_unit_softmax"),
    ("binary", "relu", None, "activation", "binary_not_probability"),
    ("binary", None, None, "activation", "binary_not_probability"),
    ("binary", "tanh", None, "activation", "binary_not_probability"),
    ("binary", "hard_sigmoid", None, "activation", "wrong_activation"),
    ("binary", None, "categorical_crossentropy", "loss", "binary_categorical"),
    ("binary", None, "sparse_categorical_crossentropy", "loss", "binary_sparse"),
    ("binary", None, "mse", "loss", "classification_regression_loss"),
    ("binary", None, "hinge", "loss", "wrong_loss"),
    ("single_label", "sigmoid", None, "activation", "single_label_sigmoid"),
    ("single_label", "relu", None, "activation", "single_label_not_distribution"),
    ("single_label", None, None, "activation", "single_label_not_distribution"),
    ("single_label", None, "binary_crossentropy", "loss", "single_label_binary"),
    ("single_label", None, "MeanSquaredError", "loss", "classification_regression_loss"),
    ("multi_label", "softmax", None, "activation", "multi_label_softmax"),
    ("multi_label", "relu", None, "activation", "multi_label_not_probability"),
    ("multi_label", None, "categorical_crossentropy", "loss", "multi_label_categorical"),
    ("multi_label", None, "sparse_categorical_crossentropy", "loss", "multi_label_categorical"),
    ("multi_label", None, "mae", "loss", "classification_regression_loss"),
    ("regression", "relu", None, "activation", "regression_relu"),
    ("regression", "sigmoid", None, "activation", "regression_bounded"),
    ("regression", "tanh", None, "activation", "regression_bounded"),
    ("regression", "softmax", None, "activation", "one_unit_softmax"),
    ("regression", "leaky_relu", None, "activation", "wrong_activation"),
    ("regression", None, "binary_crossentropy", "loss", "regression_crossentropy"),
    ("regression", None, "categorical_crossentropy", "loss", "regression_crossentropy"),
    ("regression", None, "msle", "loss", "wrong_loss"),
    ("regression_0_1", "linear", None, "activation", "unit_linear"),
    ("regression_0_1", "relu", None, "activation", "unit_out_of_range"),
    ("regression_0_1", "softmax", None, "activation", "one_unit_softmax"),
    ("regression_0_1", None, "categorical_crossentropy", "loss", "unit_categorical"),
    ("regression_0_1", None, "sparse_categorical_crossentropy", "loss", "unit_categorical"),
    ("binary", "sigmoidd", None, "activation", "unknown_activation"),
    ("binary", None, "binary_crossentropyy", "loss", "unknown_loss"),
    ("single_label", None, "cce", "loss", "unknown_loss"),  # Keras does not know "cce"
]


def table_function(problem: str, answer: Any) -> Callable[[str], Any]:
    """A ``last_layer_and_loss`` that answers ``answer`` for ``problem`` and nonsense for the others."""
    return lambda asked: answer if asked == problem else ("nonsense", "nonsense")


def table_checks(problem: str) -> list[CheckSpec]:
    return spec_named(f"table_{problem}_activation", f"table_{problem}_loss")


@pytest.mark.parametrize("problem", PROBLEMS)
def test_every_accepted_table_answer_passes_in_every_keras_spelling(problem: str) -> None:
    combinations = [(a, ACCEPTED_LOSSES[problem][0]) for a in ACCEPTED_ACTIVATIONS[problem]]
    combinations += [(ACCEPTED_ACTIVATIONS[problem][0], loss) for loss in ACCEPTED_LOSSES[problem]]
    for answer in combinations:
        for shape in (tuple, list):
            namespace = {"last_layer_and_loss": table_function(problem, shape(answer))}
            assert failures(run_checks(table_checks(problem), handle(namespace))) == {}, answer


@pytest.mark.parametrize(("problem", "activation", "loss", "part", "key"), WRONG_TABLE,
                         ids=[f"{w[0]}-{w[1] if w[3] == 'activation' else w[2]}" for w in WRONG_TABLE])
def test_each_wrong_table_answer_fails_only_its_half_with_its_own_message(
        problem: str, activation: Any, loss: Any, part: str, key: str) -> None:
    answer = (activation, ACCEPTED_LOSSES[problem][0]) if part == "activation" else (
        ACCEPTED_ACTIVATIONS[problem][0], loss)
    results = run_checks(table_checks(problem), handle({"last_layer_and_loss": table_function(problem, answer)}))
    assert failures(results) == {f"table_{problem}_{part}": K + key}
    failed = next(r for r in results if not r.passed)
    expect_renders(failed)
    assert f'last_layer_and_loss("{problem}")' in failed.render("ko")


@pytest.mark.parametrize(("answer", "key"), [
    ("sigmoid", "not_a_pair"), (("sigmoid",), "not_a_pair"), (("sigmoid", "bce", "x"), "not_a_pair"),
    ({"activation": "sigmoid"}, "not_a_pair"), (None, "not_a_pair"), ((1, "bce"), "activation_not_a_name"),
    (("sigmoid", None), "loss_not_a_name"), (("sigmoid", ["bce"]), "loss_not_a_name")])
def test_an_answer_that_is_not_a_pair_of_names_says_so(answer: Any, key: str) -> None:
    results = run_checks(table_checks("binary"), handle({"last_layer_and_loss": lambda problem: answer}))
    assert set(failures(results).values()) == {K + key}
    for result in results:
        expect_renders(result)


def test_a_table_function_that_raises_or_is_missing_fails_with_the_library_messages() -> None:
    def raising(problem: str) -> Any:
        raise KeyError(problem)

    results = run_checks(table_checks("regression"), handle({"last_layer_and_loss": raising}))
    assert set(failures(results).values()) == {"check.raised"}
    assert set(failures(run_checks(table_checks("regression"), handle({}))).values()) == {"check.reply_missing"}


# -- q3 and q4: the data functions (no TensorFlow) -------------------------------------------------------------

def _mutating(x: np.ndarray) -> np.ndarray:
    result = x.astype("float32") / 255
    x[...] = 0
    return result


IMAGES: dict[str, tuple[Callable[[np.ndarray], Any], dict[str, str]]] = {
    "reference": (lambda x: x.astype("float32") / 255, {}),
    "divide_then_cast": (lambda x: (x / 255).astype(np.float32), {}),
    "float64": (lambda x: x / 255, {"normalize_images_float32": K + "images_dtype"}),
    "batch_max": (lambda x: x.astype("float32") / x.max(), {"normalize_images_random_inputs": K + "images_batch_max"}),
    "integer_division": (lambda x: x // 255, {"normalize_images_book_example": K + "images_integer",
                                              "normalize_images_float32": K + "images_dtype",
                                              "normalize_images_random_inputs": K + "images_integer"}),
    "unscaled": (lambda x: x.astype("float32"), {"normalize_images_book_example": K + "images_not_scaled",
                                                 "normalize_images_random_inputs": K + "images_not_scaled"}),
    "divided_by_256": (lambda x: x.astype("float32") / 256, {"normalize_images_book_example": "check.values",
                                                             "normalize_images_random_inputs": "check.values"}),
    "flattened": (lambda x: (x.astype("float32") / 255).reshape(len(x), -1),
                  dict.fromkeys(("normalize_images_book_example", "normalize_images_float32",
                                 "normalize_images_random_inputs"), "check.shape")),
    "changes_its_input": (_mutating, {"normalize_images_random_inputs": "check.mutated"}),
}


def _book_in_place(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = train.mean(axis=0)
    train -= mean
    std = train.std(axis=0)
    train /= std
    test -= mean
    test /= std
    return train, test


def _book_without_return(train: np.ndarray, test: np.ndarray) -> None:
    _book_in_place(train, test)


def _whole_data(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    everything = np.concatenate([train, test])
    mean, std = everything.mean(axis=0), everything.std(axis=0)
    return (train - mean) / std, (test - mean) / std


Q4_CHECKS = ("standardize_training_data", "standardize_test_data", "standardize_random_inputs")
STANDARDIZE: dict[str, tuple[Callable[..., Any], dict[str, str]]] = {
    "reference": (lambda a, b: ((a - a.mean(0)) / a.std(0), (b - a.mean(0)) / a.std(0)), {}),
    "book_in_place": (_book_in_place, {}),
    "sample_std": (lambda a, b: ((a - a.mean(0)) / a.std(0, ddof=1), (b - a.mean(0)) / a.std(0, ddof=1)), {}),
    "test_statistics": (lambda a, b: ((a - a.mean(0)) / a.std(0), (b - b.mean(0)) / b.std(0)),
                        {"standardize_test_data": K + "standardize_test_statistics",
                         "standardize_random_inputs": K + "standardize_test_statistics"}),
    "whole_data": (_whole_data, dict.fromkeys(Q4_CHECKS, K + "standardize_whole_data")),
    "no_axis": (lambda a, b: ((a - a.mean()) / a.std(), (b - a.mean()) / a.std()),
                dict.fromkeys(Q4_CHECKS, K + "standardize_no_axis")),
    "test_untouched": (lambda a, b: ((a - a.mean(0)) / a.std(0), b),
                       {"standardize_test_data": K + "standardize_untouched",
                        "standardize_random_inputs": K + "standardize_untouched"}),
    "centred_only": (lambda a, b: (a - a.mean(0), b - a.mean(0)), dict.fromkeys(Q4_CHECKS, K + "standardize_no_std")),
    "std_plus_one": (lambda a, b: ((a - a.mean(0)) / (a.std(0) + 1), (b - a.mean(0)) / (a.std(0) + 1)),
                     dict.fromkeys(Q4_CHECKS, K + "standardize_values")),
    "returns_nothing": (_book_without_return, dict.fromkeys(Q4_CHECKS, K + "standardize_not_pair")),
    "returns_one_array": (lambda a, b: np.concatenate([a, b]), dict.fromkeys(Q4_CHECKS, K + "standardize_not_pair")),
}


@pytest.mark.parametrize("name", list(IMAGES))
def test_normalize_images_checks(name: str) -> None:
    function, expected = IMAGES[name]
    checks = [s for s in specs() if s.question == "q3"]
    results = run_checks(checks, handle({"normalize_images": function}))
    assert failures(results) == expected
    for result in results:
        if not result.passed:
            expect_renders(result)


@pytest.mark.parametrize("name", list(STANDARDIZE))
def test_standardize_checks_name_the_leak(name: str) -> None:
    function, expected = STANDARDIZE[name]
    checks = [s for s in specs() if s.question == "q4"]
    results = run_checks(checks, handle({"standardize": function}))
    assert failures(results) == expected
    for result in results:
        if not result.passed:
            expect_renders(result)
            assert not re.search(r"\d\.\d{3}", result.render("en"))  # no values of the hidden inputs


def test_the_test_statistics_message_names_the_leak_in_both_languages() -> None:
    leaky = STANDARDIZE["test_statistics"][0]
    results = run_checks(spec_named("standardize_test_data"), handle({"standardize": leaky}))
    assert "test statistics" in results[0].render("en")
    assert "테스트 통계량" in results[0].render("ko")


# -- the notebooks' cells ----------------------------------------------------------------------------------

def notebook_cells(path: Path) -> list[CodeCell]:
    return code_cells(load_notebook(path.read_bytes(), path.name))


def template_cells() -> list[CodeCell]:
    """The reference with each solution region replaced by ``pass``, as ``autograder assign`` does."""
    return [CodeCell(c.index, SOLUTION_REGION.sub(r"\1pass", c.source)) for c in notebook_cells(REFERENCE)]


def substituted(replacements: list[tuple[str, str]]) -> list[CodeCell]:
    """The reference's cells with each ``old`` replaced by ``new`` (each must occur exactly once)."""
    cells = notebook_cells(REFERENCE)
    for old, new in replacements:
        where = [i for i, c in enumerate(cells) if old in c.source]
        assert len(where) == 1 and cells[where[0]].source.count(old) == 1, old
        cell = cells[where[0]]
        cells[where[0]] = CodeCell(cell.index, cell.source.replace(old, new))
    return cells


def execute(cells: list[CodeCell]) -> tuple[dict[str, Any], dict[int, str]]:
    """Run the cells like a kernel: a failing cell is recorded and the next one runs."""
    namespace: dict[str, Any] = {"__name__": "__main__"}
    errors: dict[int, str] = {}
    for cell in cells:
        if CHECK_CELL.match(cell.source):
            continue  # grader.check outside IPython would read pytest's globals
        try:
            exec(compile(cell.source, f"<cell {cell.index}>", "exec"), namespace)
        except Exception as error:  # noqa: BLE001  (a student's failing cell is data here)
            errors[cell.index] = type(error).__name__
    return namespace, errors


def test_notebooks_are_clean_v4_with_the_assignments_cells() -> None:
    reference = nbformat.read(REFERENCE, as_version=4)
    for path in [REFERENCE, *sorted(EXAMPLES.glob("*.ipynb"))]:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        assert [(c.cell_type, c.id) for c in nb.cells] == [(c.cell_type, c.id) for c in reference.cells]
        assert [c.source for c in nb.cells if c.cell_type == "markdown"] == [
            c.source for c in reference.cells if c.cell_type == "markdown"]
        assert all(c.outputs == [] and c.execution_count is None for c in nb.cells if c.cell_type == "code")
        assert 'grader = Notebook("loss_activation")' in nb.cells[1].source
    assert sorted(p.stem for p in EXAMPLES.glob("*.ipynb")) == ["kim_minji", "lee_junho", "park_seoyeon"]
    intro = reference.cells[0].source
    for identifier in PROBLEMS:
        assert f'`"{identifier}"`' in intro  # the identifiers are documented
    assert "mae" in intro and "CPU" in intro  # the accepted extras and the CPU budget are stated


def test_assign_hands_out_placeholders_and_only_the_public_checks(tmp_path: Path) -> None:
    shutil.copytree(SOLUTION_DIR, tmp_path / "solutions" / NAME)
    config = tmp_path / "grading_config.yaml"
    shutil.copy(ROOT / "grading_config.yaml", config)  # the course's language and call time limit go into the notebook
    made = assign(assignment=NAME, config_path=config)
    assert made.regions == 4
    target = tmp_path / "assignments" / NAME
    assert sorted(p.name for p in target.iterdir()) == [f"{NAME}.ipynb", "messages.py", "public_checks.py"]
    assert (target / "messages.py").read_text() == (SOLUTION_DIR / "messages.py").read_text()  # texts, no checks
    text = "\n".join(c.source for c in nbformat.read(target / f"{NAME}.ipynb", as_version=4).cells)
    assert "BEGIN SOLUTION" not in text and '"regression_0_1": ("sigmoid"' not in text
    assert text.count("YOUR CODE HERE") == 4
    committed = ROOT / "assignments" / NAME
    assert (committed / "public_checks.py").read_text() == (SOLUTION_DIR / "public_checks.py").read_text()
    assert nbformat.read(committed / f"{NAME}.ipynb", as_version=4) == nbformat.read(
        target / f"{NAME}.ipynb", as_version=4)


def test_the_broken_example_fails_as_a_kernel_would() -> None:
    cells = {c.index: c.source for c in notebook_cells(EXAMPLES / "park_seoyeon.ipynb")}
    with pytest.raises(SyntaxError):
        compile(next(s for s in cells.values() if s.startswith("def standardize")), "<park>", "exec")


# -- TensorFlow from here on: q2's models, in this process ---------------------------------------------------

@pytest.fixture(scope="module")
def keras() -> Any:
    return pytest.importorskip("keras")


def model_function(keras: Any, problem: str, make: Callable[..., Any]) -> Callable[..., Any]:
    """A ``build_model`` whose model for ``problem`` comes from ``make(input_dim, num_classes, one_hot)``."""
    def build_model(asked: str, input_dim: int, num_classes: int, one_hot: bool = False) -> Any:
        assert asked == problem
        return make(input_dim, num_classes, one_hot)
    return build_model


def dense_model(keras: Any, units: Callable[[int], int], activation: Any, loss: Any, *,
                activation_layer: str | None = None, compile_model: bool = True) -> Callable[..., Any]:
    """A maker of Input - Dense(16, relu) - Dense(units, activation) [- activation layer], compiled with loss."""
    def make(input_dim: int, num_classes: int, one_hot: bool) -> Any:
        layers = [keras.Input(shape=(input_dim,)), keras.layers.Dense(16, activation="relu"),
                  keras.layers.Dense(units(num_classes), activation=activation)]
        if activation_layer == "Softmax":
            layers.append(keras.layers.Softmax())
        elif activation_layer is not None:
            layers.append(keras.layers.Activation(activation_layer))
        model = keras.Sequential(layers)
        if compile_model:
            chosen = loss(one_hot) if callable(loss) and not hasattr(loss, "get_config") else loss
            model.compile(optimizer="rmsprop", loss=chosen)
        return model
    return make


def one(classes: int) -> int:
    return 1


def per_class(classes: int) -> int:
    return classes


UNITS = {"binary": one, "single_label": per_class, "multi_label": per_class, "regression": one,
         "regression_0_1": one}


def model_checks(problem: str) -> list[CheckSpec]:
    return spec_named(f"model_{problem}_output", f"model_{problem}_loss")


def accepted_models(keras: Any) -> list[tuple[str, str, Callable[..., Any]]]:
    """(problem, description, maker) for every accepted way the notes and Keras allow."""
    losses = keras.losses
    single = {"strings": lambda one_hot: "categorical_crossentropy" if one_hot else "sparse_categorical_crossentropy",
              "objects": lambda one_hot: losses.CategoricalCrossentropy() if one_hot
              else losses.SparseCategoricalCrossentropy()}
    cases: list[tuple[str, str, Callable[..., Any]]] = []
    for problem, activations, loss_names in (
            ("binary", ["sigmoid"], ["binary_crossentropy", "bce", losses.BinaryCrossentropy()]),
            ("multi_label", ["sigmoid"], ["binary_crossentropy", losses.BinaryCrossentropy()]),
            ("regression", [None, "linear"], ["mse", "mean_squared_error", losses.MeanSquaredError(), "mae",
                                              "huber", "log_cosh", losses.Huber()]),
            ("regression_0_1", ["sigmoid"], ["mse", "binary_crossentropy", "mae", losses.LogCosh()])):
        for activation in activations:
            cases.append((problem, f"Dense({activation})", dense_model(keras, UNITS[problem], activation,
                                                                       loss_names[0])))
        for loss in loss_names:
            cases.append((problem, f"loss {loss}", dense_model(keras, UNITS[problem], activations[0], loss)))
        if activations[0] is not None:  # the activation as a layer of its own
            cases.append((problem, "Activation layer", dense_model(keras, UNITS[problem], None, loss_names[0],
                                                                   activation_layer=activations[0])))
    for description, loss in single.items():
        cases.append(("single_label", f"softmax, {description}", dense_model(keras, per_class, "softmax", loss)))
    cases.append(("single_label", "Softmax layer", dense_model(keras, per_class, None, single["strings"],
                                                               activation_layer="Softmax")))
    cases.append(("single_label", "Activation layer", dense_model(keras, per_class, None, single["objects"],
                                                                  activation_layer="softmax")))
    return cases


@pytest.mark.slow
def test_every_accepted_model_passes(keras: Any) -> None:
    for problem, description, make in accepted_models(keras):
        namespace = {"build_model": model_function(keras, problem, make)}
        assert failures(run_checks(model_checks(problem), handle(namespace))) == {}, (problem, description)


def wrong_models(keras: Any) -> list[tuple[str, str, Callable[..., Any], dict[str, str]]]:
    """(problem, description, maker, {check: message}) for the typical wrong models."""
    losses = keras.losses
    out, loss_check = "output", "loss"
    cases = [
        ("binary", "softmax on one unit", dense_model(keras, one, "softmax", "binary_crossentropy"),
         {out: K + "one_unit_softmax"}),
        ("binary", "two softmax units", dense_model(keras, per_class, "softmax", "sparse_categorical_crossentropy"),
         {out: K + "binary_two_units", loss_check: K + "binary_sparse"}),
        ("binary", "categorical_crossentropy", dense_model(keras, one, "sigmoid", "categorical_crossentropy"),
         {loss_check: K + "binary_categorical"}),
        ("binary", "mse", dense_model(keras, one, "sigmoid", "mse"),
         {loss_check: K + "classification_regression_loss"}),
        ("binary", "hinge", dense_model(keras, one, "sigmoid", "hinge"), {loss_check: "model.loss"}),
        ("binary", "logits", dense_model(keras, one, None, losses.BinaryCrossentropy(from_logits=True)),
         {out: K + "logits_output"}),
        ("binary", "sigmoid twice", dense_model(keras, one, "sigmoid", losses.BinaryCrossentropy(from_logits=True)),
         {loss_check: K + "double_activation"}),
        ("binary", "relu", dense_model(keras, one, "relu", "binary_crossentropy"), {out: K + "binary_not_probability"}),
        ("single_label", "sigmoid", dense_model(keras, per_class, "sigmoid", lambda h: "categorical_crossentropy"
                                                if h else "sparse_categorical_crossentropy"),
         {out: K + "single_label_sigmoid"}),
        ("single_label", "binary_crossentropy", dense_model(keras, per_class, "softmax", "binary_crossentropy"),
         {loss_check: K + "single_label_binary"}),
        ("single_label", "always sparse", dense_model(keras, per_class, "softmax", "sparse_categorical_crossentropy"),
         {loss_check: K + "sparse_with_one_hot"}),
        ("single_label", "always categorical", dense_model(keras, per_class, "softmax", "categorical_crossentropy"),
         {loss_check: K + "categorical_with_integers"}),
        ("single_label", "softmax and from_logits",
         dense_model(keras, per_class, "softmax", lambda h: losses.CategoricalCrossentropy(from_logits=True)
                     if h else losses.SparseCategoricalCrossentropy(from_logits=True)),
         {loss_check: K + "double_activation"}),
        ("single_label", "ten units", dense_model(keras, lambda c: 10, "softmax", lambda h: "categorical_crossentropy"
                                                  if h else "sparse_categorical_crossentropy"),
         {out: K + "units_classes"}),
        ("multi_label", "softmax", dense_model(keras, per_class, "softmax", "binary_crossentropy"),
         {out: K + "multi_label_softmax"}),
        ("multi_label", "categorical_crossentropy",
         dense_model(keras, per_class, "sigmoid", "categorical_crossentropy"),
         {loss_check: K + "multi_label_categorical"}),
        ("multi_label", "one unit", dense_model(keras, one, "sigmoid", "binary_crossentropy"),
         {out: K + "units_classes"}),
        ("regression", "relu", dense_model(keras, one, "relu", "mse"), {out: K + "regression_relu"}),
        ("regression", "sigmoid", dense_model(keras, one, "sigmoid", "mse"), {out: K + "regression_bounded"}),
        ("regression", "leaky_relu", dense_model(keras, one, "leaky_relu", "mse"), {out: "model.last_activation"}),
        ("regression", "binary_crossentropy", dense_model(keras, one, None, "binary_crossentropy"),
         {loss_check: K + "regression_crossentropy"}),
        ("regression", "two units", dense_model(keras, lambda c: 2, None, "mse"), {out: K + "units_one"}),
        ("regression_0_1", "no activation", dense_model(keras, one, None, "mse"), {out: K + "unit_linear"}),
        ("regression_0_1", "relu", dense_model(keras, one, "relu", "mse"), {out: K + "unit_out_of_range"}),
        ("regression_0_1", "categorical_crossentropy", dense_model(keras, one, "sigmoid", "categorical_crossentropy"),
         {loss_check: K + "unit_categorical"}),
        ("regression", "not compiled", dense_model(keras, one, None, "mse", compile_model=False),
         {loss_check: "model.not_compiled"}),
    ]
    return cases


@pytest.mark.slow
def test_each_wrong_model_fails_with_its_own_message(keras: Any) -> None:
    for problem, description, make, expected in wrong_models(keras):
        namespace = {"build_model": model_function(keras, problem, make)}
        results = run_checks(model_checks(problem), handle(namespace))
        assert failures(results) == {f"model_{problem}_{part}": key for part, key in expected.items()}, description
        for result in results:
            if not result.passed:
                expect_renders(result)
                assert "build_model(" in result.render("ko")


@pytest.mark.slow
def test_models_that_cannot_be_graded_are_refused_with_a_message(keras: Any) -> None:
    class Doubled(keras.layers.Layer):  # a class that is not part of Keras
        def call(self, x: Any) -> Any:
            return x * 2

    def with_input(input_dim: int, *layers: Any) -> Any:
        model = keras.Sequential([keras.Input(shape=(input_dim,)), *layers])
        model.compile(optimizer="rmsprop", loss="binary_crossentropy")
        return model

    cases: dict[str, tuple[Callable[..., Any], str, dict[str, Any]]] = {
        "lambda": (lambda d, c, h: with_input(d, keras.layers.Dense(1, activation="sigmoid"),
                                              keras.layers.Lambda(lambda x: x)), "model.lambda_refused", {}),
        "custom class": (lambda d, c, h: with_input(d, keras.layers.Dense(1, activation="sigmoid"), Doubled()),
                         "model.custom_refused", {}),
        "huge": (lambda d, c, h: with_input(d, keras.layers.Dense(5000), keras.layers.Dense(1, activation="sigmoid")),
                 "model.too_large", {"model_bytes": 2**16}),
        "not a model": (lambda d, c, h: "sigmoid", "model.not_a_model", {}),
        "fixed input size": (lambda d, c, h: with_input(10000, keras.layers.Dense(1, activation="sigmoid")),
                             K + "input_shape", {}),
    }
    for description, (make, key, context) in cases.items():
        namespace = {"build_model": model_function(keras, "binary", make)}
        results = run_checks(model_checks("binary"), handle(namespace, **context))
        assert set(failures(results).values()) == {key}, description
        for result in results:
            expect_renders(result)


@pytest.mark.slow
def test_a_notebook_dense_passed_off_as_keras_own_earns_nothing_on_q2(keras: Any) -> None:
    """A ``Dense`` subclass whose ``call`` ignores its input saves as Keras' own ``Dense`` when its ``__module__``
    names Keras; the grader would rebuild a real ``Dense`` and grade another model than the notebook ran."""
    class Dense(keras.layers.Dense):
        def call(self, inputs: Any) -> Any:
            return keras.ops.zeros_like(inputs[..., :1]) + keras.ops.zeros((self.units,)) + 0.5

    Dense.__module__ = "keras.src.layers.core.dense"
    right = {"binary": ("sigmoid", "binary_crossentropy"), "multi_label": ("sigmoid", "binary_crossentropy"),
             "regression": (None, "mse"), "regression_0_1": ("sigmoid", "mse")}

    def build_model(problem: str, input_dim: int, num_classes: int, one_hot: bool = False) -> Any:
        activation, loss = right.get(problem, ("softmax", "categorical_crossentropy" if one_hot
                                               else "sparse_categorical_crossentropy"))
        model = keras.Sequential([keras.Input(shape=(input_dim,)), keras.layers.Dense(16, activation="relu"),
                                  Dense(UNITS[problem](num_classes), activation=activation)])
        model.compile(optimizer="rmsprop", loss=loss)
        return model

    q2 = [s for s in specs() if s.question == "q2"]
    results = run_checks(q2, handle({"build_model": build_model}))
    assert set(failures(results)) == {s.name for s in q2}
    assert set(failures(results).values()) == {"model.custom_refused"}
    assert points(results)["q2"] == 0.0
    for result in results:
        expect_renders(result)


# -- the reference, one variant per typical mistake, and the template, run in this process ------------------

FULL = dict(POINTS)
TABLE_LINE = {problem: line for problem, line in (
    ("binary", '"binary": ("sigmoid", "binary_crossentropy"),'),
    ("single_label", '"single_label": ("softmax", "categorical_crossentropy"),'),
    ("multi_label", '"multi_label": ("sigmoid", "binary_crossentropy"),'),
    ("regression", '"regression": (None, "mse"),'),
    ("regression_0_1", '"regression_0_1": ("sigmoid", "mse"),'))}
ONE_HOT_LINE = 'loss = "categorical_crossentropy" if one_hot else "sparse_categorical_crossentropy"'
UNITS_LINE = 'units = num_classes if problem in ("single_label", "multi_label") else 1'
NORMALIZE_LINE = 'return x.astype("float32") / 255'
STATISTICS_LINES = "    mean = train.mean(axis=0)\n    std = train.std(axis=0)\n"



def twice(problem: str, table_part: str, model_part: str, key: str) -> dict[str, str]:
    """A wrong table entry fails in q1 and, since build_model uses the table, in q2 too."""
    return {f"table_{problem}_{table_part}": K + key, f"model_{problem}_{model_part}": K + key}


# name: (replacements in the reference, points per question, {failing check: message key})
MISTAKES: dict[str, tuple[list[tuple[str, str]], dict[str, float], dict[str, str]]] = {
    "multi_label_softmax": (
        [(TABLE_LINE["multi_label"], '"multi_label": ("softmax", "binary_crossentropy"),')],
        {**FULL, "q1": 4.5, "q2": 4.5},
        twice("multi_label", "activation", "output", "multi_label_softmax")),
    "multi_label_categorical_crossentropy": (
        [(TABLE_LINE["multi_label"], '"multi_label": ("sigmoid", "categorical_crossentropy"),')],
        {**FULL, "q1": 4.5, "q2": 4.5},
        twice("multi_label", "loss", "loss", "multi_label_categorical")),
    "regression_relu": (
        [(TABLE_LINE["regression"], '"regression": ("relu", "mse"),')],
        {**FULL, "q1": 4.5, "q2": 4.5},
        twice("regression", "activation", "output", "regression_relu")),
    "regression_sigmoid": (
        [(TABLE_LINE["regression"], '"regression": ("sigmoid", "mse"),')],
        {**FULL, "q1": 4.5, "q2": 4.5},
        twice("regression", "activation", "output", "regression_bounded")),
    "binary_categorical_crossentropy": (
        [(TABLE_LINE["binary"], '"binary": ("sigmoid", "categorical_crossentropy"),')],
        {**FULL, "q1": 4.5, "q2": 4.5},
        twice("binary", "loss", "loss", "binary_categorical")),
    "single_label_sigmoid": (
        [(TABLE_LINE["single_label"], '"single_label": ("sigmoid", "categorical_crossentropy"),')],
        {**FULL, "q1": 4.5, "q2": 4.5},
        twice("single_label", "activation", "output", "single_label_sigmoid")),
    "regression_0_1_without_activation": (
        [(TABLE_LINE["regression_0_1"], '"regression_0_1": (None, "mse"),')],
        {**FULL, "q1": 4.5, "q2": 4.5},
        twice("regression_0_1", "activation", "output", "unit_linear")),
    "sparse_with_one_hot_labels": (
        [(ONE_HOT_LINE, 'loss = "sparse_categorical_crossentropy"')],
        {**FULL, "q2": 4.5}, {"model_single_label_loss": K + "sparse_with_one_hot"}),
    "categorical_with_integer_labels": (
        [(ONE_HOT_LINE, 'loss = "categorical_crossentropy"')],
        {**FULL, "q2": 4.5}, {"model_single_label_loss": K + "categorical_with_integers"}),
    "binary_with_two_units": (
        [(UNITS_LINE, 'units = 1 if problem.startswith("regression") else num_classes')],
        {**FULL, "q2": 4.5}, {"model_binary_output": K + "binary_two_units"}),
    "not_compiled": (
        [('    model.compile(optimizer="rmsprop", loss=loss)\n', "")],
        {**FULL, "q2": 2.5}, {f"model_{p}_loss": "model.not_compiled" for p in PROBLEMS}),
    "images_float64": (
        [(NORMALIZE_LINE, "return x / 255")], {**FULL, "q3": 2.0}, {"normalize_images_float32": K + "images_dtype"}),
    "images_divided_by_the_batch_max": (
        [(NORMALIZE_LINE, 'return x.astype("float32") / x.max()')], {**FULL, "q3": 2.0},
        {"normalize_images_random_inputs": K + "images_batch_max"}),
    "test_statistics": (
        [("(test - mean) / std", "(test - test.mean(axis=0)) / test.std(axis=0)")], {**FULL, "q4": 1.0},
        {"standardize_test_data": K + "standardize_test_statistics",
         "standardize_random_inputs": K + "standardize_test_statistics"}),
    "statistics_of_all_the_data": (
        [(STATISTICS_LINES, "    both = np.concatenate([train, test])\n    mean = both.mean(axis=0)\n"
                            "    std = both.std(axis=0)\n")], {**FULL, "q4": 0.0},
        dict.fromkeys(Q4_CHECKS, K + "standardize_whole_data")),
}


@cache
def graded_in_process(name: str) -> tuple[tuple[CheckResult, ...], dict[int, str]]:
    if name == "reference":
        cells = notebook_cells(REFERENCE)
    elif name == "template":
        cells = template_cells()
    else:
        cells = substituted(MISTAKES[name][0])
    namespace, errors = execute(cells)
    return tuple(run_checks(specs(), LocalHandle(namespace, cells))), errors


@pytest.mark.slow
def test_the_reference_earns_full_marks_in_process(keras: Any) -> None:
    results, errors = graded_in_process("reference")
    assert errors == {} and failures(results) == {}
    assert points(results) == FULL


@pytest.mark.slow
@pytest.mark.parametrize("name", list(MISTAKES))
def test_each_typical_mistake_loses_exactly_its_points(keras: Any, name: str) -> None:
    _, expected_points, expected_failures = MISTAKES[name]
    results, errors = graded_in_process(name)
    assert errors == {}
    assert failures(results) == expected_failures
    assert points(results) == expected_points
    for result in results:
        if not result.passed:
            expect_renders(result)


@pytest.mark.slow
def test_the_blank_template_earns_nothing(keras: Any) -> None:
    results, _ = graded_in_process("template")
    assert not any(r.passed for r in results)
    keys = {r.question: set() for r in results}
    for r in results:
        keys[r.question].add(r.key)
    assert keys == {"q1": {K + "not_a_pair"}, "q2": {"model.not_a_model"}, "q3": {"check.not_array"},
                    "q4": {K + "standardize_not_pair"}}


@pytest.mark.slow
def test_grader_check_in_a_students_ipython_runs_only_the_public_checks(
        keras: Any, ipython: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT / "assignments" / NAME)  # the handed-out folder, with its public_checks.py
    for cell in notebook_cells(EXAMPLES / "lee_junho.ipynb"):
        if not CHECK_CELL.match(cell.source):
            ipython.run_cell(cell.source, store_history=True)
    grader = ipython.user_ns["grader"]
    reports = {question: grader.check(question) for question in POINTS}
    assert all(not r.hidden for report in reports.values() for r in report.results)
    failed = {r.name for report in reports.values() for r in report.results if not r.passed}
    assert failed == {"table_binary_loss", "model_binary_loss", "normalize_images_float32", "standardize_test_data"}
    assert "binary_crossentropy" in repr(reports["q1"])


# -- graded for real: sandboxes, one run --------------------------------------------------------------------

EXPECTED_SCORES = {
    "reference": FULL,
    "kim_minji": FULL,
    "lee_junho": {"q1": 3.5, "q2": 3.0, "q3": 2.0, "q4": 1.0},
    "park_seoyeon": {"q1": 0.0, "q2": 2.5, "q3": 0.0, "q4": 0.0},
    "template": {"q1": 0.0, "q2": 0.0, "q3": 0.0, "q4": 0.0},
}
EXPECTED_FAILURES = {
    "reference": {},
    "kim_minji": {},
    "lee_junho": {
        "table_binary_loss": K + "binary_categorical",
        "table_multi_label_activation": K + "multi_label_softmax",
        "table_regression_activation": K + "regression_relu",
        "model_binary_loss": K + "binary_categorical",
        "model_single_label_loss": K + "sparse_with_one_hot",
        "model_multi_label_output": K + "multi_label_softmax",
        "model_regression_output": K + "regression_relu",
        "normalize_images_float32": K + "images_dtype",
        "standardize_test_data": K + "standardize_test_statistics",
        "standardize_random_inputs": K + "standardize_test_statistics",
    },
    "park_seoyeon": {
        **{f"table_{p}_{part}": "check.raised" for p in PROBLEMS for part in ("activation", "loss")},
        **{f"model_{p}_loss": "model.not_compiled" for p in PROBLEMS},
        "normalize_images_book_example": K + "images_integer",
        "normalize_images_float32": K + "images_dtype",
        "normalize_images_random_inputs": K + "images_integer",
        **dict.fromkeys(Q4_CHECKS, "check.reply_missing"),
    },
}


@pytest.fixture(scope="module")
def sandbox_run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(SOLUTION_DIR, course / "solutions" / NAME)
    limits = load_config(ROOT / "grading_config.yaml").limits_for(NAME)
    config = course / "grading_config.yaml"
    config.write_text(textwrap.dedent(f"""\
        language: ko
        assignments:
          {NAME}:
            points: {{q1: 5, q2: 5, q3: 3, q4: 3}}
            limits: {limits.model_dump_json()}
        """))
    assign(assignment=NAME, config_path=config)
    submissions = course / "submissions"
    submissions.mkdir()
    shutil.copy(REFERENCE, submissions / "reference.ipynb")
    shutil.copy(course / "assignments" / NAME / f"{NAME}.ipynb", submissions / "template.ipynb")
    for path in EXAMPLES.glob("*.ipynb"):
        shutil.copy(path, submissions / path.name)
    summary = grade.main(assignment=NAME, inputs=[submissions], config_path=config)
    return SimpleNamespace(results={r.student: r for r in summary.results}, limits=limits)


@pytest.mark.slow
def test_sandbox_grades_every_submission_with_the_intended_points(sandbox_run: Any) -> None:
    results = sandbox_run.results
    assert sorted(results) == sorted(EXPECTED_SCORES)
    for student, expected in EXPECTED_SCORES.items():
        result = results[student]
        assert result.status == "graded", (student, result.reasons)
        assert {q.question: q.points for q in result.questions} == expected, student
    for student, expected in EXPECTED_FAILURES.items():
        checks = [c for q in results[student].questions for c in q.checks]
        assert failures(checks) == expected, student


@pytest.mark.slow
def test_sandbox_feedback_is_korean_and_the_run_is_cheap(sandbox_run: Any) -> None:
    lee = sandbox_run.results["lee_junho"]
    softmax = next(c for q in lee.questions for c in q.checks if c.name == "table_multi_label_activation")
    assert "softmax는 클래스끼리 경쟁" in softmax.render("ko")
    park = sandbox_run.results["park_seoyeon"]
    assert [c.ename for c in park.cells] == ["SyntaxError"]
    for result in sandbox_run.results.values():
        assert result.seconds < 60  # TensorFlow's import plus a few seconds of checks
