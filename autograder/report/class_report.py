"""The class report: one self-contained HTML page for the instructor, with plots embedded as PNG.

Score distribution, per-question scores and per-check pass rates, the most
common failure messages with counts, grading times, and the submissions that
timed out, ran out of memory, crashed or were invalid; then every student's
score with a link to their feedback page.
"""

from __future__ import annotations

import base64
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from autograder.gradebook.records import StoredResult
from autograder.i18n import check_language, message
from autograder.report import plots
from autograder.report.common import number, percent, write_text
from autograder.report.feedback import Titles
from autograder.report.html import Html, join, page, prose, table, tag
from autograder.results import CheckStatus, SubmissionStatus, status_label

TOP_FAILURES = 15


@dataclass
class CheckStats:
    """How one check fared over the class."""

    question: str
    name: str
    hidden: bool
    passed: int = 0
    failed: int = 0
    error: int = 0
    skipped: int = 0

    @property
    def run(self) -> int:
        """Submissions where the check ran (skipped ones did not)."""
        return self.passed + self.failed + self.error

    @property
    def pass_rate(self) -> float:
        """Percentage of the runs that passed."""
        return percent(self.passed, self.run)


@dataclass
class Failure:
    """One kind of failure: a check and the message key it failed with."""

    question: str
    check: str
    key: str
    count: int = 0
    messages: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class ClassStats:
    """Everything the class report shows, computed from the records alone."""

    records: tuple[StoredResult, ...]
    possible: float
    questions: tuple[tuple[str, float, float, int, int], ...]  # question, mean points, max, full marks, graded
    checks: tuple[CheckStats, ...]
    failures: tuple[Failure, ...]
    statuses: tuple[tuple[SubmissionStatus, int], ...]


def class_stats(records: Sequence[StoredResult], points: Mapping[str, float], lang: str) -> ClassStats:
    """Aggregate the records (one per student)."""
    chosen = tuple(records)
    questions = []
    for question, worth in points.items():
        scores = [q for r in chosen for q in r.result.questions if q.question == question and q.checks]
        mean = statistics.fmean(q.points for q in scores) if scores else 0.0
        full = sum(1 for q in scores if q.max_points and q.points >= q.max_points - 1e-9)
        questions.append((question, round(mean, 3), float(worth), full, len(scores)))
    order = {q: i for i, q in enumerate(points)}
    checks: dict[tuple[str, str], CheckStats] = {}
    failures: dict[tuple[str, str, str], Failure] = {}
    for record in chosen:
        for score in record.result.questions:
            for check in score.checks:
                stats = checks.setdefault((check.question, check.name),
                                          CheckStats(check.question, check.name, check.hidden))
                if check.passed:
                    stats.passed += 1
                elif check.skipped:
                    stats.skipped += 1
                elif check.status == CheckStatus.ERROR:
                    stats.error += 1
                else:
                    stats.failed += 1
                if check.status in (CheckStatus.FAILED, CheckStatus.ERROR):
                    kind = failures.setdefault((check.question, check.name, check.key or check.status),
                                               Failure(check.question, check.name, check.key or check.status))
                    kind.count += 1
                    kind.messages[check.render(lang)] += 1
    ordered_checks = sorted(checks.values(), key=lambda c: order.get(c.question, len(order)))
    top = sorted(failures.values(), key=lambda f: (-f.count, order.get(f.question, len(order)), f.check))
    statuses = Counter(r.result.status for r in chosen)
    return ClassStats(chosen, float(sum(points.values())), tuple(questions), tuple(ordered_checks),
                      tuple(top[:TOP_FAILURES]), tuple(sorted(statuses.items(), key=lambda s: (-s[1], s[0]))))


def _figure(png: bytes, title: str, lang: str) -> Html:
    source = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return tag("figure", tag("img", src=source, alt=message("report.plot.alt", lang, title=title), class_="plot"))


def _summary(stats: ClassStats, lang: str) -> Html:
    finals = [r.final_points for r in stats.records]
    line = message("report.class.summary_line", lang, count=str(len(finals)), mean=number(statistics.fmean(finals)),
                   median=number(statistics.median(finals)), min=number(min(finals)), max=number(max(finals)),
                   possible=number(stats.possible))
    return join(tag("h2", message("report.class.summary", lang), id="summary"), tag("p", line, class_="score-line"),
                tag("ul", *(tag("li", message("report.class.status_line", lang, status=status_label(s, lang),
                                              count=str(n))) for s, n in stats.statuses)))


def _questions(stats: ClassStats, lang: str) -> Html:
    rows = [(q, f"{number(mean)} / {number(worth)}", f"{percent(mean, worth):.0f}%", f"{full} / {graded}")
            for q, mean, worth, full, graded in stats.questions]
    png = plots.question_bars([q for q, *_ in stats.questions],
                              [percent(mean, worth) for _, mean, worth, *_ in stats.questions], lang)
    header = [message(f"report.col.{c}", lang) for c in ("question", "mean", "percent", "full_marks")]
    return join(tag("h2", message("report.class.questions", lang), id="questions"),
                _figure(png, message("report.class.questions", lang), lang),
                table(header, rows, numeric=(1, 2, 3)))


def _check_name(name: str, lang: str, titles: Titles | None) -> Html:
    """A check as the instructor reads it: its title (as students see it) and its name."""
    title = (titles or {}).get(name, {}).get(lang)
    return join(prose(title), " ", tag("code", name)) if title else tag("code", name)


