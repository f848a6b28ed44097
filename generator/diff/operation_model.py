"""Operations of a spec for diffing: `operations_of(spec)` -> {match key: `Operation`}."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.errors import join_pointer, printable
from generator.spec.refs import ResolvedSpec

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
TEMPLATE_PARAMETER = re.compile(r"\{([^}]*)\}")

OperationKey = tuple[str, int]


@dataclass(frozen=True)
class Operation:
    """One operation of one spec, with its path item and bundled pointers."""

    method: str
    path: str
    pointer: str
    data: dict[str, Any]
    path_item: dict[str, Any]
    path_pointer: str

    @property
    def label(self) -> str:
        """`operationId (POST /path)`, or `POST /path` when there is no operationId."""
        route = f"{self.method.upper()} {printable(self.path)}"
        operation_id = self.data.get("operationId")
        return f"{printable(operation_id)} ({route})" if isinstance(operation_id, str) else route


@dataclass(frozen=True)
class OperationPair:
    """The same operation in the old and the new spec."""

    old: Operation
    new: Operation

    @property
    def label(self) -> str:
        """The new spec's label: changes are about the API as it is now."""
        return self.new.label


def operation_key(path: str, method: str) -> OperationKey:
    """Match key: path template with parameter names blanked, and the method's rank."""
    return TEMPLATE_PARAMETER.sub("{}", path), HTTP_METHODS.index(method)


def path_keys(spec: ResolvedSpec) -> set[str]:
    """Every path template of the spec with parameter names blanked."""
    paths = spec.data.get("paths")
    return (
        {TEMPLATE_PARAMETER.sub("{}", path) for path in paths} if isinstance(paths, dict) else set()
    )


def operations_of(spec: ResolvedSpec) -> dict[OperationKey, Operation]:
    """Every operation under `paths`, following path-item `$ref`s."""
    paths = spec.data.get("paths")
    result: dict[OperationKey, Operation] = {}
    for path, raw in (paths.items() if isinstance(paths, dict) else ()):
        item, item_pointer = spec.deref(raw, join_pointer("#/paths", path))
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                pointer = join_pointer(item_pointer, method)
                result[operation_key(path, method)] = Operation(
                    method, path, pointer, operation, item, item_pointer
                )
    return result
