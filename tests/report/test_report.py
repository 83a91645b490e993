"""Outputs built from gradebook records: grades.csv, Canvas CSV, Gradescope results.json, feedback pages and
the class report (autograder/report/).

Synthetic records cover the edge cases (hostile text, invalid files, timeouts, hidden internal errors); the
slow tests grade the tensor_ops examples once for real and build every output from those results.
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import hashlib
import html
import io
import json
import logging
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pytest
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from rich.console import Console

from autograder.gradebook.records import StoredResult, SubmissionKey
from autograder.i18n import message
from autograder.report import (
    class_report_html,
    feedback_html,
    gradescope_results,
    plots,
    write_all,
    write_canvas,
    write_grades,
)
from autograder.report.common import clean_text, file_stems, latest_per_student
from autograder.results import (
    CellProblem,
    CheckResult,
    Reason,
    SubmissionResult,
    check_points,
    invalid,
    score_questions,
)

REPO = Path(__file__).resolve().parents[2]
POINTS = {"q1": 4.0, "q2": 2.0}
TENSOR_OPS_POINTS = {f"q{i}": 4.0 for i in range(1, 7)}
HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
SECRET = "SECRET_HIDDEN_INPUT_[[0.25, -7.5]]"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


# -- building records ----------------------------------------------------------------------------------------

def record(result: SubmissionResult, *, assignment: str = "demo", late: float = 0.0, name: str | None = None,
           graded_at: str = "2024-03-02T09:00:00Z", run_id: int = 1) -> StoredResult:
    """Wrap a result as the gradebook stores it."""
    key = SubmissionKey(result.student, hashlib.sha256(result.student.encode()).hexdigest(), result.source,
                        "2024-03-01T23:59:00Z")
    return StoredResult(assignment, key, result, "fingerprint", run_id, graded_at, late, name)


def checks_result(student: str, statuses: dict[str, str], **changes: object) -> SubmissionResult:
    """A graded result of the demo assignment: q1 has a public and a hidden check, q2 one hidden check."""
    def result(question: str, name: str, weight: float, hidden: bool) -> CheckResult:
        status = statuses.get(name, "passed")
        key, params = None, ()
        if status == "failed":
            key, params = "check.shortcut", (("found", "np.maximum"), ("name", "naive_relu"))
        elif status == "error":
            key, params = "check.internal_error", (("check", name), ("detail", f"ValueError: {SECRET}"))
        elif status == "skipped":
            key, params = "check.internal_error", (("check", name), ("detail", "no weights"))
        return CheckResult(question, name, weight, hidden, status, key, params, 0.01)

    checks = [result("q1", "relu_values", 3, False), result("q1", "relu_hidden", 1, True),
              result("q2", "add_hidden", 1, True)]
    fields: dict[str, object] = {"status": "graded", "seconds": 4.2, "student_seconds": 3.1, "output": "hello\n"}
    fields.update(changes)
    return SubmissionResult(student, f"subs/{student}.ipynb", questions=score_questions(checks, POINTS),
                            **fields)  # type: ignore[arg-type]


def hostile_result() -> SubmissionResult:
    """A submission whose every student-controlled text tries to inject markup or script."""
    return checks_result(
        f"evil{HOSTILE}", {"relu_hidden": "failed"},
        output=f"\x1b[31mred\x1b[0m {HOSTILE}\n</pre><script>alert(1)</script>\n",
        cells=(CellProblem(3, "error", "ValueError", f"bad {HOSTILE}",
                           f"Traceback (most recent call last):\n  File \"<cell>\", line 1\nValueError: {HOSTILE}\n"),),
        reasons=(Reason("submission.empty_file", (("file", f"{HOSTILE}.ipynb"),)),))


def demo_records() -> list[StoredResult]:
    """One record of each kind for the demo assignment."""
    return [
        record(checks_result("kim", {}), name="김민지"),
        record(checks_result("lee", {"relu_values": "failed"}), late=0.1),
        record(checks_result("park", {"relu_hidden": "error", "add_hidden": "skipped"})),
        record(checks_result("choi", {"relu_values": "failed", "add_hidden": "failed"}, status="timed_out",
                             reasons=(Reason("reason.cell_timeout", (("cell", "4"), ("seconds", "60"))),),
                             cells=(CellProblem(4, "timeout"),))),
        record(invalid("jung", "subs/jung.ipynb", "submission.invalid_json",
                       {"file": "jung.ipynb", "line": 3, "column": 7}, POINTS)),
        record(hostile_result()),
    ]


class _Elements(HTMLParser):
    """Every element and attribute of a page, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(name for name, _ in attrs)


