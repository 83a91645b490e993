"""The check author's API: everything ``solutions/<id>/*.py`` imports from the grader, in one module.

::

    from autograder.author import Handle, check, expect, load_model

    @check("q1", weight=2, title={"ko": "책의 예제", "en": "The book's example"})
    def relu_book_example(nb: Handle) -> None:
        x = np.array([[1.0, -2.0]])
        call = expect.call_text("naive_relu", (x,))
        expect.array_close(expect.returned(nb.call("naive_relu", x), call), np.maximum(x, 0), call)

What a check may do with a submission is :class:`Handle`'s: ``nb.call`` (a student function, on inputs the check
chooses), ``nb.value`` / ``nb.info`` (a global, as data; a Keras model comes as a file, :func:`load_model` loads it),
``nb.source``, ``nb.context`` (language, data files, thresholds) and ``nb.memo(key, compute)``: what several checks
of one submission need (a loaded model, a training run the grader set up) is computed once per submission and kept
on the handle, never in the checks' module, which outlives the submission in a grader process.

The helpers below are the ones several assignments need; an assignment's own helpers stay in its folder.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograder.checks import expect, keras_expect
from autograder.checks.core import CheckContext, Handle, check, performance, sibling
from autograder.checks.expected import public_expected
from autograder.data import datasets, keras_files, vgg16_standin
from autograder.data.daily_sports import load_unit
from autograder.errors import CheckFailed, CheckSkipped
from autograder.models import evaluate
from autograder.models.compare import LayerSpec, shape_text
from autograder.models.describe import ModelInfo, canonical, describe
from autograder.sandbox.protocol import KerasFile, View
from autograder.sandbox.session import Reply

__all__ = [
    "CheckContext", "CheckFailed", "CheckSkipped", "Handle", "KerasFile", "LayerSpec", "ModelInfo", "Reply", "View",
    "canonical", "check", "datasets", "describe", "evaluate", "expect", "keras_dataset", "keras_expect",
    "keras_files", "load_model", "load_unit", "number_array", "numeric", "performance", "public_expected",
    "same_weights", "shape_text", "sibling", "vgg16_standin",
]


def load_model(nb: Handle, name: str, *, weights: bool = True, missing: str | None = None) -> Any:
    """The notebook's Keras model ``name`` (a global), loaded safely, once per submission (its checks share it).

    A model can be tens of megabytes: it crosses from the sandbox once. ``weights=False`` for checks of the
    architecture and compile settings only (see :func:`keras_expect.model`). A global the notebook never defined
    fails with ``check.value_missing``, or with the assignment's own message key ``missing`` (parameter ``name``).
    A failure is not kept: the next check asks again and fails the same way.
    """
    limit = nb.context.model_bytes

    def load() -> Any:
        reply = nb.value(name)
        if reply.status == "missing" and missing is not None:
            raise CheckFailed(missing, name=name)
        expect.value_of(reply, name)
        return keras_expect.model(reply, name, max_bytes=limit, weights=weights)

    return nb.memo(("autograder.author.load_model", name, weights, limit), load)


def keras_dataset(nb: Handle, name: str, **options: Any) -> Any:
    """``keras.datasets.<name>.load_data(**options)``: in the grader from the course's files (``nb.context``'s data
    files, shared by every check: never mutate it, take copies), on a student's machine (no data files) by Keras'
    own loader and cache, which the notebook has filled already."""
    if nb.context.data_files:
        return datasets.load(name, nb.context.data_files, **options)
    return importlib.import_module(f"keras.datasets.{name}").load_data(**options)


def numeric(value: Any, *, lists: bool = True) -> np.ndarray | None:
    """``value`` as a NumPy array of numbers (bool, int, float), or ``None`` when it is not one.

    ``lists``: a list or tuple of numbers counts too (as float64).
    """
    if lists and isinstance(value, list | tuple):
        try:
            value = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            return None
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return value
    return None


def number_array(nb: Handle, name: str, *, lists: bool = False) -> np.ndarray:
    """The notebook's global ``name`` as a numeric NumPy array, or fail saying what it is (``check.not_array``)."""
    got = expect.returned(nb.value(name), name)
    array = numeric(got, lists=lists)
    if array is None:
        raise CheckFailed("check.not_array", call=name, received=expect.describe(got))
    return array


def same_weights(first: Sequence[np.ndarray], second: Sequence[np.ndarray], *, rtol: float = 1e-6,
                 atol: float = 1e-7) -> bool:
    """Whether two lists of weight arrays (``get_weights()``) are equal: shapes, and values within the tolerances
    (the defaults: float32 precision; ``rtol=0, atol=0``: exactly)."""
    return len(first) == len(second) and all(
        np.shape(a) == np.shape(b) and bool(np.allclose(a, b, rtol=rtol, atol=atol))
        for a, b in zip(first, second, strict=True))
