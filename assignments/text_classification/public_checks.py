"""Public checks of "text_classification" (Deep Learning with Python, 2nd ed., sections 4.1-4.2;
1st ed. 3.4-3.5): multi-hot and one-hot encoding, the IMDB and Reuters classifiers.

Students run these with ``grader.check("qN")``; the grader runs them too. They
need nothing but the student's own values (no course data), so they work the
same on a student's machine. ``hidden_checks.py`` adds random inputs and the
test-set accuracies the grader measures on data it loads itself.

What each IMDB / Reuters check reads from the notebook (names fixed in the
notebook's instructions):

- ``y_train``, ``y_val``, ``partial_y_train``: the IMDB labels and the 10,000 /
  15,000 split. The split of the inputs (``x_val``, ``partial_x_train``, 1 GB of
  float32 together) is not fetched: the sandbox would have to copy it into a
  reply; the labels are split by the same slices.
- ``history``: the IMDB validation run (at least 5 epochs with validation data; what it
  records earns only this check, which reads nothing else); ``model``: the IMDB
  model's architecture and compile settings.
- ``reuters_model``'s architecture and compile settings, and ``reuters_y_train``, the
  labels it was trained with: one-hot with ``categorical_crossentropy`` or integers
  with ``sparse_categorical_crossentropy``.
- ``bottleneck_model``'s architecture.

The checks that need the grader's own data are hidden (``hidden_checks.py``): that
``model`` and ``reuters_model`` are fresh models trained for 4 / 9 epochs on all the
training data (their step counts, and what their weights show on the grader's copy of
the training data), the bottleneck lesson (``bottleneck_model`` evaluated by the
grader) and the test accuracies.

A model that ``fit`` built and then failed on (e.g. one-hot labels with
``sparse_categorical_crossentropy``) is saved by Keras with weights it cannot
read back; its architecture and compile settings are then read from the saved
configuration (vetted like any model file), so the loss/labels check still
names the mismatch, and checks that need the weights say why they cannot run.
"""

import numpy as np

from autograder.author import CheckFailed, LayerSpec, check, describe, expect, keras_expect, load_model, public_expected

# The exercise's settings (the notebook states them).
IMDB_SAMPLES, IMDB_VALIDATION, BATCH = 25_000, 10_000, 512
IMDB_EPOCHS, REUTERS_EPOCHS = 4, 9
REUTERS_SAMPLES = 8_982
MIN_EXPLORATION_EPOCHS = 5
HISTORY_KEYS = ("loss", "accuracy", "val_loss", "val_accuracy")

IMDB_LAYERS = (LayerSpec(kind="Dense", output_shape=(None, 16), activation="relu", params=10_000 * 16 + 16),
               LayerSpec(kind="Dense", output_shape=(None, 16), activation="relu", params=16 * 16 + 16),
               LayerSpec(kind="Dense", output_shape=(None, 1), params=16 + 1))  # sigmoid: its own check
REUTERS_LAYERS = (LayerSpec(kind="Dense", output_shape=(None, 64), activation="relu", params=10_000 * 64 + 64),
                  LayerSpec(kind="Dense", output_shape=(None, 64), activation="relu", params=64 * 64 + 64),
                  LayerSpec(kind="Dense", output_shape=(None, 46), params=64 * 46 + 46))  # softmax: own check
# the public examples' inputs; their expected encodings are data (public_expected.json, from reference.py)
VECTORIZE_EXAMPLES = {
    "vectorize_example": [[1, 3, 5], [0, 2], [9999, 4, 7]],
    "vectorize_book_example": [[1, 14, 22, 16, 43, 530, 973, 1622, 1385, 65], [1, 194, 1153, 195, 8255, 78, 228, 5]],
}
ONE_HOT_EXAMPLE = np.array([3, 4, 3, 0, 45])
BOTTLENECK_LAYERS = (
    LayerSpec(kind="Dense", output_shape=(None, 64), activation="relu", params=10_000 * 64 + 64),
    LayerSpec(kind="Dense", output_shape=(None, 4), activation="relu", params=64 * 4 + 4),
    LayerSpec(kind="Dense", output_shape=(None, 46), activation="softmax", params=4 * 46 + 46))


