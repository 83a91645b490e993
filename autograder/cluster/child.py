"""The child grader process a Dask worker starts: a local pool's grader process, fed jobs over a socket.

``python -m autograder.cluster.child FD``: FD is one end of a socket pair
(:class:`multiprocessing.connection.Connection` framing, pickles between two
processes of the grader, never from a sandbox). The first message is the start:
``(config_path, assignment, lang, hide, parent_pid, client_engine)``. The child
dies with its parent (``PR_SET_PDEATHSIG``), checks the engine and data
(:mod:`autograder.cluster.provision`), loads the assignment as a local grader
process does (:func:`autograder.grade.batch._init_worker`), starts one sandbox
like the run's preflight (its templates serve this child's sandboxes), then
answers ``("ready", how)`` or ``("refused", Refusal)``. Each job is answered
``("began",)`` then ``("result", SubmissionResult)``: a death after "began" is
the submission's.
"""

from __future__ import annotations

import os
import sys
from multiprocessing.connection import Connection
from pathlib import Path

from autograder.cluster.provision import OTHER, Refusal, check


def _start(connection: Connection) -> bool:
    config_path, assignment, lang, hide, parent, engine = connection.recv()
    from autograder.grade import batch

    batch.die_with_parent(parent)
    refusal = check(Path(config_path), assignment, engine)
    if refusal is not None:
        connection.send(("refused", refusal))
        return False
    from autograder.config import load_config
    from autograder.errors import SandboxError
    from autograder.grade import preflight
    from autograder.sandbox import zygote
    from autograder.sandbox.process import isolation_mode

    config = load_config(Path(config_path))
    os.environ[zygote.START_ENV] = config.sandbox_start
    os.environ.pop(zygote.SHARED_ENV, None)
    isolation = config.isolation if config.isolation != "auto" else isolation_mode()
    limits = config.limits_for(assignment)
    settings = batch.Settings(str(config_path), assignment, tuple(hide), config.seed, lang, isolation,
                              limits.threads)
    batch._init_worker(settings, parent)
    if batch._INIT_ERROR is not None or batch._TASK is None:
        connection.send(("refused", Refusal(OTHER, f"could not load the assignment: {batch._INIT_ERROR}")))
        return False
    try:
        how = preflight.sandbox_starts(batch._TASK, hide=[Path(p) for p in hide], seed=config.seed, lang=lang,
                                       isolation=isolation, threads=limits.threads)
    except SandboxError as error:
        connection.send(("refused", Refusal("sandbox", str(error))))
        return False
    os.environ.pop(zygote.SHARED_ENV, None)  # its templates are this process's own (zygote._CURRENT)
    connection.send(("ready", f"isolation {isolation}, {how}"))
    return True


def main(argv: list[str]) -> int:
    """Serve jobs until the parent closes the socket."""
    connection = Connection(int(argv[0]))
    if not _start(connection):
        return 0
    from autograder.grade import batch

    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return 0
        connection.send(("began",))
        try:
            result = batch._grade_in_worker(job)
        except Exception as error:  # noqa: BLE001  (as the local pool: the grader's failure is the job's row)
            result = batch.grader_failed(job, error)
        connection.send(("result", result))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
