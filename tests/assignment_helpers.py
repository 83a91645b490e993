"""What the assignment tests (``test_<assignment>.py``) share: their checks, run in this process as ``grader.check``
runs them, scored like the grader, their messages checked, and the example submissions' graded details read.

The assignment's own values (its solution folder, points, notebook functions) are parameters, so that each test file
reads as before: ``grade(SPECS, namespace, context, ["q1"])``, ``points(results, POINTS)``.
"""

from __future__ import annotations

import ast
import csv
import json
import re
import shutil
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from autograder.checks import CheckContext, CheckResult, load_checks, run_checks
from autograder.checks.core import CheckSpec
from autograder.config import load_config
from autograder.grade.calibration import load_thresholds
from autograder.i18n import LANGUAGES, MESSAGES_FILE, catalogue, message, read_messages, register_assignment
from autograder.notebook import code_cells, load_notebook
from autograder.results import score_questions
from autograder.student import LocalHandle

ROOT = Path(__file__).resolve().parents[1]

# (function, text in the reference's function, the text a student wrote instead)
Edit = tuple[str, str, str]


# -- the checks, as the grader loads them ----------------------------------------------------------------

def specs(solution_dir: Path) -> list[CheckSpec]:
    """The assignment's checks: the public ones, then the hidden ones (its messages registered, as the grader does)."""
    register_assignment(solution_dir, solution_dir.name)
    return load_checks(solution_dir / "public_checks.py") + load_checks(solution_dir / "hidden_checks.py")


def performance_after_config_checks(name: str, solution_dir: Path, specs: Sequence[CheckSpec],
                                    points_per_question: Mapping[str, float]) -> dict[str, str]:
    """Assert that the config gives ``name`` exactly these points, that ``specs`` cover exactly those questions
    with unique names, and that the public file holds only public checks and the hidden one only hidden checks.
    The performance checks' metric names by question, for the caller's own assertions."""
    assert load_config(ROOT / "grading_config.yaml").assignment(name).points == points_per_question
    assert {s.question for s in specs} == set(points_per_question)
    assert len({s.name for s in specs}) == len(specs)
    assert all(not s.hidden for s in load_checks(solution_dir / "public_checks.py"))
    assert all(s.hidden for s in load_checks(solution_dir / "hidden_checks.py"))
    return {s.question: s.metric.name for s in specs if s.metric is not None}


# -- running checks in this process -----------------------------------------------------------------------

class Handle(LocalHandle):
    """``grader.check``'s in-process handle, lent the grader's context (data files, course folder, thresholds)."""

    def __init__(self, namespace: dict[str, Any], context: CheckContext) -> None:
        super().__init__(namespace, [])
        self.context = context


def check_context(solution_dir: Path, specs: Sequence[CheckSpec], *, data_files: Mapping[str, str | Path] | None = None,
                  data_dir: Path | None = None, calibrated: bool = True) -> CheckContext:
    """The context the grader lends the checks, in English: ``data_files`` (Keras file name: path), the course data
    folder ``data_dir``, and (when ``calibrated``) the thresholds of the metrics of ``specs`` stored in
    ``solution_dir``; what is not given is left at the context's default."""
    metrics = {s.metric.name: s.metric for s in specs if s.metric is not None}
    return CheckContext(lang="en", data_files={k: str(v) for k, v in (data_files or {}).items()},
                        data_dir=None if data_dir is None else str(data_dir),
                        thresholds=load_thresholds(solution_dir, metrics) if calibrated else {})


def grade(specs: Sequence[CheckSpec], namespace: dict[str, Any], context: CheckContext,
          questions: list[str]) -> dict[str, CheckResult]:
    """Run the checks of ``questions`` on ``namespace``; none may end in an error. The results by check name."""
    results = run_checks(specs, Handle(namespace, context), questions)
    assert all(r.status != "error" for r in results), {r.name: r.render("en") for r in results}
    return {r.name: r for r in results}