def expect_encoding(nb, name, args, expected):
    """``name(*args)`` returns ``expected``'s values (any numeric dtype: the dtype has its own check)."""
    shown = expect.call_text(name, args)
    got = expect.returned(nb.call(name, *args), shown)
    if name == "vectorize_sequences" and isinstance(got, np.ndarray) and got.shape == expected.shape \
            and got.dtype.kind in "biuf" and got.size and float(np.max(got)) > 1:
        raise CheckFailed("text_classification.counts_not_multi_hot", call=shown, found=f"{float(np.max(got)):g}")
    expect.array_close(got, expected, shown)


def stored_encoding(key):
    """The expected encoding of a public example, as stored by ``assign``: its shape and where its ones are."""
    stored = public_expected(__file__)[key]
    expected = np.zeros(tuple(stored["shape"]), dtype=np.float32)
    for row, column in stored["ones"]:
        expected[row, column] = 1.0
    return expected


def expect_float(nb, name, args, key):
    """``name(*args)`` returns a floating-point array."""
    shown = expect.call_text(name, args)
    got = expect.returned(nb.call(name, *args), shown)
    if not isinstance(got, np.ndarray):
        raise CheckFailed("check.not_array", call=shown, received=expect.describe(got))
    if got.dtype.kind != "f":
        raise CheckFailed(key, call=shown, found=str(got.dtype))


def value(nb, name):
    """The reply for the student's global ``name``; a clear message when the notebook never defined it."""
    reply = nb.value(name)
    if reply.status == "missing":
        raise CheckFailed("text_classification.value_missing", name=name)
    return reply


def model_of(nb, name, *, weights=True):
    """The student's model ``name``, loaded safely once per submission (its checks share it); a clear message when
    the notebook never defined it. ``weights=False`` for checks of the architecture and compile settings."""
    return load_model(nb, name, weights=weights, missing="text_classification.value_missing")


def expect_architecture(model, layers, what):
    """The model's layers are ``layers``; an unbuilt model (no weights, no shapes) gets its own message."""
    if not model.built or any(getattr(layer, "built", True) is False for layer in model.layers):
        raise CheckFailed("text_classification.not_built", what=what)
    keras_expect.architecture(model, layers, what)


def labels_value(nb, name, *, length, ndim, fix):
    """The student's label array ``name`` as a NumPy array of numbers with ``length`` rows and rank in ``ndim``."""
    got = expect.returned(value(nb, name), name)
    array = got if isinstance(got, np.ndarray) else None
    if array is None and isinstance(got, list | tuple):
        try:
            array = np.asarray(got, dtype=np.float64)
        except (TypeError, ValueError):
            array = None
    if array is None or array.dtype.kind not in "biuf" or array.ndim not in ndim or array.shape[0] != length:
        raise CheckFailed("text_classification.labels_shape", name=name, rows=f"{length:,}",
                          found=expect.describe(array if array is not None else got), fix=fix)
    return array


def iterations(model):
    """The optimizer's step count stored with ``model`` (0 when it has none)."""
    found = getattr(model.optimizer, "iterations", None)
    return int(np.asarray(found)) if found is not None else 0


# q1 vectorize_sequences -----------------------------------------------------------------------------

@check("q1", weight=1, title={"ko": "예제 시퀀스의 멀티-핫 인코딩", "en": "Multi-hot encoding of example sequences"})
def vectorize_book_example(nb):
    for key, sequences in VECTORIZE_EXAMPLES.items():
        expect_encoding(nb, "vectorize_sequences", (sequences,), stored_encoding(key))


@check("q1", weight=1,
       title={"ko": "`vectorize_sequences`가 실수 배열을 반환", "en": "`vectorize_sequences` returns floats"})
def vectorize_returns_floats(nb):
    expect_float(nb, "vectorize_sequences", ([[1, 3, 5], [0, 2]],), "text_classification.not_float")


# q2 to_one_hot --------------------------------------------------------------------------------------

@check("q2", weight=1, title={"ko": "예제 레이블의 원-핫 인코딩", "en": "One-hot encoding of example labels"})
def one_hot_book_example(nb):
    expect_encoding(nb, "to_one_hot", (ONE_HOT_EXAMPLE,), stored_encoding("one_hot_example"))


@check("q2", weight=1, title={"ko": "`to_one_hot`이 실수 배열을 반환", "en": "`to_one_hot` returns floats"})
def one_hot_returns_floats(nb):
    expect_float(nb, "to_one_hot", (np.array([1, 0, 45]),), "text_classification.not_float_one_hot")


# q3 IMDB: validation split, validation run, the model retrained for 4 epochs ----------------------------

@check("q3", weight=1,
       title={"ko": "검증 세트 분할 (`y_val`, `partial_y_train`)",
              "en": "The validation split (`y_val`, `partial_y_train`)"})
