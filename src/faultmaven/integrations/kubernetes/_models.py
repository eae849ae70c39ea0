"""Validate parts of an object with the official client's models, keeping what is valid.

The client's models (`V1ContainerStatus`, `V1NodeCondition`...) are strict pydantic
models. Pasted output is often trimmed or hand-edited, so when a part does not
validate its invalid fields are dropped (nested ones first) and it is tried again;
a part that still fails, because a field the API always sets is missing, is skipped.
"""

from collections.abc import Mapping
from typing import Any, ClassVar, Protocol, Self, TypeVar

_FAILURES = (ValueError, TypeError, AttributeError, KeyError, RecursionError)


class ApiModel(Protocol):
    """What the generated client models offer: their field types and `from_dict`."""

    openapi_types: ClassVar[dict[str, str]]
    attribute_map: ClassVar[dict[str, str]]

    @classmethod
    def from_dict(cls, obj: dict[str, Any] | None) -> Self | None:
        """Build the model from API data (camelCase keys)."""
        ...


ModelT = TypeVar("ModelT", bound=ApiModel)
_DROP = object()


def load(model: type[ModelT], data: object) -> ModelT | None:
    """Validate `data` as a client model; None when not a mapping or beyond repair."""
    if not isinstance(data, Mapping):
        return None
    try:
        return model.from_dict(dict(data))
    except _FAILURES:
        pass
    pruned = _prune(model, data)
    if pruned is None:
        return None
    try:
        return model.from_dict(pruned)
    except _FAILURES:
        return None


def _prune(model: type[ApiModel], data: object) -> dict[str, Any] | None:
    if not isinstance(data, Mapping):
        return None
    attributes = {key: attribute for attribute, key in model.attribute_map.items()}
    kept: dict[str, Any] = {}
    for key, value in data.items():
        attribute = attributes.get(key) if isinstance(key, str) else None
        if attribute is None:
            continue
        pruned = _prune_value(model.openapi_types[attribute], value)
        if pruned is not _DROP:
            kept[key] = pruned
    try:
        model.from_dict(kept)
        return kept
    except ValueError as error:
        rejected = {_first(detail) for detail in _details(error)}
        kept = {key: value for key, value in kept.items() if key not in rejected}
    except _FAILURES:
        return None
    try:
        model.from_dict(kept)
    except _FAILURES:
        return None
    return kept


def _details(error: ValueError) -> list[dict[str, Any]]:
    errors = getattr(error, "errors", None)
    return list(errors()) if callable(errors) else []


def _first(detail: dict[str, Any]) -> str:
    location = detail.get("loc") or ("",)
    return str(location[0])


def _prune_value(type_name: str, value: object) -> object:
    if value is None:
        return None
    if type_name.startswith("List["):
        if not isinstance(value, list):
            return _DROP
        items = (_prune_value(type_name[5:-1], item) for item in value)
        return [item for item in items if item is not _DROP]
    if type_name.startswith("Dict["):
        if not isinstance(value, Mapping):
            return _DROP
        inner = type_name.split(", ", 1)[-1][:-1]
        pairs = ((str(key), _prune_value(inner, item)) for key, item in value.items())
        return {key: item for key, item in pairs if item is not _DROP}
    if type_name == "str" and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # YAML read an unquoted quantity or label value as a number
    nested = _client_model(type_name)
    if nested is None:
        return value
    pruned = _prune(nested, value)
    return _DROP if pruned is None else pruned


def _client_model(type_name: str) -> type[ApiModel] | None:
    from kubernetes.client import models  # the client is slow to import; load it on use

    found = getattr(models, type_name, None) if type_name[:1].isupper() else None
    return found if isinstance(found, type) and hasattr(found, "from_dict") else None
