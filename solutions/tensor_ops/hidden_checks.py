"""Hidden checks of "tensor_ops" (Deep Learning with Python, 2nd ed., section 2.3).

Run only by the grader. Inputs are drawn fresh from a fixed seed per check, in
several shapes (1x1 and empty included), float32 and float64, and as
non-contiguous views (strided rows, transposes), and are compared with NumPy
computed here. Every question has 3 points of correctness in all, book example
(``public_checks.py``) included; the explicit-loops point is public.

A check that a function leaves its inputs unchanged also wants the right
result, and a check that it refuses bad shapes first calls it on a valid
input, so a function that returns its input unchanged or fails on everything
earns neither.
"""

import numpy as np

from autograder.author import Handle, View, check, expect

F32, F64 = np.float32, np.float64


def _built(arg):
    """The array a check argument stands for (a view is built over its base)."""
    return arg.build() if isinstance(arg, View) else arg


def _rtol(*args):
    """float32 inputs accumulate float32 rounding errors; float64 ones hardly any."""
    return 1e-4 if any(_built(a).dtype == F32 for a in args) else None


def _call(nb: Handle, name, args):
    """Call ``name(*args)``; return the reply, the value it returned, and the call's description."""
    call = expect.call_text(name, args)
    reply = nb.call(name, *args)
    return reply, expect.returned(reply, call), call


def _expect_array(nb: Handle, name, args, expected, *, keep_dtype=False, unchanged=False):
    """Compare ``name(*args)`` with ``expected``; also its dtype and its inputs when asked.

    Where a question has its own check that the inputs stay unchanged, the other
    checks leave that out, so that one mistake costs one check.
    """
    reply, got, call = _call(nb, name, args)
    expect.array_close(got, expected, call, rtol=_rtol(*args))
    if keep_dtype:
        expect.same_dtype(got, _built(args[0]).dtype, call)
    if unchanged:
        expect.not_mutated(reply, args, call)


def _expect_unchanged(nb: Handle, name, args, expected):
    reply, got, call = _call(nb, name, args)
    expect.not_mutated(reply, args, call)
    expect.array_close(got, expected, call, rtol=_rtol(*args))


def _expect_refused(nb: Handle, name, valid, invalid):
    """``name`` runs on ``valid`` arguments and raises on each tuple of ``invalid`` ones."""
    _call(nb, name, valid)
    for args, why in invalid:
        expect.raises(nb.call(name, *args), expect.call_text(name, args), why)


def _normal(rng, shape, dtype=F64):
    return rng.standard_normal(shape).astype(dtype)


# q1 naive_relu -------------------------------------------------------------------------------------

@check("q1", weight=1, hidden=True,
       title={"ko": "여러 크기와 dtype의 무작위 입력",
              "en": "Random inputs of several shapes and dtypes"})
def relu_random_inputs(nb: Handle) -> None:
    rng = np.random.default_rng(1101)
    for arg in (_normal(rng, (4, 5)), _normal(rng, (3, 7), F32), _normal(rng, (1, 1)),
                _normal(rng, (1, 1), F32), np.zeros((0, 3), F32), _normal(rng, (9, 1)),
                View(_normal(rng, (6, 4)), (slice(None, None, 2), slice(None))),
                View(_normal(rng, (3, 5), F32), transpose=True)):
        _expect_array(nb, "naive_relu", (arg,), np.maximum(_built(arg), 0), keep_dtype=True)


@check("q1", weight=0.5, hidden=True, title={"ko": "입력을 바꾸지 않음", "en": "Leaves its input unchanged"})
def relu_leaves_input_unchanged(nb: Handle) -> None:
    rng = np.random.default_rng(1102)
    for arg in (_normal(rng, (5, 6)), _normal(rng, (4, 3), F32),
                View(_normal(rng, (8, 3)), (slice(1, None, 2), slice(None)))):
        _expect_unchanged(nb, "naive_relu", (arg,), np.maximum(_built(arg), 0))


@check("q1", weight=0.5, hidden=True, title={"ko": "2D가 아닌 입력을 거부", "en": "Refuses an input that is not 2-D"})
def relu_refuses_non_matrix(nb: Handle) -> None:
    rng = np.random.default_rng(1103)
    _expect_refused(nb, "naive_relu", (_normal(rng, (2, 3)),), [
        ((_normal(rng, (4,)),), "len(x.shape) != 2"),
        ((_normal(rng, (2, 2, 2)),), "len(x.shape) != 2"),
    ])


# q2 naive_add --------------------------------------------------------------------------------------

@check("q2", weight=1, hidden=True,
       title={"ko": "여러 크기와 dtype의 무작위 입력",
              "en": "Random inputs of several shapes and dtypes"})
