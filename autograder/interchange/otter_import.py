"""``autograder import otter MASTER.ipynb``: an otter-grader master notebook as ``solutions/<id>/``.

What is written (this project's assignment format, docs/authoring.md):

- ``<id>.ipynb``: the reference notebook, otter's solution markers as ``### BEGIN/END SOLUTION`` regions, a
  ``grader = Notebook("<id>")`` cell before the first code cell and a ``grader.check("q")`` cell where each
  question's tests were; test cells, written solutions (Markdown) and otter prompts are left out;
- ``public_checks.py`` / ``hidden_checks.py``: one check per otter test case (its points the check's weight),
  each running the case in the grader with :func:`autograder.interchange.otter_tests.run_case`; the public
  cases' code and expected output come from ``reference.py``'s ``public_expected()`` (handed out as
  ``public_expected.json``, as otter hands out its public tests), the hidden ones stay in ``hidden_checks.py``;
  an ``all_or_nothing`` question is one check running all of its cases;
- ``messages.py`` (ko/en), ``assignment.yaml`` (points per question, as otter resolves them), the files the
  master's ``files:`` names (copied from beside the master), and ``IMPORT_REPORT.md``: what was converted and
  everything that was not (manual questions, questions without tests, ``export_cell``, seeds, ...).
"""

from __future__ import annotations

import keyword
import pprint
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.assignment_files import HIDDEN_CHECKS, PUBLIC_CHECKS
from autograder.errors import ConfigError
from autograder.interchange.otter_markers import Master, Question, TestCase, question_keys_not_converted, read_master

REPORT = "IMPORT_REPORT.md"
_ID = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
# Assignment-config keys with a counterpart here (the rest are listed as not converted).
_CONVERTED_CONFIG = {"name", "files", "tests", "config_file"}


@dataclass
class ImportResult:
    """What the import wrote and what it could not convert."""

    folder: Path
    assignment: str
    points: dict[str, float]
    checks: int
    not_converted: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def report(self) -> Path:
        return self.folder / REPORT

    def lines(self) -> list[str]:
        """What the command prints: the folder, the points, then every item not converted."""
        total = sum(self.points.values())
        out = [f"wrote {self.folder}: {self.checks} checks, {len(self.points)} questions, {total:g} points "
               f"({', '.join(f'{q}: {p:g}' for q, p in self.points.items())})"]
        if self.not_converted:
            out.append(f"not converted ({len(self.not_converted)}; also in {self.report}):")
            out += [f"  - {item}" for item in self.not_converted]
        out += [f"  note: {note}" for note in self.notes]
        out.append(f"next: autograder assign {self.assignment} (grades the reference first), then "
                   f"autograder grade {self.assignment} SUBMISSIONS")
        return out


def assignment_id(master: Master, given: str | None) -> str:
    """``--id``, else the master's ``name:``, else its file name, as a lower-case identifier."""
    raw = given or str(master.config.get("name") or master.path.stem)
    name = re.sub(r"[^a-z0-9_]+", "_", raw.lower()).strip("_")
    if name and name[0].isdigit():
        name = f"a_{name}"
    if given is not None and name != given:
        raise ConfigError(str(master.path), f"--id {given!r}: use lower-case letters, digits and _ (e.g. {name!r})")
    if not _ID.match(name) or keyword.iskeyword(name):
        raise ConfigError(str(master.path), f"cannot make an assignment id from {raw!r}: give one with --id")
    return name


