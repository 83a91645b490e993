"""Reading student notebooks: bytes in, a v4 ``NotebookNode`` or a ``SubmissionError`` out.

Only what cannot be graded is refused. Schema slips that Jupyter itself
tolerates (missing ids, odd metadata) are let through, because students'
notebooks have them all the time and the code cells still run.

Before anything is parsed, the JSON's structure is measured on the bytes
(:func:`json_structure`): a file nested deeper than :data:`MAX_NESTING` or
holding more than :data:`MAX_CONTAINERS` objects and lists is refused, since
parsing it would cost hundreds of times its size in memory. A grading run keeps
a checked notebook as its bytes (:class:`NotebookBytes`) and parses it when its
job starts.
"""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass, field
from typing import Any

import nbformat
import numpy as np
from nbformat import NotebookNode

from autograder.errors import SubmissionError

SUPPORTED_MAJOR = 4
# A notebook's own structure is about 6 deep (cells > outputs > data); widget state a few more.
MAX_NESTING = 64
# JSON objects and lists: about 10 per cell with its outputs; a parsed one costs ~100x its bytes.
MAX_CONTAINERS = 200_000
CONTAINERS_PER_CELL = 200  # with a larger max_cells, the limit grows with it
_SCAN_CHUNK = 1 << 18
_QUOTE, _BACKSLASH = ord('"'), ord("\\")
_OPENS, _CLOSES = (ord("["), ord("{")), (ord("]"), ord("}"))


@dataclass(frozen=True)
class CodeCell:
    """One code cell of a notebook.

    ``index`` is the 0-based position among *all* cells (markdown included),
    so that it matches what a student sees when counting cells; add 1 when
    showing it to a person.
    """

    index: int
    source: str


@dataclass(frozen=True)
class NotebookBytes:
    """A notebook that :func:`check_notebook` accepted, kept as its bytes until its job parses it."""

    data: bytes = field(repr=False)
    source: str
    max_cells: int = 1000

    def parse(self) -> NotebookNode:
        """The notebook as a v4 ``NotebookNode`` (parsed again: the bytes were accepted once)."""
        return load_notebook(self.data, self.source, max_cells=self.max_cells)


def check_notebook(data: bytes, source: str, *, max_cells: int = 1000) -> NotebookBytes:
    """Refuse ``data`` as :func:`load_notebook` would; keep only its bytes, not the parsed notebook."""
    load_notebook(data, source, max_cells=max_cells)
    return NotebookBytes(data, source, max_cells)


def load_notebook(data: bytes, source: str, *, max_cells: int = 1000) -> NotebookNode:
    """Parse ``data`` as a notebook, converted to nbformat 4.

    ``source`` names the file in error messages. Raises ``SubmissionError``
    when the file is empty, not UTF-8, nested deeper than :data:`MAX_NESTING`
    or with more than :data:`MAX_CONTAINERS` objects and lists (or
    :data:`CONTAINERS_PER_CELL` per allowed cell, when more), not JSON, not a
    notebook, newer than nbformat 4, has more than ``max_cells`` cells, or has
    no code cell.
    """
    text = _decode(data, source)
    depth, containers = json_structure(data)
    if depth > MAX_NESTING:
        raise SubmissionError(source, "submission.nested_too_deep", file=source, depth=depth, limit=MAX_NESTING)
    limit = max(MAX_CONTAINERS, CONTAINERS_PER_CELL * max_cells)
    if containers > limit:
        raise SubmissionError(source, "submission.too_many_containers", file=source, count=containers, limit=limit)
    raw = _parse_json(text, source)
    major = _major_version(raw, source)
    if major == SUPPORTED_MAJOR and isinstance(raw.get("cells"), list):
        # Refuse huge notebooks before building NotebookNodes for every cell.
        _check_cell_count(len(raw["cells"]), source, max_cells)
    _repair_metadata(raw, major)
    nb = _to_v4(raw, major, source)
    _check_cell_count(len(nb.cells), source, max_cells)
    if not any(_is_code(cell) for cell in nb.cells):
        raise SubmissionError(source, "submission.no_code_cells", file=source)
    return nb


def code_cells(nb: NotebookNode) -> list[CodeCell]:
    """Return the code cells of ``nb`` in order, with their position among all cells."""
    return [
        CodeCell(index=index, source=_source_text(cell.get("source")))
        for index, cell in enumerate(nb.cells)
        if _is_code(cell)
    ]


