"""Exam-practice model uploads in the portal: the real app (TestClient), a real gradebook, the course's real exam
folder (copied, its size cap lowered), real Keras model files scored by the grading loop in the bounded model
host, and the records read back as ``autograder exam status`` / ``exam class`` read them."""

from __future__ import annotations

import html
import re
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from autograder import cli
from autograder.config import load_config
from autograder.exam import session as exam_session
from autograder.exam.catalogue import Category, ExamConfigError, load_exam
from autograder.exam.outcome import Outcome
from autograder.exam.store import all_sessions, open_store
from autograder.i18n import message
from autograder.portal import exam_uploads
from autograder.portal.app import asgi
from autograder.portal.settings import portal_config
from autograder.portal.store import DONE, GRADING, INSTRUCTOR, QUEUED, PortalStore
from autograder.portal.worker import GradingLoop
from tests.portal.helpers import gradebook_of, portal_course, sign_in

ROOT = Path(__file__).resolve().parents[2]
CAP_MB = 1  # the copied exam's max_model_mb: a refusal by size needs only a 1 MB file


@dataclass
class Course:
    config: Path
    store: PortalStore
    tokens: dict[str, str]


def exam_course(root: Path) -> Path:
    """The demo course with a copy of the course's exam folder beside its config (its size cap lowered)."""
    config = portal_course(root, "upload_limit: 50\n")
    shutil.copytree(ROOT / "exam", config.parent / "exam")
    settings = config.parent / "exam" / "exam.yaml"
    text = settings.read_text()
    assert "max_model_mb: 32" in text
    settings.write_text(text.replace("max_model_mb: 32", f"max_model_mb: {CAP_MB}"))
    return config


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Course]:
    config = exam_course(tmp_path_factory.mktemp("portal-exam") / "course")
    store = PortalStore(gradebook_of(config))
    tokens = {name: store.issue_token(name) for name in ("kim", "lee", "park", "door")}
    tokens["prof"] = store.issue_token("prof", INSTRUCTOR)
    yield Course(config, store, tokens)
    store.close()


def client_of(config: Path) -> TestClient:
    portal = portal_config(load_config(config), str(config), config.parent)
    return TestClient(asgi(config, grading=False, settings=portal))


@pytest.fixture
def client(course: Course) -> Iterator[TestClient]:
    with client_of(course.config) as web:
        yield web


def send(web: TestClient, csrf: str, name: str, data: bytes, category: str = "category1") -> tuple[int, str]:
    answer = web.post(f"/exam/{category}/upload", data={"csrf": csrf}, files={"file": (name, data)},
                      follow_redirects=False)
    return answer.status_code, answer.headers.get("location", "") or html.unescape(answer.text)


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", page))


def test_home_lists_the_exam_categories_beside_the_assignments(course: Course, client: TestClient) -> None:
    sign_in(client, course.tokens["door"])
    page = text_of(client.get("/").text)
    assert 'action="/a/demo/upload"' in page
    exam = load_exam(course.config.parent / "exam")
    for category in exam.categories.values():
        assert f'action="/exam/{category.id}/upload"' in page
        assert f"{category.number}. {category.title['en']}" in page
    assert "Input shape (1), last layer Dense(1, activation=\"linear\"), measured by mean absolute error" in page
    assert message("portal.exam.intro", "en", max_mb=str(CAP_MB)) in page
    client.cookies.set("ag_lang", "ko")
    assert message("portal.exam.title", "ko") in client.get("/").text


def test_the_door_refuses_what_is_not_a_model_file_with_the_exams_messages(course: Course,
                                                                          client: TestClient) -> None:
    csrf = sign_in(client, course.tokens["door"])
    big = b"PK\x03\x04" + b"\0" * (CAP_MB * 2**20)
    cases = [
        ("notes.txt", b"my model", 422, message("exam.file_kind", "en", name="notes.txt")),
        ("starter.py", b"def solution_model(): ...", 422, message("portal.exam.starter_here", "en", name="starter.py")),
        ("fake.keras", b"not a zip archive", 422,
         message("model.not_keras_file", "en", what="mymodel", detail="File is not a zip file")),
        ("fake.h5", b"not hdf5 at all", 422,
         message("model.not_keras_file", "en", what="mymodel", detail="not an HDF5 file")),
        ("big.keras", big, 413, message("model.too_large", "en", what="mymodel", size_mb="1.0", limit_mb="1",
                                        budget=f"{2**20 // 4:,}")),
    ]
    for name, data, status, said in cases:
        code, page = send(client, csrf, name, data)
        assert code == status, (name, page[:300])
        assert said in text_of(page), name
    code, page = send(client, csrf, "mymodel.keras", b"PK\x03\x04", category="category9")
    assert code == 404
    assert send(client, "wrong", "mymodel.keras", b"PK\x03\x04")[0] == 403
    client.cookies.set("ag_lang", "ko")
    code, page = send(client, csrf, "notes.txt", b"x")
    assert message("exam.file_kind", "ko", name="notes.txt") in text_of(page)
    for category in load_exam(course.config.parent / "exam").categories.values():
        assert course.store.uploads(exam_uploads.assignment_of(category), "door") == []
    folder = course.config.parent / "uploads" / "exam"
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*")), "a refused file was kept"


