"""Reference helpers of "activity_lstm": code that computes answers. Never handed out.

``autograder assign`` runs :func:`public_expected` and writes its values beside the handed-out
``public_checks.py`` as ``public_expected.json``; the public checks compare the student's windows with those
values (``public_expected(__file__)``), and the hidden checks call :func:`windows_expected` for their random
sequences (``sibling(__file__, "reference.py")``). See :mod:`autograder.checks.expected`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from autograder.author import sibling

public = sibling(__file__)  # the public checks' inputs (the notes' example; inputs are not answers)


def windows_expected(sequences: np.ndarray, n_steps: int) -> tuple[np.ndarray, np.ndarray]:
    """The right answer of ``split_sequences``: every window of ``n_steps`` rows (all columns but the last) and
    its most common label (the first seen on a tie)."""
    count = len(sequences) - n_steps + 1
    x = np.stack([sequences[i:i + n_steps, :-1] for i in range(count)])
    y = np.array([Counter(sequences[i:i + n_steps, -1].tolist()).most_common(1)[0][0] for i in range(count)])
    return x, y


def public_expected() -> dict[str, Any]:
    """The expected outputs for the public checks' inputs."""
    x, y = windows_expected(public.DEMO, public.DEMO_STEPS)
    return {"split_demo": {"x": x, "y": y}}
