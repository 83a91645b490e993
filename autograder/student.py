"""``grader.check("q1")`` in the student's own notebook: public checks, in-process.

No security is needed here (the student is checking their own work), but the
values still make the same data round trip as in the grader, so a function
that returns something the grader cannot accept fails here too, with the same
message, and each call of a student function has the grader's time limit.

What the course decided is baked into the notebook by ``autograder assign``
(its metadata, key :data:`METADATA_KEY`): the course language, the call time
limit, the assignment's questions and a copy of ``public_checks.py``. The
checks come from ``public_checks.py`` beside the notebook when it is there,
else from that copy, so a notebook moved to another folder still checks.
Course data (``data_dir=`` or ``AUTOGRADER_DATA_DIR``) answers
``keras.datasets`` downloads as in the sandbox (:mod:`autograder.data.keras_files`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.abc
import importlib.machinery
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from autograder.assignment_files import PUBLIC_CHECKS
from autograder.checks.core import CheckContext, CheckSpec, Memo, load_checks, run_checks
from autograder.checks.expected import PUBLIC_EXPECTED
from autograder.checks.source import SourceInfo
from autograder.data import USER_DATA_ENV, keras_files
from autograder.errors import ConfigError
from autograder.i18n import DEFAULT_LANGUAGE, LANGUAGES, MESSAGES_FILE, check_language, message, register_assignment
from autograder.notebook import CodeCell
from autograder.results import CheckResult
from autograder.sandbox import protocol
from autograder.sandbox.keras_values import to_data
from autograder.sandbox.session import Reply
from autograder.sandbox.worker import describe_value

if TYPE_CHECKING:
    from autograder.exam.practice import PracticeAllReport, PracticeReport

METADATA_KEY = "autograder"  # notebook metadata written by ``autograder assign``
LANG_ENV = "AUTOGRADER_LANG"
DEFAULT_CALL_TIME_S = 10.0  # the grader's default limits.call_time_s, for notebooks without baked limits
_MAX_NOTEBOOK_BYTES = 64 * 2**20  # a larger .ipynb in the folder is not read when looking for the metadata
_MAX_SCANNED = 50  # notebooks read at most when looking for this one in its folder


# -- what assign baked into the notebook ------------------------------------------------------------------------
@dataclass(frozen=True)
class Baked:
    """The course's settings ``autograder assign`` wrote into the notebook ``path``."""

    path: Path
    assignment: str
    language: str | None = None
    call_time_s: float | None = None
    questions: tuple[str, ...] = ()
    checks_source: str | None = None
    expected_source: str | None = None  # the text of public_expected.json, when the checks have one
    messages_source: str | None = None  # the text of the assignment's messages.py, when it has one


def course_metadata(assignment: str, *, language: str, call_time_s: float, questions: Sequence[str],
                    public_checks: str, public_expected: str | None = None,
                    messages: str | None = None) -> dict[str, Any]:
    """The notebook metadata ``autograder assign`` writes under :data:`METADATA_KEY`.

    ``public_expected``: the text of ``public_expected.json`` (the public checks' expected values), carried with
    the checks (see :mod:`autograder.checks.expected`).
    """
    checks: dict[str, Any] = {"file": PUBLIC_CHECKS, "source": public_checks,
                              "sha256": hashlib.sha256(public_checks.encode("utf-8")).hexdigest()}
    if public_expected is not None:
        checks["expected"] = {"file": PUBLIC_EXPECTED, "source": public_expected,
                              "sha256": hashlib.sha256(public_expected.encode("utf-8")).hexdigest()}
    if messages is not None:  # the assignment's own ko/en messages, which its checks' results name
        checks["messages"] = {"file": MESSAGES_FILE, "source": messages,
                              "sha256": hashlib.sha256(messages.encode("utf-8")).hexdigest()}
    return {"assignment": assignment, "language": check_language(language), "call_time_s": float(call_time_s),
            "questions": list(questions), "public_checks": checks}


