"""Keras models in the grader: safe loading, facts, first difference, label encodings, evaluation."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograder.checks import keras_expect
from autograder.errors import CheckFailed
from autograder.i18n import message
from autograder.models.compare import LayerSpec, first_difference
from autograder.models.describe import canonical, describe
from autograder.models.evaluate import accuracy, mean_absolute_error
from autograder.models.loading import ModelRefused, check_archive, load_model
from autograder.sandbox import protocol
from autograder.sandbox.keras_values import to_data
from autograder.sandbox.protocol import KerasFile
from autograder.sandbox.session import Reply

keras = pytest.importorskip("keras")


def _imdb_model(hidden: int = 16, last: str = "sigmoid") -> Any:
    model = keras.Sequential([keras.Input((100,)), keras.layers.Dense(hidden, activation="relu"),
                              keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1, activation=last)])
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def _file(model: Any) -> KerasFile:
    value = to_data(model)
    assert isinstance(value, KerasFile)
    return value


def _rezip(file: KerasFile, edit: Any) -> KerasFile:
    """Rewrite a .keras archive, passing each (name, bytes) through ``edit``."""
    source = zipfile.ZipFile(io.BytesIO(file.data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            for name, data in edit(info.filename, source.read(info.filename)):
                target.writestr(name, data)
    return KerasFile(out.getvalue())


def test_a_model_crosses_as_keras_bytes_and_loads_with_its_facts() -> None:
    file = protocol.round_trip(_file(_imdb_model()))
    assert isinstance(file, KerasFile) and file.data[:2] == b"PK"
    info = describe(load_model(file))
    assert [layer.kind for layer in info.layers] == ["Dense", "Dense", "Dense"]
    assert [layer.output_shape for layer in info.layers] == [(None, 16), (None, 16), (None, 1)]
    assert [layer.params for layer in info.layers] == [1616, 272, 17]
    assert info.total_params == info.trainable_params == 1905
    assert info.last is not None and info.last.activation == "sigmoid"
    assert (info.compile.loss, info.compile.optimizer, info.compile.metrics) == (
        "binary_crossentropy", "rmsprop", ("accuracy",))


def test_history_crosses_as_a_plain_dict() -> None:
    model = _imdb_model()
    history = model.fit(np.zeros((8, 100)), np.zeros(8), epochs=2, verbose=0, validation_split=0.25)
    value = protocol.round_trip(to_data({"h": history}))["h"]
    assert set(value) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 2 and all(isinstance(x, float) for x in v) for v in value.values())


def test_a_lambda_layer_is_refused_before_keras_sees_it() -> None:
    model = keras.Sequential([keras.Input((3,)), keras.layers.Lambda(lambda t: t * 2)])
    with pytest.raises(ModelRefused) as refused:
        load_model(_file(model))
    assert refused.value.key == "model.lambda_refused"


def test_a_custom_class_is_refused_by_name() -> None:
    @keras.saving.register_keras_serializable(package="evil")
    class Sneaky(keras.layers.Layer):
        def call(self, x: Any) -> Any:
            return x

    model = keras.Sequential([keras.Input((3,)), Sneaky()])
    with pytest.raises(ModelRefused) as refused:
        load_model(_file(model))
    assert refused.value.key == "model.custom_refused"
    assert refused.value.params["name"] == "Sneaky"


def test_a_config_naming_a_foreign_module_is_refused() -> None:
    def poison(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if name != "config.json":
            return [(name, data)]
        config = json.loads(data)
        config["config"]["layers"][0]["module"] = "os"
        return [(name, json.dumps(config).encode())]

    with pytest.raises(ModelRefused) as refused:
        load_model(_rezip(_file(_imdb_model()), poison))
    assert (refused.value.key, refused.value.params["module"]) == ("model.custom_refused", "os")


@pytest.mark.parametrize(("edit", "key"), [
    (lambda name, data: [(name, data)] + ([("payload.pkl", b"cos\nsystem\n")] if name == "config.json" else []),
     "model.not_keras_file"),
    (lambda name, data: [] if name == "config.json" else [(name, data)], "model.not_keras_file"),
    (lambda name, data: [(name, b"{not json" if name == "config.json" else data)], "model.config_unreadable"),
    (lambda name, data: [(name, data)] + ([("assets/zeros.bin", bytes(64 * 2**20))] if name == "config.json" else []),
     "model.too_large"),
])
def test_archives_keras_does_not_write_are_refused(edit: Any, key: str) -> None:
    with pytest.raises(ModelRefused) as refused:
        check_archive(_rezip(_file(_imdb_model()), edit).data, 8 * 2**20)
    assert refused.value.key == key


def test_too_many_bytes_and_not_a_zip_are_refused() -> None:
    with pytest.raises(ModelRefused, match=r"model\.too_large"):
        check_archive(bytes(2048), 1024)
    with pytest.raises(ModelRefused, match=r"model\.not_keras_file"):
        check_archive(b"not a zip at all", 1024)


def test_the_check_helper_turns_refusals_and_wrong_values_into_messages() -> None:
    lam = _file(keras.Sequential([keras.Input((3,)), keras.layers.Lambda(lambda t: t)]))
    with pytest.raises(CheckFailed) as failed:
        keras_expect.model(Reply("ok", lam), "model")
    assert failed.value.key == "model.lambda_refused" and failed.value.params["what"] == "model"
    with pytest.raises(CheckFailed) as failed:
        keras_expect.model(Reply("ok", protocol.Unsupported("MyModel that Keras could not save")), "model")
    assert failed.value.key == "model.not_a_model"
    with pytest.raises(CheckFailed, match=r"check\.value_missing"):
        keras_expect.model(Reply("missing"), "model")


def test_first_difference_names_the_layer_and_what_differs() -> None:
    reference = describe(_imdb_model())
    assert first_difference(describe(_imdb_model()), reference) is None
    difference = first_difference(describe(_imdb_model(hidden=4)), reference)
    assert difference is not None
    assert (difference.position, difference.field, difference.expected, difference.found) == (
        1, "output_shape", (None, 16), (None, 4))
    difference = first_difference(describe(_imdb_model(last="softmax")), reference)
    assert difference is not None and (difference.position, difference.field) == (3, "activation")
    short = [LayerSpec(kind="Dense"), LayerSpec(kind="Dense")]
    difference = first_difference(reference, short)
    assert difference is not None and difference.field == "extra" and difference.position == 3
    with pytest.raises(CheckFailed) as failed:
        keras_expect.architecture(_imdb_model(last="relu"), _imdb_model(), "model")
    assert failed.value.key == "model.layer_activation"
    assert failed.value.params["position"] == 3 and failed.value.params["expected"] == "sigmoid"


@pytest.mark.parametrize(("labels", "encoding"), [
    (np.array([0, 1, 1, 0]), "binary"),
    (np.array([3, 0, 45, 7]), "integer"),
    (np.eye(4)[[0, 3, 1]], "one_hot"),
    (np.array([[1, 0, 1], [0, 0, 1]]), "multi_hot"),
    (np.array([0.2, 0.9, 0.5]), "unit_interval"),
    (np.array([24.0, 13.5, 50.0]), "continuous"),
])
def test_label_encodings(labels: np.ndarray, encoding: str) -> None:
    assert keras_expect.label_encoding(labels) == encoding


def _classifier(loss: Any) -> Any:
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(46, activation="softmax")])
    model.compile(optimizer="rmsprop", loss=loss)
    return describe(load_model(_file(model)))


def test_loss_must_fit_the_label_encoding() -> None:
    integer, one_hot = np.array([3, 0, 45]), np.eye(46)[[3, 0, 45]]
    keras_expect.loss_fits_labels(_classifier("sparse_categorical_crossentropy"), integer, "model")
    keras_expect.loss_fits_labels(_classifier(keras.losses.CategoricalCrossentropy()), one_hot, "model")
    with pytest.raises(CheckFailed) as failed:
        keras_expect.loss_fits_labels(_classifier("sparse_categorical_crossentropy"), one_hot, "model")
    assert failed.value.key == "model.loss_labels"
    assert failed.value.params["encoding"] == "one_hot"
    assert failed.value.params["expected"] == "categorical_crossentropy"
    with pytest.raises(CheckFailed, match=r"model\.from_logits"):
        keras_expect.loss_fits_labels(
            _classifier(keras.losses.SparseCategoricalCrossentropy(from_logits=True)), integer, "model")


def test_an_assignment_can_name_the_labels_in_its_own_loss_message() -> None:
    one_hot = np.eye(46)[[3, 0, 45]]
    with pytest.raises(CheckFailed) as failed:
        keras_expect.loss_fits_labels(_classifier("sparse_categorical_crossentropy"), one_hot, "reuters_model",
                                      labels_name="reuters_y_train", message="text_classification.loss_labels")
    assert failed.value.key == "text_classification.loss_labels"
    assert failed.value.params == {"what": "reuters_model", "loss": "sparse_categorical_crossentropy",
                                   "encoding": "one_hot", "expected": "categorical_crossentropy",
                                   "labels": "reuters_y_train"}
    for lang in ("en", "ko"):
        assert "`reuters_y_train`" in message(failed.value.key, lang, **failed.value.params)


def _failed_fit_file() -> KerasFile:
    """What a notebook sends when ``fit`` built the model and then failed: one-hot labels, sparse loss."""
    model = keras.Sequential([keras.layers.Dense(8, activation="relu"), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError):
        model.fit(np.ones((4, 5), dtype="float32"), np.eye(3)[[0, 1, 2, 0]], epochs=1, verbose=0)
    return _file(model)


def test_a_model_whose_fit_failed_keeps_its_architecture_but_not_its_weights() -> None:
    file = _failed_fit_file()
    with pytest.raises(ModelRefused) as refused:
        load_model(file)
    assert refused.value.key == "model.weights_unreadable"
    with pytest.raises(CheckFailed, match=r"model\.weights_unreadable"):
        keras_expect.model(Reply("ok", file), "model")
    rebuilt = keras_expect.model(Reply("ok", file), "model", weights=False)
    info = describe(rebuilt)
    assert [(layer.units, layer.activation) for layer in info.layers] == [(8, "relu"), (3, "softmax")]
    assert info.compile.loss == "sparse_categorical_crossentropy"


def test_canonical_names_fold_keras_aliases() -> None:
    assert canonical("mse") == canonical("MeanSquaredError") == "mean_squared_error"
    assert canonical("SparseCategoricalCrossentropy") == "sparse_categorical_crossentropy"


def test_frozen_and_parameter_checks() -> None:
    model = _imdb_model()
    model.layers[0].trainable = False
    loaded = load_model(_file(model))
    keras_expect.frozen(loaded, "model", frozen_layers=[loaded.layers[0].name],
                        trainable_layers=[loaded.layers[1].name])
    info = describe(loaded)
    keras_expect.parameters(info, "model", total=1905, trainable=289, non_trainable=1616)
    with pytest.raises(CheckFailed, match=r"model\.should_be_frozen"):
        keras_expect.frozen(loaded, "model", frozen_layers=[loaded.layers[1].name])
    with pytest.raises(CheckFailed, match=r"model\.params_trainable"):
        keras_expect.parameters(info, "model", trainable=1905)


def test_grader_side_metrics_use_the_models_predictions() -> None:
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation="sigmoid")])
    model.set_weights([np.array([[10.0]]), np.array([0.0])])
    x = np.array([[-1.0], [2.0], [3.0], [-4.0]])
    assert accuracy(model, x, np.array([0, 1, 0, 0])) == 0.75
    regression = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    regression.set_weights([np.array([[2.0]]), np.array([1.0])])
    assert mean_absolute_error(regression, x, 2 * x[:, 0] + 1.5) == pytest.approx(0.5)
    assert accuracy(model, list(x), np.array([0, 1, 1, 0]), transform=np.asarray) == 1.0


def test_an_unsavable_model_becomes_an_unsupported_marker(tmp_path: Path) -> None:
    class Subclassed(keras.Model):
        def __init__(self) -> None:
            super().__init__()
            self.dense = keras.layers.Dense(2)

        def call(self, x: Any) -> Any:
            return self.dense(x)

    model = Subclassed()
    model(np.zeros((1, 3)))
    value = to_data(model)
    assert isinstance(value, KerasFile | protocol.Unsupported)
    if isinstance(value, KerasFile):  # Keras saved it: then the grader refuses its foreign class
        with pytest.raises(ModelRefused, match=r"model\.custom_refused"):
            load_model(value)


def test_an_activation_layer_at_the_end_counts_as_the_last_activation() -> None:
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(3), keras.layers.Softmax()])
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
    info = describe(load_model(_file(model)))
    keras_expect.last_activation(info, ["softmax"], "model", "@task.single_label")
    keras_expect.loss_fits_labels(info, np.array([0, 2, 1]), "model")


def test_two_class_integer_labels_fit_a_two_unit_softmax() -> None:
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
    keras_expect.loss_fits_labels(describe(load_model(_file(model))), np.array([0, 1, 1]), "model")


def test_task_names_in_messages_are_translated() -> None:
    from autograder.i18n import message

    params = {"what": "model", "expected": "sigmoid", "found": "softmax", "task": "@task.multi_label"}
    assert "다중 레이블" in message("model.last_activation", "ko", **params)
    assert "multi-label" in message("model.last_activation", "en", **params)


def test_an_unregistered_notebook_class_is_refused_by_name() -> None:
    class Doubler(keras.layers.Layer):  # defined in a notebook, never registered: saved without a module
        def call(self, x: Any) -> Any:
            return x * 2

    with pytest.raises(ModelRefused) as refused:
        load_model(_file(keras.Sequential([keras.Input((3,)), Doubler()])))
    assert (refused.value.key, refused.value.params["name"]) == ("model.custom_refused", "Doubler")


def test_functional_models_and_nested_bases_load() -> None:
    inputs = keras.Input((5,))
    functional = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    functional.compile(optimizer="sgd", loss="mse")
    assert describe(load_model(_file(functional))).total_params == 12
    base = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)], name="base")
    outer = keras.Sequential([base, keras.layers.Dense(1, activation="sigmoid")])
    assert describe(load_model(_file(outer))).total_params == 19


# -- a notebook class that saves as a Keras built-in (issue 12) -------------------------------------------------

def _forged_dense(module: str) -> type:
    """A notebook ``Dense`` whose ``call`` ignores its input, passed off as Keras' own by its ``__module__``."""
    class Dense(keras.layers.Dense):
        def call(self, inputs: Any) -> Any:
            return keras.ops.zeros_like(inputs[..., :1]) + 0.5

    Dense.__module__ = module
    return Dense


