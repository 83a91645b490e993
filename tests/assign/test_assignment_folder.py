"""An assignment is a folder of solutions/: discovered by scanning it, its defaults in ``assignment.yaml``.

The course's grading_config.yaml still lists or overrides it: a key under ``assignments.<id>`` wins.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from autograder.config import load_config
from autograder.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def _assignment(course: Path, name: str, defaults: str | None) -> Path:
    folder = course / "solutions" / name
    folder.mkdir(parents=True)
    (folder / f"{name}.ipynb").write_text("{}", encoding="utf-8")
    (folder / "public_checks.py").write_text("", encoding="utf-8")
    if defaults is not None:
        (folder / "assignment.yaml").write_text(defaults, encoding="utf-8")
    return folder


def _course(tmp_path: Path, config: str = "") -> Path:
    path = tmp_path / "grading_config.yaml"
    path.write_text(config, encoding="utf-8")
    return path


def test_a_folder_with_its_notebook_checks_and_points_is_an_assignment_without_a_config_entry(tmp_path: Path) -> None:
    _assignment(tmp_path, "hw1", "points: {q1: 2, q2: 3}\nlimits: {wall_time_s: 90, memory_mb: 1024}\nworkers: 1\n")
    _assignment(tmp_path, "notes", None)  # an assignment folder without points: not gradable, named when asked
    (tmp_path / "solutions" / "helpers").mkdir()  # not an assignment: no notebook, no checks
    config = load_config(_course(tmp_path, "limits: {wall_time_s: 300, tmp_mb: 128}\nassignments:\n"))
    assert sorted(config.assignments) == ["hw1"]  # an empty `assignments:` (all in their folders) is none listed
    assert config.assignment("hw1").points == {"q1": 2, "q2": 3}
    assert config.assignment("hw1").workers == 1
    limits = config.limits_for("hw1")
    # like an assignment's limits in the course config: instead of the course's, unnamed keys at their defaults
    assert (limits.wall_time_s, limits.memory_mb, limits.tmp_mb) == (90, 1024, 512)
    with pytest.raises(ConfigError) as raised:
        config.assignment("notes")
    assert raised.value.path == str(tmp_path / "solutions" / "notes" / "assignment.yaml")
    assert "has no points" in raised.value.problem


def test_a_key_in_the_course_config_wins_over_the_folders(tmp_path: Path) -> None:
    _assignment(tmp_path, "hw1", "points: {q1: 2, q2: 3}\nlimits: {wall_time_s: 90, memory_mb: 1024}\n")
    config = load_config(_course(tmp_path, "assignments:\n  hw1:\n    points: {q1: 5, q2: 5}\n"
                                           "    limits: {memory_mb: 4096}\n    due: 2026-12-01T23:59:00+09:00\n"))
    assert config.assignment("hw1").points == {"q1": 5, "q2": 5}
    assert (config.limits_for("hw1").wall_time_s, config.limits_for("hw1").memory_mb) == (90, 4096)
    assert config.assignment("hw1").due is not None
    # a course that lists an assignment whose folder has no assignment.yaml works as before
    _assignment(tmp_path, "hw2", None)
    config = load_config(_course(tmp_path, "assignments:\n  hw2:\n    points: {q1: 1}\n"))
    assert sorted(config.assignments) == ["hw1", "hw2"] and config.assignment("hw2").points == {"q1": 1}
    assert config.limits_for("hw2") == config.limits


@pytest.mark.parametrize(("text", "key", "problem"), [
    ("points: [4, 4]\n", "points", "valid dictionary"),
    ("point: {q1: 1}\n", "point", "did you mean 'points'"),
    ("points: {q1: 1}\nlimits: {wall_time: 9}\n", "wall_time", "did you mean 'wall_time_s'"),
    ("points: {q1: 1}\nlimits: {memory_mb: 1}\n", "memory_mb", "greater than or equal to 64"),
    ("points: {q1: 1\n", None, "not valid YAML"),
    ("- q1\n", None, "top level must be a mapping"),
])
def test_a_bad_assignment_yaml_is_an_error_naming_the_file_and_key(tmp_path: Path, text: str, key: str | None,
                                                                   problem: str) -> None:
    _assignment(tmp_path, "hw1", text)
    with pytest.raises(ConfigError) as raised:
        load_config(_course(tmp_path))
    assert raised.value.path == str(tmp_path / "solutions" / "hw1" / "assignment.yaml")
    assert raised.value.key == key and problem in raised.value.problem, (raised.value.key, raised.value.problem)


def test_the_repositorys_assignments_keep_their_points_and_limits_from_their_folders() -> None:
    config = load_config(ROOT / "grading_config.yaml")
    listed = yaml.safe_load((ROOT / "grading_config.yaml").read_text(encoding="utf-8"))["assignments"]
    for name in ("tensor_ops", "loss_activation", "vgg16_transfer", "activity_lstm"):
        assert name not in listed and (ROOT / "solutions" / name / "assignment.yaml").is_file(), name
    assert config.assignment("tensor_ops").points == {f"q{i}": 4 for i in range(1, 7)}
    assert config.limits_for("loss_activation").tmp_mb == 512  # its limits never named tmp_mb: the default
    assert config.limits_for("vgg16_transfer").model_mb == 128
    assert sorted(config.assignments) == sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir())