def add_random_inputs(nb: Handle) -> None:
    rng = np.random.default_rng(1201)
    cases = [(_normal(rng, s, dtype), _normal(rng, s, dtype))
             for s, dtype in (((4, 5), F64), ((3, 7), F32), ((1, 1), F64), ((1, 1), F32), ((0, 3), F64))]
    cases.append((View(_normal(rng, (6, 4)), (slice(None, None, 2), slice(None))), _normal(rng, (3, 4))))
    cases.append((_normal(rng, (5, 3), F32), View(_normal(rng, (3, 5), F32), transpose=True)))
    for x, y in cases:
        _expect_array(nb, "naive_add", (x, y), _built(x) + _built(y), keep_dtype=True)


@check("q2", weight=0.5, hidden=True, title={"ko": "입력을 바꾸지 않음", "en": "Leaves its inputs unchanged"})
def add_leaves_inputs_unchanged(nb: Handle) -> None:
    rng = np.random.default_rng(1202)
    for x, y in ((_normal(rng, (5, 6)), _normal(rng, (5, 6))),
                 (_normal(rng, (2, 3), F32), _normal(rng, (2, 3), F32)),
                 (View(_normal(rng, (3, 4)), transpose=True), _normal(rng, (4, 3)))):
        _expect_unchanged(nb, "naive_add", (x, y), _built(x) + _built(y))


@check("q2", weight=0.5, hidden=True,
       title={"ko": "shape이 다른 두 입력을 거부",
              "en": "Refuses two inputs of different shapes"})
def add_refuses_mismatched_shapes(nb: Handle) -> None:
    rng = np.random.default_rng(1203)
    _expect_refused(nb, "naive_add", (_normal(rng, (2, 3)), _normal(rng, (2, 3))), [
        ((_normal(rng, (2, 3)), _normal(rng, (3, 4))), "x.shape != y.shape"),
        ((_normal(rng, (2, 3)), _normal(rng, (3,))), "len(y.shape) != 2"),
    ])


# q3 naive_add_matrix_and_vector --------------------------------------------------------------------

@check("q3", weight=1, hidden=True,
       title={"ko": "여러 크기와 dtype의 무작위 입력",
              "en": "Random inputs of several shapes and dtypes"})
def add_matrix_vector_random_inputs(nb: Handle) -> None:
    rng = np.random.default_rng(1301)
    cases = [(_normal(rng, (rows, cols), dtype), _normal(rng, (cols,), dtype))
             for rows, cols, dtype in ((4, 5, F64), (3, 7, F32), (1, 1, F64), (1, 1, F32), (0, 3, F64),
                                       (6, 1, F32))]
    cases.append((View(_normal(rng, (3, 6)), transpose=True),
                  View(_normal(rng, (6,)), (slice(None, None, 2),))))
    cases.append((View(_normal(rng, (8, 4), F32), (slice(None, None, 3), slice(None))),
                  View(_normal(rng, (2, 4), F32), (1, slice(None)))))
    for x, y in cases:
        _expect_array(nb, "naive_add_matrix_and_vector", (x, y), _built(x) + _built(y), keep_dtype=True)


@check("q3", weight=0.5, hidden=True, title={"ko": "입력을 바꾸지 않음", "en": "Leaves its inputs unchanged"})
def add_matrix_vector_leaves_inputs_unchanged(nb: Handle) -> None:
    rng = np.random.default_rng(1302)
    for x, y in ((_normal(rng, (5, 6)), _normal(rng, (6,))),
                 (_normal(rng, (2, 3), F32), _normal(rng, (3,), F32)),
                 (View(_normal(rng, (3, 4)), transpose=True), _normal(rng, (3,)))):
        _expect_unchanged(nb, "naive_add_matrix_and_vector", (x, y), _built(x) + _built(y))


@check("q3", weight=0.5, hidden=True,
       title={"ko": "행렬의 열 수와 길이가 다른 벡터를 거부",
              "en": "Refuses a vector whose length is not the matrix's column count"})
def add_matrix_vector_refuses_mismatched_shapes(nb: Handle) -> None:
    rng = np.random.default_rng(1303)
    _expect_refused(nb, "naive_add_matrix_and_vector", (_normal(rng, (2, 3)), _normal(rng, (3,))), [
        ((_normal(rng, (2, 3)), _normal(rng, (4,))), "x.shape[1] != y.shape[0]"),
        ((_normal(rng, (2, 3)), _normal(rng, (2, 3))), "len(y.shape) != 1"),
    ])


# q4 naive_vector_dot -------------------------------------------------------------------------------

@check("q4", weight=1.5, hidden=True,
       title={"ko": "여러 크기와 dtype의 무작위 입력",
              "en": "Random inputs of several shapes and dtypes"})
