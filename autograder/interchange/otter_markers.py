"""Parse an otter-grader 7 master notebook: its blocks, questions, solutions and test cases.

What is read (otter's "v1" notebook format, as ``otter assign`` reads it):

- raw cells whose first line is ``# ASSIGNMENT CONFIG`` (YAML after it), ``# BEGIN QUESTION`` (YAML keys:
  ``name``, ``points``, ``manual``, ``all_or_nothing``, ...), ``# END QUESTION``, ``# BEGIN/END SOLUTION``,
  ``# BEGIN/END PROMPT``, ``# BEGIN/END TESTS``; the same inside a Markdown cell's fenced ```otter block;
- in code: ``# SOLUTION`` (and ``# SOLUTION NO PROMPT``) line forms, ``# BEGIN SOLUTION [NO PROMPT]`` /
  ``# END SOLUTION`` regions, ``\"\"\" # BEGIN PROMPT`` ... ``\"\"\" # END PROMPT`` prompts, ``# IGNORE`` lines and
  ``# BEGIN/END IGNORE`` regions, ``# SEED`` lines;
- test cells: a first-line comment with ``HIDDEN``, or a ``\"\"\" # BEGIN TEST CONFIG`` ... ``\"\"\" # END TEST CONFIG``
  docstring (``points``, ``hidden``, ``name``, ``success_message``, ``failure_message``); OK-format (doctest: the
  cell's code, its saved outputs the expected output) or exception-based (``tests: {ok_format: false}``: a
  ``def test_...(names)`` function).

The master is the instructor's file; it is still read bounded (size, cells, YAML as data only), and anything
malformed is an :class:`~autograder.errors.ConfigError` naming the file and the cell.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from autograder.errors import ConfigError

MAX_MASTER_BYTES = 64 * 2**20
MAX_CELLS = 5000
_BOUNDARY = re.compile(r"^\s*#\s*(BEGIN|END)\s+(QUESTION|PROMPT|SOLUTION|TESTS)\b", re.IGNORECASE)
_CONFIG = re.compile(r"^\s*#\s*ASSIGNMENT\s+CONFIG\b", re.IGNORECASE)
_BEGIN_TEST_CONFIG = re.compile(r'^\s*"""\s*#\s*BEGIN\s*TEST\s*CONFIG', re.IGNORECASE)
_END_TEST_CONFIG = re.compile(r'^\s*"""\s*#\s*END\s*TEST\s*CONFIG', re.IGNORECASE)
_SOLUTION_LINE = re.compile(r"^(\s*)(.*?)\s*# ?SOLUTION(?: NO PROMPT)?\s*$")
_BEGIN_SOLUTION = re.compile(r"^(\s*)# BEGIN SOLUTION( NO PROMPT)?\s*$")
_END_SOLUTION = re.compile(r"^\s*# END SOLUTION\s*$")
_BEGIN_PROMPT = re.compile(r'^\s*""" # BEGIN PROMPT')
_END_PROMPT = re.compile(r'^\s*"""\s*;?\s*# END PROMPT')
_BEGIN_IGNORE = re.compile(r"^\s*#\s*BEGIN\s*IGNORE", re.IGNORECASE)
_END_IGNORE = re.compile(r"^\s*#\s*END\s*IGNORE", re.IGNORECASE)
_QUESTION_KEYS = ("name", "points", "manual", "all_or_nothing", "check_cell", "export")


@dataclass(frozen=True)
class TestCase:
    """One otter test case: a doctest (``kind="doctest"``, ``code`` with its expected output) or a test function."""

    question: str
    number: int  # 1-based within the question
    kind: str  # "doctest" | "exception"
    code: str
    hidden: bool
    points: float | None
    name: str | None = None
    success_message: str | None = None
    failure_message: str | None = None
    function: str | None = None  # the test function's name (exception-based)
    cell: int = 0


@dataclass
class Question:
    """A ``# BEGIN QUESTION`` block's keys and test cases."""

    name: str
    config: dict[str, Any]
    tests: list[TestCase] = field(default_factory=list)
    cell: int = 0

    @property
    def manual(self) -> bool:
        return bool(self.config.get("manual", False))

    @property
    def all_or_nothing(self) -> bool:
        return bool(self.config.get("all_or_nothing", False))


