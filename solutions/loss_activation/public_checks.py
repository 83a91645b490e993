"""Public checks of "loss_activation" (Deep Learning with Python, the last-layer activation / loss table).

Students run these in their notebook with ``grader.check("qN")``; the grader
runs them too, together with ``hidden_checks.py``, which imports the table
machinery defined here and adds the other four problem types (so this file,
which students receive, holds only the binary row).

Points (grading_config.yaml): q1 5, q2 5, q3 3, q4 3. In q1 and q2 every
problem type has two checks of equal weight (activation or output layer, and
loss), 0.5 points each, so one wrong choice costs half a point.

A choice is accepted in any spelling Keras accepts (``"bce"``,
``"BinaryCrossentropy"``, a ``keras.losses.BinaryCrossentropy()`` object...);
None, ``"none"`` and ``"linear"`` all mean no activation. A wrong choice fails
with a message that explains why it is wrong for that problem; a choice no row
explains falls back to the model library's generic message.
"""

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from autograder.author import CheckFailed, Handle, ModelInfo, canonical, check, describe, expect, keras_expect

KEY = "loss_activation."
NO_ACTIVATION = "linear"

# The output range of Keras activations whose range explains a mistake (language-neutral text).
RANGES = {
    "linear": "(-∞, ∞)", "leaky_relu": "(-∞, ∞)", "relu": "[0, ∞)", "relu6": "[0, 6]", "elu": "(-1, ∞)",
    "celu": "(-1, ∞)", "selu": "(-1.76, ∞)", "gelu": "(-0.17, ∞)", "silu": "(-0.28, ∞)", "swish": "(-0.28, ∞)",
    "mish": "(-0.31, ∞)", "hard_silu": "[-0.375, ∞)", "hard_swish": "[-0.375, ∞)", "softplus": "(0, ∞)",
    "squareplus": "(0, ∞)", "sparse_plus": "[0, ∞)", "exponential": "(0, ∞)", "tanh": "(-1, 1)",
    "softsign": "(-1, 1)", "hard_tanh": "[-1, 1]", "log_softmax": "(-∞, 0]", "log_sigmoid": "(-∞, 0)",
    "sigmoid": "(0, 1)", "softmax": "(0, 1)", "hard_sigmoid": "[0, 1]", "sparse_sigmoid": "[0, 1]",
    "sparsemax": "[0, 1]",
}
# Activations whose outputs lie between 0 and 1.
UNIT_RANGE = frozenset({"sigmoid", "hard_sigmoid", "sparse_sigmoid", "softmax", "sparsemax"})
KNOWN_ACTIVATIONS = frozenset(RANGES) | {
    "glu", "hard_shrink", "soft_shrink", "tanh_shrink", "threshold", "prelu"}

# Losses that measure a distance between numbers.
REGRESSION_LOSSES = frozenset({"mean_squared_error", "mean_absolute_error", "huber", "log_cosh",
                               "mean_squared_logarithmic_error", "mean_absolute_percentage_error"})
CATEGORICAL_LOSSES = frozenset({"categorical_crossentropy", "sparse_categorical_crossentropy",
                                "categorical_focal_crossentropy", "categorical_generalized_cross_entropy"})
CROSSENTROPIES = CATEGORICAL_LOSSES | {"binary_crossentropy", "binary_focal_crossentropy"}
KNOWN_LOSSES = REGRESSION_LOSSES | CROSSENTROPIES | {
    "hinge", "squared_hinge", "categorical_hinge", "kl_divergence", "poisson", "cosine_similarity", "ctc", "dice",
    "tversky", "circle"}
# Layers that are an activation by themselves.
ACTIVATION_LAYERS = {"Softmax": "softmax", "ReLU": "relu", "LeakyReLU": "leaky_relu", "ELU": "elu",
                     "PReLU": "prelu"}