def _forged_file(module: str) -> KerasFile:
    forged = _forged_dense(module)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu"),
                              forged(1, activation="sigmoid")])
    model.compile(optimizer="rmsprop", loss="binary_crossentropy")
    assert float(np.ptp(model.predict_on_batch(np.random.default_rng(0).normal(size=(8, 4))))) == 0.0
    return _file(model)


def _functional_file() -> KerasFile:
    inputs = keras.Input((4,))
    hidden = keras.layers.Dense(3, activation="relu")(inputs)
    merged = keras.layers.Concatenate()([hidden, inputs])
    model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(merged))
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.BinaryCrossentropy(),
                  metrics=[keras.metrics.AUC()])
    return _file(model)


@pytest.mark.parametrize("module", ["keras.src.layers.core.dense", "keras.layers", "keras"])
def test_a_notebook_class_with_a_keras_module_is_refused(module: str) -> None:
    with pytest.raises(ModelRefused) as refused:
        load_model(_forged_file(module))
    assert (refused.value.key, refused.value.params["name"]) == ("model.custom_refused", "Dense")


def test_the_model_host_refuses_the_forged_dense_and_loads_honest_models() -> None:
    from autograder.models.host import HostLimits, ModelHost, hosting

    x = np.random.default_rng(1).normal(size=(5, 4)).astype("float32")
    honest = _imdb_model()
    with ModelHost(HostLimits(request_s=60)) as host, hosting(host):
        with pytest.raises(CheckFailed) as failed:
            keras_expect.model(Reply("ok", _forged_file("keras.src.layers.core.dense")), "model")
        assert failed.value.key == "model.custom_refused"
        assert failed.value.params["name"] == "Dense"
        loaded = keras_expect.model(Reply("ok", _file(honest)), "model")
        assert describe(loaded).total_params == 1905
        functional = keras_expect.model(Reply("ok", _functional_file()), "functional")
        assert [type(layer).__name__ for layer in functional.layers] == ["InputLayer", "Dense", "Concatenate",
                                                                          "Dense"]
        assert functional.predict_on_batch(x).shape == (5, 1)


