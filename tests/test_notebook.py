# mypy: disable-error-code="no-untyped-call,no-any-return"
"""Reading student notebooks: what is accepted, and what is refused with which message."""

from __future__ import annotations

import json
import random
import string
import tracemalloc
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat import v3, v4

from autograder import notebook
from autograder.errors import SubmissionError
from autograder.i18n import LANGUAGES, catalogue, message
from autograder.i18n.messages_submissions import MESSAGES
from autograder.intake.submissions import collect
from autograder.notebook import MAX_CONTAINERS, MAX_NESTING, CodeCell, NotebookBytes, code_cells, load_notebook

SOURCE = "kim/hw1.ipynb"


def notebook_bytes(*sources: str, markdown_first: bool = False) -> bytes:
    cells = [v4.new_code_cell(source) for source in sources]
    if markdown_first:
        cells.insert(0, v4.new_markdown_cell("# Homework 1"))
    return nbformat.writes(v4.new_notebook(cells=cells)).encode()


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


def assert_refused(data: bytes, key: str, **load_args: Any) -> SubmissionError:
    """Load ``data``, expect ``key``, and check the message renders in every language."""
    with pytest.raises(SubmissionError) as caught:
        load_notebook(data, SOURCE, **load_args)
    error = caught.value
    assert error.key == key
    assert error.source == SOURCE
    assert_renders(error)
    return error


def assert_renders(error: SubmissionError) -> None:
    for lang in LANGUAGES:
        # Formatting the template directly fails loudly on a missing parameter,
        # where ``message`` would fall back to a raw rendering.
        catalogue()[error.key][lang].format(**error.params)
        # Results keep parameters as strings; the message must still render.
        catalogue()[error.key][lang].format(**{name: str(value) for name, value in error.params.items()})
        text = message(error.key, lang, **error.params)
        assert not text.startswith("[")
        assert error.source in text


def test_good_notebook_loads_and_keeps_cell_positions() -> None:
    nb = load_notebook(notebook_bytes("x = 1", "y = x + 1", markdown_first=True), SOURCE)
    assert nb.nbformat == 4
    assert code_cells(nb) == [CodeCell(index=1, source="x = 1"), CodeCell(index=2, source="y = x + 1")]


def test_code_cells_joins_list_sources() -> None:
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("hi"), v4.new_code_cell("")])
    nb.cells[1]["source"] = ["import numpy as np\n", "x = np.ones(3)"]
    assert code_cells(nb) == [CodeCell(index=1, source="import numpy as np\nx = np.ones(3)")]


def test_split_lines_on_disk_are_joined() -> None:
    raw = json.loads(notebook_bytes("a = 1\nb = 2"))
    raw["cells"][0]["source"] = ["a = 1\n", "b = 2"]
    nb = load_notebook(json.dumps(raw).encode(), SOURCE)
    assert code_cells(nb)[0].source == "a = 1\nb = 2"


@pytest.mark.parametrize("data", [b"", b"   \n\t\n"])
def test_empty_file_is_refused(data: bytes) -> None:
    assert_refused(data, "submission.empty_file")


def test_non_utf8_bytes_are_refused_with_their_offset() -> None:
    good = notebook_bytes("print('안녕')")
    position = good.index("안".encode())
    data = good[:position] + "안".encode("cp949") + good[position + 3 :]
    error = assert_refused(data, "submission.not_utf8")
    assert error.params["offset"] == position
    assert str(position) in message(error.key, "ko", **error.params)


def test_utf8_byte_order_mark_is_accepted() -> None:
    nb = load_notebook(b"\xef\xbb\xbf" + notebook_bytes("x = 1"), SOURCE)
    assert code_cells(nb)[0].source == "x = 1"


def test_invalid_json_names_line_and_column() -> None:
    data = b'{\n  "cells": [\n    {"cell_type": "code",,}\n  ]\n}'
    error = assert_refused(data, "submission.invalid_json")
    assert (error.params["line"], error.params["column"]) == (3, 26)
    assert "line 3, column 26" in message(error.key, "en", **error.params)
    assert "3행 26열" in message(error.key, "ko", **error.params)


