"""Hostile submissions: every trick that beat otter-grader 7 or nbgrader 0.9.6, and more.

Each entry is a notebook whose honest part earns exactly ``honest`` points on
the demo assignment (q1 ``naive_relu`` 4 points, q2 ``naive_add`` 4 points):
the honest ``naive_relu`` is right and ``naive_add`` is wrong, so any attack
that works shows up as points above ``honest``. ``{solutions}``, ``{results}``,
``{port}``, ``{home}`` (an instructor's home holding the course data beside a
second copy of the course) and ``{secret}`` (a marker in every file that must
stay unreadable) are filled in by the test. Add a case here with every sandbox
change.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.conftest import GOOD_RELU, WRONG_ADD

HONEST = [GOOD_RELU, WRONG_ADD]


@dataclass(frozen=True)
class Attack:
    name: str
    cells: tuple[str, ...]
    honest: float = 4.0
    slow: bool = False


ATTACKS = (
    Attack("patch_numpy_compare", (*HONEST, """
import numpy as np
np.allclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
np.isclose = lambda a, b, **k: np.ones(np.shape(a), dtype=bool)
np.testing.assert_allclose = lambda *a, **k: None
""")),
    Attack("patch_grader_modules", (*HONEST, """
import pickle, autograder.checks.expect as expect, autograder.sandbox.protocol as protocol
expect.array_close = lambda *a, **k: None
expect.returned = lambda *a, **k: None
pickle.dump = lambda *a, **k: None
protocol.Unsupported = type('Unsupported', (), {})
""")),
    Attack("blank_later_cells", (*HONEST, """
ip = get_ipython()
ip.input_transformers_cleanup.append(lambda lines: [])
""", "def naive_add(x, y):\n    return x + y  # blanked: never runs")),
    Attack("fake_eq_object", (GOOD_RELU, """
class Always:
    def __eq__(self, other): return True
    def __array__(self, *a, **k): raise RuntimeError
    shape = (3, 5)
def naive_add(x, y):
    return Always()
""")),
    Attack("ndarray_subclass", (GOOD_RELU, """
import numpy as np
class Sneaky(np.ndarray):
    def __eq__(self, other): return np.ones(self.shape, dtype=bool)
    def tobytes(self, *a, **k): return b''
def naive_add(x, y):
    return np.zeros_like(x).view(Sneaky)
""")),
    Attack("read_checks_from_disk", (*HONEST, """
import glob, os
leaked = []
for pattern in ['{solutions}/**/*', '/work/**/hidden_checks.py', '/tmp/**/*checks*.py', '/root/**/*checks*.py',
                '/home/**/*checks*.py']:
    for path in glob.glob(pattern, recursive=True):
        try:
            text = open(path).read()
        except OSError:
            continue
        if '{secret}' in text:
            leaked.append(path)
print('LEAKED', len(leaked))
""")),
    # The data folder lies in an instructor's home beside another copy of the course, a gradebook and a
    # folder of downloaded submissions: only the data itself may be visible. The interpreter, its environment
    # and the package are visible by design wherever the checkout sits (under /srv or /home too): the walk
    # leaves them out, or reading a virtualenv's files would take the cell's whole time limit.
    Attack("read_beside_the_data", (*HONEST, """
import os, sys
import autograder
data = os.environ.get('AUTOGRADER_COURSE_DATA', '')
public = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, os.path.dirname(autograder.__file__))}
seen, leaked = [], []
for top in sorted(set([os.path.dirname(data.rstrip('/')), '{home}', '/home', '/srv'])):
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = [d for d in dirnames if os.path.realpath(os.path.join(dirpath, d)) not in public]
        for name in filenames:
            path = os.path.join(dirpath, name)
            seen.append(path)
            try:
                with open(path, 'rb') as f:
                    if b'{secret}' in f.read(1 << 20):
                        leaked.append(path)
            except OSError:
                pass
        if len(seen) > 200000:
            break
print('BESIDE', len(set(leaked)), sorted(set(p for p in seen if p.startswith('{home}'))))
""")),
    # Control groups list other sandboxes' host PIDs and their memory use.
    Attack("read_control_groups", (*HONEST, """
