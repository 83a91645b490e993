"""Run a converted otter test in the grader: the test's code runs here, the student's names come back as data.

An otter test is instructor code that otter runs *in the student's interpreter*. Here it runs in the grader
(or, for ``grader.check``, in the student's own kernel, as every public check does): each name the test uses
and does not define is looked up in the student's notebook through the check handle. Data (numbers, strings,
lists, tuples, dicts, NumPy arrays) is bound as the value the sandbox sent back; a function is bound as a proxy
that calls the student's function in the sandbox (``nb.call``) with data arguments and returns its result as
data, or raises an exception of the same name and message when the student's code raised. Anything else (an
object that is not data) fails the check with a message saying so, instead of being evaluated.

Doctests are compared as ``doctest`` compares them (``OutputChecker``, the example's own option flags): what
the example prints plus the ``repr`` of its value, against the expected output otter stored; an expected
traceback compares the exception's last line. Exception-based tests (``def test_x(names): assert ...``) are
called with their parameters looked up by name, as otter does, and pass when they return.
"""

from __future__ import annotations

import ast
import builtins
import doctest
import importlib
import io
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, redirect_stdout
from typing import Any

from autograder.checks import expect
from autograder.checks.core import Handle
from autograder.errors import CheckFailed
from autograder.sandbox.protocol import Unsupported

FILENAME = "<otter test>"
_SHOWN = 300  # characters of a public test's source, expected and actual output in a message
# Module names tests use without importing them (the notebook imported them): the grader's own copy is bound.
MODULES = {"np": "numpy", "numpy": "numpy", "math": "math", "pd": "pandas", "pandas": "pandas", "random": "random",
           "re": "re", "collections": "collections", "itertools": "itertools", "functools": "functools",
           "statistics": "statistics", "string": "string", "json": "json"}


class _Abort(BaseException):
    """A student name could not be used as data: the check fails with ``failure`` (not caught by the test)."""

    def __init__(self, failure: CheckFailed) -> None:
        super().__init__(failure.key)
        self.failure = failure


def _student_exception(ename: str, evalue: str) -> BaseException:
    """An exception printed as the student's was (``ValueError: message``), whatever its class was."""
    name = ename if ename.isidentifier() else "StudentError"
    cls: type[Exception] = type(name, (Exception,), {"__module__": "builtins"})
    return cls(evalue)


class StudentFunction:
    """A student's function (or class, or other callable): calling it calls it in the sandbox."""

    def __init__(self, nb: Handle, name: str, type_name: str, assignment: str) -> None:
        self._nb, self._name, self._type, self._assignment = nb, name, type_name, assignment

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        reply = self._nb.call(self._name, *args, **kwargs)
        call = expect.call_text(self._name, args)
        if reply.status == "error" and reply.error is not None:
            raise _student_exception(reply.error.get("ename", "Exception"), reply.error.get("evalue", ""))
        if reply.status == "not_callable":
            raise TypeError(f"'{self._type}' object is not callable")
        try:
            value = expect.returned(reply, call)
        except CheckFailed as failed:
            raise _Abort(failed) from None
        if isinstance(value, Unsupported):
            raise _Abort(CheckFailed(f"{self._assignment}.not_data", name=call, type=value.type_name))
        return value

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        raise _Abort(CheckFailed(f"{self._assignment}.not_data", name=f"{self._name}.{attribute}", type=self._type))

    def __repr__(self) -> str:
        return f"<function {self._name}>"


def free_names(tree: ast.AST) -> list[str]:
    """Names the code reads and never binds itself (nor are builtins), in first-use order."""
    bound: set[str] = set()
    used: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                used.append(node.id)
            else:
                bound.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
    seen: list[str] = []
    for name in used:
        if name not in bound and name not in seen and not hasattr(builtins, name):
            seen.append(name)
    return seen


def resolve(nb: Handle, names: list[str], assignment: str) -> dict[str, Any]:
    """The student's values of ``names``: data as data, functions as proxies; names the notebook lacks are left
    out (using one raises ``NameError``, as in the student's interpreter)."""
    env: dict[str, Any] = {}
    for name in names:
        if name in MODULES:
            try:
                env[name] = importlib.import_module(MODULES[name])
            except ImportError:
                pass
            continue
        reply = nb.value(name)
        if reply.status == "missing":
            continue
        if reply.status != "ok":
            try:
                expect.returned(reply, name)
            except CheckFailed as failed:
                raise _Abort(failed) from None
        value = reply.value
        env[name] = StudentFunction(nb, name, value.type_name, assignment) if isinstance(value, Unsupported) else value
    return env


