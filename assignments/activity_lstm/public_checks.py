"""Public checks of "activity_lstm" (week-4 study notes): split_sequences, an LSTM, transfer to another sensor.

Students run these with ``grader.check("qN")``; the grader runs them too. They need nothing but the
student's own values (no course data), so they work the same on a student's machine.
``hidden_checks.py`` adds random sequences for ``split_sequences``, the check that no window of the
test subjects reached ``X_train``, and the two accuracies the grader measures on the held-out subjects.

What each check reads from the notebook (names fixed in the notebook's instructions):

- q1 ``split_sequences(sequences, n_steps)``, called on the notes' small example.
- q2 ``to_one_hot(labels)``, called on activities 1-19; ``X_train`` / ``y_train`` (and ``X_test`` /
  ``y_test``): windows (N, 25, 9) and one-hot rows (N, 19).
- q3 ``base_model``: input (None, 25, 9), an LSTM, Dense(19, softmax) last, a loss that fits ``y_train``.
- q5 ``feature_model`` (``remove_last_layers(base_model, 1)``), ``base_model``, ``transfer_model`` and
  ``base_snapshot`` (the notebook's copy of ``base_model`` made right after question 3, in a cell the
  student does not edit). Models cross as ``.keras`` files, so "shared weights" is checked as equal
  weights: the kept layers of ``feature_model`` hold ``base_model``'s weights, and the layers before
  ``transfer_model``'s head hold ``base_snapshot``'s, which only holds when they were frozen while
  ``transfer_model`` trained (the layers are shared, so without freezing ``base_model`` changes with them).
  ``base_snapshot`` and the flags are the notebook's own records, so both freezing checks also need the model's
  saved optimizer state to show that it trained with exactly its head trainable (``expect_trained_as_frozen``).
- q6 ``finetune_model``: BatchNormalization and Dropout, every layer trainable again, Dense(19, softmax).
"""


import numpy as np

from autograder.author import (
    CheckFailed,
    check,
    describe,
    expect,
    keras_expect,
    load_model,
    number_array,
    public_expected,
    same_weights,
    shape_text,
)

N_STEPS, N_FEATURES, N_CLASSES = 25, 9, 19
SINGLE_LABEL = "@task.single_label"
# the notes' example: two features and a label column; windows of 3 rows
DEMO = np.array([[10, 15, 1], [20, 25, 1], [30, 35, 2], [40, 45, 2], [50, 55, 2]])
DEMO_STEPS = 3


# -- helpers ------------------------------------------------------------------------------------------

def demo_expected():
    """The windows and labels ``split_sequences`` should make of the notes' example: values stored by
    ``autograder assign`` from ``reference.py``, which is never handed out."""
    stored = public_expected(__file__)["split_demo"]
    return np.asarray(stored["x"], dtype=np.float64), np.asarray(stored["y"], dtype=np.float64)


def split(nb, sequences, n_steps):
    """``split_sequences(sequences, n_steps)``: the call as text and the returned ``(X, y)`` as arrays."""
    call = expect.call_text("split_sequences", [sequences, n_steps])
    got = expect.returned(nb.call("split_sequences", sequences, n_steps), call)
    if not isinstance(got, list | tuple) or len(got) != 2:
        raise CheckFailed("activity_lstm.split_not_pair", call=call, found=expect.describe(got))
    x, y = (np.asarray(part) if isinstance(part, list | tuple) else part for part in got)
    for name, part in (("X", x), ("y", y)):
        if not isinstance(part, np.ndarray) or part.dtype.kind not in "biuf":
            raise CheckFailed("activity_lstm.split_not_arrays", call=call, name=name, found=expect.describe(part))
    return call, x, y


def expect_windows(call, x, y, sequences, n_steps, want_x):
    """``X`` holds exactly the expected windows ``want_x`` (``sequences[i:i + n_steps, :-1]``), as many as there
    are."""
    count = len(want_x)
    if x.ndim != 3 or x.shape[1:] != want_x.shape[1:] or len(y) != len(x) or y.ndim != 1:
        raise CheckFailed("activity_lstm.split_shapes", call=call, found_x=shape_text(x.shape),
                          found_y=shape_text(y.shape), expected_x=shape_text(want_x.shape),
                          expected_y=shape_text((count,)))
    if len(x) > count:
        raise CheckFailed("activity_lstm.split_past_end", call=call, found=len(x), expected=count,
                          rows=len(sequences), n_steps=n_steps)
    if len(x) < count:
        raise CheckFailed("activity_lstm.split_too_few", call=call, found=len(x), expected=count,
                          rows=len(sequences), n_steps=n_steps)
    wrong = [i for i in range(count) if not np.allclose(x[i], want_x[i])]
    if wrong:
        raise CheckFailed("activity_lstm.split_window_values", call=call, index=wrong[0], count=len(wrong), total=count)


