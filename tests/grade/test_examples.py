"""The main job, as a user runs it: assign, then grade the bundled examples through the CLI."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {"kim_minji": 24.0, "lee_junho": 17.5, "park_seoyeon": 17.0, "choi_hacker": 0.0}


@pytest.fixture
def course(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "solutions", tmp_path / "solutions")
    shutil.copy(ROOT / "grading_config.yaml", tmp_path)
    return tmp_path


def test_assign_removes_every_solution_and_hands_out_only_public_checks(course: Path) -> None:
    assert main(["--config", str(course / "grading_config.yaml"), "assign", "tensor_ops"]) == 0
    made = course / "assignments" / "tensor_ops"
    assert sorted(p.name for p in made.iterdir()) == ["public_checks.py", "tensor_ops.ipynb"]
    notebook = nbformat.read(made / "tensor_ops.ipynb", as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert "BEGIN SOLUTION" not in text and "x = x.copy()" not in text
    assert text.count("YOUR CODE HERE") == 6
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")


@pytest.mark.slow
def test_grading_the_examples_gives_the_intended_scores(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = str(course / "grading_config.yaml")
    assert main(["--config", config, "grade", "tensor_ops", str(course / "solutions/tensor_ops/examples")]) == 0
    results = course / "results" / "tensor_ops"
    rows = {row["student"]: row for row in csv.DictReader((results / "grades.csv").open(encoding="utf-8"))}
    assert {name: float(row["total"]) for name, row in rows.items()} == EXPECTED
    assert {row["status"] for row in rows.values()} == {"graded"}
    lee = json.loads((results / "lee_junho.json").read_text(encoding="utf-8"))
    q1 = next(q for q in lee["questions"] if q["question"] == "q1")
    failed = [c for c in q1["checks"] if c["status"] == "failed"]
    assert [c["name"] for c in failed] == ["relu_uses_loops"]
    assert "반복문" in failed[0]["message"]  # the course language is Korean
    park = json.loads((results / "park_seoyeon.json").read_text(encoding="utf-8"))
    assert {c["ename"] for c in park["cells"]} == {"SyntaxError", "NameError"}
    assert "kim_minji" in capsys.readouterr().err
