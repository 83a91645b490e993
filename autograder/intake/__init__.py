"""The intake stage: from the run's inputs (folders, zips, notebooks, LMS exports) to one submission per student.

``submission_files`` finds and reads the files (bounded), ``lms`` says who is
who in an LMS export and when it was handed in, ``roster`` reads the class
list and matches names, ``submissions`` chooses each row's student id and
settles duplicates, ``validate`` checks what a run was asked to do against
what its inputs hold. Nothing here grades or writes; the grade stage
(:mod:`autograder.grade`) takes the :class:`~autograder.intake.submissions.Submission` rows.
"""