def expect_majority(call, y, sequences, n_steps, want_y):
    """``y`` holds each window's most common label (``want_y``); names the rule it follows instead when it is a
    known one (the last or the first row's label)."""
    want_y = np.asarray(want_y)
    got = np.asarray(y, dtype=np.float64).reshape(-1)[:len(want_y)]
    if not len(got):
        raise CheckFailed("activity_lstm.split_too_few", call=call, found=0, expected=len(want_y),
                          rows=len(sequences), n_steps=n_steps)
    # windows missing at the end (or at the start) are the window checks' business: the labels of the windows
    # it did make are judged here, against the same windows
    want = want_y.astype(np.float64)
    offset = len(want) - len(got) if len(got) < len(want) and not np.allclose(got, want[:len(got)]) else 0
    want = want[offset:offset + len(got)]
    count = len(got)
    wrong = np.flatnonzero(~np.isclose(got, want))
    if not len(wrong):
        return
    last = sequences[offset + n_steps - 1:offset + n_steps - 1 + count, -1].astype(np.float64)
    first = sequences[offset:offset + count, -1].astype(np.float64)
    params = {"call": call, "count": len(wrong), "total": count, "index": int(wrong[0]) + offset,
              "expected": f"{want[wrong[0]]:g}", "found": f"{got[wrong[0]]:g}"}
    if np.allclose(got, last):
        raise CheckFailed("activity_lstm.split_last_label", **params)
    if np.allclose(got, first):
        raise CheckFailed("activity_lstm.split_first_label", **params)
    raise CheckFailed("activity_lstm.split_not_majority", **params)


def real_layers(model):
    """The model's layers without the input layer (Keras 3 does not list it; older files may)."""
    return [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]


def layer_text(layer):
    return f"{type(layer).__name__} `{layer.name}`"


def expect_softmax_head(info, what):
    """The model ``what`` ends in ``Dense(N_CLASSES)`` with a softmax: one probability per activity."""
    last = [layer for layer in info.layers if layer.kind != "InputLayer"][-1]
    if last.kind != "Dense" or last.units != N_CLASSES:
        raise CheckFailed("activity_lstm.last_layer", what=what, found=f"{last.kind} {shape_text(last.output_shape)}",
                          expected=f"Dense({N_CLASSES}, activation=\"softmax\")")
    keras_expect.last_activation(info, ("softmax",), what, SINGLE_LABEL)


# -- q1 split_sequences ---------------------------------------------------------------------------------

@check("q1", weight=1,
       title={"ko": "노트의 예제: `split_sequences`의 윈도", "en": "The notes' example: `split_sequences`'s windows"})
def split_sequences_windows_on_the_notes_example(nb):
    call, x, y = split(nb, DEMO, DEMO_STEPS)
    expect_windows(call, x, y, DEMO, DEMO_STEPS, demo_expected()[0])


@check("q1", weight=1,
       title={"ko": "노트의 예제: 윈도마다 가장 많은 레이블",
              "en": "The notes' example: each window's most common label"})
def split_sequences_majority_label_on_the_notes_example(nb):
    call, _, y = split(nb, DEMO, DEMO_STEPS)
    expect_majority(call, y, DEMO, DEMO_STEPS, demo_expected()[1])


# -- q2 labels and the training data --------------------------------------------------------------------

@check("q2", weight=1,
       title={"ko": "`to_one_hot`이 활동 1-19를 원-핫 행으로 변환",
              "en": "`to_one_hot` maps activities 1-19 to one-hot rows"})
def to_one_hot_maps_activities_1_to_19(nb):
    for labels in (np.arange(1, 20), np.arange(1, 20, dtype=np.float64)[::-1]):
        call = expect.call_text("to_one_hot", [labels])
        got = expect.returned(nb.call("to_one_hot", labels), call)
        if not isinstance(got, np.ndarray) or got.dtype.kind not in "biuf":
            raise CheckFailed("check.not_array", call=call, received=expect.describe(got))
        if got.shape != (19, N_CLASSES):
            raise CheckFailed("activity_lstm.one_hot_shape", call=call, found=shape_text(got.shape),
                              expected=shape_text((19, N_CLASSES)))
        want = np.eye(N_CLASSES)[labels.astype(np.int64) - 1]
        if not np.allclose(got, want):
            column = int(np.argmax(got[0])) if got[0].max() > 0 else -1
            raise CheckFailed("activity_lstm.one_hot_values", call=call, label=f"{labels[0]:g}", found=column,
                              expected=int(labels[0]) - 1)


