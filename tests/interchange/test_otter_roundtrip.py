"""otter-grader's own example masters, imported and graded here, against `otter run` on the same wrong answer.

For each master (tests/interchange/fixtures/, from otter-grader's repository): ``import_otter`` writes the
assignment, ``autograder assign`` hands it out, and the reference notebook plus a wrong copy of it (x = 4, square
adds one) are graded in our sandbox. The same master goes through ``otter assign``; the same wrong edit of otter's
autograder notebook goes through ``otter run`` with the generated autograder zip. The reference earns full marks,
and the wrong answer earns the same fraction of the points here as there (and the same points per question).
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from rich.console import Console

from autograder.assign import main as assign
from autograder.grade import main as grade
from autograder.interchange.otter_import import import_otter
from tests.interchange.helpers import EXCEPTION_EXAMPLE, GENERATE_OTTER, course, wrong_copy

pytestmark = pytest.mark.slow
OTTER = Path(sys.executable).with_name("otter")


def otter_run(zipped: Path, notebook: Path, work: Path) -> tuple[float, dict[str, float]]:
    """``otter run`` of ``notebook`` with the autograder zip: the fraction of the points and points per question."""
    out = work / f"res-{notebook.parent.name}"
    out.mkdir()
    done = subprocess.run([str(OTTER), "run", "-a", str(zipped), "-o", str(out), str(notebook)], cwd=work,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    tests = json.loads((out / "results.json").read_text())["tests"]
    scored = [t for t in tests if t.get("max_score") is not None]
    fraction = sum(t["score"] for t in scored) / sum(t["max_score"] for t in scored)
    return fraction, {t["name"]: float(t["score"]) for t in scored}


def _otter_assign(master: Path, tmp: Path) -> tuple[Path, Path]:
    """``otter assign`` of the master: its autograder zip and its autograder (solution) notebook."""
    work = tmp / "otter"
    shutil.copytree(master.parent, work)
    done = subprocess.run([str(OTTER), "assign", master.name, "out"], cwd=work, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    (zipped,) = (work / "out" / "autograder").glob("*.zip")
    return zipped, work / "out" / "autograder" / master.name


@pytest.fixture(scope="module", params=[GENERATE_OTTER, EXCEPTION_EXAMPLE], ids=["generate-otter", "exception"])
def graded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    master: Path = request.param
    root = tmp_path_factory.mktemp("otter-import")
    config = course(root / "course")
    imported = import_otter(master, into=root / "course" / "solutions")
    name = imported.assignment
    assign(assignment=name, config_path=config)
    reference = imported.folder / f"{name}.ipynb"
    subs = root / "course" / "subs"
    subs.mkdir()
    shutil.copyfile(reference, subs / "right.ipynb")
    wrong_copy(reference, subs / "wrong.ipynb")
    grade(assignment=name, inputs=[subs], config_path=config, console=Console(file=io.StringIO(), width=200))
    results = root / "course" / "results" / name
    detail = {s: json.loads((results / f"{s}.json").read_text(encoding="utf-8")) for s in ("right", "wrong")}
    zipped, solution = _otter_assign(master, root)
    wrong = wrong_copy(solution, root / "otter" / "wrong" / master.name)
    otter_fraction, otter_points = otter_run(zipped, wrong, root / "otter")
    return {"imported": imported, "detail": detail, "otter": otter_fraction, "otter_points": otter_points,
            "root": root, "config": config, "otter_zip": zipped, "otter_solution": solution}


def test_the_reference_earns_full_marks(graded: dict[str, Any]) -> None:
    right = graded["detail"]["right"]
    assert right["status"] == "graded"
    assert {q["question"]: q["points"] for q in right["questions"]} == graded["imported"].points
    assert all(c["status"] == "passed" for q in right["questions"] for c in q["checks"])


def test_the_wrong_answer_earns_what_otter_run_gives(graded: dict[str, Any]) -> None:
    wrong = graded["detail"]["wrong"]
    ours = {q["question"]: q["points"] for q in wrong["questions"]}
    total = sum(graded["imported"].points.values())
    assert 0 < graded["otter"] < 1  # the wrong answer passes some tests and fails others
    assert sum(ours.values()) / total == pytest.approx(graded["otter"])
    assert ours == pytest.approx({q: graded["otter_points"][q] for q in ours})


def test_the_hand_out_holds_no_answer_and_no_hidden_case(graded: dict[str, Any]) -> None:
    imported = graded["imported"]
    out = graded["root"] / "course" / "assignments" / imported.assignment
    template = "\n".join(c.source for c in nbformat.read(out / f"{imported.assignment}.ipynb", as_version=4).cells)
    assert "x = 2" not in template and "y = x * x" not in template and "BEGIN SOLUTION" not in template
    handed = (out / "public_checks.py").read_text() + (out / "public_expected.json").read_text()
    assert "square(1)" not in handed  # q3's hidden case (both masters) stays in hidden_checks.py
    assert "square(1)" in (imported.folder / "hidden_checks.py").read_text()


def test_what_is_not_converted_is_listed_in_the_report(graded: dict[str, Any]) -> None:
    imported = graded["imported"]
    report = imported.report.read_text(encoding="utf-8")
    for item in imported.not_converted:
        assert item in report
    assert "question q4 is graded by hand (manual: true, 2 points)" in report
    assert "question question5 has no test cases" in report
    assert any(i.startswith("assignment config") for i in imported.not_converted)


CHEAT = ("\nimport numpy as np\nnp.allclose = lambda *args, **kwargs: True  # every closeness test passes\n"
         "z = np.zeros(10)\n")


@pytest.mark.parametrize("graded", [EXCEPTION_EXAMPLE], ids=["exception"], indirect=True)
def test_a_notebook_that_patches_numpy_fools_otter_run_but_not_the_converted_check(graded: dict[str, Any]) -> None:
    """exception-example's hidden q8 test is ``np.allclose(z, [...])``: otter runs it with the student's ``np``."""
    imported = graded["imported"]
    assert imported.assignment == "exception_example"
    root = graded["root"]

    def cheat(notebook: Path, target: Path) -> Path:
        nb = nbformat.read(notebook, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(CHEAT))
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)
        return target

    _, otter_points = otter_run(graded["otter_zip"], cheat(graded["otter_solution"],
                                root / "otter" / "cheat" / "exception-example.ipynb"), root / "otter")
    assert otter_points["q8"] == 1.0  # z is all zeros, yet otter gives q8 its full point
    subs = root / "course" / "cheat"
    cheat(imported.folder / f"{imported.assignment}.ipynb", subs / "cheater.ipynb")
    grade(assignment=imported.assignment, inputs=[subs], config_path=graded["config"],
          console=Console(file=io.StringIO(), width=200))
    detail = json.loads((root / "course" / "results" / imported.assignment / "cheater.json").read_text())
    points = {q["question"]: q["points"] for q in detail["questions"]}
    assert points["q8"] == 0.5  # the length test passes; the values test compares with the grader's numpy
    assert points["q1"] == 4.0 and points["q3"] == 1.0  # the rest of the honest answers keep their points
