"""Thresholds for performance checks, calibrated from the reference solution.

``autograder calibrate <assignment>`` runs ``solutions/<id>/<id>.ipynb`` in the
sandbox, under the grading budget, once per seed, and runs every check with
performance checks only measuring. Per metric it keeps every seed's value, the
reference (the *worst* seed, so the reference solution passes whatever seed a
grading run uses) and the threshold (the reference minus the check's stated
margin for accuracy-like metrics, plus it for error-like ones). The file,
``solutions/<id>/calibration.json``, sits with the instructor's sources, and
grading reads it.
"""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.checks.core import Metric, Threshold
from autograder.errors import ConfigError

CALIBRATION_FILE = "calibration.json"


def load_thresholds(solution_dir: Path, metrics: Mapping[str, Metric]) -> dict[str, Threshold]:
    """Thresholds for ``metrics`` from ``calibration.json`` (none if the file does not exist).

    The threshold is re-derived from the stored reference with the check's
    current margin, so editing a margin does not need a new calibration.
    """
    path = solution_dir / CALIBRATION_FILE
    if not path.exists() or not metrics:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        stored = data["metrics"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConfigError(str(path), f"unreadable calibration ({error}); run `autograder calibrate` again") from error
    thresholds = {}
    for name, metric in metrics.items():
        entry = stored.get(name) if isinstance(stored, dict) else None
        if not isinstance(entry, dict) or not isinstance(entry.get("reference"), int | float):
            continue
        reference = float(entry["reference"])
        thresholds[name] = Threshold(name, reference, metric.threshold(reference))
    return thresholds


@dataclass(frozen=True)
class MetricCalibration:
    """One metric's calibration: every seed's value, the reference and the threshold."""

    metric: Metric
    values: tuple[float, ...]

    @property
    def reference(self) -> float:
        """The worst value over the seeds."""
        return min(self.values) if self.metric.goal == "max" else max(self.values)

    @property
    def threshold(self) -> float:
        """The pass mark graded against."""
        return self.metric.threshold(self.reference)

    def to_json(self) -> dict[str, Any]:
        """The stored form."""
        return {"goal": self.metric.goal, "margin": self.metric.margin, "values": list(self.values),
                "reference": self.reference, "threshold": self.threshold}


def summarise(metrics: Mapping[str, Metric], measured: Sequence[Mapping[str, float]]) -> dict[str, MetricCalibration]:
    """Combine per-seed measurements; a metric missing from any seed is an error (the reference failed)."""
    combined = {}
    for name, metric in metrics.items():
        values = [run[name] for run in measured if name in run]
        if len(values) != len(measured) or not values:
            raise ConfigError(CALIBRATION_FILE, f"the reference solution did not produce {name!r} in every run")
        combined[name] = MetricCalibration(metric, tuple(values))
    return combined


def write(path: Path, assignment: str, seeds: Sequence[int], budget: Mapping[str, Any],
          metrics: Mapping[str, MetricCalibration], seconds: Sequence[float]) -> None:
    """Write ``calibration.json`` with what was measured, where and under which budget."""
    data = {
        "assignment": assignment, "created": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "machine": {"platform": platform.platform(), "processor": platform.processor() or platform.machine(),
                    "cpus": os.cpu_count()},
        "seeds": list(seeds), "budget": dict(budget), "seconds_per_run": [round(s, 1) for s in seconds],
        "metrics": {name: m.to_json() for name, m in sorted(metrics.items())},
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
