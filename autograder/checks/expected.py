"""Expected outputs of the public checks: data handed out, code that computes them kept in ``solutions/``.

A public checks file never contains code that computes an answer (a student could
import it and submit it). It compares the student's outputs against *values*:

- ``solutions/<id>/reference.py`` (optional, never handed out) holds the
  answer-computing helpers and a function ``public_expected() -> dict`` giving
  the expected outputs for the public checks' inputs (JSON-able: numbers,
  strings, lists, dicts; NumPy arrays and scalars are turned into lists and
  numbers);
- ``autograder assign`` runs it and writes ``public_expected.json`` beside the
  handed-out ``public_checks.py`` (and a copy into the student notebook's
  metadata, so ``grader.check`` works wherever the notebook goes);
- a public check reads them with ``public_expected(__file__)``: the JSON file
  beside the checks file when there is one (the handed-out case), else the
  values computed from ``reference.py`` beside it (the ``solutions/`` case,
  where the grader loads the checks);
- hidden checks import the reference helpers for their random inputs with
  ``sibling(__file__, "reference.py")``.

::

    # solutions/<id>/reference.py
    def smoothed(points, factor=0.9): ...
    def public_expected():
        return {"smooth_example": smoothed([4.5, 3.9, 3.6]).tolist()}

    # solutions/<id>/public_checks.py
    @check("q4")
    def smooth_example(nb):
        expected = public_expected(__file__)["smooth_example"]
        ...
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from autograder.errors import ConfigError

PUBLIC_EXPECTED = "public_expected.json"
REFERENCE = "reference.py"
MAX_EXPECTED_BYTES = 8 * 2**20  # a larger public_expected.json is refused, not read
_MAX_DEPTH = 32

_CACHE: dict[tuple[str, int, int], dict[str, Any]] = {}


def _plain(value: Any, where: str, depth: int = 0) -> Any:
    """``value`` as JSON data (NumPy arrays and scalars become lists and numbers); anything else is refused."""
    if depth > _MAX_DEPTH:
        raise ConfigError(where, f"public_expected() nests deeper than {_MAX_DEPTH} levels")
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ConfigError(where, f"public_expected() gave a non-finite number {value!r} (JSON cannot hold it)")
        return value
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise ConfigError(where, "public_expected() gave a dict whose keys are not all strings")
        return {key: _plain(item, where, depth + 1) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item, where, depth + 1) for item in value]
    tolist = getattr(value, "tolist", None)  # NumPy arrays and scalars
    if callable(tolist) and type(value).__module__ == "numpy":
        return _plain(tolist(), where, depth + 1)
    raise ConfigError(where, f"public_expected() gave a {type(value).__name__}, which is not JSON data")


def expected_text(values: dict[str, Any]) -> str:
    """The text of ``public_expected.json`` for ``values`` (stable: sorted keys, one trailing newline)."""
    return json.dumps(values, sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def parse_expected(text: str | bytes, where: str) -> dict[str, Any]:
    """Expected values from a ``public_expected.json`` text, bounded; errors name ``where``."""
    if len(text) > MAX_EXPECTED_BYTES:
        raise ConfigError(where, f"larger than {MAX_EXPECTED_BYTES} bytes; regenerate it with `autograder assign`")
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise ConfigError(where, f"not valid JSON ({str(error)[:200]}); regenerate it with `autograder assign`") \
            from error
    if not isinstance(data, dict):
        raise ConfigError(where, "not a JSON object of expected values; regenerate it with `autograder assign`")
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def compute_expected(reference: Path) -> dict[str, Any]:
    """Run ``reference.py``'s ``public_expected()``; the values as JSON data (what assign writes)."""
    from autograder.checks.core import sibling

    module = sibling(str(reference), reference.name)
    function = getattr(module, "public_expected", None)
    if not callable(function):
        raise ConfigError(str(reference), "defines no function public_expected() -> dict of expected values")
    try:
        values = function()
    except Exception as error:
        raise ConfigError(str(reference), f"public_expected() failed: {error!r}"[:500]) from error
    if not isinstance(values, dict):
        raise ConfigError(str(reference), f"public_expected() returned a {type(values).__name__}, not a dict")
    plain = _plain(values, str(reference))
    return parse_expected(expected_text(plain), str(reference))  # exactly what a handed-out copy reads back


def _cached(path: Path, load: Any) -> dict[str, Any]:
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _CACHE:
        _CACHE[key] = load(path)
    return _CACHE[key]


def public_expected(checks_file: str | Path) -> dict[str, Any]:
    """The expected outputs for the public inputs of the checks file ``checks_file`` (pass ``__file__``).

    ``public_expected.json`` beside it when there is one (handed out), else
    computed from ``reference.py`` beside it (``solutions/``); each is read or
    computed once while unchanged. A ConfigError names the files when neither
    exists.
    """
    checks = Path(checks_file)
    stored = checks.with_name(PUBLIC_EXPECTED)
    if stored.is_file():
        if stored.stat().st_size > MAX_EXPECTED_BYTES:
            raise ConfigError(str(stored), f"larger than {MAX_EXPECTED_BYTES} bytes; "
                                           "regenerate it with `autograder assign`")
        return _cached(stored, lambda p: parse_expected(p.read_bytes(), str(p)))
    reference = checks.with_name(REFERENCE)
    if reference.is_file():
        return _cached(reference, compute_expected)
    raise ConfigError(str(stored), f"no expected values for the public checks {checks.name}: neither this file "
                                   f"nor {reference} exists (run `autograder assign` to write it)")


def expected_value(checks_file: str | Path, key: str) -> Any:
    """One expected value; a missing key is a ConfigError naming the file and the key."""
    values = public_expected(checks_file)
    if key not in values:
        where = Path(checks_file).with_name(PUBLIC_EXPECTED)
        raise ConfigError(str(where), f"no expected value {key!r}: regenerate it with `autograder assign`")
    return values[key]
