"""``autograder serve`` (the portal and its grading loop) and ``autograder portal tokens`` (sign-in links)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.markup import escape

from autograder.errors import ConfigError


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``serve`` and ``portal tokens``."""
    serve = commands.add_parser("serve", help="run the submission portal (students upload, get feedback; "
                                              "instructors watch the class); see docs/portal.md")
    serve.add_argument("--host", help="address to listen on (default: portal.host in the config, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: portal.port in the config, 8000)")
    serve.add_argument("--workers", type=int, help="submissions graded at once (default: portal.workers)")
    serve.add_argument("--no-grading", action="store_true",
                       help="serve pages and accept uploads, but leave the queue to another `autograder serve`")
    portal = commands.add_parser("portal", help="the portal's sign-in tokens")
    actions = portal.add_subparsers(dest="portal_command", required=True)
    tokens = actions.add_parser("tokens", help="issue personal sign-in links (printed once; stored hashed)",
                                description="One link per student: of the roster (--roster), of the students "
                                            "recorded for ASSIGNMENT in the gradebook, or --student ID; "
                                            "--instructor NAME issues an instructor's (or TA's) link. A student's "
                                            "earlier links stay valid unless --revoke-old.")
    tokens.add_argument("assignment", nargs="?", help="issue links for the students recorded for this assignment")
    tokens.add_argument("--roster", type=Path, help="roster CSV (id,name,email): one link per student in it")
    tokens.add_argument("--student", action="append", default=[], metavar="ID", help="one student (repeatable)")
    tokens.add_argument("--instructor", action="append", default=[], metavar="NAME",
                        help="an instructor's or TA's link (repeatable)")
    tokens.add_argument("--revoke-old", action="store_true", help="first revoke the earlier links of each one")


def run(args: argparse.Namespace, console: Console, out: TextIO | None = None) -> int:
    """Run ``serve`` or ``portal tokens``; the exit code."""
    if args.command == "serve":
        return serve(args.config, host=args.host, port=args.port, workers=args.workers, grading=not args.no_grading,
                     console=console)
    return tokens(args, console, out or sys.stdout)


def serve(config_path: Path, *, host: str | None, port: int | None, workers: int | None, grading: bool,
          console: Console) -> int:
    """Serve the portal until stopped."""
    import uvicorn

    from autograder.config import load_config
    from autograder.portal import app as portal_app
    from autograder.portal.settings import portal_config

    config = load_config(config_path)
    settings = portal_config(config, str(config_path), config_path.resolve().parent)
    if workers is not None:
        if workers < 1:
            raise ConfigError("command line", "--workers must be at least 1", "--workers")
        settings = settings.model_copy(update={"workers": workers})
    host, port = host or settings.host, port or settings.port
    application = portal_app.asgi(config_path, grading=grading, settings=settings)
    console.print(f"portal: http://{escape(host)}:{port} (gradebook {escape(config.gradebook)}, uploads "
                  f"{escape(str(settings.uploads_dir))}, grading {'on' if grading else 'off'}); Ctrl-C stops",
                  highlight=False, soft_wrap=True)
    uvicorn.run(application, host=host, port=port, log_level="warning", proxy_headers=True,
                forwarded_allow_ips="127.0.0.1")
    return 0


def tokens(args: argparse.Namespace, console: Console, out: TextIO) -> int:
    """Issue links; print ``student,name,role,link`` lines (the only time the tokens are shown)."""
    import csv

    from autograder.config import load_config
    from autograder.gradebook import Gradebook
    from autograder.intake.roster import load_roster
    from autograder.intake.submissions import student_id
    from autograder.portal.settings import portal_config
    from autograder.portal.store import INSTRUCTOR, STUDENT, PortalStore

    config = load_config(args.config)
    settings = portal_config(config, str(args.config), args.config.resolve().parent)
    people: list[tuple[str, str | None, str]] = []
    if args.roster is not None:
        people += [(student_id(e.student), e.name, STUDENT) for e in load_roster(args.roster).values()]
    if args.assignment:
        config.assignment(args.assignment, str(args.config))
        with Gradebook.open(config.gradebook) as book:
            people += [(r.key.student, r.name, STUDENT) for r in book.results(args.assignment)]
    people += [(student_id(s), None, STUDENT) for s in args.student]
    people += [(student_id(name), name, INSTRUCTOR) for name in args.instructor]
    if not people:
        raise ConfigError("command line", "say whose links to issue: ASSIGNMENT (its students in the gradebook), "
                          "--roster FILE, --student ID or --instructor NAME")
    base = (settings.base_url or f"http://{settings.host}:{settings.port}").rstrip("/")
    writer = csv.writer(out)
    writer.writerow(["student", "name", "role", "link"])
    seen: set[tuple[str, str]] = set()
    with PortalStore(config.gradebook) as store:
        for student, name, role in people:
            if (student, role) in seen:
                continue
            seen.add((student, role))
            if args.revoke_old:
                store.revoke(student)
            token = store.issue_token(student, role, name)
            writer.writerow([student, name or "", role, f"{base}/login?token={token}"])
    console.print(f"{len(seen)} link(s) issued; they are shown only now (stored hashed): send each person their "
                  "own", highlight=False)
    return 0