class Row(NamedTuple):
    """One row of the table: what is accepted, and how each wrong choice is explained."""

    problem: str
    activations: frozenset[str]  # canonical names; "linear" is no activation
    losses: frozenset[str]
    expected_activation: str  # as the message shows it
    expected_loss: str
    per_class: bool  # the last layer has num_classes units (else 1)
    activation_advice: Callable[[str], str | None]  # a wrong activation -> its message key
    loss_advice: Callable[[str], str | None]  # a wrong loss -> its message key
    labels: Callable[..., np.ndarray]  # (rng, n, classes, one_hot) -> the labels such a model trains on


def activation_name(value: Any) -> str:
    """The canonical name of an activation a student wrote (None and "none" are no activation)."""
    if value is None:
        return NO_ACTIVATION
    name = canonical(value)
    return NO_ACTIVATION if name == "none" else name


def loss_name(value: str) -> str:
    """The canonical name of a loss a student wrote (``"mse"``, ``"MeanSquaredError"`` -> mean_squared_error)."""
    return canonical(value)


def _fail(key: str, **params: Any) -> CheckFailed:
    return CheckFailed(KEY + key, **params)


def expect_activation(row: Row, found: str, where: str, fallback: Callable[[], None]) -> None:
    """Pass if ``found`` is in the row; else fail with the specific explanation, or call ``fallback``."""
    if found in row.activations:
        return
    advice = row.activation_advice(found)
    if advice is not None:
        raise _fail(advice, where=where, found=found, range=RANGES.get(found, "?"),
                    expected=row.expected_activation, problem=row.problem)
    fallback()


def expect_loss(row: Row, found: str, where: str, fallback: Callable[[], None]) -> None:
    """Pass if ``found`` is in the row; else fail with the specific explanation, or call ``fallback``."""
    if found in row.losses:
        return
    advice = row.loss_advice(found)
    if advice is not None:
        raise _fail(advice, where=where, found=found, expected=row.expected_loss, problem=row.problem)
    fallback()


# -- q1: last_layer_and_loss(problem) -> (activation, loss) ------------------------------------------------

def table_answer(nb: Any, problem: str) -> tuple[str, str, str]:
    """Call ``last_layer_and_loss(problem)``; return where (for messages), activation and loss, canonical."""
    call = f'last_layer_and_loss("{problem}")'
    where = f"`{call}`"
    got = expect.returned(nb.call("last_layer_and_loss", problem), call)
    if not isinstance(got, list | tuple) or len(got) != 2:
        raise _fail("not_a_pair", where=where, found=expect.describe(got))
    activation, loss = got
    if activation is not None and not isinstance(activation, str):
        raise _fail("activation_not_a_name", where=where, found=expect.describe(activation))
    if not isinstance(loss, str):
        raise _fail("loss_not_a_name", where=where, found=expect.describe(loss))
    return where, activation_name(activation), loss_name(loss)


def table_activation(nb: Any, row: Row) -> None:
    """The activation ``last_layer_and_loss`` names for ``row.problem`` is one the table accepts."""
    where, activation, _ = table_answer(nb, row.problem)
    if activation not in KNOWN_ACTIVATIONS:
        raise _fail("unknown_activation", where=where, found=activation)

    def wrong() -> None:
        raise _fail("wrong_activation", where=where, found=activation, expected=row.expected_activation,
                    problem=row.problem)

    expect_activation(row, activation, where, wrong)


def table_loss(nb: Any, row: Row) -> None:
    """The loss ``last_layer_and_loss`` names for ``row.problem`` is one the table accepts."""
    where, _, loss = table_answer(nb, row.problem)
    if loss not in KNOWN_LOSSES:
        raise _fail("unknown_loss", where=where, found=loss)

    def wrong() -> None:
        raise _fail("wrong_loss", where=where, found=loss, expected=row.expected_loss, problem=row.problem)

    expect_loss(row, loss, where, wrong)


# -- q2: build_model(problem, input_dim, num_classes, one_hot=False) -> compiled model ---------------------

