"""``grader.check("q1")`` in the student's own notebook: public checks, in-process.

No security is needed here (the student is checking their own work), but the
values still make the same data round trip as in the grader, so a function
that returns something the grader cannot accept fails here too, with the same
message.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.checks.core import CheckContext, CheckResult, load_checks, run_checks
from autograder.checks.source import SourceInfo
from autograder.i18n import DEFAULT_LANGUAGE, check_language, message
from autograder.notebook import CodeCell
from autograder.sandbox import protocol
from autograder.sandbox.keras_values import to_data
from autograder.sandbox.session import Reply
from autograder.sandbox.worker import describe_value

PUBLIC_CHECKS = "public_checks.py"


class LocalHandle:
    """A :class:`~autograder.checks.Handle` over a namespace in this interpreter."""

    def __init__(self, namespace: Mapping[str, Any], cells: list[CodeCell], lang: str = DEFAULT_LANGUAGE) -> None:
        self.namespace = namespace
        self.source = SourceInfo.from_cells(cells)
        self.context = CheckContext(lang=lang)

    def call(self, name: str, *args: Any, **kwargs: Any) -> Reply:
        """Call ``name`` on copies of the arguments, as the sandbox would."""
        function = self.namespace.get(name)
        if function is None:
            return Reply("missing")
        if not callable(function):
            return Reply("not_callable")
        args = tuple(a.build() if isinstance(a, protocol.View) else a for a in protocol.round_trip(list(args)))
        try:
            result = function(*args, **protocol.round_trip(kwargs))
        except Exception as error:  # noqa: BLE001  (the student's error is the answer)
            return Reply("error", None, protocol.round_trip(list(args)),
                         {"ename": type(error).__name__, "evalue": str(error), "traceback": ""})
        return Reply("ok", protocol.round_trip(to_data(result)), tuple(protocol.round_trip(list(args))))

    def info(self, name: str) -> Reply:
        """Type, shape, dtype and length of ``name``, as the grader would see them."""
        if name not in self.namespace:
            return Reply("missing")
        return Reply("ok", protocol.round_trip(describe_value(self.namespace[name])))

    def value(self, name: str) -> Reply:
        """The value of ``name``, after the data round trip."""
        if name not in self.namespace:
            return Reply("missing")
        return Reply("ok", protocol.round_trip(to_data(self.namespace[name])))


@dataclass(frozen=True)
class CheckReport:
    """What ``grader.check`` shows: one line per public check."""

    question: str
    results: tuple[CheckResult, ...]
    lang: str

    def lines(self) -> list[str]:
        """Plain-text lines, one per check."""
        passed = sum(r.passed for r in self.results)
        head = message("student.summary", self.lang, question=self.question, passed=passed,
                       total=len(self.results))
        return [head] + [("  ✔ " if r.passed else "  ✘ ") + (r.render(self.lang) or r.name)
                         for r in self.results]

    def __repr__(self) -> str:
        return "\n".join(self.lines())

    def _repr_html_(self) -> str:
        from html import escape

        items = "".join(f"<li>{escape(line.strip())}</li>" for line in self.lines()[1:])
        return f"<p><b>{escape(self.lines()[0])}</b></p><ul>{items}</ul>"


class Notebook:
    """The ``grader`` object of a student notebook."""

    def __init__(self, assignment: str, *, lang: str | None = None, checks_dir: str | Path = ".") -> None:
        self.assignment = assignment
        self.lang = check_language(lang or os.environ.get("AUTOGRADER_LANG", DEFAULT_LANGUAGE))
        self.checks_path = Path(checks_dir) / PUBLIC_CHECKS
        self.in_sandbox = os.environ.get("AUTOGRADER_SANDBOX") == "1"

    def check(self, question: str, namespace: Mapping[str, Any] | None = None) -> CheckReport | str:
        """Run the public checks of ``question`` against this notebook's definitions."""
        if self.in_sandbox:
            return message("student.in_grader", self.lang, question=question)
        namespace, cells = _notebook_state(namespace)
        specs = [s for s in load_checks(self.checks_path) if not s.hidden]
        results = run_checks(specs, LocalHandle(namespace, cells, self.lang), [question])
        if not results:
            return message("student.no_checks", self.lang, question=question)
        return CheckReport(question, tuple(results), self.lang)


def _notebook_state(namespace: Mapping[str, Any] | None) -> tuple[Mapping[str, Any], list[CodeCell]]:
    """The running notebook's globals and the code it has run so far (its input history)."""
    try:
        from IPython import get_ipython as current_shell
    except ImportError:
        current_shell = None
    shell = current_shell() if current_shell is not None else None
    if shell is None:
        import __main__

        return (namespace if namespace is not None else vars(__main__)), []
    history = [CodeCell(i, src) for i, src in enumerate(shell.user_ns.get("In", [])) if src]
    return (namespace if namespace is not None else shell.user_ns), history
