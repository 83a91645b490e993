"""The "tensor_ops" assignment: its checks against the reference solution and the example submissions.

The notebooks' code runs in this process, as ``grader.check`` does on a student's machine, without
TensorFlow (no cell needs it, and importing it takes seconds). The hostile example is never run here:
only its source is read; the sandbox tests run it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import nbformat
import pytest

from autograder.checks import CheckResult, load_checks, run_checks
from autograder.i18n import LANGUAGES, catalogue
from autograder.notebook import CodeCell, code_cells, load_notebook
from autograder.student import LocalHandle, Notebook

ROOT = Path(__file__).resolve().parents[2]
SOLUTION_DIR = ROOT / "solutions" / "tensor_ops"
REFERENCE = SOLUTION_DIR / "tensor_ops.ipynb"
EXAMPLES = ROOT / "solutions" / "tensor_ops" / "examples"
QUESTIONS = ("q1", "q2", "q3", "q4", "q5", "q6")
FUNCTIONS = ("naive_relu", "naive_add", "naive_add_matrix_and_vector", "naive_vector_dot",
             "naive_matrix_vector_dot", "naive_matrix_dot")

TF_IMPORT = re.compile(r"^import tensorflow as tf\b.*$", re.MULTILINE)
CHECK_CELL = re.compile(r'^\s*grader\.check\("q\d+"\)\s*$')
TEMPLATE_BODY = r"\1pass  # YOUR CODE HERE / 여기에 코드를 작성하세요"
SOLUTION_REGION = re.compile(r"^( *)### BEGIN SOLUTION\n.*?^\1### END SOLUTION$", re.MULTILINE | re.DOTALL)

FULL_MARKS = dict.fromkeys(QUESTIONS, 4.0)
EXPECTED_SCORES = {
    "reference": FULL_MARKS,
    "kim_minji": FULL_MARKS,
    "lee_junho": {"q1": 3.0, "q2": 3.5, "q3": 4.0, "q4": 1.5, "q5": 4.0, "q6": 1.5},
    "park_seoyeon": {"q1": 4.0, "q2": 4.0, "q3": 0.0, "q4": 4.0, "q5": 1.0, "q6": 4.0},
    "template": dict.fromkeys(QUESTIONS, 0.0),
}
EXPECTED_FAILURES = {
    "reference": {},
    "kim_minji": {},
    "lee_junho": {
        "relu_uses_loops": "check.shortcut",  # np.maximum: right values, 3 of 4
        "add_leaves_inputs_unchanged": "check.mutated",  # no x.copy()
        "vector_dot_book_example": "check.number_wrong",  # range(n - 1)
        "vector_dot_random_inputs": "check.number_wrong",
        "matrix_dot_book_example": "check.values",  # y[j, k] for y[k, j]
        "matrix_dot_random_inputs": "check.raised",  # ... which overruns on non-square y
    },
    "park_seoyeon": {
        # q3's cell does not parse, so the function does not exist
        "add_matrix_vector_book_example": "check.reply_missing",
        "add_matrix_vector_uses_loops": "check.source_missing",
        "add_matrix_vector_random_inputs": "check.reply_missing",
        "add_matrix_vector_leaves_inputs_unchanged": "check.reply_missing",
        "add_matrix_vector_refuses_mismatched_shapes": "check.reply_missing",
        # q5's function calls `zeros` (no `np.`): it exists, loops, and fails on every input
        "matrix_vector_dot_book_example": "check.raised",
        "matrix_vector_dot_random_inputs": "check.raised",
        "matrix_vector_dot_refuses_mismatched_shapes": "check.raised",
    },
}


@cache
def specs() -> tuple[Any, ...]:
    public, hidden = (load_checks(SOLUTION_DIR / f"{kind}_checks.py") for kind in ("public", "hidden"))
    return tuple(public + hidden)


def notebook_path(name: str) -> Path:
    return REFERENCE if name == "reference" else EXAMPLES / f"{name}.ipynb"


def cells_of(path: Path) -> list[CodeCell]:
    return code_cells(load_notebook(path.read_bytes(), path.name))


def template_cells() -> list[CodeCell]:
    """The reference with each solution region replaced by ``pass``, as ``autograder assign`` does."""
    return [CodeCell(c.index, SOLUTION_REGION.sub(TEMPLATE_BODY, c.source)) for c in cells_of(REFERENCE)]


def python_source(source: str) -> str:
    """The cell without the TensorFlow import and IPython magics."""
    lines = TF_IMPORT.sub("", source).splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith(("%", "!")))


def execute(cells: list[CodeCell]) -> tuple[dict[str, Any], dict[int, str]]:
    """Run the cells like a kernel: a failing cell is recorded and the next one runs.

    Returns the namespace and, per failing cell, the exception's type name.
    """
    namespace: dict[str, Any] = {"__name__": "__main__", "tf": SimpleNamespace(__version__="(not imported)")}
    errors: dict[int, str] = {}
    for cell in cells:
        if CHECK_CELL.match(cell.source):
            continue  # grader.check outside IPython would read pytest's globals
        try:
            code = compile(python_source(cell.source), f"<cell {cell.index}>", "exec")
        except SyntaxError:
            errors[cell.index] = "SyntaxError"
            continue
        try:
            exec(code, namespace)
        except Exception as error:  # noqa: BLE001  (a student's failing cell is data here)
            errors[cell.index] = type(error).__name__
    return namespace, errors


@cache
def graded(name: str) -> tuple[tuple[CheckResult, ...], dict[int, str]]:
    cells = template_cells() if name == "template" else cells_of(notebook_path(name))
    namespace, errors = execute(cells)
    return tuple(run_checks(specs(), LocalHandle(namespace, cells))), errors


def scores(results: tuple[CheckResult, ...]) -> dict[str, float]:
    points: dict[str, float] = defaultdict(float)
    for result in results:
        points[result.question] += result.weight if result.passed else 0.0
    return dict(points)


def failures(results: tuple[CheckResult, ...]) -> dict[str, str | None]:
    return {r.name: r.key for r in results if not r.passed}


def test_every_question_is_worth_4_points_3_for_correctness_and_1_for_loops() -> None:
    by_question = defaultdict(list)
    for spec in specs():
        by_question[spec.question].append(spec)
    assert sorted(by_question) == list(QUESTIONS)
    for question in QUESTIONS:
        checks = by_question[question]
        loops = [s for s in checks if s.name.endswith("_uses_loops")]
        assert len(loops) == 1 and loops[0].weight == 1.0 and not loops[0].hidden, question
        assert sum(s.weight for s in checks) == 4.0, question
        assert sum(s.weight for s in checks if s not in loops) == 3.0, question
        assert any(s.hidden for s in checks), question
        assert any(not s.hidden and s not in loops for s in checks), question
    assert len({s.name for s in specs()}) == len(specs())
    assert all(not s.hidden for s in load_checks(SOLUTION_DIR / "public_checks.py"))
    assert all(s.hidden for s in load_checks(SOLUTION_DIR / "hidden_checks.py"))


def test_checks_files_import_only_numpy_and_the_check_library() -> None:
    for path in SOLUTION_DIR.glob("*_checks.py"):
        imports = re.findall(r"^\s*(?:import|from)\s+([\w.]+)", path.read_text(), re.MULTILINE)
        assert set(imports) <= {"numpy", "autograder.author"}, path.name


@pytest.mark.parametrize("name", list(EXPECTED_SCORES))
def test_scores_per_question(name: str) -> None:
    results, _ = graded(name)
    details = {r.name: r.render("en") for r in results if not r.passed}
    assert scores(results) == EXPECTED_SCORES[name], details


@pytest.mark.parametrize("name", list(EXPECTED_FAILURES))
def test_each_submission_fails_exactly_the_intended_checks(name: str) -> None:
    results, _ = graded(name)
    assert failures(results) == EXPECTED_FAILURES[name], {r.name: r.render("en") for r in results}
    assert all(r.status != "error" for r in results)  # a check never crashes on a submission


def test_the_unanswered_template_earns_nothing() -> None:
    results, _ = graded("template")
    assert not any(r.passed for r in results)


def test_park_seoyeons_broken_cells_fail_as_a_kernel_would() -> None:
    cells = {c.index: c.source for c in cells_of(notebook_path("park_seoyeon"))}
    _, errors = graded("park_seoyeon")
    assert {cells[i].split("(")[0] for i in errors} == {"def naive_add_matrix_and_vector",
                                                          "def naive_matrix_vector_dot"}
    assert sorted(errors.values()) == ["NameError", "SyntaxError"]


@pytest.mark.parametrize("name", ["lee_junho", "park_seoyeon", "template"])
def test_failure_messages_render_and_show_no_values(name: str) -> None:
    results, _ = graded(name)
    for result in results:
        if result.passed:
            continue
        assert result.key in catalogue(), result.name
        for lang in LANGUAGES:
            text = result.render(lang)
            assert "{" not in text and result.name not in text
            assert not re.search(r"\d\.\d{3}", text), text  # shapes and positions, never values


def test_loops_check_sees_the_hostile_notebook_has_no_loops_without_running_it() -> None:
    cells = cells_of(EXAMPLES / "choi_hacker.ipynb")
    loops = [s for s in specs() if s.name.endswith("_uses_loops")]
    results = run_checks(loops, LocalHandle({}, cells))
    assert [r.key for r in results] == ["check.no_loop"] * len(QUESTIONS)
    text = "\n".join(c.source for c in cells)
    for attempt in ("np.allclose =", "np.testing.assert_allclose =", "bool = ", "hidden_checks.py",
                    "import autograder.checks.expect", "def __eq__", "os.kill(os.getppid(), 9)"):
        assert attempt in text


@pytest.mark.parametrize("path", [REFERENCE, *sorted(EXAMPLES.glob("*.ipynb"))], ids=lambda p: p.stem)
def test_notebooks_are_clean_v4_with_the_assignments_cells(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    reference = nbformat.read(REFERENCE, as_version=4)
    assert nb.nbformat == 4
    assert [(c.cell_type, c.id) for c in nb.cells] == [(c.cell_type, c.id) for c in reference.cells]
    assert [c.source for c in nb.cells if c.cell_type == "markdown"] == [
        c.source for c in reference.cells if c.cell_type == "markdown"]
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    setup = nb.cells[1].source
    assert "import tensorflow as tf" in setup and 'grader = Notebook("tensor_ops")' in setup


def test_reference_solution_regions_hold_only_the_function_bodies() -> None:
    answers = [c for c in cells_of(REFERENCE) if "### BEGIN SOLUTION" in c.source]
    assert len(answers) == len(FUNCTIONS)
    for cell, function in zip(answers, FUNCTIONS, strict=True):
        assert cell.source.startswith(f"def {function}(")
        assert cell.source.count("### BEGIN SOLUTION") == cell.source.count("### END SOLUTION") == 1
        region = SOLUTION_REGION.search(cell.source)
        assert region is not None and region.group(1) == "    "
        assert cell.source[:region.start()].rstrip().endswith('"""')  # the docstring stays outside
        assert cell.source.endswith("### END SOLUTION")


def test_grader_check_in_a_students_ipython_runs_the_public_checks(
        ipython: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SOLUTION_DIR)
    ipython.user_ns["tf"] = SimpleNamespace(__version__="(not imported)")
    for name in ("lee_junho", "reference"):
        for cell in cells_of(notebook_path(name)):
            if not CHECK_CELL.match(cell.source):
                ipython.run_cell(python_source(cell.source), store_history=True)
        grader = ipython.user_ns["grader"]
        assert isinstance(grader, Notebook)
        reports = {q: grader.check(q) for q in QUESTIONS}
        failed = {r.name for report in reports.values() for r in report.results if not r.passed}
        assert all(not r.hidden for report in reports.values() for r in report.results)
        if name == "lee_junho":
            assert failed == {"relu_uses_loops", "vector_dot_book_example", "matrix_dot_book_example"}
            assert "np.maximum" in repr(reports["q1"])
        else:  # the reference's cells, run after lee's, replace his definitions
            assert failed == set()
