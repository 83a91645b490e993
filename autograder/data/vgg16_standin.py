"""Seeded stand-in weights for VGG16's convolution layers, and the references checks compare frozen layers with.

Without Keras' ImageNet file, ``VGG16(weights="imagenet")`` in the sandbox builds the network with random
weights and says so (:mod:`autograder.data.keras_hook`). Those random weights are drawn here from fixed seeds,
so that the grader can draw them again and tell whether a layer that should have stayed frozen still holds
the weights it was built with: a fingerprint the notebook recorded about itself proves nothing, a layer
compared with weights the grader rebuilt does. They are Keras' own initialisation for ``Conv2D`` (Glorot
uniform kernels, zero biases), never anything that claims to be pretrained; the grader knows the ImageNet
file is missing and skips what needs it.

With the genuine ImageNet file (hash-checked by :mod:`autograder.data.keras_files`), the reference is that
file's weights, read here with ``h5py`` (Keras' own HDF5 weight layout).

This module is imported inside the sandbox too: NumPy only, no Keras import.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

# VGG16's convolution layers, in order, with their input and output channels (3x3 kernels)
CONV_CHANNELS: tuple[tuple[str, int, int], ...] = (
    ("block1_conv1", 3, 64), ("block1_conv2", 64, 64),
    ("block2_conv1", 64, 128), ("block2_conv2", 128, 128),
    ("block3_conv1", 128, 256), ("block3_conv2", 256, 256), ("block3_conv3", 256, 256),
    ("block4_conv1", 256, 512), ("block4_conv2", 512, 512), ("block4_conv3", 512, 512),
    ("block5_conv1", 512, 512), ("block5_conv2", 512, 512), ("block5_conv3", 512, 512),
)
SEED = 16_0516  # part of the stand-in's definition: changing it changes every stand-in weight
MAX_H5_BYTES = 200 * 2**20  # the notop file is 58.9 MB; anything far larger is not it


def layer_weights(name: str) -> list[np.ndarray]:
    """The stand-in ``[kernel, bias]`` of the convolution layer ``name`` (float32, channels last)."""
    for index, (layer, inputs, outputs) in enumerate(CONV_CHANNELS):
        if layer == name:
            rng = np.random.default_rng([SEED, index])
            limit = np.sqrt(6.0 / (9 * inputs + 9 * outputs))  # Glorot uniform, as Keras initialises Conv2D
            kernel = (rng.random((3, 3, inputs, outputs), dtype=np.float32) * np.float32(2 * limit)
                      - np.float32(limit))
            return [kernel, np.zeros(outputs, dtype=np.float32)]
    raise KeyError(name)


def apply(model: Any) -> None:
    """Give ``model``'s VGG16 convolution layers (found by name) their stand-in weights."""
    names = {name for name, _, _ in CONV_CHANNELS}
    for layer in model.layers:
        if layer.name in names:
            layer.set_weights(layer_weights(layer.name))


def digest(weights: Iterable[Any]) -> str:
    """SHA-256 of a layer's weights as little-endian float32, one after the other (the notebook's
    ``layer_digests`` computes the same)."""
    return hashlib.sha256(b"".join(np.ascontiguousarray(w, dtype="<f4").tobytes() for w in weights)).hexdigest()


@functools.cache
def standin_digests() -> Mapping[str, str]:
    """The stand-in weights' digest for every convolution layer (drawn once per process, ~0.3 s)."""
    return {name: digest(layer_weights(name)) for name, _, _ in CONV_CHANNELS}


def _h5_digests(path: Path) -> dict[str, str]:
    import h5py  # a Keras dependency; only needed with the genuine file

    if path.stat().st_size > MAX_H5_BYTES:
        raise ValueError(f"{path} is larger than Keras' VGG16 weights file")
    found = {}
    with h5py.File(path, "r") as weights_file:
        for name, _, _ in CONV_CHANNELS:
            group = weights_file[name]
            names = [n.decode() if isinstance(n, bytes) else str(n) for n in group.attrs["weight_names"]]
            found[name] = digest(np.asarray(group[n]) for n in names)
    return found


@functools.lru_cache(maxsize=2)
def _pretrained_digests(path: str, size: int, mtime: float) -> Mapping[str, str]:
    return _h5_digests(Path(path))


def pretrained_digests(path: str | Path) -> Mapping[str, str]:
    """The digest of each convolution layer's weights in Keras' ImageNet file at ``path``."""
    resolved = Path(path).resolve()
    info = resolved.stat()
    return _pretrained_digests(str(resolved), info.st_size, info.st_mtime)