def elements(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    return parser


def visible_text(page: str) -> str:
    """The text of a page without its markup (entities decoded)."""
    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    parser = Text()
    parser.feed(page)
    return "".join(parser.parts)


# -- grades.csv and Canvas -----------------------------------------------------------------------------------

def test_grades_csv_one_row_per_student_with_points_penalty_and_status(tmp_path: Path) -> None:
    path = write_grades(demo_records(), POINTS, tmp_path / "grades.csv", "en")
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    by_student = {row["student"]: row for row in rows}
    assert list(rows[0]) == ["student", "name", "q1", "q2", "total", "max", "percent", "late_penalty", "final",
                             "final_percent", "status", "reasons", "skipped", "submitted_at", "graded_at",
                             "source"]
    assert len(rows) == 6
    assert (by_student["kim"]["q1"], by_student["kim"]["q2"], by_student["kim"]["total"]) == ("4", "2", "6")
    assert by_student["kim"]["name"] == "김민지"
    lee = by_student["lee"]  # relu_values (weight 3 of 4) failed: 1 of 4 in q1
    assert (lee["q1"], lee["total"], lee["max"], lee["percent"]) == ("1", "3", "6", "50.0")
    assert (lee["late_penalty"], lee["final"], lee["final_percent"]) == ("0.1", "2.7", "45.0")
    assert by_student["choi"]["status"] == "timed_out"
    assert "Cell 4 ran longer than 60 s" in by_student["choi"]["reasons"]
    jung = by_student["jung"]
    assert (jung["status"], jung["total"], jung["max"]) == ("invalid", "0", "6")
    assert "line 3, column 7" in jung["reasons"]
    park = by_student["park"]  # add_hidden skipped: q2's points leave the maximum
    assert (park["q2"], park["max"]) == ("0", "4")
    assert park["skipped"] == "q2: " + message("check.internal_error", "en", check="add_hidden", detail="no weights")
    assert by_student["kim"]["skipped"] == ""


def test_grades_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    result = checks_result("=HYPERLINK(\"http://x\")", {})
    path = write_grades([record(result)], POINTS, tmp_path / "grades.csv", "en")
    row = next(csv.DictReader(path.open(encoding="utf-8")))
    assert row["student"] == "'=HYPERLINK(\"http://x\")"


def test_grades_csv_keeps_config_columns_and_an_excel_bom_on_request(tmp_path: Path) -> None:
    points = {"q0": 1.0, **POINTS}
    path = write_grades([record(checks_result("kim", {}))], points, tmp_path / "g.csv", "ko", bom=True)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    row = next(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert row["q0"] == "" and row["q1"] == "4"


def test_canvas_csv_follows_the_gradebook_import_layout(tmp_path: Path) -> None:
    path = write_canvas(demo_records(), tmp_path / "canvas.csv", title="Tensor ops", points_possible=6,
                        canvas_assignment_id="12345")
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Tensor ops (12345)"]
    assert rows[1] == ["Points Possible", "", "", "", "", "6"]
    by_id = {row[2]: row for row in rows[2:]}
    assert by_id["kim"] == ["김민지", "", "kim", "", "", "6"]
    assert by_id["lee"][5] == "2.7"  # the final score, after the late penalty
    assert by_id["jung"][5] == "0"
    assert path.read_bytes().count(b"\r\n") == len(rows)

    login = write_canvas(demo_records()[:1], tmp_path / "c2.csv", title="T", points_possible=6,
                         id_column="SIS Login ID")
    assert list(csv.reader(login.open(encoding="utf-8")))[2] == ["김민지", "", "", "kim", "", "6"]
    with pytest.raises(ValueError, match="id_column"):
        write_canvas([], tmp_path / "c3.csv", title="T", points_possible=6, id_column="Email")


def test_grades_csv_says_which_questions_were_skipped_and_why(tmp_path: Path) -> None:
    checks = [CheckResult("q1", "relu_values", 1, False, "passed"),
              CheckResult("q2", "accuracy", 1, False, "skipped", "check.no_pretrained_weights",
                          (("name", "vgg16_weights.h5"), ("what", "the validation accuracy")))]
    result = SubmissionResult("kim", "kim.ipynb", "graded", score_questions(checks, POINTS))
    for lang, words in (("en", "Not checked: the pretrained weights `vgg16_weights.h5`"), ("ko", "vgg16_weights.h5")):
        path = write_grades([record(result)], POINTS, tmp_path / f"grades_{lang}.csv", lang)
        row = next(csv.DictReader(path.open(encoding="utf-8", newline="")))
        assert row["skipped"].startswith("q2: ") and words in row["skipped"], row["skipped"]
        assert (row["q2"], row["total"], row["max"]) == ("0", "4", "4")
    assert HANGUL.search(next(csv.DictReader((tmp_path / "grades_ko.csv").open(encoding="utf-8")))["skipped"])


def _canvas_record(student: str, source: str, name: str | None = None) -> StoredResult:
    result = dataclasses.replace(checks_result(student, {}), source=source)
    stored = record(result, name=name)
    return dataclasses.replace(stored, key=dataclasses.replace(stored.key, source=source))


def test_canvas_csv_puts_a_canvas_user_id_in_id_and_any_other_id_in_sis_user_id(tmp_path: Path) -> None:
    records = [
        _canvas_record("12345", "/home/t/submissions.zip:kimminji_12345_900001_hw1.ipynb", "kimminji"),
        _canvas_record("23456", "/home/t/class_2024.zip:leejunho_LATE_23456_900002_hw1-1.ipynb", "leejunho"),
        _canvas_record("34567", "/home/t/canvas/parkseoyeon_34567_900003_hw1.ipynb", "parkseoyeon"),
        _canvas_record("2026001", "/home/t/submissions.zip:choiyuna_45678_900004_hw1.ipynb", "Choi Yuna"),  # roster
        _canvas_record("han", "/home/t/subs/han.ipynb"),
    ]
    path = write_canvas(records, tmp_path / "canvas.csv", title="T", points_possible=6,
                        column="=HW1: tensor ops (778899)")
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    assert rows[0][5] == "'=HW1: tensor ops (778899)"  # the header is a cell like any other: never a formula
    by_name = {row[0]: row[1:3] for row in rows[2:]}
    assert by_name == {"kimminji": ["12345", ""], "leejunho": ["23456", ""], "parkseoyeon": ["34567", ""],
                       "Choi Yuna": ["", "2026001"], "han": ["", "han"]}
    always = write_canvas(records, tmp_path / "sis.csv", title="T", points_possible=6, id_column="SIS User ID")
    assert all(row[1] == "" for row in list(csv.reader(always.open(encoding="utf-8")))[2:])


def test_write_all_prunes_the_files_of_students_without_a_record_only_when_asked(tmp_path: Path) -> None:
    out = tmp_path / "out"
    both = [record(checks_result("kim", {})), record(checks_result("lee", {}))]
    write_all(both, assignment="demo", points=POINTS, lang="en", out_dir=out)
    (out / "feedback" / "notes.txt").write_text("the instructor's own file")
    write_all(both[:1], assignment="demo", points=POINTS, lang="en", out_dir=out)
    assert (out / "feedback" / "lee.html").is_file()  # a plain rebuild deletes nothing
    write_all(both[:1], assignment="demo", points=POINTS, lang="en", out_dir=out, prune=True)
    assert sorted(p.name for p in (out / "feedback").iterdir()) == ["kim.html", "notes.txt"]
    assert sorted(p.name for p in (out / "gradescope").iterdir()) == ["kim.json"]


# -- Gradescope ----------------------------------------------------------------------------------------------

def test_gradescope_results_one_test_per_check_hidden_after_due_date() -> None:
    lee = demo_records()[1]
    data = gradescope_results(lee, "en")
    assert data["score"] == 2.7  # final score: Gradescope uses it over the tests' sum
    assert sum(t["score"] for t in data["tests"]) == pytest.approx(lee.result.points)
    assert sum(t["max_score"] for t in data["tests"]) == pytest.approx(lee.result.max_points)
    tests = {t["name"]: t for t in data["tests"]}
    assert tests["q1 relu_values"] | {"score": 0.0, "max_score": 3.0, "status": "failed",
                                      "visibility": "visible"} == tests["q1 relu_values"]
    assert "naive_relu" in tests["q1 relu_values"]["output"]
    assert tests["q1 relu_hidden"]["visibility"] == "after_due_date"
    assert tests["q2 add_hidden"]["visibility"] == "after_due_date"
    assert "10% of the points were removed" in data["output"]
    assert {"visibility", "stdout_visibility", "execution_time"} <= set(data)
    json.dumps(data)  # plain JSON

    hidden = gradescope_results(lee, "en", hidden_visibility="hidden")
    assert {t["visibility"] for t in hidden["tests"]} == {"visible", "hidden"}
    with pytest.raises(ValueError, match="hidden_visibility"):
        gradescope_results(lee, "en", hidden_visibility="later")


def test_gradescope_hidden_internal_error_and_skipped_checks() -> None:
    park = demo_records()[2]
    tests = {t["name"]: t for t in gradescope_results(park, "en")["tests"]}
    assert SECRET not in json.dumps(tests)
    assert tests["q1 relu_hidden"]["output"] == message("report.hidden_internal_error", "en")
    assert tests["q2 add_hidden"]["max_score"] == 0.0 and "status" not in tests["q2 add_hidden"]


def test_gradescope_invalid_submission_lists_its_questions_and_reason() -> None:
    data = gradescope_results(demo_records()[4], "ko")
    assert [(t["name"], t["score"], t["max_score"]) for t in data["tests"]] == [("q1", 0.0, 4.0), ("q2", 0.0, 2.0)]
    assert "채점할 수 없는 파일" in data["output"] and "3행 7열" in data["output"]
    assert data["score"] == 0.0


def test_check_points_share_the_question_like_score_questions() -> None:
    result = checks_result("x", {"relu_values": "failed"})
    q1 = result.questions[0]
    shares = check_points(q1)
    assert [(s.points, s.max_points) for s in shares] == [(0.0, 3.0), (1.0, 1.0)]
    assert sum(s.points for s in shares) == q1.points


# -- feedback pages ------------------------------------------------------------------------------------------

def test_feedback_page_is_self_contained_html_in_the_course_language() -> None:
    kim = demo_records()[0]
    page = feedback_html(kim, "ko", title="텐서 연산")
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"ko\">")
    assert '<meta charset="utf-8">' in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in html.unescape(page)
    text = visible_text(page)
    assert "텐서 연산 채점 결과" in text and "6 / 6점" in text and "김민지 (kim)" in text
    assert message("report.feedback.hidden_note", "ko") in text
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # nothing loaded from elsewhere

    english = feedback_html(kim, "en")
    assert english.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert not HANGUL.search(visible_text(english).replace("김민지", ""))


def test_feedback_page_shows_points_messages_and_cell_errors() -> None:
    choi = demo_records()[3]
    text = visible_text(feedback_html(choi, "en"))
    assert "Question q1 · 1 / 4 points" in text and "Question q2 · 0 / 2 points" in text
    assert "naive_relu" in text and "np.maximum" in text
    assert "Cell 4: stopped: time limit" in text
    assert "Cell 4 ran longer than 60 s" in text
    assert "timed out" in text


def test_feedback_page_never_shows_hidden_internal_errors() -> None:
    park = demo_records()[2]
    page = feedback_html(park, "en")
    assert SECRET not in page
    assert message("report.hidden_internal_error", "en") in visible_text(page)
    assert SECRET in class_report_html([park], POINTS, "en", title="demo")  # the instructor does see it


def test_feedback_page_escapes_every_student_controlled_text() -> None:
    hostile = demo_records()[5]
    page = feedback_html(hostile, "en")
    parsed = elements(page)
    assert "script" not in parsed.tags
    assert parsed.tags.count("img") == 0
    assert not [a for a in parsed.attributes if a.startswith("on")]
    assert "<script" not in page.lower()
    text = visible_text(page)
    assert HOSTILE in text  # shown, as text
    assert "</pre><script>alert(1)</script>" in text
    assert "\x1b" not in page and "red " in text


def test_feedback_traceback_is_trimmed_to_its_end() -> None:
    long_trace = "Traceback (most recent call last):\n" + "".join(
        f"  File \"<cell>\", line {i}, in f{i}\n    f{i + 1}()\n" for i in range(200)) + "RecursionError: deep\n"
    result = checks_result("deep", {}, cells=(CellProblem(9, "error", "RecursionError", "deep", long_trace),),
                           output="\n".join(f"epoch {i}" for i in range(500)))
    text = visible_text(feedback_html(record(result), "en"))
    assert "Cell 9: raised an exception" in text
    assert "RecursionError: deep" in text
    assert "lines omitted" in text
    assert "f10()" not in text  # the beginning of the traceback is left out
    assert "epoch 0\n" in text and "epoch 499" in text and "epoch 250" not in text


def test_clean_text_drops_terminal_escapes_and_control_characters() -> None:
    assert clean_text("\x1b[1;31mError\x1b[0m\x07 ok\r\n50%\r100%\x00") == "Error ok\n100%"


# -- class report --------------------------------------------------------------------------------------------

def _images(page: str) -> list[Image.Image]:
    found = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    return [Image.open(io.BytesIO(base64.b64decode(data))) for data in found]


def test_class_report_shows_distribution_pass_rates_failures_and_problem_submissions() -> None:
    page = class_report_html(demo_records(), POINTS, "en", title="demo",
                             feedback_links={"kim": "feedback/kim.html"})
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    text = visible_text(page)
    assert "6 submissions" in text
    for heading in ("Score distribution", "Scores per question", "Pass rate per check", "Most common failure messages",
                    "Grading time", "Submissions that timed out, ran out of memory, crashed or were invalid"):
        assert heading in text
    images = _images(page)
    assert len(images) == 4 and all(i.width > 300 and i.height > 150 for i in images)
    assert 'href="feedback/kim.html"' in page
    # relu_values failed for lee and choi; every other failure happened once
    failures = re.search(r"Most common failure messages.*?</table>", page, re.S)
    assert failures is not None
    first_row = visible_text(failures.group(0).split("<tbody>")[1].split("</tr>")[0])
    assert first_row.startswith("2q1relu_values")
    problems = re.search(r'id="problems".*?</table>', page, re.S)
    assert problems is not None
    problem_text = visible_text(problems.group(0))
    assert "choi" in problem_text and "jung" in problem_text and "kim" not in problem_text
    assert "script" not in elements(page).tags


def test_class_report_in_korean_and_empty() -> None:
    page = class_report_html(demo_records(), POINTS, "ko", title="데모")
    assert "데모 전체 채점 보고서" in visible_text(page)
    assert "제출 6개" in visible_text(page)
    empty = class_report_html([], POINTS, "ko", title="데모")
    assert message("report.class.no_records", "ko") in visible_text(empty)


def test_plots_fall_back_to_english_labels_without_a_cjk_font(monkeypatch: pytest.MonkeyPatch,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    plots.plot_language.cache_clear()
    monkeypatch.setattr(plots, "cjk_family", lambda: None)
    try:
        with caplog.at_level(logging.WARNING, logger="autograder.report.plots"):
            assert plots.plot_language("ko") == "en"
            png = plots.score_histogram([1.0, 2.0], 6.0, "ko")
        assert "fonts-noto-cjk" in caplog.text
        assert Image.open(io.BytesIO(png)).size == (750, 340)
    finally:
        plots.plot_language.cache_clear()


def test_korean_plot_labels_are_drawn_with_real_glyphs() -> None:
    if plots.cjk_family() is None:
        pytest.skip("no CJK font for matplotlib (Debian: fonts-noto-cjk, installed by `make browser`)")
    plots.plot_language.cache_clear()
    assert plots.plot_language("ko") == "ko"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plots.score_histogram([3.0, 6.0], 6.0, "ko")
        plots.question_bars(["q1", "q2"], [50.0, 100.0], "ko")
        plots.check_bars(["q1 relu_values", "q1 relu_hidden"], [50.0, 100.0], [False, True], "ko")
        plots.time_histogram([1.0, 2.5], "ko")
    assert not [str(w.message) for w in caught if "missing from font" in str(w.message)]
    # the same detector sees tofu: Hangul set in DejaVu Sans alone
    with warnings.catch_warnings(record=True) as caught, rc_context({"font.family": ["DejaVu Sans"]}):
        warnings.simplefilter("always")
        figure = Figure()
        FigureCanvasAgg(figure)
        figure.text(0.1, 0.5, "점수 분포")
        figure.savefig(io.BytesIO(), format="png")
    assert [w for w in caught if "missing from font" in str(w.message)]


# -- write_all -----------------------------------------------------------------------------------------------

def test_write_all_writes_every_output_with_safe_file_names(tmp_path: Path) -> None:
    records = [*demo_records(), record(checks_result("../../escape", {})), record(checks_result("a/b", {})),
               record(checks_result("other", {}), assignment="another")]
    files = write_all(records, assignment="demo", points=POINTS, lang="ko", out_dir=tmp_path / "out")
    out = (tmp_path / "out").resolve()
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert {"grades.csv", "canvas.csv", "report.html"} <= set(written)
    assert len([w for w in written if w.startswith("feedback/")]) == 8
    assert len([w for w in written if w.startswith("gradescope/")]) == 8
    assert "other" not in files.feedback  # another assignment's record is left out
    assert all(p.resolve().parent.parent == out for p in [*files.feedback.values(), *files.gradescope.values()])
    assert files.feedback["../../escape"].name == "escape.html"
    assert len(set(files.feedback.values())) == 8
    report = files.report.read_text(encoding="utf-8")
    for student, path in files.feedback.items():
        assert f'href="feedback/{path.name}"' in report, student


def test_file_stems_are_distinct_and_safe() -> None:
    stems = file_stems(["kim", "KIM", "a/b", "a_b", "..", "김민지", "x" * 300])
    assert len(set(s.casefold() for s in stems.values())) == 7
    assert stems["김민지"] == "김민지" and stems[".."] == "student"
    assert all("/" not in s and not s.startswith(".") and len(s) <= 83 for s in stems.values())


def test_latest_record_per_student_wins() -> None:
    old = record(checks_result("kim", {"relu_values": "failed"}), graded_at="2024-03-01T00:00:00Z")
    new = record(checks_result("kim", {}), graded_at="2024-03-03T00:00:00Z", run_id=2)
    assert latest_per_student([new, old]) == [new]
    assert latest_per_student([old, new], assignment="other") == []


# -- real results --------------------------------------------------------------------------------------------

_GRADED: dict[str, tuple[SubmissionResult, ...]] = {}


def graded_tensor_ops(output: Path) -> tuple[SubmissionResult, ...]:
    """Grade the tensor_ops examples once per test session (the browser tests reuse them)."""
    if "tensor_ops" not in _GRADED:
        import autograder.grade as grade

        # a gradebook of its own: grade for real, leave the course's alone
        summary = grade.main(assignment="tensor_ops", inputs=[REPO / "solutions/tensor_ops/examples"],
                             config_path=REPO / "grading_config.yaml", output=output,
                             console=Console(file=io.StringIO()),
                             options=grade.RunOptions(gradebook=str(output / "gradebook.sqlite")))
        _GRADED["tensor_ops"] = summary.results
    return _GRADED["tensor_ops"]


def tensor_ops_records(output: Path) -> list[StoredResult]:
    """The real results, plus realistic problem rows derived from them (timed out, crashed, invalid, hostile)."""
    results = {r.student: r for r in graded_tensor_ops(output)}
    lee = results["lee_junho"]
    problems = [
        dataclasses.replace(lee, student="jung_timeout", source="subs/jung_timeout.ipynb", status="timed_out",
                            reasons=(Reason("reason.cell_timeout", (("cell", "7"), ("seconds", "60"))),),
                            cells=(CellProblem(7, "timeout"),)),
        dataclasses.replace(results["park_seoyeon"], student="han_crash", source="subs/han_crash.ipynb",
                            status="crashed", reasons=(Reason("reason.cell_crashed", (("cell", "5"),)),),
                            output=f"{HOSTILE}\n"),
        invalid("oh_invalid", "subs/oh_invalid.ipynb", "submission.not_utf8",
                {"file": "oh_invalid.ipynb", "offset": 17}, TENSOR_OPS_POINTS),
    ]
    names = {"kim_minji": "김민지", "lee_junho": "이준호", "park_seoyeon": "박서연"}
    stored = [record(r, assignment="tensor_ops", name=names.get(r.student),
                     late=0.1 if r.student == "lee_junho" else 0.0) for r in results.values()]
    return stored + [record(r, assignment="tensor_ops") for r in problems]


@pytest.fixture(scope="module")
def real_records(tmp_path_factory: pytest.TempPathFactory) -> list[StoredResult]:
    return tensor_ops_records(tmp_path_factory.mktemp("graded"))


def _hidden_check_code() -> list[str]:
    """Distinctive lines of the hidden checks' source (none may reach a student)."""
    lines = (REPO / "solutions/tensor_ops/hidden_checks.py").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if len(line.strip()) >= 24 and not line.strip().startswith(("#", '"'))
            and "naive_" not in line]


@pytest.mark.slow
def test_outputs_of_real_tensor_ops_results(real_records: list[StoredResult], tmp_path: Path) -> None:
    files = write_all(real_records, assignment="tensor_ops", points=TENSOR_OPS_POINTS, lang="ko", out_dir=tmp_path)
    rows = {row["student"]: row for row in csv.DictReader(files.grades.open(encoding="utf-8"))}
    for stored in real_records:
        row = rows[stored.key.student]
        assert float(row["total"]) == pytest.approx(stored.result.points)
        assert float(row["final"]) == pytest.approx(stored.final_points)
        assert row["status"] == stored.result.status
        data = json.loads(files.gradescope[stored.key.student].read_text(encoding="utf-8"))
        assert data["score"] == pytest.approx(stored.final_points)
        if stored.result.status != "invalid":
            assert sum(t["score"] for t in data["tests"]) == pytest.approx(stored.result.points)
    assert rows["kim_minji"]["total"] == "24" and rows["choi_hacker"]["total"] == "0"
    assert rows["lee_junho"]["final"] == "15.75"

    code = _hidden_check_code()
    assert len(code) > 20
    for student, path in files.feedback.items():
        page = path.read_text(encoding="utf-8")
        assert page.startswith('<!DOCTYPE html>\n<html lang="ko">')
        assert "script" not in elements(page).tags, student
        text = visible_text(page)
        leaked = [line for line in code if line in text]
        assert not leaked, f"{student}: hidden check code on the feedback page: {leaked[:3]}"
        gradescope = files.gradescope[student].read_text(encoding="utf-8")
        assert not [line for line in code if line in gradescope]

    park = visible_text(files.feedback["park_seoyeon"].read_text(encoding="utf-8"))
    assert "17 / 24점" in park
    assert "10번 셀: 예외 발생" in park and "SyntaxError: expected ':'" in park
    assert "16번 셀: 예외 발생" in park and "NameError: name 'zeros' is not defined" in park
    assert "노트북 출력(일부)" in park
    lee = visible_text(files.feedback["lee_junho"].read_text(encoding="utf-8"))
    assert "15.75 / 24점" in lee and "10%를 감점" in lee
    assert "np.maximum" in lee  # the loop rule's message
    hidden_failed = [c for q in dict((r.key.student, r) for r in real_records)["lee_junho"].result.questions
                     for c in q.checks if c.hidden and c.status == "failed"]
    assert hidden_failed and all(c.render("ko").replace("`", "") in lee for c in hidden_failed)

    report = files.report.read_text(encoding="utf-8")
    text = visible_text(report)
    assert "제출 7개" in text
    assert all(s in text for s in ("jung_timeout", "han_crash", "oh_invalid"))
    assert len(_images(report)) == 4
    assert "script" not in elements(report).tags
    assert files.seconds < 30


# -- times, titles, cell numbers, the score distribution (issue 10) -------------------------------------------

def test_feedback_times_are_in_the_course_time_zone_to_the_minute() -> None:
    from zoneinfo import ZoneInfo

    kim = dataclasses.replace(demo_records()[0], graded_at="2024-03-02T09:00:12.345678+00:00")
    seoul = visible_text(feedback_html(kim, "ko", zone=ZoneInfo("Asia/Seoul")))
    assert "제출 시각: 2024-03-02 08:59 KST" in seoul  # 2024-03-01T23:59:00Z
    assert "채점 시각: 2024-03-02 18:00 KST" in seoul
    utc = visible_text(feedback_html(kim, "en"))
    assert "Submitted: 2024-03-01 23:59 UTC" in utc and "Graded: 2024-03-02 09:00 UTC" in utc
    for text in (seoul, utc):
        assert "09:00:12" not in text and ".345678" not in text and "T09" not in text


def test_feedback_and_class_report_show_check_titles_and_fall_back_to_names() -> None:
    titles = {"relu_values": {"ko": "책의 예제 (`naive_relu`)", "en": "The book's example (`naive_relu`)"}}
    lee = demo_records()[1]
    for lang, title in (("en", "The book's example (naive_relu)"), ("ko", "책의 예제 (naive_relu)")):
        page = feedback_html(lee, lang, titles=titles)
        rows = [visible_text(row) for row in re.findall(r"<tr class=\"check.*?</tr>", page)]
        assert rows[0].startswith(message("report.check.failed", lang) + title)
        assert "relu_values" not in rows[0]  # the name is no longer what students read
        assert any("relu_hidden" in row for row in rows[1:])  # no title: the name
    report = visible_text(class_report_html(demo_records(), POINTS, "en", title="demo", titles=titles))
    assert "The book's example (naive_relu) relu_values" in report


def test_feedback_traceback_names_the_cell_as_the_page_numbers_it() -> None:
    trace = ('Traceback (most recent call last):\n  File "<ipython-input-9-0d94bd8c8c7a>", line 3, in <module>\n'
             '    f()\n  File "<ipython-input-9-0d94bd8c8c7a>", line 2, in f\n    return 1/0\n'
             "ZeroDivisionError: division by zero\n")
    cells = (CellProblem(9, "error", "ZeroDivisionError", "division by zero", trace),
             CellProblem(11, "error", "SyntaxError", "invalid syntax (<ipython-input-11-838671dc4620>, line 1)", ""))
    result = checks_result("kang", {}, cells=cells)
    for lang, word in (("en", "cell {}"), ("ko", "{}번 셀")):
        text = visible_text(feedback_html(record(result), lang))
        assert f'File "{word.format(9)}", line 3, in <module>' in text
        assert f"invalid syntax ({word.format(11)}, line 1)" in text
        assert "ipython-input" not in text


@pytest.mark.slow
def test_a_real_tracebacks_cell_number_is_the_feedback_pages(tmp_path: Path) -> None:
    """Markdown cells before the failing one: the page's "Cell 6" and the traceback's name agree."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    from autograder import grade
    from tests.conftest import GOOD_ADD, GOOD_RELU, make_course

    config = make_course(tmp_path / "course", cell_time_s=60)
    cells = [new_markdown_cell("# q1"), new_code_cell(GOOD_RELU), new_markdown_cell("## q2"),
             new_markdown_cell("text"), new_code_cell(GOOD_ADD),
             new_code_cell("def broken():\n    return 1 / 0\n\nbroken()")]
    (tmp_path / "subs").mkdir()
    nbformat.write(new_notebook(cells=cells), tmp_path / "subs" / "kim.ipynb")
    summary = grade.main(assignment="demo", inputs=[tmp_path / "subs"], config_path=config,
                         console=Console(file=io.StringIO()))
    (problem,) = summary.results[0].cells
    assert problem.cell == 6 and problem.ename == "ZeroDivisionError"
    assert "<ipython-input-6-" in problem.traceback  # the sandbox names the cell as the page numbers it
    text = visible_text((summary.output_dir / "feedback" / "kim.html").read_text(encoding="utf-8"))
    assert "Cell 6: raised an exception" in text and 'File "cell 6", line 4, in <module>' in text
    assert 'File "cell 6", line 2, in broken' in text


def test_score_bins_put_integer_scores_in_their_own_bar() -> None:
    from autograder.report.plots import score_bins

    bins = score_bins([0, 1, 23, 24, 24, 17.5, 12, 3 * (4 / 3) * 6 - 1e-12, 23.999], 24)
    assert len(bins) == 25 and all(b.exact for b in bins)
    counts = {int(b.low): b.count for b in bins if b.count}
    # 24 (full marks) has its own bar beside 23; 17.5 counts at 17; 23.999 did not reach 24
    assert counts == {0: 1, 1: 1, 12: 1, 17: 1, 23: 2, 24: 3}
    assert sum(b.count for b in bins) == 9
    wide = score_bins([0, 50, 95, 100, 100], 100)
    assert len(wide) == 20 and not wide[0].exact
    assert [b.count for b in wide if b.count] == [1, 1, 3]
    assert wide[10].low == 50 and wide[10].count == 1 and wide[-1].count == 3  # 95 and 100 share the closed last
    half = score_bins([0.5, 1.5, 2.5], 2.5)  # a maximum that is not whole: ranges
    assert len(half) == 20 and half[-1].count == 1 and half[0].count == 0 and sum(b.count for b in half) == 3


def test_the_distribution_plot_draws_one_bar_per_point_value(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[tuple[list[float], list[int], list[float]]] = []
    original = plots._figure

    def recording(width: float, height: float) -> Figure:
        figure = original(width, height)
        add_subplot = figure.add_subplot

        def subplot(*args: object, **kwargs: object) -> object:
            axes = add_subplot(*args, **kwargs)
            bar = axes.bar

            def bars(x: list[float], height: list[int], **options: object) -> object:
                drawn.append((list(x), list(height), list(options["width"])))  # type: ignore[call-overload]
                return bar(x, height, **options)

            axes.bar = bars  # type: ignore[method-assign]
            return axes

        figure.add_subplot = subplot  # type: ignore[method-assign]
        return figure

    monkeypatch.setattr(plots, "_figure", recording)
    png = plots.score_histogram([23, 24, 24], 24, "en")
    assert Image.open(io.BytesIO(png)).format == "PNG"
    (left, heights, widths), = drawn
    centres = [x + w / 2 for x, w in zip(left, widths, strict=True)]
    assert centres[23] == pytest.approx(23) and heights[23] == 1
    assert centres[24] == pytest.approx(24) and heights[24] == 2
