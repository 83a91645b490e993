"""Identity and time from LMS exports come from the LMS's own files, never from a student's upload.

One class of attack (or honest accident) per section: a student's files that
pretend to be the export's metadata; files that are not notebooks beside the
notebook; display names that collide with the roster; file times that an
extraction or a copy changed, and zip times without a time zone; a roster
line with a stray comma; file names that Rich would read as markup.
"""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console

from autograder import cli, grade
from autograder.config import AssignmentConfig, parse_config
from autograder.errors import ConfigError
from autograder.grade.output import print_intake, print_summary
from autograder.intake.lms import Clock, clock_for
from autograder.intake.roster import load_roster
from autograder.intake.submissions import Submission, collect
from autograder.results import invalid
from tests.hostile.intake import (
    Upload,
    canvas_zip,
    gradescope_folder,
    gradescope_zip,
    moodle_folder,
    moodle_folder_name,
    moodle_zip,
    notebook,
    planted_metadata,
    write_zip,
)

KIM = Upload("2026001", "Kim Minji", "2026-11-20 10:00:00.000000000 +09:00", {"hw.ipynb": notebook("kim = 1")})
LEE = Upload("2026002", "Lee Junho", "2026-11-21 09:00:00.000000000 +09:00", {"hw.ipynb": notebook("lee = 1")})
DUE = datetime.fromisoformat("2026-11-20T23:59:00+09:00")


def by_student(rows: list[Submission]) -> dict[str, Submission]:
    return {row.student: row for row in rows}


def settings() -> AssignmentConfig:
    return AssignmentConfig(points={"q1": 1}, due=DUE, late_penalty_per_day=0.25)


# --- who is who: only the export's own top level says ---------------------------------------------------------


def test_metadata_planted_in_a_gradescope_upload_changes_nobody(tmp_path: Path) -> None:
    # Lee swaps the two submissions and dates them so that Kim looks late
    swap = planted_metadata({"submission_111": (LEE.sid, "2026-11-19 09:00:00 +0900"),
                             "submission_222": (KIM.sid, "2026-11-30 09:00:00 +0900")})
    lee = Upload(LEE.sid, LEE.name, LEE.created_at, {"hw.ipynb": notebook("lee = 1"), "submission_metadata.yml": swap})
    export = gradescope_folder(tmp_path / "export", {"submission_111": KIM, "submission_222": lee})
    rows = by_student(collect([export]))
    assert sorted(rows) == [KIM.sid, LEE.sid]
    assert "submission_111" in rows[KIM.sid].source and "submission_222" in rows[LEE.sid].source
    assert rows[KIM.sid].submitted_at == "2026-11-20T01:00:00+00:00"
    assert settings().late_penalty(rows[KIM.sid].submitted_at) == 0.0
    planted = str(export / "submission_222" / "submission_metadata.yml")
    assert rows[LEE.sid].other_files == (planted,)  # listed for the instructor, not a row, not read


def test_a_gradescope_export_zip_reads_only_its_own_metadata(tmp_path: Path) -> None:
    claim = planted_metadata({"submission_999": (KIM.sid, "2026-11-30 09:00:00 +0900")})
    lee = Upload(LEE.sid, LEE.name, LEE.created_at,
                 {"hw.ipynb": notebook("lee = 1"), "submission_999/submission_metadata.yml": claim,
                  "submission_999/hw.ipynb": notebook("blank = 0")})
    archive = gradescope_zip(tmp_path / "submissions.zip", {"submission_111": KIM, "submission_222": lee})
    rows = by_student(collect([archive]))
    assert sorted(rows) == [KIM.sid, LEE.sid]
    assert rows[KIM.sid].source == f"{archive}:assignment_4242_export/submission_111/hw.ipynb"
    assert rows[KIM.sid].superseded == () and rows[KIM.sid].lms == "gradescope"
    lee_files = f"{archive}:assignment_4242_export/submission_222"
    # both notebooks are Lee's (same submission, same time): the tie goes to the later path, never to Kim
    assert rows[LEE.sid].source == f"{lee_files}/submission_999/hw.ipynb"
    assert rows[LEE.sid].superseded == (f"{lee_files}/hw.ipynb",)
    assert rows[LEE.sid].other_files == (f"{lee_files}/submission_999/submission_metadata.yml",)


