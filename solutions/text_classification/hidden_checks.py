"""Hidden checks of "text_classification": random encodings and the test-set accuracies.

Run only by the grader. The encodings are called on inputs drawn here from
fixed seeds (repeated indices, empty sequences, dimensions other than the
defaults, the real Reuters labels) and compared with NumPy references computed
here. The accuracies are measured in the grader, on the IMDB and Reuters test
sets it loads itself (``keras.datasets.*.load_data(num_words=10000)`` from the
course data), in chunks; the student's model is only asked to predict. The test
sequences are turned into model input by the student's own ``vectorize_sequences``,
called here on each chunk (the pipeline the model was trained with), so a mistake
in question 1 (counting words instead of marking them) costs question 1's points and
not the accuracy of a model trained consistently with it. When that function is
missing or fails on the test sequences (raises, returns no numeric array with one
row per sequence, takes too long), the grader's own multi-hot encoding, the one the
exercise asks for, is used instead. Thresholds come from ``calibration.json``
(``autograder calibrate text_classification``).

"Retrained from scratch" (q3, q5) is judged from the model file and the grader's own data,
never from what the notebook records: the optimizer's step count must be the exercise's
(4 x 49 for IMDB, 9 x 18 for Reuters), and the weights must fit the first samples (the
validation run's held-out ones: 10,000 reviews, 1,000 newswires) about as well as the
others. A new model trained on all the data sees every sample equally often and fits both
alike (measured: mean loss ratio 0.89-1.01 over seeds); the validation run's model trained
on sees the others for 10 (IMDB) or 21 (Reuters) epochs and the held-out ones for 4 or 9, and
fits them 1.3-1.6 times worse; so a step counter set by hand
(``model.optimizer.iterations.assign(196)``) does not pass. The losses are computed here on
the grader's multi-hot encoding of a fixed sample of the training data.

The bottleneck lesson (q7) is judged from ``bottleneck_model`` itself: its step count must be
that of the 64-unit validation run (``reuters_history``'s epochs of 16 batches over the 7,982
samples; the record only says how many epochs to expect), and its test accuracy, measured
here like question 6's, must show a trained model (at least 45%; guessing the most frequent
topic gets 36%, the 4-unit model 55-66%) below the 64-unit reference's calibrated accuracy.
"""


import math

import numpy as np

from autograder.author import CheckFailed, check, datasets, describe, evaluate, keras_expect, performance, sibling

NUM_WORDS = 10_000
# the validation runs hold out the first samples: IMDB 10,000 of 25,000, Reuters 1,000 of 8,982
HELD_OUT = {"imdb": 10_000, "reuters": 1_000}
# rows of each part (held out, the rest) whose loss the grader computes; Reuters has fewer, so all of them
BALANCE_SAMPLE = 5_000
# a fresh model fits the held-out part at most this many times worse than the rest (measured 0.89-1.01)
BALANCE_RATIO = 1.15
BOTTLENECK_FLOOR = 0.45
IMDB_OUTPUTS = "one probability (`Dense(1, activation=\"sigmoid\")`)"
REUTERS_OUTPUTS = "46 probabilities (`Dense(46, activation=\"softmax\")`)"


_helpers = sibling(__file__)
_reference = sibling(__file__, "reference.py")  # answer-computing helpers, never handed out
multi_hot, one_hot = _reference.multi_hot, _reference.one_hot
expect_encoding, model_of = _helpers.expect_encoding, _helpers.model_of
value, iterations, BATCH = _helpers.value, _helpers.iterations, _helpers.BATCH


# sequences per call of the student's vectorize_sequences: the call's arguments cross as JSON (an IMDB review
# averages some 240 word indices), and its reply carries 10,000 floats per sequence
ENCODE_CHUNK = 256


class _NoStudentEncoding(Exception):
    """The student's ``vectorize_sequences`` could not encode a chunk of the test sequences."""


