"""Reference helpers of "text_classification": code that computes answers. Never handed out.

``autograder assign`` runs :func:`public_expected` and writes its values beside the handed-out
``public_checks.py`` as ``public_expected.json`` (each example's shape and the positions of its ones); the
hidden checks call :func:`multi_hot` and :func:`one_hot` for their random inputs and for the grader's own
encoding of the test sequences (``sibling(__file__, "reference.py")``). See :mod:`autograder.checks.expected`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.author import sibling

public = sibling(__file__)  # the public examples' inputs (inputs are not answers)


def multi_hot(sequences, dimension=10_000):
    """The reference multi-hot encoding: row i has 1.0 at every index in sequences[i]."""
    results = np.zeros((len(sequences), dimension), dtype=np.float32)
    for i, sequence in enumerate(sequences):
        results[i, np.asarray(sequence, dtype=np.int64)] = 1.0
    return results


def one_hot(labels, dimension=46):
    """The reference one-hot encoding; equal to ``keras.utils.to_categorical(labels, dimension)``."""
    labels = np.asarray(labels, dtype=np.int64).reshape(-1)
    results = np.zeros((len(labels), dimension), dtype=np.float64)
    results[np.arange(len(labels)), labels] = 1.0
    return results


def _stored(encoding: np.ndarray) -> dict[str, Any]:
    return {"shape": list(encoding.shape), "ones": np.argwhere(encoding == 1.0).tolist()}


def public_expected() -> dict[str, Any]:
    """The expected outputs for the public checks' inputs."""
    values = {key: _stored(multi_hot(sequences)) for key, sequences in public.VECTORIZE_EXAMPLES.items()}
    values["one_hot_example"] = _stored(one_hot(public.ONE_HOT_EXAMPLE))
    return values
