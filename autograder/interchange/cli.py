"""``autograder import otter MASTER.ipynb [--id ID] [--into DIR]`` and ``autograder export gradescope ID``."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.markup import escape


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``import otter`` and ``export gradescope``."""
    importing = commands.add_parser("import", help="convert another tool's assignment into solutions/<id>/")
    kinds = importing.add_subparsers(dest="import_kind", required=True, metavar="KIND")
    otter = kinds.add_parser("otter", help="an otter-grader 7 master notebook (see docs/interchange.md)",
                             description="Writes DIR/<id>/ (reference notebook, public and hidden checks, messages, "
                                         "points) and IMPORT_REPORT.md listing what could not be converted.")
    otter.add_argument("master", type=Path, help="the otter master notebook (with # BEGIN QUESTION ... markers)")
    otter.add_argument("--id", help="the assignment's id (default: the master's name: key, else its file name)")
    otter.add_argument("--into", type=Path, help="the solutions folder to write into (default: solutions_dir "
                                                 "of the config, else ./solutions)")
    otter.add_argument("--force", action="store_true", help="replace DIR/<id>/ when it exists")
    exporting = commands.add_parser("export", help="package an assignment for another platform")
    targets = exporting.add_subparsers(dest="export_kind", required=True, metavar="TARGET")
    gradescope = targets.add_parser("gradescope", help="a Gradescope autograder zip (setup.sh, run_autograder)")
    gradescope.add_argument("assignment", help="the assignment's id (its folder in solutions/)")
    gradescope.add_argument("--output", type=Path, help="the zip to write (default: ./<id>-gradescope.zip)")
    gradescope.add_argument("--isolation", default="auto", choices=("auto", "root", "userns", "none"),
                            help="the sandbox isolation on Gradescope's machine (default: auto)")


def run(args: argparse.Namespace, console: Console) -> int:
    """Run ``import otter`` or ``export gradescope``; return the exit code."""
    if args.command == "import":
        from autograder.interchange.otter_import import import_otter

        into = args.into
        if into is None:
            into = Path("solutions")
            if args.config.is_file():
                from autograder.config import load_config

                into = load_config(args.config).solutions_dir
        result = import_otter(args.master, assignment=args.id, into=into, force=args.force)
        for line in result.lines():
            console.print(escape(line), highlight=False, soft_wrap=True)
        return 0
    from autograder.interchange.gradescope_export import export_gradescope

    path = export_gradescope(args.assignment, config_path=args.config, output=args.output, isolation=args.isolation)
    console.print(escape(f"wrote {path}: upload it as the assignment's autograder on Gradescope "
                         "(Configure Autograder, zip file upload)"), highlight=False, soft_wrap=True)
    return 0
