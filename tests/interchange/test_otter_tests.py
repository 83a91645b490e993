"""Converted otter tests run in the grader on the student's values as data (LocalHandle: the same round trip)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from autograder.errors import CheckFailed
from autograder.interchange.otter_tests import free_names, run_case
from autograder.student import LocalHandle

ID = "demo"


def _handle(**namespace: Any) -> LocalHandle:
    return LocalHandle(namespace, [])


def _doctest(code: str, hidden: bool = False, **extra: Any) -> dict[str, Any]:
    return {"kind": "doctest", "code": code, "hidden": hidden, "title": "q1 #1", **extra}


def _fails(nb: LocalHandle, case: dict[str, Any]) -> CheckFailed:
    with pytest.raises(CheckFailed) as failed:
        run_case(nb, case, ID)
    return failed.value


def test_a_doctest_compares_the_repr_and_printed_output_as_doctest_does() -> None:
    nb = _handle(x=2, square=lambda v: v * v, z=np.arange(10.0))
    run_case(nb, _doctest(">>> x\n2"), ID)
    run_case(nb, _doctest(">>> str(print(x))\n2\n'None'"), ID)
    run_case(nb, _doctest(">>> square(16)\n256\n>>> len(z) == 10\nTrue\n>>> np.allclose(z, np.arange(10))\nTrue"), ID)
    run_case(nb, _doctest(">>> y = square(3)\n>>> y + 1\n10"), ID)  # names the test binds itself
    run_case(nb, _doctest(">>> (x, [x])\n(2, [2])"), ID)  # tuples stay tuples across the round trip
    failed = _fails(nb, _doctest(">>> square(3)\n10", failure_message="Square it."))
    assert failed.key == "demo.test_failed"
    assert (failed.params["source"], failed.params["want"], failed.params["got"]) == ("square(3)", "10", "9")
    assert failed.params["hint"] == "Square it. "


def test_a_hidden_failure_shows_neither_the_code_nor_the_values() -> None:
    failed = _fails(_handle(x=3), _doctest(">>> x\n2", hidden=True))
    assert failed.key == "demo.hidden_test_failed" and set(failed.params) == {"test", "hint"}


def test_the_students_exception_compares_by_name_and_message() -> None:
    def refuse(v: int) -> int:
        raise ValueError("negative")

    nb = _handle(f=refuse)
    run_case(nb, _doctest(">>> f(-1)\nTraceback (most recent call last):\n    ...\nValueError: negative"), ID)
    failed = _fails(nb, _doctest(">>> f(1)\n1"))
    assert "ValueError: negative" in failed.params["got"]


def test_missing_names_and_values_that_are_not_data() -> None:
    failed = _fails(_handle(), _doctest(">>> x\n2"))
    assert "NameError" in failed.params["got"]  # as in the student's interpreter
    failed = _fails(_handle(obj=object()), _doctest(">>> obj.attribute\n1"))
    assert failed.key == "demo.not_data" and failed.params["name"] == "obj.attribute"


def test_exception_based_tests_get_their_parameters_by_name() -> None:
    case = {"kind": "exception", "function": "test_public", "hidden": False, "title": "q3 #1",
            "code": "def test_public(nine, square):\n    assert nine == 9\n    assert square(16) == 256"}
    run_case(_handle(nine=9, square=lambda v: v * v), case, ID)
    failed = _fails(_handle(nine=9, square=lambda v: v * v + 1), case)
    assert failed.params["source"] == "assert square(16) == 256" and "AssertionError" in failed.params["got"]
    assert _fails(_handle(nine=9), case).key == "check.value_missing"


def test_all_or_nothing_runs_every_case() -> None:
    cases = {"cases": [_doctest(">>> x\n2"), _doctest(">>> x + 1\n4")], "hidden": True, "title": "q1 (all)"}
    failed = _fails(_handle(x=2), cases)
    assert failed.key == "demo.hidden_test_failed"
    run_case(_handle(x=2), {"cases": [_doctest(">>> x\n2")], "hidden": True}, ID)


def test_free_names_leave_out_what_the_test_binds_and_builtins() -> None:
    import ast

    tree = ast.parse("import math as m\ny = [v for v in z]\ndef g(a):\n    return a + w\nlen(y) + m.pi + g(q)")
    assert free_names(tree) == ["z", "w", "q"]


def test_a_name_that_cannot_cross_fails_the_check_with_the_engines_message() -> None:
    from autograder.sandbox.session import Reply

    class TooLarge(LocalHandle):
        def value(self, name: str) -> Reply:
            return Reply("too_large") if name == "big" else super().value(name)

    failed = _fails(TooLarge({"big": 1}, []), _doctest(">>> big\n1"))
    assert failed.key == "check.reply_too_large"
    exception = {"kind": "exception", "function": "t", "hidden": False, "code": "def t(big):\n    assert big"}
    assert _fails(TooLarge({"big": 1}, []), exception).key == "check.reply_too_large"
