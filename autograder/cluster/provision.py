"""What a worker checks before it grades an assignment: the same engine as the client, the course data by hash.

The engine is the hash of the ``autograder`` package's sources: a worker with
another version would grade differently, so it refuses. The data is checked by
:func:`autograder.data.provision.require` with the bundle's settings and the
worker's own data (``AUTOGRADER_DATA_DIR``, the Keras cache of the user the
worker runs as): Keras files by Keras' hash, course files by their declared
sha256. A worker that lacks them refuses, saying which files and the
``autograder data fetch`` command that gets them there.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import autograder
from autograder.config import load_config
from autograder.data import provision
from autograder.errors import AutograderError

DATA = "data"
ENGINE = "engine"
OTHER = "other"


@dataclass(frozen=True)
class Refusal:
    """Why a worker cannot grade an assignment: ``kind`` (data, engine, sandbox, other) and the full text."""

    kind: str
    message: str


@functools.cache
def engine_hash() -> str:
    """The sha256 of the ``autograder`` package's Python sources, as installed in this process."""
    root = Path(autograder.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def check(config_path: Path, assignment: str, client_engine: str) -> Refusal | None:
    """Whether this machine can grade ``assignment`` of the unpacked bundle at ``config_path`` (None: it can)."""
    if engine_hash() != client_engine:
        return Refusal(ENGINE, f"this worker runs another version of the autograder (sources {engine_hash()[:12]}, "
                               f"the client's {client_engine[:12]}); install the client's version on it")
    try:
        config = load_config(config_path)
        provision.require(config, assignment, config_path)
    except provision.MissingData as error:
        text = str(error).replace(f"--config {config_path} ", "")
        return Refusal(DATA, text + "\n(on the worker: run that command with AUTOGRADER_DATA_DIR set as the "
                                    "worker's, in a checkout of the course, then restart the worker)")
    except AutograderError as error:
        return Refusal(OTHER, str(error))
    return None
