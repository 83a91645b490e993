"""Hostile model files: five ``.keras`` archives that used to kill or bloat the grader, built for real as bytes.

Each builder is self-contained (its imports inside), so a notebook can carry its source and send the bytes as
its model (a patched ``keras.Model.save``), exactly as a student could; :func:`make_course` writes such a course
(one public checks file that loads, describes and predicts with the model) for the tests and the benchmark.

``dense_bomb``      9 KB: a small real archive whose ``config.json`` declares ``Dense(16384)`` layers on a
                    16384-wide input; Keras builds gigabytes of kernels before it finds the weights do not fit.
``h5_bomb``         a real archive whose ``model.weights.h5`` declares a 3.7 GiB float32 dataset (just under
                    Keras' own 4 GiB guard) with nothing stored: reading it allocates the lot.
``config_bomb``     a real archive whose ``config.json`` carries 64 MB of nested lists (a few hundred KB
                    compressed).
``upsampling_bomb`` a 20-parameter model whose ``UpSampling2D(48)`` makes its *prediction* need gigabytes.
``conv_reuse``      one ``Conv2D`` applied 300 times: loads in a second, predicts for hours.
"""

from __future__ import annotations

import inspect
import textwrap
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook


def dense_bomb() -> bytes:
    import io
    import json
    import os
    import tempfile
    import zipfile

    import keras

    model = keras.Sequential([keras.Input((7,)), *(keras.layers.Dense(5) for _ in range(4)), keras.layers.Dense(1)])
    saved = io.BytesIO()
    path = os.path.join(tempfile.mkdtemp(), "base.keras")
    model.save(path)
    source = zipfile.ZipFile(path)

    def widen(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "units" and item == 5:
                    value[key] = 16384
                elif key in ("batch_shape", "input_shape", "build_input_shape") and item in ([None, 7], [None, 5]):
                    value[key] = [None, 16384]
                else:
                    widen(item)
        elif isinstance(value, list):
            for item in value:
                widen(item)

    config = json.loads(source.read("config.json"))
    widen(config)
    with zipfile.ZipFile(saved, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = json.dumps(config).encode() if info.filename == "config.json" else source.read(info.filename)
            target.writestr(info.filename, data)
    return saved.getvalue()


def h5_bomb() -> bytes:
    import io
    import os
    import tempfile
    import zipfile

    import h5py
    import keras

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    path = os.path.join(tempfile.mkdtemp(), "model.keras")
    model.save(path)
    source = zipfile.ZipFile(path)
    weights = io.BytesIO()
    with h5py.File(weights, "w") as store:
        store.create_group("vars")
        variables = store.create_group("layers/dense/vars")
        variables.create_dataset("0", shape=(31_000, 32_000), dtype="<f4")  # 3.7 GiB declared, nothing stored
        variables.create_dataset("1", data=[0.0, 0.0], dtype="<f4")
    saved = io.BytesIO()
    with zipfile.ZipFile(saved, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = weights.getvalue() if info.filename == "model.weights.h5" else source.read(info.filename)
            target.writestr(info.filename, data)
    return saved.getvalue()


def config_bomb() -> bytes:
    import io
    import os
    import tempfile
    import zipfile

    import keras

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    path = os.path.join(tempfile.mkdtemp(), "model.keras")
    model.save(path)
    source = zipfile.ZipFile(path)
    row = "[" + ",".join(["[0,1,2,3]"] * 1000) + "]"
    junk = "[" + ",".join([row] * 6600) + "]"  # 64 MB of nested lists
    config = source.read("config.json").decode()
    config = config.replace('"units": 2,', '"units": 2, "junk": ' + junk + ",", 1)
    saved = io.BytesIO()
    with zipfile.ZipFile(saved, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = config.encode() if info.filename == "config.json" else source.read(info.filename)
            target.writestr(info.filename, data)
    return saved.getvalue()


def upsampling_bomb() -> bytes:
    import os
    import tempfile

    import keras

    model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.UpSampling2D(48),
                              keras.layers.Conv2D(2, 1), keras.layers.GlobalAveragePooling2D(),
                              keras.layers.Dense(4, activation="softmax")])  # 8 + 12 = 20 parameters
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    path = os.path.join(tempfile.mkdtemp(), "model.keras")
    model.save(path)
    with open(path, "rb") as stream:
        return stream.read()


def conv_reuse() -> bytes:
    import os
    import tempfile

    import keras

    inputs = keras.Input((32, 32, 3))
    x = keras.layers.UpSampling2D(4)(inputs)
    x = keras.layers.Conv2D(32, 3, padding="same")(x)
    shared = keras.layers.Conv2D(32, 3, padding="same", activation="relu")
    for _ in range(300):
        x = shared(x)
    outputs = keras.layers.Dense(4, activation="softmax")(keras.layers.GlobalAveragePooling2D()(x))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    path = os.path.join(tempfile.mkdtemp(), "model.keras")
    model.save(path)
    with open(path, "rb") as stream:
        return stream.read()


ATTACKS = {"dense_bomb": dense_bomb, "h5_bomb": h5_bomb, "config_bomb": config_bomb,
           "upsampling_bomb": upsampling_bomb, "conv_reuse": conv_reuse}

# What each attack earns in the course below: the failing message of the check that meets it first.
EXPECTED = {"dense_bomb": "model.host_memory", "h5_bomb": "model.host_memory", "config_bomb": "model.config_unreadable",
            "upsampling_bomb": "model.host_memory", "conv_reuse": "model.host_timeout"}

HONEST = textwrap.dedent("""\
    import numpy as np
    from tensorflow import keras
    model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(4, 3, activation="relu"),
                              keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(4, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    rng = np.random.default_rng(0)
    model.fit(rng.random((64, 32, 32, 3), dtype="float32"), rng.integers(0, 4, 64), epochs=1, verbose=0)
    """)

FORGE = textwrap.dedent("""\
    ATTACK = {name}()
    def forged_save(self, path, *args, **kwargs):
        with open(path, "wb") as stream:
            stream.write(ATTACK)
    keras.Model.save = forged_save
    print("ATTACK BYTES", len(ATTACK))
    """)

CHECKS = '''
import numpy as np

from autograder.checks import check, keras_expect
from autograder.models import evaluate
from autograder.models.describe import describe

IMAGES = np.random.default_rng(1).random((256, 32, 32, 3), dtype=np.float32)
LABELS = np.random.default_rng(2).integers(0, 4, 256)


@check("q1", weight=1)
def four_class_softmax(nb):
    info = describe(keras_expect.model(nb.value("model"), "model", max_bytes=nb.context.model_bytes))
    keras_expect.last_activation(info, ("softmax",), "model", "@task.single_label")


@check("q2", weight=1)
def predicts_the_images(nb):
    model = keras_expect.model(nb.value("model"), "model", max_bytes=nb.context.model_bytes)
    evaluate.accuracy(model, IMAGES, LABELS)
    model.evaluate(IMAGES[:64], LABELS[:64], batch_size=32, return_dict=True)
'''


def attack_cells(name: str) -> list[str]:
    """The cells of a submission whose ``model`` crosses as the bytes ``ATTACKS[name]`` builds."""
    builder = textwrap.dedent(inspect.getsource(ATTACKS[name]))
    return ["import keras\nmodel = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Dense(4)])",
            builder, FORGE.format(name=name)]


def _notebook(path: Path, sources: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=[new_code_cell(source) for source in sources]), path)


def make_course(root: Path, *, memory_mb: int = 2048, call_time_s: int = 15) -> Path:
    """A course ``attacks`` (the checks above) with one submission per attack and ``honest``; its config path."""
    solution = root / "solutions" / "attacks"
    solution.mkdir(parents=True)
    (solution / "public_checks.py").write_text(CHECKS)
    _notebook(solution / "attacks.ipynb", [HONEST])
    config = root / "grading_config.yaml"
    config.write_text(textwrap.dedent(f"""\
        language: en
        limits: {{cell_time_s: 120, call_time_s: {call_time_s}, wall_time_s: 300, memory_mb: {memory_mb},
                  output_kb: 64, model_mb: 32, tmp_mb: 256}}
        assignments:
          attacks:
            points: {{q1: 1, q2: 1}}
        """))
    for name in ATTACKS:
        _notebook(root / "submissions" / f"{name}.ipynb", attack_cells(name))
    _notebook(root / "submissions" / "honest.ipynb", [HONEST])
    return config
