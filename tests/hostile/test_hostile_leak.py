"""Hostile corpus (tests/hostile/leak.py): a submission that takes its answers from the handed-out files earns no
more than an empty submission on every question, in every assignment (issue 11, item 1).

One course for the whole module: ``solutions/`` and the config copied, every assignment handed out by
``autograder assign`` (without the validation run). The checks run in this process as the grader's own (the
public and hidden checks from ``solutions/``) against the attack's globals; one attack is also graded in the
sandbox, through ``autograder grade``, to show the hand-outs reach a submission there as here.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograder import assign
from autograder.checks import run_checks
from autograder.checks.core import CheckSpec, load_checks
from autograder.config import load_config
from autograder.results import score_questions
from tests import assignment_helpers
from tests.conftest import SHARED_DATA, write_notebook
from tests.hostile import leak

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENTS = ("tensor_ops", "loss_activation", "kfold_regression", "text_classification", "mnist_cnn",
               "vgg16_transfer", "activity_lstm")


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("leak_course")
    shutil.copytree(ROOT / "solutions", root / "solutions")
    shutil.copy(ROOT / "grading_config.yaml", root)
    for name in ASSIGNMENTS:
        assign.main(assignment=name, config_path=root / "grading_config.yaml")
    return root / "grading_config.yaml"


def _specs(course: Path, name: str) -> list[CheckSpec]:
    folder = course.parent / "solutions" / name
    return load_checks(folder / "public_checks.py") + load_checks(folder / "hidden_checks.py")


def _points(course: Path, name: str, specs: list[CheckSpec], namespace: dict[str, Any]) -> dict[str, float]:
    files = {}
    if SHARED_DATA is not None:
        from autograder.data import keras_files

        files = {k: str(v) for k, v in keras_files.resolve(SHARED_DATA).items()}
    context = assignment_helpers.check_context(course.parent / "solutions" / name, specs, data_files=files,
                                               data_dir=SHARED_DATA)
    results = run_checks(specs, assignment_helpers.Handle(namespace, context))
    points = load_config(course).assignment(name).points
    return {q.question: q.points for q in score_questions(results, points)}


def test_the_corpus_finds_the_student_functions_and_the_handed_out_helpers(course: Path) -> None:
    functions = leak.student_functions(course.parent / "solutions" / "kfold_regression" / "kfold_regression.ipynb")
    assert functions == {"standardize": 2, "build_model": 0, "k_fold_split": 3, "k_fold_validate": 5,
                         "smooth_curve": 1}
    helpers = leak.handed_out_helpers(course.parent / "assignments" / "kfold_regression")
    assert {"folds_of", "id_rows", "slopes", "leak_data", "standardize_example_inputs"} <= set(helpers)
    assert not {"boston", "built_model", "expect_partition"} & set(helpers)  # they take the check handle
    assert not {"smoothed", "_book_folds", "_variants", "_standardize_with"} & set(helpers)  # in reference.py
    made = leak.attacks(functions, helpers)
    assert made["folds_of"]["k_fold_split"] is helpers["folds_of"]  # folds_of(got, k, call): 3 arguments
    assert "smooth_curve" not in made["folds_of"]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_helpers_of_the_handed_out_checks_earn_no_more_than_an_empty_submission(course: Path, name: str) -> None:
    specs = _specs(course, name)
    reference = course.parent / "solutions" / name / f"{name}.ipynb"
    functions, values = leak.student_functions(reference), leak.student_values(reference)
    assert functions or values, name
    attacks = leak.attacks(functions, leak.handed_out_helpers(course.parent / "assignments" / name), values)
    # (tensor_ops' and vgg16_transfer's hand-outs have no helper a student could submit: every one takes the handle
    # or arguments of its own; the corpus is empty there until one is added)
    empty = _points(course, name, specs, {"__name__": "__main__", "np": np})
    gained = {}
    for helper, namespace in attacks.items():
        got = _points(course, name, specs, namespace)
        more = {q: got[q] for q in got if got[q] > empty[q]}
        if more:
            gained[helper] = more
    assert gained == {}, f"{name}: helpers of the handed-out public_checks.py earn points as answers"


def test_a_lookup_of_the_stored_expected_values_earns_the_public_examples_only(course: Path) -> None:
    """The known limit: the stored values of the public examples pass those examples (as copying their expected
    output would); no hidden check, no other question."""
    name = "kfold_regression"
    handout = course.parent / "assignments" / name
    namespace: dict[str, Any] = {"__name__": "__main__", "HANDOUT": str(handout)}
    exec(leak.KFOLD_LOOKUP, namespace)
    specs = _specs(course, name)
    files = {}
    if SHARED_DATA is not None:
        from autograder.data import keras_files

        files = {k: str(v) for k, v in keras_files.resolve(SHARED_DATA).items()}
    context = assignment_helpers.check_context(course.parent / "solutions" / name, specs, data_files=files)
    results = run_checks(specs, assignment_helpers.Handle(namespace, context), ["q1", "q4"])
    assert {r.name for r in results if r.passed} == {"standardize_example", "smooth_curve_example"}
    assert all(not r.passed for r in results if r.hidden)


SANDBOX_ATTACK = """
import numpy as np

helpers = {}
exec(compile(SOURCE, "public_checks.py", "exec"), helpers)
# the helpers the handed-out checks held before issue 11 (the answers), used where they are still there
if "smoothed" in helpers:
    smooth_curve = helpers["smoothed"]
if "_book_folds" in helpers:
    k_fold_split = helpers["_book_folds"]
if "_standardize_with" in helpers:
    def standardize(train, test):
        return helpers["_standardize_with"](train, train), helpers["_standardize_with"](test, train)
if "_variants" in helpers:
    def smooth_curve(points, factor=0.9):
        return list(helpers["_variants"](points, 1 - factor)["kfold_regression.smooth_factor_swapped"])
# and what is handed out now, called as the student's functions
k_fold_split = globals().get("k_fold_split", helpers["folds_of"])
smooth_curve = globals().get("smooth_curve", helpers["_numbers"])
build_model = helpers["standardize_example_inputs"]
"""


@pytest.mark.slow
def test_an_attack_graded_in_the_sandbox_earns_nothing(course: Path, tmp_path: Path, shared_data: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The handed-out checks' source in the student's notebook, in the sandbox (the grader's run, through
    ``autograder grade``): the helpers that were answers before (kept here as the attack tries them) are gone,
    and what is there earns what an empty notebook earns. On the hand-outs before issue 11 this attacker earned
    5.6 points (q1 2, q3 1.6, q4 2)."""
    from autograder import grade

    handout = course.parent / "assignments" / "kfold_regression"
    source = (handout / "public_checks.py").read_text(encoding="utf-8")
    folder = tmp_path / "submissions"
    write_notebook(folder / "attacker.ipynb", f"SOURCE = {source!r}", SANDBOX_ATTACK)
    write_notebook(folder / "empty.ipynb", "x = 1")
    monkeypatch.setenv("AUTOGRADER_DATA_DIR", str(shared_data))
    summary = grade.main(assignment="kfold_regression", inputs=[folder], config_path=course,
                         output=tmp_path / "results", options=grade.RunOptions(gradebook=str(tmp_path / "g.sqlite")))
    rows = {r.student: r for r in summary.results}
    assert rows["attacker"].status == "graded", [r.render("en") for r in rows["attacker"].reasons]
    assert {q.question: q.points for q in rows["attacker"].questions} == {
        q.question: q.points for q in rows["empty"].questions}
    assert rows["attacker"].points == 0.0
