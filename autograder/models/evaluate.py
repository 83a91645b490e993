"""Metrics computed in the grader, on data the grader owns, from a loaded model's predictions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

Transform = Callable[[Any], np.ndarray]


def predict(model: Any, x: Any, *, transform: Transform | None = None, batch_size: int = 1024) -> np.ndarray:
    """Predictions for ``x`` in chunks (``transform`` turns each chunk into model input, e.g. multi-hot)."""
    outputs = []
    for start in range(0, len(x), batch_size):
        chunk = x[start:start + batch_size]
        batch = transform(chunk) if transform is not None else np.asarray(chunk)
        rows = len(batch)
        if 0 < rows < batch_size and len(x) > batch_size:  # one input shape: no re-tracing for the last chunk
            batch = np.concatenate([batch, np.zeros((batch_size - rows, *batch.shape[1:]), dtype=batch.dtype)])
        outputs.append(np.asarray(model.predict_on_batch(batch))[:rows])
    if not outputs:
        return np.zeros((0,))
    return np.concatenate(outputs)


def labels_of(predictions: np.ndarray) -> np.ndarray:
    """Class labels from sigmoid (``(n, 1)`` or ``(n,)``, threshold 0.5) or softmax (``(n, k)``) outputs."""
    if predictions.ndim == 1 or predictions.shape[-1] == 1:
        return (predictions.reshape(-1) > 0.5).astype(np.int64)
    return np.asarray(np.argmax(predictions, axis=-1))


def accuracy(model: Any, x: Any, y: np.ndarray, *, transform: Transform | None = None) -> float:
    """Share of correct labels; ``y`` holds integer labels or one-hot rows."""
    truth = np.asarray(y)
    if truth.ndim == 2 and truth.shape[1] > 1:
        truth = np.argmax(truth, axis=1)
    predicted = labels_of(predict(model, x, transform=transform))
    return float(np.mean(predicted == truth.reshape(-1))) if len(truth) else 0.0


def mean_absolute_error(model: Any, x: Any, y: np.ndarray, *, transform: Transform | None = None) -> float:
    """Mean absolute error of a single-output regression model."""
    predicted = predict(model, x, transform=transform).reshape(-1)
    return float(np.mean(np.abs(predicted - np.asarray(y, dtype=np.float64).reshape(-1))))