@dataclass(frozen=True)
class Cell:
    """A cell of the converted notebook: ``role`` is plain, solution, prompt or check (a ``grader.check`` goes here)."""

    kind: str  # "markdown" | "code"
    source: str
    role: str
    question: str | None
    cell: int  # the master's cell number (1-based)
    regions: int = 0  # solution regions (``### BEGIN SOLUTION``) in a code cell


@dataclass
class Master:
    """An otter master notebook, parsed."""

    path: Path
    config: dict[str, Any]
    questions: dict[str, Question]
    cells: list[Cell]
    notes: list[str]  # what the conversion drops or changes, one sentence each


def _lines(cell: dict[str, Any]) -> list[str]:
    source = cell.get("source", "")
    text = "".join(source) if isinstance(source, list) else str(source)
    return text.split("\n")


def _yaml(text: str, where: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as error:
        raise ConfigError(where, f"not valid YAML: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(where, "the block's YAML must be a mapping of keys")
    return data


def _unfence(cells: list[dict[str, Any]], where: str) -> list[dict[str, Any]]:
    """Markdown cells' ```otter blocks become raw cells, the Markdown around them stays (as otter does)."""
    out: list[dict[str, Any]] = []
    for number, cell in enumerate(cells, 1):
        lines = _lines(cell)
        if cell.get("cell_type") != "markdown" or not any(line.strip() == "```otter" for line in lines):
            out.append(cell)
            continue
        text: list[str] = []
        fenced: list[str] | None = None
        for line in lines:
            if fenced is None and line.strip() == "```otter":
                if any(t.strip() for t in text):
                    out.append({**cell, "source": "\n".join(text)})
                text, fenced = [], []
            elif fenced is not None and line.strip() == "```":
                out.append({"cell_type": "raw", "metadata": {}, "source": "\n".join(fenced), "_cell": number})
                fenced = None
            elif fenced is not None:
                fenced.append(line)
            else:
                text.append(line)
        if fenced is not None:
            raise ConfigError(where, f'cell {number}: unclosed "```otter" block')
        if any(t.strip() for t in text):
            out.append({**cell, "source": "\n".join(text)})
    return out


def convert_solution_code(source: str) -> tuple[str, int, list[str]]:
    """A code cell with otter's solution markers rewritten as ``### BEGIN/END SOLUTION`` regions.

    Returns the new source, its number of regions, and what was dropped (prompt lines, ignored lines).
    Consecutive ``# SOLUTION`` lines at the same indentation share one region.
    """
    out: list[str] = []
    dropped: list[str] = []
    regions = 0
    open_line: str | None = None  # indentation of an open region made of # SOLUTION lines
    in_block = in_prompt = in_ignore = False
    block_indent = ""

    def close() -> None:
        nonlocal open_line
        if open_line is not None:
            out.append(f"{open_line}### END SOLUTION")
            open_line = None

    for line in source.split("\n"):
        stripped = line.rstrip()
        if in_ignore:
            in_ignore = not _END_IGNORE.match(line)
            continue
        if _BEGIN_IGNORE.match(line):
            in_ignore = True
            dropped.append("ignored lines (# BEGIN IGNORE)")
            continue
        if stripped.endswith("# IGNORE"):
            dropped.append("an ignored line (# IGNORE)")
            continue
        if in_prompt:
            in_prompt = not _END_PROMPT.match(line)
            continue
        if _BEGIN_PROMPT.match(line):
            close()
            in_prompt = not _END_PROMPT.match(line)
            dropped.append("an otter prompt (\"\"\" # BEGIN PROMPT): students get the standard placeholder")
            continue
        if in_block:
            if _END_SOLUTION.match(line):
                out.append(f"{block_indent}### END SOLUTION")
                in_block = False
            else:
                out.append(line)
            continue
        begin = _BEGIN_SOLUTION.match(line)
        if begin:
            close()
            block_indent = begin.group(1)
            out.append(f"{block_indent}### BEGIN SOLUTION")
            regions += 1
            in_block = True
            continue
        if stripped.endswith("# SEED"):
            close()
            out.append(stripped[: -len("# SEED")].rstrip())
            continue
        marked = _SOLUTION_LINE.match(stripped)
        if marked and marked.group(2):
            indent, code = marked.group(1), marked.group(2)
            if open_line != indent:
                close()
                out.append(f"{indent}### BEGIN SOLUTION")
                open_line = indent
                regions += 1
            out.append(f"{indent}{code}")
            continue
        close()
        out.append(line)
    close()
    if in_block:
        raise ValueError("# BEGIN SOLUTION without # END SOLUTION")
    return "\n".join(out), regions, sorted(set(dropped))


class _NoAnnotations(ast.NodeTransformer):
    """Type annotations removed, as otter does before writing a test."""

    def visit(self, node: Any) -> Any:
        self.generic_visit(node)
        if isinstance(node, ast.arg):
            node.annotation = None
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            node.returns = None
        return node


def _doctest_lines(code_lines: list[str]) -> list[str]:
    """otter's ``str_to_doctest``: ``>>> `` for a new statement, ``... `` for its continuation lines."""
    lines: list[str] = []
    for line in code_lines:
        if not line:
            continue
        continued = (line.startswith((" ", "\t")) or bool(re.match(r"^except[\s\w]*:", line))
                     or line.startswith(("elif ", "else:", "finally:"))
                     or (bool(lines) and lines[-1].strip().endswith("\\")))
        lines.append(("... " if continued else ">>> ") + line)
    return lines


def _output_text(cell: dict[str, Any]) -> str:
    """The cell's saved outputs as otter joins them: stream text, then each result's ``text/plain``."""
    output = ""
    for item in cell.get("outputs", []) or []:
        if not isinstance(item, dict):
            continue
        text = item.get("text", "")
        output += "".join(text) if isinstance(text, list) else str(text)
        plain = (item.get("data") or {}).get("text/plain")
        if isinstance(plain, list) and plain:
            output += plain[0] if len(plain) == 1 else "".join(plain)
        elif isinstance(plain, str):
            output += plain
    return output


def read_test(cell: dict[str, Any], question: Question, number: int, *, ok_format: bool, where: str) -> TestCase:
    """One test cell as otter reads it (config docstring or ``# HIDDEN`` comment, then the code)."""
    source = _lines(cell)
    hidden = bool(source and source[0].lstrip().startswith("#")
                  and re.search(r"\bhidden\b", source[0], flags=re.IGNORECASE))
    start = 1 if hidden else 0
    config: dict[str, Any] = {}
    if source and _BEGIN_TEST_CONFIG.match(source[0]):
        end = next((i for i, line in enumerate(source) if i and _END_TEST_CONFIG.match(line)), None)
        if end is None:
            raise ConfigError(where, f"cell {number}: TEST CONFIG docstring without its END TEST CONFIG line")
        config = _yaml("\n".join(source[1:end]), f"{where}: cell {number} (test config)")
        start = end + 1
    body = "\n".join(line for line in source[start:] if not line.rstrip().endswith("# IGNORE"))
    try:
        tree = ast.parse(body)
    except SyntaxError as error:
        raise ConfigError(where, f"cell {number}: a test of {question.name} is not valid Python: {error}") from None
    points = config.get("points")
    if points is not None and (isinstance(points, bool) or not isinstance(points, int | float)):
        raise ConfigError(where, f"cell {number}: test points must be a number, not {points!r}")
    common: dict[str, Any] = {
        "question": question.name, "number": len(question.tests) + 1, "hidden": bool(config.get("hidden", hidden)),
        "points": None if points is None else float(points), "cell": number,
        "name": str(config["name"]) if config.get("name") is not None else None,
        "success_message": _text(config.get("success_message")),
        "failure_message": _text(config.get("failure_message"))}
    if ok_format:
        code = ast.unparse(_NoAnnotations().visit(tree))
        lines = _doctest_lines(code.split("\n")) + _output_text(cell).split("\n")
        return TestCase(kind="doctest", code="\n".join(lines), **common)
    if not tree.body or len(tree.body) > 2 or not isinstance(tree.body[0], ast.FunctionDef):
        raise ConfigError(where, f"cell {number}: an exception-based test of {question.name} holds a function "
                                 "definition and at most a call to it")
    function = tree.body[0]
    return TestCase(kind="exception", code=ast.unparse(_NoAnnotations().visit(function)), function=function.name,
                    **common)


def _text(value: Any) -> str | None:
    return None if value is None else str(value).strip()[:2000] or None


def read_master(path: Path) -> Master:
    """Parse the master notebook at ``path``; errors name the file and the cell."""
    where = str(path)
    try:
        if path.stat().st_size > MAX_MASTER_BYTES:
            raise ConfigError(where, f"larger than {MAX_MASTER_BYTES // 2**20} MiB")
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ConfigError(where, f"not a notebook: {error}") from None
    cells = raw.get("cells") if isinstance(raw, dict) else None
    if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells) or len(cells) > MAX_CELLS:
        raise ConfigError(where, f"not a notebook (a list of at most {MAX_CELLS} cells)")
    numbered = [{**c, "_cell": c.get("_cell", i)} for i, c in enumerate(cells, 1)]
    cells = _unfence(numbered, where)
    config: dict[str, Any] = {}
    questions: dict[str, Question] = {}
    out: list[Cell] = []
    notes: list[str] = []
    stack: list[str] = []  # open blocks: question, solution, prompt, tests
    question: Question | None = None
    ok_format = True
    for cell in cells:
        number = int(cell["_cell"])
        kind = cell.get("cell_type")
        lines = _lines(cell)
        first = lines[0] if lines else ""
        if kind == "raw" and _CONFIG.match(first):
            config = _yaml("\n".join(lines[1:]), f"{where}: cell {number} (ASSIGNMENT CONFIG)")
            tests = config.get("tests")
            if isinstance(tests, dict) and tests.get("ok_format") is False:
                ok_format = False
            if config.get("config_file"):
                extra = path.parent / str(config["config_file"])
                if extra.is_file() and extra.stat().st_size < 2**20:
                    loaded = _yaml(extra.read_text(encoding="utf-8"), str(extra))
                    config = {**loaded, **{k: v for k, v in config.items() if k != "config_file"}}
                    tests = config.get("tests")
                    ok_format = not (isinstance(tests, dict) and tests.get("ok_format") is False)
                else:
                    notes.append(f"config_file {config['config_file']!r} (cell {number}) not found beside the "
                                 "master: its settings were not read")
            continue
        boundary = _BOUNDARY.match(first) if kind == "raw" else None
        if boundary:
            verb, block = boundary.group(1).lower(), boundary.group(2).lower()
            if verb == "begin":
                if block == "question":
                    keys = _yaml("\n".join(lines[1:]), f"{where}: cell {number} (BEGIN QUESTION)")
                    name = keys.get("name")
                    if not isinstance(name, str) or not name.strip() or stack:
                        raise ConfigError(where, f"cell {number}: BEGIN QUESTION needs a name and may not be "
                                                 "inside another block")
                    if name in questions:
                        raise ConfigError(where, f"cell {number}: question {name!r} is defined twice")
                    question = Question(name, keys, cell=number)
                    questions[name] = question
                elif question is None and block != "solution":
                    raise ConfigError(where, f"cell {number}: BEGIN {block.upper()} outside a question")
                stack.append(block)
            else:
                if not stack or stack[-1] != block:
                    raise ConfigError(where, f"cell {number}: END {block.upper()} without its BEGIN")
                stack.pop()
                if block == "tests" and question is not None:
                    out.append(Cell("code", f'grader.check("{question.name}")', "check", question.name, number))
                if block == "question":
                    question = None
            continue
        role = stack[-1] if stack and stack[-1] in ("solution", "prompt", "tests") else "plain"
        qname = question.name if question else None
        if role == "tests" and question is not None:
            if kind == "code":
                question.tests.append(read_test(cell, question, number, ok_format=ok_format, where=where))
            continue
        if kind not in ("markdown", "code"):
            if "".join(lines).strip():
                notes.append(f"raw cell {number} is not an otter marker: left out of the notebook")
            continue
        text = "\n".join(lines)
        tags = (cell.get("metadata") or {}).get("tags") or []
        if kind == "markdown" and role == "solution" and "otter_include" not in tags:
            notes.append(f"cell {number} ({qname}): a written solution (Markdown) is left out: students would read it")
            continue
        if kind == "code" and role == "prompt":
            notes.append(f"cell {number} ({qname}): a code prompt is left out (the solution's placeholder stands)")
            continue
        regions = 0
        if kind == "code":
            try:
                text, regions, dropped = convert_solution_code(text)
            except ValueError as error:
                raise ConfigError(where, f"cell {number}: {error}") from None
            notes.extend(f"cell {number}: {d}" for d in dropped)
        out.append(Cell(str(kind), text, role, qname, number, regions))
    if stack:
        raise ConfigError(where, f"the notebook ends inside a {stack[-1].upper()} block")
    return Master(path, config, questions, out, notes)


def question_keys_not_converted(question: Question) -> list[str]:
    """The question's keys this project has no counterpart for."""
    return sorted(k for k in question.config if k not in _QUESTION_KEYS)
