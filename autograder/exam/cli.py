"""``autograder exam start --candidate ID | submit CATEGORY FILE | status | finish``: a thin layer over
:mod:`autograder.exam.session`."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from autograder.exam import session as exam_session
from autograder.exam.artifact import scorer
from autograder.exam.catalogue import load_exam
from autograder.exam.result_page import outcome_text
from autograder.exam.standing import text as standing_text
from autograder.i18n import LANGUAGES, message


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``exam`` and its sub-commands to the ``autograder`` parser."""
    exam = commands.add_parser("exam", help="TensorFlow-certificate exam practice: a timed session, model files "
                                            "scored 0-5 on hidden data",
                               description="Categories live in the exam folder (exam/exam.yaml, one folder each). "
                                           "The session's state is in the gradebook, so it resumes after a crash.")
    exam.add_argument("--exam-dir", type=Path, default=Path("exam"), help="the exam folder (default: ./exam)")
    exam.add_argument("--gradebook", help="gradebook file or postgresql:// URL (default: from the config)")
    exam.add_argument("--lang", choices=LANGUAGES, default="en", help="the candidate's language (default: en)")
    actions = exam.add_subparsers(dest="exam_command", required=True)
    start = actions.add_parser("start", help="open the candidate's window (or resume their open session)")
    start.add_argument("--candidate", required=True, help="the candidate's id")
    start.add_argument("--window-hours", type=float, help="the window (default: window_hours in exam.yaml)")
    submit = actions.add_parser("submit", help="score a model file for a category now")
    submit.add_argument("category", help="the category's folder name (category1) or number (1)")
    submit.add_argument("file", type=Path, help="the saved model (mymodel.keras or .h5), or the "
                        "starter script (starter.py or "
                             "starter.ipynb), which then runs in the sandbox within the category's budget")
    submit.add_argument("--candidate", help="whose session (default: the only open one)")
    status = actions.add_parser("status", help="time left and each category's score")
    status.add_argument("--candidate", help="whose session (default: the only open one)")
    calibrate = actions.add_parser("calibrate", help="instructor: a levels rule's thresholds from a trained "
                                                     "reference model file (prints them; writes nothing)")
    calibrate.add_argument("category", help="the category's folder name or number")
    calibrate.add_argument("file", type=Path, help="the reference's saved model (python reference.py writes it)")
    whole = actions.add_parser("class", help="instructor: every session, its state and per-category scores")
    whole.add_argument("--report", type=Path, metavar="DIR",
                       help="also write DIR/report.html (the class report of the finished sessions' gradebook rows, "
                            "a table per category) and DIR/grades.csv")
    finish = actions.add_parser("finish", help="close the session and write the candidate's result page")
    finish.add_argument("--candidate", help="whose session (default: the only open one)")
    finish.add_argument("--output", type=Path, default=Path("results/exam"),
                        help="folder for the result page (default: results/exam)")


def _settings(args: argparse.Namespace) -> tuple[str, Path | None]:
    """The gradebook and the course data folder: the flags, else the grading config, else the defaults."""
    gradebook, data_dir = args.gradebook, None
    if Path(args.config).exists():
        from autograder.config import load_config

        config = load_config(Path(args.config))
        gradebook, data_dir = gradebook or config.gradebook, config.data_dir
    elif os.environ.get("AUTOGRADER_DATA_DIR"):
        data_dir = Path(os.environ["AUTOGRADER_DATA_DIR"])
    return gradebook or "gradebook.sqlite", data_dir


def _left(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def run(args: argparse.Namespace, console: Console) -> int:
    """Run one ``exam`` sub-command; the exit code (0 done, 1 a refused or late submission)."""
    from autograder.exam.store import open_store

    exam = load_exam(args.exam_dir)
    location, data_dir = _settings(args)
    db = open_store(location)
    say: Any = lambda text: console.print(escape(text), highlight=False, soft_wrap=True)  # noqa: E731
    try:
        if args.exam_command == "start":
            found, resumed = exam_session.start(db, exam, args.candidate, window_hours=args.window_hours)
            say(f"{'resumed' if resumed else 'started'} session {found.id} for {found.candidate}: the window "
                f"closes at {standing_text(found.deadline)} UTC")
            return 0
        if args.exam_command == "calibrate":
            from autograder.exam.calibrate import calibrate as measure

            category = exam.category(args.category)
            for line in measure(args.file, category, scorer(exam, data_dir)).lines(category):
                say(line)
            return 0
        if args.exam_command == "class":
            names = list(exam.categories)
            print("candidate\tsession\tstate\t" + "\t".join(names) + "\tpercent\tresult")  # data: stdout
            for one in exam_session.class_standings(db, exam):
                if one.session.practice:  # the portal's untimed uploads: scores shown, never a pass or a fail
                    state, result = "practice", "-"
                else:
                    state = "finished" if one.session.finished_at else ("open" if one.open else "closed")
                    result = "pass" if one.passed else "fail"
                scores = "\t".join(str(c.score) for c in one.categories)
                print(f"{one.session.candidate}\t{one.session.id}\t{state}\t{scores}\t{one.percent:g}\t{result}")
            if args.report is not None:
                from autograder.exam.gradebook_rows import write_class

                report, grades = write_class(db, exam, args.report, args.lang)
                say(f"wrote {report} and {grades}")
            return 0
        found = exam_session.current(db, exam, args.candidate)
        if args.exam_command == "submit":
            try:
                row = exam_session.submit(db, exam, found, args.category, args.file, scorer(exam, data_dir))
            except exam_session.ExamClosed as closed:
                say(message(closed.key, args.lang, **closed.params))
                return 1
            category = exam.categories[row.category]
            say(f"{category.number}. {category.title[args.lang]}: {outcome_text(row, args.lang)}")
            return 0 if row.status == "scored" else 1
        if args.exam_command == "status":
            standing = exam_session.standing(db, exam, found)
            state = "open" if standing.open else ("finished" if found.finished_at else "closed")
            say(f"{found.candidate}: session {found.id} {state}, {_left(standing.seconds_left)} left")
            for c in standing.categories:
                last = outcome_text(c.last, args.lang) if c.last else message("exam.not_submitted", args.lang)
                say(f"  {c.category.number}. {c.category.title[args.lang]}: {c.score}/5 "
                    f"({c.attempts} submitted; last: {last})")
            say(f"  total {standing.percent:g}% (pass line {standing.pass_percent:g}%)")
            return 0
        standing, page = exam_session.finish(db, exam, found, args.output, args.lang)
        say(f"{found.candidate}: {standing.percent:g}% -> {'PASS' if standing.passed else 'FAIL'}; wrote {page}")
        return 0
    finally:
        db.close()
