"""The gradebook: students, submissions, runs and every check result, in SQLite or PostgreSQL."""

from autograder.gradebook.backend import GradebookError
from autograder.gradebook.records import StoredResult, SubmissionKey
from autograder.gradebook.schema import LATEST as SCHEMA_VERSION
from autograder.gradebook.store import RUN_END_STATUSES, Gradebook, RunInfo, RunStatus

__all__ = ["RUN_END_STATUSES", "SCHEMA_VERSION", "Gradebook", "GradebookError", "RunInfo", "RunStatus", "StoredResult",
           "SubmissionKey"]
