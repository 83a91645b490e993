"""Models graded end to end: offline Keras datasets in the sandbox, models crossing as .keras files,
a calibrated performance threshold, and hostile models refused, through the real CLI and sandbox."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from autograder import cli, grade
from autograder.data import keras_files
from autograder.notebook import CodeCell
from autograder.sandbox.process import SandboxSpec
from autograder.sandbox.session import NotebookSession, TimeLimits
from tests.conftest import write_notebook

CHECKS = '''
from autograder.checks import check, keras_expect, performance
from autograder.data import datasets
from autograder.models.compare import LayerSpec
from autograder.models.describe import describe
from autograder.models.evaluate import mean_absolute_error


@check("q1", weight=2)
def architecture(nb):
    info = describe(keras_expect.model(nb.value("model"), "model"))
    keras_expect.architecture(info, [LayerSpec(kind="Dense", units=8, activation="relu"),
                                     LayerSpec(kind="Dense", units=1, activation="linear")], "model")
    keras_expect.loss(info, ["mse"], "model", "regression")


@check("q1", weight=1)
def history(nb):
    keras_expect.history(nb.value("history"), "history", metrics=("loss", "mae"))


@performance("q2", metric="boston_test_mae", goal="min", margin=1.0)
def test_mae(nb):
    model = keras_expect.model(nb.value("model"), "model")
    (x, _), (x_test, y_test) = datasets.load("boston_housing", nb.context.data_files)
    mean, std = x.mean(axis=0), x.std(axis=0)
    return mean_absolute_error(model, (x_test - mean) / std, y_test)
'''

PREPARE = textwrap.dedent("""\
    from tensorflow.keras.datasets import boston_housing
    from tensorflow import keras
    (x, y), (x_test, y_test) = boston_housing.load_data()
    mean, std = x.mean(axis=0), x.std(axis=0)
    x = (x - mean) / std
    """)
MODEL = textwrap.dedent("""\
    model = keras.Sequential([keras.Input((13,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.RMSprop(0.01), loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs={epochs}, batch_size=16, verbose=0)
    """)
LAMBDA = textwrap.dedent("""\
    model = keras.Sequential([keras.Input((13,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Lambda(lambda t: t[:, :1] * 0 + 22.5)])
    model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=1, verbose=0)
    """)
HUGE = textwrap.dedent("""\
    model = keras.Sequential([keras.Input((13,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(700_000), keras.layers.Dense(1)])
    model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
    history = model.fit(x[:4], y[:4], epochs=1, verbose=0)
    """)
FORGED_SAVE = textwrap.dedent("""\
    import zipfile
    def forged_save(self, path, *args, **kwargs):
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("config.json", '{"class_name": "Sequential", "module": "keras", "config": {}}')
            archive.writestr("exploit.pkl", b"cos\\nsystem\\n(S'echo pwned'\\ntR.")
    keras.Model.save = forged_save
    """)
COURSE_PATH = textwrap.dedent("""\
    from autograder.data import course_path
    import zipfile
    print("MEMBERS", len(zipfile.ZipFile(course_path("data", "daily_sports.zip")).namelist()))
    """)
TAMPER = textwrap.dedent("""\
    import glob
    for path in glob.glob('{data}/**/*.npz', recursive=True):
        try:
            open(path, 'wb').write(b'overwritten')
            print('WROTE', path)
        except OSError as error:
            print('REFUSED', type(error).__name__)
    """)


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("models")
    solution = root / "solutions" / "regress"
    solution.mkdir(parents=True)
    (solution / "public_checks.py").write_text(CHECKS)
    write_notebook(solution / "regress.ipynb", PREPARE, MODEL.format(epochs=30))
    config = root / "grading_config.yaml"
    config.write_text(textwrap.dedent(f"""\
        language: en
        data_dir: {shared_data}
        limits: {{cell_time_s: 120, call_time_s: 30, wall_time_s: 300, memory_mb: 3072, output_kb: 64,
                  model_mb: 16}}
        assignments:
          regress:
            points: {{q1: 3, q2: 2}}
        """))
    submissions = root / "submissions"
    write_notebook(submissions / "good.ipynb", PREPARE, MODEL.format(epochs=30))
    write_notebook(submissions / "untrained.ipynb", PREPARE, MODEL.format(epochs=1))
    write_notebook(submissions / "lambda.ipynb", PREPARE, LAMBDA)
    write_notebook(submissions / "huge.ipynb", PREPARE, HUGE)
    write_notebook(submissions / "forged.ipynb", PREPARE, MODEL.format(epochs=30), FORGED_SAVE)
    write_notebook(submissions / "tamper.ipynb", TAMPER.format(data=shared_data), COURSE_PATH, PREPARE,
                   MODEL.format(epochs=30))
    return {"root": root, "config": config, "submissions": submissions, "solution": solution}


@pytest.fixture(scope="module")
def uncalibrated(course: dict[str, Any]) -> grade.RunSummary:
    return grade.main(assignment="regress", inputs=[course["submissions"] / "good.ipynb"],
                      config_path=course["config"], output=course["root"] / "before")


@pytest.fixture(scope="module")
def calibrated(course: dict[str, Any], uncalibrated: grade.RunSummary) -> dict[str, Any]:
    code = cli.main(["--config", str(course["config"]), "calibrate", "regress", "--seeds", "0", "1"])
    stored = json.loads((course["solution"] / "calibration.json").read_text())
    summary = grade.main(assignment="regress", inputs=[course["submissions"]], config_path=course["config"],
                         output=course["root"] / "results")
    return {"code": code, "stored": stored, "summary": summary}


def _row(summary: grade.RunSummary, student: str) -> Any:
    return next(r for r in summary.results if r.student == student)


def _check(row: Any, name: str) -> Any:
    return next(c for q in row.questions for c in q.checks if c.name == name)


@pytest.mark.slow
def test_before_calibration_the_performance_check_says_so(uncalibrated: grade.RunSummary) -> None:
    row = _row(uncalibrated, "good")
    assert row.status == "partly_graded"
    assert [r.key for r in row.reasons] == ["reason.checks_errored"]
    check = _check(row, "test_mae")
    assert (check.status, check.key) == ("error", "check.not_calibrated")
    assert check.measured is not None and check.measured < 6
    assert row.points == 3.0


@pytest.mark.slow
def test_calibration_stores_every_seed_and_the_threshold(calibrated: dict[str, Any]) -> None:
    assert calibrated["code"] == 0
    metric = calibrated["stored"]["metrics"]["boston_test_mae"]
    assert calibrated["stored"]["seeds"] == [0, 1] and len(metric["values"]) == 2
    assert metric["reference"] == max(metric["values"])  # error-like metric: the worst seed is the largest
    assert metric["threshold"] == pytest.approx(metric["reference"] + 1.0)
    assert calibrated["stored"]["budget"]["cell_time_s"] == 120


@pytest.mark.slow
def test_the_reference_quality_submission_passes_the_calibrated_threshold(calibrated: dict[str, Any]) -> None:
    row = _row(calibrated["summary"], "good")
    assert (row.status, row.points) == ("graded", 5.0)
    assert _check(row, "test_mae").measured is not None


@pytest.mark.slow
def test_an_untrained_model_fails_only_the_performance_check(calibrated: dict[str, Any]) -> None:
    row = _row(calibrated["summary"], "untrained")
    check = _check(row, "test_mae")
    assert (check.status, check.key) == ("failed", "check.metric_too_high")
    assert row.points == 3.0
    text = check.render("en")
    assert "boston_test_mae" in text and "at most" in text


@pytest.mark.slow
def test_a_lambda_model_is_refused_not_run(calibrated: dict[str, Any]) -> None:
    row = _row(calibrated["summary"], "lambda")
    assert row.status == "graded"
    for name in ("architecture", "test_mae"):
        assert _check(row, name).key == "model.lambda_refused"
    assert row.points == 1.0  # only the history check


@pytest.mark.slow
def test_a_model_over_the_size_limit_is_refused_with_its_size(calibrated: dict[str, Any]) -> None:
    row = _row(calibrated["summary"], "huge")
    check = _check(row, "architecture")
    assert check.key == "model.too_large"  # the size message with its parameter budget, not "not a model"
    params = dict(check.params)
    assert params["limit_mb"] == "16" and float(params["size_mb"]) > 16 and params["budget"]
    assert row.points == 1.0


@pytest.mark.slow
def test_a_forged_model_file_is_refused(calibrated: dict[str, Any]) -> None:
    row = _row(calibrated["summary"], "forged")
    assert _check(row, "architecture").key == "model.not_keras_file"
    assert "pwned" not in row.output
    assert row.points == 1.0


@pytest.mark.slow
def test_the_course_data_is_read_only_in_the_sandbox(calibrated: dict[str, Any], shared_data: Path) -> None:
    row = _row(calibrated["summary"], "tamper")
    assert "WROTE" not in row.output and "REFUSED" in row.output
    assert "MEMBERS 4560" in row.output  # the course's own files, through course_path
    assert row.points == 5.0
    assert keras_files.is_genuine(shared_data / "keras" / "datasets" / "boston_housing.npz", "boston_housing.npz")


@pytest.mark.slow
def test_a_dataset_the_course_lacks_gets_a_clear_message() -> None:
    spec = SandboxSpec(handouts=(), hide=(), data_files=(("boston_housing.npz", "/nonexistent/boston.npz"),))
    cells = [CodeCell(0, "from tensorflow.keras.datasets import mnist\nmnist.load_data()")]
    with NotebookSession(cells, spec, TimeLimits(cell_s=60, call_s=10, total_s=120)) as session:
        records = session.execute()
    assert records[0].error is not None
    assert records[0].error["ename"] == "MissingDataset"
    assert "mnist.npz" in records[0].error["evalue"] and "data_dir" in records[0].error["evalue"]


@pytest.mark.slow
def test_vgg16_without_imagenet_weights_is_built_untrained_and_says_so() -> None:
    cells = [CodeCell(0, textwrap.dedent("""\
        from tensorflow import keras
        conv_base = keras.applications.VGG16(weights="imagenet", include_top=False, input_shape=(32, 32, 3))
        print("PARAMS", conv_base.count_params())
        """)), CodeCell(1, 'keras.applications.VGG16(weights="imagenet", include_top=True, input_shape=(32, 32, 3))')]
    spec = SandboxSpec(handouts=(), hide=())
    with NotebookSession(cells, spec, TimeLimits(cell_s=120, call_s=10, total_s=180)) as session:
        records = session.execute()
    assert records[0].status == "ok", records[0].error
    assert records[1].error is not None and records[1].error["ename"] == "ValueError"  # as Keras with the weights
    assert "PARAMS 14714688" in session.output()
    assert "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5" in session.output()
    assert "random weights" in session.output()
