"""The commands: `autograder import otter` and `autograder export gradescope` through the CLI's main."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from autograder.cli import main
from tests.interchange.helpers import EXCEPTION_EXAMPLE, course


def test_import_then_export_through_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = course(tmp_path)
    assert main(["--config", str(config), "import", "otter", str(EXCEPTION_EXAMPLE), "--id", "hw",
                 "--into", str(tmp_path / "solutions")]) == 0
    printed = capsys.readouterr().err
    assert "wrote" in printed and "3 questions, 6 points (q1: 4, q3: 1, q8: 1)" in printed
    assert "question q4 is graded by hand" in printed
    folder = tmp_path / "solutions" / "hw"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["hw.ipynb", "public_checks.py", "hidden_checks.py", "reference.py", "messages.py", "assignment.yaml",
         "IMPORT_REPORT.md"])
    again = main(["--config", str(config), "import", "otter", str(EXCEPTION_EXAMPLE), "--id", "hw",
                  "--into", str(tmp_path / "solutions")])
    assert again == 2 and "exists already" in capsys.readouterr().err  # names the folder and what to do
    zipped = tmp_path / "hw.zip"
    assert main(["--config", str(config), "export", "gradescope", "hw", "--output", str(zipped)]) == 0
    with zipfile.ZipFile(zipped) as archive:
        assert {"setup.sh", "run_autograder", "course/solutions/hw/hidden_checks.py"} <= set(archive.namelist())
        assert "--assignment hw" in archive.read("run_autograder").decode()


def test_a_bad_id_and_an_unknown_assignment_are_usage_errors(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    config = course(tmp_path)
    assert main(["--config", str(config), "import", "otter", str(EXCEPTION_EXAMPLE), "--id", "Bad-Id",
                 "--into", str(tmp_path / "solutions")]) == 2
    assert "use lower-case letters" in capsys.readouterr().err
    assert main(["--config", str(config), "export", "gradescope", "nothing"]) == 2
    assert "is not an assignment folder" in capsys.readouterr().err
