"""Reading student notebooks: bytes in, a v4 ``NotebookNode`` or a ``SubmissionError`` out.

Only what cannot be graded is refused. Schema slips that Jupyter itself
tolerates (missing ids, odd metadata) are let through, because students'
notebooks have them all the time and the code cells still run.
"""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass
from typing import Any

import nbformat
from nbformat import NotebookNode

from autograder.errors import SubmissionError

SUPPORTED_MAJOR = 4


@dataclass(frozen=True)
class CodeCell:
    """One code cell of a notebook.

    ``index`` is the 0-based position among *all* cells (markdown included),
    so that it matches what a student sees when counting cells; add 1 when
    showing it to a person.
    """

    index: int
    source: str


def load_notebook(data: bytes, source: str, *, max_cells: int = 1000) -> NotebookNode:
    """Parse ``data`` as a notebook, converted to nbformat 4.

    ``source`` names the file in error messages. Raises ``SubmissionError``
    when the file is empty, not UTF-8, not JSON, not a notebook, newer than
    nbformat 4, has more than ``max_cells`` cells, or has no code cell.
    """
    text = _decode(data, source)
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