@check("q2", weight=1,
       title={"ko": "훈련·테스트 윈도와 원-핫 레이블의 모양",
              "en": "Shapes of the training and test windows and one-hot labels"})
def training_windows_and_one_hot_labels(nb):
    for x_name, y_name in (("X_train", "y_train"), ("X_test", "y_test")):
        x = number_array(nb, x_name)
        y = number_array(nb, y_name)
        if x.ndim != 3 or x.shape[1:] != (N_STEPS, N_FEATURES):
            raise CheckFailed("activity_lstm.data_shape", name=x_name, found=shape_text(x.shape),
                              expected=shape_text((None, N_STEPS, N_FEATURES)))
        if y.ndim != 2 or y.shape[1] != N_CLASSES or keras_expect.label_encoding(y) != "one_hot":
            raise CheckFailed("activity_lstm.labels_not_one_hot", name=y_name, found=shape_text(y.shape),
                              expected=shape_text((len(x), N_CLASSES)))
        if len(y) != len(x):
            raise CheckFailed("activity_lstm.data_count", x_name=x_name, y_name=y_name, x_count=len(x), y_count=len(y))


# -- q3 the LSTM -------------------------------------------------------------------------------------------

@check("q3", weight=2,
       title={"ko": "`base_model`: 입력 모양, LSTM, 19개 클래스의 softmax",
              "en": "`base_model`: input shape, an LSTM, a 19-way softmax"})
def base_model_is_an_lstm_with_a_19_way_softmax(nb):
    model = load_model(nb, "base_model")
    info = describe(model)
    expected_input = (None, N_STEPS, N_FEATURES)
    found_input = (None, *info.input_shape[1:]) if info.input_shape else None
    if found_input != expected_input:
        raise CheckFailed("activity_lstm.model_input", what="base_model", found=shape_text(found_input),
                          expected=shape_text(expected_input))
    kinds = [layer.kind for layer in info.layers]
    if not any(kind == "LSTM" for kind in kinds):
        raise CheckFailed("activity_lstm.no_lstm", what="base_model", found=", ".join(kinds))
    expect_softmax_head(info, "base_model")


@check("q3", weight=1,
       title={"ko": "`base_model`의 손실 함수가 원-핫 레이블에 맞음",
              "en": "`base_model`'s loss fits the one-hot labels"})
def base_model_loss_fits_one_hot_labels(nb):
    info = describe(load_model(nb, "base_model"))
    keras_expect.compiled(info, "base_model")
    y_train = number_array(nb, "y_train")
    keras_expect.loss_fits_labels(info, y_train, "base_model")
    keras_expect.loss(info, ("categorical_crossentropy",), "base_model", SINGLE_LABEL)


# -- q5 remove_last_layers and the frozen transfer model -----------------------------------------------------

@check("q5", weight=1,
       title={"ko": "`remove_last_layers`가 마지막 층만 빼고 가중치를 공유",
              "en": "`remove_last_layers` drops the last layer and shares the weights"})
def remove_last_layers_keeps_the_base_and_shares_its_weights(nb):
    base = load_model(nb, "base_model")
    snapshot = load_model(nb, "base_snapshot")
    kept = real_layers(load_model(nb, "feature_model"))
    base_layers, snapshot_layers = real_layers(base), real_layers(snapshot)
    if len(base_layers) != len(snapshot_layers):
        raise CheckFailed("activity_lstm.base_mutated", found=len(base_layers), expected=len(snapshot_layers))
    if len(kept) != len(base_layers) - 1:
        raise CheckFailed("activity_lstm.removed_count", found=len(kept), expected=len(base_layers) - 1,
                          base=len(base_layers))
    for position, (mine, theirs) in enumerate(zip(kept, base_layers, strict=False), start=1):
        if type(mine).__name__ != type(theirs).__name__ or not same_weights(mine.get_weights(), theirs.get_weights()):
            raise CheckFailed("activity_lstm.not_shared", position=position, layer=layer_text(mine),
                              base_layer=layer_text(theirs))


def transfer_parts(nb):
    """``transfer_model``'s layers before the head, its head, and ``base_snapshot``'s layers but the last."""
    model = load_model(nb, "transfer_model")
    snapshot = real_layers(load_model(nb, "base_snapshot"))
    layers = real_layers(model)
    return model, layers[:-2], layers[-2:], snapshot[:-1]