def test_an_instructor_cannot_upload_a_model(course: Course, client: TestClient) -> None:
    csrf = sign_in(client, course.tokens["prof"])
    assert send(client, csrf, "mymodel.keras", b"PK\x03\x04")[0] == 404


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Category 1's exact line (scores 5) and a model of the wrong input shape, saved by Keras."""
    import keras
    import numpy as np

    folder = tmp_path_factory.mktemp("exam-models")
    exact = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1)])
    exact.layers[-1].set_weights([np.array([[2.0]], dtype=np.float32), np.array([-1.0], dtype=np.float32)])
    exact.save(folder / "mymodel.keras")
    wide = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    wide.save(folder / "wide.keras")
    exact.save(folder / "mymodel.h5")
    return {name: (folder / name).read_bytes() for name in ("mymodel.keras", "wide.keras", "mymodel.h5")}


@pytest.mark.slow
def test_upload_is_queued_scored_by_the_loop_and_shown_only_to_its_student(course: Course, models: dict[str, bytes],
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    loop = GradingLoop(course.config, portal_config(load_config(course.config), str(course.config),
                                                    course.config.parent))
    with client_of(course.config) as kim, client_of(course.config) as lee, client_of(course.config) as prof:
        csrf = sign_in(kim, course.tokens["kim"])
        code, good = send(kim, csrf, "mymodel.keras", models["mymodel.keras"])
        assert code == 303 and good.startswith("/u/"), good[:300]
        code, wide = send(kim, csrf, "wide.keras", models["wide.keras"])
        assert code == 303, wide[:300]
        jobs = {j.upload.filename: j for j in course.store.jobs(student="kim")}
        assert {j.status for j in jobs.values()} == {QUEUED} and {j.kind for j in jobs.values()} == {"exam"}
        assert Path(jobs["mymodel.keras"].upload.path).read_bytes() == models["mymodel.keras"]  # stored first
        waiting = text_of(kim.get(good).text)
        assert "Waiting to be graded" in waiting and 'http-equiv="refresh"' in waiting

        assert loop.run_once(course.store) == 2
        assert {course.store.job(j.id).status for j in jobs.values()} == {DONE}  # type: ignore[union-attr]
        page = text_of(kim.get(good).text)
        assert message("portal.exam.score", "en", score="5") in page
        assert "mean absolute error 0.0000" in page
        assert message("portal.exam.practice", "en") in page and 'http-equiv="refresh"' not in page
        refused = text_of(kim.get(wide).text)
        assert message("portal.exam.score", "en", score="0") in refused
        assert message("exam.refused_prefix", "en") + message(
            "exam.input_shape", "en", found="(None, 2)", expected="(None, 1)", shape="(1,)") in refused
        kim.cookies.set("ag_lang", "ko")
        assert message("exam.input_shape", "ko", found="(None, 2)", expected="(None, 1)",
                       shape="(1,)") in text_of(kim.get(wide).text)
        home = text_of(kim.get("/").text)
        assert "5 / 5" in home and "0 / 5" in home

        sign_in(lee, course.tokens["lee"])
        for path in (good, wide):
            assert lee.get(path).status_code == 404
        assert lee.get("/instructor/exam").status_code == 403

        db = open_store(gradebook_of(course.config))
        try:
            exam = load_exam(course.config.parent / "exam")
            with pytest.raises(exam_session.SessionError):  # `exam status --candidate kim`: practice is no exam
                exam_session.current(db, exam, "kim")
            (practice,) = [s for s in all_sessions(db, exam.config.name) if s.candidate == "kim"]
            assert practice.practice
            standing = exam_session.standing(db, exam, practice)
            first = standing.categories[0]
            assert (first.score, first.attempts) == (5, 2) and not standing.open
            # inside a timed window an upload counts for it, received when the portal took it
            timed, _ = exam_session.start(db, exam, "kim")
            code, h5 = send(kim, csrf, "mymodel.h5", models["mymodel.h5"])
            assert code == 303, h5[:300]
            assert loop.run_once(course.store) == 1
            kim.cookies.set("ag_lang", "en")
            assert message("portal.exam.timed", "en") in text_of(kim.get(h5).text)
            standing = exam_session.standing(db, exam, exam_session.current(db, exam, "kim"))
            assert standing.session.id == timed.id and standing.open
            assert (standing.categories[0].score, standing.categories[0].attempts) == (5, 1)
        finally:
            db.close()

        sign_in(prof, course.tokens["prof"])
        assert 'href="/instructor/exam"' in prof.get("/instructor").text
        table = text_of(prof.get("/instructor/exam").text)
        assert re.search(r'id="exam-kim-\d+">.*?kim.*?practice.*?5 / 5 \(2\)', table)
        assert re.search(r'id="exam-kim-\d+">.*?kim.*?open.*?5 / 5 \(1\)', table)
        assert prof.get(good).status_code == 200  # an instructor may open any upload

    assert cli.main(["--config", str(course.config), "exam", "--exam-dir", str(course.config.parent / "exam"),
                     "--gradebook", gradebook_of(course.config), "class"]) == 0
    lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()[1:]]
    assert sorted((line[0], line[3]) for line in lines) == [("kim", "5"), ("kim", "5")]