def points(results: Mapping[str, CheckResult], points_per_question: Mapping[str, float]) -> dict[str, float]:
    """The points of each question ``results`` has checks of, scored as the grader scores them."""
    questions = {r.question for r in results.values()}
    scores = score_questions(list(results.values()), {q: points_per_question[q] for q in sorted(questions)})
    return {s.question: s.points for s in scores}


def failed(results: Mapping[str, CheckResult]) -> dict[str, str | None]:
    """The message key of each check that did not pass, by check name."""
    return {name: r.key for name, r in results.items() if not r.passed}


# -- the notebook's functions, as a student might have written them ------------------------------------------

def function_sources(path: Path, names: Collection[str]) -> dict[str, str]:
    """The source of each function ``names`` the notebook at ``path`` defines (definitions only, not the cells' other
    lines); cells that do not parse are passed over."""
    sources = {}
    for cell in code_cells(load_notebook(path.read_bytes(), path.name)):
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in names:
                sources[node.name] = ast.get_source_segment(cell.source, node) or ""
    return sources


def functions(path: Path, names: Collection[str], namespace: dict[str, Any], edits: Iterable[Edit] = (), *,
              filename: str = "<{notebook}>") -> dict[str, Any]:
    """The functions ``names`` of the notebook at ``path`` with ``edits`` (a student's typical mistake), defined in
    ``namespace`` (their globals). Each is compiled under ``filename``, formatted with ``notebook`` (the notebook's
    file name) and ``function``."""
    sources = function_sources(path, names)
    for name, old, new in edits:
        assert sources[name].count(old) == 1, (name, old)
        sources[name] = sources[name].replace(old, new)
    for name, source in sources.items():
        exec(compile(source, filename.format(notebook=path.name, function=name), "exec"), namespace)
    return {name: namespace[name] for name in sources}


# -- messages ----------------------------------------------------------------------------------------------

def messages(solution_dir: Path) -> dict[str, Mapping[str, str]]:
    """The assignment's own ``messages.py``, registered as the grader registers it (so that its keys render)."""
    register_assignment(solution_dir, solution_dir.name)
    return read_messages(solution_dir / MESSAGES_FILE, solution_dir.name)


def assert_messages_complete(messages: Mapping[str, Mapping[str, str]], *, fix: str = "Fix") -> None:
    """Each of ``messages`` has both languages with the same parameters, renders every one of them, and says how to
    fix the mistake: ``fix`` (a regular expression) in English, "고치는 법" in Korean."""
    for key, texts in messages.items():
        assert set(texts) == set(LANGUAGES), key
        names = set(re.findall(r"{(\w+)}", texts["en"]))
        assert names == set(re.findall(r"{(\w+)}", texts["ko"])), key
        for lang in LANGUAGES:
            text = message(key, lang, **{n: "X" for n in names})
            assert "{" not in text and "[" + key not in text, (key, lang)
        assert re.search(fix, texts["en"]) and "고치는 법" in texts["ko"], key


def keys_named_in(path: Path, prefixes: Iterable[str]) -> set[str]:
    """The message keys (``prefix.name``, quoted) that the file at ``path`` names, for each of ``prefixes``."""
    text = path.read_text(encoding="utf-8")
    alternatives = "|".join(re.escape(prefix) for prefix in prefixes)
    return set(re.findall(rf'"((?:{alternatives})\.[a-z_0-9]+)"', text))


def assert_message_keys_all_known_and_used(solution_dir: Path, prefix: str,
                                           messages: Mapping[str, Mapping[str, str]]) -> None:
    """Every key the checks in ``solution_dir`` name (the assignment's ``prefix.``, ``model.`` and ``check.``) is in
    the catalogue, and the assignment's own keys are exactly its ``messages``."""
    prefixes = (prefix, "model", "check")
    named = keys_named_in(solution_dir / "public_checks.py", prefixes) | keys_named_in(
        solution_dir / "hidden_checks.py", prefixes)
    assert named <= set(catalogue()), named - set(catalogue())
    assert {k for k in named if k.startswith(prefix + ".")} == set(messages)