def test_keras_writes_built_ins_under_their_public_module_without_a_registered_name() -> None:
    config = check_archive(_functional_file().data, 8 * 2**20)
    dense = config["config"]["layers"][1]
    assert (dense["module"], dense["class_name"], dense["registered_name"]) == ("keras.layers", "Dense", None)
    assert (config["module"], config["registered_name"]) == ("keras.src.models.functional", "Functional")


@pytest.mark.parametrize(("module", "registered", "class_name"), [
    ("keras.layers", "Dense", "Dense"),               # what a notebook class with __module__ "keras.layers" writes
    ("keras.src.layers.core.dense", None, "Dense"),   # Keras' own module, not the one Keras writes
    ("keras.layers", None, "Dens"),                   # no such class
    ("keras.src.models.functional", None, "Functional"),
    ("keras.layers", None, "serialize"),              # exported, but not a class
    (["keras"], None, "Dense"),
])
def test_only_what_keras_writes_for_its_own_class_passes(module: Any, registered: Any, class_name: str) -> None:
    from autograder.models.loading import inspect_config

    config = check_archive(_functional_file().data, 8 * 2**20)
    config["config"]["layers"][1].update(module=module, registered_name=registered, class_name=class_name)
    with pytest.raises(ModelRefused) as refused:
        inspect_config(config)
    assert refused.value.key == "model.custom_refused"


