"""Reference helpers of "kfold_regression": code that computes answers. Never handed out.

``autograder assign`` runs :func:`public_expected` and writes its values beside
the handed-out ``public_checks.py`` as ``public_expected.json``; the public
checks compare against those values (``public_expected(__file__)``), the hidden
checks call these helpers for their random inputs
(``sibling(__file__, "reference.py")``). See :mod:`autograder.checks.expected`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograder.author import sibling

public = sibling(__file__)  # the public checks' input generators (inputs are not answers)


# q1 standardize ------------------------------------------------------------------------------------

def standardized(x: np.ndarray, stats_from: np.ndarray, ddof: int = 0) -> np.ndarray:
    """``x`` standardised with the per-column mean and std (``ddof``) of ``stats_from``."""
    source = stats_from.astype(np.float64)
    out: np.ndarray = (x.astype(np.float64) - source.mean(axis=0)) / source.std(axis=0, ddof=ddof)
    return out


def standardize_candidates(x: np.ndarray, train: np.ndarray, test: np.ndarray) -> dict[str, list[np.ndarray]]:
    """``x`` standardised with the statistics of train (right), test, and the whole data, each with ddof 0 and 1:
    what ``expect_standardized`` compares a returned part with, to name the leak."""
    whole = np.concatenate([train, test])
    return {name: [standardized(x, source, ddof) for ddof in (0, 1)]
            for name, source in (("train", train), ("test", test), ("whole", whole))}


def standardize_expected(train: np.ndarray, test: np.ndarray) -> dict[str, dict[str, list[np.ndarray]]]:
    """The candidates for both returned parts of ``standardize(train, test)``."""
    return {"train_data": standardize_candidates(train, train, test),
            "test_data": standardize_candidates(test, train, test)}


# q3 K-fold -----------------------------------------------------------------------------------------

def book_folds(data: np.ndarray, targets: np.ndarray, k: int) -> list[tuple[np.ndarray, ...]]:
    """The book's K-fold split: validation fold i is rows ``i*n:(i+1)*n``, ``n = len(data) // k``."""
    n = len(data) // k
    return [(np.concatenate([data[:i * n], data[(i + 1) * n:]]), np.concatenate([targets[:i * n],
             targets[(i + 1) * n:]]), data[i * n:(i + 1) * n], targets[i * n:(i + 1) * n]) for i in range(k)]


# q4 smooth_curve -----------------------------------------------------------------------------------

def smoothed(points: Sequence[float], factor: float = 0.9) -> np.ndarray:
    """The book's exponential moving average: the first point as it is, then previous*f + point*(1-f)."""
    out: list[float] = []
    for point in points:
        out.append(out[-1] * factor + float(point) * (1 - factor) if out else float(point))
    return np.array(out, dtype=np.float64)


def smoothing_variants(points: Sequence[float], factor: float) -> dict[str, np.ndarray]:
    """Typical wrong smoothings, by the message key that names the mistake."""
    values = [float(p) for p in points]
    from_zero: list[float] = []
    swapped: list[float] = []
    raw: list[float] = []
    for i, point in enumerate(values):
        from_zero.append((from_zero[-1] if from_zero else 0.0) * factor + point * (1 - factor))
        swapped.append(swapped[-1] * (1 - factor) + point * factor if swapped else point)
        raw.append(values[i - 1] * factor + point * (1 - factor) if i else point)
    return {"kfold_regression.smooth_first_point": np.array(from_zero),
            "kfold_regression.smooth_factor_swapped": np.array(swapped),
            "kfold_regression.smooth_raw_previous": np.array(raw)}


def smooth_expected(points: Sequence[float], factor: float | None = None) -> dict[str, Any]:
    """What ``expect_smoothed`` compares ``smooth_curve(points[, factor])`` with: the answer and the variants."""
    used = 0.9 if factor is None else factor
    return {"expected": smoothed(points, used), "variants": smoothing_variants(points, used)}


# the public checks' expected values ------------------------------------------------------------------

def public_expected() -> dict[str, Any]:
    """The expected outputs for the public checks' inputs (written to ``public_expected.json`` by assign)."""
    train, test = public.standardize_example_inputs()
    curve = public.SMOOTH_EXAMPLE
    return {"standardize_example": standardize_expected(train, test),
            "smooth_curve_example": [smooth_expected(curve), smooth_expected(curve, 0.5)]}