def test_a_gradescope_layout_inside_a_moodle_upload_is_the_students_own(tmp_path: Path) -> None:
    # Lee plants Gradescope metadata naming Kim's Moodle id, dated late, over a blank notebook
    kim = Upload("101", "Kim Minji", when=(2026, 11, 20, 10, 0, 0))
    lee = Upload("102", "Lee Junho", when=(2026, 11, 20, 11, 0, 0), files={
        "hw.ipynb": notebook("lee = 1"),
        "submission_metadata.yml": planted_metadata({"submission_1": ("101", "2026-11-30 09:00:00 +0900")}),
        "submission_1/hw.ipynb": notebook("blank = 0")})
    archive = moodle_zip(tmp_path / "moodle.zip", [kim, lee])
    rows = by_student(collect([archive]))
    assert sorted(rows) == ["101", "102"]
    assert rows["101"].source == f"{archive}:{moodle_folder_name(kim)}/hw.ipynb"
    assert rows["101"].superseded == () and rows["101"].lms == "moodle"
    assert all(row.lms == "moodle" for row in rows.values())


def test_a_lone_moodle_folder_is_not_taken_for_the_export_root(tmp_path: Path) -> None:
    lee = Upload("102", "Lee Junho", files={
        "submission_metadata.yml": planted_metadata({"submission_1": ("101", "2026-11-30 09:00:00 +0900")}),
        "submission_1/hw.ipynb": notebook("lee = 1")})
    [row] = collect([moodle_zip(tmp_path / "moodle.zip", [lee])])
    assert (row.student, row.lms, row.name) == ("102", "moodle", "Lee Junho")


# --- only notebooks compete: the other files are listed, not graded -----------------------------------------------


def test_requirements_and_a_pdf_beside_the_notebook_in_gradescope(tmp_path: Path) -> None:
    kim = Upload(KIM.sid, KIM.name, KIM.created_at,
                 {"hw.ipynb": notebook("kim = 1"), "requirements.txt": b"numpy\n", "report.pdf": b"%PDF-1.4"})
    export = gradescope_folder(tmp_path / "export", {"submission_111": kim, "submission_222": LEE})
    rows = by_student(collect([export]))
    assert sorted(rows) == [KIM.sid, LEE.sid]
    assert rows[KIM.sid].valid and rows[KIM.sid].source.endswith("hw.ipynb") and rows[KIM.sid].superseded == ()
    folder = export / "submission_111"
    assert rows[KIM.sid].other_files == (str(folder / "report.pdf"), str(folder / "requirements.txt"))


def test_a_newer_pdf_in_a_moodle_zip_does_not_replace_the_notebook(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "moodle.zip", {
        "Kim Minji_101_assignsubmission_file_/hw.ipynb": (notebook(), (2026, 11, 20, 10, 0, 0)),
        "Kim Minji_101_assignsubmission_file_/report.pdf": (b"%PDF-1.4", (2026, 11, 20, 12, 0, 0)),
    })
    [row] = collect([archive])
    assert row.student == "101" and row.valid and row.source.endswith("hw.ipynb")
    assert row.other_files == (f"{archive}:Kim Minji_101_assignsubmission_file_/report.pdf",)


def test_canvas_files_that_are_not_notebooks_are_the_students(tmp_path: Path) -> None:
    kim = Upload("12345", "Kim Minji", files={"hw1.ipynb": notebook(), "requirements.txt": b"numpy\n"})
    archive = canvas_zip(tmp_path / "canvas.zip", [kim, Upload("23456", "Lee Junho")])
    rows = by_student(collect([archive]))
    assert sorted(rows) == ["12345", "23456"]
    assert rows["12345"].valid and rows["12345"].other_files == (f"{archive}:kimminji_12345_900001_requirements.txt",)


