"""The exported Gradescope zip: its files, and run_autograder in a simulated Gradescope layout.

The layout is Gradescope's (its "autograder specifications"): the zip extracted into ``<root>/autograder/source``,
the student's files in ``<root>/autograder/submission``, ``results.json`` expected in ``<root>/autograder/results``.
``run_autograder`` is run with bash as Gradescope runs it, with the root and the interpreter given by environment
variables and the zip's own copy of the package first on the path; ``setup.sh`` is inspected, never executed.
``results.json`` is validated against the fields Gradescope documents (written out here from its docs).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from autograder.interchange.gradescope_export import ENV_PYTHON, ENV_ROOT, export_gradescope
from autograder.interchange.otter_import import import_otter
from tests.interchange.helpers import GENERATE_OTTER, course, wrong_copy

VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}
TOP_LEVEL = {"score": (int, float), "execution_time": (int, float), "output": str, "output_format": str,
             "test_output_format": str, "test_name_format": str, "visibility": str, "stdout_visibility": str,
             "extra_data": dict, "tests": list, "leaderboard": list}
TEST_FIELDS = {"score": (int, float), "max_score": (int, float), "status": str, "name": str, "name_format": str,
               "number": str, "output": str, "output_format": str, "tags": list, "visibility": str,
               "extra_data": dict}
FORMATS = {"text", "html", "simple_format", "md", "ansi"}


def validate_results(data: Any) -> list[str]:
    """What in ``data`` breaks Gradescope's documented results.json format (empty: nothing)."""
    problems: list[str] = []
    if not isinstance(data, dict):
        return ["the top level is not an object"]
    for key, value in data.items():
        if key not in TOP_LEVEL:
            problems.append(f"unknown top-level field {key!r}")
        elif not isinstance(value, TOP_LEVEL[key]) or isinstance(value, bool):
            problems.append(f"{key} has type {type(value).__name__}")
    for key in ("visibility", "stdout_visibility"):
        if key in data and data[key] not in VISIBILITIES:
            problems.append(f"{key} {data[key]!r} is not one of {sorted(VISIBILITIES)}")
    for key in ("output_format", "test_output_format", "test_name_format"):
        if key in data and data[key] not in FORMATS:
            problems.append(f"{key} {data[key]!r}")
    tests = data.get("tests", [])
    if "score" not in data and not all(isinstance(t, dict) and "score" in t for t in tests):
        problems.append("no top-level score and a test without a score")
    for number, test in enumerate(tests if isinstance(tests, list) else [], 1):
        if not isinstance(test, dict):
            problems.append(f"test {number} is not an object")
            continue
        for key, value in test.items():
            if key not in TEST_FIELDS:
                problems.append(f"test {number}: unknown field {key!r}")
            elif not isinstance(value, TEST_FIELDS[key]) or isinstance(value, bool):
                problems.append(f"test {number}: {key} has type {type(value).__name__}")
        if test.get("visibility", "visible") not in VISIBILITIES:
            problems.append(f"test {number}: visibility {test.get('visibility')!r}")
        if test.get("status", "passed") not in ("passed", "failed"):
            problems.append(f"test {number}: status {test.get('status')!r}")
        if not all(isinstance(t, str) for t in test.get("tags", [])):
            problems.append(f"test {number}: a tag is not a string")
        if isinstance(test.get("score"), int | float) and isinstance(test.get("max_score"), int | float) \
                and not 0 <= test["score"] <= test["max_score"]:
            problems.append(f"test {number}: score {test['score']} outside 0..{test['max_score']}")
    return problems


def test_the_validator_finds_what_gradescope_would_refuse() -> None:
    good = {"score": 1.0, "visibility": "visible", "tests": [{"name": "a", "score": 1, "max_score": 1}]}
    assert validate_results(good) == []
    assert validate_results({**good, "visibility": "students"}) != []
    assert validate_results({**good, "tests": [{"name": "a", "score": "1", "max_score": 1}]}) != []
    assert validate_results({**good, "tests": [{"name": "a", "score": 2, "max_score": 1}]}) != []
    assert validate_results({"tests": [{"name": "a"}]}) != []
    assert validate_results({**good, "grade": 1}) != []


