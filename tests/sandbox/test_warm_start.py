"""Warm sandboxes: forked from a template that has imported TensorFlow, and as fresh as a cold one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
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


# A grader process of the run: it forks its sandbox from the template the run published, not one of its own.
GRADER_PROCESS = """
import json, sys, threading, time
from autograder.notebook import CodeCell
from autograder.sandbox import zygote
from autograder.sandbox.process import SandboxSpec
from autograder.sandbox.session import NotebookSession, TimeLimits
session = NotebookSession([CodeCell(0, sys.argv[1])], SandboxSpec(handouts=(), hide=(), seed=3),
                          TimeLimits(cell_s=900, total_s=900))
if sys.argv[2] == 'twice':  # replaced after N sandboxes: N = 1 here
    zygote.MAX_SANDBOXES = 1
    with NotebookSession([CodeCell(0, 'x = 1')], SandboxSpec(handouts=(), hide=(), seed=3), TimeLimits()) as first:
        first.execute()
    print('FIRST', type(list(zygote._CURRENT.values())[-1]).__name__, flush=True)
with session:
    if sys.argv[2] == 'hang':
        threading.Thread(target=session.execute, daemon=True).start()
        while session._process is None:
            time.sleep(0.05)
        print('KEEPER', session._process.popen.pid, flush=True)
        sys.stdin.read()
    records = session.execute()
used = [type(t).__name__ for t in zygote._CURRENT.values()]
print('USED', json.dumps({'start': session.start, 'templates': used, 'status': records[0].status}))
"""


def _published_template() -> zygote.Template:
    first, _ = _run(FIRST_DRAWS)
    assert first.start == "warm"
    template = list(zygote._CURRENT.values())[-1]
    assert isinstance(template, zygote.Template) and template.listening
    return template


def _grader_process(source: str, mode: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", GRADER_PROCESS, source, mode], env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=Path(__file__).resolve().parents[2])


@pytest.mark.usefixtures("warm_available")
def test_grader_processes_fork_from_the_runs_published_template() -> None:
    template = _published_template()
    env = {**os.environ, zygote.SHARED_ENV: zygote.published()}
    assert [str(template.address), template.popen.pid] in json.loads(env[zygote.SHARED_ENV]).values()
    before = _templates_running()
    child = _grader_process("import tensorflow as tf\nprint(int(tf.reduce_sum(tf.ones(3))))", "run", env)
    out, err = child.communicate(timeout=300)
    assert child.returncode == 0, err
    used = json.loads(out.split("USED ", 1)[1])
    assert used == {"start": "warm", "templates": ["Shared"], "status": "ok"}
    assert _templates_running() == before  # no template of its own
    # after MAX_SANDBOXES of its sandboxes, a grader process goes on with a template of its own
    child = _grader_process("x = 2", "twice", env)
    out, err = child.communicate(timeout=300)
    assert child.returncode == 0, err
    assert "FIRST Shared" in out
    assert json.loads(out.split("USED ", 1)[1])["templates"] == ["Template"]
    # a template that is gone: the grader process starts its own, still warm
    dead = {**os.environ, zygote.SHARED_ENV: json.dumps({name: ["/nonexistent/template.sock", 1]
                                                         for name in json.loads(env[zygote.SHARED_ENV])})}
    child = _grader_process("x = 1", "run", dead)
    out, err = child.communicate(timeout=300)
    assert child.returncode == 0, err
    assert json.loads(out.split("USED ", 1)[1])["templates"] == ["Template"]


@pytest.mark.usefixtures("warm_available")
def test_a_grader_process_that_dies_takes_its_shared_sandboxes_with_it() -> None:
    _published_template()
    env = {**os.environ, zygote.SHARED_ENV: zygote.published()}
    child = _grader_process("import time\ntime.sleep(600)", "hang", env)
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line.startswith("KEEPER"), child.stderr.read() if child.stderr else line
    keeper = int(line.split()[1])
    assert Path(f"/proc/{keeper}").exists()
    child.kill()
    child.wait()
    deadline = time.monotonic() + 20
    while _alive(keeper) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(keeper), "the sandbox outlived the grader process it was forked for"
    # the template goes on serving the others
    again, _ = _run(FIRST_DRAWS)
    assert again.start == "warm"


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _templates_running() -> int:
    count = 0
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            count += b"autograder.sandbox.zygote" in cmdline.read_bytes()
        except OSError:
            pass
    return count
