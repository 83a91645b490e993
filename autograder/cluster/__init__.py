"""Grading on a Dask distributed cluster: one task per submission, graded in a child grader process on a worker.

- :mod:`.bundle`: the assignment as a content-addressed tar (checks, calibration, hand-outs, settings);
- :mod:`.provision`: what a worker checks before its first task (the engine it runs, the data by hash);
- :mod:`.task`: what runs on a Dask worker: a child grader process per worker thread, never grading there;
- :mod:`.child`: that child grader process (the local pool's grader process, fed over a pipe);
- :mod:`.executor`: the client side, the only writer of the gradebook (through the run's callbacks).
"""
