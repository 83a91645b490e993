"""A category's ``starter.ipynb``, made from its ``starter.py``: the module docstring as a Markdown cell, the
code as one cell, a cell that saves ``mymodel.keras`` (the script's ``__main__`` block), and the practice cells:
``grader.check("categoryN")`` gives the public checks and a score on public validation data without the clock
(:mod:`autograder.exam.practice`; in the grader's sandbox it only says it is not run there)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import cast

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

MAIN = 'if __name__ == "__main__":'
PRACTICE_NOTE = ("Practice without the clock / 시간 제한 없는 연습: the cell below checks the saved mymodel.keras "
                 "as the exam does (file, input shape, last layer, no Lambda) and scores it on public validation "
                 "data. 아래 셀은 저장한 mymodel.keras를 시험처럼 검사하고 공개 검증 데이터로 점수를 냅니다.")
PRACTICE = 'from autograder.student import Notebook\n\ngrader = Notebook("exam")\ngrader.check("{category}")'


def starter_notebook(script: Path) -> nbformat.NotebookNode:
    """The notebook for ``script``; raises ``ValueError`` when it lacks a docstring or the ``__main__`` block."""
    source = script.read_text(encoding="utf-8")
    docstring = ast.get_docstring(ast.parse(source))
    if not docstring or MAIN not in source:
        raise ValueError(f"{script}: a starter needs a module docstring and an `{MAIN}` block")
    body = source.split('"""', 2)[2].strip("\n")
    code, main = body.split(MAIN, 1)
    save = "\n".join(line[4:] if line.startswith("    ") else line for line in main.strip("\n").splitlines())
    category = script.parent.name
    practice = PRACTICE.format(category=category)
    notebook = new_notebook(cells=[new_markdown_cell(docstring), new_code_cell(code.strip("\n")),
                                   new_code_cell(save), new_markdown_cell(PRACTICE_NOTE), new_code_cell(practice)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for index, cell in enumerate(notebook.cells):  # stable ids: the committed file is compared with a fresh one
        cell["id"] = f"cell-{index}"
    return cast(nbformat.NotebookNode, notebook)


def write_notebook(script: Path) -> Path:
    """Write ``starter.ipynb`` next to ``script``."""
    target = script.with_suffix(".ipynb")
    target.write_text(nbformat.writes(starter_notebook(script)) + "\n", encoding="utf-8")
    return target
