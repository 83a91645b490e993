"""Public checks of "vgg16_transfer" (Deep Learning with Python, 1st ed. 5.3 / 2nd ed. 8.3).

Students run these with ``grader.check("qN")``; the grader runs them too. ``hidden_checks.py`` adds the
validation accuracy, measured by the grader on data it loads itself and only with pretrained weights.

What each check reads from the notebook (names fixed in the notebook's instructions):

- q1 ``conv_base`` (a Keras model, loaded here with ``safe_mode``): VGG16's 19 layers by name, no
  classifier on top (``include_top=False``), 14,714,688 parameters, input ``(IMG_SIZE, IMG_SIZE, 3)``.
- q2 augmentation on the training data only. Training: ``model`` has random augmentation layers
  (``RandomFlip``/``RandomRotation``/``RandomZoom``/... before the base; Keras runs them only in ``fit``),
  or ``train_ds``'s pipeline contains random ops. Validation, checked rather than assumed, three ways:
  the TensorFlow ops of ``val_ds``'s pipeline (the notebook's ``pipeline_ops`` serialises the tf.data
  graph with its functions) contain no random op; its first batch, taken twice, is the same; and that
  batch equals the original validation images that the grader reads and resizes itself from the course
  data (with ``preprocess_input`` applied, or raw). A seeded random op can repeat itself between passes,
  so the first condition is needed; an augmentation written without random ops (e.g. always flipping)
  changes the images, which the third condition sees.
- q3 ``model``: the base nested as one layer, then Flatten - Dense(256, relu) - (Dropout) - Dense(1,
  sigmoid); ``binary_crossentropy``; ``trainable_before`` and ``trainable_after`` (the student records
  ``len(model.trainable_weights)``) equal to what the final model's own weights give (30 and 4); and that the
  base did not change while it was frozen (with ``history``).
- q4 the final ``model`` (after fine-tuning): inside the nested base, ``block5_conv1`` ... ``block5_conv3``
  trainable and nothing below (``keras_expect.frozen`` on the nested base); the optimizer's learning rate
  at most 1e-4 (the book: 1e-5); and blocks 1-4 never changed while every ``block5`` convolution did (with
  ``history_fine``).

What the freezing verdicts rest on: the final model's layers, fingerprinted here, compared with the weights
``VGG16(weights="imagenet")`` is built with, which the grader rebuilds itself: Keras' hash-checked ImageNet
file, or without it the seeded stand-in weights the sandbox builds instead (``autograder.data.vgg16_standin``).
The fingerprints the notebook records (``weights_at_start``, ``weights_after_frozen``) and the counts it types
earn nothing on their own: the records must describe the rebuilt weights, and they decide only what the final
model cannot show (whether ``block5``, or a layer fine-tuning also trained, changed in the first training).
"""

import os
from pathlib import Path

import numpy as np

from autograder.author import (
    CheckFailed,
    CheckSkipped,
    check,
    describe,
    expect,
    keras_expect,
    keras_files,
    load_model,
    shape_text,
    vgg16_standin,
)

BASE_PARAMS = 14_714_688
CONV_LAYERS = ("block1_conv1", "block1_conv2", "block2_conv1", "block2_conv2", "block3_conv1", "block3_conv2",
               "block3_conv3", "block4_conv1", "block4_conv2", "block4_conv3", "block5_conv1", "block5_conv2",
               "block5_conv3")
BASE_LAYERS = ("block1_conv1", "block1_conv2", "block1_pool", "block2_conv1", "block2_conv2", "block2_pool",
               "block3_conv1", "block3_conv2", "block3_conv3", "block3_pool", "block4_conv1", "block4_conv2",
               "block4_conv3", "block4_pool", "block5_conv1", "block5_conv2", "block5_conv3", "block5_pool")
