"""Warm sandboxes: forked from a template that has imported TensorFlow, and as fresh as a cold one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograder import grade
from autograder.notebook import CodeCell
from autograder.sandbox import process, zygote
from autograder.sandbox.process import SandboxSpec
from autograder.sandbox.session import NotebookSession, TimeLimits
from tests.conftest import GOOD_ADD, GOOD_RELU, write_notebook

pytestmark = pytest.mark.slow

FIRST_DRAWS = """
import random, numpy as np
first = {'random': random.random(), 'numpy': float(np.random.rand())}
"""

MESS = """
import builtins, os, sys, types, random
import numpy as np, keras
builtins.LEAKED = 1
sys.modules['leaky'] = types.ModuleType('leaky')
np.LEAKED = 1
np.random.seed(999)
random.seed(5)
keras.config.set_floatx('float16')
keras.saving.get_custom_objects()['Leak'] = object
os.environ['LEAKED'] = '1'
open('/tmp/leak.txt', 'w').write('x')
open('/tmp/work/leak.txt', 'w').write('x')
os.makedirs('/tmp/keras/leak', exist_ok=True)
secret_global = 42
"""

LOOK = """
import builtins, os, sys, json
import keras
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation='softmax')])
model.compile(optimizer='rmsprop', loss='sparse_categorical_crossentropy')
history = model.fit(np.arange(48, dtype='float32').reshape(16, 3) / 48, np.arange(16) % 2, epochs=2, verbose=0)
seen = {'builtins': hasattr(builtins, 'LEAKED'), 'module': 'leaky' in sys.modules, 'numpy': hasattr(np, 'LEAKED'),
        'floatx': keras.config.floatx(), 'custom': 'Leak' in keras.saving.get_custom_objects(),
        'environ': 'LEAKED' in os.environ, 'tmp': os.path.exists('/tmp/leak.txt'),
        'work': os.path.exists('/tmp/work/leak.txt'), 'keras_dir': os.path.exists('/tmp/keras/leak'),
        'global': 'secret_global' in globals(), 'first': first, 'loss': history.history['loss'],
        'hash': hash('abc')}
print('SEEN', json.dumps(seen))
"""


@pytest.fixture(scope="module")
def warm_available() -> Iterator[None]:
    reason = zygote.unavailable(process.isolation_mode())
    if reason is not None:
        pytest.skip(f"sandboxes start cold here: {reason}")
    yield
    zygote.close_all()


def _run(*cells: str, warm: bool = True) -> tuple[NotebookSession, dict[str, object] | None]:
    spec = SandboxSpec(handouts=(), hide=(), seed=3, warm=warm)
    session = NotebookSession([CodeCell(i, c) for i, c in enumerate(cells)], spec,
                              TimeLimits(cell_s=120, call_s=10, total_s=300))
    with session:
        records = session.execute()
    assert all(r.status == "ok" for r in records), (records, session.output())
    output = session.output()
    seen = json.loads(output.split("SEEN ", 1)[1].splitlines()[0]) if "SEEN " in output else None
    return session, seen


@pytest.mark.usefixtures("warm_available")
def test_nothing_one_submission_does_is_seen_by_the_next() -> None:
    messy, _ = _run(FIRST_DRAWS, MESS)
    after, seen = _run(FIRST_DRAWS, LOOK)
    cold, fresh = _run(FIRST_DRAWS, LOOK, warm=False)
    assert (messy.start, after.start, cold.start) == ("warm", "warm", "cold")
    assert seen is not None and fresh is not None
    assert {k: v for k, v in seen.items() if k not in ("first", "loss", "hash")} == {
        "builtins": False, "module": False, "numpy": False, "floatx": "float32", "custom": False,
        "environ": False, "tmp": False, "work": False, "keras_dir": False, "global": False}
    # the same random state and the same training as in a fresh interpreter
    assert seen["first"] == fresh["first"]
    assert seen["loss"] == fresh["loss"]


@pytest.mark.usefixtures("warm_available")
def test_a_template_that_died_is_replaced() -> None:
    first, _ = _run(FIRST_DRAWS)
    assert first.start == "warm"
    templates = list(zygote._CURRENT.values())
    assert templates
    for template in templates:
        template.popen.kill()
        template.popen.wait()
    again, _ = _run(FIRST_DRAWS)
    assert again.start == "warm"
    used = list(zygote._CURRENT.values())[-1]  # the most recently used is kept last
    assert used.alive() and used not in templates


@pytest.mark.usefixtures("warm_available")
def test_the_run_says_how_sandboxes_start(course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(zygote.START_ENV, "auto")  # grade.main sets it from the config: undone afterwards
    submissions = tmp_path / "subs"
    write_notebook(submissions / "kim.ipynb", GOOD_RELU, GOOD_ADD)
    grade.main(assignment="demo", inputs=[submissions], config_path=course,
               options=grade.RunOptions(workers=1, gradebook=str(tmp_path / "book.sqlite")))
    assert "sandboxes: isolation root, warm starts" in capsys.readouterr().err
    with course.open("a") as stream:
        stream.write("sandbox_start: cold\n")
    summary = grade.main(assignment="demo", inputs=[submissions], config_path=course,
                         options=grade.RunOptions(workers=1, gradebook=str(tmp_path / "cold.sqlite")))
    assert "cold starts (sandbox_start: cold in the configuration)" in capsys.readouterr().err
    assert [r.points for r in summary.results] == [8.0]
