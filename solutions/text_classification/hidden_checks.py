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
"""


import numpy as np

from autograder.checks import check, performance, sibling
from autograder.data import datasets
from autograder.errors import CheckFailed
from autograder.models import evaluate

NUM_WORDS = 10_000


_helpers = sibling(__file__)
multi_hot, one_hot, expect_encoding, load_model = (_helpers.multi_hot, _helpers.one_hot, _helpers.expect_encoding,
                                                   _helpers.load_model)


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
        raise CheckFailed("tc.cannot_evaluate", what=name, detail=detail, dimension=f"{NUM_WORDS:,}",
                          outputs=outputs) from None
    truth = np.asarray(labels).reshape(-1)
    return float(np.mean(predicted.reshape(-1) == truth)) if len(truth) else 0.0


def measure_accuracy(nb, dataset, name, outputs):
    """Accuracy of the student's model ``name`` on ``dataset``'s test set, measured here."""
    model = load_model(nb, name)
    if not model.built:  # Keras would build it here with fresh random weights
        raise CheckFailed("tc.not_built", what=name)
    (_, _), (x_test, y_test) = datasets.load(dataset, nb.context.data_files, num_words=NUM_WORDS)
    return accuracy_on(nb, model, name, x_test, y_test, outputs)


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
    labels = [int(i) for i in rng.integers(0, 46, size=9)]  # a plain list, too
    expect_encoding(nb, "to_one_hot", (labels,), one_hot(labels))
    # agreement with keras.utils.to_categorical on the real Reuters training labels
    (_, train_labels), _ = datasets.load("reuters", nb.context.data_files, num_words=NUM_WORDS)
    labels = np.asarray(train_labels, dtype=np.int64)
    expect_encoding(nb, "to_one_hot", (labels,), one_hot(labels))


# q4 / q6 accuracy on the test sets, measured by the grader -------------------------------------------------

@performance("q4", metric="imdb_test_accuracy", margin=0.02,
             title={"ko": "IMDB 테스트 정확도", "en": "IMDB test accuracy"})
def imdb_test_accuracy(nb):
    return measure_accuracy(nb, "imdb", "model", "one probability (`Dense(1, activation=\"sigmoid\")`)")


@performance("q6", metric="reuters_test_accuracy", margin=0.02,
             title={"ko": "Reuters 테스트 정확도", "en": "Reuters test accuracy"})
def reuters_test_accuracy(nb):
    return measure_accuracy(nb, "reuters", "reuters_model", "46 probabilities (`Dense(46, activation=\"softmax\")`)")
