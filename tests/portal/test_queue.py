"""The durable queue: claims are atomic, and a restart finishes what was recorded and queues the rest again."""

from __future__ import annotations

import threading
from pathlib import Path

from autograder.portal.store import DONE, GRADING, QUEUED, PortalStore
from tests.portal.helpers import good_notebook, gradebook_of, portal_course, recorded_grade


def test_claims_from_two_connections_never_take_the_same_job(tmp_path: Path) -> None:
    config = portal_course(tmp_path / "course")
    path = good_notebook(tmp_path)
    with PortalStore(gradebook_of(config)) as store:
        ids = [store.accept("demo", f"s{i % 3}", "a.ipynb", path, "h", 1, "2026-01-01T00:00:00+00:00").id
               for i in range(40)]
    taken: list[list[int]] = [[], []]

    def take(slot: int) -> None:
        with PortalStore(gradebook_of(config)) as mine:
            while batch := mine.claim(3):
                taken[slot].extend(job.id for job in batch)

    threads = [threading.Thread(target=take, args=(slot,)) for slot in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken[0] + taken[1]) == ids and not set(taken[0]) & set(taken[1])


def test_recover_finishes_recorded_jobs_and_queues_the_others(tmp_path: Path) -> None:
    config = portal_course(tmp_path / "course")
    with PortalStore(gradebook_of(config)) as store:
        recorded = recorded_grade(config, store, "kim")  # graded and recorded
        with store.db.write():  # killed after the grade was recorded, before the job was marked done
            store.db.execute("UPDATE portal_jobs SET status = ?, finished_at = NULL WHERE id = ?",
                             (GRADING, recorded.id))
        path = good_notebook(tmp_path)
        lost = store.accept("demo", "lee", "b.ipynb", path, "h", 1, "2026-01-01T00:00:00+00:00")
        waiting = store.accept("demo", "lee", "c.ipynb", path, "h", 1, "2026-01-01T00:00:00+00:00")
        assert [j.id for j in store.claim(1)] == [lost.id]  # claimed, killed before its grade was recorded
        assert store.recover() == (1, 1)
        assert [store.job(j.id).status for j in (recorded, lost, waiting)] == [DONE, QUEUED, QUEUED]  # type: ignore[union-attr]
        assert store.position(store.job(waiting.id)) == 1  # type: ignore[arg-type]
