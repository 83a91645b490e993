"""``autograder export gradescope ID``: a Gradescope autograder zip for one assignment.

The zip (Gradescope's "autograder specifications": ``setup.sh`` and ``run_autograder`` at its root, extracted
into ``/autograder/source``) holds:

- ``setup.sh``: run once as root when Gradescope builds the image (Ubuntu): installs Python 3.11 and this package
  with its dependencies from ``package/`` into ``/autograder/venv``, and, when the assignment declares datasets
  (``data.yaml``), fetches them with ``autograder data fetch`` (the image build has network; grading has none);
- ``run_autograder``: grades ``/autograder/submission/*.ipynb`` with this project's sandbox and writes
  ``/autograder/results/results.json`` (:mod:`autograder.interchange.gradescope_run`);
- ``package/``: this package's source (``pyproject.toml``, ``README.md``, ``autograder/``);
- ``course/``: ``grading_config.yaml`` (the course settings of the assignment: points, handouts, due, limits,
  language) and ``solutions/<id>/`` (reference, checks, messages, hand-outs: everything the grader reads).

Hidden checks' tests get ``after_due_date`` visibility, public ones ``visible`` (:mod:`autograder.report.gradescope`).
"""

from __future__ import annotations

import shutil
import stat
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import yaml

from autograder.assignment_files import PUBLIC_CHECKS
from autograder.config import is_assignment_folder, load_config
from autograder.errors import ConfigError

PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the checkout: pyproject.toml, README.md, autograder/
ENV_ROOT = "AUTOGRADER_GRADESCOPE_ROOT"  # run_autograder: the folder holding autograder/ (default /)
ENV_PYTHON = "AUTOGRADER_GRADESCOPE_PYTHON"  # run_autograder: the interpreter (default /autograder/venv's)
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", ".pytest_cache")

RUN_AUTOGRADER = f"""#!/usr/bin/env bash
# Gradescope runs this for every submission (working directory /autograder). {ENV_ROOT} and {ENV_PYTHON}
# let a test run it in a simulated layout (<root>/autograder/source, submission, results).
set -u
ROOT="${{{ENV_ROOT}:-/}}"
PYTHON="${{{ENV_PYTHON}:-$ROOT/autograder/venv/bin/python}}"
exec "$PYTHON" -m autograder.interchange.gradescope_run --root "$ROOT" --assignment @ASSIGNMENT@
"""

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu; network available).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends software-properties-common util-linux
if ! command -v python3.11 >/dev/null; then
    add-apt-repository -y universe
    apt-get update
    apt-get install -y --no-install-recommends python3.11 python3.11-venv
fi
python3.11 -m venv /autograder/venv
/autograder/venv/bin/pip install --upgrade pip
/autograder/venv/bin/pip install /autograder/source/package
chmod +x /autograder/source/run_autograder
{data}"""

DATA_FETCH = ("cd /autograder/source/course && /autograder/venv/bin/autograder --config grading_config.yaml "
              "data fetch {assignment}\n")


def _course_config(config_path: Path, assignment: str, isolation: str) -> dict[str, Any]:
    """The course settings the zip's grader needs, from the instructor's config (paths made the zip's own)."""
    config = load_config(config_path)
    settings = config.assignment(assignment, str(config_path))
    dumped = settings.model_dump(mode="json", exclude_none=True)
    return {
        "course": config.course,
        "language": config.language,
        "seed": config.seed,
        "timezone": config.timezone,
        "isolation": isolation,
        "solutions_dir": "solutions",
        "assignments_dir": "assignments",
        "results_dir": "results",
        "gradebook": "gradebook.sqlite",
        "workers": 1,
        "limits": config.limits.model_dump(mode="json", exclude_none=True),
        "assignments": {assignment: dumped},
    }


def export_gradescope(assignment: str, *, config_path: Path, output: Path | None = None,
                      isolation: str = "auto") -> Path:
    """Write ``<id>-gradescope.zip`` (or ``output``) for ``assignment``; return its path."""
    config = load_config(config_path)
    folder = config.solutions_dir / assignment
    if not is_assignment_folder(folder):
        raise ConfigError(str(folder), f"is not an assignment folder ({assignment}.ipynb and {PUBLIC_CHECKS}): "
                                       "check the id and solutions_dir in the config")
    course = _course_config(config_path, assignment, isolation)
    course = {k: v for k, v in course.items() if v is not None}
    handouts = course["assignments"][assignment].get("handouts", [])
    for item in handouts:
        if not (folder / item).is_file():
            raise ConfigError(str(config_path), f"assignments.{assignment}.handouts: {item!r} is not in {folder}")
    target = output or Path(f"{assignment}-gradescope.zip")
    with tempfile.TemporaryDirectory(prefix="autograder-gradescope-") as scratch:
        root = Path(scratch)
        package = root / "package"
        package.mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copyfile(PACKAGE_ROOT / name, package / name)
        shutil.copytree(PACKAGE_ROOT / "autograder", package / "autograder", ignore=_SKIP)
        shutil.copytree(folder, root / "course" / "solutions" / assignment, ignore=_SKIP)
        (root / "course" / "grading_config.yaml").write_text(
            f"# written by `autograder export gradescope {assignment}`\n"
            + yaml.safe_dump(course, sort_keys=False, allow_unicode=True), encoding="utf-8")
        data = DATA_FETCH.format(assignment=assignment) if (folder / "data.yaml").is_file() else ""
        (root / "setup.sh").write_text(SETUP.format(data=data), encoding="utf-8")
        (root / "run_autograder").write_text(RUN_AUTOGRADER.replace("@ASSIGNMENT@", assignment), encoding="utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    info = zipfile.ZipInfo.from_file(path, path.relative_to(root).as_posix())
                    executable = path.name in ("setup.sh", "run_autograder")
                    info.external_attr = ((0o755 if executable else 0o644) | stat.S_IFREG) << 16
                    info.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(info, path.read_bytes())
    return target