def built_model(nb: Any, row: Row, input_dim: int, classes: int, one_hot: bool | None = None
                ) -> tuple[str, str, ModelInfo]:
    """Call ``build_model``; return where (for messages), the call's text and the model's facts."""
    options = {} if one_hot is None else {"one_hot": one_hot}
    call = f'build_model("{row.problem}", {input_dim}, {classes}' + (
        f", one_hot={one_hot})" if one_hot is not None else ")")
    where = f"`{call}`"
    model = keras_expect.model(nb.call("build_model", row.problem, input_dim, classes, **options), call,
                               max_bytes=nb.context.model_bytes)
    info = describe(model)
    if info.input_shape != (None, input_dim):
        raise _fail("input_shape", where=where, input_dim=input_dim,
                    found="-" if info.input_shape is None else str(info.input_shape))
    return where, call, info


def last_activation(info: ModelInfo) -> str | None:
    """The activation the model's output goes through (a Dense activation or an activation layer)."""
    last = info.last
    if last is None:
        return None
    return last.activation or ACTIVATION_LAYERS.get(last.kind)


def model_output(nb: Any, row: Row, input_dim: int, classes: int, one_hot: bool | None = None) -> None:
    """The model's last layer has the row's number of units and an activation the table accepts."""
    where, call, info = built_model(nb, row, input_dim, classes, one_hot)
    units = info.output_shape[-1] if info.output_shape else None
    expected_units = classes if row.per_class else 1
    if units != expected_units:
        if row.problem == "binary" and units == 2:
            raise _fail("binary_two_units", where=where)
        raise _fail("units_classes" if row.per_class else "units_one", where=where, problem=row.problem,
                    expected=expected_units, found="-" if units is None else units)
    activation = last_activation(info)
    if activation == NO_ACTIVATION and activation not in row.activations and info.compile.from_logits:
        raise _fail("logits_output", where=where, expected=row.expected_activation)

    def wrong() -> None:
        keras_expect.last_activation(info, sorted(row.activations), call, f"`{row.problem}`")

    if activation is None:
        wrong()
    else:
        expect_activation(row, activation, where, wrong)


def model_loss(nb: Any, row: Row, input_dim: int, classes: int, one_hot: bool | None = None, *,
               seed: int = 0) -> None:
    """The model is compiled with a loss the table accepts, that fits the labels such a model trains on."""
    where, call, info = built_model(nb, row, input_dim, classes, one_hot)
    keras_expect.compiled(info, call)
    loss = loss_name(info.compile.loss or "-")

    def wrong() -> None:
        keras_expect.loss(info, sorted(row.losses), call, f"`{row.problem}`")

    expect_loss(row, loss, where, wrong)
    activation = last_activation(info)
    if activation in ("sigmoid", "softmax") and info.compile.from_logits:
        raise _fail("double_activation", where=where, activation=activation)
    labels = row.labels(np.random.default_rng(seed), 64, classes, bool(one_hot))
    encoding = keras_expect.label_encoding(labels)
    if encoding == "one_hot" and loss == "sparse_categorical_crossentropy":
        raise _fail("sparse_with_one_hot", where=where)
    if encoding == "integer" and loss == "categorical_crossentropy":
        raise _fail("categorical_with_integers", where=where)
    keras_expect.loss_fits_labels(info, labels, call)


# -- the binary row ----------------------------------------------------------------------------------------

def binary_activation_advice(found: str) -> str | None:
    if found == "softmax":
        return "one_unit_softmax"
    if found in RANGES and found not in UNIT_RANGE:
        return "binary_not_probability"
    return None


def binary_loss_advice(found: str) -> str | None:
    if found == "categorical_crossentropy":
        return "binary_categorical"
    if found == "sparse_categorical_crossentropy":
        return "binary_sparse"
    if found in REGRESSION_LOSSES:
        return "classification_regression_loss"
    return None


def binary_labels(rng: np.random.Generator, n: int, classes: int, one_hot: bool) -> np.ndarray:
    """0/1 labels, as IMDB's ``y_train.astype("float32")``."""
    labels = rng.integers(0, 2, n).astype("float32")
    labels[:2] = (0, 1)
    return labels


BINARY = Row("binary", frozenset({"sigmoid"}), frozenset({"binary_crossentropy"}), "sigmoid",
             "binary_crossentropy", False, binary_activation_advice, binary_loss_advice, binary_labels)


