"""The hostile corpus, graded in one real run beside honest submissions.

For every attack: the score is what the honest part earns and never more, the
run stays within its limits, the honest submissions in the same run are graded
correctly, and no process, temporary folder or control group is left behind.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import tempfile
import threading
from pathlib import Path

import pytest

from autograder import grade
from autograder.sandbox import process
from tests.conftest import GOOD_ADD, GOOD_RELU, HIDDEN_MARKER, WRONG_ADD, write_notebook
from tests.hostile.corpus import ATTACKS

CONTROLS = {"good": ([GOOD_RELU, GOOD_ADD], 8.0), "half": ([GOOD_RELU, WRONG_ADD], 4.0)}


RUN_TOKEN = f"hostile-{os.getpid()}"


def _sandbox_processes() -> list[int]:
    """PIDs of processes running as a sandbox uid that belong to this test's grading run."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
                environ = (entry / "environ").read_bytes().split(b"\0")
            except OSError:
                continue
            uid = int(status.split("Uid:")[1].split()[0])
            if uid >= process._UID_BASE and f"AUTOGRADER_RUN={RUN_TOKEN}".encode() in environ:
                found.append(int(entry.name))
    return found




class _Listener:
    """A TCP server on 127.0.0.1 that records whether anything connected."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.server.settimeout(0.2)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.server.close()


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Grade every attack and the controls in one run; return results and what was observed."""
    from tests.conftest import make_course

    root = tmp_path_factory.mktemp("hostile")
    home = _instructor_home(root)
    config = make_course(home / "course")
    with config.open("a") as stream:
        stream.write(f"data_dir: {json.dumps(str(home / 'shared'))}\n")
    results_dir = home / "course" / "results" / "demo"
    submissions = root / "submissions"
    listener = _Listener()
    fill = {"{solutions}": str(home / "course" / "solutions"), "{results}": str(results_dir),
            "{port}": str(listener.port), "{home}": str(home), "{secret}": HIDDEN_MARKER}
    attacks = [a for a in ATTACKS if not a.slow]
    for attack in attacks:
        cells = []
        for cell in attack.cells:
            for placeholder, value in fill.items():
                cell = cell.replace(placeholder, value)
            cells.append(cell)
        write_notebook(submissions / f"x_{attack.name}.ipynb", *cells)
    for name, (cells, _) in CONTROLS.items():
        write_notebook(submissions / f"{name}.ipynb", *cells)
    private_tmp = root / "tmp"
    private_tmp.mkdir()
    # observe only this run's temp files and processes, in the grader processes too (spawned, they inherit env)
    saved, tempfile.tempdir = tempfile.tempdir, str(private_tmp)
    saved_env = {name: os.environ.get(name) for name in ("TMPDIR", "AUTOGRADER_RUN")}
    os.environ.update(TMPDIR=str(private_tmp), AUTOGRADER_RUN=RUN_TOKEN)
    try:
        summary = grade.main(assignment="demo", inputs=[submissions], config_path=config,
                             options=grade.RunOptions(workers=2))
    finally:
        tempfile.tempdir = saved
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        listener.close()
    return {"summary": summary, "attacks": attacks, "connections": listener.connections,
            "results_dir": results_dir, "tempdirs": {p.name for p in private_tmp.iterdir()}, "home": home}


def _instructor_home(root: Path) -> Path:
    """A home-like folder holding the course (with its config and results), its data folder and, beside
    them, what a sandbox must never read: a second copy of the course with its hidden checks, a
    gradebook and downloaded submissions of another section (each with the secret marker).

    It lies under ``/home`` when this process may write there (the folder every sandbox covers and
    brings back only in part), else under ``root``; it is removed when the test session ends.
    """
    base = Path("/home")
    home = base / f"ag-hostile-{os.getpid()}" if base.is_dir() and os.access(base, os.W_OK) else root / "home"
    if home.parent == base:
        atexit.register(shutil.rmtree, home, True)
    (home / "shared" / "data").mkdir(parents=True)
    (home / "shared" / "data" / "readings.csv").write_text("1,2,3\n")
    copy = home / "course-2025" / "solutions" / "demo"
    copy.mkdir(parents=True)
    (copy / "hidden_checks.py").write_text(f"# {HIDDEN_MARKER}\n")
    (home / "gradebook.sqlite").write_bytes(b"SQLite format 3\0" + HIDDEN_MARKER.encode())
    (home / "downloads" / "section-b").mkdir(parents=True)
    (home / "downloads" / "section-b" / "kim.ipynb").write_text(HIDDEN_MARKER)
    return home


def _result(graded: dict[str, object], student: str):  # type: ignore[no-untyped-def]
    summary = graded["summary"]
    return next(r for r in summary.results if r.student == student)  # type: ignore[attr-defined]


@pytest.mark.slow
@pytest.mark.parametrize("attack", [a.name for a in ATTACKS if not a.slow])
def test_attack_earns_only_the_honest_points(graded: dict[str, object], attack: str) -> None:
    chosen = {a.name: a for a in graded["attacks"]}  # type: ignore[attr-defined]
    result = _result(graded, f"x_{attack}")
    assert result.points == chosen[attack].honest, (result.status, result.reasons, result.questions)
    assert result.seconds < 60 + 10  # the config's wall_time_s, plus start-up and clean-up


@pytest.mark.slow
def test_honest_submissions_in_the_same_run_are_graded_correctly(graded: dict[str, object]) -> None:
    for name, (_, points) in CONTROLS.items():
        result = _result(graded, name)
        assert (result.status, result.points) == ("graded", points)


