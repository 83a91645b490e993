"""Public checks of "kfold_regression" (Deep Learning with Python, sections 3.6 / 4.2: Boston housing).

Students run these in their notebook with ``grader.check("qN")``; the grader
runs them too. ``hidden_checks.py`` adds random inputs (standardisation,
K-fold partitions, smooth_curve) and the final model's test MAE, and reuses
the diagnosing helpers defined here.

Points (grading_config.yaml): q1 standardize 2, q2 build_model 3, q3 K-fold 4,
q4 smooth_curve 2, q5 final model 3. Every check weighs 1 in its question.

Choices the issue left open, stated here and in the notebook:
- ``standardize`` returns the pair ``(train, test)``; modifying the inputs in
  place as the book does is allowed as long as the pair is returned.
- ``k_fold_split`` follows the book: ``n = len(data) // k``, validation fold i
  is ``data[i*n:(i+1)*n]`` and training is the rest, so the last
  ``len(data) % k`` rows always train and never validate. A split in which
  every row validates once (``np.array_split``: sizes differ by one) is a
  correct K-fold too and is accepted. Rows cannot be shuffled.
- ``k_fold_validate`` returns ``(all_scores, all_mae_histories, models)``:
  the models let the grader see that every fold trained a fresh model
  (identical weights in two folds mean one model was reused) and recompute
  each fold's validation MAE itself. The grader calls it on the Boston
  training data standardised by the grader, with k=3, 6 epochs, batch 8
  (a few seconds on a CPU), and once more on data it makes so that each
  fold's validation rows carry a signal of their own: a model that trained on
  its own validation rows follows that signal, and the grader measures that
  on the returned models (``k_fold_validate_never_trains_on_validation``; such
  a leak also voids the validation scores). Each fold's validation rows are
  those of the student's own ``k_fold_split`` of the same data.

Expected outputs for the public inputs are values (``public_expected.json``
beside the handed-out copy of this file, computed by ``reference.py``, which
holds the answer-computing helpers and is never handed out).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from autograder.author import (
    CheckFailed,
    Handle,
    KerasFile,
    LayerSpec,
    Reply,
    check,
    describe,
    expect,
    keras_dataset,
    keras_expect,
    public_expected,
    shape_text,
)

FEATURES = 13

# The grader's call of k_fold_validate: cheap on a CPU, long enough for every fold to beat the mean.
VALIDATE_K, VALIDATE_EPOCHS, VALIDATE_BATCH = 3, 6, 8


# ---------------------------------------------------------------------------------------------------
# data


def boston(nb: Any) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The Boston housing split Keras gives (404 training, 102 test rows); copies, never the cache."""
    (x_train, y_train), (x_test, y_test) = keras_dataset(nb, "boston_housing")
    return ((np.array(x_train, dtype=np.float64), np.array(y_train, dtype=np.float64)),
            (np.array(x_test, dtype=np.float64), np.array(y_test, dtype=np.float64)))


