"""Hidden checks of "loss_activation": the four other rows of the table, and random inputs for q3 and q4.

Run only by the grader. The table machinery (accepted names, Keras spellings,
the model and label checks) is the public one, imported from
``public_checks.py`` beside this file, so the public binary row and these rows
are judged by the same code. Each row below lists what the study notes accept
and names the typical wrong choices with their own message.

The table (a choice is accepted when it is one of these, in any spelling Keras
accepts):

================  ==========================  =================================================
problem           last-layer activation       loss
================  ==========================  =================================================
binary            sigmoid (1 unit)            binary_crossentropy                 (public)
single_label      softmax (one per class)     categorical_crossentropy (one-hot labels) or
                                              sparse_categorical_crossentropy (integer labels)
multi_label       sigmoid (one per class)     binary_crossentropy
regression        none / "linear" (1 unit)    mse; also mae, huber, log_cosh
regression_0_1    sigmoid (1 unit)            mse or binary_crossentropy; also mae, huber, log_cosh
================  ==========================  =================================================

The study notes' table lists mse for the regressions; mae (the book's metric
for Boston housing), huber and log_cosh are correct regression losses too and
are accepted (the same set the model library accepts for continuous labels).
In q1 "single_label" may name either crossentropy; in q2 the loss must also fit
the labels ``one_hot`` announces.
"""


import numpy as np

from autograder.author import Handle, check, expect, sibling

table = sibling(__file__)
Row, RANGES, UNIT_RANGE = table.Row, table.RANGES, table.UNIT_RANGE
REGRESSION_LOSSES, CATEGORICAL_LOSSES, CROSSENTROPIES = (table.REGRESSION_LOSSES, table.CATEGORICAL_LOSSES,
                                                         table.CROSSENTROPIES)
ACCEPTED_REGRESSION_LOSSES = frozenset({"mean_squared_error", "mean_absolute_error", "huber", "log_cosh"})
UNBOUNDED = "(-∞, ∞)"


def _is_regression_loss(found):
    return found in REGRESSION_LOSSES


# -- single_label: softmax + categorical_crossentropy (one-hot) / sparse_categorical_crossentropy (integers) --

def single_label_activation_advice(found):
    if found == "sigmoid":
        return "single_label_sigmoid"
    if found in RANGES:
        return "single_label_not_distribution"
    return None


def single_label_loss_advice(found):
    if found == "binary_crossentropy":
        return "single_label_binary"
    if _is_regression_loss(found):
        return "classification_regression_loss"
    return None


def single_label_labels(rng, n, classes, one_hot):
    labels = rng.integers(0, classes, n)
    labels[:classes] = np.arange(classes)[:n]
    return np.eye(classes, dtype="float32")[labels] if one_hot else labels


SINGLE_LABEL = Row("single_label", frozenset({"softmax"}),
                   frozenset({"categorical_crossentropy", "sparse_categorical_crossentropy"}), "softmax",
                   "categorical_crossentropy / sparse_categorical_crossentropy", True,
                   single_label_activation_advice, single_label_loss_advice, single_label_labels)


# -- multi_label: sigmoid + binary_crossentropy ---------------------------------------------------------------

def multi_label_activation_advice(found):
    if found == "softmax":
        return "multi_label_softmax"
    if found in RANGES and found not in UNIT_RANGE:
        return "multi_label_not_probability"
    return None


def multi_label_loss_advice(found):
    if found in CATEGORICAL_LOSSES:
        return "multi_label_categorical"
    if _is_regression_loss(found):
        return "classification_regression_loss"
    return None


def multi_label_labels(rng, n, classes, one_hot):
    labels = (rng.random((n, classes)) < 0.35).astype("float32")
    labels[0], labels[1] = 0, 0
    labels[0, :2] = 1  # a sample with two labels, and one with none
    return labels


MULTI_LABEL = Row("multi_label", frozenset({"sigmoid"}), frozenset({"binary_crossentropy"}), "sigmoid",
                  "binary_crossentropy", True, multi_label_activation_advice, multi_label_loss_advice,
                  multi_label_labels)


# -- regression: no activation + mse (mae, huber, log_cosh) -----------------------------------------------------

def regression_activation_advice(found):
    if found == "relu":
        return "regression_relu"
    if found == "softmax":
        return "one_unit_softmax"
    if RANGES.get(found, UNBOUNDED) != UNBOUNDED:
        return "regression_bounded"
    return None