def imdb_validation_split(nb):
    fix = "`y_train = np.asarray(train_labels).astype(\"float32\")`, `y_val = y_train[:10000]`, " \
          "`partial_y_train = y_train[10000:]`"
    y_train = labels_value(nb, "y_train", length=IMDB_SAMPLES, ndim=(1, 2), fix=fix)
    for name, part, count in (("y_val", y_train[:IMDB_VALIDATION], IMDB_VALIDATION),
                              ("partial_y_train", y_train[IMDB_VALIDATION:], IMDB_SAMPLES - IMDB_VALIDATION)):
        got = labels_value(nb, name, length=count, ndim=(y_train.ndim,), fix=fix)
        if got.shape != part.shape or not np.array_equal(got.astype(np.float64), part.astype(np.float64)):
            raise CheckFailed("text_classification.split_values", name=name, source="y_train",
                              count=f"{IMDB_VALIDATION:,}")


@check("q3", weight=1,
       title={"ko": "검증 데이터로 훈련한 `history`", "en": "`history` of the run with validation data"})
def imdb_validation_history(nb):
    record = keras_expect.history(value(nb, "history"), "history", metrics=HISTORY_KEYS)
    epochs = len(record["val_loss"])
    if epochs < MIN_EXPLORATION_EPOCHS:
        raise CheckFailed("text_classification.history_epochs", what="history", found=epochs,
                          expected=MIN_EXPLORATION_EPOCHS)


@check("q3", weight=1, title={"ko": "IMDB 모델의 층 구성", "en": "The IMDB model's layers"})
def imdb_model_architecture(nb):
    expect_architecture(model_of(nb, "model", weights=False), IMDB_LAYERS, "model")


@check("q3", weight=1,
       title={"ko": "IMDB 모델의 출력층과 컴파일 설정", "en": "The IMDB model's output layer and compile settings"})
def imdb_model_output_and_loss(nb):
    info = describe(model_of(nb, "model", weights=False))
    keras_expect.last_activation(info, ("sigmoid",), "model", "@task.binary")
    labels = labels_value(nb, "y_train", length=IMDB_SAMPLES, ndim=(1, 2),
                          fix="`y_train = np.asarray(train_labels).astype(\"float32\")`")
    keras_expect.loss_fits_labels(info, labels, "model", labels_name="y_train",
                                  message="text_classification.loss_labels")
    keras_expect.loss(info, ("binary_crossentropy",), "model", "@task.binary")
    keras_expect.optimizer(info, "model", name="rmsprop")
    keras_expect.metrics(info, ("accuracy",), "model")


# q5 Reuters: the 46-way classifier, labels and loss, retrained for 9 epochs -----------------------------

@check("q5", weight=1, title={"ko": "Reuters 모델의 층 구성", "en": "The Reuters model's layers"})
def reuters_model_architecture(nb):
    expect_architecture(model_of(nb, "reuters_model", weights=False), REUTERS_LAYERS, "reuters_model")


@check("q5", weight=1,
       title={"ko": "Reuters 모델의 출력층과 컴파일 설정",
              "en": "The Reuters model's output layer and compile settings"})
def reuters_model_output_and_loss(nb):
    task = "@task.single_label"
    info = describe(model_of(nb, "reuters_model", weights=False))
    keras_expect.last_activation(info, ("softmax",), "reuters_model", task)
    labels = labels_value(nb, "reuters_y_train", length=REUTERS_SAMPLES, ndim=(1, 2),
                          fix="`reuters_y_train = to_one_hot(reuters_train_labels)` / "
                              "`reuters_y_train = np.array(reuters_train_labels)`")
    keras_expect.loss_fits_labels(info, labels, "reuters_model", labels_name="reuters_y_train",
                                  message="text_classification.loss_labels")
    keras_expect.loss(info, ("categorical_crossentropy", "sparse_categorical_crossentropy"), "reuters_model", task)
    keras_expect.optimizer(info, "reuters_model", name="rmsprop")
    keras_expect.metrics(info, ("accuracy",), "reuters_model")


# q7 the information bottleneck ------------------------------------------------------------------------

@check("q7", weight=1, title={"ko": "병목 모델의 층 구성", "en": "The bottleneck model's layers"})
def bottleneck_architecture(nb):
    expect_architecture(model_of(nb, "bottleneck_model", weights=False), BOTTLENECK_LAYERS,
                        "bottleneck_model")