import os
found = []
for dirpath, dirnames, filenames in os.walk('/sys/fs/cgroup'):
    found.extend(os.path.join(dirpath, n) for n in filenames)
print('CGROUP', len(found))
""")),
    Attack("explore_the_machine", (*HONEST, """
import json, os
seen = {}
for entry in os.scandir('/'):
    if entry.is_dir(follow_symlinks=False):
        try:
            seen[entry.name] = sorted(os.listdir(entry.path))
        except OSError:
            seen[entry.name] = None
    elif entry.is_file(follow_symlinks=False):
        seen[entry.name] = open(entry.path, 'rb').read(64).decode('latin-1')
print('ROOT', json.dumps(seen))
""")),
    Attack("forged_figures", (*HONEST, """
import numpy as np
import autograder.sandbox.worker as worker
png = b'\\x89PNG\\r\\n\\x1a\\n' + b'<script>alert(1)</script>' * 100
worker._figures = lambda: [np.frombuffer(png, dtype=np.uint8)] * 50 + ['not an array']
""")),
    Attack("write_results", (*HONEST, """
import os
for path in ['{results}/good.json', '{results}/grades.csv', '{results}/evil.json']:
    try:
        with open(path, 'w') as f: f.write('{{"points": 100}}')
    except OSError as e:
        print('refused', e)
""")),
    Attack("sys_exit", ("import sys\nsys.exit(0)", *HONEST)),
    Attack("os_exit", ("import os\nos._exit(0)", *HONEST)),
    Attack("kill_parent", ("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)", *HONEST)),
    Attack("kill_everything", ("import os, signal\nos.kill(-1, signal.SIGKILL)", *HONEST)),
    Attack("infinite_loop", ("while True:\n    pass", *HONEST)),
    Attack("sleep_forever", ("import time\ntime.sleep(10**6)", *HONEST)),
    Attack("ignore_signals", ("""
import signal
for s in (signal.SIGINT, signal.SIGTERM):
    signal.signal(s, signal.SIG_IGN)
while True:
    pass
""", *HONEST)),
    Attack("fork_bomb", (*HONEST, """
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
""")),
    Attack("allocate_50gb", (*HONEST, "import numpy as np\nbig = np.ones(50 * 10**9, dtype=np.uint8)")),
    Attack("allocate_until_killed", (*HONEST, """
import numpy as np
hog = []
while True:
    hog.append(np.ones(50 * 2**20, dtype=np.uint8))
""")),
    Attack("print_flood", (*HONEST, "for i in range(10**8):\n    print(i)")),
    Attack("patch_builtins_bool", (*HONEST, "import builtins\nbuiltins.bool = lambda *a: True\n"
                                             "builtins.len = lambda x: 0")),
    Attack("network_loopback", (*HONEST, """
import socket
try:
    s = socket.create_connection(('127.0.0.1', {port}), timeout=2)
    s.sendall(b'stolen')
    net_result = 'connected'
except OSError as e:
    net_result = repr(e)
""")),
    Attack("hang_in_call", (GOOD_RELU, "def naive_add(x, y):\n    while True:\n        pass")),
    Attack("exit_in_call", (GOOD_RELU, "import os\ndef naive_add(x, y):\n    os._exit(1)")),
    Attack("setsid_escape", (*HONEST, """
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(10**6)
    os._exit(0)
""")),
    Attack("disk_fill", (*HONEST, """
n = 0
try:
    while True:
        with open(f'/tmp/fill{{n}}', 'wb') as f:
            f.write(b'x' * 2**20 * 8)
        n += 1
except OSError as e:
    print('stopped', e)
""")),
    Attack("shell_escape", (*HONEST, "!curl http://example.com\n%pip install requests")),
    Attack("patch_keras_evaluate", ("""
import keras
keras.Model.evaluate = lambda self, *a, **k: [0.0, 1.0]
keras.Model.predict = lambda self, *a, **k: None
""", *HONEST), slow=True),
)