@check("q1", weight=1,
       title={"ko": "표: 이진 분류의 마지막 층 활성화 함수",
              "en": "Table: the last-layer activation for binary classification"})
def table_binary_activation(nb: Handle) -> None:
    table_activation(nb, BINARY)


@check("q1", weight=1, title={"ko": "표: 이진 분류의 손실 함수", "en": "Table: the loss for binary classification"})
def table_binary_loss(nb: Handle) -> None:
    table_loss(nb, BINARY)


@check("q2", weight=1, title={"ko": "이진 분류 모델의 마지막 층", "en": "The binary classification model's last layer"})
def model_binary_output(nb: Handle) -> None:
    model_output(nb, BINARY, 20, 2)


@check("q2", weight=1,
       title={"ko": "이진 분류 모델을 컴파일한 손실 함수",
              "en": "The loss the binary classification model is compiled with"})
def model_binary_loss(nb: Handle) -> None:
    model_loss(nb, BINARY, 20, 2)


# -- q3: normalize_images(x) -------------------------------------------------------------------------------

def images(rng: np.random.Generator, shape: tuple[int, ...], high: int = 256) -> np.ndarray:
    """A uint8 batch with both ends of its range present (0 and ``high - 1``)."""
    x = rng.integers(0, high, shape, dtype=np.uint8)
    x.flat[0], x.flat[-1] = 0, high - 1
    return x


def normalized(nb: Any, x: np.ndarray) -> tuple[Any, str, Any]:
    """Call ``normalize_images(x)``; return the reply, the call's text and the array it returned."""
    call = expect.call_text("normalize_images", (x,))
    reply = nb.call("normalize_images", x)
    got = expect.returned(reply, call)
    if not isinstance(got, np.ndarray):
        raise CheckFailed("check.not_array", call=call, received=expect.describe(got))
    if got.shape != x.shape:
        raise CheckFailed("check.shape", call=call, expected=tuple(x.shape), received=tuple(got.shape))
    return reply, call, got


def expect_scaled(got: np.ndarray, x: np.ndarray, call: str) -> None:
    """``got`` is ``x / 255`` (any float dtype); typical mistakes are named."""
    if got.dtype.kind != "f":
        raise _fail("images_integer", call=call, received=str(got.dtype))
    values = got.astype(np.float64)
    exact = x.astype(np.float64) / 255

    def close(candidate: np.ndarray) -> bool:
        return bool(np.allclose(values, candidate, rtol=1e-5, atol=1e-6))

    if close(exact):
        return
    if x.size and x.max() > 0 and close(x.astype(np.float64) / x.max()):
        raise _fail("images_batch_max", call=call)
    if close(x.astype(np.float64)):
        raise _fail("images_not_scaled", call=call)
    expect.array_close(got, exact, call, rtol=1e-5, atol=1e-6)


@check("q3", weight=1,
       title={"ko": "이미지를 [0, 1]로 변환 (MNIST 크기)",
              "en": "Images scaled to [0, 1] (MNIST-sized)"})
def normalize_images_book_example(nb: Handle) -> None:
    x = images(np.random.default_rng(30), (4, 28, 28))  # MNIST-sized
    _, call, got = normalized(nb, x)
    expect_scaled(got, x, call)


@check("q3", weight=1, title={"ko": "변환한 이미지는 float32", "en": "Scaled images are float32"})
def normalize_images_float32(nb: Handle) -> None:
    x = images(np.random.default_rng(31), (2, 28, 28))
    _, call, got = normalized(nb, x)
    if got.dtype != np.float32:
        raise _fail("images_dtype", call=call, received=str(got.dtype))


# -- q4: standardize(train, test) --------------------------------------------------------------------------

def features(rng: np.random.Generator, rows: int, columns: int, shift: float = 0.0,
             dtype: Any = np.float64) -> np.ndarray:
    """Features on very different scales (like Boston housing's), shifted by ``shift`` standard deviations."""
    scale = np.geomspace(0.1, 500, columns)
    offset = np.linspace(-3, 300, columns)
    return ((rng.standard_normal((rows, columns)) + shift) * scale + offset).astype(dtype)


