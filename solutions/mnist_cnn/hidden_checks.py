"""Hidden checks of "mnist_cnn": other numbers of images for ``prepare_images``, and the test accuracy.

Run only by the grader. ``prepare_images`` is called on uint8 batches of 1, 3 and 137 images drawn here
(the book's ``reshape((60000, 28, 28, 1))`` fails on them) and must leave its input unchanged; the
shape and scaling themselves are the public checks' business, so a student who forgets one of them
loses only that public check.

The accuracy is measured in the grader, on the 10,000 MNIST test images it loads itself
(``keras.datasets.mnist.load_data()`` from the course data), prepared as question 1 asks
((n, 28, 28, 1), float32, / 255), in chunks; the student's ``final_model`` is only asked to predict.
The threshold comes from ``calibration.json`` (``autograder calibrate mnist_cnn``: the reference
notebook under the assignment's CPU budget, several seeds; the worst seed minus the margin).
"""

import numpy as np

from autograder.author import CheckFailed, check, datasets, evaluate, expect, load_model, performance


def sample_images(count, seed):
    """``count`` uint8 images of 28x28."""
    return np.random.default_rng(seed).integers(0, 256, size=(count, 28, 28), dtype=np.uint8)


def as_convnet_input(images):
    """What question 1 asks ``prepare_images`` to do: (n, 28, 28, 1), float32, in [0, 1]."""
    return np.expand_dims(np.asarray(images), -1).astype("float32") / 255


# -- q1 any number of images, input unchanged ---------------------------------------------------------------

@check("q1", weight=1, hidden=True,
       title={"ko": "이미지 수와 상관없이 동작하고 입력을 바꾸지 않음",
              "en": "Works for any number of images and leaves its input unchanged"})
def prepare_images_any_count_and_input_unchanged(nb):
    for count, seed in ((1, 5111), (3, 5112), (137, 5113)):
        images = sample_images(count, seed)
        call = expect.call_text("prepare_images", [images])
        reply = nb.call("prepare_images", images)
        if reply.status == "error" and reply.error is not None:
            raise CheckFailed("mnist_cnn.count_fixed", call=call, ename=reply.error["ename"],
                              evalue=reply.error["evalue"][:300])
        got = expect.returned(reply, call)
        if not isinstance(got, np.ndarray):
            raise CheckFailed("check.not_array", call=call, received=expect.describe(got))
        if got.ndim == 0 or got.shape[0] != count:
            raise CheckFailed("mnist_cnn.count_rows", call=call, found=str(tuple(got.shape)),
                              rows=got.shape[0] if got.ndim else 0, expected=count)
        expect.not_mutated(reply, [images], call)


# -- q6 accuracy on the MNIST test set, measured by the grader -------------------------------------------------

@performance("q6", metric="mnist_test_accuracy", margin=0.015,
             title={"ko": "`final_model`의 테스트 정확도", "en": "`final_model`'s test accuracy"})
def final_model_test_accuracy(nb):
    model = load_model(nb, "final_model")
    (_, _), (test_images, test_labels) = datasets.load("mnist", nb.context.data_files)
    try:
        return evaluate.accuracy(model, test_images, np.asarray(test_labels), transform=as_convnet_input)
    except CheckFailed:  # the model host ran out of time or memory: that is the message
        raise
    except Exception as error:  # noqa: BLE001  (a model that cannot take the input is the student's answer)
        text = str(error).strip().splitlines()
        detail = f"{type(error).__name__}: {text[-1][:200] if text else ''}"
        raise CheckFailed("mnist_cnn.cannot_evaluate", detail=detail) from None