@pytest.mark.slow
def test_results_on_disk_are_the_graders(graded: dict[str, object]) -> None:
    results_dir: Path = graded["results_dir"]  # type: ignore[assignment]
    assert json.loads((results_dir / "good.json").read_text())["points"] == 8.0
    assert not (results_dir / "evil.json").exists()
    assert '"points": 100' not in (results_dir / "grades.csv").read_text()
    assert sorted(p.name for p in results_dir.glob("*.json")) == sorted(
        f"{r.student}.json" for r in graded["summary"].results)  # type: ignore[attr-defined]
    assert not (results_dir / "feedback" / "evil.html").exists()


@pytest.mark.slow
def test_hidden_checks_were_not_readable(graded: dict[str, object]) -> None:
    result = _result(graded, "x_read_checks_from_disk")
    assert "LEAKED 0" in result.output


_SYSTEM = {"bin", "sbin", "lib", "lib32", "lib64", "libx32", "usr", "etc", "dev", "proc", "sys", "tmp"}


@pytest.mark.slow
def test_nothing_outside_the_interpreter_is_visible(graded: dict[str, object]) -> None:
    """Other folders at ``/`` (another checkout of the course, homes, /opt, /var...) show nothing
    but the path to the interpreter, the package and its environment; files at ``/`` read empty."""
    output = _result(graded, "x_explore_the_machine").output
    seen = json.loads(output.split("ROOT ", 1)[1].splitlines()[0])
    needed = [Path(p) for p in process._reachable_paths()] + [graded["home"] / "shared"]  # type: ignore[operator]
    for name, listing in seen.items():
        if name in _SYSTEM:
            continue
        if isinstance(listing, str):
            assert listing == "", f"/{name} is readable"
            continue
        allowed = {p.parts[2] for p in needed if len(p.parts) > 2 and p.parts[1] == name}
        assert set(listing or []) <= allowed, f"/{name} shows {sorted(set(listing or []) - allowed)}"
    under_tmp = {p.parts[2] for p in needed if len(p.parts) > 2 and p.parts[1] == "tmp"}
    assert set(seen["tmp"]) - under_tmp == {"work"}


@pytest.mark.slow
def test_nothing_beside_the_data_folder_is_visible(graded: dict[str, object]) -> None:
    """The data folder sits in an instructor's home beside another course copy, a gradebook and
    submissions: the sandbox sees the data's own files and nothing else there."""
    output = _result(graded, "x_read_beside_the_data").output
    leaked, shown = output.split("BESIDE ", 1)[1].splitlines()[0].split(" ", 1)
    assert leaked == "0"
    home = graded["home"]
    assert json.loads(shown.replace("'", '"')) == [f"{home}/shared/data/readings.csv"]


@pytest.mark.slow
def test_control_groups_are_hidden(graded: dict[str, object]) -> None:
    assert "CGROUP 0" in _result(graded, "x_read_control_groups").output


@pytest.mark.slow
def test_forged_plots_are_dropped(graded: dict[str, object]) -> None:
    assert _result(graded, "x_forged_figures").figures == ()


@pytest.mark.slow
def test_no_network_reaches_loopback(graded: dict[str, object]) -> None:
    assert graded["connections"] == 0


@pytest.mark.slow
def test_statuses_name_what_happened(graded: dict[str, object]) -> None:
    status = {a.name: _result(graded, f"x_{a.name}").status for a in graded["attacks"]}  # type: ignore[attr-defined]
    assert status["infinite_loop"] == status["sleep_forever"] == status["ignore_signals"] == "timed_out"
    assert status["hang_in_call"] == "timed_out"
    assert status["os_exit"] == status["exit_in_call"] == "crashed"
    # inside its PID namespace the worker is init: the kernel ignores signals it sends itself
    assert status["kill_parent"] == status["kill_everything"] == "graded"
    assert status["allocate_until_killed"] == "out_of_memory"
    assert status["patch_numpy_compare"] == "graded"


@pytest.mark.slow
def test_output_is_capped(graded: dict[str, object]) -> None:
    output = _result(graded, "x_print_flood").output
    assert len(output.encode()) < 2 * 64 * 1024 + 200
    assert "more bytes of output dropped" in output


@pytest.mark.slow
def test_nothing_is_left_behind(graded: dict[str, object]) -> None:
    assert graded["tempdirs"] == set()
    assert _sandbox_processes() == []
    cgroups = Path("/sys/fs/cgroup/memory/autograder")
    if cgroups.is_dir():
        ours = set(_sandbox_processes())
        others = {p.name for p in cgroups.iterdir() if p.is_dir()
                  and any(int(pid) not in ours for pid in (p / "cgroup.procs").read_text().split())}
        # a control group of another grading run on this machine holds that run's live sandboxes
        assert [p.name for p in cgroups.iterdir() if p.is_dir() and p.name not in others] == []


@pytest.mark.slow
@pytest.mark.parametrize("attack", [a.name for a in ATTACKS if a.slow])
def test_attacks_that_need_tensorflow(tmp_path: Path, attack: str) -> None:
    """Attacks that import Keras get a cell limit that lets the import finish, so the patch really runs."""
    from tests.conftest import make_course

    chosen = {a.name: a for a in ATTACKS}[attack]
    config = make_course(tmp_path / "course", cell_time_s=60)
    write_notebook(tmp_path / "subs" / "attacker.ipynb", *chosen.cells)
    summary = grade.main(assignment="demo", inputs=[tmp_path / "subs"], config_path=config)
    (result,) = summary.results
    assert (result.status, result.points) == ("graded", chosen.honest), result.reasons
