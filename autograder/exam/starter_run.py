"""A starter script (``starter.py``) or its notebook submitted instead of a model file: it runs in the same
sandbox notebooks get (:class:`~autograder.sandbox.session.NotebookSession`: namespaces, uid, memory cgroup,
CPU and wall-clock limits), with the exam folder and the machine's copies of the datasets hidden, and the model
file it writes (``mymodel.keras`` or ``mymodel.h5``, else ``solution_model()``'s model saved as
``mymodel.keras``) comes back as bytes. Those bytes then go through :func:`autograder.exam.artifact.score_file`
exactly as an uploaded file does: the size cap, the ``.h5`` converter, the bounded model host.

The sandbox sees only the public part of each category's data (:mod:`autograder.exam.public_data`), never the
hidden split.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from autograder.errors import SandboxError, SubmissionError
from autograder.exam import public_data
from autograder.exam.catalogue import Category, Exam
from autograder.exam.outcome import Outcome, refused
from autograder.notebook import CodeCell, code_cells, load_notebook
from autograder.sandbox.process import Limits, SandboxSpec
from autograder.sandbox.session import NotebookSession, TimeLimits

MAX_SCRIPT_BYTES = 1 << 20
_NAME, _BYTES = "_exam_model_name", "_exam_model_bytes"
# the grader's own first cell, where the sandbox is shown a read-only Keras datasets copy: Keras's get_file only
# reads a cache it may write (else it downloads into /tmp/.keras), so the copy is linked into a writable home
PROLOGUE = f"""
import os as _exam_os
_exam_copy = _exam_os.environ.pop("{public_data.KERAS_COPY_ENV}", "")
if _exam_copy:
    import sys as _exam_sys
    import tempfile as _exam_tempfile
    _exam_home = _exam_tempfile.mkdtemp(prefix="keras-home-")
    for _exam_dir, _exam_dirs, _exam_files in _exam_os.walk(_exam_copy):
        _exam_to = _exam_os.path.join(_exam_home, _exam_os.path.relpath(_exam_dir, _exam_copy))
        _exam_os.makedirs(_exam_to, exist_ok=True)
        for _exam_name in _exam_files:
            _exam_os.symlink(_exam_os.path.join(_exam_dir, _exam_name), _exam_os.path.join(_exam_to, _exam_name))
    _exam_os.environ["KERAS_HOME"] = _exam_home
    if "keras.src.backend.config" in _exam_sys.modules:  # Keras already imported: it read KERAS_HOME then
        _exam_sys.modules["keras.src.backend.config"]._KERAS_DIR = _exam_home
"""
# the grader's own last cell: the file the script wrote (the newest), else solution_model()'s model saved
DRIVER = f"""
import os as _exam_os
_exam_found = [n for n in ("mymodel.keras", "mymodel.h5") if _exam_os.path.isfile(n)]
if not _exam_found and callable(globals().get("solution_model")):
    solution_model().save("mymodel.keras")
    _exam_found = ["mymodel.keras"]
_exam_found.sort(key=lambda n: -_exam_os.path.getmtime(n))
{_NAME} = _exam_found[0] if _exam_found else ""
if {_NAME} and _exam_os.path.getsize({_NAME}) <= {{cap}}:
    import numpy as _exam_np
    with open({_NAME}, "rb") as _exam_stream:
        {_BYTES} = _exam_np.frombuffer(_exam_stream.read(), dtype=_exam_np.uint8)