def standardized(nb: Any, train: np.ndarray, test: np.ndarray) -> tuple[str, np.ndarray, np.ndarray]:
    """Call ``standardize(train, test)``; return the call's text and the two arrays it returned."""
    call = expect.call_text("standardize", (train, test))
    got = expect.returned(nb.call("standardize", train, test), call)
    if not isinstance(got, list | tuple) or len(got) != 2:
        raise _fail("standardize_not_pair", call=call, found=expect.describe(got))
    for part, array, like in (("train", got[0], train), ("test", got[1], test)):
        if not isinstance(array, np.ndarray):
            raise CheckFailed("check.not_array", call=call, received=f"{expect.describe(array)} ({part})")
        if array.shape != like.shape:
            raise CheckFailed("check.shape", call=call, expected=tuple(like.shape), received=tuple(array.shape))
    return call, got[0], got[1]


def expect_standardized(got: np.ndarray, part: str, train: np.ndarray, test: np.ndarray, call: str) -> None:
    """``got`` is the ``part`` array standardized with the training data's per-feature mean and std.

    The std may be the population one (NumPy's default, ddof=0, as in the book) or the sample one
    (ddof=1). The typical mistakes are recognised by recomputing them and named.
    """
    x = (train if part == "train" else test).astype(np.float64)
    base, whole = train.astype(np.float64), np.concatenate([train, test]).astype(np.float64)
    rtol = 1e-4 if np.float32 in (got.dtype.type, train.dtype.type) else 1e-6
    values = got.astype(np.float64) if got.dtype.kind in "biuf" else None

    def close(candidate: np.ndarray) -> bool:
        return values is not None and bool(np.allclose(values, candidate, rtol=rtol, atol=rtol))

    def scaled(data: np.ndarray, axis: int | None = 0, ddof: int = 0) -> np.ndarray:
        out: np.ndarray = (x - data.mean(axis=axis)) / data.std(axis=axis, ddof=ddof)
        return out

    if close(scaled(base)) or close(scaled(base, ddof=1)):
        return
    if part == "test" and (close(scaled(test.astype(np.float64))) or close(scaled(test.astype(np.float64), ddof=1))):
        raise _fail("standardize_test_statistics", call=call)
    if close(scaled(whole)) or close(scaled(whole, ddof=1)):
        raise _fail("standardize_whole_data", call=call, part=part)
    own = x if part == "test" else base
    if any(close(scaled(data, axis=None)) for data in (base, own, whole)):
        raise _fail("standardize_no_axis", call=call, part=part)
    if close(x):
        raise _fail("standardize_untouched", call=call, part=part)
    if any(close(x - data.mean(axis=0)) for data in (base, own)):
        raise _fail("standardize_no_std", call=call, part=part)
    expected = scaled(base)
    wrong = int(np.sum(~np.isclose(values, expected, rtol=rtol, atol=rtol))) if values is not None else got.size
    raise _fail("standardize_values", call=call, part=part, count=wrong, total=expected.size)


def _book_data() -> tuple[np.ndarray, np.ndarray]:
    """Boston-housing-sized data (404 / 102 samples, 13 features); the test set is shifted on purpose."""
    rng = np.random.default_rng(40)
    return features(rng, 404, 13), features(rng, 102, 13, shift=0.7)


@check("q4", weight=1,
       title={"ko": "훈련 데이터를 그 평균과 표준편차로 표준화",
              "en": "Training data standardised with its own mean and standard deviation"})
def standardize_training_data(nb: Handle) -> None:
    train, test = _book_data()
    call, got_train, _ = standardized(nb, train, test)
    expect_standardized(got_train, "train", train, test, call)


@check("q4", weight=1,
       title={"ko": "테스트 데이터를 훈련 데이터의 평균과 표준편차로 표준화",
              "en": "Test data standardised with the training data's mean and standard deviation"})
def standardize_test_data(nb: Handle) -> None:
    train, test = _book_data()
    call, _, got_test = standardized(nb, train, test)
    expect_standardized(got_test, "test", train, test, call)
