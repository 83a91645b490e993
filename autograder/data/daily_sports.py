"""UCI Daily and Sports Activities, read from UCI's own zip layout, as the study notes use it.

The archive holds ``data/aNN/pM/sKK.txt``: 19 activities x 8 subjects x
segments (the course copy has s01-s30 of UCI's 60); each file is 125 rows
(5 s at 25 Hz) x 45 comma-separated columns, five sensor units (T, RA, LA, RL,
LL) of nine channels each (x/y/z accelerometer, gyroscope, magnetometer).

:func:`load_unit` returns one unit's nine channels with the activity, subject
and segment of every row, rows in time order within each recording
(activity, subject, then segment and row), which is the table the notes build
with pandas: nine feature columns plus an ``activity`` column. Works the same
in the grader and in the sandbox (the data folder is mounted read-only there).
"""

from __future__ import annotations

import functools
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

UNITS = ("T", "RA", "LA", "RL", "LL")
CHANNELS = ("xacc", "yacc", "zacc", "xgyro", "ygyro", "zgyro", "xmag", "ymag", "zmag")
ROWS_PER_SEGMENT = 125
_MEMBER = re.compile(r"^(?:.*/)?a(\d\d)/p(\d)/s(\d\d)\.txt$")


@dataclass(frozen=True)
class ActivityTable:
    """One unit's readings: ``features`` (n, 9) float32 and per-row ``activity`` (1-19), ``subject``, ``segment``."""

    unit: str
    features: np.ndarray
    activity: np.ndarray
    subject: np.ndarray
    segment: np.ndarray

    @property
    def columns(self) -> tuple[str, ...]:
        """Column names as the notes write them: ``LA_xacc`` ... plus ``activity``."""
        return (*(f"{self.unit}_{c}" for c in CHANNELS), "activity")

    def table(self) -> np.ndarray:
        """The notes' table: nine feature columns then the activity label, float64, shape (n, 10)."""
        return np.column_stack([self.features.astype(np.float64), self.activity.astype(np.float64)])

    def where(self, mask: np.ndarray) -> ActivityTable:
        """The rows selected by ``mask`` (e.g. ``table.subject <= 6``), order kept."""
        return ActivityTable(self.unit, self.features[mask], self.activity[mask], self.subject[mask],
                             self.segment[mask])


@functools.cache
def _read(path: str, mtime: float) -> tuple[np.ndarray, np.ndarray]:
    """Every row of every segment (n, 45) and its (activity, subject, segment), sorted."""
    with zipfile.ZipFile(path) as archive:
        members = []
        for name in archive.namelist():
            match = _MEMBER.match(name)
            if match:
                members.append((tuple(int(g) for g in match.groups()), name))
        members.sort()
        if not members:
            raise ValueError(f"{path}: no data/aNN/pM/sKK.txt members; is this the UCI Daily and Sports zip?")
        blocks, keys = [], []
        for key, name in members:
            text = archive.read(name).decode("ascii")
            values = np.array(text.replace("\r", "").replace("\n", ",").strip(",").split(","), dtype=np.float32)
            if values.size % 45:
                raise ValueError(f"{path}:{name}: expected 45 columns per row")
            block = values.reshape(-1, 45)
            blocks.append(block)
            keys.append(np.repeat(np.array([key], dtype=np.int16), len(block), axis=0))
    return np.concatenate(blocks), np.concatenate(keys)


def load_unit(path: str | Path, unit: str = "LA") -> ActivityTable:
    """Read ``unit``'s nine channels from the archive at ``path`` (cached per file)."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    file = Path(path)
    readings, keys = _read(str(file.resolve()), file.stat().st_mtime)
    start = UNITS.index(unit) * len(CHANNELS)
    return ActivityTable(unit, readings[:, start:start + len(CHANNELS)].copy(), keys[:, 0].astype(np.int64),
                         keys[:, 1].astype(np.int64), keys[:, 2].astype(np.int64))
