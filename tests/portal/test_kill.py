"""No upload lost or graded twice: a real ``autograder serve`` killed with SIGKILL mid-queue, then started again."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import httpx
import pytest

from autograder.portal.store import PortalStore, job_source
from tests.portal.helpers import CSRF, good_notebook, gradebook_of, portal_course
from tests.portal.server import Server

pytestmark = pytest.mark.slow

UPLOADS = 20
STUDENTS = 5


def signed_in(url: str, token: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=url, timeout=30)
    pre = CSRF.search(client.get("/login", params={"token": token}).text)
    assert pre is not None
    client.post("/login", data={"token": token, "csrf": pre.group(1)})
    found = CSRF.search(client.get("/").text)
    assert found is not None
    return client, found.group(1)


def statuses(config: Path) -> dict[str, int]:
    with sqlite3.connect(gradebook_of(config)) as db:
        return dict(db.execute("SELECT status, COUNT(*) FROM portal_jobs GROUP BY status").fetchall())


def test_kill_9_mid_queue_loses_nothing_and_grades_each_upload_once(tmp_path: Path) -> None:
    config = portal_course(tmp_path / "course", "upload_limit: 100\nworkers: 1\n")
    with PortalStore(gradebook_of(config)) as store:
        tokens = {f"s{i}": store.issue_token(f"s{i}") for i in range(STUDENTS)}
    notebook = good_notebook(tmp_path).read_bytes()
    server = Server(config).start()
    try:
        sessions = {student: signed_in(server.url, token) for student, token in tokens.items()}
        acknowledged = []
        for n in range(UPLOADS):
            client, csrf = sessions[f"s{n % STUDENTS}"]
            answer = client.post("/a/demo/upload", data={"csrf": csrf},
                                 files={"file": (f"hw{n}.ipynb", notebook)}, follow_redirects=False)
            assert answer.status_code == 303, answer.text
            acknowledged.append(int(answer.headers["location"].rsplit("/", 1)[-1]))
        deadline = time.monotonic() + 120
        while statuses(config).get("done", 0) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        before = statuses(config)
        assert before.get("done", 0) >= 2 and before.get("done", 0) < UPLOADS, before
        server.kill()  # mid-queue: some graded, some being graded, the rest queued
    finally:
        server.stop()
    restarted = Server(config, server.port).start()
    try:
        deadline = time.monotonic() + 200
        while statuses(config).get("done", 0) < UPLOADS and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        restarted.stop()
    assert statuses(config) == {"done": UPLOADS}
    with sqlite3.connect(gradebook_of(config)) as db:
        jobs = db.execute("SELECT j.id, u.id, u.filename FROM portal_jobs j JOIN portal_uploads u "
                          "ON u.id = j.upload_id ORDER BY u.id").fetchall()
        assert sorted(u for _, u, _ in jobs) == sorted(acknowledged)  # every acknowledged upload, once
        for job_id, _, filename in jobs:
            grades = db.execute("SELECT r.points, r.status FROM results r JOIN submissions s ON s.id = "
                                "r.submission_id WHERE s.source = ?", (job_source(job_id, filename),)).fetchall()
            assert grades == [(8.0, "graded")], (job_id, grades)  # graded exactly once, and right