@pytest.mark.parametrize(
    "document",
    [
        [1, 2, 3],
        "just a string",
        {"name": "not a notebook"},
        {"nbformat": 4, "nbformat_minor": 5, "metadata": {}},
        {"nbformat": "4", "cells": []},
        {"nbformat": True, "cells": []},
        {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [1, 2]},
    ],
)
def test_json_that_is_not_a_notebook_is_refused(document: object) -> None:
    assert_refused(json.dumps(document).encode(), "submission.not_notebook_json")


def test_absurdly_nested_json_is_refused_before_parsing() -> None:
    error = assert_refused(b"[" * 100_000 + b"]" * 100_000, "submission.nested_too_deep")
    assert (error.params["depth"], error.params["limit"]) == (100_000, MAX_NESTING)


def _with_metadata(metadata_json: str) -> bytes:
    raw = notebook_bytes("x = 1").decode()
    assert '"metadata": {}' in raw  # the code cell's: the evil value goes there (4 levels down)
    return raw.replace('"metadata": {}', '"metadata": {"evil": ' + metadata_json + "}", 1).encode()


def test_deeply_nested_metadata_is_refused_naming_the_file() -> None:
    # 100 levels: json and nbformat read it (the code before this check accepted it); a notebook needs < 10
    data = _with_metadata('{"a": ' * 100 + "1" + "}" * 100)
    error = assert_refused(data, "submission.nested_too_deep")
    assert error.params["depth"] == 104
    assert SOURCE in message(error.key, "en", **error.params) and "nested 104 levels" in message(
        error.key, "en", **error.params)
    assert SOURCE in message(error.key, "ko", **error.params)


def test_a_notebook_of_many_small_objects_is_refused_before_parsing() -> None:
    data = _with_metadata("[" + ",".join(["{}"] * 300_000) + "]")
    error = assert_refused(data, "submission.too_many_containers")
    # the notebook's own 8: itself, cells, the cell, its metadata, outputs, source, metadata; the evil list
    assert error.params["count"] == 300_000 + 8 and error.params["limit"] == MAX_CONTAINERS


def test_refusing_a_hostile_notebook_near_the_size_cap_costs_little_memory() -> None:
    data = _with_metadata("[" + ",".join(["{}"] * 6_000_000) + "]")  # 18 MB: parsed, ~3 GB
    assert len(data) > 17_000_000
    tracemalloc.start()
    try:
        with pytest.raises(SubmissionError):
            load_notebook(data, SOURCE)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * 2**20, peak


