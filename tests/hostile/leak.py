"""Hostile corpus, answers taken from the hand-outs: a submission that imports what ``autograder assign`` handed out
(``assignments/<id>/public_checks.py`` and its ``public_expected.json``, as a student has them) and submits it.

Public checks compare against values and never contain code that computes an answer (issue 11, item 1), so such a
submission earns no more than an empty one. The corpus is built, not listed, so a helper added to a public checks
file later is attacked too:

- the student's functions are the functions the reference notebook defines inside its solution regions, each with
  the number of arguments a caller must pass;
- the helpers are the callables the handed-out ``public_checks.py`` defines (functions and classes, not the checks
  themselves), imported from the hand-out folder as the student's kernel would; helpers whose first parameter is the
  check handle ``nb`` are left out: they call the student's own functions through it, they cannot answer for them;
- one attack per helper: every student function the helper can be called as (its signature accepts that many
  arguments) IS the helper, and every global the solution cells assign (a model, an array) is what the helper
  returns when called without arguments (assignments whose answers are values, such as vgg16_transfer).

What the stored values allow is attacked by hand (:data:`KFOLD_LOOKUP`): a lookup of ``public_expected.json`` passes
the public examples (it is the same as copying their printed expected values), and nothing else.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import nbformat
import numpy as np

from autograder.checks.core import sibling

_TAG = "__autograder_check__"


def _answer_cells(reference: Path) -> list[ast.Module]:
    notebook = nbformat.read(reference, as_version=4)
    trees = []
    for cell in notebook.cells:
        if cell.cell_type == "code" and "### BEGIN SOLUTION" in cell.source:
            try:
                trees.append(ast.parse(cell.source))
            except SyntaxError:
                continue
    return trees


def student_functions(reference: Path) -> dict[str, int]:
    """The functions the reference notebook defines in its solution regions: name -> required positional arguments."""
    found: dict[str, int] = {}
    for tree in _answer_cells(reference):
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                arguments = node.args
                required = len(arguments.posonlyargs) + len(arguments.args) - len(arguments.defaults)
                found[node.name] = required
    return found


def student_values(reference: Path) -> list[str]:
    """The globals the reference notebook's solution cells assign (models, arrays, histories...)."""
    found: list[str] = []
    for tree in _answer_cells(reference):
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, ast.AnnAssign | ast.AugAssign) else []
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name) and name.id not in found:
                        found.append(name.id)
    return found


def handed_out_helpers(handout: Path) -> dict[str, Callable[..., Any]]:
    """The callables ``handout/public_checks.py`` defines, imported from there (beside its public_expected.json)."""
    module = sibling(str(handout / "public_checks.py"))
    helpers: dict[str, Callable[..., Any]] = {}
    for name, value in vars(module).items():
        if not callable(value) or getattr(value, "__module__", None) != module.__name__:
            continue
        if getattr(value, _TAG, None) is not None:
            continue  # a check: it takes the handle and returns nothing
        try:
            parameters = list(inspect.signature(value).parameters)
        except (TypeError, ValueError):
            continue
        if parameters[:1] == ["nb"]:
            continue
        helpers[name] = value
    return helpers


def callable_as(helper: Callable[..., Any], arguments: int) -> bool:
    """Whether ``helper`` accepts being called with ``arguments`` positional arguments."""
    try:
        inspect.signature(helper).bind(*([None] * arguments))
    except TypeError:
        return False
    return True


def attacks(functions: dict[str, int], helpers: dict[str, Callable[..., Any]],
            values: Sequence[str] = ()) -> dict[str, dict[str, Any]]:
    """One submission's globals per helper: each student function the helper can be called as is the helper, and
    each global the solution cells assign is what the helper returns when it needs no argument (a helper that
    raises when so called gives none)."""
    made = {}
    for name, helper in helpers.items():
        namespace: dict[str, Any] = {"__name__": "__main__", "np": np}
        for function, arguments in functions.items():
            if callable_as(helper, arguments):
                namespace[function] = helper
        if values and callable_as(helper, 0):
            try:
                value = helper()
            except Exception:  # noqa: BLE001  (a helper that needs arguments of its own answers nothing)
                value = None
            if value is not None:
                namespace.update(dict.fromkeys(values, value))
        if len(namespace) > 2:
            made[name] = namespace
    return made


# A kfold_regression student who reads public_expected.json: smooth_curve and standardize answer from it.
KFOLD_LOOKUP = '''
import json
from pathlib import Path

import numpy as np

STORED = json.loads((Path(HANDOUT) / "public_expected.json").read_text())


def smooth_curve(points, factor=0.9):
    default, half = STORED["smooth_curve_example"]
    return list((half if factor == 0.5 else default)["expected"])


def standardize(train_data, test_data):
    stored = STORED["standardize_example"]
    return np.array(stored["train_data"]["train"][0]), np.array(stored["test_data"]["train"][0])
'''