def _trusted(entry: Any) -> str | None:
    """A baked file's text when its hash matches (edited by hand or damaged: not trusted to be the course's)."""
    source = entry.get("source") if isinstance(entry, dict) else None
    if isinstance(source, str) and hashlib.sha256(source.encode("utf-8")).hexdigest() == entry.get("sha256"):
        return source
    return None


def read_baked(path: Path, assignment: str) -> Baked | None:
    """The settings baked into the notebook ``path`` for ``assignment``; ``None`` if it has none (or is not one)."""
    try:
        if not path.is_file() or path.stat().st_size > _MAX_NOTEBOOK_BYTES:
            return None
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    meta = data.get("metadata") if isinstance(data, dict) else None
    baked = meta.get(METADATA_KEY) if isinstance(meta, dict) else None
    if not isinstance(baked, dict) or baked.get("assignment") != assignment:
        return None
    language = baked.get("language") if baked.get("language") in LANGUAGES else None
    limit = baked.get("call_time_s")
    call_time_s = float(limit) if isinstance(limit, int | float) and not isinstance(limit, bool) and limit > 0 \
        else None
    questions = baked.get("questions")
    checks = baked.get("public_checks")
    checks = checks if isinstance(checks, dict) else {}
    return Baked(path, assignment, language, call_time_s,
                 tuple(q for q in questions if isinstance(q, str)) if isinstance(questions, list) else (),
                 _trusted(checks), _trusted(checks.get("expected")), _trusted(checks.get("messages")))


