"""A Keras model as plain facts: layers, shapes, parameters, activations, compile settings.

Checks compare these facts, never the model objects, so every message can say
which layer, what was expected and what was found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Names Keras accepts for the same loss or metric, folded to one spelling.
_ALIASES = {
    "mse": "mean_squared_error", "mae": "mean_absolute_error", "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error", "bce": "binary_crossentropy", "acc": "accuracy",
    "kld": "kl_divergence", "kullback_leibler_divergence": "kl_divergence", "huber_loss": "huber",
    "categorical_cross_entropy": "categorical_crossentropy",
    "sparse_categorical_cross_entropy": "sparse_categorical_crossentropy",
    "binary_cross_entropy": "binary_crossentropy", "rm_sprop": "rmsprop",
}


def canonical(name: str) -> str:
    """One spelling for a loss, metric or activation name (``MeanSquaredError`` -> ``mean_squared_error``)."""
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name.strip()).lower()
    return _ALIASES.get(snake, snake)


def _name_of(value: Any) -> str | None:
    """The name of a serialised loss / metric / optimizer (a string or a Keras config dict)."""
    if value is None:
        return None
    if isinstance(value, str):
        return canonical(value)
    if isinstance(value, dict):
        config = value.get("config")
        if isinstance(config, dict) and isinstance(config.get("fn"), str):
            return canonical(config["fn"])
        if isinstance(value.get("class_name"), str):
            return canonical(str(value["class_name"]))
    return canonical(type(value).__name__)


@dataclass(frozen=True)
class LayerInfo:
    """One layer as a check sees it."""

    index: int
    name: str
    kind: str
    output_shape: tuple[int | None, ...] | None
    params: int
    trainable_params: int
    trainable: bool
    activation: str | None = None
    units: int | None = None
    filters: int | None = None
    kernel_size: tuple[int, ...] | None = None
    rate: float | None = None

    @property
    def non_trainable_params(self) -> int:
        """Parameters not updated by training (frozen layers, BatchNormalization statistics)."""
        return self.params - self.trainable_params


@dataclass(frozen=True)
class CompileInfo:
    """How a model was compiled, from its saved compile configuration."""

    compiled: bool
    loss: str | None = None
    from_logits: bool = False
    optimizer: str | None = None
    learning_rate: float | None = None
    metrics: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelInfo:
    """A whole model as a check sees it."""

    layers: tuple[LayerInfo, ...]
    input_shape: tuple[int | None, ...] | None
    output_shape: tuple[int | None, ...] | None
    total_params: int
    trainable_params: int
    compile: CompileInfo

    @property
    def non_trainable_params(self) -> int:
        """Total parameters not updated by training."""
        return self.total_params - self.trainable_params

    @property
    def last(self) -> LayerInfo | None:
        """The output layer."""
        return self.layers[-1] if self.layers else None


def _shape(value: Any) -> tuple[int | None, ...] | None:
    shape = getattr(value, "shape", value)
    try:
        return tuple(None if d is None else int(d) for d in shape)
    except TypeError:
        return None


# Layers that are an activation by themselves (``Dense(10)`` then ``Softmax()``).
_ACTIVATION_LAYERS = {"Softmax": "softmax", "ReLU": "relu", "LeakyReLU": "leaky_relu", "ELU": "elu",
                      "PReLU": "prelu"}


def _activation(layer: Any) -> str | None:
    function = getattr(layer, "activation", None)
    if function is None:
        return _ACTIVATION_LAYERS.get(type(layer).__name__)
    name = getattr(function, "__name__", None) or type(function).__name__
    return canonical(str(name))


def _count(weights: list[Any]) -> int:
    total = 0
    for weight in weights:
        size = 1
        for dim in weight.shape:
            size *= int(dim)
        total += size
    return total


def _layer(index: int, layer: Any) -> LayerInfo:
    try:
        output = _shape(layer.output)
    except (AttributeError, ValueError):
        output = None
    kernel = getattr(layer, "kernel_size", None)
    rate = getattr(layer, "rate", None)
    return LayerInfo(
        index=index, name=str(layer.name), kind=type(layer).__name__, output_shape=output,
        params=int(layer.count_params()) if layer.built else 0,
        trainable_params=_count(layer.trainable_weights), trainable=bool(layer.trainable),
        activation=_activation(layer), units=getattr(layer, "units", None),
        filters=getattr(layer, "filters", None),
        kernel_size=tuple(int(k) for k in kernel) if isinstance(kernel, tuple | list) else None,
        rate=float(rate) if isinstance(rate, int | float) else None)


def _compile(model: Any) -> CompileInfo:
    config = model.get_compile_config() if getattr(model, "compiled", False) else None
    if not config:
        return CompileInfo(compiled=False)
    loss = config.get("loss")
    loss_config = loss.get("config", {}) if isinstance(loss, dict) else {}
    optimizer = config.get("optimizer")
    learning_rate = None
    if isinstance(optimizer, dict) and isinstance(optimizer.get("config"), dict):
        rate = optimizer["config"].get("learning_rate")
        learning_rate = float(rate) if isinstance(rate, int | float) else None
    elif getattr(model, "optimizer", None) is not None:
        try:
            learning_rate = float(model.optimizer.learning_rate)
        except (TypeError, ValueError):
            learning_rate = None
    metrics = config.get("metrics") or []
    if isinstance(metrics, dict):
        metrics = [m for values in metrics.values() for m in (values if isinstance(values, list) else [values])]
    names = tuple(n for n in (_name_of(m) for m in metrics) if n)
    return CompileInfo(compiled=True, loss=_name_of(loss),
                       from_logits=bool(isinstance(loss_config, dict) and loss_config.get("from_logits")),
                       optimizer=_name_of(optimizer), learning_rate=learning_rate, metrics=names)


def describe(model: Any) -> ModelInfo:
    """The facts of a loaded Keras model (a hosted model's were computed in the model host)."""
    hosted = getattr(model, "__model_info__", None)
    if isinstance(hosted, ModelInfo):
        return hosted
    layers = tuple(_layer(i, layer) for i, layer in enumerate(model.layers))
    try:
        input_shape = _shape(model.inputs[0]) if model.inputs else None
        output_shape = _shape(model.outputs[0]) if model.outputs else None
    except (AttributeError, ValueError):
        input_shape = output_shape = None
    total = int(model.count_params()) if model.built else 0
    return ModelInfo(layers=layers, input_shape=input_shape, output_shape=output_shape, total_params=total,
                     trainable_params=_count(model.trainable_weights), compile=_compile(model))