def standardized_boston(nb: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Boston standardised as the exercise asks: training mean and std applied to both parts."""
    (x_train, y_train), (x_test, y_test) = boston(nb)
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    return (x_train - mean) / std, y_train, (x_test - mean) / std, y_test


# ---------------------------------------------------------------------------------------------------
# q1 standardize


def _matches(got: np.ndarray, expected: Any) -> bool:
    wanted = np.asarray(expected, dtype=np.float64)
    return got.shape == wanted.shape and bool(np.allclose(got.astype(np.float64), wanted, rtol=1e-4, atol=1e-4))


def _which_statistics(got: np.ndarray, candidates: Mapping[str, Sequence[Any]]) -> str:
    """Whose mean and std standardised ``got``: train (right), test, whole (train + test), or none.

    ``candidates``: the part standardised with each one's statistics (ddof 0 and 1), from the stored
    expected values (public inputs) or the reference helpers (hidden inputs).
    """
    for name in ("train", "test", "whole"):
        if any(_matches(got, candidate) for candidate in candidates[name]):
            return name
    return "none"


def expect_standardized(nb: Any, train: np.ndarray, test: np.ndarray,
                        expected: Mapping[str, Mapping[str, Sequence[Any]]]) -> None:
    """``standardize(train, test)`` returns both parts standardised with the training statistics only.

    ``expected[part]`` holds the candidates for the returned ``part`` (``train_data``, ``test_data``).
    """
    call = expect.call_text("standardize", (train, test))
    got = expect.returned(nb.call("standardize", train.copy(), test.copy()), call)
    if not isinstance(got, tuple | list) or len(got) != 2:
        raise CheckFailed("kfold_regression.standardize_not_pair", call=call, found=expect.describe(got))
    for part, value, x in (("train_data", got[0], train), ("test_data", got[1], test)):
        if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
            raise CheckFailed("kfold_regression.standardize_not_pair", call=call, found=expect.describe(got))
        if value.shape != x.shape:
            raise CheckFailed("check.shape", call=f"{call} -> {part}", expected=x.shape, received=value.shape)
    # The test part first: that is where a leak shows.
    for part, value in (("test_data", got[1]), ("train_data", got[0])):
        used = _which_statistics(value, expected[part])
        if used == "test":
            raise CheckFailed("kfold_regression.leak_test_statistics", call=call, part=part)
        if used == "whole":
            raise CheckFailed("kfold_regression.leak_whole_data", call=call, part=part)
        if used == "none":
            raise CheckFailed("kfold_regression.standardize_wrong", call=call, part=part)


def _columns(rng: np.random.Generator, rows: int, means: np.ndarray, scales: np.ndarray) -> np.ndarray:
    return means + scales * rng.standard_normal((rows, len(means)))


def standardize_example_inputs() -> tuple[np.ndarray, np.ndarray]:
    """Training and test parts whose means and spreads differ on purpose, so each kind of leak shows."""
    rng = np.random.default_rng(301)
    train = _columns(rng, 40, np.array([10.0, -5.0, 0.5]), np.array([2.0, 0.5, 3.0]))
    test = _columns(rng, 12, np.array([14.0, -3.0, 2.0]), np.array([0.7, 1.5, 1.0]))
    return train, test


@check("q1", weight=1,
       title={"ko": "예제 입력: 훈련 데이터의 통계로만 표준화",
              "en": "Example: standardises with the training statistics only"})
def standardize_example(nb):
    train, test = standardize_example_inputs()
    expect_standardized(nb, train, test, public_expected(__file__)["standardize_example"])


# ---------------------------------------------------------------------------------------------------
# q2 build_model

HIDDEN_LAYERS = [LayerSpec(kind="Dense", units=64, activation="relu", output_shape=(None, 64)),
                 LayerSpec(kind="Dense", units=64, activation="relu", output_shape=(None, 64))]
OUTPUT_LAYER = LayerSpec(kind="Dense", units=1, output_shape=(None, 1))


def built_model(nb: Any) -> Any:
    """A fresh model from the student's ``build_model()``, loaded safely in the grader."""
    return keras_expect.model(nb.call("build_model"), "build_model()", max_bytes=nb.context.model_bytes)


@check("q2", weight=1,
       title={"ko": "`build_model()`의 층과 파라미터 수", "en": "`build_model()`'s layers and parameter count"})
def build_model_layers(nb):
    info = describe(built_model(nb))
    if info.input_shape is None or any(layer.output_shape is None for layer in info.layers):
        raise CheckFailed("kfold_regression.model_not_built", what="build_model()")
    if tuple(info.input_shape) != (None, FEATURES):
        raise CheckFailed("kfold_regression.input_shape", what="build_model()", expected=shape_text((None, FEATURES)),
                          found=shape_text(info.input_shape))
    keras_expect.architecture(info, [*HIDDEN_LAYERS, OUTPUT_LAYER], "build_model()")
    keras_expect.parameters(info, "build_model()", total=(FEATURES + 1) * 64 + 65 * 64 + 65)


@check("q2", weight=1, title={"ko": "회귀 출력층에 활성화 함수 없음", "en": "No activation on the regression output"})
def build_model_output_has_no_activation(nb):
    info = describe(built_model(nb))
    last = info.last
    found = last.activation if last is not None else None
    if found == "sigmoid":
        raise CheckFailed("kfold_regression.sigmoid_output", what="build_model()")
    if found == "relu":
        raise CheckFailed("kfold_regression.relu_output", what="build_model()")
    if found != "linear":
        raise CheckFailed("kfold_regression.output_activation", what="build_model()", found=found or "-")


@check("q2", weight=1,
       title={"ko": "`build_model()`의 손실 함수, 지표, 옵티마이저",
              "en": "`build_model()`'s loss, metric and optimizer"})
def build_model_compile(nb):
    info = describe(built_model(nb))
    keras_expect.loss(info, ["mse"], "build_model()", "@task.regression")
    keras_expect.metrics(info, ["mae"], "build_model()")
    keras_expect.optimizer(info, "build_model()", name="rmsprop")


# ---------------------------------------------------------------------------------------------------
# q3 K-fold: the partition


def id_rows(rows: int, width: int, rng: np.random.Generator, dtype: Any = np.float64) -> tuple[np.ndarray, np.ndarray]:
    """Data whose first column is each row's number, and targets that encode it too (1000 + row)."""
    data = rng.standard_normal((rows, width)).astype(dtype)
    data[:, 0] = np.arange(rows)
    targets = (1000.0 + np.arange(rows)).astype(dtype)
    return data, targets


def _row_ids(x: np.ndarray, data: np.ndarray, call: str, fold: int, part: str) -> np.ndarray:
    """The row numbers of ``x`` (rows of ``data``); fail if a row is not a whole, unchanged row of it."""
    if x.ndim != 2 or x.shape[1:] != data.shape[1:]:
        raise CheckFailed("kfold_regression.fold_rows_changed", call=call, fold=fold, part=part)
    ids = x[:, 0].astype(np.float64)
    whole = np.round(ids)
    if len(x) and (np.any(whole != ids) or whole.min() < 0 or whole.max() >= len(data)):
        raise CheckFailed("kfold_regression.fold_rows_changed", call=call, fold=fold, part=part)
    rows = whole.astype(np.int64)
    if not np.array_equal(x.astype(np.float64), data[rows].astype(np.float64)):
        raise CheckFailed("kfold_regression.fold_rows_changed", call=call, fold=fold, part=part)
    return rows


def folds_of(got: Any, k: int, call: str) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """``k_fold_split``'s answer as k tuples of four arrays, or a failure saying what it was."""
    if not isinstance(got, list | tuple):
        raise CheckFailed("kfold_regression.not_folds", call=call, found=expect.describe(got))
    if len(got) != k:
        raise CheckFailed("kfold_regression.fold_count", call=call, k=k, found=len(got))
    folds = []
    for number, fold in enumerate(got, start=1):
        if not isinstance(fold, list | tuple) or len(fold) != 4 or not all(
                isinstance(a, np.ndarray) and a.dtype.kind in "biuf" for a in fold):
            raise CheckFailed("kfold_regression.fold_not_arrays", call=call, fold=number, found=expect.describe(fold))
        folds.append((fold[0], fold[1], fold[2], fold[3]))
    return folds


def expect_partition(nb: Any, data: np.ndarray, targets: np.ndarray, k: int) -> None:
    """``k_fold_split(data, targets, k)`` is a K-fold partition of ``data``'s rows, targets aligned."""
    call = f"k_fold_split({expect.describe(data)}, {expect.describe(targets)}, k={k})"
    folds = folds_of(expect.returned(nb.call("k_fold_split", data, targets, k), call), k, call)
    rows, n = len(data), len(data) // k
    validation: list[np.ndarray] = []
    for number, (x_train, y_train, x_val, y_val) in enumerate(folds, start=1):
        ids = {}
        for part, x, y in (("x_train", x_train, y_train), ("x_val", x_val, y_val)):
            ids[part] = _row_ids(x, data, call, number, part)
            y_part = "y_train" if part == "x_train" else "y_val"
            if y.reshape(-1).shape != (len(x),) or not np.array_equal(
                    y.reshape(-1).astype(np.float64), targets[ids[part]].astype(np.float64)):
                raise CheckFailed("kfold_regression.fold_targets_misaligned", call=call, fold=number, part=y_part,
                                  rows=part)
        train_ids, val_ids = ids["x_train"], ids["x_val"]
        leaked = np.intersect1d(train_ids, val_ids)
        if len(leaked):
            raise CheckFailed("kfold_regression.train_has_val_rows", call=call, fold=number, count=len(leaked),
                              size=len(np.unique(val_ids)))
        for part, part_ids in (("x_train", train_ids), ("x_val", val_ids)):
            if len(np.unique(part_ids)) != len(part_ids):
                raise CheckFailed("kfold_regression.rows_repeated", call=call, fold=number, part=part,
                                  count=len(part_ids) - len(np.unique(part_ids)))
        missing = rows - len(train_ids) - len(val_ids)
        if missing:
            raise CheckFailed("kfold_regression.rows_missing", call=call, fold=number, count=missing, total=rows)
        if len(val_ids) not in (n, n + 1):
            raise CheckFailed("kfold_regression.fold_size", call=call, fold=number, found=len(val_ids), expected=n,
                              rows=rows, k=k)
        validation.append(val_ids)
    for first in range(k):
        for second in range(first + 1, k):
            shared = np.intersect1d(validation[first], validation[second])
            if len(shared):
                raise CheckFailed("kfold_regression.folds_overlap", call=call, first=first + 1, second=second + 1,
                                  count=len(shared))
    validated = sum(len(v) for v in validation)
    if validated not in (k * n, rows):
        raise CheckFailed("kfold_regression.fold_size", call=call, fold=1, found=len(validation[0]), expected=n,
                          rows=rows,
                          k=k)


@check("q3", weight=1,
       title={"ko": "예제 입력: `k_fold_split`이 K개의 폴드로 나눔",
              "en": "Example: `k_fold_split` makes a K-fold partition"})
def k_fold_split_example(nb):
    rng = np.random.default_rng(302)
    for rows, width, k in ((12, 3, 3), (10, 2, 4)):  # 10 rows in 4 folds: 2 rows each, 2 rows left over
        data, targets = id_rows(rows, width, rng)
        expect_partition(nb, data, targets, k)


# ---------------------------------------------------------------------------------------------------
# q3 K-fold: the grader's calls of k_fold_validate, each once per notebook, shared by the checks below


class KFoldRun:
    """What one grader's call of ``k_fold_validate`` gave, once per notebook.

    (A plain class: checks files are imported without a ``sys.modules`` entry, which ``dataclass`` needs.)
    """

    def __init__(self, call: str, k: int, epochs: int) -> None:
        self.call, self.k, self.epochs = call, k, epochs
        self.failure: CheckFailed | None = None
        self.split_failure: CheckFailed | None = None  # the student's folds of this data could not be read
        self.scores: list[float] = []
        self.histories: list[list[float]] = []
        self.models: list[Any] = []
        self.validation: list[tuple[np.ndarray, np.ndarray]] = []
        self.baselines: list[float] = []




def _numbers(value: Any) -> list[float] | None:
    if isinstance(value, np.ndarray) and value.ndim == 1 and value.dtype.kind in "iuf":
        return [float(v) for v in value]
    if isinstance(value, list | tuple) and all(
            isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool) for v in value):
        return [float(v) for v in value]
    return None


