"""Source-level facts about a student's notebook, read by the grader (never executed).

Used where an exercise is about *how* something is computed, e.g. "write
ReLU with explicit loops": the grader parses the submitted cells and looks at
the function's body. This is a teaching check, not a security boundary: a
determined student can hide a vectorised call (``getattr(np, "max" +
"imum")``), and the value checks still decide correctness.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from autograder.notebook import CodeCell

_LOOP_NODES = (ast.For, ast.While, ast.AsyncFor, ast.ListComp, ast.SetComp, ast.DictComp,
               ast.GeneratorExp)


def _python_source(source: str) -> str:
    """Turn IPython syntax (magics, ``!``) into plain Python, as IPython would."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return str(TransformerManager().transform_cell(source))
    except Exception:  # noqa: BLE001  (untransformable cells are parsed as they are)
        return source


@dataclass(frozen=True)
class SourceInfo:
    """The top-level function definitions of a notebook (the last one of a name wins)."""

    functions: dict[str, ast.FunctionDef]

    @classmethod
    def from_cells(cls, cells: Sequence[CodeCell]) -> SourceInfo:
        """Parse every code cell that is valid Python; skip the others."""
        functions: dict[str, ast.FunctionDef] = {}
        for cell in cells:
            try:
                tree = ast.parse(_python_source(cell.source))
            except (SyntaxError, ValueError):
                continue
            for node in tree.body:
                if isinstance(node, ast.FunctionDef):
                    functions[node.name] = node
        return cls(functions)

    def has_loop(self, name: str, _seen: frozenset[str] = frozenset()) -> bool:
        """Whether ``name`` loops explicitly, itself or through a notebook function it calls."""
        function = self.functions.get(name)
        if function is None or name in _seen:
            return False
        if any(isinstance(node, _LOOP_NODES) for node in ast.walk(function)):
            return True
        return any(self.has_loop(callee, _seen | {name}) for callee in self._callees(function))

    def _callees(self, function: ast.FunctionDef) -> Iterable[str]:
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id in self.functions:
                    yield node.func.id

    def shortcuts(self, name: str, forbidden: Iterable[str]) -> list[str]:
        """Calls or operators in ``name`` that compute the whole result at once.

        ``forbidden`` holds attribute or function names (``"maximum"`` matches
        ``np.maximum`` and ``numpy.maximum``); ``"@"`` matches the matrix
        multiplication operator.
        """
        function = self.functions.get(name)
        if function is None:
            return []
        banned = set(forbidden)
        found: list[str] = []
        for node in ast.walk(function):
            if isinstance(node, ast.Call):
                called = node.func
                label = (called.attr if isinstance(called, ast.Attribute)
                         else called.id if isinstance(called, ast.Name) else None)
                if label in banned:
                    found.append(ast.unparse(called))
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult) and "@" in banned:
                found.append("@")
        return sorted(set(found))
