"""The check library instructors write checks with.

    from autograder.checks import check, expect, View

    @check("q1", weight=3)
    def relu_matches_numpy(nb):
        x = np.array([[1.0, -2.0]])
        reply = nb.call("naive_relu", x)
        expect.array_close(expect.returned(reply, "naive_relu(x)"), np.maximum(x, 0), "naive_relu(x)")
"""

from autograder.checks import expect
from autograder.checks.core import CheckResult, CheckSpec, Handle, check, load_checks, run_checks
from autograder.sandbox.protocol import View

__all__ = ["CheckResult", "CheckSpec", "Handle", "View", "check", "expect", "load_checks", "run_checks"]
