"""``autograder config --describe``: every key of ``grading_config.yaml``, from the models in :mod:`autograder.config`.

Each key is listed with its dotted name, its type (with its bounds), its
default and its description; the keys of a nested section follow it
(``limits.wall_time_s``), and a mapping of sections is shown with a
placeholder (``assignments.<id>.points``).
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from autograder.config import GradingConfig


@dataclass(frozen=True)
class KeyInfo:
    """One configuration key."""

    name: str
    type: str
    default: str
    description: str


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _without_none(annotation: Any) -> tuple[Any, bool]:
    """``X | None`` -> (X, True); anything else -> (itself, False)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(annotation)) == 2:
            return args[0], True
    return annotation, False


def _type_name(annotation: Any) -> str:
    inner, optional = _without_none(annotation)
    origin, args = typing.get_origin(inner), typing.get_args(inner)
    if origin is typing.Literal:
        text = " | ".join(str(a) for a in args)
    elif origin is dict:
        text = f"mapping of {_type_name(args[0])} to {_type_name(args[1])}"
    elif origin is list:
        text = f"list of {_type_name(args[0])}"
    elif _is_model(inner):
        text = "section"
    elif inner is Path:
        text = "path"
    elif isinstance(inner, type):
        text = {"datetime": "date-time"}.get(inner.__name__, inner.__name__)
    else:
        text = str(inner)
    return f"{text} or null" if optional else text


_BOUNDS = ((annotated_types.Gt, ">", "gt"), (annotated_types.Ge, ">=", "ge"), (annotated_types.Lt, "<", "lt"),
           (annotated_types.Le, "<=", "le"))


def _bounds(info: FieldInfo) -> str:
    parts = [f"{sign} {getattr(item, attr)}" for item in info.metadata for kind, sign, attr in _BOUNDS
             if isinstance(item, kind)]
    return f" ({', '.join(parts)})" if parts else ""


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return "required"
    if info.default_factory is not None:
        value = info.default_factory()  # type: ignore[call-arg]
        if isinstance(value, BaseModel):
            return "see its keys"
    else:
        value = info.default
    if value is PydanticUndefined or value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value) if value == "" else value
    if isinstance(value, dict | list):
        return "{}" if isinstance(value, dict) else "[]"
    return str(value)


def describe(model: type[BaseModel] = GradingConfig, prefix: str = "") -> list[KeyInfo]:
    """Every key of ``model``, nested sections expanded after the key that holds them."""
    keys: list[KeyInfo] = []
    for name, info in model.model_fields.items():
        dotted = prefix + name
        annotation, _ = _without_none(info.annotation)
        keys.append(KeyInfo(dotted, _type_name(info.annotation) + _bounds(info), _default(info),
                            info.description or ""))
        if _is_model(annotation):
            keys += describe(annotation, dotted + ".")
        elif typing.get_origin(annotation) is dict and _is_model(typing.get_args(annotation)[1]):
            keys += describe(typing.get_args(annotation)[1], f"{dotted}.<{name.rstrip('s')}>.")
    return keys


def render(keys: list[KeyInfo]) -> str:
    """One block per key: the dotted name, then its type and default, then its description."""
    blocks = [f"{key.name}\n    type: {key.type}; default: {key.default}\n    {key.description}" for key in keys]
    return "\n".join(blocks)
