"""Hidden checks of "vgg16_transfer": the validation accuracy, measured by the grader.

Run only by the grader, and only when the pretrained ImageNet weights are configured
(``pretrained_weights`` in grading_config.yaml: Keras' own hash-checked file). Without them the notebook's
``VGG16(weights="imagenet")`` was built with random weights (the sandbox says so), and an accuracy would
measure nothing this assignment teaches: ``keras_expect.require_pretrained`` skips the check before
anything is loaded, it shows "not checked" and its points leave the maximum. Nothing pretends to be
pretrained.

With the weights, the grader reads all 1,000 validation images of ``cats_and_dogs_filtered`` itself
(``cats`` = 0, ``dogs`` = 1), resizes them to the notebook's ``IMG_SIZE`` as ``image_dataset_from_directory``
does (bilinear), applies ``preprocess_input`` and measures the accuracy of the student's fine-tuned
``model`` (sigmoid output > 0.5 is a dog). The threshold comes from ``calibration.json``
(``autograder calibrate vgg16_transfer`` on a machine with the weights: the reference notebook under the
same budget, several seeds; the worst seed minus the margin).
"""

import os

import numpy as np

from autograder.author import CheckFailed, CheckSkipped, evaluate, expect, keras_expect, load_model, performance

WEIGHTS = "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"


def validation_images(folder, size):
    """All validation images, resized here, and their labels (cats 0, dogs 1)."""
    import tensorflow as tf

    images, labels = [], []
    for label, name in enumerate(("cats", "dogs")):
        for file in sorted(os.listdir(os.path.join(folder, name))):
            data = tf.io.read_file(os.path.join(folder, name, file))
            image = tf.io.decode_image(data, channels=3, expand_animations=False)
            images.append(tf.image.resize(image, (size, size), method="bilinear").numpy())
            labels.append(label)
    return np.stack(images).astype("float32"), np.asarray(labels)


@performance("q5", metric="cats_dogs_val_accuracy", margin=0.03,
             title={"ko": "미세 조정한 모델의 검증 정확도", "en": "The fine-tuned model's validation accuracy"})
def fine_tuned_model_validation_accuracy(nb):
    keras_expect.require_pretrained(nb.context.data_files, WEIGHTS, "@data.what_val_accuracy")
    from keras.applications.vgg16 import preprocess_input

    base = nb.context.data_dir
    folder = os.path.join(base, "data", "cats_and_dogs_filtered", "validation") if base else None
    if folder is None or not os.path.isdir(folder):
        raise CheckSkipped("vgg16_transfer.no_course_data", what="model")
    size = expect.value_of(nb.value("IMG_SIZE"), "IMG_SIZE")
    if isinstance(size, bool) or not isinstance(size, int | np.integer) or not 32 <= int(size) <= 512:
        raise CheckFailed("vgg16_transfer.img_size", found=expect.describe(size))
    model = load_model(nb, "model")
    images, labels = validation_images(folder, int(size))
    try:
        predictions = evaluate.predict(model, images, transform=lambda chunk: preprocess_input(np.array(chunk)),
                                       batch_size=32)  # small chunks: VGG16's first blocks are large
        return float(np.mean(evaluate.labels_of(predictions) == labels))
    except CheckFailed:  # the model host ran out of time or memory: that is the message
        raise
    except Exception as error:  # noqa: BLE001  (a model that cannot take the input is the student's answer)
        text = str(error).strip().splitlines()
        detail = f"{type(error).__name__}: {text[-1][:200] if text else ''}"
        raise CheckFailed("vgg16_transfer.cannot_evaluate", detail=detail) from None