def test_a_server_killed_after_recording_finishes_the_job_without_scoring_it_again(
        tmp_path: Path) -> None:
    config = exam_course(tmp_path / "course")
    exam = load_exam(config.parent / "exam")
    stored = tmp_path / "mymodel.keras"
    stored.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    with PortalStore(gradebook_of(config)) as store:
        job = store.accept("exam:category1", "park", "mymodel.keras", stored, "0" * 64, stored.stat().st_size,
                           "2026-01-01T00:00:00+00:00", kind="exam")
        other = store.accept("exam:category1", "park", "mymodel.keras", stored, "0" * 64, stored.stat().st_size,
                             "2026-01-01T00:00:01+00:00", kind="exam")
        assert [j.id for j in store.claim(100)] == [job.id, other.id]
        scored: list[str] = []

        def scorer(path: Path, category: Category) -> Outcome:  # the recording is under test, not the scoring
            scored.append(path.name)
            return Outcome("scored", score=4, metric=0.5)

        # the loop recorded the first job's score, then the server died before marking it done
        found = exam_uploads.score_and_record(store.db, exam, scorer, job_id=job.id, student="park",
                                              category="category1", stored=stored, filename="mymodel.keras",
                                              received=datetime.fromisoformat(job.upload.received_at))
        assert found.practice and found.row.score == 4 and found.row.file_name == f"portal-{job.id}-mymodel.keras"
        assert scored == [found.row.file_name]
        assert store.job(job.id).status == GRADING  # type: ignore[union-attr]
        assert store.recover() == (1, 1)
        assert store.job(job.id).status == DONE  # type: ignore[union-attr]
        assert store.job(other.id).status == QUEUED  # type: ignore[union-attr]
        # the practice session is born finished: `exam start` opens a new timed one instead of resuming it
        db = open_store(gradebook_of(config))
        try:
            timed, resumed = exam_session.start(db, exam, "park")
            assert not resumed and timed.id != found.session.id
        finally:
            db.close()


