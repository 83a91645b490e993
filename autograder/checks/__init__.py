"""The check library instructors write checks with.

    from autograder.checks import check, expect, View

    @check("q1", weight=3)
    def relu_matches_numpy(nb):
        x = np.array([[1.0, -2.0]])
        reply = nb.call("naive_relu", x)
        expect.array_close(expect.returned(reply, "naive_relu(x)"), np.maximum(x, 0), "naive_relu(x)")


    @performance("q4", metric="imdb_test_accuracy", margin=0.02)
    def imdb_accuracy(nb):          # returns the measured value; the threshold is calibrated
        model = keras_expect.model(nb.value("model"), "model")
        ...
"""

from autograder.checks import expect, keras_expect
from autograder.checks.core import (
    CheckContext,
    CheckSpec,
    Handle,
    check,
    load_checks,
    performance,
    run_checks,
    sibling,
)
from autograder.results import CheckResult
from autograder.sandbox.protocol import View

__all__ = ["CheckContext", "CheckResult", "CheckSpec", "Handle", "View", "check", "expect", "keras_expect",
           "load_checks", "performance", "run_checks", "sibling"]
