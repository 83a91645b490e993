"""grading_config.yaml: validated once, errors name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.config import load_config, parse_config
from autograder.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def test_the_shipped_config_is_valid() -> None:
    config = load_config(ROOT / "grading_config.yaml")
    assert config.assignment("tensor_ops").points["q1"] == 4
    assert config.results_dir == ROOT / "results"


@pytest.mark.parametrize(("data", "key", "hint"), [
    ({"limts": {}}, "limts", "did you mean 'limits'"),
    ({"limits": {"memry_mb": 1}}, "limits.memry_mb", "did you mean 'memory_mb'"),
    ({"limits": {"memory_mb": "lots"}}, "limits.memory_mb", "integer"),
    ({"language": "fr"}, "language", "'ko' or 'en'"),
    ({"assignments": {"a": {}}}, "assignments.a.points", "Field required"),
])
def test_errors_name_the_file_and_key(data: dict[str, object], key: str, hint: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(data, "course.yaml", Path("."))
    assert caught.value.key == key and caught.value.path == "course.yaml"
    assert hint in str(caught.value)


def test_unknown_assignment_lists_the_configured_ones() -> None:
    with pytest.raises(ConfigError, match=r"configured: .*tensor_ops"):
        load_config(ROOT / "grading_config.yaml").assignment("mnist")


def test_invalid_yaml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "g.yaml"
    bad.write_text("limits: [unclosed")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.yaml")