def student_encoding(nb):
    """A transform for :func:`evaluate.predict`: a chunk of sequences encoded by the student's own function."""
    def encode(chunk):
        sequences = [[int(i) for i in sequence] for sequence in chunk]
        reply = nb.call("vectorize_sequences", sequences)
        got = reply.value if reply.status == "ok" else None
        if not isinstance(got, np.ndarray) or got.dtype.kind not in "biuf" or got.ndim != 2 \
                or got.shape[0] != len(sequences):
            raise _NoStudentEncoding
        return got

    return encode


def _predictions(model, sequences, nb):
    """The model's predictions for ``sequences``, through the student's encoding when it works, else multi-hot."""
    try:
        return evaluate.predict(model, sequences, transform=student_encoding(nb), batch_size=ENCODE_CHUNK)
    except _NoStudentEncoding:
        return evaluate.predict(model, sequences, transform=multi_hot)


def accuracy_on(nb, model, name, sequences, labels, outputs):
    """Accuracy of ``model`` (the student's ``name``) on ``sequences``, measured here; a model that cannot take
    the input fails with the message that says what it should take."""
    try:
        predicted = evaluate.labels_of(_predictions(model, sequences, nb))
    except CheckFailed:  # the model host ran out of time or memory: that is the message
        raise
    except Exception as error:  # noqa: BLE001  (a model that cannot take the input is the student's answer)
        detail = f"{type(error).__name__}: {str(error).splitlines()[0][:200] if str(error) else ''}"
        raise CheckFailed("text_classification.cannot_evaluate", what=name, detail=detail, dimension=f"{NUM_WORDS:,}",
                          outputs=outputs) from None
    truth = np.asarray(labels).reshape(-1)
    return float(np.mean(predicted.reshape(-1) == truth)) if len(truth) else 0.0


def measure_accuracy(nb, dataset, name, outputs):
    """Accuracy of the student's model ``name`` on ``dataset``'s test set, measured here."""
    model = model_of(nb, name)
    if not model.built:  # Keras would build it here with fresh random weights
        raise CheckFailed("text_classification.not_built", what=name)
    (_, _), (x_test, y_test) = datasets.load(dataset, nb.context.data_files, num_words=NUM_WORDS)
    return accuracy_on(nb, model, name, x_test, y_test, outputs)


def _cannot_evaluate(error, name, outputs):
    detail = f"{type(error).__name__}: {str(error).splitlines()[0][:200] if str(error) else ''}"
    return CheckFailed("text_classification.cannot_evaluate", what=name, detail=detail, dimension=f"{NUM_WORDS:,}",
                       outputs=outputs)


def per_sample_loss(model, name, sequences, labels, outputs):
    """Cross-entropy of ``model`` on each of ``sequences`` (grader's multi-hot), from its predictions."""
    try:
        predictions = evaluate.predict(model, sequences, transform=multi_hot).astype(np.float64)
    except CheckFailed:
        raise
    except Exception as error:  # noqa: BLE001  (a model that cannot take the input is the student's answer)
        raise _cannot_evaluate(error, name, outputs) from None
    labels = np.asarray(labels)
    if predictions.ndim == 2 and predictions.shape[1] == 1:
        p = np.clip(predictions[:, 0], 1e-7, 1 - 1e-7)
        truth = labels.astype(np.float64).reshape(-1)
        return -(truth * np.log(p) + (1 - truth) * np.log(1 - p))
    if predictions.ndim != 2 or predictions.shape[1] <= int(labels.max()):
        raise _cannot_evaluate(ValueError(f"predictions of shape {predictions.shape}"), name, outputs)
    return -np.log(np.clip(predictions[np.arange(len(labels)), labels.astype(np.int64)], 1e-7, 1.0))


