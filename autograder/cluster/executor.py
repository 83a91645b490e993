"""The client side of a cluster run: one Dask task per submission, results recorded here and only here.

:func:`run` has :func:`autograder.grade.batch.run_batch`'s contract: invalid
submissions get their row at once, every valid one is graded elsewhere (here:
in a child grader process on a Dask worker), each result is handed to
``on_result`` (which records it in the gradebook) the moment it arrives, once
per job, whatever Dask retried; Ctrl-C stops handing out work, cancels the tasks
no worker has begun and waits for the others; a second Ctrl-C abandons them.

Before the first task each worker is checked (:func:`autograder.cluster.task.
check_worker`: the same engine, the data by hash); a worker that refuses is
reported and not used; when none can grade, the run is refused. Tasks request
the assignment's memory as a Dask resource (``cluster.memory_resource``), so a
4 GB assignment is never placed on a worker that declares less.

Failures: a task that raised (the child could not start, a bundle could not be
unpacked) is retried by Dask ``cluster.retries`` times, then its row is
``reason.grader_failed`` (tried again by the next run); a worker that died is
Dask's to reschedule; a task whose workers died ``distributed.scheduler.
allowed-failures`` times (Dask's ``KilledWorker``) is ``reason.grader_killed``,
quarantined like a submission that kills its grader in the local pool.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape

from autograder.cluster import task as remote
from autograder.cluster.bundle import Bundle, build
from autograder.cluster.provision import DATA, Refusal, engine_hash
from autograder.config import ClusterConfig, GradingConfig
from autograder.data.provision import MissingData
from autograder.errors import AutograderError
from autograder.grade import preflight
from autograder.grade.assignment import Assignment
from autograder.grade.batch import BatchOutcome, Executor, Job, Settings, _grade, _Stop, grader_failed, grader_killed
from autograder.results import SubmissionResult

CHECK_TIMEOUT_S = 600.0  # a worker's check: unpacking the bundle, hashing the course data it holds


class ClusterError(AutograderError):
    """The cluster cannot grade this run (unreachable, no worker able to); the message says what to do."""


class WorkersLackData(MissingData):
    """No worker of the cluster has the assignment's data (exit code 3, as missing data here)."""

    def __init__(self, text: str) -> None:
        AutograderError.__init__(self, text)
        self.text = text

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.text,))


def resources_of(task: Assignment, cluster: ClusterConfig) -> dict[str, float]:
    """The Dask resources one task of ``task`` requests."""
    wanted = dict(cluster.resources)
    if cluster.memory_resource:
        models = 2 if preflight._uses_models(task) else 1  # the model host beside the sandbox (README)
        wanted[cluster.memory_resource] = float(task.limits.memory_mb * models)
    return wanted


def _connect(address: str, cluster: ClusterConfig) -> Any:
    from distributed import Client

    try:
        client = Client(address, timeout=cluster.connect_timeout_s, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {address} ({error}); start it with `dask scheduler` "
                           "on that machine, or correct --cluster / cluster.address in the config") from None
    try:
        client.wait_for_workers(1, timeout=cluster.connect_timeout_s)
    except TimeoutError:
        client.close()
        raise ClusterError(f"the Dask scheduler at {address} has no worker after {cluster.connect_timeout_s:g} s; "
                           f"start some with `dask worker {address} --nthreads 1 --resources MEMORY_MB=<MiB>`"
                           ) from None
    return client


def _check_resources(client: Any, address: str, wanted: dict[str, float], assignment: str) -> None:
    workers = client.scheduler_info()["workers"]
    for name, amount in wanted.items():
        if not any(float(w.get("resources", {}).get(name, 0)) >= amount for w in workers.values()):
            raise ClusterError(
                f"no worker of the cluster at {address} offers the Dask resource {name}={amount:g} that each task of "
                f"{assignment} needs (its limits; cluster.memory_resource / cluster.resources in the config); start "
                f"workers with `dask worker {address} --nthreads 1 --resources {name}=<amount>`, or set "
                "cluster.memory_resource: null to place tasks without it")