def test_per_student_folders_list_their_other_files(tmp_path: Path) -> None:
    for name in ("kim", "lee"):
        (tmp_path / "class" / name).mkdir(parents=True)
        (tmp_path / "class" / name / "hw.ipynb").write_bytes(notebook())
    (tmp_path / "class" / "kim" / "requirements.txt").write_text("numpy\n")
    rows = by_student(collect([tmp_path / "class"]))
    assert sorted(rows) == ["kim", "lee"]
    assert rows["kim"].other_files == (str(tmp_path / "class" / "kim" / "requirements.txt"),)


def test_a_student_who_sent_no_notebook_is_one_invalid_row(tmp_path: Path) -> None:
    kim = Upload(KIM.sid, KIM.name, KIM.created_at, {"hw.pdf": b"%PDF-1.4", "hw.txt": b"see pdf"})
    export = gradescope_folder(tmp_path / "export", {"submission_111": kim, "submission_222": LEE})
    rows = by_student(collect([export]))
    assert sorted(rows) == [KIM.sid, LEE.sid]  # no KIM__dup2
    assert rows[KIM.sid].problem is not None and rows[KIM.sid].problem.key == "submission.not_notebook_file"
    assert len(rows[KIM.sid].other_files) == 1 and rows[KIM.sid].superseded == ()


# --- the roster maps a name only when it is unique on both sides -------------------------------------------------


def roster_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_two_roster_lines_with_one_name_map_nobody(tmp_path: Path) -> None:
    roster = load_roster(roster_file(tmp_path, "id,name,email\ns001,Kim Minji,a@x\ns002,Kim Minji,b@x\n"))
    [row] = collect([moodle_zip(tmp_path / "moodle.zip", [Upload("101", "Kim Minji")])], roster=roster)
    assert row.student == "101" and row.email is None
    assert row.notes and "s001" in row.notes[0] and "s002" in row.notes[0]


def test_two_submitters_with_one_name_are_both_graded(tmp_path: Path) -> None:
    roster = load_roster(roster_file(tmp_path, "id,name,email\ns001,Kim Minji,a@x\n"))
    uploads = [Upload("101", "Kim Minji", files={"hw.ipynb": notebook("a = 1")}, when=(2026, 11, 20, 9, 0, 0)),
               Upload("102", "Kim Minji", files={"hw.ipynb": notebook("b = 2")}, when=(2026, 11, 20, 10, 0, 0))]
    rows = by_student(collect([moodle_zip(tmp_path / "moodle.zip", uploads)], roster=roster))
    assert sorted(rows) == ["101", "102"]
    assert all(row.valid and row.superseded == () for row in rows.values())
    assert all(row.notes for row in rows.values())


def test_a_student_renamed_like_a_classmate_takes_nothing(tmp_path: Path) -> None:
    # the roster knows Kim by her Moodle id; Lee renamed himself "Kim Minji" and submitted later
    roster = load_roster(roster_file(tmp_path, "id,name,email\n101,Kim Minji,kim@x\n201,Lee Junho,lee@x\n"))
    uploads = [Upload("101", "Kim Minji", files={"hw.ipynb": notebook("kim = 1")}, when=(2026, 11, 20, 9, 0, 0)),
               Upload("102", "Kim Minji", files={"hw.ipynb": notebook("blank = 0")}, when=(2026, 11, 20, 10, 0, 0))]
    archive = moodle_zip(tmp_path / "moodle.zip", uploads)
    rows = by_student(collect([archive], roster=roster))
    assert sorted(rows) == ["101", "102"]
    assert rows["101"].source == f"{archive}:Kim Minji_101_assignsubmission_file_/hw.ipynb"
    assert rows["101"].superseded == () and rows["101"].email == "kim@x"
    assert rows["102"].email is None and rows["102"].notes