@pytest.mark.slow
def test_kill_9_of_a_real_server_mid_queue_scores_each_model_upload_once(tmp_path: Path,
                                                                       models: dict[str, bytes]) -> None:
    import httpx

    from tests.portal.helpers import CSRF
    from tests.portal.server import Server

    config = exam_course(tmp_path / "course")
    with PortalStore(gradebook_of(config)) as store:
        tokens = {name: store.issue_token(name) for name in ("kim", "lee")}
    uploads = [("kim", "mymodel.keras"), ("lee", "wide.keras"), ("kim", "mymodel.keras"), ("lee", "mymodel.keras"),
               ("kim", "wide.keras"), ("lee", "mymodel.keras")]

    def done() -> int:
        with sqlite3.connect(gradebook_of(config)) as db:
            return int(db.execute("SELECT COUNT(*) FROM portal_jobs WHERE status = 'done'").fetchone()[0])

    server = Server(config).start()
    try:
        clients = {}
        for name, token in tokens.items():
            web = httpx.Client(base_url=server.url, timeout=30)
            pre = CSRF.search(web.get("/login", params={"token": token}).text)
            assert pre is not None
            web.post("/login", data={"token": token, "csrf": pre.group(1)})
            found = CSRF.search(web.get("/").text)
            assert found is not None
            clients[name] = (web, found.group(1))
        acknowledged = []
        for student, file in uploads:
            web, csrf = clients[student]
            answer = web.post("/exam/category1/upload", data={"csrf": csrf}, files={"file": (file, models[file])},
                              follow_redirects=False)
            assert answer.status_code == 303, answer.text
            acknowledged.append(int(answer.headers["location"].rsplit("/", 1)[-1]))
        deadline = time.monotonic() + 120
        while done() < 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert 1 <= done() < len(uploads)
        server.kill()  # mid-queue: some scored, one being scored, the rest queued
    finally:
        server.stop()
    restarted = Server(config, server.port).start()
    try:
        deadline = time.monotonic() + 240
        while done() < len(uploads) and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        restarted.stop()
    with sqlite3.connect(gradebook_of(config)) as db:
        jobs = db.execute("SELECT j.id, j.status, u.id, u.student, u.filename FROM portal_jobs j "
                          "JOIN portal_uploads u ON u.id = j.upload_id ORDER BY u.id").fetchall()
        assert sorted(u for _, _, u, _, _ in jobs) == sorted(acknowledged)  # every acknowledged upload, once
        assert {status for _, status, _, _, _ in jobs} == {"done"}
        for job_id, _, _, student, filename in jobs:
            rows = db.execute("SELECT x.status, x.score FROM exam_submissions x JOIN exam_sessions s "
                              "ON s.id = x.session_id WHERE s.candidate = ? AND x.file_name = ?",
                              (student, f"portal-{job_id}-{filename}")).fetchall()
            assert rows == ([("scored", 5)] if filename == "mymodel.keras" else [("refused", 0)]), (job_id, rows)
        sessions = db.execute("SELECT candidate, COUNT(*) FROM exam_sessions GROUP BY candidate").fetchall()
        assert sorted(sessions) == [("kim", 1), ("lee", 1)]  # one practice session each


def test_portal_exam_dir_names_the_folder_and_a_broken_one_stops_the_start(tmp_path: Path) -> None:
    config = portal_course(tmp_path / "course", "exam_dir: practice\n")
    shutil.copytree(ROOT / "exam", config.parent / "practice")
    with PortalStore(gradebook_of(config)) as store:
        token = store.issue_token("kim")
    with client_of(config) as web:
        sign_in(web, token)
        assert 'action="/exam/category5/upload"' in web.get("/").text
    (config.parent / "practice" / "category5" / "category.yaml").write_text("number: five\n")
    with pytest.raises(ExamConfigError, match=re.escape(str(config.parent / "practice" / "category5"))):
        client_of(config)
    without = portal_course(tmp_path / "plain")
    with PortalStore(gradebook_of(without)) as store:
        token = store.issue_token("kim")
    with client_of(without) as web:  # no exam folder: no exam section, no exam route
        csrf = sign_in(web, token)
        assert "/exam/" not in web.get("/").text
        assert send(web, csrf, "mymodel.keras", b"PK\x03\x04")[0] == 404


def test_an_upload_counts_for_the_timed_window_it_arrived_in_else_it_is_practice(tmp_path: Path) -> None:
    config = exam_course(tmp_path / "course")
    exam = load_exam(config.parent / "exam")
    stored = tmp_path / "mymodel.keras"
    stored.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    opened = datetime.fromisoformat("2026-03-01T09:00:00.250000+00:00")

    def scorer(path: Path, category: Category) -> Outcome:  # which session records it is under test
        return Outcome("scored", score=3, metric=0.2)

    db = open_store(gradebook_of(config))
    try:
        timed, _ = exam_session.start(db, exam, "kim", clock=lambda: opened, window_hours=1)
        where = {}
        for job_id, moment in ((1, "2026-03-01T09:00:00+00:00"), (2, "2026-03-01T09:59:59+00:00"),
                               (3, "2026-03-01T10:00:01+00:00"), (4, "2026-03-01T08:59:59+00:00")):
            found = exam_uploads.score_and_record(db, exam, scorer, job_id=job_id, student="kim",
                                                  category="category2", stored=stored, filename="mymodel.keras",
                                                  received=datetime.fromisoformat(moment))
            where[job_id] = "practice" if found.practice else found.session.id
        # stamped to the second, the upload in the window's first second is inside it; one after the deadline is not
        assert where == {1: timed.id, 2: timed.id, 3: "practice", 4: "practice"}
        standing = exam_session.standing(db, exam, timed, clock=lambda: opened)
        assert [(c.category.id, c.attempts) for c in standing.categories if c.attempts] == [("category2", 2)]
        assert exam_session.current(db, exam, "kim").id == timed.id  # the practice session never becomes current
    finally:
        db.close()