def expect_fresh_training(nb, name, dataset, *, epochs, outputs):
    """``name`` made exactly the steps of ``epochs`` epochs over all of ``dataset``'s training data at batch 512,
    and its weights fit the validation run's held-out samples about as well as the others (see the docstring)."""
    model = model_of(nb, name)
    keras_expect.compiled(describe(model), name)
    (train, labels), _ = datasets.load(dataset, nb.context.data_files, num_words=NUM_WORDS)
    samples, held = len(train), HELD_OUT[dataset]
    expected, found = epochs * math.ceil(samples / BATCH), iterations(model)
    if found != expected:
        raise CheckFailed("text_classification.not_retrained", what=name, found=f"{found:,}", expected=f"{expected:,}",
                          epochs=epochs, samples=f"{samples:,}", batch=BATCH)
    if not model.built:
        raise CheckFailed("text_classification.not_built", what=name)
    rng = np.random.default_rng(3303)
    first = np.sort(rng.choice(held, min(BALANCE_SAMPLE, held), replace=False))
    rest = held + np.sort(rng.choice(samples - held, min(BALANCE_SAMPLE, samples - held), replace=False))
    rows = np.concatenate([first, rest])
    losses = per_sample_loss(model, name, [train[i] for i in rows], np.asarray(labels)[rows], outputs)
    held_loss, rest_loss = float(np.mean(losses[:len(first)])), float(np.mean(losses[len(first):]))
    if not held_loss <= BALANCE_RATIO * rest_loss:
        raise CheckFailed("text_classification.not_fresh", what=name, found=f"{found:,}", epochs=epochs,
                          held=f"{held:,}",
                          rest=f"{samples - held:,}", held_loss=f"{held_loss:.3f}", rest_loss=f"{rest_loss:.3f}",
                          batch=BATCH)


