"""Public checks of "tensor_ops" (Deep Learning with Python, 2nd ed., section 2.3).

Students run these in their notebook with ``grader.check("qN")``; the grader
runs them too. Each question is worth 4 points: 3 for correctness (the book
example here, the rest in ``hidden_checks.py``) and 1 for computing with
explicit loops instead of a vectorised NumPy shortcut (the ``*_uses_loops``
checks below).
"""

import numpy as np

from autograder.author import Handle, check, expect

RELU_SHORTCUTS = ("maximum", "clip", "where", "relu", "fmax")
ADD_SHORTCUTS = ("add",)
MATRIX_VECTOR_ADD_SHORTCUTS = ("add", "broadcast_to", "tile")
DOT_SHORTCUTS = ("dot", "matmul", "inner", "vdot", "tensordot", "einsum", "@")


def _expect_array(nb: Handle, name, args, expected):
    """Call ``name(*args)`` and compare the returned array with ``expected``."""
    call = expect.call_text(name, args)
    got = expect.returned(nb.call(name, *args), call)
    expect.array_close(got, expected, call)


def _expect_number(nb: Handle, name, args, expected):
    """Call ``name(*args)`` and compare the returned number with ``expected``."""
    call = expect.call_text(name, args)
    got = expect.returned(nb.call(name, *args), call)
    expect.scalar_close(got, expected, call)


@check("q1", weight=1, title={"ko": "책의 예제 (`naive_relu`)", "en": "The book's example (`naive_relu`)"})
def relu_book_example(nb: Handle) -> None:
    x = np.array([[1.0, -2.0, 3.0], [-4.0, 0.0, 0.5]])
    _expect_array(nb, "naive_relu", (x,), np.maximum(x, 0.0))
    x = np.random.default_rng(20).random((20, 100)) - 0.5  # the book's (20, 100)
    _expect_array(nb, "naive_relu", (x,), np.maximum(x, 0.0))


@check("q1", weight=1, title={"ko": "`naive_relu`를 반복문으로 계산", "en": "`naive_relu` computes with loops"})
def relu_uses_loops(nb: Handle) -> None:
    expect.uses_loops(nb.source, "naive_relu", RELU_SHORTCUTS)


@check("q2", weight=1, title={"ko": "책의 예제 (`naive_add`)", "en": "The book's example (`naive_add`)"})
def add_book_example(nb: Handle) -> None:
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    y = np.array([[10.0, -20.0, 30.0], [0.5, 0.0, -6.0]])
    _expect_array(nb, "naive_add", (x, y), x + y)
    rng = np.random.default_rng(21)
    x, y = rng.random((20, 100)), rng.random((20, 100))
    _expect_array(nb, "naive_add", (x, y), x + y)


@check("q2", weight=1, title={"ko": "`naive_add`를 반복문으로 계산", "en": "`naive_add` computes with loops"})
def add_uses_loops(nb: Handle) -> None:
    expect.uses_loops(nb.source, "naive_add", ADD_SHORTCUTS)


@check("q3", weight=1,
       title={"ko": "책의 예제 (`naive_add_matrix_and_vector`)",
              "en": "The book's example (`naive_add_matrix_and_vector`)"})
def add_matrix_vector_book_example(nb: Handle) -> None:
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    y = np.array([10.0, -20.0, 0.5])
    _expect_array(nb, "naive_add_matrix_and_vector", (x, y), x + y)
    rng = np.random.default_rng(22)
    x, y = rng.random((32, 10)), rng.random((10,))
    _expect_array(nb, "naive_add_matrix_and_vector", (x, y), x + y)


@check("q3", weight=1,
       title={"ko": "`naive_add_matrix_and_vector`를 반복문으로 계산",
              "en": "`naive_add_matrix_and_vector` computes with loops"})
def add_matrix_vector_uses_loops(nb: Handle) -> None:
    expect.uses_loops(nb.source, "naive_add_matrix_and_vector", MATRIX_VECTOR_ADD_SHORTCUTS)


@check("q4", weight=1, title={"ko": "책의 예제 (`naive_vector_dot`)", "en": "The book's example (`naive_vector_dot`)"})
def vector_dot_book_example(nb: Handle) -> None:
    x = np.array([1.0, 2.0, 3.0])
    y = np.array([4.0, -5.0, 6.0])
    _expect_number(nb, "naive_vector_dot", (x, y), 12.0)
    rng = np.random.default_rng(23)
    x, y = rng.random((32,)), rng.random((32,))
    _expect_number(nb, "naive_vector_dot", (x, y), float(np.dot(x, y)))


@check("q4", weight=1,
       title={"ko": "`naive_vector_dot`를 반복문으로 계산",
              "en": "`naive_vector_dot` computes with loops"})
def vector_dot_uses_loops(nb: Handle) -> None:
    expect.uses_loops(nb.source, "naive_vector_dot", DOT_SHORTCUTS)


@check("q5", weight=1,
       title={"ko": "책의 예제 (`naive_matrix_vector_dot`)",
              "en": "The book's example (`naive_matrix_vector_dot`)"})
def matrix_vector_dot_book_example(nb: Handle) -> None:
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    y = np.array([1.0, 0.0, -1.0])
    _expect_array(nb, "naive_matrix_vector_dot", (x, y), np.array([-2.0, -2.0]))
    rng = np.random.default_rng(24)
    x, y = rng.random((32, 10)), rng.random((10,))
    _expect_array(nb, "naive_matrix_vector_dot", (x, y), np.dot(x, y))


@check("q5", weight=1,
       title={"ko": "`naive_matrix_vector_dot`를 반복문으로 계산",
              "en": "`naive_matrix_vector_dot` computes with loops"})
def matrix_vector_dot_uses_loops(nb: Handle) -> None:
    expect.uses_loops(nb.source, "naive_matrix_vector_dot", DOT_SHORTCUTS)


@check("q6", weight=1, title={"ko": "책의 예제 (`naive_matrix_dot`)", "en": "The book's example (`naive_matrix_dot`)"})
def matrix_dot_book_example(nb: Handle) -> None:
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    y = np.array([[5.0, 6.0], [7.0, 8.0]])
    _expect_array(nb, "naive_matrix_dot", (x, y), np.array([[19.0, 22.0], [43.0, 50.0]]))
    rng = np.random.default_rng(25)
    x, y = rng.random((2, 3)), rng.random((3, 4))
    _expect_array(nb, "naive_matrix_dot", (x, y), np.dot(x, y))


@check("q6", weight=1,
       title={"ko": "`naive_matrix_dot`를 반복문으로 계산",
              "en": "`naive_matrix_dot` computes with loops"})
def matrix_dot_uses_loops(nb: Handle) -> None:
    expect.uses_loops(nb.source, "naive_matrix_dot", DOT_SHORTCUTS)
