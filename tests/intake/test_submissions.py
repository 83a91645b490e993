# mypy: disable-error-code="no-untyped-call,no-any-return"
"""Collecting submissions: every hostile or broken input becomes a readable row."""

from __future__ import annotations

import json
import os
import stat
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat import v4

from autograder.i18n import LANGUAGES, catalogue, message
from autograder.intake.submissions import Submission, collect, student_id


def notebook_bytes(source: str = "x = 1") -> bytes:
    return nbformat.writes(v4.new_notebook(cells=[v4.new_code_cell(source)])).encode()


def many_cells_bytes(count: int) -> bytes:
    """A notebook of ``count`` code cells, built directly (nbformat.writes validates, which is slow)."""
    cell: dict[str, Any] = {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {},
        "outputs": [],
        "source": "x = 1",
    }
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell] * count}).encode()


def write(path: Path, data: bytes | str = b"") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def make_zip(path: Path, entries: dict[str | zipfile.ZipInfo, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def by_student(rows: list[Submission]) -> dict[str, Submission]:
    return {row.student: row for row in rows}


def assert_invalid(row: Submission, key: str) -> None:
    """The row is refused with ``key``, and its message renders in every language."""
    assert row.problem is not None, row
    assert row.problem.key == key
    assert row.notebook is None and not row.valid
    for lang in LANGUAGES:
        catalogue()[key][lang].format(**row.problem.params)  # fails loudly on a missing parameter
        catalogue()[key][lang].format(**{name: str(value) for name, value in row.problem.params.items()})
        text = message(key, lang, **row.problem.params)
        assert not text.startswith("[")
        assert row.source in text


def files_under(path: Path) -> set[Path]:
    return set(path.rglob("*"))


def test_folder_of_notebooks_is_sorted_by_student(tmp_path: Path) -> None:
    for name in ("park", "kim", "Lee"):
        write(tmp_path / "class" / f"{name}.ipynb", notebook_bytes())
    rows = collect([tmp_path / "class"])
    assert [row.student for row in rows] == ["kim", "Lee", "park"]
    assert all(row.valid and row.notebook is not None for row in rows)
    assert rows[0].source == str(tmp_path / "class" / "kim.ipynb")


def test_file_that_is_not_a_notebook_is_a_row(tmp_path: Path) -> None:
    write(tmp_path / "class" / "kim.ipynb", notebook_bytes())
    write(tmp_path / "class" / "lee.py", "x = 1")
    write(tmp_path / "class" / "park.pdf", b"%PDF-1.4")
    rows = by_student(collect([tmp_path / "class"]))
    assert rows["kim"].valid
    assert_invalid(rows["lee"], "submission.not_notebook_file")
    assert_invalid(rows["park"], "submission.not_notebook_file")


def test_hidden_files_checkpoints_and_macosx_are_skipped(tmp_path: Path) -> None:
    write(tmp_path / "class" / "kim.ipynb", notebook_bytes())
    write(tmp_path / "class" / ".DS_Store", b"\x00")
    write(tmp_path / "class" / ".ipynb_checkpoints" / "kim-checkpoint.ipynb", notebook_bytes())
    write(tmp_path / "class" / "__MACOSX" / "._kim.ipynb", b"\x00\x05")
    assert [row.student for row in collect([tmp_path / "class"])] == ["kim"]


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "submission.empty_file"),
        (b'{"cells": [', "submission.invalid_json"),
        (b'{"cells": ["\xff"]}', "submission.not_utf8"),
        (
            nbformat.writes(v4.new_notebook(cells=[v4.new_markdown_cell("hi")])).encode(),
            "submission.no_code_cells",
        ),
    ],
)
def test_broken_notebook_is_a_row(tmp_path: Path, data: bytes, key: str) -> None:
    write(tmp_path / "class" / "kim.ipynb", data)
    write(tmp_path / "class" / "lee.ipynb", notebook_bytes())
    rows = by_student(collect([tmp_path / "class"]))
    assert_invalid(rows["kim"], key)
    assert rows["lee"].valid


def test_ten_thousand_cells_is_a_row(tmp_path: Path) -> None:
    write(tmp_path / "kim.ipynb", many_cells_bytes(10_000))
    [row] = collect([tmp_path / "kim.ipynb"])
    assert_invalid(row, "submission.too_many_cells")


def test_oversized_notebook_is_a_row(tmp_path: Path) -> None:
    write(tmp_path / "kim.ipynb", notebook_bytes("x = '" + "a" * 5000 + "'"))
    [row] = collect([tmp_path / "kim.ipynb"], max_notebook_bytes=1000)
    assert_invalid(row, "submission.file_too_large")
    assert row.problem is not None and row.problem.params["limit"] == 1000
    assert "1.0 KB" in message(row.problem.key, "ko", **row.problem.params)