FINE_TUNED = CONV_LAYERS[10:]
KEPT = CONV_LAYERS[:10]
MAX_FINE_TUNE_RATE = 1e-4
# preprocessing layers that may stand before the base besides augmentation (they have no weights)
PREPROCESSING = ("Rescaling", "Normalization", "Resizing", "CenterCrop")
# tf.data op names that draw random numbers or apply a random image transformation
RANDOM_OP_WORDS = ("Random", "Multinomial", "TruncatedNormal")
PIXEL_ATOL = 1e-3
WEIGHTS = "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"

# -- helpers ------------------------------------------------------------------------------------------

def image_size(nb):
    """``IMG_SIZE`` from the notebook (VGG16 takes 32 to a few hundred pixels)."""
    size = expect.value_of(nb.value("IMG_SIZE"), "IMG_SIZE")
    if not isinstance(size, int | np.integer) or isinstance(size, bool) or not 32 <= int(size) <= 512:
        raise CheckFailed("vgg16_transfer.img_size", found=expect.describe(size))
    return int(size)


def kind(layer):
    return type(layer).__name__


def is_base(layer):
    """Whether ``layer`` is a nested model holding VGG16's convolution layers."""
    names = {sub.name for sub in getattr(layer, "layers", ())}
    return "block1_conv1" in names and "block5_conv3" in names


def find_base(model):
    """The nested VGG16 base inside ``model`` and its position, or fail with why."""
    for position, layer in enumerate(model.layers):
        if is_base(layer):
            return position, layer
    names = {layer.name for layer in model.layers}
    if "block1_conv1" in names:
        raise CheckFailed("vgg16_transfer.base_not_nested")
    raise CheckFailed("vgg16_transfer.no_base", found=", ".join(layer.name for layer in model.layers) or "-")


def augmentation_layers(layers):
    """The random augmentation layers among ``layers`` (nested Sequential/Functional models included)."""
    found = []
    for layer in layers:
        if kind(layer).startswith("Random"):
            found.append(layer.name)
        elif hasattr(layer, "layers") and not is_base(layer):
            found.extend(augmentation_layers(layer.layers))
    return found


def random_ops(ops):
    return sorted({op for op in ops if isinstance(op, str) and "Dataset" not in op
                   and any(word in op for word in RANDOM_OP_WORDS)})


def pipeline_ops(nb, dataset):
    call = f'pipeline_ops("{dataset}")'
    ops = expect.returned(nb.call("pipeline_ops", dataset), call)
    if not isinstance(ops, list | tuple) or not all(isinstance(op, str) for op in ops):
        raise CheckFailed("vgg16_transfer.not_a_dataset", name=dataset, found=expect.describe(ops))
    return list(ops)


def first_batch(nb, dataset):
    call = f'first_batch("{dataset}")'
    got = expect.returned(nb.call("first_batch", dataset), call)
    if not (isinstance(got, tuple | list) and len(got) == 2 and isinstance(got[0], np.ndarray)
            and got[0].dtype.kind == "f" and got[0].ndim == 4):
        raise CheckFailed("vgg16_transfer.not_a_dataset", name=dataset, found=expect.describe(got))
    return got[0]


def weight_digest(layer):
    """The notebook's ``layer_digests`` for one layer: SHA-256 of its weights as little-endian float32."""
    return vgg16_standin.digest(layer.get_weights())


def base_and_head(model):
    """The base's layers and the layers after it: nested as asked, or (a q3 mistake of its own) flattened into
    ``model``, where the convolution layers can be checked all the same."""
    try:
        position, base = find_base(model)
        return list(base.layers), list(model.layers[position + 1:])
    except CheckFailed:
        last = [i for i, layer in enumerate(model.layers) if layer.name.startswith("block5")]
        if not last or "block1_conv1" not in {layer.name for layer in model.layers}:
            raise
        return list(model.layers[:last[-1] + 1]), list(model.layers[last[-1] + 1:])