@contextmanager
def _display(out: io.StringIO) -> Iterator[None]:
    """``sys.displayhook`` writing ``repr`` as a plain interpreter does (IPython's would show it in the notebook)."""
    saved = sys.displayhook

    def hook(value: object) -> None:
        if value is not None:
            out.write(repr(value) + "\n")

    sys.displayhook = hook
    try:
        with redirect_stdout(out):
            yield
    finally:
        sys.displayhook = saved


def _short(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _SHOWN else text[:_SHOWN] + " …"


def _fail(case: Mapping[str, Any], assignment: str, *, source: str, want: str, got: str) -> CheckFailed:
    hint = f"{case['failure_message']} " if case.get("failure_message") else ""  # the instructor's own words
    if case.get("hidden"):
        return CheckFailed(f"{assignment}.hidden_test_failed", test=str(case.get("title", "")), hint=hint)
    return CheckFailed(f"{assignment}.test_failed", test=str(case.get("title", "")), source=_short(source),
                       want=_short(want) or "—", got=_short(got) or "—", hint=hint)


def run_doctest(nb: Handle, case: Mapping[str, Any], assignment: str) -> None:
    """Run an OK-format case's examples in order; the first that does not give its expected output fails it."""
    code = str(case["code"])
    examples = [e for e in doctest.DocTestParser().parse(code, FILENAME) if isinstance(e, doctest.Example)]
    sources = "\n".join(e.source for e in examples)
    env = resolve(nb, free_names(ast.parse(sources)), assignment)
    env["__name__"] = "__otter_test__"
    checker = doctest.OutputChecker()
    for example in examples:
        flags = 0
        for flag, on in example.options.items():
            flags = flags | flag if on else flags & ~flag
        out = io.StringIO()
        raised: str | None = None
        with _display(out):
            try:
                exec(compile(example.source, FILENAME, "single", dont_inherit=True), env)
            except _Abort as abort:
                raise abort.failure from None
            except Exception as error:  # noqa: BLE001  (the test's own verdict, as doctest records it)
                raised = traceback.format_exception_only(type(error), error)[-1]
        got = out.getvalue()
        if raised is None:
            if not checker.check_output(example.want, got, flags):
                raise _fail(case, assignment, source=example.source, want=example.want, got=got)
        elif example.exc_msg is None or not checker.check_output(example.exc_msg, raised, flags):
            raise _fail(case, assignment, source=example.source, want=example.exc_msg or example.want,
                        got=got + raised)


def run_function(nb: Handle, case: Mapping[str, Any], assignment: str) -> None:
    """Define the case's test function, call it with its parameters looked up by name; it passes if it returns."""
    code = str(case["code"])
    tree = ast.parse(code)
    function = tree.body[0]
    if not isinstance(function, ast.FunctionDef):
        raise ValueError("an exception-based otter test is one function definition")
    params = [a.arg for a in function.args.args]
    env = resolve(nb, [*free_names(tree), *params], assignment)
    env["__name__"] = "__otter_test__"
    missing = [p for p in params if p not in env]
    if missing:
        raise CheckFailed("check.value_missing", name=missing[0])
    exec(compile(tree, FILENAME, "exec", dont_inherit=True), env)
    test: Callable[..., Any] = env[function.name]
    args = [env[p] for p in params]
    try:
        test(*args)
    except _Abort as abort:
        raise abort.failure from None
    except Exception as error:  # noqa: BLE001
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == FILENAME]
        line = code.split("\n")[frames[-1].lineno - 1].strip() if frames and frames[-1].lineno else function.name
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        raise _fail(case, assignment, source=line, want="no error", got=detail) from None


def run_case(nb: Handle, case: Mapping[str, Any], assignment: str) -> None:
    """Run one converted case (``kind`` doctest or exception); several cases in ``cases`` run as one."""
    for one in case.get("cases", [case]):
        merged = {**one, "hidden": case.get("hidden", one.get("hidden")), "title": one.get("title", case.get("title"))}
        try:
            if one["kind"] == "doctest":
                run_doctest(nb, merged, assignment)
            else:
                run_function(nb, merged, assignment)
        except _Abort as abort:  # a name that could not be fetched as data (too large, timed out, ...)
            raise abort.failure from None