def test_a_name_whose_roster_id_another_submission_has_is_not_mapped(tmp_path: Path) -> None:
    roster = load_roster(roster_file(tmp_path, "id,name,email\ns001,Kim Minji,a@x\n"))
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "s001.ipynb").write_bytes(notebook("direct = 1"))
    archive = moodle_zip(tmp_path / "moodle.zip", [Upload("101", "Kim Minji")])
    rows = by_student(collect([plain, archive], roster=roster))
    assert sorted(rows) == ["101", "s001"]
    assert all(row.valid for row in rows.values()) and rows["101"].notes


def test_intake_report_names_the_roster_and_every_unmatched_name(tmp_path: Path) -> None:
    path = roster_file(tmp_path, "id,name,email\ns001,Kim Minji,a@x\ns002,Kim Minji,b@x\n")
    roster = load_roster(path)
    rows = collect([moodle_zip(tmp_path / "moodle.zip", [Upload("101", "Kim Minji")])], roster=roster)
    out = io.StringIO()
    print_intake(rows, Console(file=out, width=400), roster=roster, roster_path=path)
    text = out.getvalue()
    assert f"{path}:" in text and "101" in text and "roster's id column" in text
    assert f"not in the roster {path}: 101" in text


# --- times: LMS time stamps, read in the course's time zone; mtimes only when asked ------------------------------


def test_an_extracted_moodle_folder_gives_no_late_penalty(tmp_path: Path) -> None:
    export = moodle_folder(tmp_path / "moodle", [Upload("101", "Kim Minji")])
    copied = datetime(2026, 12, 5, 12, 0, tzinfo=UTC).timestamp()  # the copy was made two weeks after the due
    os.utime(export / "Kim Minji_101_assignsubmission_file_" / "hw.ipynb", (copied, copied))
    [row] = collect([export])
    assert row.student == "101" and row.submitted_at is None
    assert settings().late_penalty(row.submitted_at) == 0.0
    [trusted] = collect([export], clock=Clock(from_mtime=True))
    assert trusted.submitted_at == "2026-12-05T12:00:00+00:00"
    assert settings().late_penalty(trusted.submitted_at) == 1.0


def test_a_plain_zip_gives_times_only_when_mtimes_are_asked_for(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "class.zip", {"kim.ipynb": (notebook(), (2026, 11, 25, 9, 0, 0))})
    [row] = collect([archive], clock=Clock(ZoneInfo("Asia/Seoul")))
    assert row.submitted_at is None
    [asked] = collect([archive], clock=Clock(ZoneInfo("Asia/Seoul"), from_mtime=True))
    assert asked.submitted_at == "2026-11-25T00:00:00+00:00"


@pytest.mark.parametrize("zone", [ZoneInfo("Asia/Seoul"), None])  # None: the due's own offset
def test_naive_zip_times_are_read_in_the_course_time_zone(tmp_path: Path, zone: ZoneInfo | None) -> None:
    on_time = Upload("12345", "Kim Minji", when=(2026, 11, 20, 23, 30, 0))  # 23:30 in Seoul, before 23:59
    late = Upload("23456", "Lee Junho", when=(2026, 11, 21, 0, 30, 0))
    rows = by_student(collect([canvas_zip(tmp_path / "canvas.zip", [on_time, late])], clock=clock_for(zone, DUE)))
    assert rows["12345"].submitted_at == "2026-11-20T14:30:00+00:00"
    assert settings().late_penalty(rows["12345"].submitted_at) == 0.0
    assert settings().late_penalty(rows["23456"].submitted_at) == 0.25


def test_gradescope_times_without_an_offset_are_read_in_the_course_time_zone(tmp_path: Path) -> None:
    kim = Upload(KIM.sid, KIM.name, "2026-11-20 23:30:00")
    export = gradescope_folder(tmp_path / "export", {"submission_111": kim})
    [row] = collect([export], clock=Clock(ZoneInfo("Asia/Seoul")))
    assert row.submitted_at == "2026-11-20T14:30:00+00:00"


