"""The check author's API is one module, and what checks keep lives with one submission's handle only.

- every ``solutions/*/*.py`` imports from the grader only ``autograder.author`` (read with :mod:`ast`);
- no solution keeps a module-level cache (``functools`` caches, ``weakref`` dictionaries): a grader process grades
  many submissions with one import of the checks;
- ``nb.memo`` is per handle: two submissions graded in one process get their own values.
"""

from __future__ import annotations

import ast
import gc
import sys
import weakref
from pathlib import Path

import pytest

from autograder.author import Handle, load_model
from autograder.checks.core import Memo
from autograder.grade.runner import SandboxHandle
from autograder.student import LocalHandle

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions"
ALLOWED = {"numpy", "keras", "tensorflow", "__future__"} | set(sys.stdlib_module_names)


def _files(name: str) -> list[Path]:
    return sorted((SOLUTIONS / name).glob("*.py"))


def _problems(path: Path) -> list[str]:
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or ""]
        else:
            continue
        for module in modules:
            top = module.split(".")[0]
            if module != "autograder.author" and top not in ALLOWED:
                found.append(f"{path.name}:{node.lineno} imports {module}")
            if top in ("functools", "weakref"):
                found.append(f"{path.name}:{node.lineno} imports {module} (a cache across submissions)")
    for node in tree.body:  # module-level caches: a dict or WeakKeyDictionary kept for later checks
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Dict | ast.Call):
            value = node.value
            called = value.func.attr if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) else (
                value.func.id if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) else "")
            if (isinstance(value, ast.Dict) and not value.keys) or called in (
                    "dict", "WeakKeyDictionary", "WeakValueDictionary", "OrderedDict"):
                found.append(f"{path.name}:{node.lineno} keeps a module-level cache")
    return found


ASSIGNMENTS = sorted(p.name for p in SOLUTIONS.iterdir() if (p / "public_checks.py").is_file())


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_solutions_import_only_the_author_module_and_keep_no_module_cache(name: str) -> None:
    assert _files(name)
    assert [p for f in _files(name) for p in _problems(f)] == []


def test_the_scan_sees_engine_imports_and_module_caches(tmp_path: Path) -> None:
    bad = tmp_path / "public_checks.py"
    bad.write_text("import functools\nfrom autograder.checks import check\nfrom autograder.author import expect\n"
                   "_LOADED = {}\n_RUNS: dict = dict()\nKEYS = {'a': 1}\n")
    assert [p.split(" ", 1)[1] for p in _problems(bad)] == [
        "imports functools (a cache across submissions)", "imports autograder.checks",
        "keeps a module-level cache", "keeps a module-level cache"]


def test_every_handle_has_the_memo() -> None:
    assert issubclass(SandboxHandle, Memo) and issubclass(LocalHandle, Memo)


def test_the_memo_is_per_submission_and_dies_with_its_handle() -> None:
    calls: list[str] = []

    def run(handle: Handle, answer: str) -> str:
        def compute() -> str:
            calls.append(answer)
            return answer
        return handle.memo(("run", 1), compute)

    first, second = LocalHandle({}, []), LocalHandle({}, [])
    assert run(first, "first") == run(first, "ignored") == "first"  # computed once for the submission
    assert run(second, "second") == "second"  # the next submission in the same process: its own value
    assert calls == ["first", "second"]

    def failing() -> str:
        raise ValueError("no")

    with pytest.raises(ValueError):
        first.memo("failing", failing)
    assert first.memo("failing", lambda: "now") == "now"  # a failure is not kept

    class Value:
        pass

    kept = first.memo("object", Value)
    assert first.memo("object", Value) is kept
    gone = weakref.ref(kept)
    del kept, first
    gc.collect()
    assert gone() is None  # nothing of the first submission outlives its handle


def test_load_model_is_shared_by_one_submissions_checks_and_not_by_the_next() -> None:
    keras = pytest.importorskip("keras")

    def model(units: int) -> object:
        return keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(units)])

    first, second = LocalHandle({"model": model(2)}, []), LocalHandle({"model": model(5)}, [])
    loaded = load_model(first, "model")
    assert load_model(first, "model") is loaded
    assert loaded.count_params() == 3 * 2 + 2
    assert load_model(second, "model").count_params() == 3 * 5 + 5
