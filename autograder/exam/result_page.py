"""The candidate's result page: per-category score, what each refusal means, pass or fail. Every string escaped,
no scripts."""

from __future__ import annotations

import html
from collections.abc import Sequence

from autograder.exam.standing import CategoryStanding, Standing, text
from autograder.exam.store import SubmissionRow
from autograder.i18n import message

_STYLE = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
          "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3em .5em;text-align:left}"
          ".pass{color:#070}.fail{color:#a00}")


def outcome_text(row: SubmissionRow, lang: str) -> str:
    """One submission as the candidate reads it: its score and metric, or why it was refused."""
    if row.status == "scored":
        return f"{row.score}/5" + (f" ({row.metric:.4f})" if row.metric is not None else "")
    if row.key is None:
        return row.status
    said = message(row.key, lang, **row.params)
    return message("exam.refused_prefix", lang) + said if row.status == "refused" else said


def _notes(standing_row: CategoryStanding, lang: str) -> str:
    if standing_row.last is None:
        return message("exam.not_submitted", lang)
    notes = []
    for row in (standing_row.counted, standing_row.last):
        if row is not None and row.status == "refused" and outcome_text(row, lang) not in notes:
            notes.append(outcome_text(row, lang))
    return " ".join(notes)


def render(standing: Standing, history: Sequence[SubmissionRow], lang: str) -> str:
    """The page, in ``lang``."""
    e = html.escape
    session = standing.session
    verdict = message("exam.pass" if standing.passed else "exam.fail", lang)
    summary = message("exam.page_summary", lang, percent=f"{standing.percent:g}", line=f"{standing.pass_percent:g}",
                      verdict=verdict, started=text(session.started_at),
                      finished=text(session.finished_at) if session.finished_at else "-",
                      counts=message(f"exam.counts_{session.counts}", lang))
    title = message("exam.page_title", lang, candidate=session.candidate)
    rows = []
    for c in standing.categories:
        rows.append(f"<tr><td>{c.category.number}. {e(c.category.title[lang])}</td><td>{c.score}/5</td>"
                    f"<td>{c.weight:g}</td><td>{c.attempts}</td><td>{e(_notes(c, lang))}</td></tr>")
    titles = {c.category.id: f"{c.category.number}. {c.category.title[lang]}" for c in standing.categories}
    past = [f"<tr><td>{e(text(r.received_at))}</td><td>{e(titles.get(r.category, r.category))}</td>"
            f"<td>{e(r.file_name)}</td><td>{e(outcome_text(r, lang))}</td></tr>" for r in history]
    head = "".join(f"<th>{e(message(k, lang))}</th>" for k in
                   ("exam.col_category", "exam.col_score", "exam.col_weight", "exam.col_submissions", "exam.col_notes"))
    past_head = "".join(f"<th>{e(message(k, lang))}</th>" for k in
                        ("exam.col_time", "exam.col_category", "exam.col_file", "exam.col_result"))
    css = "pass" if standing.passed else "fail"
    return (f"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{e(title)}</title>"
            f"<style>{_STYLE}</style></head><body><h1>{e(title)}</h1><p class=\"{css}\">{e(summary)}</p>"
            f"<table><tr>{head}</tr>{''.join(rows)}</table>"
            f"<h2>{e(message('exam.history', lang))}</h2><table><tr>{past_head}</tr>{''.join(past)}</table>"
            "</body></html>\n")