def test_brackets_and_escaped_quotes_inside_strings_do_not_count() -> None:
    source = 'text = "' + "[{" * 5_000 + '\\" \\\\"' + "]}" * 5_000 + '"'
    nb = load_notebook(notebook_bytes(source), SOURCE)
    assert code_cells(nb)[0].source == source


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 64, 1 << 18])
def test_json_structure_matches_the_parsed_structure(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    def measured(value: Any, depth: int = 0) -> tuple[int, int]:
        if not isinstance(value, list | dict):
            return depth, 0
        inner = [measured(v, depth + 1) for v in (value.values() if isinstance(value, dict) else value)]
        return max([depth + 1, *(d for d, _ in inner)]), 1 + sum(n for _, n in inner)

    def generate(depth: int) -> Any:
        roll = rng.random()
        if depth > 6 or roll < 0.3:
            return rng.choice(['a"b', "x\\", '\\"[{', "[]{}", 'q\\\\"', 1, None, "é한"])
        if roll < 0.65:
            return [generate(depth + 1) for _ in range(rng.randrange(4))]
        return {rng.choice(["k", "[", '"{', "\\"]) + str(i): generate(depth + 1) for i in range(rng.randrange(4))}

    monkeypatch.setattr(notebook, "_SCAN_CHUNK", chunk)
    rng = random.Random(chunk)
    for _ in range(60):
        text = json.dumps(generate(0), ensure_ascii=rng.random() < 0.5)
        assert notebook.json_structure(text.encode()) == measured(json.loads(text)), text


def test_a_run_keeps_notebooks_as_bytes_not_parsed(tmp_path: Path) -> None:
    heavy = _with_metadata("[" + ",".join(["{}"] * 150_000) + "]")  # valid: under the limit, ~40 MB parsed
    for student in ("kim", "lee", "park"):
        (tmp_path / f"{student}.ipynb").write_bytes(heavy)
    tracemalloc.start()
    try:
        rows = collect([tmp_path])
        retained = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert all(row.valid and isinstance(row.notebook, NotebookBytes) for row in rows)
    assert retained < 3 * len(heavy) + 5 * 2**20, retained  # the bytes, not three parsed notebooks
    assert rows[0].notebook is not None
    assert code_cells(rows[0].notebook.parse())[0].source == "x = 1"  # parsed when its job starts


def test_nbformat_3_is_converted_to_4() -> None:
    old = v3.new_notebook(
        worksheets=[
            v3.new_worksheet(
                cells=[
                    v3.new_text_cell("markdown", source="# Old homework"),
                    v3.new_code_cell(input="import numpy as np\nx = np.zeros(2)"),
                ]
            )
        ]
    )
    nb = load_notebook(v3.writes_json(old).encode(), SOURCE)
    assert nb.nbformat == 4
    assert code_cells(nb) == [CodeCell(index=1, source="import numpy as np\nx = np.zeros(2)")]


def test_broken_nbformat_3_is_refused() -> None:
    data = json.dumps({"nbformat": 3, "nbformat_minor": 0, "worksheets": "nope"}).encode()
    error = assert_refused(data, "submission.nbformat_unreadable")
    assert error.params["version"] == 3


def test_nbformat_5_is_refused() -> None:
    raw = json.loads(notebook_bytes("x = 1"))
    raw["nbformat"] = 5
    error = assert_refused(json.dumps(raw).encode(), "submission.nbformat_too_new")
    assert (error.params["version"], error.params["supported"]) == (5, 4)


def test_notebook_without_code_cells_is_refused() -> None:
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("I wrote my answers here")])
    error = assert_refused(nbformat.writes(nb).encode(), "submission.no_code_cells")
    assert "right file" in message(error.key, "en", **error.params)


def test_ten_thousand_cells_are_refused_naming_count_and_limit() -> None:
    data = many_cells_bytes(10_000)
    error = assert_refused(data, "submission.too_many_cells")
    assert (error.params["count"], error.params["limit"]) == (10_000, 1000)
    assert "10000 cells" in message(error.key, "en", **error.params)
    assert "1000개" in message(error.key, "ko", **error.params)


def test_cell_limit_is_configurable() -> None:
    data = many_cells_bytes(10_000)
    assert len(code_cells(load_notebook(data, SOURCE, max_cells=10_000))) == 10_000


def test_minor_schema_problems_are_tolerated() -> None:
    raw = json.loads(notebook_bytes("x = 1", "y = 2"))
    for cell in raw["cells"]:
        del cell["id"], cell["metadata"], cell["outputs"]
    raw["cells"][1]["execution_count"] = "three"
    raw["metadata"] = "not a dict"
    raw["nbformat_minor"] = 99
    nb = load_notebook(json.dumps(raw).encode(), SOURCE)
    assert [cell.source for cell in code_cells(nb)] == ["x = 1", "y = 2"]
    assert nb.metadata == {}


def test_every_message_has_both_languages_with_the_same_parameters() -> None:
    def fields(template: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}

    for key, texts in MESSAGES.items():
        assert key.startswith("submission.")
        assert set(texts) == set(LANGUAGES), key
        assert fields(texts["ko"]) == fields(texts["en"]), key
        assert "file" in fields(texts["en"]), key
        assert "니다" in texts["ko"] or "세요" in texts["ko"], key