def final_digests(nb):
    """The fingerprint of each convolution layer of the final ``model``'s base, computed here (once per run)."""
    def digests():
        layers, _ = base_and_head(load_model(nb, "model"))
        return {layer.name: weight_digest(layer) for layer in layers if layer.name in CONV_LAYERS}
    return nb.memo("final_digests", digests)


def pretrained_files(nb):
    """Keras' genuine ImageNet file: the grader's configured one, or (on a student's machine) the Keras cache's."""
    files = [nb.context.data_files[WEIGHTS]] if WEIGHTS in nb.context.data_files else []
    try:
        files += [str(path) for name, path in keras_files.resolve_weights("keras_cache", Path.cwd()).items()
                  if name == WEIGHTS]  # hash-checked: only Keras' own bytes
    except (OSError, ValueError):
        pass
    return files


def reference_digests(nb):
    """The fingerprints of the weights ``VGG16(weights="imagenet")`` builds, as the grader rebuilds them.

    With Keras' ImageNet file (hash-checked), its weights; without it, the seeded stand-in weights the sandbox
    builds instead (``autograder.data.vgg16_standin``), drawn here again. Of these, the one the final model's
    blocks agree with most. Nothing the notebook recorded decides what the base started from.
    """
    def reference():
        candidates = [vgg16_standin.standin_digests()]
        for path in pretrained_files(nb):
            try:
                candidates.append(vgg16_standin.pretrained_digests(path))
            except (OSError, KeyError, ValueError, TypeError):  # not readable as Keras' file: not a reference
                continue
        final = final_digests(nb)
        return max(candidates, key=lambda ref: sum(final.get(n) == ref[n] for n in CONV_LAYERS))
    return nb.memo("reference_digests", reference)


def optimizer_steps(model):
    """The steps of the optimizer saved with ``model``, as loaded (0 when Keras dropped a state that does not
    match the weights trainable now, or when it never trained after its last ``compile``)."""
    optimizer = getattr(model, "optimizer", None)
    steps = getattr(optimizer, "iterations", None) if optimizer is not None else None
    try:
        return int(np.asarray(steps)) if steps is not None else 0
    except (TypeError, ValueError):
        return 0


def changed_in_first_training(nb):
    """The convolution layers that the first training (base frozen) changed, as the final model shows.

    A layer whose final weights are not the ones the base was built with changed in one of the two trainings.
    Fine-tuning explains the change only for a layer trainable in the final model whose saved optimizer state
    matches its trainable weights (steps > 0: Keras drops the state on load when ``trainable`` was changed
    after ``fit``). Every other changed layer changed in the first training. A layer changed and trainable now
    (a fine-tuning mistake, q4) may have changed in either: there the notebook's records decide (a teaching
    check: they cannot be verified).
    """
    reference, final = reference_digests(nb), final_digests(nb)
    model = load_model(nb, "model")
    layers, _ = base_and_head(model)
    fine_tuned = {layer.name for layer in layers if layer.name in CONV_LAYERS and layer.trainable} \
        if optimizer_steps(model) > 0 else set()
    return [name for name in CONV_LAYERS if final.get(name) != reference[name] and name not in fine_tuned]


def recorded_digests(nb, name):
    """A fingerprint dict the notebook recorded (``weights_at_start``...), one entry per convolution layer."""
    got = expect.value_of(nb.value(name), name)
    if not isinstance(got, dict) or not all(isinstance(got.get(layer), str) for layer in CONV_LAYERS):
        raise CheckFailed("vgg16_transfer.no_digests", name=name, found=expect.describe(got))
    return got