def regression_loss_advice(found):
    return "regression_crossentropy" if found in CROSSENTROPIES else None


def regression_labels(rng, n, classes, one_hot):
    return rng.normal(22.5, 9.2, n).astype("float32")  # like Boston house prices, in thousands of dollars


REGRESSION = Row("regression", frozenset({"linear"}), ACCEPTED_REGRESSION_LOSSES, 'None / "linear"',
                 "mse / mae / huber / log_cosh", False, regression_activation_advice, regression_loss_advice,
                 regression_labels)


# -- regression_0_1: sigmoid + mse or binary_crossentropy (mae, huber, log_cosh) -------------------------------

def unit_activation_advice(found):
    if found == "linear":
        return "unit_linear"
    if found == "softmax":
        return "one_unit_softmax"
    if found in RANGES and found not in UNIT_RANGE:
        return "unit_out_of_range"
    return None


def unit_loss_advice(found):
    return "unit_categorical" if found in CATEGORICAL_LOSSES else None


def unit_labels(rng, n, classes, one_hot):
    return rng.uniform(0.05, 0.95, n).astype("float32")


REGRESSION_0_1 = Row("regression_0_1", frozenset({"sigmoid"}), ACCEPTED_REGRESSION_LOSSES | {"binary_crossentropy"},
                     "sigmoid", "mse / binary_crossentropy / mae / huber / log_cosh", False, unit_activation_advice,
                     unit_loss_advice, unit_labels)

ROWS = {row.problem: row for row in (table.BINARY, SINGLE_LABEL, MULTI_LABEL, REGRESSION, REGRESSION_0_1)}

# build_model's hidden arguments: (input_dim, num_classes, one_hot) per call.
MODEL_CALLS = {
    "single_label": ((30, 46, False), (12, 4, True)),
    "multi_label": ((25, 6, None),),
    "regression": ((13, 1, None),),
    "regression_0_1": ((8, 1, None),),
}


def _outputs(nb: Handle, row):
    for input_dim, classes, one_hot in MODEL_CALLS[row.problem]:
        table.model_output(nb, row, input_dim, classes, one_hot)


def _losses(nb: Handle, row, seed):
    for input_dim, classes, one_hot in MODEL_CALLS[row.problem]:
        table.model_loss(nb, row, input_dim, classes, one_hot, seed=seed)


# q1 ----------------------------------------------------------------------------------------------------

@check("q1", weight=1, hidden=True,
       title={"ko": "표: 단일 레이블 다중 분류의 마지막 층 활성화 함수",
              "en": "Table: the last-layer activation for multi-class, single-label classification"})
def table_single_label_activation(nb: Handle) -> None:
    table.table_activation(nb, SINGLE_LABEL)


@check("q1", weight=1, hidden=True,
       title={"ko": "표: 단일 레이블 다중 분류의 손실 함수",
              "en": "Table: the loss for multi-class, single-label classification"})
def table_single_label_loss(nb: Handle) -> None:
    table.table_loss(nb, SINGLE_LABEL)


@check("q1", weight=1, hidden=True,
       title={"ko": "표: 다중 레이블 분류의 마지막 층 활성화 함수",
              "en": "Table: the last-layer activation for multi-label classification"})
def table_multi_label_activation(nb: Handle) -> None:
    table.table_activation(nb, MULTI_LABEL)


@check("q1", weight=1, hidden=True,
       title={"ko": "표: 다중 레이블 분류의 손실 함수",
              "en": "Table: the loss for multi-label classification"})
def table_multi_label_loss(nb: Handle) -> None:
    table.table_loss(nb, MULTI_LABEL)


@check("q1", weight=1, hidden=True,
       title={"ko": "표: 회귀의 마지막 층 활성화 함수",
              "en": "Table: the last-layer activation for regression"})
def table_regression_activation(nb: Handle) -> None:
    table.table_activation(nb, REGRESSION)


@check("q1", weight=1, hidden=True, title={"ko": "표: 회귀의 손실 함수", "en": "Table: the loss for regression"})
def table_regression_loss(nb: Handle) -> None:
    table.table_loss(nb, REGRESSION)


@check("q1", weight=1, hidden=True,
       title={"ko": "표: 0과 1 사이 값의 회귀의 마지막 층 활성화 함수",
              "en": "Table: the last-layer activation for regression to values between 0 and 1"})
def table_regression_0_1_activation(nb: Handle) -> None:
    table.table_activation(nb, REGRESSION_0_1)