def json_structure(data: bytes) -> tuple[int, int]:
    """``(deepest nesting, number of objects and lists)`` of JSON ``data``, without parsing it.

    Brackets inside strings do not count: a quote ends a string unless an odd
    number of backslashes precede it. Linear in the size, in 256 KiB steps, so a
    hostile file costs no more memory than a fixed buffer. For bytes that are
    not valid JSON the numbers are only an estimate; the parser refuses them.
    """
    deepest = depth = containers = 0
    in_string = False
    backslashes = 0  # the run of backslashes that ended the previous chunk
    for start in range(0, len(data), _SCAN_CHUNK):
        chunk = np.frombuffer(data, dtype=np.uint8, count=min(_SCAN_CHUNK, len(data) - start), offset=start)
        positions = np.arange(len(chunk))
        is_backslash = chunk == _BACKSLASH
        # the last position at or before each one that is not a backslash
        last_other = np.maximum.accumulate(np.where(is_backslash, -1, positions))
        before = np.empty(len(chunk), dtype=np.int64)  # backslashes right before each position
        before[0] = backslashes
        run = positions[:-1] - last_other[:-1]
        before[1:] = np.where(last_other[:-1] < 0, run + backslashes, run)
        quotes = (chunk == _QUOTE) & (before % 2 == 0)
        inside = (np.cumsum(quotes) + in_string) % 2 == 1  # a closing quote counts as outside
        outside = ~inside & ~quotes
        opens = outside & ((chunk == _OPENS[0]) | (chunk == _OPENS[1]))
        closes = outside & ((chunk == _CLOSES[0]) | (chunk == _CLOSES[1]))
        steps = opens.astype(np.int64) - closes.astype(np.int64)
        if steps.any():
            levels = np.cumsum(steps) + depth
            deepest = max(deepest, int(levels.max()))
            depth = int(levels[-1])
        containers += int(np.count_nonzero(opens))
        in_string = (int(in_string) + int(np.count_nonzero(quotes))) % 2 == 1
        backslashes = int(len(chunk) - 1 - last_other[-1]) if last_other[-1] >= 0 else backslashes + len(chunk)
    return deepest, containers


def _decode(data: bytes, source: str) -> str:
    if not data.strip():
        raise SubmissionError(source, "submission.empty_file", file=source)
    # Some Windows editors write a UTF-8 byte order mark; it is harmless.
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SubmissionError(source, "submission.not_utf8", file=source, offset=skip + exc.start) from None


def _parse_json(text: str, source: str) -> dict[str, Any]:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SubmissionError(
            source, "submission.invalid_json", file=source, line=exc.lineno, column=exc.colno
        ) from None
    except (ValueError, RecursionError):
        # Valid JSON syntax but unusable: absurd nesting or a number too long to convert.
        raise SubmissionError(source, "submission.not_notebook_json", file=source) from None
    if not isinstance(raw, dict):
        raise SubmissionError(source, "submission.not_notebook_json", file=source)
    return raw


def _major_version(raw: dict[str, Any], source: str) -> int:
    major = raw.get("nbformat")
    if not isinstance(major, int) or isinstance(major, bool) or major < 1:
        raise SubmissionError(source, "submission.not_notebook_json", file=source)
    if major > SUPPORTED_MAJOR:
        raise SubmissionError(
            source,
            "submission.nbformat_too_new",
            file=source,
            version=major,
            supported=SUPPORTED_MAJOR,
        )
    if major == SUPPORTED_MAJOR and not isinstance(raw.get("cells"), list):
        raise SubmissionError(source, "submission.not_notebook_json", file=source)
    return major


def _repair_metadata(raw: dict[str, Any], major: int) -> None:
    """Give the notebook and its v4 cells a metadata dict: nbformat's reader needs one, students may not."""
    if not isinstance(raw.get("metadata"), dict):
        raw["metadata"] = {}
    if major == SUPPORTED_MAJOR:
        for cell in raw["cells"]:
            if isinstance(cell, dict) and not isinstance(cell.get("metadata"), dict):
                cell["metadata"] = {}


def _to_v4(raw: dict[str, Any], major: int, source: str) -> NotebookNode:
    try:
        # The version's own reader joins split lines (and drops v3 transient keys).
        nb = nbformat.versions[major].to_notebook_json(raw)
        if major < SUPPORTED_MAJOR:
            nb = nbformat.convert(nb, SUPPORTED_MAJOR)  # type: ignore[no-untyped-call]
    except Exception:  # noqa: BLE001  (a hostile file can make nbformat raise anything)
        key = "submission.not_notebook_json" if major == SUPPORTED_MAJOR else "submission.nbformat_unreadable"
        raise SubmissionError(source, key, file=source, version=major) from None
    if not isinstance(nb.get("cells"), list) or not all(isinstance(c, dict) for c in nb.cells):
        raise SubmissionError(source, "submission.not_notebook_json", file=source)
    result: NotebookNode = nb
    return result


def _check_cell_count(count: int, source: str, max_cells: int) -> None:
    if count > max_cells:
        raise SubmissionError(source, "submission.too_many_cells", file=source, count=count, limit=max_cells)


def _is_code(cell: Any) -> bool:
    return isinstance(cell, dict) and cell.get("cell_type") == "code"


def _source_text(source: Any) -> str:
    if isinstance(source, str):
        return source
    if isinstance(source, list):
        return "".join(part if isinstance(part, str) else str(part) for part in source)
    return ""
