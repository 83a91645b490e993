"""Public checks of "mnist_cnn" (Deep Learning with Python, 1st ed. 5.1 / 2nd ed. 8.1): a convnet for MNIST.

Students run these with ``grader.check("qN")``; the grader runs them too. They need nothing but the
student's own values and functions, and for question 4 MNIST's training images, so they work the same on a
student's machine.
``hidden_checks.py`` adds other numbers of images for ``prepare_images`` and the test accuracy the
grader measures on the MNIST test set it loads itself.

What each check reads from the notebook (names fixed in the notebook's instructions):

- q1 ``prepare_images(images)``, called on small uint8 batches drawn here.
- q2 ``build_convnet()``, called: the book's model, compared layer by layer (kind, output shape,
  parameters; 93,322 in all) and by activation (relu inside, softmax out).
- q3 ``y_train`` / ``y_val`` against the student's own ``train_labels`` sliced by ``TRAIN_SIZE`` /
  ``VAL_SIZE``; ``model``'s compiled loss against how ``y_train`` is encoded.
- q4 ``train_with_checkpoint(x, y, x_val, y_val, epochs)``, called by the grader on a run it sets up (never the
  notebook's own ``history``, which the notebook could edit): 512 MNIST training images, and 512 validation
  images every other label of which is shifted by one, so the validation loss rises from the first epoch on
  while the validation accuracy improves (measured over seeds: 2.15-2.65 after epoch 1, 3.87-4.53 after epoch 5,
  rising every epoch). The grader computes the returned model's validation loss from its predictions; the best
  of 5 epochs can be no worse than the first, so it must be within ``BEST_TOLERANCE`` of a one-epoch run of the
  same function (runs differ in their random start), and the model must have learned (its accuracy on the
  run's training images). A model that was not restored, a checkpoint watching ``val_accuracy`` or ``loss``,
  or training after restoring lands near the last epoch's loss. MNIST comes from the course data in the grader
  and from Keras' own cache on a student's machine (the notebook has loaded it).
- q5 ``final_model``, the student's own architecture: input (n, 28, 28, 1), a 10-way softmax,
  at most 150,000 parameters, a loss that fits ``y_train``.
- q7 ``build_conv1d()``, called: Conv1D - BatchNormalization - MaxPooling1D - Dropout - Flatten -
  Dense(softmax) over 28 rows of 28 pixels.
"""

import dataclasses

import numpy as np

from autograder.author import (
    CheckFailed,
    LayerSpec,
    Reply,
    check,
    describe,
    evaluate,
    expect,
    keras_dataset,
    keras_expect,
    load_model,
    numeric,
    shape_text,
)

IMAGE = (28, 28, 1)
PARAMETER_BUDGET = 150_000
CONVNET_PARAMS = 93_322
CONV1D_PARAMS, CONV1D_NON_TRAINABLE = 14_026, 128
# question 4's run: images for training and for validation, epochs
RUN_IMAGES, RUN_EPOCHS = 512, 5
# the validation loss the best of RUN_EPOCHS epochs may exceed a one-epoch run's by (runs differ in their random
# start): measured over seeds, epoch 1 gives 2.15-2.65 and epoch 5 3.87-4.53, each rising from the one before; the
# restored model exceeded a separate one-epoch run by at most 0.34, the last epoch's by at least 1.53
BEST_TOLERANCE = 0.9
# accuracy on the run's training images that shows the model learned: chance is 10% (an untrained model says one
# digit for most images: 10-12%); after one epoch (16 steps) the reference's model, which its checkpoint restores
# to the first epoch here, classified 30-70% of them over 30 random starts (2026-12-03), so a run under the bar is
# repeated once from a new random start before it counts as not trained
LEARNED_ACCURACY = 0.2
RUN_ATTEMPTS = 2

