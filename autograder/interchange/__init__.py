"""Interchange with other tools: import otter-grader master notebooks, export a Gradescope autograder.

- :mod:`otter_markers`: parse an otter-grader 7 master notebook (its raw-cell and fenced ```otter markers);
- :mod:`otter_tests`: run a converted otter test in the grader, on data the sandbox sends back;
- :mod:`otter_import`: write ``solutions/<id>/`` in this project's format, with a report of what was not converted;
- :mod:`gradescope_export`: build a Gradescope autograder zip; :mod:`gradescope_run` is its ``run_autograder``.
"""