def test_duplicate_students_keep_the_first_in_source_order(tmp_path: Path) -> None:
    first = write(tmp_path / "a" / "kim.ipynb", notebook_bytes("first"))
    second = write(tmp_path / "b" / "Kim.ipynb", notebook_bytes("second"))
    third = write(tmp_path / "c" / "kim.ipynb", notebook_bytes("third"))
    rows = by_student(collect([tmp_path / "c", tmp_path / "a", tmp_path / "b"]))
    assert rows["kim"].valid and rows["kim"].source == str(first)
    assert_invalid(rows["Kim__dup2"], "submission.duplicate")
    assert_invalid(rows["kim__dup3"], "submission.duplicate")
    text = message("submission.duplicate", "en", **rows["kim__dup3"].problem.params)  # type: ignore[union-attr]
    assert str(first) in text and str(third) in text and "first" in text
    assert str(second) in message("submission.duplicate", "ko", **rows["Kim__dup2"].problem.params)  # type: ignore[union-attr]


def test_broken_file_does_not_take_the_name_of_a_good_one(tmp_path: Path) -> None:
    write(tmp_path / "a" / "kim.txt", "my notebook is attached")
    write(tmp_path / "b" / "kim.ipynb", notebook_bytes())
    rows = by_student(collect([tmp_path / "a", tmp_path / "b"]))
    assert rows["kim"].valid
    assert_invalid(rows["kim__dup2"], "submission.not_notebook_file")


def test_zip_with_nested_folders(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "class.zip",
        {
            "2024/section1/kim.ipynb": notebook_bytes(),
            "2024/section2/lee.ipynb": notebook_bytes(),
            "2024/section2/": b"",
            "__MACOSX/2024/section1/._kim.ipynb": b"\x00",
            "2024/.ipynb_checkpoints/kim-checkpoint.ipynb": notebook_bytes(),
        },
    )
    before = files_under(tmp_path)
    rows = collect([archive])
    assert files_under(tmp_path) == before  # nothing extracted
    assert [(row.student, row.source) for row in rows] == [
        ("kim", f"{archive}:2024/section1/kim.ipynb"),
        ("lee", f"{archive}:2024/section2/lee.ipynb"),
    ]
    assert all(row.valid for row in rows)


@pytest.mark.parametrize(
    "name",
    [
        "../evil.ipynb",
        "kim/../../evil.ipynb",
        "..\\..\\evil.ipynb",
        "/tmp/evil.ipynb",
        "C:/evil.ipynb",
        "C:\\evil.ipynb",
    ],
)
def test_unsafe_paths_in_a_zip_are_refused(tmp_path: Path, name: str) -> None:
    archive = make_zip(tmp_path / "class.zip", {name: notebook_bytes(), "kim.ipynb": notebook_bytes()})
    before = files_under(tmp_path.parent)
    rows = by_student(collect([archive]))
    assert files_under(tmp_path.parent) == before
    assert rows["kim"].valid
    [refused] = [row for row in rows.values() if not row.valid]
    assert_invalid(refused, "submission.zip_unsafe_path")
    assert refused.problem is not None and refused.problem.params["entry"] == name.replace("\\", "/")


def test_symlink_in_a_zip_is_refused(tmp_path: Path) -> None:
    link = zipfile.ZipInfo("lee.ipynb")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive = make_zip(tmp_path / "class.zip", {link: b"/etc/passwd", "kim.ipynb": notebook_bytes()})
    rows = by_student(collect([archive]))
    assert rows["kim"].valid
    assert_invalid(rows["lee"], "submission.zip_symlink")


@pytest.mark.parametrize("data", [b"PK\x03\x04 not really a zip", b"", b"\x00" * 100])
def test_corrupt_zip_is_one_row(tmp_path: Path, data: bytes) -> None:
    [row] = collect([write(tmp_path / "class.zip", data)])
    assert row.student == "class"
    assert_invalid(row, "submission.zip_corrupt")


def test_truncated_zip_is_one_row(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "class.zip", {"kim.ipynb": notebook_bytes(), "lee.ipynb": notebook_bytes()})
    archive.write_bytes(archive.read_bytes()[:-30])
    [row] = collect([archive])
    assert_invalid(row, "submission.zip_corrupt")


def test_damaged_zip_entry_is_a_row(tmp_path: Path) -> None:
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as out:
        out.writestr("kim.ipynb", notebook_bytes("damaged = True"))
        out.writestr("lee.ipynb", notebook_bytes())
    data = archive.read_bytes()
    archive.write_bytes(data.replace(b"damaged = True", b"damaged = Trux", 1))  # breaks the CRC
    rows = by_student(collect([archive]))
    assert_invalid(rows["kim"], "submission.zip_entry_unreadable")
    assert rows["lee"].valid


def test_zip_size_limits(tmp_path: Path) -> None:
    small = notebook_bytes()
    archive = make_zip(
        tmp_path / "class.zip",
        {"a.ipynb": small, "b.ipynb": small, "c.ipynb": notebook_bytes("x = '" + "a" * 5000 + "'")},
    )
    rows = by_student(collect([archive], max_notebook_bytes=len(small) + 100, max_zip_bytes=len(small) + 10))
    assert rows["a"].valid
    assert_invalid(rows["b"], "submission.zip_too_large")
    assert_invalid(rows["c"], "submission.file_too_large")