def test_the_config_reads_a_due_without_an_offset_in_the_course_time_zone(tmp_path: Path) -> None:
    data = {"timezone": "Asia/Seoul", "late_from_mtime": True,
            "assignments": {"hw": {"points": {"q1": 1}, "due": "2026-11-20T23:59:00", "late_penalty_per_day": 0.25}}}
    config = parse_config(data, "grading_config.yaml", tmp_path)
    due = config.assignment("hw").due
    assert due == DUE and config.late_from_mtime
    assert clock_for(config.zone(), due).zone == ZoneInfo("Asia/Seoul")
    assert parse_config({}, "grading_config.yaml", tmp_path).late_from_mtime is False
    with pytest.raises(ConfigError, match=r"timezone.*Asia/Seol.*IANA"):
        parse_config({"timezone": "Asia/Seol"}, "grading_config.yaml", tmp_path)


def test_the_late_from_mtime_option_reaches_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[grade.RunOptions] = []

    def fake_main(**kwargs: object) -> grade.RunSummary:
        seen.append(kwargs["options"])  # type: ignore[arg-type]
        return grade.RunSummary((), tmp_path, "none")

    monkeypatch.setattr(grade, "main", fake_main)
    assert cli.main(["grade", "demo", str(tmp_path), "--late-from-mtime"]) == 0
    assert cli.main(["grade", "demo", str(tmp_path)]) == 0
    assert [options.late_from_mtime for options in seen] == [True, False]


# --- a roster line with a stray comma -----------------------------------------------------------------------------


def test_an_unquoted_comma_in_a_roster_names_the_file_and_line(tmp_path: Path) -> None:
    path = roster_file(tmp_path, 'id,name,email\ns001,"Kim, Minji",a@x\ns002,Lee, Junho,b@x\n')
    with pytest.raises(ConfigError) as caught:
        load_roster(path)
    text = str(caught.value)
    assert text.startswith(f"{path}: line 3: 4 fields") and "double quotes" in text


def test_an_id_twice_in_a_roster_names_both_lines(tmp_path: Path) -> None:
    path = roster_file(tmp_path, "id,name,email\ns001,Kim Minji,a@x\ns001,Lee Junho,b@x\n")
    with pytest.raises(ConfigError, match=r"line 3: the id 's001' is already on line 2"):
        load_roster(path)


# --- file names that Rich would read as markup ------------------------------------------------------------------


ENTRY = "[bold]notes[\\x].txt"  # a zip entry named on Windows: the grader reads "\" as "/"
SHOWN = "[bold]notes[/x].txt"


def test_markup_in_a_file_name_prints_as_itself_before_grading(tmp_path: Path) -> None:
    kim = Upload("101", "Kim [red]", files={"hw.ipynb": notebook(), ENTRY: b"x"})
    roster = load_roster(roster_file(tmp_path, "id,name,email\ns001,Kim [red],a@x\ns002,Kim [red],b@x\n"))
    archive = moodle_zip(tmp_path / "moodle.zip", [kim])
    rows = collect([archive], roster=roster)
    out = io.StringIO()
    print_intake(rows, Console(file=out, width=400), roster=roster, roster_path=tmp_path / "r[/y].csv")
    text = out.getvalue()
    assert f"101: not graded (not a notebook): {archive}:{moodle_folder_name(kim)}/{SHOWN}" in text
    assert f"{tmp_path}/r[/y].csv: 101 ('Kim [red]'): not matched by name" in text


def test_markup_in_a_reason_prints_as_itself_in_the_summary() -> None:
    result = invalid("kim", f"class.zip:{SHOWN}", "submission.not_notebook_file",
                     {"file": f"class.zip:{SHOWN}"}, {"q1": 1})
    out = io.StringIO()
    print_summary([result], "en", Console(file=out, width=400))
    assert f"class.zip:{SHOWN}: this is not a notebook" in out.getvalue()


def test_markup_in_an_error_prints_as_itself(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "course[/x]"
    assert cli.main(["--config", str(config / "c.yaml"), "grade", "demo", str(tmp_path)]) == 2
    assert "course[/x]/c.yaml: file not found" in " ".join(capsys.readouterr().err.split())