def resolve_points(question: Question) -> list[float]:
    """Each test case's points, as otter resolves them (``points`` a number, a list, ``{each: n}`` or none)."""
    cases = question.tests
    total: Any = question.config.get("points")
    given: list[float | None] = [c.points for c in cases]
    if isinstance(total, dict):
        total = float(total.get("each", 1)) * len(cases)
    if isinstance(total, list):
        if len(total) != len(cases):
            raise ConfigError(question.name, f"points lists {len(total)} values for {len(cases)} test cases")
        given, total = [float(p) for p in total], None
    elif total is not None and (isinstance(total, bool) or not isinstance(total, int | float)):
        raise ConfigError(question.name, f"points must be a number, a list or {{each: n}}, not {total!r}")
    specified = sum(p for p in given if p is not None)
    unspecified = sum(p is None for p in given)
    if total is not None:
        if specified > total:
            raise ConfigError(question.name, "the test cases' points add up to more than the question's")
        per = (float(total) - specified) / unspecified if unspecified else 0.0
    elif specified == 0 and all(p in (0, None) for p in given):
        per = 1 / unspecified if unspecified else 0.0
    else:
        per = 0.0
    return [float(p) if p is not None else per for p in given]


def _identifier(text: str) -> str:
    name = re.sub(r"\W+", "_", text).strip("_").lower() or "q"
    return f"q_{name}" if name[0].isdigit() or keyword.iskeyword(name) else name


def _case_data(case: TestCase) -> dict[str, Any]:
    label = case.name or f"{case.question} #{case.number}"
    data: dict[str, Any] = {"kind": case.kind, "code": case.code, "hidden": case.hidden, "title": label}
    if case.function:
        data["function"] = case.function
    if case.failure_message:
        data["failure_message"] = case.failure_message
    return data


@dataclass
class _Check:
    question: str
    name: str
    weight: float
    hidden: bool
    case: dict[str, Any]
    title: dict[str, str]


def _checks(master: Master, not_converted: list[str]) -> tuple[list[_Check], dict[str, float]]:
    checks: list[_Check] = []
    points: dict[str, float] = {}
    for question in master.questions.values():
        where = f"question {question.name}"
        if question.manual:
            shown = question.config.get("points")
            not_converted.append(f"{where} is graded by hand (manual: true{f', {shown} points' if shown else ''}): "
                                 "not in assignment.yaml; grade it outside the autograder")
            continue
        if not question.tests:
            not_converted.append(f"{where} has no test cases: not graded (otter does not grade it either)")
            continue
        for key in question_keys_not_converted(question):
            not_converted.append(f"{where}: key {key!r} has no counterpart here")
        values = resolve_points(question)
        base = _identifier(question.name)
        if question.all_or_nothing:
            total = sum(values)
            if total <= 0:
                not_converted.append(f"{where} is worth 0 points: not graded")
                continue
            hidden = any(c.hidden for c in question.tests)
            cases = [_case_data(c) for c in question.tests]
            checks.append(_Check(question.name, f"{base}_all_tests", total, hidden,
                                 {"cases": cases, "hidden": hidden, "title": f"{question.name} (all tests)"},
                                 {"ko": f"{question.name} 모든 테스트 (전부 통과해야 점수)",
                                  "en": f"{question.name} all tests (all or nothing)"}))
            if hidden and any(not c.hidden for c in question.tests):
                not_converted.append(f"{where} is all_or_nothing with public and hidden cases: one hidden check "
                                     "runs them all, so grader.check does not show its public cases")
            points[question.name] = total
            continue
        for case, value in zip(question.tests, values, strict=True):
            label = f" ({case.name})" if case.name else ""
            if value <= 0:
                not_converted.append(f"{where} test {case.number}{label} is worth 0 points: left out")
                continue
            kind = "숨은 테스트" if case.hidden else "테스트"
            english = f"{question.name} {'hidden ' if case.hidden else ''}test {case.number}{label}"
            checks.append(_Check(question.name, f"{base}_test_{case.number}", value, case.hidden, _case_data(case),
                                 {"ko": f"{question.name} {kind} {case.number}{label}", "en": english}))
            if case.success_message:
                not_converted.append(f"{where} test {case.number}{label}: its success_message is not shown")
        if any(c.question == question.name for c in checks):
            points[question.name] = round(sum(c.weight for c in checks if c.question == question.name), 6)
    return checks, points


def _check_source(check: _Check, case_expr: str) -> str:
    return (f"\n\n@check({check.question!r}, weight={check.weight!r}, hidden={check.hidden!r},\n"
            f"       title={check.title!r})\n"
            f"def {check.name}(nb):\n"
            f"    run_case(nb, {case_expr}, ASSIGNMENT)\n")


