"""The feedback page of one student: a self-contained HTML page in the course language.

Per question the points and every check's message; hidden checks say what
failed (their message) and nothing else; the student's own cell errors with
the cell number and a trimmed traceback; an excerpt of what the notebook
printed. Everything the student or the grader produced is escaped
(:mod:`autograder.report.html`).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from autograder.gradebook.records import StoredResult
from autograder.i18n import check_language, message
from autograder.report.common import (
    clean_text,
    excerpt,
    file_stems,
    number,
    percent,
    student_message,
    trim_traceback,
    write_text,
)
from autograder.report.html import Html, join, page, prose, tag
from autograder.results import QuestionScore, check_points, status_label

Titles = Mapping[str, Mapping[str, str]]  # check name -> language -> title (``@check(title=...)``)
# how IPython names a cell's code in a traceback; the sandbox numbers it as this page does (cell 9 = In[9])
_CELL_REFERENCE = re.compile(r"<ipython-input-(\d+)-[0-9a-f]+>|\bCell In\[(\d+)\]")


def local_time(moment: str | None, zone: tzinfo | None) -> str:
    """An ISO 8601 time as people read it: in the course's time zone (else UTC), to the minute, with the zone."""
    try:
        parsed = datetime.fromisoformat(str(moment))
    except ValueError:
        return clean_text(str(moment or ""))[:64]
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    local = parsed.astimezone(zone or UTC)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def cell_references(text: str, lang: str) -> str:
    """``<ipython-input-9-…>`` and ``Cell In[9]`` written as this page names the cell ("cell 9")."""
    return _CELL_REFERENCE.sub(lambda m: message("report.feedback.cell_ref", lang, cell=m.group(1) or m.group(2)),
                               text)


def check_title(name: str, lang: str, titles: Titles | None) -> str:
    """A check's title in ``lang`` (``@check(title=...)``), else its name."""
    return (titles or {}).get(name, {}).get(lang) or name


def _question(score: QuestionScore, lang: str, titles: Titles | None = None) -> Html:
    heading = tag("h2", message("report.question", lang, question=score.question), " · ",
                  message("report.points_of", lang, points=number(score.points), max=number(score.max_points)),
                  id=f"question-{score.question}")
    if not score.checks:
        return join(heading, tag("p", message("report.feedback.not_graded", lang), class_="note"))
    rows = []
    for share in check_points(score):
        check = share.check
        kind = "hidden" if check.hidden else "public"
        rows.append(tag(
            "tr",
            tag("td", status_label(check.status, lang), class_=check.status),
            tag("td", prose(check_title(check.name, lang, titles)), title=check.name),
            tag("td", tag("span", message(f"report.visibility.{kind}", lang), class_=f"tag {kind}")),
            tag("td", f"{number(share.points)} / {number(share.max_points)}", class_="num"),
            tag("td", prose(student_message(check, lang))),
            class_=f"check check-{check.status}"))
    columns = ("result", "check", "visibility", "points", "message")
    header = tag("tr", *(tag("th", message(f"report.col.{c}", lang), class_="num" if c == "points" else None)
                         for c in columns))
    passed = all(c.passed or c.skipped for c in score.checks) and any(c.passed for c in score.checks)
    skipped = any(c.skipped for c in score.checks)
    return join(heading,
                tag("p", message("report.feedback.all_passed", lang), class_="meta") if passed else None,
                tag("p", message("report.feedback.skipped", lang), class_="note skipped") if skipped else None,
                tag("table", tag("colgroup", *(tag("col", class_=c) for c in columns)), tag("thead", header),
                    tag("tbody", *rows), class_="checks"))