def vector_dot_random_inputs(nb: Handle) -> None:
    rng = np.random.default_rng(1401)
    cases = [(_normal(rng, (n,), dtype), _normal(rng, (n,), dtype))
             for n, dtype in ((7, F64), (50, F32), (1, F64), (1, F32), (0, F64), (200, F64))]
    cases.append((View(_normal(rng, (10,)), (slice(None, None, 2),)),
                  View(_normal(rng, (5, 6)), (slice(None), 3))))
    cases.append((View(_normal(rng, (4, 6), F32), (slice(None), 0)), _normal(rng, (4,), F32)))
    for x, y in cases:
        args = (x, y)
        reply, got, call = _call(nb, "naive_vector_dot", args)
        exact = float(np.dot(_built(x).astype(F64), _built(y).astype(F64)))
        expect.scalar_close(got, exact, call, rtol=_rtol(*args) or 1e-6)
        expect.not_mutated(reply, args, call)


@check("q4", weight=0.5, hidden=True,
       title={"ko": "길이가 다른 두 벡터를 거부",
              "en": "Refuses two vectors of different lengths"})
def vector_dot_refuses_mismatched_lengths(nb: Handle) -> None:
    rng = np.random.default_rng(1402)
    _expect_refused(nb, "naive_vector_dot", (_normal(rng, (3,)), _normal(rng, (3,))), [
        ((_normal(rng, (3,)), _normal(rng, (5,))), "x.shape[0] != y.shape[0]"),
        ((_normal(rng, (2, 3)), _normal(rng, (2, 3))), "len(x.shape) != 1"),
    ])


# q5 naive_matrix_vector_dot ------------------------------------------------------------------------

@check("q5", weight=1.5, hidden=True,
       title={"ko": "여러 크기와 dtype의 무작위 입력",
              "en": "Random inputs of several shapes and dtypes"})
def matrix_vector_dot_random_inputs(nb: Handle) -> None:
    rng = np.random.default_rng(1501)
    cases = [(_normal(rng, (rows, cols), dtype), _normal(rng, (cols,), dtype))
             for rows, cols, dtype in ((5, 4, F64), (3, 6, F32), (1, 1, F64), (1, 1, F32), (0, 3, F64),
                                       (4, 1, F64), (1, 9, F32))]
    cases.append((View(_normal(rng, (4, 3)), transpose=True),
                  View(_normal(rng, (12,)), (slice(None, None, 3),))))
    cases.append((View(_normal(rng, (10, 5), F32), (slice(None, None, 2), slice(None))),
                  _normal(rng, (5,), F32)))
    for x, y in cases:
        exact = np.dot(_built(x).astype(F64), _built(y).astype(F64))
        _expect_array(nb, "naive_matrix_vector_dot", (x, y), exact, unchanged=True)


@check("q5", weight=0.5, hidden=True,
       title={"ko": "shape이 맞지 않는 행렬과 벡터를 거부",
              "en": "Refuses a matrix and a vector whose shapes do not fit"})
def matrix_vector_dot_refuses_mismatched_shapes(nb: Handle) -> None:
    rng = np.random.default_rng(1502)
    _expect_refused(nb, "naive_matrix_vector_dot", (_normal(rng, (2, 3)), _normal(rng, (3,))), [
        ((_normal(rng, (2, 3)), _normal(rng, (4,))), "x.shape[1] != y.shape[0]"),
    ])


# q6 naive_matrix_dot -------------------------------------------------------------------------------

@check("q6", weight=1.5, hidden=True,
       title={"ko": "여러 크기와 dtype의 무작위 입력",
              "en": "Random inputs of several shapes and dtypes"})
def matrix_dot_random_inputs(nb: Handle) -> None:
    rng = np.random.default_rng(1601)
    cases = [(_normal(rng, (n, k), dtype), _normal(rng, (k, m), dtype))
             for n, k, m, dtype in ((3, 4, 2, F64), (2, 5, 3, F32), (1, 1, 1, F64), (1, 1, 1, F32),
                                    (2, 0, 3, F64), (0, 3, 2, F64), (4, 1, 5, F64), (3, 3, 3, F32))]
    cases.append((View(_normal(rng, (4, 3)), transpose=True), View(_normal(rng, (2, 4)), transpose=True)))
    cases.append((View(_normal(rng, (6, 5), F32), (slice(None, None, 2), slice(None))),
                  View(_normal(rng, (5, 8), F32), (slice(None), slice(1, None, 3)))))
    for x, y in cases:
        exact = np.dot(_built(x).astype(F64), _built(y).astype(F64))
        _expect_array(nb, "naive_matrix_dot", (x, y), exact, unchanged=True)


@check("q6", weight=0.5, hidden=True,
       title={"ko": "shape이 맞지 않는 두 행렬을 거부",
              "en": "Refuses two matrices whose shapes do not fit"})
def matrix_dot_refuses_mismatched_shapes(nb: Handle) -> None:
    rng = np.random.default_rng(1602)
    _expect_refused(nb, "naive_matrix_dot", (_normal(rng, (3, 3)), _normal(rng, (3, 3))), [
        ((_normal(rng, (2, 3)), _normal(rng, (4, 2))), "x.shape[1] != y.shape[0]"),
    ])
