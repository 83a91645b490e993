"""The exported zip's ``run_autograder``: grade ``<root>/autograder/submission/*.ipynb``, write ``results.json``.

``python -m autograder.interchange.gradescope_run --root ROOT --assignment ID``: ROOT is ``/`` on Gradescope (a
test passes a temporary folder holding ``autograder/source``, ``autograder/submission`` and
``autograder/results``). The submission is graded as ``autograder grade --dry-run`` would grade it (the course in
``autograder/source/course``, a scratch gradebook, this project's sandbox), and its Gradescope result
(:func:`autograder.report.gradescope.gradescope_results`) is copied to ``autograder/results/results.json``.
Lateness is Gradescope's own business (its due dates and late rules); a submission without a notebook, or a run
that fails, still gets a ``results.json`` (score 0) saying why, in Korean and English.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

MAX_NOTEBOOKS = 50
_TEXTS = {
    "no_notebook": {
        "en": "No notebook (.ipynb) was found in your submission. Fix: upload your {assignment}.ipynb file.",
        "ko": "제출물에서 노트북(.ipynb)을 찾지 못했습니다. 고치는 법: {assignment}.ipynb 파일을 올리세요.",
    },
    "several": {
        "en": "Your submission holds {count} notebooks; {chosen} was graded. Upload only one notebook.",
        "ko": "제출물에 노트북이 {count}개 있어 {chosen}을(를) 채점했습니다. 노트북은 하나만 올리세요.",
    },
    "failed": {
        "en": "The autograder could not grade this submission ({error}). Your instructor has been told; "
              "resubmit later or contact them.",
        "ko": "자동 채점기가 이 제출물을 채점하지 못했습니다({error}). 담당 교수자에게 알려졌습니다. "
              "나중에 다시 제출하거나 교수자에게 문의하세요.",
    },
}


def _text(key: str, **params: Any) -> str:
    """A message in Korean, then English (the course's language is not known before the config is read)."""
    return "\n".join(_TEXTS[key][lang].format(**params) for lang in ("ko", "en"))


def _choose(submission: Path, assignment: str) -> tuple[Path | None, int]:
    """The notebook to grade (``<id>.ipynb`` when there are several, else the newest) and how many there were."""
    found: list[Path] = []
    for path in sorted(submission.rglob("*.ipynb")) if submission.is_dir() else []:
        if ".ipynb_checkpoints" in path.parts or not path.is_file() or path.is_symlink():
            continue
        found.append(path)
        if len(found) >= MAX_NOTEBOOKS:
            break
    if not found:
        return None, 0
    named = [p for p in found if p.name == f"{assignment}.ipynb"]
    chosen = named[0] if named else max(found, key=lambda p: (p.stat().st_mtime, p.name))
    return chosen, len(found)


def _failure(output: str) -> dict[str, Any]:
    return {"score": 0.0, "output": output, "visibility": "visible", "stdout_visibility": "hidden", "tests": []}


def run(root: Path, assignment: str, *, console: Console | None = None) -> dict[str, Any]:
    """Grade the submission under ``root/autograder``; write and return its ``results.json`` object."""
    from autograder.errors import AutograderError
    from autograder.grade import RunOptions
    from autograder.grade import main as grade

    base = root / "autograder"
    results_dir = base / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    config = base / "source" / "course" / "grading_config.yaml"
    chosen, count = _choose(base / "submission", assignment)
    if chosen is None:
        data = _failure(_text("no_notebook", assignment=assignment))
    else:
        with tempfile.TemporaryDirectory(prefix="autograder-gradescope-run-") as scratch:
            work = Path(scratch)
            notebook = work / "submission.ipynb"
            shutil.copyfile(chosen, notebook)
            try:
                grade(assignment=assignment, inputs=[notebook], config_path=config, output=work / "out",
                      console=console or Console(file=io.StringIO()), options=RunOptions(dry_run=True, workers=1))
                data = json.loads((work / "out" / "gradescope" / "submission.json").read_text(encoding="utf-8"))
            except (AutograderError, OSError, ValueError) as error:
                print(f"grading failed: {error!r}", file=sys.stderr)  # the instructor's stdout log on Gradescope
                data = _failure(_text("failed", error=type(error).__name__))
        if count > 1:
            data["output"] = _text("several", count=count, chosen=chosen.name) + "\n\n" + str(data.get("output", ""))
    (results_dir / "results.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="run_autograder", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path("/"), help="the folder holding autograder/ (default: /)")
    parser.add_argument("--assignment", required=True, help="the assignment's id (its folder in course/solutions/)")
    args = parser.parse_args(argv)
    data = run(args.root, args.assignment, console=Console(stderr=True))
    print(f"score {data.get('score')}; {len(data.get('tests', []))} tests; wrote "
          f"{args.root / 'autograder' / 'results' / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