CONVNET = (
    LayerSpec(kind="Conv2D", output_shape=(None, 26, 26, 32), params=320),
    LayerSpec(kind="MaxPooling2D", output_shape=(None, 13, 13, 32), params=0),
    LayerSpec(kind="Conv2D", output_shape=(None, 11, 11, 64), params=18_496),
    LayerSpec(kind="MaxPooling2D", output_shape=(None, 5, 5, 64), params=0),
    LayerSpec(kind="Conv2D", output_shape=(None, 3, 3, 64), params=36_928),
    LayerSpec(kind="Flatten", output_shape=(None, 576), params=0),
    LayerSpec(kind="Dense", output_shape=(None, 64), params=36_928),
    LayerSpec(kind="Dense", output_shape=(None, 10), params=650),
)
CONV1D = (
    LayerSpec(kind="Conv1D", output_shape=(None, 26, 64), activation="relu", params=5_440),
    LayerSpec(kind="BatchNormalization", output_shape=(None, 26, 64), params=256),
    LayerSpec(kind="MaxPooling1D", output_shape=(None, 13, 64), params=0),
    LayerSpec(kind="Dropout", output_shape=(None, 13, 64), params=0),
    LayerSpec(kind="Flatten", output_shape=(None, 832), params=0),
    LayerSpec(kind="Dense", output_shape=(None, 10), activation="softmax", params=8_330),
)
SINGLE_LABEL = "@task.single_label"


# -- helpers ------------------------------------------------------------------------------------------