def _public_file(assignment: str, source: str, checks: list[_Check]) -> str:
    head = (f'"""Public checks of "{assignment}", converted from the otter-grader tests of {source}.\n\n'
            "Each runs one otter test case in the grader (autograder.interchange.otter_tests); the cases' code and\n"
            'expected outputs are the public values of reference.py (public_expected.json where handed out)."""\n\n'
            "from autograder.checks import check\n"
            "from autograder.checks.expected import public_expected\n"
            "from autograder.interchange.otter_tests import run_case\n\n"
            f"ASSIGNMENT = {assignment!r}\n")
    return head + "".join(_check_source(c, f"public_expected(__file__)[{c.name!r}]") for c in checks)


def _hidden_file(assignment: str, source: str, checks: list[_Check]) -> str:
    cases = {c.name: c.case for c in checks}
    head = (f'"""Hidden checks of "{assignment}", converted from the otter-grader tests of {source}; never handed '
            'out."""\n\n'
            "from autograder.checks import check\n"
            "from autograder.interchange.otter_tests import run_case\n\n"
            f"ASSIGNMENT = {assignment!r}\n"
            f"CASES = {pprint.pformat(cases, width=116, sort_dicts=False)}\n")
    return head + "".join(_check_source(c, f"CASES[{c.name!r}]") for c in checks)


def _reference_file(assignment: str, checks: list[_Check]) -> str:
    cases = {c.name: c.case for c in checks}
    return (f'"""The public otter test cases of "{assignment}" (code, expected output) for public_expected.json.\n\n'
            'otter hands its public tests out too; hidden cases live in hidden_checks.py only."""\n\n'
            f"CASES = {pprint.pformat(cases, width=116, sort_dicts=False)}\n\n\n"
            "def public_expected():\n    return CASES\n")


def _messages_file(assignment: str) -> str:
    messages = {
        f"{assignment}.test_failed": {
            "en": "Test {test} failed: `{source}` should give `{want}`; it gave `{got}`. {hint}"
                  "Fix your answer so that this line gives what is expected, then run grader.check again.",
            "ko": "테스트 {test} 실패: `{source}`의 결과는 `{want}`이어야 하는데 `{got}`입니다. {hint}"
                  "이 줄이 기대한 결과를 내도록 답을 고친 뒤 grader.check를 다시 실행하세요.",
        },
        f"{assignment}.hidden_test_failed": {
            "en": "Hidden test {test} failed (its inputs are not shown). {hint}"
                  "Check your answer on other inputs and edge cases than the public tests'.",
            "ko": "숨은 테스트 {test} 실패(입력은 보여 주지 않습니다). {hint}"
                  "공개 테스트와 다른 입력과 경계 사례에서도 답이 맞는지 확인하세요.",
        },
        f"{assignment}.not_data": {
            "en": "`{name}` is a {type}, which cannot be sent to the grader as data (numbers, strings, lists, "
                  "tuples, dicts, NumPy arrays). Fix: make it one of those.",
            "ko": "`{name}`은(는) {type}이라서 채점기에 데이터(숫자, 문자열, 리스트, 튜플, 딕셔너리, NumPy 배열)로 "
                  "보낼 수 없습니다. 고치는 법: 그중 하나가 되게 하세요.",
        },
    }
    return (f'"""Messages of the checks converted from otter-grader tests for "{assignment}" (ko/en)."""\n\n'
            f"MESSAGES = {pprint.pformat(messages, width=116, sort_dicts=False)}\n")


def _notebook(master: Master, assignment: str, checked: set[str]) -> tuple[Any, int]:
    cells: list[Any] = []
    regions = 0
    init_done = False
    for cell in master.cells:
        if cell.role == "check":
            if cell.question in checked:
                cells.append(new_code_cell(cell.source))
            continue
        if cell.kind == "code" and not init_done:
            cells.append(new_code_cell(f"from autograder.student import Notebook\n\ngrader = Notebook({assignment!r})"))
            init_done = True
        if cell.kind == "markdown":
            cells.append(new_markdown_cell(cell.source))
        else:
            regions += cell.regions
            cells.append(new_code_cell(cell.source))
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb, regions


