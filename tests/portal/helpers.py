"""A demo course with a portal: tokens, a signed-in client, a grade recorded for an upload without grading."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from fastapi.testclient import TestClient

from autograder.gradebook import Gradebook
from autograder.gradebook.records import SubmissionKey
from autograder.portal.store import Job, PortalStore
from autograder.results import CheckResult, CheckStatus, QuestionScore, SubmissionResult, SubmissionStatus
from tests.conftest import GOOD_ADD, GOOD_RELU, make_course, write_notebook

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
SIGN_IN_CSRF = re.compile(r'action="/login">\s*<input type="hidden" name="csrf" value="([^"]+)"')


def portal_course(root: Path, portal_yaml: str = "", *, due: str | None = None) -> Path:
    """The conftest demo course (q1 public relu, q2 hidden add) with a ``portal:`` section; its config."""
    config = make_course(root)
    text = config.read_text()
    if due is not None:
        text = text.replace("points: {q1: 4, q2: 4}", f"points: {{q1: 4, q2: 4}}\n    due: {due}")
    text += "portal:\n  uploads_dir: uploads\n" + textwrap.indent(textwrap.dedent(portal_yaml), "  ")
    config.write_text(text)
    return config


def gradebook_of(config: Path) -> str:
    """Where the demo course's gradebook is."""
    return str(config.parent / "gradebook.sqlite")


def good_notebook(folder: Path, name: str = "kim.ipynb") -> Path:
    """A notebook passing every check of the demo."""
    return write_notebook(folder / name, GOOD_RELU, GOOD_ADD)


def sign_in(client: TestClient, token: str) -> str:
    """Sign ``client`` in with ``token`` through the form; the session's CSRF token."""
    page = client.get("/login", params={"token": token})
    pre = SIGN_IN_CSRF.search(page.text)  # the sign-in form's (a signed-in page also has the sign-out form's)
    assert pre is not None
    answer = client.post("/login", data={"token": token, "csrf": pre.group(1)}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    home = client.get("/", follow_redirects=True)
    found = CSRF.search(home.text)
    assert found is not None
    return found.group(1)


def recorded_grade(config: Path, store: PortalStore, student: str, *, hidden_passed: bool = True) -> Job:
    """An accepted upload of ``student`` whose grade is recorded (as the loop would), without grading it."""
    path = good_notebook(config.parent / "made", f"{student}.ipynb")
    job = store.accept("demo", student, "nb.ipynb", path, "0" * 64, path.stat().st_size, "2026-01-01T00:00:00+00:00")
    store.claim(100)
    public = CheckResult("q1", "relu_values", 1.0, False, CheckStatus.PASSED)
    hidden = CheckResult("q2", "add_values", 1.0, True, CheckStatus.PASSED if hidden_passed else CheckStatus.FAILED,
                         key="check.returned_wrong" if not hidden_passed else None)
    result = SubmissionResult(student, job.source, SubmissionStatus.GRADED,
                              questions=(QuestionScore("q1", 4.0, 4.0, (public,)),
                                         QuestionScore("q2", 4.0 if hidden_passed else 0.0, 4.0, (hidden,))),
                              output="HIDDEN-INPUT-PRINTED")
    with Gradebook.open(gradebook_of(config)) as book:
        run = book.start_run("demo", fingerprint_of_checks="t", config_hash="t", workers=1, command="test")
        book.record(run, "demo", SubmissionKey(student, "0" * 64, job.source, job.upload.received_at), result,
                    fingerprint="t")
    store.finish(job.id)
    return job