# -- the example submissions' graded details (the grader's <student>.json) ------------------------------------

def example_scores(detail: dict[str, Any]) -> dict[str, float]:
    """Each question's points."""
    return {q["question"]: q["points"] for q in detail["questions"]}


def example_failures(detail: dict[str, Any], ignore: Collection[str] = ("passed",)) -> dict[str, str | None]:
    """The message key of each check whose status is not one of ``ignore``, by check name."""
    return {c["name"]: c.get("key") for q in detail["questions"] for c in q["checks"] if c["status"] not in ignore}


def example_messages(detail: dict[str, Any]) -> dict[str, str]:
    """Each check's message, by check name."""
    return {c["name"]: c["message"] for q in detail["questions"] for c in q["checks"]}



def grade_examples(name: str, root: Path, shared_data: Path, *, also: Mapping[str, Path] | None = None,
                   env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Grade ``solutions/<name>/examples`` (plus ``also``: file name -> notebook) in the sandbox, in Korean, the
    way ``autograder grade`` does, from a copy of the course in ``root``; the course data is ``shared_data`` and
    ``env`` is set while grading. The run's ``summary``, its ``grades.csv`` ``rows`` and each ``<student>.json``
    (``details``), by student."""
    from autograder import grade as grading

    for folder in ("solutions", "assignments"):
        shutil.copytree(ROOT / folder / name, root / folder / name)
    shutil.copy(ROOT / "grading_config.yaml", root)
    submissions = root / "submissions"
    shutil.copytree(ROOT / "solutions" / name / "examples", submissions)
    for file_name, notebook in (also or {}).items():
        shutil.copy(notebook, submissions / file_name)
    monkeypatch = pytest.MonkeyPatch()
    for key, value in {"AUTOGRADER_DATA_DIR": str(shared_data), **(env or {})}.items():
        monkeypatch.setenv(key, value)
    try:
        summary = grading.main(assignment=name, inputs=[submissions], config_path=root / "grading_config.yaml",
                               output=root / "results", lang="ko")
    finally:
        monkeypatch.undo()
    rows = {row["student"]: row for row in csv.DictReader((root / "results" / "grades.csv").open(encoding="utf-8"))}
    details = {r.student: json.loads((root / "results" / f"{r.student}.json").read_text(encoding="utf-8"))
               for r in summary.results}
    return {"summary": summary, "rows": rows, "details": details}


def assert_examples_score_as_intended(graded: Mapping[str, Any], scores: Mapping[str, Mapping[str, float]],
                                      failures: Mapping[str, Mapping[str, str | None]], *,
                                      ignore: Collection[str] = ("passed",)) -> None:
    """Every example earned ``scores`` per question (and their sum in ``grades.csv``), was ``graded``, and the
    examples in ``failures`` failed exactly those checks (statuses in ``ignore`` count as not failed)."""
    details = graded["details"]
    assert {name: example_scores(detail) for name, detail in details.items()} == scores
    assert {name: float(row["total"]) for name, row in graded["rows"].items()} == {
        name: sum(per_question.values()) for name, per_question in scores.items()}
    assert {detail["status"] for detail in details.values()} == {"graded"}
    for name, expected in failures.items():
        assert example_failures(details[name], ignore) == expected, name


def assert_examples_within_budget(graded: Mapping[str, Any], name: str, wall_fraction: float) -> None:
    """Every example graded in under ``wall_fraction`` of ``name``'s wall-time limit and 3/4 of its memory limit."""
    limits = load_config(ROOT / "grading_config.yaml").limits_for(name)
    for student, detail in graded["details"].items():
        assert 0 < detail["seconds"] < wall_fraction * limits.wall_time_s, student
        if detail["peak_memory_bytes"] is not None:
            assert detail["peak_memory_bytes"] < 0.75 * limits.memory_mb * 2**20, student
