"""Practice for the TensorFlow Developer Certificate exam: categories, a model file scored on hidden data, a timed
session.

``catalogue`` reads the exam folder (``exam/exam.yaml`` and one folder per category), ``scoring`` turns a metric
into 0-5, ``hidden`` builds the data the candidate never sees, ``artifact`` checks and scores a submitted model
file in the bounded model host (never in the grader), ``store`` keeps sessions and submissions in the gradebook,
``session`` is the timed window, ``result_page`` the candidate's HTML page, ``cli`` the ``autograder exam``
commands.
"""
