"""Answers ``keras.datasets`` downloads from files on disk, in whichever process imports Keras.

In the sandbox, :func:`install` runs before any student code and patches
Keras' ``get_file`` the moment ``keras.src.utils.file_utils`` is first
imported (an import hook, so a notebook that never imports Keras pays
nothing), before any dataset module binds the name. In the grader,
:func:`patched` does the same for an already imported Keras.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.abc
import importlib.machinery
import inspect
import sys
from collections.abc import Iterator, Mapping, Sequence
from types import ModuleType
from typing import Any

from autograder.data.keras_files import offline_get_file
from autograder.i18n import message

_FILE_UTILS = "keras.src.utils.file_utils"
_VGG16 = "keras.src.applications.vgg16"
_DATASETS = ("imdb", "reuters", "boston_housing", "mnist", "fashion_mnist", "cifar10", "cifar100",
             "california_housing")


def _patch(module: ModuleType, files: Mapping[str, str], lang: str) -> None:
    original = vars(module)["get_file"]
    if getattr(original, "__autograder_offline__", False):
        return
    vars(module)["get_file"] = _offline(original, files, lang)


def _offline(original: Any, files: Mapping[str, str], lang: str) -> Any:
    return offline_get_file(original, files, lambda name: message("data.missing", lang, name=name))


def _patch_vgg16(module: ModuleType, files: Mapping[str, str], lang: str) -> None:
    """Without Keras' ImageNet weights, ``VGG16(weights="imagenet")`` builds the same network with
    random weights and says so, so the structure, freezing and fine-tuning checks can still grade;
    the grader knows the weights are missing and skips the checks that need them. The random weights
    are seeded stand-ins (:mod:`autograder.data.vgg16_standin`) the grader draws again to compare frozen
    layers with."""
    original = vars(module)["VGG16"]
    if getattr(original, "__autograder_offline__", False):
        return
    signature = inspect.signature(original)

    @functools.wraps(original)
    def vgg16(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        name = "vgg16_weights_tf_dim_ordering_tf_kernels" + ("" if bound.arguments["include_top"] else "_notop") + ".h5"
        if bound.arguments["weights"] == "imagenet" and name not in files:
            _imagenet_argument_checks(bound.arguments)  # what Keras refuses with the weights, it refuses here
            print(message("data.no_pretrained_weights", lang, name=name), file=sys.stderr)
            bound.arguments["weights"] = None
            from autograder.data import vgg16_standin  # seeded, so the grader can rebuild them (never "pretrained")

            model = original(*bound.args, **bound.kwargs)
            vgg16_standin.apply(model)
            return model
        return original(*bound.args, **bound.kwargs)

    vgg16.__autograder_offline__ = True  # type: ignore[attr-defined]
    vars(module)["VGG16"] = vgg16


def _imagenet_argument_checks(arguments: dict[str, Any]) -> None:
    """Keras' own checks of ``weights="imagenet"`` arguments (classes, input shape), before the swap."""
    from keras.src import backend
    from keras.src.applications import imagenet_utils

    if arguments["include_top"] and arguments["classes"] != 1000:
        raise ValueError("If using `weights='imagenet'` with `include_top=True`, `classes` should be 1000.  "
                         f"Received classes={arguments['classes']}")
    imagenet_utils.obtain_input_shape(arguments["input_shape"], default_size=224, min_size=32,
                                      data_format=backend.image_data_format(),
                                      require_flatten=arguments["include_top"], weights="imagenet")


_PATCHES = {_FILE_UTILS: _patch, _VGG16: _patch_vgg16}


class _Loader(importlib.abc.Loader):
    def __init__(self, inner: Any, files: Mapping[str, str], lang: str) -> None:
        self.inner, self.files, self.lang = inner, files, lang

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.inner.create_module(spec)  # type: ignore[no-any-return]

    def exec_module(self, module: ModuleType) -> None:
        self.inner.exec_module(module)
        _PATCHES[module.__name__](module, self.files, self.lang)


class _Finder(importlib.abc.MetaPathFinder):
    def __init__(self, files: Mapping[str, str], lang: str) -> None:
        self.files, self.lang = files, lang

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in _PATCHES:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _Loader(spec.loader, self.files, self.lang)
                return spec
        return None


def install(files: Mapping[str, str], lang: str) -> None:
    """Patch Keras' ``get_file`` (and VGG16) when (or, if already imported, now that) Keras loads them."""
    for name, patch in _PATCHES.items():
        if name in sys.modules:
            patch(sys.modules[name], files, lang)
    sys.meta_path.insert(0, _Finder(dict(files), lang))


@contextlib.contextmanager
def patched(files: Mapping[str, str], lang: str = "en") -> Iterator[None]:
    """In the grader: answer dataset downloads from ``files`` for the duration of the block."""
    import importlib

    targets = [importlib.import_module(_FILE_UTILS)]
    for name in _DATASETS:
        with contextlib.suppress(ImportError):
            targets.append(importlib.import_module(f"keras.src.datasets.{name}"))
    saved = [(module, vars(module)["get_file"]) for module in targets if "get_file" in vars(module)]
    try:
        for module, original in saved:
            vars(module)["get_file"] = _offline(original, files, lang)
        yield
    finally:
        for module, original in saved:
            vars(module)["get_file"] = original