def find_notebook(assignment: str, explicit: str | Path | None = None,
                  namespace: Mapping[str, Any] | None = None) -> Baked | None:
    """The running notebook's baked settings: from ``explicit``, the editor's notebook path, or the folder.

    VS Code names the notebook in ``__vsc_ipynb_file__``, Jupyter Server in
    ``JPY_SESSION_NAME``; otherwise the kernel's working folder (Jupyter starts
    kernels in the notebook's folder) is searched for a notebook of this
    assignment, the most recently saved first.
    """
    candidates: list[Path] = []
    if explicit is not None:
        candidates.append(Path(explicit).expanduser())
    named = (namespace or {}).get("__vsc_ipynb_file__")
    if isinstance(named, str):
        candidates.append(Path(named))
    if os.environ.get("JPY_SESSION_NAME"):
        candidates.append(Path(os.environ["JPY_SESSION_NAME"]))
    for path in candidates:
        baked = read_baked(path, assignment)
        if baked is not None:
            return baked
    if explicit is not None:
        return None
    try:
        here = sorted(Path.cwd().glob("*.ipynb"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return None
    for path in here[:_MAX_SCANNED]:
        baked = read_baked(path, assignment)
        if baked is not None:
            return baked
    return None


class Note(str):
    """A message for the student, shown as plain text (not as a quoted string) by Jupyter."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


# -- calls with the grader's time limit -------------------------------------------------------------------------
class CallTimedOut(BaseException):
    """A student's function ran past the call time limit (a BaseException: ``except Exception`` does not stop it)."""


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`CallTimedOut` in the block after ``seconds`` (main thread, SIGALRM; elsewhere: no limit).

    The alarm repeats every 0.2 s until the block ends, so a student's bare
    ``except:`` that swallows one timeout still stops at the next.
    """
    if (not seconds or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return
    armed = [True]

    def alarm(signum: int, frame: Any) -> None:
        if armed[0]:
            raise CallTimedOut

    previous = signal.signal(signal.SIGALRM, alarm)
    start = time.monotonic()
    outer = signal.setitimer(signal.ITIMER_REAL, seconds, 0.2)
    try:
        yield
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer[0] > 0:  # someone else's timer was running: give it back what is left of it
            left = outer[0] - (time.monotonic() - start)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), outer[1])


class LocalHandle(Memo):
    """A :class:`~autograder.checks.Handle` over a namespace in this interpreter."""

    def __init__(self, namespace: Mapping[str, Any], cells: list[CodeCell], lang: str = DEFAULT_LANGUAGE,
                 call_time_s: float | None = None) -> None:
        self.namespace = namespace
        self.source = SourceInfo.from_cells(cells)
        self.context = CheckContext(lang=lang)
        self.call_time_s = call_time_s

    def call(self, name: str, *args: Any, **kwargs: Any) -> Reply:
        """Call ``name`` on copies of the arguments, as the sandbox would, within the call time limit."""
        function = self.namespace.get(name)
        if function is None:
            return Reply("missing")
        if not callable(function):
            return Reply("not_callable")
        args = tuple(a.build() if isinstance(a, protocol.View) else a for a in protocol.round_trip(list(args)))
        try:
            with time_limit(self.call_time_s):
                result = function(*args, **protocol.round_trip(kwargs))
        except CallTimedOut:
            return Reply("timeout")
        except Exception as error:  # noqa: BLE001  (the student's error is the answer)
            return Reply("error", None, protocol.round_trip(list(args)),
                         {"ename": type(error).__name__, "evalue": str(error), "traceback": ""})
        return Reply("ok", protocol.round_trip(to_data(result)), tuple(protocol.round_trip(list(args))))

    def info(self, name: str) -> Reply:
        """Type, shape, dtype and length of ``name``, as the grader would see them."""
        if name not in self.namespace:
            return Reply("missing")
        return Reply("ok", protocol.round_trip(describe_value(self.namespace[name])))

    def value(self, name: str) -> Reply:
        """The value of ``name``, after the data round trip."""
        if name not in self.namespace:
            return Reply("missing")
        return Reply("ok", protocol.round_trip(to_data(self.namespace[name])))


# -- what grader.check shows ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckReport:
    """What ``grader.check`` shows: one line per public check, titled when the check has a title."""

    question: str
    results: tuple[CheckResult, ...]
    lang: str
    titles: Mapping[str, Mapping[str, str]] | None = None

    @property
    def passed(self) -> int:
        """How many of the checks passed."""
        return sum(r.passed for r in self.results)

    def label(self, result: CheckResult) -> str:
        """The check's title in this language, else its name."""
        return (self.titles or {}).get(result.name, {}).get(self.lang) or result.name

    def lines(self) -> list[str]:
        """Plain-text lines: a summary, then one per check."""
        head = message("student.summary", self.lang, question=self.question, passed=self.passed,
                       total=len(self.results))
        lines = [head]
        for r in self.results:
            text = r.render(self.lang)
            lines.append(("  ✔ " if r.passed else "  ✘ ") + self.label(r) + (f": {text}" if text else ""))
        return lines

    def __repr__(self) -> str:
        return "\n".join(self.lines())

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{escape(line.strip())}</li>" for line in self.lines()[1:])
        return f"<p><b>{escape(self.lines()[0])}</b></p><ul>{items}</ul>"


@dataclass(frozen=True)
class AllReport:
    """What ``grader.check_all()`` shows: a summary line, then each question's report."""

    reports: tuple[CheckReport, ...]
    without_checks: tuple[str, ...]
    lang: str

    @property
    def passed(self) -> int:
        """Public checks passed, over every question."""
        return sum(r.passed for r in self.reports)

    @property
    def total(self) -> int:
        """Public checks run, over every question."""
        return sum(len(r.results) for r in self.reports)

    def lines(self) -> list[str]:
        """Plain-text lines: the summary, each question's lines, the questions without public checks."""
        lines = [message("student.all_summary", self.lang, passed=self.passed, total=self.total,
                         questions=len(self.reports))]
        for report in self.reports:
            lines += report.lines()
        if self.without_checks:
            lines.append(message("student.all_without_checks", self.lang, questions=", ".join(self.without_checks)))
        return lines

    def __repr__(self) -> str:
        return "\n".join(self.lines())

    def _repr_html_(self) -> str:
        parts = [f"<p><b>{escape(self.lines()[0])}</b></p>"]
        parts += [report._repr_html_() for report in self.reports]
        if self.without_checks:
            parts.append(f"<p>{escape(self.lines()[-1])}</p>")
        return "".join(parts)


# -- course data for keras.datasets -----------------------------------------------------------------------------
_FILE_UTILS = "keras.src.utils.file_utils"
_DATASET_MODULES = ("imdb", "reuters", "boston_housing", "mnist", "fashion_mnist")


def _course_get_file(original: Any, files: Mapping[str, str], lang: str) -> Any:
    """Keras' ``get_file`` answering the dataset files in ``files`` from disk; others as Keras does (download)."""
    if getattr(original, "__autograder_offline__", False):
        return original

    @functools.wraps(original)
    def get_file(fname: str | None = None, origin: str | None = None, *args: Any, **kwargs: Any) -> Any:
        name = os.path.basename(fname or (origin or "").rstrip("/"))
        known = kwargs.get("cache_subdir", "datasets") == "datasets" and name in keras_files.KERAS_FILES
        if known and name in files:
            return files[name]
        try:
            return original(fname, origin, *args, **kwargs)
        except Exception as error:
            if not known:
                raise
            raise keras_files.MissingDataset(message("student.data_missing", lang, name=name,
                                                     env=USER_DATA_ENV)) from error

    get_file.__autograder_offline__ = True  # type: ignore[attr-defined]
    return get_file


def _patch_module(module: ModuleType, files: Mapping[str, str], lang: str) -> None:
    if "get_file" in vars(module):
        vars(module)["get_file"] = _course_get_file(vars(module)["get_file"], files, lang)


class _FileUtilsLoader(importlib.abc.Loader):
    def __init__(self, inner: Any, files: Mapping[str, str], lang: str) -> None:
        self.inner, self.files, self.lang = inner, files, lang

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.inner.create_module(spec)  # type: ignore[no-any-return]

    def exec_module(self, module: ModuleType) -> None:
        self.inner.exec_module(module)
        _patch_module(module, self.files, self.lang)


class _FileUtilsFinder(importlib.abc.MetaPathFinder):
    """Patches ``get_file`` when Keras first loads it, before its dataset modules bind the name."""

    def __init__(self, files: Mapping[str, str], lang: str) -> None:
        self.files, self.lang = files, lang

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != _FILE_UTILS:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _FileUtilsLoader(spec.loader, self.files, self.lang)
                return spec
        return None


def use_course_data(data_dir: str | Path | None, lang: str) -> dict[str, str]:
    """Answer ``keras.datasets`` downloads from the course data and the Keras cache, as the sandbox does.

    ``data_dir`` (else ``AUTOGRADER_DATA_DIR``) is the course data folder; it
    also becomes ``AUTOGRADER_DATA_DIR`` for :func:`autograder.data.course_path`.
    Files found are resolved as the sandbox resolves them (a genuine file in
    ``KERAS_HOME`` or ``~/.keras`` first, then ``<data_dir>/keras/datasets/``,
    then the rebuilt copies in ``<data_dir>/data/``); Keras keeps downloading
    any other file. Returns the files found (name -> path).
    """
    folder = data_dir if data_dir is not None else os.environ.get(USER_DATA_ENV)
    if not folder:
        return {}
    base = Path(folder).expanduser().resolve()
    if not base.is_dir():
        print(message("student.data_dir_missing", lang, folder=str(base)), file=sys.stderr)
        return {}
    os.environ[USER_DATA_ENV] = str(base)
    files = {name: str(path) for name, path in keras_files.resolve(base).items()}
    if not files:
        return {}
    for name in (_FILE_UTILS, *(f"keras.src.datasets.{d}" for d in _DATASET_MODULES)):
        if name in sys.modules:
            _patch_module(sys.modules[name], files, lang)
    if _FILE_UTILS not in sys.modules and not any(isinstance(f, _FileUtilsFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _FileUtilsFinder(files, lang))
    return files


# -- the grader object --------------------------------------------------------------------------------------
class Notebook:
    """The ``grader`` object of a student notebook.

    ``lang``: the language of the messages (else ``AUTOGRADER_LANG``, else the
    course's, baked into the notebook, else English); ``data_dir``: the course
    data folder (else ``AUTOGRADER_DATA_DIR``); ``notebook``: this notebook's
    path, when the kernel does not run in its folder; ``checks_dir``: the
    folder of ``public_checks.py`` (default: the notebook's); ``call_time_s``:
    the time limit of each call of a student function (default: the course's).
    """

    def __init__(self, assignment: str, *, lang: str | None = None, checks_dir: str | Path | None = None,
                 data_dir: str | Path | None = None, notebook: str | Path | None = None,
                 call_time_s: float | None = None) -> None:
        self.assignment = assignment
        self.in_sandbox = os.environ.get("AUTOGRADER_SANDBOX") == "1"
        self.baked = None if self.in_sandbox else find_notebook(assignment, notebook, _user_namespace())
        self._lang = check_language(lang) if lang is not None else None
        self.call_time_s = call_time_s if call_time_s is not None else (
            self.baked.call_time_s if self.baked is not None and self.baked.call_time_s else DEFAULT_CALL_TIME_S)
        folder = Path(checks_dir) if checks_dir is not None else (
            self.baked.path.parent if self.baked is not None else Path("."))
        self.checks_path = folder / PUBLIC_CHECKS
        self._embedded: tuple[tempfile.TemporaryDirectory[str], list[CheckSpec]] | None = None
        self.data_files = {} if self.in_sandbox else use_course_data(data_dir, self.lang)
        self.data_dir = data_dir

    @property
    def lang(self) -> str:
        """The language of the messages: ``lang=``, else ``AUTOGRADER_LANG``, else the course's, else English."""
        if self._lang is not None:
            return self._lang
        chosen = os.environ.get(LANG_ENV) or (self.baked.language if self.baked is not None else None)
        return check_language(chosen or DEFAULT_LANGUAGE)

    def questions(self) -> tuple[str, ...]:
        """The assignment's questions (those baked in; else those the public checks cover)."""
        if self.baked is not None and self.baked.questions:
            return self.baked.questions
        try:
            return tuple(dict.fromkeys(s.question for s in self._specs()))
        except ConfigError:
            return ()

    def _specs(self) -> list[CheckSpec]:
        """The public checks: ``public_checks.py`` beside the notebook, else the copy inside it.

        The file beside it without the ``public_expected.json`` or ``messages.py`` its checks read gives way to the
        notebook's copy of all of them, when the notebook has one (a student who copied only the ``.py``). The
        assignment's messages are registered from the same folder.
        """
        beside = self.checks_path.is_file()
        baked = self.baked if self.baked is not None and self.baked.checks_source is not None else None
        lacking = baked is not None and any(  # a file the checks read that the notebook has and the folder lacks
            text is not None and not self.checks_path.with_name(name).is_file()
            for name, text in ((PUBLIC_EXPECTED, baked.expected_source), (MESSAGES_FILE, baked.messages_source)))
        if beside and not lacking:
            specs = [s for s in load_checks(self.checks_path) if not s.hidden]
            register_assignment(self.checks_path.parent, self.assignment)
            return specs
        if self.baked is not None and self.baked.checks_source is not None:
            if self._embedded is None:
                folder = tempfile.TemporaryDirectory(prefix="autograder-checks-")
                path = Path(folder.name) / PUBLIC_CHECKS
                path.write_text(self.baked.checks_source, encoding="utf-8")
                if self.baked.expected_source is not None:
                    path.with_name(PUBLIC_EXPECTED).write_text(self.baked.expected_source, encoding="utf-8")
                if self.baked.messages_source is not None:
                    path.with_name(MESSAGES_FILE).write_text(self.baked.messages_source, encoding="utf-8")
                self._embedded = (folder, [s for s in load_checks(path) if not s.hidden])
            register_assignment(Path(self._embedded[0].name), self.assignment)
            return self._embedded[1]
        raise ConfigError(str(self.checks_path), "no public checks")

    def _missing_checks(self, lang: str, error: ConfigError) -> Note:
        if self.checks_path.is_file():  # there, but it does not import
            return Note(message("student.checks_broken", lang, path=str(self.checks_path.resolve()),
                                detail=error.problem[:300]))
        return Note(message("student.checks_missing", lang, assignment=self.assignment,
                            file=PUBLIC_CHECKS, folder=str(self.checks_path.parent.resolve())))

    def check(self, question: str, namespace: Mapping[str, Any] | None = None, *,
              lang: str | None = None) -> CheckReport | Note | PracticeReport:
        """Run the public checks of ``question`` against this notebook's definitions (``Notebook("exam")``: the
        public part of exam category ``question`` for the saved model, :mod:`autograder.exam.practice`)."""
        lang = check_language(lang) if lang is not None else self.lang
        if self.in_sandbox:
            return Note(message("student.in_grader", lang, question=question))
        if self.assignment == "exam":
            from autograder.exam import practice

            return practice.check(question, lang=lang, data_dir=self.data_dir)
        try:
            specs = self._specs()
        except ConfigError as error:
            return self._missing_checks(lang, error)
        known = self.questions() or tuple(dict.fromkeys(s.question for s in specs))
        if question not in known and all(s.question != question for s in specs):
            return Note(message("student.unknown_question", lang, question=str(question)[:100],
                                assignment=self.assignment, known=", ".join(known), example=known[0] if known
                                else "q1"))
        namespace, cells = _notebook_state(namespace)
        results = run_checks(specs, LocalHandle(namespace, cells, lang, self.call_time_s), [question])
        if not results:
            return Note(message("student.no_checks", lang, question=question))
        return CheckReport(question, tuple(results), lang, _titles(specs))

    def check_all(self, namespace: Mapping[str, Any] | None = None, *,
                  lang: str | None = None) -> AllReport | Note | PracticeAllReport:
        """Run the public checks of every question; the summary first, then each question's checks
        (``Notebook("exam")``: every exam category whose folder holds a saved model, :mod:`autograder.exam.practice`).
        """
        lang = check_language(lang) if lang is not None else self.lang
        if self.in_sandbox:
            return Note(message("student.in_grader", lang, question=self.assignment))
        if self.assignment == "exam":
            from autograder.exam import practice

            return practice.check_all(lang=lang, data_dir=self.data_dir)
        try:
            specs = self._specs()
        except ConfigError as error:
            return self._missing_checks(lang, error)
        covered = tuple(dict.fromkeys(s.question for s in specs))
        order = tuple(dict.fromkeys((*self.questions(), *covered)))
        namespace, cells = _notebook_state(namespace)
        handle = LocalHandle(namespace, cells, lang, self.call_time_s)
        titles = _titles(specs)
        reports = tuple(CheckReport(q, tuple(run_checks(specs, handle, [q])), lang, titles)
                        for q in order if q in covered)
        return AllReport(reports, tuple(q for q in order if q not in covered), lang)


def _titles(specs: Sequence[CheckSpec]) -> dict[str, dict[str, str]]:
    return {s.name: dict(s.title) for s in specs if s.title}


def _user_namespace() -> Mapping[str, Any] | None:
    try:
        from IPython import get_ipython as current_shell
    except ImportError:
        return None
    shell = current_shell()
    return shell.user_ns if shell is not None else None


def _notebook_state(namespace: Mapping[str, Any] | None) -> tuple[Mapping[str, Any], list[CodeCell]]:
    """The running notebook's globals and the code it has run so far (its input history)."""
    try:
        from IPython import get_ipython as current_shell
    except ImportError:
        current_shell = None
    shell = current_shell() if current_shell is not None else None
    if shell is None:
        import __main__

        return (namespace if namespace is not None else vars(__main__)), []
    history = [CodeCell(i, src) for i, src in enumerate(shell.user_ns.get("In", [])) if src]
    return (namespace if namespace is not None else shell.user_ns), history
