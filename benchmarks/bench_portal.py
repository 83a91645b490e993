"""Load test of the portal: N uploads from S simulated students against a real local ``autograder serve``.

Loopback only. Uploads go in as fast as the students' clients send them (each student has their own session),
while a reader thread opens pages (a student's assignment list and upload status) and times them; mid-queue
the server is killed with SIGKILL and started again; at the end every acknowledged upload must have exactly one
grade. Prints the figures (for benchmarks/RESULTS.md).

    .venv/bin/python benchmarks/bench_portal.py [--uploads 200] [--students 50] [--workers 2]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autograder.portal.store import PortalStore, job_source
from tests.portal.helpers import CSRF, good_notebook, gradebook_of, portal_course
from tests.portal.server import Server


def sign_in(url: str, token: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=url, timeout=60)
    pre = CSRF.search(client.get("/login", params={"token": token}).text)
    assert pre is not None
    client.post("/login", data={"token": token, "csrf": pre.group(1)})
    found = CSRF.search(client.get("/").text)
    assert found is not None
    return client, found.group(1)


def counts(config: Path) -> dict[str, int]:
    with sqlite3.connect(gradebook_of(config)) as db:
        return dict(db.execute("SELECT status, COUNT(*) FROM portal_jobs GROUP BY status").fetchall())


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uploads", type=int, default=200)
    parser.add_argument("--students", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kill-after", type=int, default=40, help="kill -9 once this many jobs are done")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-portal-"))
    config = portal_course(root / "course", f"upload_limit: 1000\nsignin_limit: 1000\nworkers: {args.workers}\n")
    with PortalStore(gradebook_of(config)) as store:
        tokens = [store.issue_token(f"s{i:02d}") for i in range(args.students)]
    notebook = good_notebook(root).read_bytes()
    server = Server(config).start()
    sessions = [sign_in(server.url, token) for token in tokens]
    acknowledged: list[int] = []
    upload_times: list[float] = []
    latencies: list[float] = []
    errors: list[str] = []
    reading = threading.Event()
    reading.set()

    def read_pages() -> None:
        while reading.is_set():
            client, _ = random.choice(sessions)
            path = "/" if random.random() < 0.5 or not acknowledged else f"/u/{random.choice(acknowledged)}"
            start = time.perf_counter()
            try:
                answer = client.get(path)
                if answer.status_code not in (200, 404):
                    errors.append(f"{path}: {answer.status_code}")
                latencies.append(time.perf_counter() - start)
            except httpx.HTTPError as error:  # the server is being killed and restarted
                errors.append(f"{path}: {type(error).__name__}")
                time.sleep(0.2)
            time.sleep(0.05)

    def send(n: int) -> int:
        client, csrf = sessions[n % args.students]
        start = time.perf_counter()
        answer = client.post("/a/demo/upload", data={"csrf": csrf}, files={"file": (f"hw{n}.ipynb", notebook)},
                             follow_redirects=False)
        upload_times.append(time.perf_counter() - start)
        assert answer.status_code == 303, answer.text
        return int(answer.headers["location"].rsplit("/", 1)[-1])

    reader = threading.Thread(target=read_pages, daemon=True)
    began = time.monotonic()
    reader.start()
    with ThreadPoolExecutor(8) as pool:
        acknowledged.extend(pool.map(send, range(args.uploads)))
    sent = time.monotonic() - began
    while counts(config).get("done", 0) < args.kill_after:
        time.sleep(0.2)
    during = list(latencies)
    at_kill = counts(config)
    server.kill()
    killed_at = time.monotonic()
    restarted = Server(config, server.port).start()
    back = time.monotonic() - killed_at
    while counts(config).get("done", 0) < args.uploads:
        time.sleep(0.5)
    total = time.monotonic() - began
    reading.clear()
    reader.join(5)
    restarted.stop()
    with sqlite3.connect(gradebook_of(config)) as db:
        jobs = db.execute("SELECT j.id, u.id, u.filename FROM portal_jobs j JOIN portal_uploads u "
                          "ON u.id = j.upload_id").fetchall()
        graded = [db.execute("SELECT COUNT(*) FROM results r JOIN submissions s ON s.id = r.submission_id "
                             "WHERE s.source = ?", (job_source(j, f),)).fetchone()[0] for j, _, f in jobs]
    print(f"uploads: {args.uploads} from {args.students} students, all acknowledged in {sent:.1f} s "
          f"(upload p50 {1000 * statistics.median(upload_times):.0f} ms, "
          f"p95 {1000 * percentile(upload_times, .95):.0f} ms)")
    print(f"pages while grading (before the kill): {len(during)} requests, p50 "
          f"{1000 * statistics.median(during):.0f} ms, p95 {1000 * percentile(during, .95):.0f} ms, "
          f"max {1000 * max(during):.0f} ms")
    print(f"pages overall: {len(latencies)} requests, p95 {1000 * percentile(latencies, .95):.0f} ms; "
          f"failed requests (around the kill): {len(errors)}")
    print(f"kill -9 with {at_kill}; server answering again after {back:.1f} s")
    print(f"all graded after {total:.1f} s; uploads in the DB {len(jobs)} (acknowledged {len(acknowledged)}, "
          f"distinct {len(set(u for _, u, _ in jobs))}); grades per upload: "
          f"{dict(sorted({n: graded.count(n) for n in set(graded)}.items()))}")
    ok = sorted(u for _, u, _ in jobs) == sorted(acknowledged) and set(graded) == {1}
    print("no upload lost or graded twice" if ok else "LOST OR DOUBLED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
