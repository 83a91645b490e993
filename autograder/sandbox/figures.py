"""Plots a notebook made, as the grader keeps them: re-encoded PNGs, never the sandbox's bytes.

The worker sends each cell's matplotlib figures as PNG bytes. They are
student-controlled, so the grader decodes them with Pillow (bounded size,
PNG only) and keeps its own re-encoding: what reaches a feedback page is an
image the grader wrote.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np

MAX_FIGURES = 8  # per submission
MAX_PNG_BYTES = 1_000_000
MAX_PIXELS = 2000 * 2000


def sanitize(data: bytes) -> bytes | None:
    """``data`` decoded as a PNG and encoded again, or ``None`` if it is not a reasonable PNG."""
    from PIL import Image

    if len(data) > MAX_PNG_BYTES or not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG" or image.width * image.height > MAX_PIXELS:
                return None
            image.load()
            clean = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    except Exception:  # noqa: BLE001  (Pillow raises many types for a hostile file)
        return None
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


def accept(value: Any, already: int) -> list[bytes]:
    """The sanitised PNGs in a ``run_cell`` reply's value (a list of uint8 arrays), within the limits."""
    if not isinstance(value, list):
        return []
    kept: list[bytes] = []
    for item in value:
        if already + len(kept) >= MAX_FIGURES:
            break
        if isinstance(item, np.ndarray) and item.dtype == np.uint8 and item.ndim == 1:
            png = sanitize(item.tobytes())
            if png is not None:
                kept.append(png)
    return kept
