"""The command line as a newcomer meets it: --version, --help, `config --describe`, the package metadata."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from pydantic import BaseModel

from autograder import cli
from autograder.config import AssignmentConfig, GradingConfig, LimitsConfig

ROOT = Path(__file__).resolve().parent.parent


def _subparsers(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(parser.prog, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found += _subparsers(child)
    return found


def test_version_is_the_installed_packages(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.strip() == f"autograder {metadata.version('keras-autograder')}"


def test_every_positional_argument_of_every_command_is_explained() -> None:
    commands = _subparsers(cli._parser())
    assert {"autograder grade", "autograder data status", "autograder data fetch", "autograder config"} <= {
        name for name, _ in commands}
    for name, parser in commands:
        for action in parser._actions:
            if not action.option_strings and not isinstance(action, argparse._SubParsersAction):
                assert action.help and len(action.help) > 20, (name, action.dest)
        text = parser.format_help()
        assert "usage:" in text


def test_help_is_written_for_users(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["grade", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "its folder in solutions/" in text and "LMS exports" in text
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    text = capsys.readouterr().out
    assert "thin router" not in text and "``" not in text  # not the module's docstring
    assert "3 an assignment's data is missing" in text and "autograder COMMAND --help" in text


def _walk(model: type[BaseModel], prefix: str = "") -> list[tuple[str, str]]:
    keys = []
    for name, info in model.model_fields.items():
        keys.append((prefix + name, info.description or ""))
    return keys


def test_config_describe_prints_every_key_with_type_default_and_description(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["config", "--describe"]) == 0
    out = capsys.readouterr().out
    expected = (_walk(GradingConfig) + _walk(LimitsConfig, "limits.")
                + _walk(LimitsConfig, "assignments.<assignment>.limits.")
                + _walk(AssignmentConfig, "assignments.<assignment>."))
    for key, description in expected:
        block = re.search(rf"^{re.escape(key)}\n    type: (.+); default: (.+)\n    (.*)$", out, re.MULTILINE)
        assert block is not None, key
        assert block.group(3) == description, key
    assert "limits.wall_time_s\n    type: float (> 0); default: 600\n" in out
    assert "limits.memory_mb\n    type: int (>= 64); default: 2048\n" in out
    assert "language\n    type: ko | en; default: ko\n" in out
    assert "data_dir\n    type: path or null; default: none\n" in out
    assert "assignments.<assignment>.points\n    type: mapping of str to float; default: required\n" in out
    assert "assignments.<assignment>.late_penalty_per_day\n    type: float (>= 0, <= 1); default: 0\n" in out


def test_the_config_file_points_to_a_command_that_exists() -> None:
    text = (ROOT / "grading_config.yaml").read_text(encoding="utf-8")
    assert "`autograder config --describe`" in text
    run = subprocess.run([sys.executable, "-m", "autograder.cli", "config", "--describe"], capture_output=True,
                         text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0 and "limits.cell_time_s" in run.stdout, run.stderr


def test_the_license_is_an_spdx_expression_without_a_conflicting_classifier() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
    assert not [c for c in project["project"].get("classifiers", []) if c.startswith("License ::")]
    requires = project["build-system"]["requires"]
    assert any(re.fullmatch(r"setuptools>=(\d+).*", r) and int(r.split(">=")[1].split(".")[0]) >= 77
               for r in requires), requires  # the first setuptools that reads an SPDX license string
