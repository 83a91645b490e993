"""The ``autograder`` command: a thin router to each stage's ``main``.

Exit codes: 0 success; 1 a run finished but some submission could not be
graded at all (every one still has a row); 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from autograder.errors import AutograderError
from autograder.i18n import LANGUAGES


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="autograder", description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=Path("grading_config.yaml"),
                        help="grading configuration (default: ./grading_config.yaml)")
    commands = parser.add_subparsers(dest="command", required=True)
    assign = commands.add_parser("assign", help="generate the student notebook from solutions/<id>/")
    assign.add_argument("assignment")
    calibrate = commands.add_parser("calibrate", help="measure the reference solution; store performance thresholds")
    calibrate.add_argument("assignment")
    calibrate.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2],
                           help="one run of the reference solution per seed (default: 0 1 2)")
    report = commands.add_parser("report", help="rebuild grades, LMS exports, feedback pages and the class report "
                                                "from the gradebook, without grading")
    report.add_argument("assignment")
    report.add_argument("--output", type=Path, help="folder (default: <results_dir>/<assignment>)")
    report.add_argument("--lang", choices=LANGUAGES, help="language (default: from the config)")
    report.add_argument("--gradebook", help="gradebook file or postgresql:// URL (default: from the config)")
    grade = commands.add_parser("grade", help="grade submissions (folders, zips or notebooks)")
    grade.add_argument("assignment")
    grade.add_argument("inputs", nargs="+", type=Path)
    grade.add_argument("--output", type=Path, help="results folder (default: <results_dir>/<assignment>)")
    grade.add_argument("--lang", choices=LANGUAGES, help="feedback language (default: from the config)")
    grade.add_argument("--workers", type=int, help="submissions graded at once (default: config, else one per core)")
    grade.add_argument("--regrade", action="store_true", help="grade every submission again, changed or not")
    grade.add_argument("--regrade-student", action="append", default=[], metavar="ID",
                       help="grade this student's submission again (repeatable)")
    grade.add_argument("--regrade-question", action="append", default=[], metavar="Q",
                       help="with --regrade or --regrade-student: only this question (repeatable)")
    grade.add_argument("--roster", type=Path, help="roster CSV (id,name,email) for names and LMS ids")
    grade.add_argument("--gradebook", help="gradebook file or postgresql:// URL (default: from the config)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    console = Console(stderr=True)
    try:
        if args.command == "assign":
            from autograder import assign

            made = assign.main(assignment=args.assignment, config_path=args.config)
            console.print(f"wrote {made.notebook} ({made.regions} solution regions removed) and "
                          f"{made.public_checks}", highlight=False)
            return 0
        from autograder import grade

        if args.command == "report":
            folder = grade.report(assignment=args.assignment, config_path=args.config, output=args.output,
                                  lang=args.lang, gradebook=args.gradebook)
            console.print(f"wrote {folder}/report.html, feedback/, grades.csv, canvas.csv, gradescope/",
                          highlight=False)
            return 0
        if args.command == "calibrate":
            run = grade.calibrate(assignment=args.assignment, config_path=args.config, seeds=args.seeds,
                                  console=console)
            for name, metric in sorted(run.metrics.items()):
                values = ", ".join(f"{v:.4f}" for v in metric.values)
                console.print(f"{name}: {values} -> reference {metric.reference:.4f}, "
                              f"threshold {metric.threshold:.4f} ({metric.metric.goal})", highlight=False)
            for failed in run.failed_checks():
                console.print(f"[yellow]warning:[/] the reference solution fails {failed}", highlight=False)
            console.print(f"wrote {run.path}", highlight=False)
            return 1 if run.failed_checks() else 0
        options = grade.RunOptions(workers=args.workers, regrade=args.regrade,
                                   regrade_students=tuple(args.regrade_student),
                                   regrade_questions=tuple(args.regrade_question), roster=args.roster,
                                   gradebook=args.gradebook)
        summary = grade.main(assignment=args.assignment, inputs=args.inputs, config_path=args.config,
                             output=args.output, lang=args.lang, console=console, options=options)
        # 0: every submission has exactly one row
        return 0 if summary.complete and len(summary.results) == len({r.student for r in summary.results}) else 1
    except (AutograderError, FileNotFoundError) as error:
        console.print(f"[red]error:[/] {error}", highlight=False)
        return 2


if __name__ == "__main__":
    sys.exit(main())