def original_images(nb, count):
    """The first ``count`` images of the student's validation subset, read and resized here from the course data."""
    import tensorflow as tf

    base = nb.context.data_dir
    folder = os.path.join(base, "data", "cats_and_dogs_filtered", "validation") if base else None
    if folder is None or not os.path.isdir(folder):
        raise CheckSkipped("vgg16_transfer.no_course_data", what="val_ds")
    per_class = expect.value_of(nb.value("VAL_PER_CLASS"), "VAL_PER_CLASS")
    if not isinstance(per_class, int | np.integer) or per_class < 1:
        raise CheckFailed("vgg16_transfer.per_class", found=expect.describe(per_class))
    size = image_size(nb)
    paths = [os.path.join(folder, label, name) for label in ("cats", "dogs")
             for name in sorted(os.listdir(os.path.join(folder, label)))[:int(per_class)]][:count]
    images = [tf.image.resize(tf.io.decode_image(tf.io.read_file(path), channels=3, expand_animations=False),
                              (size, size), method="bilinear").numpy() for path in paths]
    return np.stack(images).astype("float32")


# -- q1 conv_base --------------------------------------------------------------------------------------

@check("q1", weight=1,
       title={"ko": "`conv_base`가 분류기 없는 VGG16", "en": "`conv_base` is VGG16 without its classifier"})
def conv_base_is_vgg16_without_top(nb):
    base = load_model(nb, "conv_base")
    names = tuple(layer.name for layer in base.layers if kind(layer) != "InputLayer")
    if any(kind(layer) == "Dense" for layer in base.layers) or "predictions" in names:
        raise CheckFailed("vgg16_transfer.include_top", found=f"{len(names)}", last=names[-1] if names else "-")
    if names != BASE_LAYERS:
        missing = [n for n in BASE_LAYERS if n not in names]
        raise CheckFailed("vgg16_transfer.base_layers", found=", ".join(names[:6]) + (" ..." if len(names) > 6 else ""),
                          missing=", ".join(missing[:4]) or "-", count=len(names))


@check("q1", weight=1,
       title={"ko": "`conv_base`의 파라미터 수와 입력 모양", "en": "`conv_base`'s parameter count and input shape"})
def conv_base_parameters_and_input(nb):
    base = load_model(nb, "conv_base")
    info = describe(base)
    size = image_size(nb)
    expected = (None, size, size, 3)
    if info.input_shape != expected:
        raise CheckFailed("vgg16_transfer.base_input", found=shape_text(info.input_shape),
                          expected=shape_text(expected))
    keras_expect.parameters(info, "conv_base", total=BASE_PARAMS)


# -- q2 augmentation: training data only ----------------------------------------------------------------

@check("q2", weight=1, title={"ko": "훈련 데이터에 데이터 증식을 적용", "en": "The training data is augmented"})
def training_data_is_augmented(nb):
    if random_ops(pipeline_ops(nb, "train_ds")):
        return
    model = load_model(nb, "model")
    position, _ = find_base(model)
    if augmentation_layers(model.layers[:position]):
        return
    raise CheckFailed("vgg16_transfer.no_augmentation")


@check("q2", weight=2, title={"ko": "검증 데이터는 증식하지 않음", "en": "The validation data is not augmented"})
def validation_data_is_not_augmented(nb):
    random = random_ops(pipeline_ops(nb, "val_ds"))
    if random:
        raise CheckFailed("vgg16_transfer.val_random_ops", ops=", ".join(random[:5]))
    first, again = first_batch(nb, "val_ds"), first_batch(nb, "val_ds")
    if first.shape != again.shape or not np.array_equal(first, again):
        raise CheckFailed("vgg16_transfer.val_changes")
    from keras.applications.vgg16 import preprocess_input

    raw = original_images(nb, len(first))
    if raw.shape != first.shape:
        raise CheckFailed("vgg16_transfer.val_shape", found=shape_text(first.shape), expected=shape_text(raw.shape))
    preprocessed = preprocess_input(raw.copy())
    if np.allclose(first, preprocessed, atol=PIXEL_ATOL) or np.allclose(first, raw, atol=PIXEL_ATOL):
        return
    # which images differ, e.g. flipped ones
    differ = [i for i in range(len(first)) if not (np.allclose(first[i], preprocessed[i], atol=PIXEL_ATOL)
                                                   or np.allclose(first[i], raw[i], atol=PIXEL_ATOL))]
    raise CheckFailed("vgg16_transfer.val_not_original", count=len(differ), total=len(first))