def check_workers(client: Any, bundle: Bundle, bundle_future: Any,
                  timeout_s: float = CHECK_TIMEOUT_S) -> dict[str, Refusal | None]:
    """Each connected worker's refusal to grade ``bundle`` (None: it can), by address.

    A check is pinned to its worker: one that leaves the cluster before answering
    (killed, restarted) would wait forever, so it is reported as gone instead.
    """
    futures = {client.submit(remote.check_worker, bundle.digest, bundle_future, bundle.assignment, engine_hash(),
                             workers=[address], allow_other_workers=False, pure=False,
                             key=f"autograder-check-{bundle.digest[:12]}-{address}-{time.time_ns()}"): address
               for address in client.scheduler_info()["workers"]}
    answers: dict[str, Refusal | None] = {}
    deadline = time.monotonic() + timeout_s
    while futures:
        for future, address in list(futures.items()):
            if future.done():
                del futures[future]
                try:
                    answers[address] = future.result()[1]
                except Exception as error:  # noqa: BLE001  (a worker that cannot even check is one that cannot grade)
                    answers[address] = Refusal("other", repr(error))
        if not futures:
            break
        present = set(client.scheduler_info()["workers"])
        late = time.monotonic() > deadline
        for future, address in list(futures.items()):
            if address not in present or late:
                why = "it left the cluster before its check answered" if address not in present else \
                    f"its check did not answer within {timeout_s:g} s"
                answers[address] = Refusal("other", f"{why}; not used for this run")
                future.cancel()
                del futures[future]
        time.sleep(0.2)
    return answers


def _report(console: Console, address: str, refusal: Refusal) -> None:
    console.print(f"[yellow]worker {escape(address)} refuses to grade ({refusal.kind}), not used:[/]\n"
                  f"{escape(refusal.message)}", highlight=False, soft_wrap=True)


def _key(bundle: Bundle, job: Job, attempt: int) -> str:
    who = hashlib.sha256(f"{job.submission.student}\0{job.fingerprint}".encode()).hexdigest()[:16]
    return f"autograder-grade-{bundle.digest[:12]}-{who}-{attempt}"


def on_cluster(address: str, config: GradingConfig, console: Console | None = None) -> Executor:
    """An executor for :class:`autograder.grade.RunOptions`: each run's jobs graded on the cluster at ``address``."""

    def execute(jobs: Sequence[Job], task: Assignment, settings: Settings, *,
                on_result: Callable[[Job, SubmissionResult], None],
                on_start: Callable[[Job], None] | None = None) -> BatchOutcome:
        return run(jobs, task, settings, config=config, address=address, on_result=on_result, on_start=on_start,
                   console=console)

    return execute


def for_config(config: GradingConfig, address: str | None = None, console: Console | None = None) -> Executor | None:
    """The executor ``autograder grade`` uses: the cluster at ``address`` (``--cluster``), else the config's
    (``executor: dask`` with ``cluster.address``), else None (the local pool)."""
    if address is None and config.executor == "dask":
        address = config.cluster.address
        if not address:
            raise ClusterError("the config says executor: dask but sets no cluster.address; add it (e.g. "
                               "tcp://HOST:8786) or pass --cluster")
    return on_cluster(address, config, console) if address else None


def run(jobs: Sequence[Job], task: Assignment, settings: Settings, *, config: GradingConfig, address: str,
        on_result: Callable[[Job, SubmissionResult], None], on_start: Callable[[Job], None] | None = None,
        console: Console | None = None) -> BatchOutcome:
    """Grade ``jobs`` on the Dask cluster at ``address``; report each result once, as it arrives."""
    console = console or Console(stderr=True)
    outcome = BatchOutcome([], False)
    recorded: set[int] = set()

    def deliver(job: Job, result: SubmissionResult) -> None:
        if id(job) in recorded:  # one row per job, whatever was retried
            return
        recorded.add(id(job))
        outcome.results.append((job, result))
        on_result(job, result)

    with _Stop() as stop:
        invalid = [job for job in jobs if not job.submission.valid]
        for job in invalid:
            if on_start:
                on_start(job)
            deliver(job, _grade(job, task, settings))
        valid = [job for job in jobs if job.submission.valid]
        if valid:
            _run_remote(valid, task, settings, config, address, deliver, on_start, console, stop)
        outcome.interrupted = stop.requested.is_set() and len(outcome.results) < len(jobs)
    return outcome