def test_a_class_saved_without_a_module_says_so_in_both_languages() -> None:
    class Doubler(keras.layers.Layer):
        def call(self, x: Any) -> Any:
            return x * 2

    Doubler.__module__ = "__main__"  # as in a notebook: Keras writes no module for it
    with pytest.raises(CheckFailed) as failed:
        keras_expect.model(Reply("ok", _file(keras.Sequential([keras.Input((3,)), Doubler()]))), "model")
    texts = {lang: message(failed.value.key, lang, **failed.value.params) for lang in ("en", "ko")}
    assert "None" not in texts["en"] + texts["ko"]
    assert "no module" in texts["en"] and "모듈 없음" in texts["ko"]
    assert "`Doubler`" in texts["en"] and "`Doubler`" in texts["ko"]


def test_an_oversized_model_gets_the_size_message_with_the_parameter_budget() -> None:
    marker = protocol.round_trip(protocol.Unsupported(
        "keras.src.models.sequential.Sequential saved as 300.5 MB, over the 256 MB limit for a model"))
    with pytest.raises(CheckFailed) as failed:
        keras_expect.model(Reply("ok", marker), "model")
    assert failed.value.key == "model.too_large"
    en = message(failed.value.key, "en", **failed.value.params)
    ko = message(failed.value.key, "ko", **failed.value.params)
    assert "300.5 MB" in en and "256 MB" in en and "67,108,864" in en and "parameters" in en
    assert "300.5 MB" in ko and "67,108,864" in ko and "파라미터" in ko