def _checks(stats: ClassStats, lang: str, titles: Titles | None = None) -> Html:
    if not stats.checks:
        return join()
    png = plots.check_bars([f"{c.question} {c.name}" for c in stats.checks], [c.pass_rate for c in stats.checks],
                           [c.hidden for c in stats.checks], lang)
    kind = {True: message("report.visibility.hidden", lang), False: message("report.visibility.public", lang)}
    rows = [(c.question, _check_name(c.name, lang, titles), kind[c.hidden], f"{c.pass_rate:.0f}%",
             f"{c.passed} / {c.run}",
             str(c.error), str(c.skipped)) for c in stats.checks]
    header = [message(f"report.col.{c}", lang)
              for c in ("question", "check", "visibility", "pass_rate", "passed", "errors", "skipped")]
    return join(tag("h2", message("report.class.checks", lang), id="checks"),
                _figure(png, message("report.class.checks", lang), lang),
                table(header, rows, numeric=(3, 4, 5, 6)))


def _failures(stats: ClassStats, lang: str, titles: Titles | None = None) -> Html:
    heading = tag("h2", message("report.class.failures", lang), id="failures")
    if not stats.failures:
        return join(heading, tag("p", message("report.class.no_failures", lang)))
    rows = [(str(f.count), f.question, _check_name(f.check, lang, titles), prose(f.messages.most_common(1)[0][0]))
            for f in stats.failures]
    header = [message(f"report.col.{c}", lang) for c in ("count", "question", "check", "example")]
    return join(heading, table(header, rows, numeric=(0,)))


def _timing(stats: ClassStats, lang: str) -> Html:
    seconds = [r.result.seconds for r in stats.records if r.result.status != SubmissionStatus.INVALID]
    heading = tag("h2", message("report.class.timing", lang), id="timing")
    if not seconds:
        return heading
    line = message("report.class.timing_line", lang, median=number(statistics.median(seconds)),
                   max=number(max(seconds)), total=number(sum(seconds)))
    return join(heading, tag("p", line), _figure(plots.time_histogram(seconds, lang),
                                                 message("report.class.timing", lang), lang))


def _problems(stats: ClassStats, lang: str) -> Html:
    heading = tag("h2", message("report.class.problems", lang), id="problems")
    bad = [r for r in stats.records if r.result.status != SubmissionStatus.GRADED]
    if not bad:
        return join(heading, tag("p", message("report.class.no_problems", lang)))
    rows = [(r.key.student, tag("span", status_label(r.result.status, lang), class_="failed"),
             tag("ul", *(tag("li", prose(reason.render(lang))) for reason in r.result.reasons)), r.key.source)
            for r in bad]
    header = [message(f"report.col.{c}", lang) for c in ("student", "status", "reasons", "source")]
    return join(heading, table(header, rows))


def _students(stats: ClassStats, lang: str, links: Mapping[str, str]) -> Html:
    rows = []
    for r in stats.records:
        link = links.get(r.key.student)
        rows.append((r.key.student, r.name or "", status_label(r.result.status, lang),
                     number(r.result.points), f"{number(100 * r.late_penalty)}%" if r.late_penalty else "",
                     f"{number(r.final_points)} / {number(r.result.max_points)}",
                     f"{percent(r.final_points, r.result.max_points):.1f}%", number(r.result.seconds),
                     tag("a", message("report.feedback_link", lang), href=link) if link else ""))
    header = [message(f"report.col.{c}", lang) for c in
              ("student", "name", "status", "score", "late", "final", "percent", "seconds", "feedback")]
    return join(tag("h2", message("report.class.students", lang), id="students"),
                table(header, rows, numeric=(3, 4, 5, 6, 7)))


def class_report_html(records: Sequence[StoredResult], points: Mapping[str, float], lang: str, *,
                      title: str, feedback_links: Mapping[str, str] | None = None,
                      titles: Titles | None = None, sections: Sequence[Html] = ()) -> str:
    """The class report as a complete HTML document (``feedback_links``: student -> relative URL; ``titles``:
    the checks' titles, shown beside their names; ``sections``: more of the caller's, before the students, e.g.
    the exam's per-category tables)."""
    check_language(lang)
    stats = class_stats(records, points, lang)
    heading = message("report.class.title", lang, assignment=title)
    if not stats.records:
        return page(lang, heading, tag("h1", heading), tag("p", message("report.class.no_records", lang)))
    distribution = plots.score_histogram([r.final_points for r in stats.records], stats.possible, lang)
    return page(lang, heading, tag("h1", heading), _summary(stats, lang),
                tag("h2", message("report.class.distribution", lang), id="distribution"),
                _figure(distribution, message("report.class.distribution", lang), lang),
                _questions(stats, lang), _checks(stats, lang, titles), _failures(stats, lang, titles),
                _problems(stats, lang),
                _timing(stats, lang), *sections, _students(stats, lang, feedback_links or {}))


def write_class_report(records: Sequence[StoredResult], points: Mapping[str, float], path: Path, lang: str, *,
                       title: str, feedback_links: Mapping[str, str] | None = None,
                       titles: Titles | None = None, sections: Sequence[Html] = ()) -> Path:
    """Write the class report to ``path``."""
    return write_text(path, class_report_html(records, points, lang, title=title, feedback_links=feedback_links,
                                              titles=titles, sections=sections))
