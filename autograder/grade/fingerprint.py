"""What a grade depends on, as hashes: a run re-grades a submission only when one of them changed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from autograder.assignment_files import HIDDEN_CHECKS, PUBLIC_CHECKS
from autograder.config import GradingConfig
from autograder.grade.assignment import Assignment
from autograder.grade.calibration import CALIBRATION_FILE


def _files_digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        items = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for item in items:
            if item.exists():
                digest.update(str(item.name).encode() + b"\0" + item.read_bytes() + b"\0")
    return digest.hexdigest()


def checks_hash(assignment: Assignment) -> str:
    """The assignment's checks, calibration and hand-outs."""
    folder = assignment.solution_dir
    sources = [folder / name for name in (PUBLIC_CHECKS, HIDDEN_CHECKS, CALIBRATION_FILE)]
    return _files_digest([p for p in sources if p.exists()] + list(assignment.handouts))


def config_hash(config: GradingConfig, assignment: Assignment) -> str:
    """The settings a grade depends on: points, limits, seed, data files (not the feedback language)."""
    settings = config.assignment(assignment.name)
    data = {"points": settings.points, "limits": assignment.limits.model_dump(), "seed": config.seed,
            "data_files": assignment.data_files, "isolation": config.isolation, "max_cells": config.max_cells}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def submission_fingerprint(content_hash: str, checks: str, settings: str) -> str:
    """One submission's grade key: its notebook, the checks, the settings."""
    return hashlib.sha256(f"{content_hash}:{checks}:{settings}".encode()).hexdigest()