"""


def starter_cells(path: Path) -> list[CodeCell] | Outcome:
    """The cells of a ``.py`` script (one cell) or an ``.ipynb`` notebook (its code cells, parsed bounded)."""
    try:
        if path.stat().st_size > MAX_SCRIPT_BYTES:
            return refused("exam.starter_too_large", name=path.name[:200], limit_kb=MAX_SCRIPT_BYTES // 1024)
        data = path.read_bytes()[:MAX_SCRIPT_BYTES + 1]
    except OSError as error:
        return refused("exam.file_unreadable", name=path.name[:200], detail=type(error).__name__)
    if path.suffix.lower() == ".ipynb":
        try:
            return code_cells(load_notebook(data, path.name[:200]))
        except SubmissionError as error:
            return refused(error.key, **error.params)
    try:
        return [CodeCell(index=0, source=data.decode("utf-8"))]
    except UnicodeDecodeError:
        return refused("exam.file_unreadable", name=path.name[:200], detail="not UTF-8")


def sandbox_spec(category: Category, exam: Exam, view: public_data.PublicView, handout: Path) -> SandboxSpec:
    budget = category.budget
    limits = Limits(memory_bytes=budget.memory_mb * 2**20, cpu_seconds=budget.cpu_s,
                    file_bytes=max(64 * 2**20, 2 * exam.max_bytes), tmp_bytes=max(512 * 2**20, 4 * exam.max_bytes))
    threads = (("TF_NUM_INTRAOP_THREADS", "2"), ("TF_NUM_INTEROP_THREADS", "1"), ("OMP_NUM_THREADS", "2"),
               ("OPENBLAS_NUM_THREADS", "2"), ("MKL_NUM_THREADS", "2"))
    return SandboxSpec(handouts=(handout,), hide=(exam.folder.resolve(), *public_data.machine_copies()),
                       limits=limits, env=(*threads, *view.env), data_files=view.data_files,
                       data_dir=str(view.folder) if view.folder is not None else None, warm=False)


def run_starter(path: Path, category: Category, exam: Exam, data_dir: Path | None,
                staging: Path) -> Path | Outcome:
    """Run the script at ``path`` in the sandbox; the model file it made (written under ``staging``), or why
    there is none (the candidate's problem: ``refused``; the grader's: ``error``)."""
    cells = starter_cells(path)
    if isinstance(cells, Outcome):
        return cells
    view = public_data.public_view(category, data_dir, staging / "public")
    given = cells
    first = [CodeCell(index=-1, source=PROLOGUE)] if any(k == public_data.KERAS_COPY_ENV for k, _ in view.env) else []
    cells = [*first, *cells, CodeCell(index=len(cells) + 1, source=DRIVER.format(cap=exam.max_bytes))]
    budget = category.budget
    with tempfile.TemporaryDirectory(prefix="autograder-exam-") as folder:
        handout = Path(folder) / ("starter" + path.suffix.lower())
        handout.write_text("\n\n".join(c.source for c in given), encoding="utf-8")
        try:
            with NotebookSession(cells, sandbox_spec(category, exam, view, handout),
                                 TimeLimits(cell_s=budget.wall_s, call_s=60.0, total_s=budget.wall_s)) as session:
                records = session.execute()
                name, data = session.value(_NAME), session.value(_BYTES)
        except SandboxError as error:
            return Outcome("error", key="exam.grader_error", params={"detail": str(error)[:300]})
    for record in records:
        if record.status in ("timeout", "killed", "oom"):
            return refused("exam.starter_stopped", status=record.status, cpu_s=budget.cpu_s, wall_s=budget.wall_s,
                           memory_mb=budget.memory_mb)
        if record.status == "error" and record.error is not None:
            return refused("exam.starter_failed", ename=record.error.get("ename", "")[:100],
                           evalue=record.error.get("evalue", "")[:300])
    found = name.value if name.status == "ok" and isinstance(name.value, str) else ""
    if found not in ("mymodel.keras", "mymodel.h5"):
        return refused("exam.starter_no_model")
    if data.status != "ok" or not isinstance(data.value, np.ndarray) or data.value.dtype != np.uint8 \
            or data.value.ndim != 1:
        return refused("exam.starter_model_too_large", name=found, limit_mb=f"{exam.config.max_model_mb:g}")
    if data.value.size > exam.max_bytes:
        return refused("exam.starter_model_too_large", name=found, limit_mb=f"{exam.config.max_model_mb:g}")
    target = staging / found
    target.write_bytes(data.value.tobytes())
    return target
