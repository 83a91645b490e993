"""Layer-by-layer comparison with the reference: the first layer that differs, and how."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from autograder.models.describe import LayerInfo, ModelInfo

# What "the same architecture" means by default: type, output shape, activation, parameter count.
ARCHITECTURE = ("kind", "output_shape", "activation", "params")


@dataclass(frozen=True)
class LayerSpec:
    """What a check expects of one layer; a field left ``None`` is not checked."""

    kind: str | None = None
    output_shape: tuple[int | None, ...] | None = None
    activation: str | None = None
    units: int | None = None
    filters: int | None = None
    params: int | None = None
    trainable: bool | None = None

    @classmethod
    def of(cls, layer: LayerInfo, compared: Sequence[str] = ARCHITECTURE) -> LayerSpec:
        """The spec a reference layer sets for the fields in ``compared``."""
        return cls(**{name: getattr(layer, name) for name in compared})


@dataclass(frozen=True)
class Difference:
    """The first mismatch: ``position`` is 1-based among the model's layers (input layers not counted)."""

    position: int
    layer: str
    field: str
    expected: Any
    found: Any


def _layers(info: ModelInfo) -> list[LayerInfo]:
    return [layer for layer in info.layers if layer.kind != "InputLayer"]


def first_difference(found: ModelInfo, expected: ModelInfo | Sequence[LayerSpec],
                     compared: Sequence[str] = ARCHITECTURE) -> Difference | None:
    """Walk both models in order and return the first layer and field that differ, if any."""
    specs = ([LayerSpec.of(layer, compared) for layer in _layers(expected)]
             if isinstance(expected, ModelInfo) else list(expected))
    layers = _layers(found)
    names = [f.name for f in fields(LayerSpec)]
    for position, (layer, spec) in enumerate(zip(layers, specs, strict=False), start=1):
        for name in names:
            want = getattr(spec, name)
            if want is not None and getattr(layer, name) != want:
                return Difference(position, layer.name, name, want, getattr(layer, name))
    if len(layers) < len(specs):
        missing = specs[len(layers)]
        return Difference(len(layers) + 1, "", "missing", missing.kind or "layer", None)
    if len(layers) > len(specs):
        extra = layers[len(specs)]
        return Difference(len(specs) + 1, extra.name, "extra", None, extra.kind)
    return None


def shape_text(shape: tuple[int | None, ...] | None) -> str:
    """``(None, 16)`` as Keras' summary prints it."""
    if shape is None:
        return "?"
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