@check("q5", weight=1, title={"ko": "`transfer_model`의 새 분류 층", "en": "`transfer_model`'s new head"})
def transfer_model_has_the_new_head(nb):
    model, body, head, base = transfer_parts(nb)
    info = describe(model)
    found_input = (None, *info.input_shape[1:]) if info.input_shape else None
    if found_input != (None, N_STEPS, N_FEATURES):
        raise CheckFailed("activity_lstm.model_input", what="transfer_model", found=shape_text(found_input),
                          expected=shape_text((None, N_STEPS, N_FEATURES)))
    if [type(layer).__name__ for layer in body] != [type(layer).__name__ for layer in base]:
        raise CheckFailed("activity_lstm.transfer_body", found=", ".join(type(layer).__name__ for layer in body) or "-",
                          expected=", ".join(type(layer).__name__ for layer in base))
    layers = [layer for layer in info.layers if layer.kind != "InputLayer"][-2:]
    for position, (layer, units, activation) in enumerate(zip(layers, (256, N_CLASSES), ("relu", "softmax"),
                                                                strict=True), start=1):
        if layer.kind != "Dense" or layer.units != units or layer.activation != activation:
            raise CheckFailed("activity_lstm.transfer_head", position=position,
                              found=f"{layer.kind} {shape_text(layer.output_shape)} {layer.activation or 'linear'}",
                              expected=f"Dense({units}, activation=\"{activation}\") (None, {units})")
    del head


def expect_trained_as_frozen(model):
    """``transfer_model`` trained with exactly the weights trainable now (its head): the optimizer saved with it.

    Keras builds an optimizer's state (Adam's moments) for the weights trainable when ``fit`` first runs after
    ``compile``, and a loaded model keeps that state, its step count included, only when it matches the weights
    trainable now: a model trained with its body trainable and frozen afterwards, or recompiled after ``fit``,
    comes back with no step. So the flags and a snapshot the notebook recorded earn nothing unless the model's
    own saved state shows that it trained with them. (Not seen: training unfrozen, then freezing, compiling and
    training again; ``base_snapshot`` is the notebook's record of the weights before.)
    """
    optimizer = getattr(model, "optimizer", None)
    steps = getattr(optimizer, "iterations", None) if optimizer is not None else None
    try:
        steps = int(np.asarray(steps)) if steps is not None else 0
    except (TypeError, ValueError):
        steps = 0
    if steps <= 0:
        raise CheckFailed("activity_lstm.transfer_not_trained_frozen")


@check("q5", weight=1,
       title={"ko": "`transfer_model`의 기존 층이 동결됨", "en": "`transfer_model`'s base layers are frozen"})
def transfer_model_base_is_frozen(nb):
    model, body, _, _ = transfer_parts(nb)
    if not body:
        raise CheckFailed("activity_lstm.transfer_body", found="-", expected="LSTM")
    for layer in body:
        if layer.trainable and layer.weights:
            raise CheckFailed("model.should_be_frozen", what="transfer_model", layer=layer.name)
    expect_trained_as_frozen(model)


@check("q5", weight=1,
       title={"ko": "동결된 층이 훈련 중에 바뀌지 않음", "en": "The frozen layers did not change in training"})
def frozen_layers_did_not_change_in_training(nb):
    model, body, _, base = transfer_parts(nb)
    if len(body) != len(base) or not body:
        raise CheckFailed("activity_lstm.transfer_body", found=", ".join(type(layer).__name__ for layer in body) or "-",
                          expected=", ".join(type(layer).__name__ for layer in base))
    for position, (mine, theirs) in enumerate(zip(body, base, strict=True), start=1):
        if not same_weights(mine.get_weights(), theirs.get_weights()):
            raise CheckFailed("activity_lstm.frozen_changed", position=position, layer=layer_text(mine))
    expect_trained_as_frozen(model)  # base_snapshot is the notebook's record: it counts only with the model's state


# -- q6 fine-tuning ----------------------------------------------------------------------------------------------

@check("q6", weight=1,
       title={"ko": "`finetune_model`: BatchNormalization, Dropout, softmax 출력",
              "en": "`finetune_model`: BatchNormalization, Dropout and a softmax output"})
def finetune_model_has_batchnorm_dropout_and_the_softmax(nb):
    model = load_model(nb, "finetune_model")
    info = describe(model)
    kinds = [layer.kind for layer in info.layers if layer.kind != "InputLayer"]
    for kind in ("LSTM", "BatchNormalization", "Dropout"):
        if kind not in kinds:
            raise CheckFailed("activity_lstm.finetune_missing", kind=kind, found=", ".join(kinds))
    expect_softmax_head(info, "finetune_model")


@check("q6", weight=1,
       title={"ko": "`finetune_model`의 모든 층이 다시 훈련 가능",
              "en": "Every layer of `finetune_model` is trainable again"})
def finetune_model_is_unfrozen(nb):
    model = load_model(nb, "finetune_model")
    for layer in real_layers(model):
        if layer.weights and not layer.trainable:
            raise CheckFailed("model.should_be_trainable", what="finetune_model", layer=layer.name)