def test_the_sandbox_marks_an_oversized_model_as_the_size_message_expects(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTOGRADER_MODEL_BYTES", str(2**20))
    marker = protocol.round_trip(to_data(_imdb_model(hidden=4000)))
    with pytest.raises(CheckFailed) as failed:
        keras_expect.model(Reply("ok", marker), "model")
    assert failed.value.key == "model.too_large"
    assert (failed.value.params["limit_mb"], failed.value.params["budget"]) == ("1", "262,144")


def test_a_missing_variable_is_not_called_a_missing_function() -> None:
    with pytest.raises(CheckFailed) as failed:
        keras_expect.model(Reply("missing"), "model")
    assert (failed.value.key, failed.value.params["name"]) == ("check.value_missing", "model")
    with pytest.raises(CheckFailed) as failed:
        keras_expect.model(Reply("missing"), "build_model(10, 2)")
    assert (failed.value.key, failed.value.params["name"]) == ("check.reply_missing", "build_model")


def test_korean_model_messages_introduce_keras_errors_in_korean() -> None:
    params = {"what": "model", "detail": "ValueError: Input 0 of layer dense is incompatible"}
    ko = message("model.weights_unreadable", "ko", **params)
    assert "케라스 오류: ValueError: Input 0" in ko
    assert "Keras error: ValueError" in message("model.weights_unreadable", "en", **params)