def _config_not_converted(master: Master) -> list[str]:
    items = []
    for key, value in master.config.items():
        if key in _CONVERTED_CONFIG:
            continue
        shown = yaml.safe_dump(value, default_flow_style=True, width=10**6).strip().removesuffix("...").strip()
        items.append(f"assignment config {key}: {shown[:200]} has no counterpart here (not converted)")
    tests = master.config.get("tests")
    if isinstance(tests, dict):
        items += [f"assignment config tests.{k}: not converted" for k in tests if k != "ok_format"]
    return items


def _report(result: ImportResult, master: Master, checks: list[_Check]) -> str:
    lines = [f"# Import of {master.path.name} as `{result.assignment}`", "",
             f"Written by `autograder import otter`: {len(checks)} checks from otter test cases.", "",
             "## Converted", "", "| question | points | check | weight | hidden |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {c.question} | {result.points[c.question]:g} | {c.name} | {c.weight:g} | {c.hidden} |"
              for c in checks]
    lines += ["", "## Not converted", ""]
    lines += [f"- {item}" for item in result.not_converted] or ["- nothing"]
    lines += ["", "## Notes", ""] + ([f"- {n}" for n in result.notes] or ["- none"])
    return "\n".join(lines) + "\n"


def import_otter(master_path: Path, *, assignment: str | None = None, into: Path = Path("solutions"),
                 force: bool = False) -> ImportResult:
    """Convert the otter master at ``master_path`` into ``into/<id>/``; return what was written and not converted."""
    master = read_master(master_path)
    name = assignment_id(master, assignment)
    folder = into / name
    if folder.exists() and not force:
        raise ConfigError(str(folder), "exists already: remove it, or choose another --id")
    not_converted = _config_not_converted(master)
    checks, points = _checks(master, not_converted)
    if not checks:
        raise ConfigError(str(master_path), "no otter test case could be converted: nothing to grade")
    nb, regions = _notebook(master, name, set(points))
    notes = list(master.notes)
    if regions == 0:
        notes.append("the notebook has no solution region: `autograder assign` refuses it (mark the answers)")
    files = master.config.get("files") or []
    copied = []
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for item in files if isinstance(files, list) else []:
        source = (master_path.parent / str(item)).resolve()
        if not source.is_relative_to(master_path.parent.resolve()) or not source.is_file():
            not_converted.append(f"file {item!r} (files:) not found beside the master: not copied")
            continue
        target = folder / str(item)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        copied.append(str(item))
    if copied:
        notes.append(f"files copied into {folder}: {', '.join(copied)}; list them under assignments.{name}.handouts "
                     "in grading_config.yaml so that the sandbox gets them (`autograder export gradescope` does)")
    origin = master_path.name
    public = [c for c in checks if not c.hidden]
    hidden = [c for c in checks if c.hidden]
    nbformat.write(nb, folder / f"{name}.ipynb")
    (folder / PUBLIC_CHECKS).write_text(_public_file(name, origin, public), encoding="utf-8")
    (folder / HIDDEN_CHECKS).write_text(_hidden_file(name, origin, hidden), encoding="utf-8")
    (folder / "reference.py").write_text(_reference_file(name, public), encoding="utf-8")
    (folder / "messages.py").write_text(_messages_file(name), encoding="utf-8")
    (folder / "assignment.yaml").write_text(
        f"# imported from {origin} by `autograder import otter`\n"
        + yaml.safe_dump({"points": points}, sort_keys=False, allow_unicode=True), encoding="utf-8")
    result = ImportResult(folder, name, points, len(checks), not_converted, notes)
    (folder / REPORT).write_text(_report(result, master, checks), encoding="utf-8")
    return result