@check("q1", weight=1, hidden=True,
       title={"ko": "표: 0과 1 사이 값의 회귀의 손실 함수",
              "en": "Table: the loss for regression to values between 0 and 1"})
def table_regression_0_1_loss(nb: Handle) -> None:
    table.table_loss(nb, REGRESSION_0_1)


# q2 ----------------------------------------------------------------------------------------------------

@check("q2", weight=1, hidden=True,
       title={"ko": "단일 레이블 다중 분류 모델의 마지막 층",
              "en": "The multi-class, single-label classification model's last layer"})
def model_single_label_output(nb: Handle) -> None:
    _outputs(nb, SINGLE_LABEL)


@check("q2", weight=1, hidden=True,
       title={"ko": "단일 레이블 다중 분류 모델을 컴파일한 손실 함수",
              "en": "The loss the multi-class, single-label classification model is compiled with"})
def model_single_label_loss(nb: Handle) -> None:
    _losses(nb, SINGLE_LABEL, 2201)


@check("q2", weight=1, hidden=True,
       title={"ko": "다중 레이블 분류 모델의 마지막 층",
              "en": "The multi-label classification model's last layer"})
def model_multi_label_output(nb: Handle) -> None:
    _outputs(nb, MULTI_LABEL)


@check("q2", weight=1, hidden=True,
       title={"ko": "다중 레이블 분류 모델을 컴파일한 손실 함수",
              "en": "The loss the multi-label classification model is compiled with"})
def model_multi_label_loss(nb: Handle) -> None:
    _losses(nb, MULTI_LABEL, 2202)


@check("q2", weight=1, hidden=True, title={"ko": "회귀 모델의 마지막 층", "en": "The regression model's last layer"})
def model_regression_output(nb: Handle) -> None:
    _outputs(nb, REGRESSION)


@check("q2", weight=1, hidden=True,
       title={"ko": "회귀 모델을 컴파일한 손실 함수",
              "en": "The loss the regression model is compiled with"})
def model_regression_loss(nb: Handle) -> None:
    _losses(nb, REGRESSION, 2203)


@check("q2", weight=1, hidden=True,
       title={"ko": "0과 1 사이 값의 회귀 모델의 마지막 층",
              "en": "The regression to values between 0 and 1 model's last layer"})
def model_regression_0_1_output(nb: Handle) -> None:
    _outputs(nb, REGRESSION_0_1)


@check("q2", weight=1, hidden=True,
       title={"ko": "0과 1 사이 값의 회귀 모델을 컴파일한 손실 함수",
              "en": "The loss the regression to values between 0 and 1 model is compiled with"})
def model_regression_0_1_loss(nb: Handle) -> None:
    _losses(nb, REGRESSION_0_1, 2204)


# q3 normalize_images -------------------------------------------------------------------------------------

@check("q3", weight=1, hidden=True,
       title={"ko": "여러 크기와 밝기의 무작위 이미지",
              "en": "Random images of several shapes and brightnesses"})
def normalize_images_random_inputs(nb: Handle) -> None:
    """Other shapes (channels, colour), one image, and a dark batch whose brightest pixel is far below 255."""
    rng = np.random.default_rng(3301)
    batches = (table.images(rng, (3, 28, 28, 1)), table.images(rng, (2, 32, 32, 3)), table.images(rng, (1, 28, 28)),
               table.images(rng, (5, 28, 28), high=90))
    for x in batches:
        reply, call, got = table.normalized(nb, x)
        table.expect_scaled(got, x, call)
        expect.not_mutated(reply, (x,), call)


# q4 standardize ------------------------------------------------------------------------------------------

@check("q4", weight=1, hidden=True, title={"ko": "여러 크기의 무작위 데이터", "en": "Random data of several sizes"})
def standardize_random_inputs(nb: Handle) -> None:
    """One feature, many features, float32; the test data shifted so its own statistics differ."""
    rng = np.random.default_rng(3401)
    cases = ((table.features(rng, 50, 1), table.features(rng, 20, 1, shift=1.0)),
             (table.features(rng, 200, 30), table.features(rng, 60, 30, shift=-0.8)),
             (table.features(rng, 100, 5, dtype=np.float32), table.features(rng, 30, 5, shift=0.9, dtype=np.float32)))
    for train, test in cases:
        call, got_train, got_test = table.standardized(nb, train, test)
        table.expect_standardized(got_train, "train", train, test, call)
        table.expect_standardized(got_test, "test", train, test, call)
