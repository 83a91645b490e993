"""The submission portal (``autograder serve``): students upload notebooks and read their feedback in minutes.

:mod:`~autograder.portal.settings` reads the ``portal:`` section of the grading configuration,
:mod:`~autograder.portal.store` keeps tokens, sessions, uploads and the grading queue in the gradebook's
database, :mod:`~autograder.portal.policy` decides whether an upload is accepted,
:mod:`~autograder.portal.worker` grades the queue with the engine of ``autograder grade``
(:func:`autograder.grade.batch.run_batch`) and records in the same gradebook, and
:mod:`~autograder.portal.app` is the web application (FastAPI, server-side Jinja2 pages, no JavaScript).
"""
