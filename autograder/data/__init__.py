"""Course data: where the Keras dataset files and the course's own data come from, offline.

Notebooks name course files with :func:`course_path` (``course_path("data",
"daily_sports.zip")``): in the sandbox it points into the course data folder,
mounted read-only; on a student's machine, at the folder named by
``AUTOGRADER_DATA_DIR``.
"""

from __future__ import annotations

import os
from pathlib import Path

from autograder.i18n import DEFAULT_LANGUAGE, message

COURSE_DATA_ENV = "AUTOGRADER_COURSE_DATA"  # set by the sandbox
USER_DATA_ENV = "AUTOGRADER_DATA_DIR"  # set by a student or instructor (also overrides grading_config.yaml)


def course_path(*parts: str) -> Path:
    """A file or folder in the course data folder; a clear error when there is none."""
    base = os.environ.get(COURSE_DATA_ENV) or os.environ.get(USER_DATA_ENV)
    lang = os.environ.get("AUTOGRADER_LANG", DEFAULT_LANGUAGE)
    if not base:
        raise FileNotFoundError(message("data.no_course_data", lang, env=USER_DATA_ENV))
    path = Path(base, *parts)
    if not path.exists():
        raise FileNotFoundError(message("data.course_file_missing", lang, path=str(path)))
    return path
