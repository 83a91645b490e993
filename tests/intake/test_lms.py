"""LMS exports: who submitted what and when; rosters; the newest submission wins; late penalties."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder.config import AssignmentConfig
from autograder.errors import ConfigError
from autograder.intake.roster import load_roster
from autograder.intake.submissions import collect


def _notebook(text: str = "x = 1") -> bytes:
    return nbformat.writes(new_notebook(cells=[new_code_cell(text)])).encode()


def _zip(path: Path, entries: dict[str, tuple[bytes, tuple[int, ...]]]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, (data, when) in entries.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=when), data)
    return path


def test_canvas_download_names_the_user_and_keeps_the_newest(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "submissions.zip", {
        "kimminji_12345_900001_hw1.ipynb": (_notebook("old = 1"), (2026, 11, 20, 10, 0, 0)),
        "kimminji_LATE_12345_900002_hw1-1.ipynb": (_notebook("new = 2"), (2026, 11, 21, 9, 30, 0)),
        "leejunho_23456_900003_hw1.ipynb": (_notebook(), (2026, 11, 20, 11, 0, 0)),
    })
    rows = {row.student: row for row in collect([archive])}
    assert sorted(rows) == ["12345", "23456"]
    kim = rows["12345"]
    assert kim.lms == "canvas" and kim.name == "kimminji"
    assert kim.source.endswith("900002_hw1-1.ipynb")
    assert kim.superseded == (f"{archive}:kimminji_12345_900001_hw1.ipynb",)
    assert kim.submitted_at == datetime(2026, 11, 21, 9, 30, tzinfo=UTC).isoformat()
    assert len(kim.content_hash) == 64 and kim.content_hash != rows["23456"].content_hash


def test_moodle_folders_name_the_participant(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "moodle.zip", {
        "Kim Minji_101_assignsubmission_file_/hw1.ipynb": (_notebook(), (2026, 11, 20, 10, 0, 0)),
        "Lee Junho_102_assignsubmission_file_/hw1.ipynb": (_notebook(), (2026, 11, 20, 10, 5, 0)),
    })
    rows = {row.student: row for row in collect([archive])}
    assert sorted(rows) == ["101", "102"]
    assert rows["101"].name == "Kim Minji" and rows["101"].lms == "moodle"


GRADESCOPE_METADATA = """\
submission_111:
  :submitters:
  - :name: Kim Minji
    :sid: '2026001'
    :email: minji@example.edu
  :created_at: 2026-11-20 10:00:00.000000000 +09:00
  :score: 0.0
submission_222:
  :submitters:
  - :name: Kim Minji
    :sid: '2026001'
    :email: minji@example.edu
  :created_at: 2026-11-21 08:00:00.000000000 +09:00
submission_333:
  :submitters:
  - :name: Park Seoyeon
    :sid: '2026003'
    :email: seoyeon@example.edu
  :created_at: 2026-11-19 23:00:00.000000000 +09:00
"""


def test_gradescope_export_uses_the_metadata(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    for submission in ("submission_111", "submission_222", "submission_333"):
        (folder / submission).mkdir(parents=True)
        (folder / submission / "hw1.ipynb").write_bytes(_notebook(submission))
    (folder / "submission_metadata.yml").write_text(GRADESCOPE_METADATA)
    rows = {row.student: row for row in collect([folder])}
    assert sorted(rows) == ["2026001", "2026003"]  # the metadata file is not a row
    kim = rows["2026001"]
    assert "submission_222" in kim.source and kim.superseded == (str(folder / "submission_111" / "hw1.ipynb"),)
    assert (kim.name, kim.email, kim.lms) == ("Kim Minji", "minji@example.edu", "gradescope")
    assert kim.submitted_at == "2026-11-20T23:00:00+00:00"


def test_a_roster_names_students_and_maps_lms_names(tmp_path: Path) -> None:
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text("id,name,email\ns001,Kim Minji,minji@example.edu\n23456,이준호,junho@example.edu\n",
                           encoding="utf-8")
    archive = _zip(tmp_path / "moodle.zip", {
        "Kim Minji_101_assignsubmission_file_/hw1.ipynb": (_notebook(), (2026, 11, 20, 10, 0, 0)),
    })
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "23456.ipynb").write_bytes(_notebook())
    rows = {row.student: row for row in collect([archive, plain], roster=load_roster(roster_file))}
    assert sorted(rows) == ["23456", "s001"]
    assert rows["s001"].email == "minji@example.edu"
    assert rows["23456"].name == "이준호"


def test_a_roster_without_ids_is_refused_with_the_line(tmp_path: Path) -> None:
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text("id,name\n,Nobody\n")
    with pytest.raises(ConfigError, match="line 2"):
        load_roster(roster_file)


def test_plain_duplicates_without_lms_times_are_still_rows_of_their_own(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "kim.ipynb").write_bytes(_notebook())
    rows = collect([tmp_path / "a", tmp_path / "b"])
    assert sorted(row.student for row in rows) == ["kim", "kim__dup2"]


@pytest.mark.parametrize(("submitted", "penalty"), [
    ("2026-12-01T23:59:00+09:00", 0.0),            # on time
    ("2026-12-01T15:09:00+00:00", 0.0),            # within the 10 grace minutes (UTC)
    ("2026-12-02T00:30:00+09:00", 0.1),            # half an hour late: one started day
    ("2026-12-04T00:10:00+09:00", 0.3),            # two days and a minute after grace: three started days
    ("2026-12-31T00:00:00+09:00", 1.0),            # capped at everything
    (None, 0.0),                                   # no time stamp: no penalty
])
def test_late_penalty_per_started_day(submitted: str | None, penalty: float) -> None:
    settings = AssignmentConfig(points={"q1": 1}, due=datetime.fromisoformat("2026-12-01T23:59:00+09:00"),
                                grace_minutes=10, late_penalty_per_day=0.1)
    assert settings.late_penalty(submitted) == pytest.approx(penalty)