def _run_remote(jobs: Sequence[Job], task: Assignment, settings: Settings, config: GradingConfig, address: str,
                deliver: Callable[[Job, SubmissionResult], None], on_start: Callable[[Job], None] | None,
                console: Console, stop: _Stop) -> None:
    from distributed import wait
    from distributed.scheduler import KilledWorker

    bundle = build(config, task)
    wanted = resources_of(task, config.cluster)
    client = _connect(address, config.cluster)
    in_flight: dict[Any, tuple[Job, int]] = {}
    graded: Counter[str] = Counter()  # results per worker address (tasks Dask re-ran count once, where they ended)
    seconds = 0.0  # the tasks' time on the workers, from receiving the job to the result
    try:
        _check_resources(client, address, wanted, task.name)
        bundle_future = client.scatter(bundle.data, hash=False)
        answers = check_workers(client, bundle, bundle_future)
        refused = {a: r for a, r in answers.items() if r is not None}
        for worker, refusal in refused.items():
            _report(console, worker, refusal)
        usable = sorted(a for a, r in answers.items() if r is None)
        if not usable:
            text = "\n".join(f"worker {a}: {r.message}" for a, r in refused.items())
            if all(r.kind == DATA for r in refused.values()):
                raise WorkersLackData(f"no worker of the cluster at {address} can grade {task.name}:\n{text}")
            raise ClusterError(f"no worker of the cluster at {address} can grade {task.name}:\n{text}")
        threads = sum(w.get("nthreads", 1) for a, w in client.scheduler_info()["workers"].items() if a in usable)
        console.print(f"cluster {escape(address)}: {len(usable)} worker(s), {threads} thread(s); bundle "
                      f"{bundle.digest[:12]}; each task requests {wanted or 'no resources'}", highlight=False)
        pending: deque[tuple[Job, int]] = deque((job, 0) for job in jobs)
        limit = max(2, 2 * threads)  # one waiting per thread: the scheduler queues the rest, Ctrl-C cancels them

        def submit(job: Job, attempt: int) -> None:
            restrict = {"workers": usable, "allow_other_workers": False} if refused else {}
            future = client.submit(remote.grade, bundle.digest, bundle_future, task.name, job, settings.lang,
                                   engine_hash(), key=_key(bundle, job, attempt), pure=False,
                                   retries=config.cluster.retries, resources=wanted or None, **restrict)
            in_flight[future] = (job, attempt)
            if on_start:
                on_start(job)

        while pending or in_flight:
            while pending and len(in_flight) < limit and not stop.requested.is_set():
                submit(*pending.popleft())
            if stop.requested.is_set() and pending:
                pending.clear()
                _cancel_waiting(client, in_flight)
            if not in_flight:
                break
            try:
                with client.as_current():
                    done, _ = wait(list(in_flight), timeout=0.5, return_when="FIRST_COMPLETED")
            except TimeoutError:  # none finished within the half second
                done = set()
            for future in done:
                job, attempt = in_flight.pop(future)
                if future.status == "cancelled":
                    continue
                error = future.exception() if future.status == "error" else None
                if isinstance(error, KilledWorker):
                    deliver(job, grader_killed(job, f"the Dask workers grading it died ({error})"))
                elif error is not None:
                    deliver(job, grader_failed(job, error))
                else:
                    answer: remote.Outcome = future.result()
                    if answer.refusal is not None:
                        _refused_mid_run(answer, refused, usable, console)
                        if not usable or attempt > len(answers) + 2:
                            deliver(job, grader_failed(job, RuntimeError(
                                f"no worker can grade it: {answer.refusal.message}")))
                        else:
                            pending.appendleft((job, attempt + 1))
                    elif answer.result is not None:
                        graded[answer.worker] += 1
                        seconds += answer.seconds
                        deliver(job, answer.result)
                future.release()
        if graded:
            where = ", ".join(f"{escape(a)} {n}" for a, n in sorted(graded.items()))
            console.print(f"cluster: {sum(graded.values())} task(s) graded on the workers ({where}), "
                          f"{seconds:.1f} s of work there", highlight=False, soft_wrap=True)
    except KeyboardInterrupt:
        client.cancel(list(in_flight), force=True)
        raise
    finally:
        client.close()


def _refused_mid_run(answer: Any, refused: dict[str, Refusal], usable: list[str], console: Console) -> None:
    if answer.worker not in refused:
        refused[answer.worker] = answer.refusal
        _report(console, answer.worker, answer.refusal)
    if answer.worker in usable:
        usable.remove(answer.worker)


def _cancel_waiting(client: Any, in_flight: dict[Any, tuple[Job, int]]) -> None:
    """Ctrl-C: cancel the tasks no worker is running yet (they get no row; the next run grades them)."""
    running = {key for keys in client.processing().values() for key in keys}
    waiting = [future for future in in_flight if future.key not in running]
    if waiting:
        client.cancel(waiting)
    for future in waiting:
        in_flight.pop(future, None)

