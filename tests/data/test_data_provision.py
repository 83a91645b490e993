"""Data provisioning: what each assignment declares, where it is, getting it, and refusing to grade without it.

Real files from the course data folder (../shared) are copied or linked into
temporary Keras caches and data folders; nothing here downloads (``offline``,
and the machines have no network) or writes to ../shared.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from autograder import grade
from autograder.cli import main as cli
from autograder.config import load_config
from autograder.data import catalogue, keras_files, provision
from autograder.data.declaration import DATA_FILE, load_needs
from autograder.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions"
POINTS = {"kfold_regression": "{q1: 2, q2: 3, q3: 4, q4: 2, q5: 3}",
          "mnist_cnn": "{q1: 3, q2: 3, q3: 2, q4: 3, q5: 3, q6: 3, q7: 3}",
          "text_classification": "{q1: 4, q2: 3, q3: 5, q4: 3, q5: 3, q6: 3, q7: 2}",
          "activity_lstm": "{q1: 4, q2: 3, q3: 3, q4: 3, q5: 4, q6: 2, q7: 2}",
          "vgg16_transfer": "{q1: 2, q2: 3, q3: 4, q4: 4, q5: 3}"}


def _config(root: Path, data_dir: Path | None) -> Path:
    """A course config over the repository's solutions whose course data folder is ``data_dir``."""
    root.mkdir(parents=True, exist_ok=True)
    assignments = "\n".join(f"  {name}:\n    points: {points}" for name, points in POINTS.items())
    data = f"data_dir: {data_dir}\n" if data_dir is not None else ""
    path = root / "grading_config.yaml"
    path.write_text(f"{data}solutions_dir: {SOLUTIONS}\nassignments_dir: {ROOT / 'assignments'}\n"
                    f"results_dir: results\ngradebook: gradebook.sqlite\nassignments:\n{assignments}\n")
    return path


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A fresh machine: an empty course data folder and an empty Keras cache (KERAS_HOME)."""
    monkeypatch.delenv("AUTOGRADER_DATA_DIR", raising=False)
    data_dir, cache = tmp_path / "data", tmp_path / "keras-home"
    data_dir.mkdir()
    cache.mkdir()
    monkeypatch.setenv("KERAS_HOME", str(cache))
    return {"data_dir": data_dir, "cache": cache, "config": _config(tmp_path / "course", data_dir)}


def _needs_and_context(paths: dict[str, Path], name: str) -> tuple[provision.DataNeeds, provision.Context]:
    config = load_config(paths["config"])
    context = provision.Context.of(config, paths["config"], keras_cache=paths["cache"])
    return provision.needs_of(config, name, paths["config"]), context


def _snapshot(folder: Path) -> dict[str, tuple[int, float]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime) for p in folder.rglob("*") if p.is_file()}


# ---------------------------------------------------------------------------------------------------
# declarations


def test_every_assignment_declares_its_data_and_the_course_folder_answers_every_required_file(
        tmp_path: Path, shared_data: Path) -> None:
    folders = sorted(p for p in SOLUTIONS.iterdir() if (p / f"{p.name}.ipynb").is_file())
    assert folders and all((p / DATA_FILE).is_file() for p in folders), [p.name for p in folders]
    config = load_config(_config(tmp_path / "course", shared_data))
    context = provision.Context.of(config, tmp_path / "course" / "grading_config.yaml", keras_cache=tmp_path / "none")
    declared = {}
    for folder in folders:
        needs = load_needs(folder, folder.name)
        declared[folder.name] = {need.name for need in needs.keras} | {need.path for need in needs.course}
        items = provision.status(needs, context)
        assert all(item.present for item in items if item.required), [(i.item, i.problem) for i in items]
    assert declared["kfold_regression"] == {"boston_housing.npz"}
    assert declared["text_classification"] == {"imdb.npz", "reuters.npz"}
    assert declared["activity_lstm"] == {"data/daily_sports.zip"}
    assert declared["tensor_ops"] == set()


def test_a_declaration_must_say_what_keras_says(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / DATA_FILE).write_text(textwrap.dedent("""\
        keras:
          - name: mnist.npz
            origin: https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz
            hash: 0000000000000000000000000000000000000000000000000000000000000000
        """))
    with pytest.raises(ConfigError) as caught:
        load_needs(folder, "demo")
    assert caught.value.key == "keras.0.hash" and str(folder / DATA_FILE) in str(caught.value)
    (folder / DATA_FILE).write_text("course:\n  - path: ../outside.zip\n")
    with pytest.raises(ConfigError, match=r"without '\.\.'"):
        load_needs(folder, "demo")
    (folder / DATA_FILE).write_text("keras:\n  - name: mnist.npz\n    orgin: x\n")
    with pytest.raises(ConfigError) as caught:
        load_needs(folder, "demo")
    assert caught.value.key == "keras.0.orgin" and "did you mean 'origin'" in str(caught.value)


def test_the_catalogue_says_what_the_installed_keras_says() -> None:
    import keras

    source = Path(keras.__file__).parent / "src"
    texts = {"vgg16": (source / "applications" / "vgg16.py").read_text()}
    for name in catalogue.DATASETS:
        if name != "vgg16":
            texts[name] = (source / "datasets" / f"{name}.py").read_text()
    for name, files in catalogue.DATASETS.items():
        flat = re.sub(r'"\s*\n\s*"', "", texts[name])  # Keras splits long strings over lines
        for known in files:
            assert known.name in flat and known.origin.rsplit("/", 1)[0] in flat, (name, known.name)
            if known.file_hash is not None:
                assert known.file_hash in flat, (name, known.name)
            else:
                assert "file_hash" not in flat, name  # Keras checks none: neither do we
    assert catalogue.KNOWN[("datasets", "mnist.npz")].file_hash == keras_files.KERAS_FILES["mnist.npz"]


# ---------------------------------------------------------------------------------------------------
# status and fetch


def test_fetch_copies_genuine_files_from_a_mirror_into_an_empty_keras_cache(
        empty: dict[str, Path], shared_data: Path) -> None:
    needs, context = _needs_and_context(empty, "mnist_cnn")
    before = provision.status(needs, context)
    assert [(i.item, i.present) for i in before] == [("mnist.npz", False)]
    problem = str(before[0].problem)
    assert str(empty["cache"] / "datasets") in problem and str(empty["data_dir"]) in problem
    shared_before = _snapshot(shared_data)
    outcomes = provision.fetch(needs, context, from_dir=shared_data, offline=True)
    target = empty["cache"] / "datasets" / "mnist.npz"
    assert [(o.action, o.target) for o in outcomes] == [("copied", target)]
    assert target.is_file() and not target.is_symlink() and keras_files.is_genuine(target, "mnist.npz")
    after = provision.status(needs, context)
    assert after[0].present and after[0].where == "Keras cache" and after[0].path == target
    assert keras_files.resolve(empty["data_dir"], empty["cache"])["mnist.npz"] == target.resolve()  # what grading uses
    again = provision.fetch(needs, context, from_dir=shared_data, offline=True)
    assert [o.action for o in again] == ["present"]
    assert _snapshot(shared_data) == shared_before


def test_fetch_links_from_the_configured_data_dir(tmp_path: Path, shared_data: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUTOGRADER_DATA_DIR", raising=False)
    paths = {"cache": tmp_path / "keras-home", "config": _config(tmp_path / "course", shared_data)}
    needs, context = _needs_and_context(paths, "kfold_regression")
    assert provision.status(needs, context)[0].where == "course data (keras/datasets)"  # found, not yet cached
    outcomes = provision.fetch(needs, context, link=True, offline=True)
    target = paths["cache"] / "datasets" / "boston_housing.npz"
    assert [o.action for o in outcomes] == ["linked"] and outcomes[0].source == str(shared_data)
    assert target.is_symlink() and target.resolve() == (shared_data / "keras/datasets/boston_housing.npz").resolve()
    assert provision.status(needs, context)[0].where == "Keras cache"


def test_a_file_whose_hash_is_not_keras_is_refused(empty: dict[str, Path], tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    (mirror / "keras" / "datasets").mkdir(parents=True)
    (mirror / "keras" / "datasets" / "mnist.npz").write_bytes(b"not the MNIST Keras downloads")
    needs, context = _needs_and_context(empty, "mnist_cnn")
    outcomes = provision.fetch(needs, context, from_dir=mirror, offline=True)
    assert [o.action for o in outcomes] == ["missing"]
    assert len(outcomes[0].refused) == 1 and str(mirror / "keras/datasets/mnist.npz") in outcomes[0].refused[0]
    assert "sha256" in outcomes[0].refused[0]
    assert not (empty["cache"] / "datasets" / "mnist.npz").exists()
    assert provision.status(needs, context)[0].present is False


def test_a_broken_file_in_the_keras_cache_is_missing_and_replaced_by_a_genuine_one(
        empty: dict[str, Path], shared_data: Path) -> None:
    broken = empty["cache"] / "datasets" / "boston_housing.npz"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"a partial download")
    needs, context = _needs_and_context(empty, "kfold_regression")
    item = provision.status(needs, context)[0]
    assert not item.present and "is not Keras' file" in str(item.problem)
    assert [o.action for o in provision.fetch(needs, context, from_dir=shared_data, offline=True)] == ["copied"]
    assert keras_files.is_genuine(broken, "boston_housing.npz")


def test_rebuilt_copies_go_to_the_data_folder_never_to_the_keras_cache(
        empty: dict[str, Path], shared_data: Path) -> None:
    needs, context = _needs_and_context(empty, "text_classification")
    outcomes = provision.fetch(needs, context, from_dir=shared_data, link=True, offline=True)
    assert [(o.action, o.target) for o in outcomes] == [("linked", empty["data_dir"] / "data/imdb/imdb.npz"),
                                                        ("linked", empty["data_dir"] / "data/reuters/reuters.npz")]
    assert not (empty["cache"] / "datasets").exists()  # Keras' hash check would reject (and delete) them
    items = provision.status(needs, context)
    assert all(i.present and i.where == "course data (rebuilt copy)" for i in items)
    files = keras_files.resolve(empty["data_dir"], empty["cache"])
    assert files["imdb.npz"] == (shared_data / "data/imdb/imdb.npz").resolve()


def test_course_files_come_from_a_mirror_with_their_hash_checked(empty: dict[str, Path], shared_data: Path,
                                                                  tmp_path: Path) -> None:
    needs, context = _needs_and_context(empty, "activity_lstm")
    assert "no file" in str(provision.status(needs, context)[0].problem)
    bad = tmp_path / "bad-mirror" / "data"
    bad.mkdir(parents=True)
    (bad / "daily_sports.zip").write_bytes(b"PK not the UCI archive")
    refused = provision.fetch(needs, context, from_dir=bad.parent, offline=True)
    assert refused[0].action == "missing" and "sha256 differs" in refused[0].refused[0]
    outcomes = provision.fetch(needs, context, from_dir=shared_data, link=True, offline=True)
    target = empty["data_dir"] / "data/daily_sports.zip"
    assert [(o.action, o.target) for o in outcomes] == [("linked", target)]
    item = provision.status(needs, context)[0]
    assert item.present and hashlib.sha256(target.read_bytes()).hexdigest() == needs.course[0].sha256


def test_a_keras_dataset_by_name_fashion_mnist_from_debians_package(empty: dict[str, Path]) -> None:
    system = catalogue.FASHION_MNIST_SYSTEM
    if not (system / "t10k-labels-idx1-ubyte.gz").is_file():
        pytest.skip("Debian's dataset-fashion-mnist is not installed (make system-deps installs it as root)")
    needs, context = _needs_and_context(empty, "fashion_mnist")
    assert not any(i.present for i in provision.status(needs, context))
    outcomes = provision.fetch(needs, context, offline=True)
    assert {o.action for o in outcomes} == {"copied"} and {o.source for o in outcomes} == {
        "Debian package dataset-fashion-mnist"}
    folder = empty["cache"] / "datasets" / "fashion-mnist"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f.name for f in catalogue.DATASETS["fashion_mnist"])
    assert all((folder / p.name).read_bytes() == p.read_bytes() for p in system.glob("*.gz"))
    assert all(i.present and i.where == "Keras cache" for i in provision.status(needs, context))


@pytest.mark.slow
def test_keras_loads_fashion_mnist_offline_from_the_filled_cache(empty: dict[str, Path]) -> None:
    if not (catalogue.FASHION_MNIST_SYSTEM / "t10k-labels-idx1-ubyte.gz").is_file():
        pytest.skip("Debian's dataset-fashion-mnist is not installed (make system-deps installs it as root)")
    assert cli(["--config", str(empty["config"]), "data", "fetch", "fashion_mnist", "--link", "--offline"]) == 0
    code = ("from keras.datasets import fashion_mnist\n(x, y), (a, b) = fashion_mnist.load_data()\n"
            "print(x.shape, a.shape, y[:5].tolist())")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "KERAS_HOME": str(empty["cache"]), "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert run.returncode == 0, run.stderr[-2000:]
    assert "(60000, 28, 28) (10000, 28, 28) [9, 0, 0, 3, 0]" in run.stdout  # Zalando's first training labels


# ---------------------------------------------------------------------------------------------------
# the CLI and grading


def test_data_status_and_fetch_commands_exit_3_until_the_data_is_here(
        empty: dict[str, Path], shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = str(empty["config"])
    assert cli(["--config", config, "data", "status", "kfold_regression"]) == 3
    out = capsys.readouterr().out
    assert "MISSING" in out and "boston_housing.npz" in out and f"--config {config} data fetch kfold_regression" in out
    assert cli(["--config", config, "data", "fetch", "kfold_regression", "--offline"]) == 3
    assert cli(["--config", config, "data", "fetch", "kfold_regression", "--from", str(shared_data)]) == 0
    assert "copied from" in capsys.readouterr().out
    assert cli(["--config", config, "data", "status", "kfold_regression"]) == 0
    assert f"Keras cache: {empty['cache'] / 'datasets' / 'boston_housing.npz'}" in capsys.readouterr().out
    assert cli(["--config", config, "data", "status", "no_such_thing"]) == 2


def test_grade_and_calibrate_refuse_missing_data_before_any_sandbox(
        empty: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def no_sandbox(*args: object, **kwargs: object) -> None:
        raise AssertionError("a sandbox was started although the data is missing")

    monkeypatch.setattr("autograder.sandbox.process.SandboxProcess.__init__", no_sandbox)
    monkeypatch.setattr(grade, "run_batch", no_sandbox)
    monkeypatch.setattr("autograder.grade.calibrate.grade_submission", no_sandbox)  # calibrate grades the reference
    config = str(empty["config"])
    examples = ROOT / "solutions" / "mnist_cnn" / "examples"
    assert cli(["--config", config, "grade", "mnist_cnn", str(examples)]) == 3
    err = capsys.readouterr().err
    assert err.count("error:") == 1 and "mnist.npz" in err
    assert f"autograder --config {config} data fetch mnist_cnn" in err
    assert "internal" not in err
    assert cli(["--config", config, "calibrate", "vgg16_transfer", "--seeds", "0"]) == 3
    err = capsys.readouterr().err
    assert "data/cats_and_dogs_filtered" in err and "data fetch vgg16_transfer --from DIR" in err
    assert "vgg16_weights" not in err  # optional: grading goes on without the weights
    assert not (empty["config"].parent / "gradebook.sqlite").exists()
    assert not (empty["config"].parent / "results").exists()


def test_the_real_cli_refuses_to_grade_without_data_and_names_files_and_command(empty: dict[str, Path]) -> None:
    config = empty["config"]
    examples = ROOT / "solutions" / "kfold_regression" / "examples"
    env = {k: v for k, v in os.environ.items() if k != "AUTOGRADER_DATA_DIR"}
    run = subprocess.run([sys.executable, "-m", "autograder.cli", "--config", str(config), "grade", "kfold_regression",
                          str(examples)], capture_output=True, text=True, timeout=120, cwd=config.parent,
                         env={**env, "KERAS_HOME": str(empty["cache"]), "COLUMNS": "300"})
    assert run.returncode == 3, run.stderr
    assert run.stderr.count("error:") == 1
    assert "boston_housing.npz" in run.stderr and str(empty["data_dir"]) in run.stderr
    assert f"autograder --config {config} data fetch kfold_regression" in run.stderr
    assert "URL fetch failure" not in run.stderr + run.stdout and "internal" not in run.stderr
    assert not (config.parent / "gradebook.sqlite").exists() and not (config.parent / "results").exists()


def test_grading_goes_on_once_the_data_is_fetched(empty: dict[str, Path], shared_data: Path) -> None:
    config = load_config(empty["config"])
    with pytest.raises(provision.MissingData) as caught:
        provision.require(config, "mnist_cnn", empty["config"], keras_cache=empty["cache"])
    assert [i.item for i in caught.value.missing] == ["mnist.npz"]
    needs, context = _needs_and_context(empty, "mnist_cnn")
    provision.fetch(needs, context, from_dir=shared_data, offline=True)
    provision.require(config, "mnist_cnn", empty["config"], keras_cache=empty["cache"])  # no longer raises
