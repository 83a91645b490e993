"""Exceptions that carry fields. They become exit codes only in the CLI."""

from __future__ import annotations

from typing import Any


class AutograderError(Exception):
    """Base class of every error the autograder raises on purpose."""


class ConfigError(AutograderError):
    """The grading configuration or an assignment's files are wrong.

    ``path`` names the file and ``key`` the dotted key inside it (when there is one).
    """

    def __init__(self, path: str, problem: str, key: str | None = None) -> None:
        self.path = path
        self.key = key
        self.problem = problem
        where = f"{path}: {key}" if key else path
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple[Any, ...]:  # picklable: grader processes hand rows to the parent
        return (type(self), (self.path, self.problem, self.key))


class SubmissionError(AutograderError):
    """A submission file cannot be graded (not a notebook, unsafe zip entry, ...).

    ``key`` and ``params`` name a message in the catalogue, so the row in the
    results can be shown in Korean or English.
    """

    def __init__(self, source: str, key: str, **params: Any) -> None:
        self.source = source
        self.key = key
        self.params = params
        super().__init__(f"{source}: {key} {params}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_keyed, (type(self), (self.source, self.key), self.params))


class SandboxError(AutograderError):
    """The sandbox could not be started or stopped answering."""


class ProtocolError(SandboxError):
    """The sandbox sent something that is not a well-formed message.

    Student code runs in the sandbox and can write anything to the channel, so
    every malformed frame ends here rather than in a crash of the grader.
    """


class _CheckOutcome(Exception):
    """A check's verdict other than passing: a catalogue key and its parameters (picklable)."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_keyed, (type(self), (self.key,), self.params))


class CheckFailed(_CheckOutcome):
    """Raised by check helpers when the student's answer is wrong.

    Carries a catalogue key and its parameters, never a pre-rendered string, so
    the same failure renders in either language.
    """


class CheckSkipped(_CheckOutcome):
    """Raised by a check that cannot run for a reason outside the student's control.

    For example: no pretrained weights on this machine, so an accuracy that
    depends on them cannot be measured. The check earns nothing and its share
    of the question leaves the maximum too; its message says what was not
    checked and why.
    """


def _rebuild_keyed(cls: type[Exception], args: tuple[Any, ...], params: dict[str, Any]) -> Exception:
    """Unpickle an error whose parameters are keyword arguments."""
    return cls(*args, **params)