def _random_sequences(rng, count, dimension, *, repeats, empty):
    """``count`` sequences of word indices below ``dimension``; with repeated indices or none."""
    sequences = []
    for _ in range(count):
        length = int(rng.integers(0 if empty else 1, 40))
        if repeats:
            words = rng.integers(0, dimension, size=max(length // 2, 1))
            sequence = rng.choice(words, size=max(length, 2)).tolist()
            sequence += sequence[:1]  # at least one index twice
        else:
            sequence = rng.choice(dimension, size=min(length, dimension), replace=False).tolist()
        sequences.append([int(i) for i in sequence])
    return sequences


# q1 vectorize_sequences ------------------------------------------------------------------------------

@check("q1", weight=1, hidden=True,
       title={"ko": "인덱스가 반복되는 무작위 시퀀스", "en": "Random sequences with repeated indices"})
def vectorize_repeated_indices(nb):
    rng = np.random.default_rng(3101)
    for count, dimension in ((6, NUM_WORDS), (20, NUM_WORDS)):
        sequences = _random_sequences(rng, count, dimension, repeats=True, empty=False)
        expect_encoding(nb, "vectorize_sequences", (sequences,), multi_hot(sequences, dimension))


@check("q1", weight=1, hidden=True,
       title={"ko": "빈 시퀀스와 다른 `dimension` 값", "en": "Empty sequences and other `dimension` values"})
def vectorize_empty_sequences_and_other_dimensions(nb):
    rng = np.random.default_rng(3102)
    sequences = _random_sequences(rng, 8, NUM_WORDS, repeats=False, empty=True)
    sequences[0], sequences[5] = [], []
    expect_encoding(nb, "vectorize_sequences", (sequences,), multi_hot(sequences))
    for count, dimension in ((7, 50), (3, 1000), (1, 1)):
        sequences = _random_sequences(rng, count, dimension, repeats=False, empty=True)
        expect_encoding(nb, "vectorize_sequences", (sequences, dimension), multi_hot(sequences, dimension))
    expect_encoding(nb, "vectorize_sequences", ([], 20), multi_hot([], 20))


# q2 to_one_hot ---------------------------------------------------------------------------------------

@check("q2", weight=1, hidden=True,
       title={"ko": "무작위 레이블과 실제 Reuters 레이블", "en": "Random labels and the real Reuters labels"})
def one_hot_random_and_real_labels(nb):
    rng = np.random.default_rng(3201)
    for labels, dimension in ((rng.integers(0, 46, size=30), 46), (rng.integers(0, 10, size=12), 10),
                              (np.array([0, 45, 45, 0]), 46), (np.zeros(0, dtype=np.int64), 46)):
        args = (labels,) if dimension == 46 else (labels, dimension)
        expect_encoding(nb, "to_one_hot", args, one_hot(labels, dimension))
    plain = [int(i) for i in rng.integers(0, 46, size=9)]  # a plain list, too
    expect_encoding(nb, "to_one_hot", (plain,), one_hot(plain))
    # agreement with keras.utils.to_categorical on the real Reuters training labels
    (_, train_labels), _ = datasets.load("reuters", nb.context.data_files, num_words=NUM_WORDS)
    labels = np.asarray(train_labels, dtype=np.int64)
    expect_encoding(nb, "to_one_hot", (labels,), one_hot(labels))


# q3 / q5 fresh models, trained for the exercise's epochs on all the training data ---------------------------

@check("q3", weight=1, hidden=True,
       title={"ko": "IMDB 모델을 처음부터 4 에포크 다시 훈련",
              "en": "The IMDB model retrained from scratch for 4 epochs"})
def imdb_model_retrained_for_4_epochs(nb):
    expect_fresh_training(nb, "model", "imdb", epochs=_helpers.IMDB_EPOCHS, outputs=IMDB_OUTPUTS)


@check("q5", weight=1, hidden=True,
       title={"ko": "Reuters 모델을 처음부터 9 에포크 다시 훈련",
              "en": "The Reuters model retrained from scratch for 9 epochs"})
def reuters_model_retrained_for_9_epochs(nb):
    expect_fresh_training(nb, "reuters_model", "reuters", epochs=_helpers.REUTERS_EPOCHS, outputs=REUTERS_OUTPUTS)


# q7 the bottleneck lesson, from the bottleneck model itself -------------------------------------------------

@check("q7", weight=1, hidden=True,
       title={"ko": "64유닛 모델처럼 학습한 병목 모델의 테스트 정확도가 더 낮음",
              "en": "The bottleneck model, trained like the 64-unit one, has a lower test accuracy"})
def bottleneck_trained_alike_and_less_accurate(nb):
    wide = keras_expect.history(value(nb, "reuters_history"), "reuters_history", metrics=("val_accuracy",))
    model = model_of(nb, "bottleneck_model")
    keras_expect.compiled(describe(model), "bottleneck_model")
    (train, _), (x_test, y_test) = datasets.load("reuters", nb.context.data_files, num_words=NUM_WORDS)
    steps = math.ceil((len(train) - HELD_OUT["reuters"]) / BATCH)
    epochs, found = len(wide["val_accuracy"]), iterations(model)
    if found != epochs * steps:
        raise CheckFailed("text_classification.bottleneck_epochs", what="bottleneck_model", other="reuters_history",
                          epochs=epochs,
                          steps=steps, found=f"{found:,}", expected=f"{epochs * steps:,}", batch=BATCH)
    if not model.built:
        raise CheckFailed("text_classification.not_built", what="bottleneck_model")
    measured = accuracy_on(nb, model, "bottleneck_model", x_test, y_test, REUTERS_OUTPUTS)
    if measured < BOTTLENECK_FLOOR:
        raise CheckFailed("text_classification.bottleneck_untrained", what="bottleneck_model", found=f"{measured:.1%}",
                          floor=f"{BOTTLENECK_FLOOR:.0%}")
    reference = nb.context.thresholds.get("reuters_test_accuracy")
    if reference is not None and not measured < reference.reference:
        raise CheckFailed("text_classification.bottleneck_not_lower", what="bottleneck_model", found=f"{measured:.1%}",
                          expected=f"{reference.reference:.1%}")


# q4 / q6 accuracy on the test sets, measured by the grader -------------------------------------------------

@performance("q4", metric="imdb_test_accuracy", margin=0.02,
             title={"ko": "IMDB 테스트 정확도", "en": "IMDB test accuracy"})
def imdb_test_accuracy(nb):
    return measure_accuracy(nb, "imdb", "model", IMDB_OUTPUTS)


@performance("q6", metric="reuters_test_accuracy", margin=0.02,
             title={"ko": "Reuters 테스트 정확도", "en": "Reuters test accuracy"})
def reuters_test_accuracy(nb):
    return measure_accuracy(nb, "reuters", "reuters_model", REUTERS_OUTPUTS)
