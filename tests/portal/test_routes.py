"""The portal's pages without grading: sign-in, cookies, CSRF, CSP, who may open what, refusals, policy, exports."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from autograder import cli
from autograder.config import load_config
from autograder.i18n import message
from autograder.portal.app import CSP, asgi
from autograder.portal.door import NOTEBOOK_BYTES
from autograder.portal.settings import portal_config
from autograder.portal.store import INSTRUCTOR, Job, PortalStore
from tests.portal.helpers import CSRF, good_notebook, gradebook_of, portal_course, recorded_grade, sign_in

PAST = "2020-01-01T00:00:00+00:00"


@dataclass
class Course:
    config: Path
    store: PortalStore
    tokens: dict[str, str]
    jobs: dict[str, Job]


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Course]:
    config = portal_course(tmp_path_factory.mktemp("portal") / "course",
                           "upload_limit: 3\nassignments:\n  demo: {max_total: 4}\n")
    store = PortalStore(gradebook_of(config))
    tokens = {name: store.issue_token(name) for name in ("kim", "lee", "rate", "limit", "door")}
    tokens["prof"] = store.issue_token("prof", INSTRUCTOR)
    jobs = {name: recorded_grade(config, store, name, hidden_passed=False) for name in ("kim", "lee")}
    yield Course(config, store, tokens, jobs)
    store.close()


def client_of(config: Path, base_url: str = "http://testserver", **settings: object) -> TestClient:
    portal = portal_config(load_config(config), str(config), config.parent).model_copy(update=settings)
    return TestClient(asgi(config, grading=False, settings=portal), base_url=base_url)


@pytest.fixture
def client(course: Course) -> Iterator[TestClient]:
    with client_of(course.config) as web:
        yield web


def upload(web: TestClient, csrf: str, name: str, data: bytes, assignment: str = "demo") -> tuple[int, str]:
    answer = web.post(f"/a/{assignment}/upload", data={"csrf": csrf}, files={"file": (name, data)},
                      follow_redirects=False)
    return answer.status_code, answer.text if answer.status_code != 303 else answer.headers["location"]


def test_session_cookie_is_httponly_samesite_and_secure_when_configured(course: Course) -> None:
    for scheme, setting, secure in (("http", None, False), ("https", None, True), ("https", False, False)):
        with client_of(course.config, f"{scheme}://testserver", cookie_secure=setting) as web:
            page = web.get("/login", params={"token": course.tokens["kim"]})
            pre = CSRF.search(page.text)
            assert pre is not None
            answer = web.post("/login", data={"token": course.tokens["kim"], "csrf": pre.group(1)},
                              follow_redirects=False)
            cookie = next(v for k, v in answer.headers.multi_items()
                          if k == "set-cookie" and v.startswith("ag_session="))
            flags = {part.strip().lower() for part in cookie.split(";")}
            assert "httponly" in flags and "samesite=lax" in flags
            assert ("secure" in flags) == secure


def test_every_page_has_the_csp_and_no_script(course: Course, client: TestClient) -> None:
    csrf = sign_in(client, course.tokens["kim"])
    assert csrf
    job = course.jobs["kim"]
    for path in ("/login", "/", f"/u/{job.upload.id}", f"/u/{job.upload.id}/feedback", "/nope"):
        page = client.get(path)
        assert page.headers["content-security-policy"] == CSP, path
        assert "script-src" not in CSP and "default-src 'none'" in CSP
        assert page.headers["x-content-type-options"] == "nosniff"
        assert "<script" not in page.text.lower(), path


def test_tokens_are_stored_hashed_and_a_wrong_one_signs_nobody_in(course: Course, client: TestClient) -> None:
    with sqlite3.connect(gradebook_of(course.config)) as db:
        rows = db.execute("SELECT token_hash, student FROM portal_tokens").fetchall()
        dump = "\n".join(db.iterdump())
    assert rows and all(token not in dump for token in course.tokens.values())
    page = client.get("/login")
    pre = CSRF.search(page.text)
    assert pre is not None
    answer = client.post("/login", data={"token": course.tokens["kim"] + "x", "csrf": pre.group(1)})
    assert answer.status_code == 403
    assert message("portal.signin.bad_token", "en").split(".")[0] in answer.text
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_every_form_needs_its_csrf_token(course: Course, client: TestClient) -> None:
    sign_in(client, course.tokens["kim"])
    notebook = good_notebook(course.config.parent / "csrf").read_bytes()
    before = len(course.store.uploads("demo", "kim"))
    for given in ({}, {"csrf": "wrong"}):
        answer = client.post("/a/demo/upload", data=given, files={"file": ("kim.ipynb", notebook)})
        assert answer.status_code == 403
        assert message("portal.csrf", "en") in answer.text
        assert client.post(f"/u/{course.jobs['kim'].upload.id}/choose", data=given).status_code == 403
        assert client.post("/logout", data=given).status_code == 403
    assert len(course.store.uploads("demo", "kim")) == before
    with client_of(course.config) as other:  # the sign-in form too: its token must match the browser's cookie
        answer = other.post("/login", data={"token": course.tokens["kim"], "csrf": "forged"})
        assert answer.status_code == 403
    prof = TestClient(client.app)
    sign_in(prof, course.tokens["prof"])
    for path in ("/instructor/a/demo/regrade", "/instructor/a/demo/extension"):
        assert prof.post(path, data={"student": "kim", "due": PAST}).status_code == 403
    assert course.store.extension("demo", "kim") is None


STUDENT_ROUTES = ("/u/{id}", "/u/{id}/feedback")
INSTRUCTOR_GETS = ("/instructor", "/instructor/a/demo", "/instructor/a/demo/report", "/instructor/a/demo/student/kim",
                   "/instructor/a/demo/download/grades.csv", "/instructor/a/demo/download/canvas.csv",
                   "/instructor/a/demo/download/gradescope.zip", "/instructor/queue")
INSTRUCTOR_POSTS = ("/instructor/a/demo/regrade", "/instructor/a/demo/extension")


def test_a_student_opens_only_their_own_pages(course: Course, client: TestClient) -> None:
    csrf = sign_in(client, course.tokens["lee"])
    kim = course.jobs["kim"].upload.id
    for route in STUDENT_ROUTES:
        answer = client.get(route.format(id=kim))
        assert answer.status_code == 404, route
        assert "kim" not in answer.text.replace("Signed in as lee", "")
    assert client.post(f"/u/{kim}/choose", data={"csrf": csrf}).status_code == 404
    assert not course.store.upload(kim).chosen  # type: ignore[union-attr]
    for route in INSTRUCTOR_GETS:
        assert client.get(route).status_code == 403, route
    for route in INSTRUCTOR_POSTS:
        assert client.post(route, data={"csrf": csrf, "student": "lee", "due": "2099-01-01T00:00+00:00"}
                           ).status_code == 403, route
    assert course.store.extension("demo", "lee") is None
    home = client.get("/")
    assert f"/u/{course.jobs['lee'].upload.id}" in home.text and f"/u/{kim}\"" not in home.text
    for route in STUDENT_ROUTES:  # their own
        assert client.get(route.format(id=course.jobs["lee"].upload.id)).status_code == 200


def test_nobody_signed_in_opens_nothing(course: Course, client: TestClient) -> None:
    kim = course.jobs["kim"].upload.id
    for route in (*[r.format(id=kim) for r in STUDENT_ROUTES], "/", *INSTRUCTOR_GETS):
        answer = client.get(route, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/login", route
    assert client.post("/a/demo/upload", files={"file": ("a.ipynb", b"{}")}).status_code == 401


def test_hidden_checks_are_not_shown_before_the_due_date(course: Course, client: TestClient) -> None:
    sign_in(client, course.tokens["kim"])
    page = client.get(f"/u/{course.jobs['kim'].upload.id}/feedback")
    assert page.status_code == 200
    assert "relu_values" in page.text and "add_values" not in page.text
    assert "HIDDEN-INPUT-PRINTED" not in page.text and 'id="hidden-later"' in page.text
    assert "4 / 4" in page.text  # the public checks' own score, not 4 / 8
    status = client.get(f"/u/{course.jobs['kim'].upload.id}")
    assert "4 / 4" in status.text and "/ 8" not in status.text
    prof = TestClient(client.app)
    sign_in(prof, course.tokens["prof"])
    full = prof.get(f"/u/{course.jobs['kim'].upload.id}/feedback")
    assert "add_values" in full.text and 'id="hidden-later"' not in full.text and "4 / 8" in full.text


def test_uploads_refused_at_the_door_with_the_bulk_graders_messages(course: Course, client: TestClient) -> None:
    csrf = sign_in(client, course.tokens["door"])
    uploads = course.config.parent / "uploads" / "demo"
    files_before = set(uploads.glob("*")) if uploads.exists() else set()
    code, text = upload(client, csrf, "essay.txt", b"hello")
    assert code == 422 and message("submission.not_notebook_file", "en", file="essay.txt") in _unescape(text)
    code, text = upload(client, csrf, "broken.ipynb", b"{not json")
    assert code == 422 and "broken.ipynb" in text and "/uploads/" not in text
    code, text = upload(client, csrf, "huge.ipynb", b" " * (NOTEBOOK_BYTES + 1))
    assert code == 413 and "huge.ipynb" in text
    assert "20.0 MB" in _unescape(text)
    code, text = upload(client, csrf, "huger.ipynb", b" " * (NOTEBOOK_BYTES + 200_000))  # past the body cap
    assert code == 413 and "20.0 MB" in _unescape(text)
    assert course.store.uploads("demo", "door") == []
    assert (set(uploads.glob("*")) if uploads.exists() else set()) == files_before


def test_an_upload_is_on_disk_and_queued_before_it_is_acknowledged(course: Course, client: TestClient) -> None:
    csrf = sign_in(client, course.tokens["limit"])
    notebook = good_notebook(course.config.parent / "durable").read_bytes()
    code, location = upload(client, csrf, "mine.ipynb", notebook)
    assert code == 303
    upload_id = int(location.rsplit("/", 1)[-1])
    with PortalStore(gradebook_of(course.config)) as fresh:  # another connection: it is committed
        stored = fresh.upload(upload_id)
        assert stored is not None and Path(stored.path).read_bytes() == notebook
        job = fresh.latest_job(upload_id)
        assert job is not None and job.status == "queued"
    page = client.get(location)
    assert message("portal.status.queued", "en", ahead=fresh_position(course, upload_id)) in page.text
    assert '<meta http-equiv="refresh"' in page.text


def fresh_position(course: Course, upload_id: int) -> int:
    job = course.store.latest_job(upload_id)
    assert job is not None
    return course.store.position(job)


def test_limits_per_student_refuse_with_a_message(course: Course) -> None:
    with client_of(course.config, upload_limit=100) as web:
        csrf = sign_in(web, course.tokens["limit"])
        notebook = good_notebook(course.config.parent / "limit").read_bytes()
        while len(course.store.uploads("demo", "limit")) < 4:
            assert upload(web, csrf, "mine.ipynb", notebook)[0] == 303
        code, text = upload(web, csrf, "mine.ipynb", notebook)
        assert code == 403 and message("portal.refused.total_limit", "en", limit=4) in text
        assert len(course.store.uploads("demo", "limit")) == 4
        assert message("portal.refused.total_limit", "en", limit=4) in web.get("/").text


def test_uploads_are_rate_limited_per_token(course: Course) -> None:
    with client_of(course.config) as web:
        csrf = sign_in(web, course.tokens["rate"])
        notebook = good_notebook(course.config.parent / "rate").read_bytes()
        codes = [upload(web, csrf, "mine.ipynb", notebook)[0] for _ in range(4)]
        assert codes == [303, 303, 303, 429]
        assert len(course.store.uploads("demo", "rate")) == 3


def test_sign_in_attempts_are_rate_limited(course: Course) -> None:
    with client_of(course.config, signin_limit=3) as web:
        page = web.get("/login")
        pre = CSRF.search(page.text)
        assert pre is not None
        codes = [web.post("/login", data={"token": f"guess{i}", "csrf": pre.group(1)}).status_code for i in range(3)]
        assert codes == [403, 403, 403]
        answer = web.post("/login", data={"token": course.tokens["kim"], "csrf": pre.group(1)},
                          follow_redirects=False)
        assert answer.status_code == 429 and "ag_session" not in answer.headers.get("set-cookie", "")


def test_a_closed_assignment_refuses_in_both_languages_and_shows_hidden_checks(tmp_path: Path) -> None:
    config = portal_course(tmp_path / "course", due=PAST)
    store = PortalStore(gradebook_of(config))
    token, job = store.issue_token("kim"), recorded_grade(config, store, "kim")
    with client_of(config) as web:
        csrf = sign_in(web, token)
        notebook = good_notebook(tmp_path).read_bytes()
        for lang in ("en", "ko"):
            web.get(f"/lang/{lang}")
            code, text = upload(web, csrf, "late.ipynb", notebook)
            closed = message("portal.refused.closed", lang, close="X").split("X")[0]
            assert code == 403 and closed in text
        assert len(store.uploads("demo", "kim")) == 1
        assert "add_values" in web.get(f"/u/{job.upload.id}/feedback").text  # due: the hidden checks show
        prof = TestClient(web.app)
        prof_csrf = sign_in(prof, store.issue_token("prof", INSTRUCTOR))
        prof.post("/instructor/a/demo/extension", data={"csrf": prof_csrf, "student": "kim",
                                                         "due": "2099-01-01T00:00+00:00"})
        web.get("/lang/en")
        assert "Your extension" in web.get("/").text
        code, _ = upload(web, csrf, "late.ipynb", notebook)
        assert code == 303  # their own due time now
        assert "add_values" not in web.get(f"/u/{job.upload.id}/feedback").text  # and hidden until then
    store.close()


def test_the_instructor_sees_the_class_downloads_and_regrades(course: Course, client: TestClient) -> None:
    csrf = sign_in(client, course.tokens["prof"])
    board = client.get("/instructor/a/demo")
    assert 'id="student-kim"' in board.text and 'id="student-lee"' in board.text and "4 / 8" in board.text
    grades = client.get("/instructor/a/demo/download/grades.csv")
    rows = list(csv.DictReader(io.StringIO(grades.text.lstrip("\ufeff"))))
    assert {r["student"] for r in rows} >= {"kim", "lee"}
    archive = zipfile.ZipFile(io.BytesIO(client.get("/instructor/a/demo/download/gradescope.zip").content))
    assert {"gradescope/kim.json", "gradescope/lee.json"} <= set(archive.namelist())
    canvas = list(csv.reader(io.StringIO(client.get("/instructor/a/demo/download/canvas.csv").text)))
    assert any("kim" in row for row in canvas) and any("lee" in row for row in canvas)
    report = client.get("/instructor/a/demo/report")
    assert report.status_code == 200 and "<img" in report.text
    history = client.get("/instructor/a/demo/student/kim")
    assert f"/u/{course.jobs['kim'].upload.id}" in history.text
    queued = len(course.store.jobs(status="queued"))
    client.post("/instructor/a/demo/regrade", data={"csrf": csrf, "student": "kim"})
    regrades = [j for j in course.store.jobs(status="queued") if j.kind == "regrade"]
    assert len(course.store.jobs(status="queued")) == queued + 1
    assert regrades[0].upload.student == "kim" and regrades[0].upload.id == course.jobs["kim"].upload.id
    assert "regrade" in client.get("/instructor/queue").text


def test_portal_tokens_prints_personal_links_once(course: Course, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,email\npark,Park Seoyeon,p@example.edu\nchoi,Choi,c@example.edu\n")
    assert cli.main(["--config", str(course.config), "portal", "tokens", "--roster", str(roster)]) == 0
    lines = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["student"] for r in lines] == ["park", "choi"]
    link = lines[0]["link"]
    assert link.startswith("http://127.0.0.1:8000/login?token=")
    token = link.split("token=", 1)[1]
    identity = course.store.identity(token)
    assert identity is not None and identity.student == "park" and identity.role == "student"
    with client_of(course.config) as web:
        sign_in(web, token)
        assert "Signed in as park" in web.get("/").text


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_many_students_behind_one_address_sign_in(course: Course) -> None:
    with client_of(course.config, signin_limit=2) as web:
        for _ in range(4):  # successful sign-ins from one address are not limited, failed ones are
            sign_in(web, course.tokens["kim"])
