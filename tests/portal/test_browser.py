"""The portal in a real browser: headless Chromium (Debian's) driven by Playwright against a real ``autograder serve``.

Student A signs in with their personal link, uploads a notebook, sees it in the queue and then its feedback (the
public checks; the hidden one not before the due date); student B cannot open A's pages; the instructor sees both
and regrades A. A also uploads a model file for exam-practice category 1 and sees its score; B gets 404 for it and
the instructor sees it per candidate. One server and one browser for the module.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from autograder.portal.store import INSTRUCTOR, PortalStore
from tests.portal.helpers import good_notebook, gradebook_of, portal_course
from tests.portal.server import Server

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") and "/usr/bin/chromium"


@dataclass
class Class:
    server: Server
    links: dict[str, str]
    notebook: Path
    browser: Any
    model: Path


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Class]:
    if not CHROMIUM:
        pytest.skip("no Debian chromium at /usr/bin/chromium (make browser installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    root = tmp_path_factory.mktemp("browser")
    config = portal_course(root / "course", "language: en\n")
    shutil.copytree(Path(__file__).resolve().parents[2] / "exam", config.parent / "exam")
    model = exact_line(root / "mymodel.keras")
    with PortalStore(gradebook_of(config)) as store:
        tokens = {"kim": store.issue_token("kim"), "lee": store.issue_token("lee"),
                  "prof": store.issue_token("prof", INSTRUCTOR)}
    server = Server(config).start()
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            try:
                yield Class(server, {k: f"{server.url}/login?token={v}" for k, v in tokens.items()},
                            good_notebook(root), browser, model)
            finally:
                browser.close()
    finally:
        server.stop()


def exact_line(path: Path) -> Path:
    """Exam category 1's model with the exact line y = 2x - 1 (it scores 5), saved by Keras."""
    import keras
    import numpy as np

    model = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    model.layers[-1].set_weights([np.array([[2.0]], dtype=np.float32), np.array([-1.0], dtype=np.float32)])
    model.save(path)
    return path


def signed_in(live: Class, who: str) -> Any:
    page = live.browser.new_context().new_page()
    page.goto(live.links[who])
    page.click("#signin")
    assert f"Signed in as {who}" in page.inner_text("#who")
    return page


def upload(page: Any, notebook: Path) -> int:
    page.set_input_files("#assignment-demo input[type=file]", str(notebook))
    page.click("#assignment-demo button[type=submit]")
    match = re.search(r"/u/(\d+)$", page.url)
    assert match, page.url
    return int(match.group(1))


def wait_for(page: Any, selector: str, timeout: float = 150) -> None:
    """Wait until ``selector`` is on the page. The page reloads itself (meta refresh) while the upload is queued or
    graded, so a one-shot query can land mid-navigation ("Execution context was destroyed"); a locator's wait is
    re-evaluated across those reloads."""
    try:
        page.locator(selector).first.wait_for(state="attached", timeout=timeout * 1000)
    except Exception as error:  # playwright's TimeoutError; say what the page showed instead
        raise AssertionError(f"no {selector} after {timeout} s: {page.inner_text('body')}") from error


@pytest.fixture(scope="module")
def kim(live: Class) -> dict[str, Any]:
    page = signed_in(live, "kim")
    upload_id = upload(page, live.notebook)
    status = page.inner_text("#status")
    wait_for(page, "#feedback")
    score = page.inner_text("#score")
    page.click("#feedback")
    return {"page": page, "id": upload_id, "status": status, "score": score, "feedback": page.inner_text("body")}


def test_a_student_uploads_sees_the_queue_then_the_feedback(kim: dict[str, Any]) -> None:
    assert kim["status"].startswith(("Waiting to be graded", "Being graded")), kim["status"]
    assert "4 / 4" in kim["score"]  # the public checks; the hidden one (4 points) after the due date
    assert "relu_values" in kim["feedback"] and "add_values" not in kim["feedback"]
    assert "hidden checks (4 points) are shown after the due date" in kim["feedback"]


def test_another_student_cannot_open_those_pages(live: Class, kim: dict[str, Any]) -> None:
    page = signed_in(live, "lee")
    for path in (f"/u/{kim['id']}", f"/u/{kim['id']}/feedback"):
        answer = page.goto(live.server.url + path)
        assert answer.status == 404, path
        assert "relu_values" not in page.inner_text("body") and "kim" not in page.inner_text("main")
    assert f"/u/{kim['id']}" not in page.goto(live.server.url + "/").text()
    assert page.goto(live.server.url + "/instructor/a/demo").status == 403
    page.goto(live.server.url + "/")
    lee_upload = upload(page, live.notebook)
    assert lee_upload != kim["id"]


def test_the_instructor_sees_both_and_regrades(live: Class, kim: dict[str, Any]) -> None:
    page = signed_in(live, "prof")
    page.goto(live.server.url + "/instructor/a/demo")
    assert page.query_selector("#student-kim") and page.query_selector("#student-lee")
    assert "8 / 8" in page.inner_text("#student-kim")  # the instructor sees the hidden check too
    page.click("#student-kim button[type=submit]")
    assert page.url.endswith("/instructor/queue")
    assert "regrade" in page.inner_text("#queue")
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:
        page.goto(live.server.url + "/instructor/queue")
        rows = [row.inner_text() for row in page.query_selector_all("#queue tbody tr")]
        if any("regrade" in row and "kim" in row and "done" in row for row in rows):
            break
        page.wait_for_timeout(1000)
    else:
        raise AssertionError(f"the regrade did not finish: {rows}")
    page.goto(live.server.url + "/instructor/a/demo/student/kim")
    assert "8 / 8" in page.inner_text("main")
    feedback = page.goto(live.server.url + f"/u/{kim['id']}/feedback")
    assert feedback.status == 200 and "add_values" in page.inner_text("body")


def test_a_student_uploads_an_exam_model_and_sees_its_score(live: Class, kim: dict[str, Any]) -> None:
    page = signed_in(live, "kim")
    assert "Certificate exam practice" in page.inner_text("main")
    page.set_input_files("#exam-category1 input[type=file]", str(live.model))
    page.click("#exam-category1 button[type=submit]")
    match = re.search(r"/u/(\d+)$", page.url)
    assert match, page.url
    wait_for(page, "#score")
    assert page.inner_text("#score") == "Score: 5 / 5", page.inner_text("body")
    assert page.inner_text("#metric").startswith("mean absolute error")
    assert "recorded as practice" in page.inner_text("#status")
    other = signed_in(live, "lee")
    assert other.goto(live.server.url + match.group(0)).status == 404
    assert "Score" not in other.inner_text("main")
    prof = signed_in(live, "prof")
    prof.goto(live.server.url + "/instructor")
    prof.click("#exam-link")
    row = prof.query_selector("#exam-class tbody tr")
    assert row is not None and "kim" in row.inner_text() and "5 / 5 (1)" in row.inner_text()
