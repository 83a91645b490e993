"""The ``autograder`` command: a thin router to each stage's ``main``.

Exit codes: 0 success; 1 a run finished but some submission could not be
graded at all (every one still has a row); 2 usage or configuration error;
3 an assignment's data is missing (``autograder data fetch`` gets it).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from autograder import cli_gradebook
from autograder.data.provision import MissingData
from autograder.errors import AutograderError
from autograder.exam import cli as exam_cli
from autograder.i18n import LANGUAGES
from autograder.interchange import cli as interchange_cli
from autograder.portal import cli as portal_cli

ASSIGNMENT = ("the assignment's id: its folder in solutions/ (solutions_dir in the config) and its key under "
              "`assignments:` in the config, e.g. tensor_ops")
DATA_NAME = ("an assignment's id (its solutions/<id>/data.yaml says what it needs) or a Keras dataset "
             "(mnist, fashion_mnist, imdb, reuters, boston_housing, vgg16); default: every configured assignment")
MISSING_DATA = 3


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("keras-autograder")  # the distribution (pyproject.toml), not the import name
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed; run `make setup`)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="autograder", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Grade Keras / TensorFlow notebooks in a sandbox: generate student notebooks, grade\n"
                    "submissions, rebuild reports, calibrate performance checks, get the data assignments need.",
        epilog="exit codes: 0 success; 1 some submission could not be graded at all (each still has a row);\n"
               "            2 usage or configuration error; 3 an assignment's data is missing "
               "(`autograder data fetch`)\n"
               "`autograder COMMAND --help` explains each command.")
    parser.add_argument("--version", action="version", version=f"autograder {_version()}")
    parser.add_argument("--config", type=Path, default=Path("grading_config.yaml"),
                        help="grading configuration (default: ./grading_config.yaml)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", title="commands")
    assign = commands.add_parser("assign", help="generate the student notebook from solutions/<id>/")
    assign.add_argument("assignment", help=ASSIGNMENT)
    assign.add_argument("--install-from", metavar="URL", help="what students `pip install` the grader from (the "
                        "course's wheel or git URL), written in the notebook's first cell")
    assign.add_argument("--no-validate", action="store_true",
                        help="do not first grade the reference notebook in the sandbox against the checks (quick "
                             "regeneration; the output says the hand-outs were not validated)")
    calibrate = commands.add_parser("calibrate", help="measure the reference solution; store performance thresholds")
    calibrate.add_argument("assignment", help=ASSIGNMENT)
    calibrate.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2],
                           help="one run of the reference solution per seed (default: 0 1 2)")
    report = commands.add_parser("report", help="rebuild grades, LMS exports, feedback pages and the class report "
                                                "from the gradebook, without grading")
    report.add_argument("assignment", help=ASSIGNMENT)
    report.add_argument("--output", type=Path, help="folder (default: <results_dir>/<assignment>)")
    report.add_argument("--lang", choices=LANGUAGES, help="language (default: from the config)")
    report.add_argument("--gradebook", help="gradebook file or postgresql:// URL (default: from the config)")
    grade = commands.add_parser("grade", help="grade submissions (folders, zips or notebooks)")
    grade.add_argument("assignment", help=ASSIGNMENT)
    grade.add_argument("inputs", nargs="+", type=Path,
                       help="the submissions: folders (one notebook or one folder per student), .zip files, "
                            ".ipynb files, or LMS exports (Canvas, Moodle, Gradescope)")
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
    grade.add_argument("--late-from-mtime", action="store_true",
                       help="late penalties also from file modification times (folders, zips that are not LMS "
                            "exports); without it only LMS time stamps count (config: late_from_mtime)")
    grade.add_argument("--dry-run", action="store_true",
                       help="a trial run: grade and write every output (to --output, else a new temporary folder, "
                            "printed) but record nothing in the gradebook")
    grade.add_argument("--cluster", metavar="ADDRESS", help="grade on the Dask scheduler at ADDRESS (e.g. "
                       "tcp://HOST:8786), one task per submission (config: executor: dask, cluster.address)")
    _data_and_config_parsers(commands)
    cli_gradebook.add_parsers(commands)
    exam_cli.add_parser(commands)
    portal_cli.add_parsers(commands)
    interchange_cli.add_parsers(commands)
    return parser


def _data_and_config_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    data = commands.add_parser("data", help="the datasets and weights assignments need: where they are, get them",
                               description="Each assignment declares its data in solutions/<id>/data.yaml. "
                                           f"Exit code {MISSING_DATA} when something required is still missing.")
    actions = data.add_subparsers(dest="data_command", required=True)
    status = actions.add_parser("status", help="list each declared file: present (and where) or missing (and why)")
    status.add_argument("name", nargs="?", metavar="ID", help=DATA_NAME)
    fetch = actions.add_parser("fetch", help="fill the Keras cache (KERAS_HOME or ~/.keras) and the course data "
                                             "folder with what is missing",
                               description="Sources, in order: --from DIR, the configured data_dir (both as the "
                                           "course data folder's layout, keras/datasets/ and data/, or a Keras "
                                           "cache's, datasets/), Debian's dataset-fashion-mnist, then Keras' own "
                                           "download with its hash check. A file whose hash is not Keras' is "
                                           "never copied.")
    fetch.add_argument("name", nargs="?", metavar="ID", help=DATA_NAME)
    fetch.add_argument("--from", dest="from_dir", type=Path, metavar="DIR",
                       help="a local mirror folder to copy from (e.g. a copy of the course data folder)")
    fetch.add_argument("--link", action="store_true", help="symlink the files instead of copying them")
    fetch.add_argument("--offline", action="store_true", help="never download; local sources only")
    config = commands.add_parser("config", help="describe the configuration file's keys")
    config.add_argument("--describe", action="store_true", required=True,
                        help="print every key: dotted name, type, default and description")


def _data_command(args: argparse.Namespace) -> int:
    from autograder.config import load_config
    from autograder.data import provision

    config = load_config(args.config)
    context = provision.Context.of(config, args.config)
    complete = True
    for needs in provision.all_needs(config, [args.name] if args.name else [], args.config):
        if args.data_command == "status":
            items = provision.status(needs, context)
            lines = provision.render_status(needs, items)
        else:
            outcomes = provision.fetch(needs, context, from_dir=args.from_dir, link=args.link, offline=args.offline)
            items = [o.status for o in outcomes]
            lines = provision.render_fetch(needs, outcomes)
        print("\n".join(lines))
        missing = [i for i in items if i.required and not i.present]
        if missing:
            complete = False
            print(f"  -> {needs.assignment} cannot be graded until: " + ", ".join(i.item for i in missing)
                  + f" (`{provision.fetch_command(needs.assignment, args.config)}`, offline with --from DIR)")
    return 0 if complete else MISSING_DATA


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    console = Console(stderr=True)
    try:
        if args.command == "config":
            from autograder.config_describe import describe, render

            print(render(describe()))
            return 0
        if args.command == "data":
            return _data_command(args)
        if args.command == "assign":
            from autograder import assign

            made = assign.main(assignment=args.assignment, config_path=args.config, install_from=args.install_from,
                               validate=not args.no_validate,
                               progress=lambda text: console.print(escape(text), highlight=False, soft_wrap=True))
            for line in made.report_lines():
                console.print(escape(line), highlight=False, soft_wrap=True)
            return 0
        if args.command == "gradebook":
            return cli_gradebook.run(args, console)
        if args.command == "exam":
            return exam_cli.run(args, console)
        if args.command in ("serve", "portal"):
            return portal_cli.run(args, console)
        if args.command in ("import", "export"):
            return interchange_cli.run(args, console)
        if args.command == "report":
            from autograder.report.rebuild import report

            folder = report(assignment=args.assignment, config_path=args.config, output=args.output,
                            lang=args.lang, gradebook=args.gradebook)
            console.print(escape(f"wrote {folder}/report.html, feedback/, grades.csv, canvas.csv, gradescope/"),
                          highlight=False)
            return 0
        if args.command == "calibrate":
            from autograder.grade.calibrate import calibrate

            run = calibrate(assignment=args.assignment, config_path=args.config, seeds=args.seeds, console=console)
            for name, metric in sorted(run.metrics.items()):
                values = ", ".join(f"{v:.4f}" for v in metric.values)
                console.print(f"{name}: {values} -> reference {metric.reference:.4f}, "
                              f"threshold {metric.threshold:.4f} ({metric.metric.goal})", highlight=False)
            for failed in run.failed_checks():
                console.print(f"[yellow]warning:[/] the reference solution fails {escape(failed)}", highlight=False)
            console.print(f"wrote {escape(str(run.path))}", highlight=False)
            return 1 if run.failed_checks() else 0
        from autograder import grade
        from autograder.cluster.executor import for_config
        from autograder.config import load_config

        executor = for_config(load_config(args.config), args.cluster, console)
        options = grade.RunOptions(workers=args.workers, regrade=args.regrade,
                                   regrade_students=tuple(args.regrade_student),
                                   regrade_questions=tuple(args.regrade_question), roster=args.roster,
                                   gradebook=args.gradebook, late_from_mtime=args.late_from_mtime,
                                   dry_run=args.dry_run, executor=executor)
        summary = grade.main(assignment=args.assignment, inputs=args.inputs, config_path=args.config,
                             output=args.output, lang=args.lang, console=console, options=options)
        # 0: every submission has exactly one row
        return 0 if summary.complete and len(summary.results) == len({r.student for r in summary.results}) else 1
    except MissingData as error:
        console.print(f"[red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
        return MISSING_DATA
    except (AutograderError, FileNotFoundError) as error:
        console.print(f"[red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
        return 2


if __name__ == "__main__":
    sys.exit(main())
