"""Assertions for checks: each failure says what was expected, what was found, and what to do.

Messages never contain the hidden inputs or the expected values: only shapes,
dtypes, positions and sizes of differences, so they can be shown for hidden
checks too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from autograder.checks.source import SourceInfo
from autograder.errors import CheckFailed
from autograder.sandbox.protocol import Unsupported, View
from autograder.sandbox.session import Reply


def describe(value: Any) -> str:
    """A short, value-free description: ``float32 array (3, 4)``, ``int``, ``list of 3``."""
    if isinstance(value, View):
        return describe(value.build()) + " (view)"
    if isinstance(value, np.ndarray):
        return f"{value.dtype} array {tuple(value.shape)}"
    if isinstance(value, Unsupported):
        return value.type_name
    if isinstance(value, list | tuple):
        return f"{type(value).__name__} of {len(value)}"
    return type(value).__name__


def call_text(name: str, args: Sequence[Any]) -> str:
    """``naive_add(float32 array (3, 4), float32 array (3, 4))``."""
    return f"{name}({', '.join(describe(a) for a in args)})"


def returned(reply: Reply, call: str) -> Any:
    """Return the value a call produced, or fail with why there is none."""
    if reply.status == "ok":
        return reply.value
    if reply.status == "error" and reply.error is not None:
        raise CheckFailed("check.raised", call=call, ename=reply.error["ename"],
                          evalue=reply.error["evalue"][:300])
    if reply.status == "missing" and "(" not in call:  # a value (``nb.value(name)``), not a function's call
        raise CheckFailed("check.value_missing", name=call)
    raise CheckFailed(f"check.reply_{reply.status}", call=call, name=call.split("(")[0])


def value_of(reply: Reply, name: str) -> Any:
    """Return the student's global ``name`` fetched with ``nb.value(name)``, or fail saying it is missing."""
    if reply.status == "missing":
        raise CheckFailed("check.value_missing", name=name)
    return returned(reply, name)


def raises(reply: Reply, call: str, why: str) -> None:
    """Fail unless the call raised an exception (any exception); ``why`` names the problem."""
    if reply.status == "error":
        return
    if reply.status == "ok":
        raise CheckFailed("check.should_raise", call=call, why=why)
    returned(reply, call)


def array_close(got: Any, expected: np.ndarray, call: str, *, rtol: float | None = None,
                atol: float | None = None) -> None:
    """Fail unless ``got`` is an array of ``expected``'s shape with close values."""
    if isinstance(got, Unsupported) or not isinstance(got, np.ndarray):
        raise CheckFailed("check.not_array", call=call, received=describe(got))
    if got.shape != expected.shape:
        raise CheckFailed("check.shape", call=call, expected=tuple(expected.shape), received=tuple(got.shape))
    if got.dtype.kind not in "biuf":
        raise CheckFailed("check.dtype_kind", call=call, received=str(got.dtype))
    if rtol is None:
        rtol = 1e-4 if np.float32 in (got.dtype.type, expected.dtype.type) else 1e-7
    atol = rtol if atol is None else atol
    close = np.isclose(got.astype(np.float64), expected.astype(np.float64), rtol=rtol, atol=atol, equal_nan=True)
    if not bool(np.all(close)):
        wrong = np.argwhere(~close)
        raise CheckFailed("check.values", call=call, count=len(wrong), total=expected.size,
                          first=tuple(int(i) for i in wrong[0]))


def scalar_close(got: Any, expected: float, call: str, *, rtol: float = 1e-6) -> None:
    """Fail unless ``got`` is a single number close to ``expected``."""
    if isinstance(got, np.ndarray) and got.shape == ():
        got = got[()]
    if isinstance(got, bool) or not isinstance(got, int | float | np.integer | np.floating):
        raise CheckFailed("check.not_number", call=call, received=describe(got))
    if not np.isclose(float(got), float(expected), rtol=rtol, atol=rtol):
        raise CheckFailed("check.number_wrong", call=call)


def same_dtype(got: Any, expected: np.dtype[Any], call: str) -> None:
    """Fail unless ``got`` is an array of dtype ``expected``."""
    if isinstance(got, np.ndarray) and got.dtype != expected:
        raise CheckFailed("check.dtype", call=call, expected=str(expected), received=str(got.dtype))


def not_mutated(reply: Reply, originals: Sequence[Any], call: str) -> None:
    """Fail if the call changed any of its array arguments in place."""
    for position, (before, after) in enumerate(zip(originals, reply.args_after, strict=False)):
        if isinstance(before, View):
            before = before.build()
        if isinstance(before, np.ndarray):
            if not isinstance(after, np.ndarray) or after.shape != before.shape or not np.array_equal(
                    after, before, equal_nan=True):
                raise CheckFailed("check.mutated", call=call, position=position + 1)


def uses_loops(source: SourceInfo, name: str, shortcuts: Iterable[str]) -> None:
    """Fail unless ``name`` computes with explicit loops and none of ``shortcuts``."""
    if name not in source.functions:
        raise CheckFailed("check.source_missing", name=name)
    found = source.shortcuts(name, shortcuts)
    if found:
        raise CheckFailed("check.shortcut", name=name, found=", ".join(found))
    if not source.has_loop(name):
        raise CheckFailed("check.no_loop", name=name)
