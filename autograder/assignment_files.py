"""The names of an assignment's check files, the same for the grader, ``autograder assign`` and ``grader.check``.

``solutions/<id>/`` holds both; ``assign`` hands out :data:`PUBLIC_CHECKS` only.
This module imports nothing, so the student side and every stage can use it.
"""

PUBLIC_CHECKS = "public_checks.py"  # handed out: students run it with grader.check
HIDDEN_CHECKS = "hidden_checks.py"  # never leaves solutions/