def test_per_student_folders_with_generic_names(tmp_path: Path) -> None:
    for name in ("kim", "lee", "park"):
        write(tmp_path / "class" / name / "tensor_ops.ipynb", notebook_bytes())
    write(tmp_path / "class" / "choi.ipynb", notebook_bytes())  # sent without a folder
    rows = collect([tmp_path / "class"])
    assert [row.student for row in rows] == ["choi", "kim", "lee", "park"]
    assert all(row.valid for row in rows)


def test_per_student_folders_in_a_zip(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "hw1.zip",
        {f"hw1/{name}/Tensor Ops.ipynb": notebook_bytes() for name in ("kim", "lee")},
    )
    assert [row.student for row in collect([archive])] == ["kim", "lee"]


def test_different_names_in_folders_are_not_generic(tmp_path: Path) -> None:
    write(tmp_path / "class" / "week1" / "kim.ipynb", notebook_bytes())
    write(tmp_path / "class" / "week1" / "lee.ipynb", notebook_bytes())
    write(tmp_path / "class" / "week2" / "kim.ipynb", notebook_bytes())
    rows = by_student(collect([tmp_path / "class"]))
    assert sorted(rows) == ["kim", "kim__dup2", "lee"]
    assert_invalid(rows["kim__dup2"], "submission.duplicate")


def test_korean_file_names(tmp_path: Path) -> None:
    write(tmp_path / "class" / "김민수.ipynb", notebook_bytes())
    write(
        tmp_path / "class" / unicodedata.normalize("NFD", "이서연.ipynb"), notebook_bytes()
    )  # as macOS stores it
    write(tmp_path / "class" / "박 지훈 (2).ipynb", notebook_bytes())
    rows = collect([tmp_path / "class"])
    assert [row.student for row in rows] == ["김민수", "박_지훈__2_", "이서연"]
    assert all(row.valid for row in rows)


def test_korean_names_in_zips_with_and_without_the_utf8_flag(tmp_path: Path) -> None:
    placeholder = "X" * len("최유진".encode("cp949"))
    archive = make_zip(
        tmp_path / "class.zip",
        {"김민수.ipynb": notebook_bytes(), f"{placeholder}.ipynb": notebook_bytes()},
    )
    # Windows' built-in zip writes CP949 names without the UTF-8 flag; make such an entry.
    archive.write_bytes(archive.read_bytes().replace(placeholder.encode(), "최유진".encode("cp949")))
    rows = collect([archive])
    assert [row.student for row in rows] == ["김민수", "최유진"]
    assert all(row.valid for row in rows)


def test_symlinks_pointing_outside_the_folder_are_refused(tmp_path: Path) -> None:
    secret = write(tmp_path / "outside" / "secret.ipynb", notebook_bytes())
    write(tmp_path / "class" / "kim.ipynb", notebook_bytes())
    (tmp_path / "class" / "lee.ipynb").symlink_to(secret)
    (tmp_path / "class" / "park").symlink_to(tmp_path / "outside", target_is_directory=True)
    (tmp_path / "class" / "choi.ipynb").symlink_to(tmp_path / "class" / "kim.ipynb")  # inside: fine
    rows = by_student(collect([tmp_path / "class"]))
    assert rows["kim"].valid and rows["choi"].valid
    assert_invalid(rows["lee"], "submission.symlink_outside")
    assert_invalid(rows["park"], "submission.symlink_outside")
    assert "secret" not in rows


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_fifo_named_like_a_notebook_does_not_hang(tmp_path: Path) -> None:
    (tmp_path / "class").mkdir()
    os.mkfifo(tmp_path / "class" / "kim.ipynb")
    [row] = collect([tmp_path / "class"])
    assert_invalid(row, "submission.not_regular_file")


def test_single_files_as_inputs(tmp_path: Path) -> None:
    notebook = write(tmp_path / "kim.ipynb", notebook_bytes())
    other = write(tmp_path / "lee.docx", b"PK")
    rows = by_student(collect([notebook, other]))
    assert rows["kim"].valid and rows["kim"].source == str(notebook)
    assert_invalid(rows["lee"], "submission.not_notebook_file")


def test_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        collect([tmp_path / "nowhere"])


def test_nothing_is_written_to_disk(tmp_path: Path) -> None:
    write(tmp_path / "class" / "kim.ipynb", notebook_bytes())
    archive = make_zip(tmp_path / "class.zip", {"lee/hw.ipynb": notebook_bytes(), "../x.ipynb": b""})
    before = {path: path.stat().st_mtime_ns for path in files_under(tmp_path)}
    collect([tmp_path / "class", archive])
    assert {path: path.stat().st_mtime_ns for path in files_under(tmp_path)} == before


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("kim", "kim"),
        ("Kim Min-su (1)", "Kim_Min-su__1_"),
        ("김민수", "김민수"),
        (unicodedata.normalize("NFD", "김민수"), "김민수"),
        ("..hidden", "_hidden"),
        ("", "unnamed"),
        ("a/b\\c:d", "a_b_c_d"),
        ("x" * 300, "x" * 100),
    ],
)
def test_student_id(name: str, expected: str) -> None:
    assert student_id(name) == expected