# -- q3 the model and freezing ------------------------------------------------------------------------------

def activation_name(layer):
    activation = getattr(layer, "activation", None)
    return getattr(activation, "__name__", str(activation))


@check("q3", weight=1, title={"ko": "합성곱 기반 위의 분류기", "en": "The classifier on top of the convolutional base"})
def model_has_the_classifier_on_the_base(nb):
    model = load_model(nb, "model")
    position, base = find_base(model)
    if base.count_params() != BASE_PARAMS:
        raise CheckFailed("model.params_total", what="model: conv_base", expected=f"{BASE_PARAMS:,}",
                          found=f"{base.count_params():,}")
    before = [layer for layer in model.layers[:position] if kind(layer) != "InputLayer"]
    extra = [layer.name for layer in before if not (kind(layer).startswith("Random") or kind(layer) in PREPROCESSING
                                                    or (hasattr(layer, "layers") and not layer.weights))]
    if extra:
        raise CheckFailed("vgg16_transfer.before_base", layers=", ".join(extra))
    head = [layer for layer in model.layers[position + 1:] if kind(layer) != "Dropout"]
    found = " - ".join(f"{kind(layer)}({getattr(layer, 'units', '')}{', ' if hasattr(layer, 'units') else ''}"
                       f"{activation_name(layer) if hasattr(layer, 'units') else ''})".replace("()", "")
                       for layer in head) or "-"
    shape = [(kind(layer), getattr(layer, "units", None), activation_name(layer) if hasattr(layer, "units") else None)
             for layer in head]
    if shape != [("Flatten", None, None), ("Dense", 256, "relu"), ("Dense", 1, "sigmoid")]:
        raise CheckFailed("vgg16_transfer.head", found=found)


@check("q3", weight=1, title={"ko": "손실 함수가 `binary_crossentropy`", "en": "The loss is `binary_crossentropy`"})
def model_loss_is_binary_crossentropy(nb):
    model = load_model(nb, "model")
    keras_expect.loss(describe(model), ("binary_crossentropy",), "model", "@task.binary")


def trainable_counts(model):
    """``len(model.trainable_weights)`` with the base trainable and with it frozen, from the model itself."""
    base, after = base_and_head(model)
    conv = sum(len(layer.weights) for layer in base if layer.name in CONV_LAYERS)
    head = sum(len(layer.weights) for layer in after)
    return conv + head, head


@check("q3", weight=1,
       title={"ko": "동결 전후의 훈련 가능한 가중치 수", "en": "Trainable weights before and after freezing"})
def trainable_weights_30_then_4(nb):
    """The recorded counts must be the ones the final model's own weights give (30 and 4 for the asked model),
    and they earn the point only when the final model shows that the base really was frozen in the first
    training (``changed_in_first_training``): a typed ``trainable_after = 4`` proves nothing."""
    before, after = trainable_counts(load_model(nb, "model"))
    for name, expected in (("trainable_before", before), ("trainable_after", after)):
        got = expect.value_of(nb.value(name), name)
        if isinstance(got, bool) or not isinstance(got, int | np.integer) or int(got) != expected:
            key = "vgg16_transfer.not_frozen" if name == "trainable_after" and got == before \
                else "vgg16_transfer.trainable_count"
            found = str(int(got)) if isinstance(got, int | np.integer) and not isinstance(got, bool) \
                else expect.describe(got)
            raise CheckFailed(key, name=name, expected=expected, found=found)
    trained = changed_in_first_training(nb)
    if trained:
        raise CheckFailed("vgg16_transfer.count_but_trained", expected=after, count=len(trained),
                          layers=", ".join(trained[:3]))


@check("q3", weight=1,
       title={"ko": "동결된 동안 합성곱 기반이 바뀌지 않음", "en": "The base does not change while frozen"})