def sample_images(count, seed):
    """``count`` uint8 images of 28x28 with every grey level from 0 to 255 somewhere."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(count, 28, 28), dtype=np.uint8)
    images.reshape(-1)[:256] = np.arange(256, dtype=np.uint8)
    return images


def prepared(nb, images):
    """``prepare_images(images)``: the reply, the call as text, and the returned value (or a failure)."""
    call = expect.call_text("prepare_images", [images])
    reply = nb.call("prepare_images", images)
    got = expect.returned(reply, call)
    if not isinstance(got, np.ndarray) or got.dtype.kind not in "biuf":
        raise CheckFailed("check.not_array", call=call, received=expect.describe(got))
    return reply, call, got


def unbatched(info):
    """The model's facts with the batch size left open (a model built by ``fit`` records its first batch's)."""
    def free(shape):
        return (None, *shape[1:]) if shape else shape

    layers = tuple(dataclasses.replace(layer, output_shape=free(layer.output_shape)) for layer in info.layers)
    return dataclasses.replace(info, layers=layers, input_shape=free(info.input_shape),
                               output_shape=free(info.output_shape))


def built_model(nb, reply, what, shape):
    """A model and its facts; fail with the fix when it has no input shape yet (no ``keras.Input``)."""
    model = keras_expect.model(reply, what, max_bytes=nb.context.model_bytes)
    info = unbatched(describe(model))
    if info.input_shape is None or any(layer.output_shape is None for layer in info.layers):
        raise CheckFailed("mnist_cnn.not_built", what=what, shape=str(shape))
    return model, info


def labels_value(nb, name):
    """The notebook's ``name`` as a numeric NumPy array (lists of numbers are accepted) or ``None``, and what to
    describe in a message (the array, else the value itself)."""
    got = expect.returned(nb.value(name), name)
    array = numeric(got)
    return array, got if array is None else array


def integer_labels(array):
    """Integer labels from integer or one-hot rows, or None when ``array`` is neither."""
    encoding = keras_expect.label_encoding(array)
    if array.ndim == 2 and array.shape[1] == 10 and encoding == "one_hot":
        return np.argmax(array, axis=1), encoding
    if array.ndim == 1 or (array.ndim == 2 and array.shape[1] == 1):
        flat = array.reshape(-1)
        if flat.size and np.all(np.mod(flat, 1) == 0) and flat.min() >= 0 and flat.max() <= 9:
            return flat.astype(np.int64), "integer"
    return None, encoding


def expect_loss_fits(info, labels, what, labels_name):
    """The compiled loss fits how ``labels`` are encoded; the message names both variables."""
    keras_expect.loss_fits_labels(info, labels, what, labels_name=labels_name, message="mnist_cnn.loss_labels")
    keras_expect.loss(info, ("sparse_categorical_crossentropy", "categorical_crossentropy"), what, SINGLE_LABEL)


def checked_labels(nb):
    """``y_train`` as the student encoded it, checked against ``train_labels[:TRAIN_SIZE]``."""
    train_size = expect.returned(nb.value("TRAIN_SIZE"), "TRAIN_SIZE")
    fix = "`y_train = train_labels[:TRAIN_SIZE]` (or `keras.utils.to_categorical(train_labels[:TRAIN_SIZE], 10)`)."
    y_train, got = labels_value(nb, "y_train")
    count = int(train_size) if isinstance(train_size, int | np.integer) else 10_000
    if y_train is None or integer_labels(y_train)[0] is None or len(y_train) != count:
        raise CheckFailed("mnist_cnn.labels_shape", name="y_train", count=f"{count:,}",
                          found=expect.describe(got), fix=fix)
    return y_train


# -- q1 prepare_images ----------------------------------------------------------------------------------

@check("q1", weight=1,
       title={"ko": "`prepare_images`가 (n, 28, 28, 1) 모양을 반환",
              "en": "`prepare_images` returns the shape (n, 28, 28, 1)"})
def prepare_images_is_4d(nb):
    images = sample_images(5, 5101)
    _, call, got = prepared(nb, images)
    expected = (len(images), *IMAGE)
    if got.shape == expected:
        return
    params = {"call": call, "found": shape_text(got.shape), "expected": shape_text(expected)}
    if got.shape == images.shape:
        raise CheckFailed("mnist_cnn.no_channel_axis", **params)
    if got.shape == (len(images), 28 * 28):
        raise CheckFailed("mnist_cnn.flattened", **params)
    if got.shape == (len(images), 1, 28, 28):
        raise CheckFailed("mnist_cnn.channels_first", **params)
    raise CheckFailed("mnist_cnn.not_4d", **params)


@check("q1", weight=1,
       title={"ko": "`prepare_images`가 픽셀 값을 0과 1 사이로 조정",
              "en": "`prepare_images` scales the pixels to between 0 and 1"})
def prepare_images_is_scaled(nb):
    images = sample_images(5, 5102)
    _, call, got = prepared(nb, images)
    if got.size != images.size:
        raise CheckFailed("mnist_cnn.scale_size", call=call, found=f"{got.size:,}", expected=f"{images.size:,}")
    values = got.astype(np.float64).reshape(-1)
    pixels = images.astype(np.float64).reshape(-1)
    if np.allclose(values, pixels):
        raise CheckFailed("mnist_cnn.not_scaled", call=call, found=f"{values.max():g}")
    if got.dtype.kind != "f" and values.max() <= 1:
        raise CheckFailed("mnist_cnn.scale_int", call=call, found=str(got.dtype))
    wrong = ~np.isclose(values, pixels / 255, rtol=1e-5, atol=1e-6)
    if wrong.any():
        raise CheckFailed("mnist_cnn.scale_values", call=call, low=f"{values.min():.3g}", high=f"{values.max():.3g}",
                          count=int(wrong.sum()), total=f"{values.size:,}")


# -- q2 the book's convnet -------------------------------------------------------------------------------

def convnet(nb):
    return built_model(nb, nb.call("build_convnet"), "build_convnet()", IMAGE)


@check("q2", weight=2,
       title={"ko": "책의 convnet: 층, 출력 모양, 파라미터 수",
              "en": "The book's convnet: layers, output shapes and parameters"})
def convnet_layers_and_shapes(nb):
    _, info = convnet(nb)
    keras_expect.architecture(info, CONVNET, "build_convnet()", compared=("kind", "output_shape", "params"))
    keras_expect.parameters(info, "build_convnet()", total=CONVNET_PARAMS)


@check("q2", weight=1, title={"ko": "책의 convnet: 활성화 함수", "en": "The book's convnet: activations"})
def convnet_activations(nb):
    _, info = convnet(nb)
    hidden = [layer for layer in info.layers if layer.kind != "InputLayer"][:-1]
    for position, layer in enumerate(hidden, start=1):
        if layer.kind in ("Conv2D", "Dense") and layer.activation != "relu":
            raise CheckFailed("model.layer_activation", what="build_convnet()", position=position, layer=layer.name,
                              expected="relu", found=layer.activation or "linear")
    keras_expect.last_activation(info, ("softmax",), "build_convnet()", SINGLE_LABEL)


# -- q3 labels and loss ----------------------------------------------------------------------------------

@check("q3", weight=1,
       title={"ko": "`y_train`과 `y_val`이 이미지와 짝이 맞음", "en": "`y_train` and `y_val` match their images"})
def labels_stay_with_their_images(nb):
    y_train = checked_labels(nb)
    train_labels, got = labels_value(nb, "train_labels")
    if train_labels is None or train_labels.ndim != 1:
        raise CheckFailed("check.not_array", call="train_labels", received=expect.describe(got))
    val_size = expect.returned(nb.value("VAL_SIZE"), "VAL_SIZE")
    val_count = int(val_size) if isinstance(val_size, int | np.integer) else 1_000
    y_val, got = labels_value(nb, "y_val")
    if y_val is None or integer_labels(y_val)[0] is None or len(y_val) != val_count:
        raise CheckFailed("mnist_cnn.labels_shape", name="y_val", count=f"{val_count:,}", found=expect.describe(got),
                          fix="`y_val = train_labels[-VAL_SIZE:]`, encoded like `y_train`.")
    train_ints, train_encoding = integer_labels(y_train)
    val_ints, val_encoding = integer_labels(y_val)
    if train_encoding != val_encoding:
        raise CheckFailed("mnist_cnn.labels_encodings_differ", train=train_encoding, val=val_encoding)
    for name, ints, part, rows in (("y_train", train_ints, train_labels[:len(y_train)], "[:TRAIN_SIZE]"),
                                   ("y_val", val_ints, train_labels[len(train_labels) - val_count:], "[-VAL_SIZE:]")):
        wrong = int(np.sum(ints != part.astype(np.int64))) if len(part) == len(ints) else len(ints)
        if wrong:
            raise CheckFailed("mnist_cnn.labels_values", name=name, rows=rows, count=f"{wrong:,}",
                              total=f"{len(ints):,}")


@check("q3", weight=1,
       title={"ko": "`model`의 손실 함수가 레이블 인코딩에 맞음", "en": "`model`'s loss fits the label encoding"})
def loss_fits_the_labels(nb):
    model = load_model(nb, "model")
    expect_loss_fits(describe(model), checked_labels(nb), "model", "y_train")


# -- q4 ModelCheckpoint and the best epoch: a run the grader sets up ------------------------------------------

def mnist_training_set(nb):
    """MNIST's training images and labels: the course's copy in the grader, Keras' own on a student's machine."""
    (images, labels), _ = keras_dataset(nb, "mnist")
    return images, labels


def checkpoint_run_data(nb):
    """The grader's run: the first 512 MNIST training images with their labels; 512 validation images (the last of
    the training set) whose every other label is shifted by one (7 -> 8), so the validation loss rises once the
    model grows confident while the validation accuracy keeps improving on the other half."""
    images, labels = mnist_training_set(nb)
    prepare = lambda chunk: np.expand_dims(np.asarray(chunk), -1).astype("float32") / 255  # noqa: E731
    x, y = prepare(images[:RUN_IMAGES]), np.asarray(labels[:RUN_IMAGES]).astype(np.int64)
    x_val, y_val = prepare(images[-RUN_IMAGES:]), np.asarray(labels[-RUN_IMAGES:]).astype(np.int64)
    y_val[::2] = (y_val[::2] + 1) % 10
    return x, y, x_val, y_val


def notebook_one_hot(nb):
    """Whether the notebook's ``y_train`` is one-hot (the grader's labels are then passed one-hot first)."""
    reply = nb.value("y_train")
    labels = reply.value if reply.status == "ok" else None
    return isinstance(labels, np.ndarray) and labels.ndim == 2 and labels.shape[-1] == 10


def checkpoint_run(nb, epochs, attempt=0):
    """``train_with_checkpoint`` called on the grader's run for ``epochs`` epochs: the model it returned (loaded
    safely), the call as text, and the run's data. Labels go in the encoding of the notebook's ``y_train``, then
    the other one if the call raises (a loss that does not fit the labels is question 3's business). The two
    checks of question 4 share the runs; ``attempt`` > 0 is a new call (a new random start)."""
    return nb.memo(("checkpoint_run", epochs, attempt), lambda: _checkpoint_run(nb, epochs))


def _checkpoint_run(nb, epochs):
    x, y, x_val, y_val = data = checkpoint_run_data(nb)
    first = notebook_one_hot(nb)
    replies = []
    for one_hot in (first, not first):
        encode = (lambda labels: np.eye(10, dtype="float32")[labels]) if one_hot else (lambda labels: labels)
        args = (x, encode(y), x_val, encode(y_val), epochs)
        replies.append((expect.call_text("train_with_checkpoint", args),
                        nb.call("train_with_checkpoint", *args)))
        if replies[-1][1].status != "error":
            break
    call, reply = replies[-1] if replies[-1][1].status == "ok" else replies[0]
    got = expect.returned(reply, call)
    returned_model = got[0] if isinstance(got, tuple | list) and got else got
    model = keras_expect.model(Reply("ok", returned_model), call, max_bytes=nb.context.model_bytes)
    return model, call, data


def run_measures(model, call, data):
    """The returned model's accuracy on the run's training images and its loss on the run's validation data, both
    computed here from its predictions (whatever loss it was compiled with)."""
    x, y, x_val, y_val = data
    try:
        train_predictions = evaluate.predict(model, x, batch_size=256)
        val_predictions = evaluate.predict(model, x_val, batch_size=256)
    except CheckFailed:  # the model host ran out of time or memory: that is the message
        raise
    except Exception as error:  # noqa: BLE001  (a model that cannot take the images is the student's answer)
        text = str(error).strip().splitlines()
        raise CheckFailed("mnist_cnn.run_cannot_evaluate", call=call,
                          detail=f"{type(error).__name__}: {text[-1][:200] if text else ''}") from None
    if train_predictions.ndim != 2 or train_predictions.shape[1] != 10:
        raise CheckFailed("mnist_cnn.run_cannot_evaluate", call=call,
                          detail=f"predictions of shape {shape_text(train_predictions.shape)}")
    accuracy = float(np.mean(np.argmax(train_predictions, axis=1) == y))
    picked = val_predictions.astype(np.float64)[np.arange(len(y_val)), y_val]
    loss = float(np.mean(-np.log(np.clip(picked, 1e-7, 1.0))))
    return accuracy, loss


def trained_run(nb, epochs):
    """The validation loss of the run's model; fail when it learned nothing from the run's training images in
    ``RUN_ATTEMPTS`` calls (an honest function rarely starts so badly twice; one that does not train never learns)."""
    for attempt in range(RUN_ATTEMPTS):
        model, call, data = checkpoint_run(nb, epochs, attempt)
        accuracy, loss = run_measures(model, call, data)
        if accuracy >= LEARNED_ACCURACY:
            return loss
    raise CheckFailed("mnist_cnn.run_not_trained", call=call, found=f"{accuracy:.0%}",
                      expected=f"{LEARNED_ACCURACY:.0%}", images=RUN_IMAGES)


@check("q4", weight=1,
       title={"ko": "`train_with_checkpoint`가 받은 데이터로 새 convnet을 학습",
              "en": "`train_with_checkpoint` trains a new convnet on the data it is given"})
def checkpoint_function_trains_on_its_data(nb):
    trained_run(nb, RUN_EPOCHS)


@check("q4", weight=2,
       title={"ko": "`train_with_checkpoint`가 가장 좋은 에포크의 가중치를 반환",
              "en": "`train_with_checkpoint` returns the best epoch's weights"})
def checkpoint_function_returns_the_best_epoch(nb):
    found = trained_run(nb, RUN_EPOCHS)
    first = trained_run(nb, 1)
    if found > first + BEST_TOLERANCE:
        raise CheckFailed("mnist_cnn.not_best_epoch", epochs=RUN_EPOCHS, images=RUN_IMAGES, found=f"{found:.3f}",
                          first=f"{first:.3f}")


# -- q5 your own model -------------------------------------------------------------------------------------

def final_model(nb):
    model = load_model(nb, "final_model")
    return model, unbatched(describe(model))


@check("q5", weight=1,
       title={"ko": "`final_model`의 입력은 이미지, 출력은 10개 확률",
              "en": "`final_model` takes images and gives 10 probabilities"})
def final_model_takes_images_and_gives_10_probabilities(nb):
    _, info = final_model(nb)
    expected_input = (None, *IMAGE)
    if info.input_shape != expected_input:
        raise CheckFailed("mnist_cnn.final_input", found=shape_text(info.input_shape),
                          expected=shape_text(expected_input))
    if info.output_shape != (None, 10):
        raise CheckFailed("mnist_cnn.final_output", found=shape_text(info.output_shape), expected="(None, 10)")
    keras_expect.last_activation(info, ("softmax",), "final_model", SINGLE_LABEL)


@check("q5", weight=1,
       title={"ko": "`final_model`의 파라미터 수가 한도 이내", "en": "`final_model` is within the parameter budget"})
def final_model_within_the_parameter_budget(nb):
    _, info = final_model(nb)
    if info.total_params > PARAMETER_BUDGET:
        raise CheckFailed("mnist_cnn.over_budget", found=f"{info.total_params:,}", expected=f"{PARAMETER_BUDGET:,}")


@check("q5", weight=1,
       title={"ko": "`final_model`의 손실 함수가 레이블 인코딩에 맞음",
              "en": "`final_model`'s loss fits the label encoding"})
def final_model_loss_fits_the_labels(nb):
    _, info = final_model(nb)
    expect_loss_fits(info, checked_labels(nb), "final_model", "y_train")


# -- q7 Conv1D with BatchNormalization and Dropout ----------------------------------------------------------

def conv1d(nb):
    return built_model(nb, nb.call("build_conv1d"), "build_conv1d()", (28, 28))


@check("q7", weight=2, title={"ko": "Conv1D 모델의 층과 순서", "en": "The Conv1D model's layers, in order"})
def conv1d_layers_in_order(nb):
    _, info = conv1d(nb)
    keras_expect.architecture(info, CONV1D, "build_conv1d()")


@check("q7", weight=1,
       title={"ko": "Conv1D 모델의 입력 모양과 파라미터 수",
              "en": "The Conv1D model's input shape and parameter counts"})
def conv1d_reads_rows_and_keeps_batch_statistics(nb):
    _, info = conv1d(nb)
    if info.input_shape != (None, 28, 28):
        raise CheckFailed("mnist_cnn.conv1d_input", what="build_conv1d()", found=shape_text(info.input_shape),
                          expected="(None, 28, 28)")
    keras_expect.parameters(info, "build_conv1d()", total=CONV1D_PARAMS, non_trainable=CONV1D_NON_TRAINABLE)