def _cells(record: StoredResult, lang: str) -> Html | None:
    cells = record.result.cells
    if not cells:
        return None
    parts = [tag("h2", message("report.feedback.cells", lang), id="cells"),
             tag("p", message("report.feedback.cells_note", lang), " ",
                 message("report.feedback.cells_numbering", lang), class_="note")]
    for cell in cells:
        parts.append(tag("h3", message("report.feedback.cell", lang, cell=str(cell.cell),
                                       status=status_label(cell.status, lang)), id=f"cell-{cell.cell}"))
        if cell.ename:
            parts.append(tag("p", tag("code", cell_references(clean_text(f"{cell.ename}: {cell.evalue}")[:1000],
                                                              lang))))
        trace = cell_references(trim_traceback(cell.traceback, lang), lang)
        if trace:
            parts.append(tag("pre", trace, class_="traceback"))
    return join(*parts)


def feedback_html(record: StoredResult, lang: str, *, title: str | None = None, zone: tzinfo | None = None,
                  titles: Titles | None = None) -> str:
    """The feedback page of ``record``'s student, as a complete HTML document.

    ``zone``: the course's time zone (times are shown in it, to the minute;
    else in UTC); ``titles``: the checks' titles, shown instead of their names.
    """
    check_language(lang)
    result = record.result
    heading = message("report.feedback.title", lang, assignment=title or record.assignment)
    student = record.key.student if not record.name else f"{record.name} ({record.key.student})"
    maximum = result.max_points
    body: list[object] = [
        tag("h1", heading),
        tag("p", message("report.col.student", lang), ": ", student, class_="meta student"),
        tag("p", message("report.points_of", lang, points=number(record.final_points), max=number(maximum)),
            f" ({number(percent(record.final_points, maximum))}%)", class_="score", id="score"),
        tag("p", message("report.col.status", lang), ": ", status_label(result.status, lang),
            class_="meta status"),
    ]
    if record.late_penalty:
        body.append(tag("p", message("report.feedback.late", lang, penalty=number(100 * record.late_penalty),
                                     final=number(record.final_points), max=number(maximum)), class_="late"))
    if record.key.submitted_at:
        body.append(tag("p", message("report.feedback.submitted_at", lang,
                                     time=local_time(record.key.submitted_at, zone)),
                        class_="meta"))
    body.append(tag("p", message("report.feedback.graded_at", lang, time=local_time(record.graded_at, zone)),
                    class_="meta"))
    if result.reasons:
        body.append(tag("div", tag("strong", message("report.feedback.reasons", lang)),
                        tag("ul", *(tag("li", prose(r.render(lang))) for r in result.reasons)), class_="bad reasons"))
    if any(c.hidden for q in result.questions for c in q.checks):
        body.append(tag("p", message("report.feedback.hidden_note", lang), class_="note"))
    body.extend(_question(score, lang, titles) for score in result.questions)
    body.append(_cells(record, lang))
    if result.figures:
        body.append(tag("h2", message("report.feedback.figures", lang), id="figures"))
        body.extend(tag("figure", tag("img", src="data:image/png;base64," + base64.b64encode(f.png).decode("ascii"),
                                      alt=message("report.feedback.figure_alt", lang, cell=f.cell)),
                        tag("figcaption", message("report.feedback.figure_alt", lang, cell=f.cell)))
                    for f in result.figures)
    if result.output.strip():
        body.extend([tag("h2", message("report.feedback.output", lang), id="output"),
                     tag("p", message("report.feedback.output_note", lang), class_="meta"),
                     tag("pre", excerpt(result.output, lang), class_="output")])
    # the file's own name, not the grader's folders
    source = record.key.source.rsplit(":", 1)[-1].replace("\\", "/").rsplit("/", 1)[-1]
    body.append(tag("footer", message("report.feedback.footer", lang, source=source,
                                      hash=record.key.content_hash[:12])))
    return page(lang, f"{heading} · {record.key.student}", *body)


def write_feedback(records: Sequence[StoredResult], directory: Path, lang: str, *,
                   title: str | None = None, zone: tzinfo | None = None,
                   titles: Titles | None = None) -> dict[str, Path]:
    """Write ``<student>.html`` per student into ``directory``; return each student's page."""
    stems = file_stems([r.key.student for r in records])
    return {r.key.student: write_text(directory / f"{stems[r.key.student]}.html",
                                      feedback_html(r, lang, title=title, zone=zone, titles=titles))
            for r in records}