def base_unchanged_while_frozen(nb):
    """Verified on the final model against weights the grader rebuilds (``changed_in_first_training``); the
    notebook's fingerprints must describe those weights at the start, and decide only for layers the final
    model shows trainable and fine-tuned (where either training may have changed them)."""
    reply = nb.value("history")
    expect.value_of(reply, "history")
    keras_expect.history(reply, "history", metrics=("loss", "val_loss"))
    start = recorded_digests(nb, "weights_at_start")
    after = recorded_digests(nb, "weights_after_frozen")
    trained = changed_in_first_training(nb)
    if trained:
        raise CheckFailed("vgg16_transfer.base_trained_final", count=len(trained), layers=", ".join(trained[:3]))
    reference = reference_digests(nb)
    not_reference = [layer for layer in CONV_LAYERS if start[layer] != reference[layer]]
    if not_reference:
        raise CheckFailed("vgg16_transfer.start_not_reference", count=len(not_reference),
                          layers=", ".join(not_reference[:3]))
    changed = [layer for layer in CONV_LAYERS if start[layer] != after[layer]]
    if changed:
        raise CheckFailed("vgg16_transfer.base_trained_while_frozen", count=len(changed), layers=", ".join(changed[:3]))


# -- q4 fine-tuning -------------------------------------------------------------------------------------

@check("q4", weight=2, title={"ko": "미세 조정: `block5`만 동결 해제", "en": "Fine-tuning unfreezes `block5` only"})
def fine_tuning_unfreezes_block5_only(nb):
    model = load_model(nb, "model")
    _, base = find_base(model)
    # Keras 3 trains a layer whose own flag is True even inside a base whose flag is False (model.trainable_weights
    # lists it, base.trainable_weights does not): the layers' own flags decide, and the fingerprints below show
    # what really trained
    trainable = [layer.name for layer in base.layers if layer.name in CONV_LAYERS and layer.trainable]
    below = [name for name in trainable if name in KEPT]
    if below:
        raise CheckFailed("vgg16_transfer.unfrozen_below", count=len(below), first=below[0])
    keras_expect.frozen(base, "model: conv_base", frozen_layers=KEPT, trainable_layers=FINE_TUNED)


@check("q4", weight=1, title={"ko": "미세 조정: 작은 학습률", "en": "Fine-tuning uses a small learning rate"})
def fine_tuning_learning_rate_is_small(nb):
    info = describe(load_model(nb, "model"))
    keras_expect.compiled(info, "model")
    rate = info.compile.learning_rate
    if rate is None or rate > MAX_FINE_TUNE_RATE * (1 + 1e-6):
        raise CheckFailed("vgg16_transfer.learning_rate", found="-" if rate is None else f"{rate:g}",
                          expected=f"{MAX_FINE_TUNE_RATE:g}")


@check("q4", weight=1, title={"ko": "미세 조정으로 `block5`만 바뀜", "en": "Fine-tuning changes `block5` only"})
def only_block5_changed_by_fine_tuning(nb):
    """The final model's blocks 1-4 hold the weights the grader rebuilds (the ImageNet file's or the seeded
    stand-in's), and every ``block5`` convolution holds others (and not those recorded after the first
    training either)."""
    reply = nb.value("history_fine")
    expect.value_of(reply, "history_fine")
    keras_expect.history(reply, "history_fine", metrics=("loss", "val_loss"))
    after_frozen = recorded_digests(nb, "weights_after_frozen")
    reference, final = reference_digests(nb), final_digests(nb)
    changed = [name for name in KEPT if final.get(name) != reference[name]]
    if changed:
        raise CheckFailed("vgg16_transfer.lower_blocks_changed", count=len(changed), first=changed[0])
    unchanged = [name for name in FINE_TUNED if final.get(name) in (reference[name], after_frozen[name])]
    if unchanged:
        raise CheckFailed("vgg16_transfer.block5_unchanged", layers=", ".join(unchanged))