def _student_folds(nb: Any, data: np.ndarray, k: int, call: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """The training and validation rows (their numbers) of each fold of the student's ``k_fold_split`` of ``data``.

    The student's ``k_fold_validate`` trains on the folds of their ``k_fold_split`` (rows are never shuffled),
    so the grader asks that function which rows each fold validates on: it passes each row's number as its
    target. Fails (naming the split) when the answer is not k folds of whole rows.
    """
    ids = np.arange(len(data), dtype=np.float64)
    reply = nb.call("k_fold_split", data, ids, k)
    try:
        folds = folds_of(expect.returned(reply, "k_fold_split"), k, "k_fold_split")
    except CheckFailed as failed:
        raise CheckFailed("kfold_regression.validate_needs_split", call=call, k=k) from failed
    rows = []
    for x_train, y_train, x_val, y_val in folds:
        parts = []
        for x, y in ((x_train, y_train), (x_val, y_val)):
            numbers = y.reshape(-1).astype(np.float64)
            whole = np.round(numbers)
            if len(numbers) != len(x) or np.any(whole != numbers) or (
                    len(numbers) and (whole.min() < 0 or whole.max() >= len(data))):
                raise CheckFailed("kfold_regression.validate_needs_split", call=call, k=k)
            parts.append(whole.astype(np.int64))
        if len(parts[1]) == 0:
            raise CheckFailed("kfold_regression.validate_needs_split", call=call, k=k)
        rows.append((parts[0], parts[1]))
    return rows


def _validate(nb: Any, run: KFoldRun, data: np.ndarray, targets: np.ndarray, batch: int) -> None:
    """Call ``k_fold_validate`` and read its triple into ``run`` (a failure saying what was wrong, raised)."""
    call, k, epochs = run.call, run.k, run.epochs
    got = expect.returned(nb.call("k_fold_validate", data, targets, k, epochs, batch), call)
    if not isinstance(got, list | tuple) or len(got) != 3 or _numbers(got) is not None:
        found = expect.describe(got) + (" (float)" if _numbers(got) is not None else "")
        raise CheckFailed("kfold_regression.validate_not_triple", call=call, found=found)
    scores, histories, models = got
    if _numbers(scores) is None:
        raise CheckFailed("kfold_regression.validate_part", call=call, part="all_scores", k=k,
                          found=expect.describe(scores))
    run.scores = _numbers(scores) or []
    if not isinstance(histories, list | tuple) or any(_numbers(h) is None for h in histories):
        raise CheckFailed("kfold_regression.validate_part", call=call, part="all_mae_histories", k=k,
                          found=expect.describe(histories))
    run.histories = [_numbers(h) or [] for h in histories]
    if not isinstance(models, list | tuple) or not all(isinstance(m, KerasFile) for m in models):
        raise CheckFailed("kfold_regression.validate_part", call=call, part="models", k=k,
                          found=expect.describe(models))
    for part, value in (("all_scores", run.scores), ("all_mae_histories", run.histories), ("models", models)):
        if len(value) != k:
            raise CheckFailed("kfold_regression.validate_count", call=call, part=part, k=k, found=len(value))
    run.models = [keras_expect.model(Reply("ok", m), f"models[{i}]", max_bytes=nb.context.model_bytes)
                  for i, m in enumerate(models)]


def _run(nb: Any) -> KFoldRun:
    data, targets, _, _ = standardized_boston(nb)
    k, epochs = VALIDATE_K, VALIDATE_EPOCHS
    call = f"k_fold_validate(train_data, train_targets, k={k}, num_epochs={epochs}, batch_size={VALIDATE_BATCH})"
    run = KFoldRun(call, k, epochs)
    try:
        _validate(nb, run, data, targets, VALIDATE_BATCH)
    except CheckFailed as failed:
        run.failure = failed
        return run
    try:
        folds = _student_folds(nb, data, k, call)
    except CheckFailed as failed:
        run.split_failure = failed
        return run
    everything = np.arange(len(data))
    for _, rows in folds:
        y_train = targets[np.setdiff1d(everything, rows)]
        run.validation.append((data[rows], targets[rows]))
        run.baselines.append(float(np.mean(np.abs(targets[rows] - np.mean(y_train)))) if len(y_train) else
                             float("inf"))
    return run


def kfold_run(nb: Handle) -> KFoldRun:
    """The one call of ``k_fold_validate`` on Boston for this notebook (the checks below read it)."""
    return nb.memo("kfold_run", lambda: _run(nb))


def mean_absolute_error(model: Any, x: np.ndarray, y: np.ndarray) -> float:
    """The model's MAE on ``(x, y)``, computed here (an eager call: no tf.function traced per model)."""
    predictions = np.asarray(model(x.astype(np.float32), training=False), dtype=np.float64)
    if predictions.size != len(y):
        raise ValueError(f"{predictions.size} predictions for {len(y)} targets")
    return float(np.mean(np.abs(predictions.reshape(-1) - y.astype(np.float64))))


def _same_weights(first: Any, second: Any) -> bool:
    a, b = first.get_weights(), second.get_weights()
    return len(a) == len(b) and all(x.shape == y.shape and np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def reused_pairs(models: Sequence[Any]) -> list[tuple[int, int]]:
    """Pairs of folds (1-based) whose returned models have identical weights: one model, reused."""
    return [(i + 1, j + 1) for i in range(len(models)) for j in range(i + 1, len(models))
            if _same_weights(models[i], models[j])]


# --- q3: did a fold's model train on its own validation rows? ------------------------------------------
#
# The grader calls k_fold_validate once more, on data it makes for the purpose. It first asks the student's
# k_fold_split which rows each fold validates on. Fold i's validation rows then carry a signal of their own:
# their features are drawn in the columns of group i only (the others near zero), and their targets are
# LEAK_SIGNAL times the sum of those columns. A model trained on the other folds' rows, as it should be, never
# sees those columns vary nor the targets follow them: its predictions on fold i barely change with them (its
# initial weights). A model that also trained on fold i's validation rows learned them like the other
# groups. The grader measures, on fold i's validation rows, how much the model's prediction moves per unit
# of each column (finite differences on the returned model, in the grader), and compares the group's own
# columns with the other groups' (those it rightly learned).

LEAK_ROWS, LEAK_K, LEAK_EPOCHS, LEAK_BATCH = 120, 3, 10, 4
LEAK_SIGNAL = 5.0  # the targets' slope in each column of the row's group
LEAK_QUIET = 0.05  # the spread of the other columns (near zero, not exactly zero)
LEAKED_SHARE = 0.5  # a fold leaked when its own columns move its predictions half as much as the others' do
LEARNED_SHARE = 0.2  # below this share of LEAK_SIGNAL on the other groups, the model learned too little to tell


class LeakRun:
    """The grader's call of ``k_fold_validate`` on its signal data, and what it showed (once per notebook)."""

    def __init__(self, run: KFoldRun) -> None:
        self.run = run
        self.leaked: int | None = None  # the first fold (1-based) whose model trained on its validation rows
        self.split_leaks = False  # the student's k_fold_split itself puts validation rows into training
        self.own = 0.0
        self.others = 0.0
        self.measured: list[tuple[float, float]] = []  # per fold measured: (own columns, other groups' columns)




def leak_columns(group: int, k: int, width: int = FEATURES) -> list[int]:
    """The columns that carry the signal of group ``group`` (of ``k``): every k-th column from ``group``."""
    return [column for column in range(group, width - width % k, k)]


def leak_data(rng: np.random.Generator, folds: Sequence[tuple[np.ndarray, np.ndarray]], rows: int,
              k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, targets and each row's group (the first fold that validates it; -1: none) for the leak call."""
    group = np.full(rows, -1)
    for number in range(len(folds) - 1, -1, -1):  # the first fold that validates a row names its group
        group[folds[number][1]] = number
    data = LEAK_QUIET * rng.standard_normal((rows, FEATURES))
    targets = LEAK_QUIET * rng.standard_normal(rows)
    for number in range(k):
        members, columns = np.flatnonzero(group == number), np.asarray(leak_columns(number, k), dtype=np.int64)
        data[np.ix_(members, columns)] = rng.standard_normal((len(members), len(columns)))
        targets[members] = LEAK_SIGNAL * data[np.ix_(members, columns)].sum(axis=1)
    return data, targets, group


def slopes(model: Any, x: np.ndarray, step: float = 0.5) -> np.ndarray:
    """How much ``model``'s prediction moves per unit of each column, averaged over the rows ``x``."""
    width = x.shape[1]
    shifted = np.concatenate([x + sign * step * np.eye(width)[column] for column in range(width)
                              for sign in (1.0, -1.0)])
    predictions = np.asarray(model(shifted.astype(np.float32), training=False), dtype=np.float64)
    if predictions.size != len(shifted) or not np.all(np.isfinite(predictions)):
        raise ValueError(f"{predictions.size} predictions (finite: {bool(np.all(np.isfinite(predictions)))}) "
                         f"for {len(shifted)} rows")
    moved = predictions.reshape(width, 2, len(x))
    out: np.ndarray = (moved[:, 0] - moved[:, 1]).mean(axis=1) / (2 * step)
    return out


def _leak(nb: Any) -> LeakRun:
    rows, k, epochs = LEAK_ROWS, LEAK_K, LEAK_EPOCHS
    call = f"k_fold_validate(data, targets, k={k}, num_epochs={epochs}, batch_size={LEAK_BATCH})"
    leak = LeakRun(KFoldRun(call, k, epochs))
    rng = np.random.default_rng(3303)
    try:
        folds = _student_folds(nb, rng.standard_normal((rows, FEATURES)), k, call)
        data, targets, group = leak_data(rng, folds, rows, k)
        leak.split_leaks = any(len(np.intersect1d(train, val)) for train, val in folds)
        _validate(nb, leak.run, data, targets, LEAK_BATCH)
    except CheckFailed as failed:
        leak.run.failure = failed
        return leak
    if reused_pairs(leak.run.models):  # one model for every fold: the check of fresh models says so
        return leak
    for number, model in enumerate(leak.run.models):
        members = np.intersect1d(folds[number][1], np.flatnonzero(group == number))
        if len(members) == 0:
            continue
        try:
            moved = slopes(model, data[members])
        except CheckFailed:  # the model host ran out of time or memory: that is the message
            raise
        except Exception as error:  # noqa: BLE001  (the student's model decides what fails: that is the message)
            leak.run.failure = CheckFailed("kfold_regression.model_unusable", what=f"models[{number}]",
                                           detail=f"{type(error).__name__}: {str(error)[:200]}")
            return leak
        own = float(np.mean(moved[leak_columns(number, k)]))
        others = float(np.mean([moved[c] for g in range(k) if g != number and np.any(group == g)
                                for c in leak_columns(g, k)]))
        leak.measured.append((own, others))
        if others > LEARNED_SHARE * LEAK_SIGNAL and own > LEAKED_SHARE * others:
            leak.leaked, leak.own, leak.others = number + 1, own, others
            break
    return leak


def leak_run(nb: Handle) -> LeakRun:
    """The grader's call of ``k_fold_validate`` on its signal data, once per notebook."""
    return nb.memo("leak_run", lambda: _leak(nb))


@check("q3", weight=1, title={"ko": "폴드마다 새 모델을 훈련", "en": "A fresh model trains on each fold"})
def k_fold_validate_fresh_model_per_fold(nb):
    run = kfold_run(nb)
    if run.failure is not None:
        raise run.failure
    pairs = reused_pairs(run.models)
    if pairs:
        first, second = pairs[0]
        raise CheckFailed("kfold_regression.model_reused", call=run.call, first=first, second=second, k=run.k)


@check("q3", weight=1,
       title={"ko": "폴드별 점수와 MAE 기록이 검증 데이터의 MAE",
              "en": "Each fold's score and MAE history are its validation MAE"})
def k_fold_validate_scores(nb):
    run = kfold_run(nb)
    if run.failure is not None:
        raise run.failure
    if run.split_failure is not None:
        raise run.split_failure
    for fold, score in enumerate(run.scores, start=1):
        if not np.isfinite(score) or score < 0:
            raise CheckFailed("kfold_regression.score_not_mae", call=run.call, fold=fold)
    # One model reused for every fold is reported by the check above; its weights are the last fold's.
    reused = bool(reused_pairs(run.models))
    for fold in range(run.k - 1 if reused else 0, run.k):
        x_val, y_val = run.validation[fold]
        try:
            recomputed = mean_absolute_error(run.models[fold], x_val, y_val)
        except CheckFailed:  # the model host ran out of time or memory: that is the message
            raise
        except Exception as error:  # the student's model decides what fails
            raise CheckFailed("kfold_regression.model_unusable", what=f"models[{fold}]",
                              detail=f"{type(error).__name__}: {str(error)[:200]}") from error
        if not np.isclose(recomputed, run.scores[fold], rtol=1e-3, atol=1e-3):
            raise CheckFailed("kfold_regression.score_not_val_mae", call=run.call, fold=fold + 1)
    for fold, history in enumerate(run.histories, start=1):
        if len(history) != run.epochs:
            raise CheckFailed("kfold_regression.history_length", call=run.call, fold=fold, found=len(history),
                              expected=run.epochs)
        if not np.isclose(history[-1], run.scores[fold - 1], rtol=1e-3, atol=1e-3):
            raise CheckFailed("kfold_regression.history_not_val_mae", call=run.call, fold=fold)
    worse = [fold for fold in range(run.k) if not run.scores[fold] < run.baselines[fold]]
    if worse:
        fold = worse[0]
        raise CheckFailed("kfold_regression.scores_implausible", call=run.call, fold=fold + 1,
                          score=f"{run.scores[fold]:.2f}", baseline=f"{run.baselines[fold]:.2f}",
                          mean_price=f"{float(np.mean(run.validation[fold][1])):.1f}")
    leak = leak_run(nb)  # a validation score measured on rows the model trained on is void
    if leak.leaked is not None:
        raise CheckFailed("kfold_regression.scores_void_leak", call=run.call, fold=leak.leaked)


@check("q3", weight=1,
       title={"ko": "어떤 폴드의 모델도 자기 검증 데이터로 훈련하지 않음",
              "en": "No fold's model trains on its own validation rows"})
def k_fold_validate_never_trains_on_validation(nb):
    leak = leak_run(nb)
    if leak.run.failure is not None:
        raise leak.run.failure
    # validation rows in the training part of the student's own split: the k_fold_split checks say so
    if leak.leaked is not None and not leak.split_leaks:
        raise CheckFailed("kfold_regression.validation_in_training", call=leak.run.call, fold=leak.leaked, k=leak.run.k,
                          own=f"{leak.own:.2f}", others=f"{leak.others:.2f}")


# ---------------------------------------------------------------------------------------------------
# q4 smooth_curve


def expect_smoothed(nb: Any, points: Any, expected: Mapping[str, Any], factor: float | None = None) -> None:
    """``smooth_curve(points[, factor=...])`` equals the book's moving average; name the mistake if not.

    ``expected``: ``{"expected": the answer, "variants": {message key: a typical wrong smoothing}}``, stored
    (public inputs) or from the reference helpers (hidden inputs).
    """
    args = (points,)
    call = expect.call_text("smooth_curve", args) if factor is None else \
        f"smooth_curve({expect.describe(points)}, factor=float)"
    reply = nb.call("smooth_curve", points) if factor is None else nb.call("smooth_curve", points, factor=factor)
    if reply.status == "error" and len(points) == 0:
        raise CheckFailed("kfold_regression.smooth_empty", call=call)
    got = expect.returned(reply, call)
    values = _numbers(got)
    if values is None:
        raise CheckFailed("kfold_regression.smooth_not_list", call=call, found=expect.describe(got))
    if len(values) != len(points):
        raise CheckFailed("kfold_regression.smooth_length", call=call, expected=len(points), found=len(values))
    answer = np.asarray(expected["expected"], dtype=np.float64).reshape(-1)
    array = np.array(values, dtype=np.float64)
    if array.shape == answer.shape and np.allclose(array, answer, rtol=1e-6, atol=1e-6):
        return
    if len(array) and not np.isclose(array[0], float(points[0]), rtol=1e-6, atol=1e-6):
        raise CheckFailed("kfold_regression.smooth_first_point", call=call)
    for key, variant in expected["variants"].items():
        wrong_way = np.asarray(variant, dtype=np.float64).reshape(-1)
        if wrong_way.shape == array.shape and np.allclose(array, wrong_way, rtol=1e-6, atol=1e-6):
            raise CheckFailed(key, call=call)
    wrong = np.flatnonzero(~np.isclose(array, answer, rtol=1e-6, atol=1e-6))
    raise CheckFailed("check.values", call=call, count=len(wrong), total=len(answer), first=(int(wrong[0]),))


SMOOTH_EXAMPLE = [4.5, 3.9, 3.6, 3.2, 3.3, 2.9, 3.1, 2.8, 2.9, 2.7]  # a validation-MAE curve like the book's


@check("q4", weight=1,
       title={"ko": "예제 곡선: `smooth_curve`의 지수 이동 평균",
              "en": "Example curve: `smooth_curve`'s exponential moving average"})
def smooth_curve_example(nb):
    default, half = public_expected(__file__)["smooth_curve_example"]
    expect_smoothed(nb, SMOOTH_EXAMPLE, default)
    expect_smoothed(nb, SMOOTH_EXAMPLE, half, factor=0.5)