def _run(root: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    source = root / "autograder" / "source"
    env = {**os.environ, ENV_ROOT: str(root), ENV_PYTHON: sys.executable, "PYTHONPATH": str(source / "package")}
    return subprocess.run(["bash", str(source / "run_autograder")], cwd=root / "autograder", env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("gradescope")
    config = course(base / "course")
    imported = import_otter(GENERATE_OTTER, into=base / "course" / "solutions")
    zipped = export_gradescope(imported.assignment, config_path=config, output=base / "autograder.zip")
    root = base / "root"
    for folder in ("source", "submission", "results"):
        (root / "autograder" / folder).mkdir(parents=True)
    with zipfile.ZipFile(zipped) as archive:
        archive.extractall(root / "autograder" / "source")
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in archive.infolist()}
    return {"zip": zipped, "root": root, "modes": modes, "imported": imported}


def test_the_zip_has_gradescope_files_at_its_root_and_the_bundle(exported: dict[str, Any]) -> None:
    modes = exported["modes"]
    name = exported["imported"].assignment
    assert modes["setup.sh"] == 0o755 and modes["run_autograder"] == 0o755
    for path in ("package/pyproject.toml", "package/autograder/interchange/gradescope_run.py",
                 f"course/solutions/{name}/hidden_checks.py", f"course/solutions/{name}/{name}.ipynb",
                 "course/grading_config.yaml"):
        assert path in modes, path
    assert not any("__pycache__" in p for p in modes)
    setup = (exported["root"] / "autograder" / "source" / "setup.sh").read_text()
    assert "python3.11 -m venv /autograder/venv" in setup and "pip install /autograder/source/package" in setup
    assert subprocess.run(["bash", "-n", "-c", setup], check=False).returncode == 0  # parsed, not executed


@pytest.mark.slow
def test_run_autograder_grades_the_submission_into_a_valid_results_json(exported: dict[str, Any]) -> None:
    root = exported["root"]
    reference = exported["imported"].folder / f"{exported['imported'].assignment}.ipynb"
    wrong_copy(reference, root / "autograder" / "submission" / "homework.ipynb")
    (root / "autograder" / "submission" / "notes.txt").write_text("not graded")
    done = _run(root)
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads((root / "autograder" / "results" / "results.json").read_text(encoding="utf-8"))
    assert validate_results(data) == []
    assert data["score"] == pytest.approx(2.25)  # as `otter run` gives this wrong answer (test_otter_roundtrip)
    assert sum(t["score"] for t in data["tests"]) == pytest.approx(data["score"])
    # each check's share is rounded to 4 decimals by the results writer: q3's three thirds add up to 0.9999
    assert sum(t["max_score"] for t in data["tests"]) == pytest.approx(4.75, abs=1e-3)
    visibility = {t["visibility"] for t in data["tests"] if "hidden" in t["tags"]}
    assert visibility == {"after_due_date"}
    assert {t["visibility"] for t in data["tests"] if "public" in t["tags"]} == {"visible"}
    hidden_outputs = " ".join(t["output"] for t in data["tests"] if "hidden" in t["tags"])
    assert "square(1)" not in hidden_outputs  # a hidden case's code is never shown


def test_a_submission_without_a_notebook_still_gets_a_results_json(tmp_path: Path,
                                                                   exported: dict[str, Any]) -> None:
    root = tmp_path / "root"
    source = exported["root"] / "autograder" / "source"
    (root / "autograder" / "submission").mkdir(parents=True)
    (root / "autograder" / "source").symlink_to(source)
    (root / "autograder" / "submission" / "answer.pdf").write_bytes(b"%PDF-1.4")
    done = _run(root, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads((root / "autograder" / "results" / "results.json").read_text(encoding="utf-8"))
    assert validate_results(data) == [] and data["score"] == 0 and data["tests"] == []
    assert "No notebook (.ipynb)" in data["output"] and "노트북(.ipynb)" in data["output"]
