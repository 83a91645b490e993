"""``autograder gradebook``: list runs, take grades out (a thin layer over :mod:`autograder.gradebook.removal`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Collection
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.markup import escape

DECLINED = 1


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``gradebook runs`` and ``gradebook remove``."""
    book = commands.add_parser("gradebook", help="the gradebook's runs; take a student's or a run's grades out",
                               description="Every grading run and result is recorded in the gradebook (`gradebook:` "
                                           "in the config). A trial run is better done with `autograder grade "
                                           "--dry-run`, which records nothing.")
    actions = book.add_subparsers(dest="gradebook_command", required=True)
    runs = actions.add_parser("runs", help="list the recorded runs: id, assignment, when, how it ended, grades")
    runs.add_argument("--assignment", help="only this assignment's runs")
    runs.add_argument("--gradebook", help="gradebook file or postgresql:// URL (default: from the config)")
    remove = actions.add_parser(
        "remove", help="delete a student's grades or a whole run from the gradebook, then rebuild the outputs",
        description="Deletes every recorded grade of a student (of one assignment with --assignment), or every "
                    "grade a run recorded and the run itself (each of its students then has the grade recorded "
                    "before it, if any). Asks first unless --yes. Afterwards each assignment's outputs are rebuilt "
                    "as `autograder report` does (the removed students' files go too). Exit code 1 when the "
                    "answer is not yes.")
    chosen = remove.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--student", metavar="ID", help="the student id as the gradebook records it")
    chosen.add_argument("--run", type=int, metavar="RUN_ID", help="a run's id (`autograder gradebook runs`)")
    remove.add_argument("--assignment", help="only this assignment's grades (with --student)")
    remove.add_argument("--yes", action="store_true", help="remove without asking")
    remove.add_argument("--gradebook", help="gradebook file or postgresql:// URL (default: from the config)")


def run(args: argparse.Namespace, console: Console, answers: TextIO | None = None) -> int:
    """Run ``gradebook runs`` or ``gradebook remove``; the exit code. ``answers``: where the confirmation is read."""
    from autograder.config import load_config
    from autograder.gradebook import Gradebook
    from autograder.gradebook.removal import plan_removal, remove

    config = load_config(args.config)
    location = args.gradebook or config.gradebook
    with Gradebook.open(location) as book:
        if args.gradebook_command == "runs":
            counts: dict[int, int] = {}
            for result in book.result_infos(assignment=args.assignment):
                counts[result.run_id] = counts.get(result.run_id, 0) + 1
            for info in book.runs(args.assignment):  # data: on stdout, one line a run
                print(f"{info.id}  {info.assignment}  {info.started_at}  {info.status}  "
                      f"{counts.get(info.id, 0)} grade(s)  {info.command}")
            return 0
        removal = plan_removal(book, student=args.student, assignment=args.assignment, run_id=args.run)
        console.print(f"from the gradebook {escape(book.location)}, remove:", highlight=False)
        for line in removal.describe():
            console.print(f"  {escape(line)}", highlight=False, soft_wrap=True)
        if not args.yes and not _confirmed(console, answers or sys.stdin):
            console.print("nothing removed (answer y to remove, or pass --yes)", highlight=False)
            return DECLINED
        remove(book, removal)
    console.print(f"removed {len(removal.results)} grade(s)" + (f" and run {args.run}" if removal.runs else ""),
                  highlight=False)
    _rebuild(args.config, location, removal.affected(), dict(removal.emptied), set(config.assignments), console)
    return 0


def _confirmed(console: Console, answers: TextIO) -> bool:
    console.print("remove these? [y/N] ", end="", highlight=False, markup=False)
    answer = answers.readline()
    if not answer:
        console.print("")
    return answer.strip().lower() in ("y", "yes")


def _rebuild(config_path: Path, location: str, affected: dict[str, list[str]], emptied: dict[str, tuple[str, ...]],
             configured: Collection[str], console: Console) -> None:
    from autograder.report.rebuild import report

    for assignment in affected:
        if assignment not in configured:
            console.print(f"[yellow]warning:[/] the outputs of {escape(assignment)} were not rebuilt: it is not in "
                          f"{escape(str(config_path))}; add it and run `autograder report {escape(assignment)}`",
                          highlight=False)
            continue
        folder = report(assignment=assignment, config_path=config_path, gradebook=location,
                        removed=emptied.get(assignment, ()))
        console.print(f"rebuilt {escape(str(folder))}", highlight=False)
