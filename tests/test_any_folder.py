"""The main job from a fresh clone in odd places: under /tmp, under a home folder in a path with spaces
and Hangul, through a symlink, with the virtual environment's packages outside the checkout.

Each test clones this repository (what is committed), gives the clone a ready ``.venv`` and runs the
README's main command there, ``make grade-examples``, for real: the data step, ``assign`` and the
sandboxed grading of the bundled examples. Only ``pip install`` is left out (TensorFlow is a 600 MB
download): the clone's ``.venv`` is a real virtual environment whose module path has this checkout's
installed packages (``.pth``) and the clone itself, and whose install stamp is fresh, so make skips the
setup step and everything else runs as on a user's machine. ``ASSIGNMENTS=tensor_ops`` keeps it to the
examples that take seconds; the data step still fetches every assignment's data from a local mirror.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import sysconfig
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, SHARED_DATA
from tests.grade.test_examples import EXPECTED

pytestmark = pytest.mark.slow


def _clone(destination: Path, *, installed_as: Path | None = None) -> Path:
    """Clone this repository to ``destination`` with a ready ``.venv``; ``installed_as`` is the path the
    venv was made through (a symlink to the clone), default the clone's own path."""
    if not (REPO / ".git").exists() or shutil.which("git") is None or shutil.which("make") is None:
        pytest.skip("needs git, make and a git checkout of the project")
    destination.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(destination)], check=True)
    seen_as = installed_as or destination
    if installed_as is not None:
        installed_as.symlink_to(destination, target_is_directory=True)
    venv = seen_as / ".venv"
    subprocess.run([sys.base_prefix + "/bin/python3", "-m", "venv", "--without-pip", str(venv)], check=True)
    packages = Path(sysconfig.get_paths(vars={"base": str(venv), "platbase": str(venv)})["purelib"])
    ours = sysconfig.get_paths()["purelib"]
    (packages / "autograder-clone.pth").write_text(f"{seen_as}\n{ours}\n", encoding="utf-8")
    script = venv / "bin" / "autograder"  # what pip writes for a path with spaces: a sh wrapper
    script.write_text(f'#!/bin/sh\nexec "{venv}/bin/python" -m autograder.cli "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    (venv / ".installed").touch()
    return seen_as


def _grade_examples(checkout: Path, keras_home: Path, data_dir: Path, *assignments: str,
                    ) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AUTOGRADER_", "PYTEST", "KERAS"))}
    env.update(KERAS_HOME=str(keras_home), AUTOGRADER_DATA_DIR=str(data_dir))
    return subprocess.run(["make", "--no-print-directory", "grade-examples", f"ASSIGNMENTS={' '.join(assignments)}"],
                          cwd=checkout, env=env, capture_output=True, text=True, timeout=900, check=False)


def _totals(checkout: Path) -> dict[str, float]:
    with (checkout / "results" / "tensor_ops" / "grades.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert {row["status"] for row in rows} == {"graded"}, rows
    return {row["student"]: float(row["total"]) for row in rows}


@pytest.fixture
def data() -> Path:
    if SHARED_DATA is None:
        pytest.skip("the offline course data (../shared, see DATA.md) is not on this machine")
    return SHARED_DATA


@pytest.fixture
def home_folder(tmp_path: Path) -> Iterator[Path]:
    """A user's home: under /home when this process may write there, else inside the test's folder."""
    base = Path("/home")
    if base.is_dir() and os.access(base, os.W_OK):
        home = base / f"ag-test-{uuid.uuid4().hex[:8]}"
        home.mkdir()
        yield home
        shutil.rmtree(home, ignore_errors=True)
    else:
        yield tmp_path / "home"


def _assert_full_grades(run: subprocess.CompletedProcess[str], checkout: Path) -> None:
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert _totals(checkout) == EXPECTED
    assert "crashed" not in run.stderr


def test_a_clone_under_tmp_grades_the_examples(tmp_path: Path, data: Path) -> None:
    checkout = _clone(tmp_path / "ag")
    assert str(checkout).startswith(("/tmp/", os.environ.get("TMPDIR", "/tmp")))
    _assert_full_grades(_grade_examples(checkout, tmp_path / "keras", data, "tensor_ops"), checkout)


def test_a_clone_in_a_home_path_with_spaces_and_hangul(home_folder: Path, tmp_path: Path, data: Path) -> None:
    checkout = _clone(home_folder / "kim" / "딥러닝 과제" / "autograder")
    keras_home = tmp_path / "keras"
    run = _grade_examples(checkout, keras_home, data, "tensor_ops")
    _assert_full_grades(run, checkout)
    # the data step filled the Keras cache from the mirror, and an assignment on that data grades fully there
    assert (keras_home / "datasets" / "boston_housing.npz").is_file()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AUTOGRADER_", "PYTEST", "KERAS"))}
    env.update(KERAS_HOME=str(keras_home), AUTOGRADER_DATA_DIR=str(data))
    one = checkout / "solutions" / "kfold_regression" / "examples" / "jung_daeho.ipynb"
    graded = subprocess.run([str(checkout / ".venv" / "bin" / "autograder"), "grade", "kfold_regression", str(one)],
                            cwd=checkout, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert graded.returncode == 0, graded.stderr[-3000:]
    with (checkout / "results" / "kfold_regression" / "grades.csv").open(encoding="utf-8") as stream:
        row = next(csv.DictReader(stream))
    assert row["status"] == "graded", row
    assert float(row["total"]) == pytest.approx(3.6)  # jung_daeho: as in tests/assignments/test_kfold_regression.py


def test_a_symlinked_clone_grades_the_examples(tmp_path: Path, home_folder: Path, data: Path) -> None:
    checkout = _clone(tmp_path / "real" / "ag", installed_as=home_folder / "course-link")
    _assert_full_grades(_grade_examples(checkout, tmp_path / "keras", data, "tensor_ops"), checkout)


def test_without_data_the_main_command_refuses_clearly(tmp_path: Path) -> None:
    checkout = _clone(tmp_path / "ag")
    empty = tmp_path / "no-data"
    empty.mkdir()
    run = _grade_examples(checkout, tmp_path / "keras", empty, "tensor_ops", "kfold_regression")
    assert run.returncode != 0
    assert "NOT graded, their data is missing" in run.stderr and "kfold_regression" in run.stderr
    assert "boston_housing.npz" in run.stdout + run.stderr
    assert "autograder data fetch" in run.stderr
    assert _totals(checkout) == EXPECTED  # what needs no data was still graded
    assert not (checkout / "results" / "kfold_regression" / "grades.csv").exists()
