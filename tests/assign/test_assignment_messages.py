"""An assignment's own messages live in its folder (``messages.py``) and are registered where its results render.

The engine catalogue keeps only engine messages; a bad messages file is a ConfigError naming the file.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from autograder.checks import run_checks
from autograder.config import parse_config
from autograder.errors import ConfigError
from autograder.grade.assignment import load_assignment
from autograder.i18n import catalogue, engine_catalogue, message, register_assignment
from autograder.student import METADATA_KEY, LocalHandle, Notebook, course_metadata

ROOT = Path(__file__).resolve().parents[2]

CHECKS = '''\
from autograder.checks import check
from autograder.errors import CheckFailed


@check("q1")
def double_is_twice(nb):
    got = nb.call("double", 3).value
    if got != 6:
        raise CheckFailed("msgdemo.not_twice", found=repr(got))
'''
MESSAGES = '''\
"""Messages of msgdemo."""

MESSAGES = {
    "msgdemo.not_twice": {
        "en": "double(3) should be 6; found {found}. Fix: return 2 * x.",
        "ko": "double(3)은 6이어야 하는데 {found}입니다. 고치는 법: 2 * x를 반환하세요.",
    },
}
'''


def _folder(path: Path, messages: str = MESSAGES) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    (path / "public_checks.py").write_text(CHECKS, encoding="utf-8")
    (path / "messages.py").write_text(messages, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _forget(tmp_path: Path):  # each test starts with msgdemo unregistered, and leaves it so
    register_assignment(tmp_path / "nothing", "msgdemo")
    yield
    register_assignment(tmp_path / "nothing", "msgdemo")


def test_no_assignment_message_is_in_the_engine_catalogue() -> None:
    names = ("activity_lstm", "vgg16_transfer", "loss_activation", "mnist_cnn", "text_classification",
             "kfold_regression")
    moved = (*(f"{name}." for name in names), "activity.", "tc.", "kfold.")
    assert not [k for k in engine_catalogue() if k.startswith(moved)]
    for name in names:
        assert not (ROOT / "autograder" / "i18n" / f"messages_{name}.py").exists()
        assert (ROOT / "solutions" / name / "messages.py").is_file()


def test_registered_messages_render_in_both_languages_until_the_folder_has_none(tmp_path: Path) -> None:
    assert message("msgdemo.not_twice", "en", found="5") == "[msgdemo.not_twice] {'found': '5'}"
    assert register_assignment(_folder(tmp_path / "a"), "msgdemo") == tmp_path / "a" / "messages.py"
    assert message("msgdemo.not_twice", "en", found="5") == "double(3) should be 6; found 5. Fix: return 2 * x."
    assert "고치는 법" in message("msgdemo.not_twice", "ko", found="5")
    assert "msgdemo.not_twice" in catalogue() and "msgdemo.not_twice" not in engine_catalogue()
    _folder(tmp_path / "b", MESSAGES.replace("should be 6", "must be 6"))
    register_assignment(tmp_path / "b", "msgdemo")  # another folder of the same id replaces it
    assert message("msgdemo.not_twice", "en", found="5").startswith("double(3) must be 6")
    assert register_assignment(tmp_path / "nothing", "msgdemo") is None
    assert "msgdemo.not_twice" not in catalogue()


@pytest.mark.parametrize(("text", "problem"), [
    ('MESSAGES = {"other.x": {"ko": "가", "en": "a"}}', "outside the assignment's prefix"),
    ('MESSAGES = {"msgdemo": {"ko": "가", "en": "a"}}', "outside the assignment's prefix"),
    ('MESSAGES = {"msgdemo.x": {"ko": "가", "en": "a"},\n            "msgdemo.x": {"ko": "나", "en": "b"}}',
     "'msgdemo.x' defined twice (line 2)"),
    ('MESSAGES = {"msgdemo.x": {"en": "a"}}', "lacks ko"),
    ('MESSAGES = {"msgdemo.x": {"ko": "가", "en": ""}}', "lacks en"),
    ('MESSAGES = {"msgdemo.x": "a"}', "lacks ko, en"),
    ('TEXTS = {}', "defines no MESSAGES dict"),
    ('MESSAGES = {"msgdemo.x": {"ko": "가", "en": "a"}', "cannot be read as Python"),
    ('MESSAGES = {"msgdemo.x": {"ko": "가", "en": undefined}}', "does not run: NameError"),
])
def test_a_bad_messages_file_is_a_config_error_naming_the_file(tmp_path: Path, text: str, problem: str) -> None:
    folder = _folder(tmp_path / "bad", text + "\n")
    with pytest.raises(ConfigError) as raised:
        register_assignment(folder, "msgdemo")
    assert raised.value.path == str(folder / "messages.py")
    assert problem in raised.value.problem, raised.value.problem
    assert "msgdemo.x" not in catalogue()


def test_an_assignment_named_like_an_engine_stage_cannot_own_its_prefix(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "check", 'MESSAGES = {"check.mine": {"ko": "가", "en": "a"}}\n')
    with pytest.raises(ConfigError, match="the engine's"):
        register_assignment(folder, "check")
    assert "check.mine" not in catalogue()


def test_loading_an_assignment_for_grading_or_calibration_registers_its_messages(tmp_path: Path) -> None:
    _folder(tmp_path / "solutions" / "msgdemo")
    config = parse_config({"assignments": {"msgdemo": {"points": {"q1": 1}}}}, "grading_config.yaml", tmp_path)
    task = load_assignment(config, "msgdemo")
    results = run_checks(list(task.checks), LocalHandle({"double": lambda x: x + 1}, []), ["q1"])
    assert [r.render("en") for r in results] == ["double(3) should be 6; found 4. Fix: return 2 * x."]


def _notebook(path: Path, messages: str | None) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata[METADATA_KEY] = course_metadata("msgdemo", language="ko", call_time_s=5, questions=["q1"],
                                                      public_checks=CHECKS, messages=messages)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def test_grader_check_renders_from_the_handed_out_folder(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "handout")
    grader = Notebook("msgdemo", notebook=_notebook(folder / "msgdemo.ipynb", None), lang="en")
    report = grader.check("q1", {"double": lambda x: x + 1})
    assert "found 4. Fix: return 2 * x." in str(report.lines()), report


def test_grader_check_renders_from_the_notebooks_copy_when_the_folder_lacks_the_messages(tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "public_checks.py").write_text(CHECKS, encoding="utf-8")  # copied without messages.py
    grader = Notebook("msgdemo", notebook=_notebook(folder / "msgdemo.ipynb", MESSAGES))
    report = grader.check("q1", {"double": lambda x: x + 1})
    assert "고치는 법: 2 * x를 반환하세요." in str(report.lines()), report
    elsewhere = Notebook("msgdemo", notebook=_notebook(tmp_path / "moved" / "msgdemo.ipynb", MESSAGES), lang="en")
    register_assignment(tmp_path / "nothing", "msgdemo")
    assert "Fix: return 2 * x." in str(elsewhere.check("q1", {"double": abs}).lines())



def test_every_assignments_messages_file_is_texts_only() -> None:
    # handed out beside the public checks: nothing in it a student could import and call as an answer
    import ast

    files = sorted((ROOT / "solutions").glob("*/messages.py"))
    assert len(files) >= 3
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            assert isinstance(node, ast.Assign | ast.AnnAssign) or (
                isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)), (path, node.lineno)
        for node in ast.walk(tree):
            assert not isinstance(node, ast.Lambda | ast.Call | ast.FunctionDef | ast.ClassDef | ast.Import
                                  | ast.ImportFrom), (path, node.lineno)
        assert register_assignment(path.parent, path.parent.name) == path  # and it passes the registration's rules
